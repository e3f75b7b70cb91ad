"""The dashboard's figures (city, province, supervisor): each chart is a small table of numbers,
computed with a fixed number of aggregate queries whatever the number of cases."""

import datetime
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from qingshen.accounts.models import Jurisdiction
from qingshen.cases import scoping
from qingshen.cases.kinds import CaseKind
from qingshen.cases.models import AuditCase, BenefitRollup, Indicator, Option, OptionRollup
from qingshen.cases.states import State
from qingshen.core.dbrouter import replica_reads
from qingshen.core.numbers import MONEY, PERCENT
from qingshen.oversight import scoping as oversight_scoping
from qingshen.programmes.models import LeadAuthority, Programme
from qingshen.reports import scoping as report_scoping
from qingshen.reports import selectors
from qingshen.reports.charts import Chart, Dashboard, Headline
from qingshen.reviews.models import Review

CHART_KEYS = ("stages", "overdue", "lead", "pass_rates", "options", "benefits", "trends", "oversight")


def _children(jurisdiction) -> list[Jurisdiction]:
    return list(Jurisdiction.objects.filter(parent=jurisdiction).order_by("sort_order", "path"))


def _fold(rows, children, path_key):
    """Map each grouped row to the child whose path prefixes its jurisdiction path."""
    for r in rows:
        for i, child in enumerate(children):
            if r[path_key].startswith(child.path):
                yield i, r
                break


def _rate(passed: int, held: int) -> Decimal:
    return round(Decimal(100 * passed) / held, 1) if held else Decimal(0)


@replica_reads
def dashboard(
    *,
    user,
    area: Jurisdiction | None = None,
    year: int | None = None,
    today: datetime.date | None = None,
    kind: str = CaseKind.MANDATORY,
) -> Dashboard:
    """The figures of the user's scope, or of `area` (one of the jurisdictions just below the user's,
    checked by the caller) and of the programmes of `year`, for one kind of audit (mandatory and
    voluntary are never mixed). Twelve queries whatever the filter."""
    today = today or timezone.localdate()
    root = area or user.jurisdiction
    children = _children(root) or [root]
    names = [c.local_name for c in children]

    def scope(
        via: str = "", path: str = "jurisdiction_path", programme: str = "programme_id", of_kind: str = kind
    ) -> Q:
        # Every aggregate joins to the case and filters on its path (scoping.case_scope), and groups by
        # columns of one covering index of cases (migration 0004): no sub-select of case ids, no sort of
        # the case table. A year is a sub-select of its few programmes.
        q = scoping.case_scope(user, via) & Q(**{f"{via}kind": of_kind})
        if area is not None:
            q &= Q(**{f"{via}{path}__startswith": area.path})
        if year is not None:
            q &= Q(**{f"{via}{programme}__in": Programme.objects.filter(year=year).values("pk")})
        return q

    def cells(qs):
        qs = qs.filter(cell__case_kind=kind)
        if area is not None:
            qs = qs.filter(cell__jurisdiction__path__startswith=area.path)
        if year is not None:
            qs = qs.filter(cell__programme__year=year)
        return qs

    # Cases by child jurisdiction, stage and programme, with overdue and accepted counts: one query
    # feeds the stage, overdue and trend charts and the headline.
    by_stage = {s: [0] * len(children) for s in State.values}
    overdue = [0] * len(children)
    # Listed and overdue by the department that leads the case (办法 Art. 20).
    led = {a: ([0] * len(children), [0] * len(children)) for a in LeadAuthority}
    per_programme: dict[int, dict] = {}
    # From the counts kept per cell (cases.counts): a few rows per programme and jurisdiction, whatever
    # the number of cases. Only open cases carry a due date there, so "due before today" is overdue.
    kept = report_scoping.counts_visible(user)
    counted = kept.cases.filter(cell__case_kind=kind)
    if area is not None:
        counted = counted.filter(jurisdiction_path__startswith=area.path)
    if year is not None:
        counted = counted.filter(cell__programme__year=year)
    rows = (
        counted.order_by()
        .values("jurisdiction_path", "state", "lead_authority", programme_id=F("cell__programme_id"))
        .annotate(
            n=Sum("cases"),
            late=Coalesce(Sum("cases", filter=Q(due_on__lt=today)), 0),
            accepted=Sum("accepted"),
        )
    )
    # Years before the system whose summary a district entered: its figures stand in for that
    # district's cases of that year in the year-on-year charts. One query.
    # (Entered tables are of mandatory audits: the summary table counts no other kind.)
    entered = selectors.entered_latest(user=user, area=area, year=year) if kind == CaseKind.MANDATORY else []
    covered: dict[int, list[str]] = {}
    for e in entered:
        covered.setdefault(e["programme_id"], []).append(e["path"])

    def is_covered(programme_id, path) -> bool:
        return any(path.startswith(p) for p in covered.get(programme_id, ()))

    for i, r in _fold(rows, children, "jurisdiction_path"):
        by_stage[r["state"]][i] += r["n"]
        overdue[i] += r["late"]
        # A voluntary audit has no listing; the environment bureau leads it.
        led_listed, led_late = led[r["lead_authority"] or LeadAuthority.ENVIRONMENT]
        led_listed[i] += r["n"]
        led_late[i] += r["late"]
        if is_covered(r["programme_id"], r["jurisdiction_path"]):
            continue
        t = per_programme.setdefault(r["programme_id"], {"listed": 0, "accepted": 0, "withdrawn": 0})
        t["listed"] += r["n"]
        t["accepted"] += r["accepted"]
        t["withdrawn"] += r["n"] if r["state"] == State.WITHDRAWN else 0
    stages = Chart(
        "stages",
        _("Cases by stage and district"),
        "stack",
        _("District"),
        names,
        [(str(State(s).label), v) for s, v in by_stage.items() if any(v)],
    )
    overdue_chart = Chart(
        "overdue", _("Overdue cases"), "bar", _("District"), names, [(_("Overdue"), overdue)]
    )
    lead_series = [(_("Listed: %(lead)s") % {"lead": a.label}, v[0]) for a, v in led.items()]
    lead_series += [(_("Overdue: %(lead)s") % {"lead": a.label}, v[1]) for a, v in led.items()]
    lead_chart = Chart("lead", _("Cases by lead authority"), "bar", _("District"), names, lead_series)

    # Evaluation and acceptance pass rates by year: one query.
    # From the concluded reviews counted per cell (reviews.counts).
    reviewed = kept.reviews.filter(cell__case_kind=kind)
    if area is not None:
        reviewed = reviewed.filter(jurisdiction_path__startswith=area.path)
    if year is not None:
        reviewed = reviewed.filter(cell__programme__year=year)
    rows = list(
        reviewed.order_by()
        .values(
            "kind", case__programme_id=F("cell__programme_id"), case__jurisdiction_path=F("jurisdiction_path")
        )
        .annotate(
            held=Sum("reviews"), passed=Coalesce(Sum("reviews", filter=Q(outcome=Review.Outcome.PASS)), 0)
        )
    )
    year_of = dict(
        Programme.objects.filter(
            pk__in={*per_programme, *(r["case__programme_id"] for r in rows)}
        ).values_list("pk", "year")
    )
    rates: dict[int, dict] = {}
    overall = {"evaluation": [0, 0], "acceptance": [0, 0]}
    for r in rows:
        into = [overall]
        if not is_covered(r["case__programme_id"], r["case__jurisdiction_path"]):
            into.append(rates.setdefault(year_of[r["case__programme_id"]], {}))
        for counts in into:
            held = counts.setdefault(r["kind"], [0, 0])
            held[0] += r["passed"]
            held[1] += r["held"]
    for e in entered:
        f = e["figures"]
        for review_kind, key in (("evaluation", "evaluations"), ("acceptance", "acceptances")):
            held = rates.setdefault(e["year"], {}).setdefault(review_kind, [0, 0])
            held[0] += int(f.get(f"{key}_passed", 0))
            held[1] += int(f.get(key, 0))
    years = sorted(y for y in rates if any(held for _p, held in rates[y].values()))

    def rate(y, kind):
        return _rate(*rates[y].get(kind, (0, 0)))

    pass_rates = Chart(
        "pass_rates",
        _("Pass rates (%)"),
        "line",
        _("Year"),
        [str(y) for y in years],
        [
            (_("Evaluation"), [rate(y, "evaluation") for y in years]),
            (_("Acceptance"), [rate(y, "acceptance") for y in years]),
        ],
        units=[PERCENT, PERCENT],
    )

    # Options by cost class, planned and implemented, from the totals cells: one query.
    by_class = {
        r["cost_class"]: r
        for r in cells(scoping.rollups_visible(user, OptionRollup))
        .values("cost_class")
        .annotate(
            n=Sum("options"),
            inv=Sum("investment"),
            n_done=Sum("options_done"),
            inv_done=Sum("investment_done"),
        )
    }
    classes = list(Option.CostClass)

    def money(c, key):
        return Decimal(by_class.get(c, {}).get(key) or 0)

    options = Chart(
        "options",
        _("Options and investment (10k yuan)"),
        "bar",
        _("Cost class"),
        [str(c.label) for c in classes],
        [
            (_("Options planned"), [by_class.get(c, {}).get("n") or 0 for c in classes]),
            (_("Options implemented"), [by_class.get(c, {}).get("n_done") or 0 for c in classes]),
            (_("Investment planned"), [money(c, "inv") for c in classes]),
            (_("Investment implemented"), [money(c, "inv_done") for c in classes]),
        ],
        units=[None, None, MONEY, MONEY],
    )

    # Benefits by indicator: two queries (indicators, sums).
    indicators = list(Indicator.objects.all())
    sums = {
        r["indicator_id"]: r
        for r in cells(scoping.rollups_visible(user, BenefitRollup))
        .values("indicator_id")
        .annotate(expected=Sum("expected"), verified=Sum("verified"))
    }
    expected = [Decimal(sums.get(i.pk, {}).get("expected") or 0) for i in indicators]
    verified = [Decimal(sums.get(i.pk, {}).get("verified") or 0) for i in indicators]
    benefits = Chart(
        "benefits",
        _("Benefits per year"),
        "bar",
        _("Indicator"),
        [i.label for i in indicators],
        [(_("Expected"), expected), (_("Verified"), verified)],
        row_units=[i.unit for i in indicators],
    )

    # Trends over the years, from the case query above.
    trend_years: dict[int, dict] = {}
    for pk, t in per_programme.items():
        into = trend_years.setdefault(year_of[pk], {"listed": 0, "accepted": 0, "withdrawn": 0})
        for k, v in t.items():
            into[k] += v
    for e in entered:
        into = trend_years.setdefault(e["year"], {"listed": 0, "accepted": 0, "withdrawn": 0})
        f = e["figures"]
        into["listed"] += int(f.get("listed", 0))
        into["accepted"] += int(f.get("acceptances_passed", 0))
        into["withdrawn"] += int(f.get("not_assessable", 0))
    rows = [trend_years[y] for y in sorted(trend_years)]
    trends = Chart(
        "trends",
        _("Cases over the years"),
        "line",
        _("Year"),
        [str(y) for y in sorted(trend_years)],
        [
            (_("Listed"), [r["listed"] for r in rows]),
            (_("Accepted"), [r["accepted"] for r in rows]),
            (_("Withdrawn"), [r["withdrawn"] for r in rows]),
        ],
    )

    # Warnings (the sweep stores each with its case's path) and accountability records of cases, by
    # child jurisdiction, from their counts per programme and path (oversight.counts): one query each.
    warn, acc = [0] * len(children), [0] * len(children)
    warnings = oversight_scoping.warning_counts_visible(user).filter(case_kind=kind)
    records = oversight_scoping.accountability_counts_visible(user).filter(cell__case_kind=kind)
    if area is not None:
        warnings = warnings.filter(jurisdiction_path__startswith=area.path)
        records = records.filter(jurisdiction_path__startswith=area.path)
    if year is not None:
        warnings = warnings.filter(programme__year=year)
        records = records.filter(cell__programme__year=year)
    for grouped, into in (
        (warnings.order_by().values(path=F("jurisdiction_path")).annotate(n=Sum("warnings")), warn),
        (records.order_by().values(path=F("jurisdiction_path")).annotate(n=Sum("records")), acc),
    ):
        for i, r in _fold(grouped, children, "path"):
            into[i] += r["n"]
    oversight = Chart(
        "oversight",
        _("Warnings and accountability cases"),
        "bar",
        _("District"),
        names,
        [(_("Warnings"), warn), (_("Accountability cases"), acc)],
    )

    # Group audits sit beside the mandatory figures (their members are mandatory cases).
    group_kind = CaseKind.GROUP if kind == CaseKind.MANDATORY else "—"
    grouped = AuditCase.objects.filter(scope(of_kind=group_kind)).aggregate(
        groups=Count("pk", distinct=True),
        members=Count(
            "group_audit__members__enterprise",
            filter=Q(group_audit__members__removed_at__isnull=True),
            distinct=True,
        ),
    )
    held = {k: v[1] for k, v in overall.items()}
    headline = Headline(
        listed=sum(sum(v) for v in by_stage.values()),
        overdue=sum(overdue),
        evaluation_rate=_rate(*overall["evaluation"]) if held["evaluation"] else None,
        acceptance_rate=_rate(*overall["acceptance"]) if held["acceptance"] else None,
        investment_planned=sum((money(c, "inv") for c in classes), Decimal(0)),
        investment_implemented=sum((money(c, "inv_done") for c in classes), Decimal(0)),
        reductions=[
            (ind, e, v)
            for ind, e, v in zip(indicators, expected, verified, strict=True)
            if ind.is_reduction and (e or v)
        ],
        groups=grouped["groups"],
        group_members=grouped["members"],
    )
    charts = [stages, overdue_chart, lead_chart, pass_rates, options, benefits, trends, oversight]
    return Dashboard(headline=headline, charts=charts)


@replica_reads
def dashboard_cached(
    *, user, area: Jurisdiction | None = None, year: int | None = None, kind: str = CaseKind.MANDATORY
) -> Dashboard:
    """The dashboard figures, cached per scope, filter and language until anything changes.

    Every change writes an Event (house rule), so the newest event id is the data version: a cached
    dashboard is reused only while no event has been written since. Bounded by
    settings.QINGSHEN_DASHBOARD_CACHE_SECONDS as well."""
    from django.conf import settings
    from django.core.cache import cache
    from django.db.models import Max

    from qingshen.trail.models import Event

    seconds = settings.QINGSHEN_DASHBOARD_CACHE_SECONDS
    if not seconds:
        return dashboard(user=user, area=area, year=year, kind=kind)
    version = Event.objects.aggregate(v=Max("pk"))["v"] or 0
    key = ":".join(
        str(part)
        for part in (
            "qingshen:dashboard",
            user.role,
            user.jurisdiction_id,
            area.pk if area else "",
            year or "",
            kind,
            get_language(),
            version,
            timezone.localdate(),
        )
    )
    board = cache.get(key)
    if board is None:
        board = dashboard(user=user, area=area, year=year, kind=kind)
        cache.set(key, board, seconds)
    return board
