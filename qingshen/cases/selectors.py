"""Reads on audit cases, always through the scoping module."""

import datetime

from django.db.models import Count, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from qingshen.cases import scoping
from qingshen.cases.models import AuditCase
from qingshen.cases.states import CLOSED_STATES
from qingshen.core.keyset import Order
from qingshen.registry.name_search import enterprise_filter
from qingshen.registry.search_keys import pinyin_match
from qingshen.trail.models import Event

# Each order is one non-null key and the id (core.keyset: the case list pages by seeking on them, and
# the indexes of AuditCase serve them). A case without a next deadline (closed, or waiting on the
# bureau) sorts on a date past every real one, or before every real one when the latest come first:
# last either way, on every database.
ORDERS = {
    "deadline": Order(Coalesce("next_due_on", Value(datetime.date.max))),
    "-deadline": Order(Coalesce("next_due_on", Value(datetime.date.min)), descending=True),
    "enterprise": Order("enterprise__name"),
    "-enterprise": Order("enterprise__name", descending=True),
    "state": Order("state"),
    "district": Order("jurisdiction_path"),
    "year": Order("programme__year", descending=True),
}


def case_order(sort: str) -> Order:
    return ORDERS.get(sort, ORDERS["deadline"])


def case_list(
    *,
    user,
    programme=None,
    jurisdiction=None,
    state: str = "",
    overdue: bool = False,
    q: str = "",
    sort: str = "deadline",
    today: datetime.date | None = None,
    kind: str = "",
) -> QuerySet[AuditCase]:
    today = today or timezone.localdate()
    qs = cases_listed(user=user)
    if programme is not None:
        qs = qs.filter(programme=programme)
    if jurisdiction is not None:
        qs = qs.filter(jurisdiction_path__startswith=jurisdiction.path)
    if state:
        qs = qs.filter(state=state)
    if kind:
        qs = qs.filter(kind=kind)
    if overdue:
        qs = qs.filter(is_overdue(today))
    if q:
        qs = cases_matching(qs, q)
    return qs.order_by(*case_order(sort).order_by())


def cases_listed(*, user) -> QuerySet[AuditCase]:
    """The user's cases with what a list row shows; narrowed and sorted by programmes.case_filters."""
    return scoping.cases_visible(user).select_related("enterprise", "jurisdiction", "programme")


# What a row of the case list page shows, read as plain tuples: a case has some forty columns, and
# building a case, its enterprise, district and programme per row cost more than the query.
LIST_ROW_VALUES = (
    "pk",
    "kind",
    "state",
    "next_due_on",
    "programme__year",
    "enterprise__name",
    "enterprise__uscc",
    "jurisdiction__name",
    "jurisdiction__name_en",
)


def case_rows_listed(*, user) -> QuerySet[AuditCase]:
    """The user's cases for the case list page, narrowed and sorted by programmes.case_filters and
    counted on the case table alone; `case_row_values` reads a page's rows."""
    return scoping.cases_visible(user)


def case_row_values(qs: QuerySet[AuditCase]) -> QuerySet:
    """`qs` as named tuples of `LIST_ROW_VALUES` (`row.pk`, `row.enterprise__name` …)."""
    return qs.values_list(*LIST_ROW_VALUES, named=True)


def cases_matching(qs: QuerySet[AuditCase], q: str) -> QuerySet[AuditCase]:
    """Cases whose enterprise's name or credit code contains `q`, or whose pinyin matches it: the case
    list page's search, and the API's."""
    return qs.filter(enterprise_filter(q))


def case_get(*, user, pk: int) -> AuditCase | None:
    return (
        scoping.cases_visible(user)
        .select_related("enterprise__industry", "jurisdiction", "programme", "listing")
        .filter(pk=pk)
        .first()
    )


def case_timeline(*, case: AuditCase) -> QuerySet[Event]:
    return (
        Event.objects.filter(object_type=case._meta.label_lower, object_id=str(case.pk))
        .select_related("actor")
        .order_by("at", "id")
    )


def case_timelines(*, cases) -> dict[int, list[Event]]:
    """`case_timeline` of several cases in one query: case pk → its events, oldest first."""
    cases = list(cases)
    result: dict[int, list[Event]] = {case.pk: [] for case in cases}
    if not cases:
        return result
    events = (
        Event.objects.filter(object_type=cases[0]._meta.label_lower, object_id__in=[str(pk) for pk in result])
        .select_related("actor")
        .order_by("at", "id")
    )
    for event in events:
        result[int(event.object_id)].append(event)
    return result


def case_counts_by_state(*, user) -> dict[str, int]:
    rows = scoping.cases_visible(user).values("state").annotate(n=Count("pk"))
    return {r["state"]: r["n"] for r in rows}


def is_overdue(today: datetime.date) -> Q:
    """A case is overdue when its next deadline has passed and it is not closed: the one definition the
    case list, the home page, the dashboard and the summary table count by."""
    return Q(next_due_on__lt=today) & ~Q(state__in=sorted(CLOSED_STATES))


def overdue_count(*, user, today: datetime.date | None = None) -> int:
    return scoping.cases_visible(user).filter(is_overdue(today or timezone.localdate())).count()


# --- Enterprise portal: options, benefits, disclosures, documents -------------------------


def option_totals(*, case: AuditCase) -> dict:
    """Per case: number and investment of options by cost class and status, and per indicator the
    expected and verified benefits beside the baseline. A fixed number of aggregate queries."""
    from django.db.models import Sum

    from qingshen.cases.models import Baseline, Benefit, Indicator, Option

    by_class = {}
    rows = (
        Option.objects.filter(case=case)
        .exclude(status=Option.Status.DROPPED)
        .values("cost_class", "status")
        .annotate(n=Count("pk"), inv=Sum("investment"))
    )
    for row in rows:
        c = by_class.setdefault(
            row["cost_class"], {"n": 0, "investment": 0, "implemented": 0, "implemented_investment": 0}
        )
        c["n"] += row["n"]
        c["investment"] += row["inv"] or 0
        if row["status"] == Option.Status.IMPLEMENTED:
            c["implemented"] += row["n"]
            c["implemented_investment"] += row["inv"] or 0
    sums = {
        r["indicator_id"]: r
        for r in Benefit.objects.filter(option__case=case)
        .exclude(option__status=Option.Status.DROPPED)
        .values("indicator_id")
        .annotate(expected=Sum("expected"), verified=Sum("verified"))
    }
    baselines = dict(Baseline.objects.filter(case=case).values_list("indicator_id", "value"))
    indicators = [
        {
            "indicator": ind,
            "baseline": baselines.get(ind.pk),
            "expected": sums.get(ind.pk, {}).get("expected"),
            "verified": sums.get(ind.pk, {}).get("verified"),
        }
        for ind in Indicator.objects.all()
    ]
    return {
        "low": by_class.get(
            Option.CostClass.LOW, {"n": 0, "investment": 0, "implemented": 0, "implemented_investment": 0}
        ),
        "high": by_class.get(
            Option.CostClass.HIGH, {"n": 0, "investment": 0, "implemented": 0, "implemented_investment": 0}
        ),
        "indicators": indicators,
    }


def options_of(*, case: AuditCase):
    from django.db.models import Prefetch

    from qingshen.cases.models import Benefit

    return case.options.prefetch_related(
        Prefetch("benefits", queryset=Benefit.objects.select_related("indicator"))
    ).order_by("cost_class", "code")


def disclosure_flag(*, case: AuditCase, today: datetime.date | None = None) -> str:
    """ "on_time", "late" (submitted after its deadline), "missing" (deadline passed, none submitted),
    "open" (not yet due) or "" (no deadline)."""
    from qingshen.cases.models import CaseDeadline, Disclosure

    deadline = case.deadlines.filter(kind=CaseDeadline.Kind.DISCLOSURE).first()
    disclosure = Disclosure.objects.filter(case=case).first()
    return disclosure_flag_from(deadline=deadline, disclosure=disclosure, today=today)


def disclosure_flag_from(*, deadline, disclosure, today: datetime.date | None = None) -> str:
    """`disclosure_flag` from a case's disclosure deadline and disclosure already at hand (either may be
    None): lists that prefetch them flag every case without a query each."""
    from qingshen.cases.models import Disclosure

    today = today or timezone.localdate()
    submitted = disclosure is not None and disclosure.status == Disclosure.Status.SUBMITTED
    if deadline is None:
        return "on_time" if submitted else ""
    if submitted:
        return "late" if disclosure.submitted_on > deadline.due_on else "on_time"
    return "missing" if today > deadline.due_on else "open"


def disclosures_public_list(*, q: str = ""):
    """Published disclosures for the public page, with their deadline for the late flag."""
    from django.db.models import OuterRef, Subquery

    from qingshen.cases.models import CaseDeadline

    due = CaseDeadline.objects.filter(case=OuterRef("case_id"), kind=CaseDeadline.Kind.DISCLOSURE).values(
        "due_on"
    )[:1]
    qs = (
        scoping.disclosures_public()
        .select_related("case__enterprise", "case__programme", "case__jurisdiction")
        .annotate(due_on=Subquery(due))
        .order_by("-submitted_on", "pk")
    )
    if q:
        match = Q(case__enterprise__name__icontains=q) | Q(case__enterprise__uscc__icontains=q.upper())
        pinyin = pinyin_match(q, "case__enterprise_id")
        qs = qs.filter(match | pinyin if pinyin is not None else match)
    return qs


def documents_of(*, case: AuditCase):
    return case.documents.select_related("uploaded_by").order_by("kind", "-version")


def documents_by_kind(*, case: AuditCase) -> list[dict]:
    """The case's documents in one query, grouped by kind in the order of `Document.Kind`: each group's
    current versions (two for a document generated as PDF and DOCX) and the older ones, newest first."""
    from qingshen.cases.models import Document

    groups: dict[str, dict] = {}
    for doc in documents_of(case=case):
        group = groups.setdefault(
            doc.kind, {"kind": doc.kind, "label": doc.get_kind_display(), "current": [], "older": []}
        )
        group["current" if doc.is_current else "older"].append(doc)
    order = {kind: n for n, kind in enumerate(Document.Kind.values)}
    return sorted(groups.values(), key=lambda g: order.get(g["kind"], len(order)))


def disclosure_ready(*, case: AuditCase) -> bool:
    """A complete draft with its proof: the `disclose` step may be taken from the case page."""
    from qingshen.cases.disclosure_fields import missing_items
    from qingshen.cases.models import Disclosure

    d = Disclosure.objects.filter(case=case, status=Disclosure.Status.DRAFT).first()
    return d is not None and d.proof_id is not None and not missing_items(case.listing.grounds, d.content)


def annual_public_years() -> list[int]:
    """The years with a published annual disclosure, newest first (the public year index)."""
    return list(
        scoping.annual_disclosures_public().order_by("-year").values_list("year", flat=True).distinct()
    )


def annual_public_list(*, year: int):
    """A year's published annual disclosures, by enterprise name."""
    return (
        scoping.annual_disclosures_public()
        .filter(year=year)
        .select_related("case__enterprise", "case__jurisdiction", "case__programme")
        .order_by("case__enterprise__name", "pk")
    )


def target_rows(*, case: AuditCase) -> list[dict]:
    """The case's targets (not withdrawn), each with the verified benefit that measures it (if linked),
    its actual value and whether it is met (cases.target_rules). Two queries."""
    from django.db.models import Sum

    from qingshen.cases import target_rules
    from qingshen.cases.models import Benefit, Option, Target

    verified = {
        r["indicator_id"]: r["v"]
        for r in Benefit.objects.filter(option__case=case, verified__isnull=False)
        .exclude(option__status=Option.Status.DROPPED)
        .values("indicator_id")
        .annotate(v=Sum("verified"))
    }
    rows = []
    for t in Target.objects.filter(case=case, withdrawn=False).select_related("indicator").order_by("pk"):
        benefit = verified.get(t.indicator_id) if t.indicator_id else None
        actual = target_rules.actual_of(
            direction=t.direction, baseline=t.baseline, entered=t.actual, verified=benefit
        )
        rows.append(
            {
                "target": t,
                "verified": benefit,
                "actual": actual,
                "derived": t.actual is None and actual is not None,
                "status": target_rules.target_status(
                    direction=t.direction, target_value=t.target_value, actual=actual
                ),
                "change": target_rules.improvement(baseline=t.baseline, actual=actual),
            }
        )
    return rows


def targets_unmet(*, case: AuditCase) -> list[dict]:
    """The targets not shown to be met (not reached, or without an actual value)."""
    from qingshen.cases.target_rules import MET

    return [r for r in target_rows(case=case) if r["status"] != MET]


def case_stages(*, case: AuditCase) -> list:
    """The seven stages of the audit with what the case shows done (cases.stages)."""
    from qingshen.cases.models import Baseline, Option, Target
    from qingshen.cases.stages import StageFacts, stage_progress

    live = Option.objects.filter(case=case).exclude(status=Option.Status.DROPPED)
    counts = live.aggregate(
        n=Count("pk"),
        high=Count("pk", filter=Q(cost_class=Option.CostClass.HIGH)),
        high_done=Count("pk", filter=Q(cost_class=Option.CostClass.HIGH, status=Option.Status.IMPLEMENTED)),
    )
    facts = StageFacts(
        state=case.state,
        audit_started=case.audit_started_on is not None,
        focus=bool(case.audit_focus.strip()),
        targets=Target.objects.filter(case=case, withdrawn=False).count(),
        baselines=Baseline.objects.filter(case=case).count(),
        options=counts["n"],
        high_options=counts["high"],
        high_implemented=counts["high_done"],
    )
    return stage_progress(facts)
