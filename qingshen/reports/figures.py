"""The work summary table (工作总结表, 附件3) computed from the cases (domain.md §4).

A fixed number of aggregate queries whatever the number of cases: each query groups by the case's
jurisdiction path, and the groups are folded into district rows in Python (a handful of groups).
"""

import dataclasses
import datetime
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext_lazy as _

from qingshen.cases.kinds import CaseKind
from qingshen.cases.models import BenefitRollup, GroupMember, Indicator, Option, OptionRollup
from qingshen.cases.states import Level
from qingshen.core import numbers
from qingshen.core.dbrouter import replica_reads
from qingshen.programmes.models import Ground, LeadAuthority
from qingshen.reports import oversight_counts
from qingshen.reports.case_figures import accountability_figures, case_figures, count_rows, review_figures
from qingshen.reviews.models import Review

MONEY = Decimal("0.01")
# The figures summed from per-jurisdiction totals (cases.models.rollups), not from the cases themselves.
PER_JURISDICTION = ("options_", "investment_", "benefit_")
AMOUNT = Decimal("0.0001")


@dataclasses.dataclass(frozen=True)
class Column:
    key: str
    group: str
    label: str
    decimal: Decimal | None = None  # the precision a decimal figure is summed at; None for counts
    unit: str | None = None  # how it is written (reports.numbers); None for counts


def _count_columns():
    g_counts, g_grounds, g_eval, g_acc = _("Cases"), _("Listed by ground"), _("Evaluation"), _("Acceptance")
    cols = [
        Column("listed", g_counts, _("Listed")),
        *[Column(f"ground_{g.value}", g_grounds, g.label) for g in Ground],
        # Who leads each listed case (办法 Art. 20): the columns add up to "listed".
        *[Column(f"lead_{a.value}", _("Lead authority"), a.label) for a in LeadAuthority],
        Column("disclosed", g_counts, _("Disclosed")),
        Column("started", g_counts, _("Audit started")),
        Column("reports", g_counts, _("Reports submitted")),
        Column("evaluations", g_eval, _("Held")),
        Column("evaluations_passed", g_eval, _("Passed")),
        Column("evaluations_failed", g_eval, _("Failed")),
        Column("evaluations_carried", g_eval, _("Of which for earlier years' cases")),
        Column("acceptances", g_acc, _("Held")),
        Column("acceptances_passed", g_acc, _("Passed")),
        Column("acceptances_failed", g_acc, _("Failed")),
        Column("acceptances_carried", g_acc, _("Of which for earlier years' cases")),
        Column("overdue", _("Progress"), _("Overdue")),
        Column("carried_over", _("Progress"), _("Carried over")),
        Column("not_assessable", _("Progress"), _("Not assessable (stopped/moved)")),
        Column("penalties", _("Penalties"), _("Count")),
        Column("penalty_amount", _("Penalties"), _("Amount (10k yuan)"), MONEY, numbers.MONEY),
        Column("accountability", _("Penalties"), _("Accountability cases")),
        # Group audits apart from the cases above (their lead's case is not counted there): the groups,
        # and their member enterprises, counted once each however many cases they have.
        Column("groups", _("Group audits"), _("Groups")),
        Column("groups_passed", _("Group audits"), _("Groups passed evaluation")),
        Column("group_members", _("Group audits"), _("Member enterprises")),
        Column("group_members_counted", _("Group audits"), _("Members counted as audited")),
    ]
    for cls in Option.CostClass:
        group = cls.label
        cols += [
            Column(f"options_{cls.value}_planned", group, _("Options planned")),
            Column(
                f"investment_{cls.value}_planned",
                group,
                _("Investment planned (10k yuan)"),
                MONEY,
                numbers.MONEY,
            ),
            Column(f"options_{cls.value}_implemented", group, _("Options implemented")),
            Column(
                f"investment_{cls.value}_implemented",
                group,
                _("Investment implemented (10k yuan)"),
                MONEY,
                numbers.MONEY,
            ),
        ]
    return cols


def columns(indicators) -> list[Column]:
    cols = _count_columns()
    for ind in indicators:
        group = ind.label
        cols.append(Column(f"benefit_{ind.code}_expected", group, _("Expected"), AMOUNT, ind.unit))
        cols.append(Column(f"benefit_{ind.code}_verified", group, _("Verified"), AMOUNT, ind.unit))
    cols += [Column(f"level_{lv.value}", _("Level reached"), lv.label) for lv in Level]
    return cols


@dataclasses.dataclass
class SummaryTable:
    columns: list[Column]
    rows: list[tuple]  # (district Jurisdiction, {key: value})
    total: dict
    # (LeadAuthority, {key: value}): the total's case figures over the cases each department leads; the
    # option and benefit figures are kept per jurisdiction, not per case, so those keys are None here.
    by_lead: list[tuple] = dataclasses.field(default_factory=list)

    def keys(self):
        return [c.key for c in self.columns]


def _review_counts(cases, carried, year: int, by: str = "jurisdiction_path"):
    """Reviews of the programme's own cases, and those concluded in the programme's year for the
    cases carried over from earlier programmes (the year's work includes them, 附件3)."""
    in_year = Q(concluded_on__gte=datetime.date(year, 1, 1), concluded_on__lte=datetime.date(year, 12, 31))
    own = Q(case__in=cases.values("pk"))
    earlier = Q(case__in=carried.values("pk")) & in_year
    rows = (
        Review.objects.filter(own | earlier, status=Review.Status.CONCLUDED)
        .values("kind", key=F(f"case__{by}"))
        .annotate(
            held=Count("pk"),
            passed=Count("pk", filter=Q(outcome=Review.Outcome.PASS)),
            failed=Count("pk", filter=Q(outcome=Review.Outcome.FAIL)),
            carried=Count("pk", filter=~own),
        )
        .order_by()
    )
    out: dict[str, dict] = {}
    for r in rows:
        prefix = "evaluations" if r["kind"] == "evaluation" else "acceptances"
        figures = out.setdefault(r["key"], {})
        for key, value in (("", r["held"]), ("_passed", r["passed"]), ("_failed", r["failed"])):
            figures[prefix + key] = figures.get(prefix + key, 0) + value
        figures[f"{prefix}_carried"] = figures.get(f"{prefix}_carried", 0) + r["carried"]
    return out


def _group_counts(group_cases):
    """Groups by their lead's path; members by their own enterprise's path."""
    out: dict[str, dict] = {}
    rows = group_cases.values("jurisdiction_path").annotate(
        groups=Count("pk"), groups_passed=Count("pk", filter=Q(evaluation_passed_on__isnull=False))
    )
    for r in rows:
        out.setdefault(r.pop("jurisdiction_path"), {}).update(r)
    members = (
        GroupMember.objects.filter(group__case__in=group_cases.values("pk"), removed_at__isnull=True)
        .values(path=F("enterprise__jurisdiction__path"))
        .annotate(
            group_members=Count("enterprise", distinct=True),
            group_members_counted=Count("enterprise", filter=Q(counted_on__isnull=False), distinct=True),
        )
        .order_by()
    )
    for r in members:
        out.setdefault(r.pop("path"), {}).update(r)
    return out


def _cells_of(cases, kind: str, counts=None) -> Q:
    """The option/benefit totals cells (cases.models.rollups) of these cases: the programmes and
    jurisdictions they are in, of their kind. An authority sees whole jurisdictions, so each cell is all
    visible. With the case counts, the cells that count a visible case (no read of the cases)."""
    if counts is not None:
        return Q(cell__in=counts.values("cell_id"))
    return Q(
        cell__programme_id__in=cases.values("programme_id"),
        cell__jurisdiction_id__in=cases.values("jurisdiction_id"),
        cell__case_kind=kind,
    )


def _option_figures(cases, kind: str, counts=None):
    rows = (
        OptionRollup.objects.filter(_cells_of(cases, kind, counts))
        .values(path=F("cell__jurisdiction__path"), cost=F("cost_class"))
        .annotate(
            n=Sum("options"),
            inv=Sum("investment"),
            n_done=Sum("options_done"),
            inv_done=Sum("investment_done"),
        )
    )
    out: dict[str, dict] = {}
    for r in rows:
        figures = out.setdefault(r["path"], {})
        c = r["cost"]
        figures[f"options_{c}_planned"] = r["n"]
        figures[f"investment_{c}_planned"] = r["inv"] or Decimal(0)
        figures[f"options_{c}_implemented"] = r["n_done"]
        figures[f"investment_{c}_implemented"] = r["inv_done"] or Decimal(0)
    return out


def _benefit_figures(cases, kind: str, counts=None):
    rows = (
        BenefitRollup.objects.filter(_cells_of(cases, kind, counts))
        .values(path=F("cell__jurisdiction__path"), code=F("indicator__code"))
        .annotate(expected=Sum("expected"), verified=Sum("verified"))
    )
    out: dict[str, dict] = {}
    for r in rows:
        figures = out.setdefault(r["path"], {})
        figures[f"benefit_{r['code']}_expected"] = r["expected"] or Decimal(0)
        figures[f"benefit_{r['code']}_verified"] = r["verified"] or Decimal(0)
    return out


def _blank(cols):
    return {c.key: (Decimal(0).quantize(c.decimal) if c.decimal else 0) for c in cols}


def _add(into: dict, figures: dict, cols_by_key):
    for key, value in figures.items():
        col = cols_by_key.get(key)
        if col is None:
            continue
        into[key] = (into[key] + Decimal(value)).quantize(col.decimal) if col.decimal else into[key] + value


@replica_reads
def summary_table(
    *,
    programme,
    cases,
    districts,
    counts=None,
    today: datetime.date | None = None,
    kind: str = CaseKind.MANDATORY,
) -> SummaryTable:
    """`cases`: the caller's visible cases (scoping); `counts`: the counts the caller may see
    (reports.scoping.counts_visible; without them the same figures are counted from `cases`);
    `districts`: the rows to show, in order; `kind`: the kind of audit counted (附件3 is the mandatory
    programme's; voluntary audits have a table of their own, never mixed in).

    A case counts in the row of the district whose path prefixes its jurisdiction path; every
    visible case counts in the total."""
    from django.utils import timezone

    today = today or timezone.localdate()
    cols = columns(Indicator.objects.all())
    cols_by_key = {c.key: c for c in cols}
    # The mandatory table counts the groups of the programme apart (their members are its cases).
    group_cases = (
        cases.filter(programme=programme, kind=CaseKind.GROUP) if kind == CaseKind.MANDATORY else None
    )
    counted = count_rows(
        counts=counts.cases if counts else None, cases=cases, programme=programme, kind=kind, today=today
    )
    cases = cases.filter(kind=kind)
    carried = cases.filter(programme__city_id=programme.city_id, programme__year__lt=programme.year)
    cases = cases.filter(programme=programme)
    cells = counts.cases.filter(cell__programme=programme, cell__case_kind=kind) if counts else None

    def reviews(by_count: str, by_case: str) -> dict:
        if counts is not None:
            return review_figures(counts.reviews, programme=programme, kind=kind, by=by_count)
        return _review_counts(cases, carried, programme.year, by_case)

    def accountability(by_count: str, by_case: str) -> dict:
        if counts is not None:
            return accountability_figures(counts.records, programme=programme, kind=kind, by=by_count)
        return oversight_counts.accountability_by_path(Q(case__in=cases.values("pk")), by_case)

    parts = [
        _group_counts(group_cases) if group_cases is not None else {},
        case_figures(counted),
        reviews("jurisdiction_path", "jurisdiction_path"),
        _option_figures(cases, kind, cells),
        _benefit_figures(cases, kind, cells),
        oversight_counts.penalties_by_path(Q(case__in=cases.values("pk"))),
        accountability("jurisdiction_path", "jurisdiction_path"),
    ]
    districts = list(districts)
    by_lead = _lead_figures(cases, counted, (reviews, accountability), cols)
    rows = {d.pk: _blank(cols) for d in districts}
    total = _blank(cols)
    for part in parts:
        for path, figures in part.items():
            _add(total, figures, cols_by_key)
            for d in districts:
                if path.startswith(d.path):
                    _add(rows[d.pk], figures, cols_by_key)
                    break
    return SummaryTable(columns=cols, rows=[(d, rows[d.pk]) for d in districts], total=total, by_lead=by_lead)


def _lead_figures(cases, counted, kept, cols) -> list[tuple]:
    """(LeadAuthority, figures) for each department: the case figures of the cases it leads, over every
    jurisdiction (the same five grouped queries, on the lead instead of the path); None for the figures
    kept per jurisdiction rather than per case (options, benefits)."""
    cols_by_key = {c.key: c for c in cols}
    by = "listing__lead_authority"
    scope = Q(case__in=cases.values("pk"))
    parts = [
        case_figures(counted, "lead"),
        *(part("lead_authority", by) for part in kept),  # reviews, accountability
        oversight_counts.penalties_by_path(scope, by),
    ]
    out = []
    for authority in LeadAuthority:
        figures = _blank(cols)
        for part in parts:
            _add(figures, part.get(authority.value, {}), cols_by_key)
        out.append(
            (authority, {k: (None if k.startswith(PER_JURISDICTION) else v) for k, v in figures.items()})
        )
    return out


def frozen(figures: dict) -> dict:
    """Figures as JSON (decimals as strings), for a snapshot."""
    return {k: (str(v) if isinstance(v, Decimal) else v) for k, v in figures.items()}


def difference(snapshot: dict, today: dict, cols) -> list[tuple]:
    """(column, filed value, today's value) for every figure that changed since the snapshot."""
    out = []
    for c in cols:
        if snapshot and c.key not in snapshot:
            continue  # a column added after the table was filed (e.g. the lead authority's)
        then = snapshot.get(c.key, 0)
        now = today.get(c.key, 0)
        if (Decimal(str(then)) if c.decimal else then) != now:
            out.append((c, then, now))
    return out


# The figures of the voluntary table: what a voluntary audit has (no listing, disclosure or carry-over).
VOLUNTARY_KEYS = (
    "listed",
    "reports",
    "evaluations",
    "evaluations_passed",
    "evaluations_failed",
    "acceptances",
    "acceptances_passed",
    "acceptances_failed",
    "overdue",
    "not_assessable",
    "options_low_planned",
    "options_low_implemented",
    "options_high_planned",
    "options_high_implemented",
    "level_I",
    "level_II",
    "level_III",
)


def voluntary_table(
    *, programme, cases, districts, counts=None, today: datetime.date | None = None
) -> SummaryTable:
    """The voluntary audits registered in the programme's city and year, by district, apart from 附件3."""
    table = summary_table(
        programme=programme,
        cases=cases,
        districts=districts,
        counts=counts,
        today=today,
        kind=CaseKind.VOLUNTARY,
    )
    cols = [c for c in table.columns if c.key in VOLUNTARY_KEYS]
    cols = [dataclasses.replace(c, label=_("Registered")) if c.key == "listed" else c for c in cols]
    keep = {c.key for c in cols}
    return SummaryTable(
        columns=cols,
        rows=[(d, {k: v for k, v in f.items() if k in keep}) for d, f in table.rows],
        total={k: v for k, v in table.total.items() if k in keep},
    )
