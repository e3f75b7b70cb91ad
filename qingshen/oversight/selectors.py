"""Reads on oversight data. The counting selectors at the end are what reports and the dashboard use."""

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.expressions import RawSQL

from qingshen.core.keyset import Order
from qingshen.oversight import scoping
from qingshen.oversight.models import AccountabilityRecord
from qingshen.procedures.models import Procedure, Rule


def procedure_current() -> Procedure | None:
    return Procedure.objects.prefetch_related("steps__rule").order_by("pk").first()


def procedure_versions(procedure: Procedure):
    """The editions, latest first, with who edited them."""
    return procedure.versions.select_related("created_by").order_by("-number")


def rules_all():
    return Rule.objects.order_by("code")


# --- Warnings -----------------------------------------------------------------------------------------


# Newest first, paged by seeking on (key, id) (core.keyset), which the models' indexes serve.
WARNING_ORDER = Order("recorded_at", descending=True)
ACCOUNTABILITY_ORDER = Order("opened_at", descending=True)


def warning_list(*, user, level: str = "", still_open: bool = True):
    """The user's warnings, newest first. `still_open` keeps milestones and deadlines still open on the
    date the warning was recorded for (a met or moved deadline's warnings are history)."""
    qs = scoping.warnings_visible(user).select_related(
        "deadline", "milestone", "case__enterprise", "case__jurisdiction", "programme"
    )
    if level:
        qs = qs.filter(level=level)
    if still_open:
        qs = qs.filter(warning_still_open())
    return qs.order_by(*WARNING_ORDER.order_by())


def warning_still_open() -> Q:
    """A warning whose milestone or deadline is still open on the date it was recorded for (a met or
    moved deadline's warnings are history)."""
    return Q(deadline__isnull=True) | Q(deadline__status="open", deadline__due_on=F("due_on"))


# --- Accountability -----------------------------------------------------------------------------------


def accountability_list(*, user, state: str = "", section: str = "", district=None):
    qs = scoping.accountability_visible(user).select_related(
        "case__enterprise", "case__jurisdiction", "case__programme__city", "closed_by", "opened_by"
    )
    if state == "open":
        qs = qs.filter(closed_at__isnull=True)
    elif state == "closed":
        qs = qs.filter(closed_at__isnull=False)
    if section:
        qs = qs.filter(responsible_section=section)
    if district is not None:
        qs = qs.filter(case__jurisdiction_path__startswith=district.path)
    return qs.order_by(*ACCOUNTABILITY_ORDER.order_by())


def accountability_sections(*, user) -> list[str]:
    """The sections named on the user's records, for the filter. Read as a skip scan (each the first
    section after the one before, on the section index) in one recursive query: a few index probes
    however many records there are, where DISTINCT would read them all."""
    visible = scoping.accountability_visible(user)

    def first_after(bound):
        qs = visible.filter(responsible_section__gt=bound).order_by("responsible_section")
        return qs.values_list("responsible_section")[:1].query.sql_with_params()

    try:
        (start, start_params), (step, step_params) = first_after(""), first_after(RawSQL("found.section", []))
    except EmptyResultSet:  # nobody's records
        return []
    sql = (
        f"WITH RECURSIVE found(section) AS (SELECT ({start}) UNION ALL SELECT ({step}) FROM found"  # noqa: S608
        " WHERE found.section IS NOT NULL) SELECT section FROM found WHERE section IS NOT NULL"
    )
    with connections[visible.db].cursor() as cursor:
        cursor.execute(sql, [*start_params, *step_params])
        return [row[0] for row in cursor.fetchall()]


def accountability_get(*, user, pk: int) -> AccountabilityRecord | None:
    return scoping.accountability_visible(user).select_related("case").filter(pk=pk).first()


# --- Penalties and credit -----------------------------------------------------------------------------


def penalty_list(*, user, credit_only: bool = False):
    qs = scoping.penalties_visible(user).select_related(
        "violation", "enterprise", "agency", "case", "created_by"
    )
    if credit_only:
        qs = qs.filter(credit_marked=True)
    return qs.order_by("-ordered_on", "-pk")


def penalty_proposals(*, user):
    """The districts' proposals awaiting the city, oldest first."""
    return (
        scoping.penalties_visible(user)
        .filter(state="proposed")
        .select_related("violation", "enterprise__jurisdiction", "case", "created_by")
        .order_by("created_at", "pk")
    )


def penalty_counts_by_violation(*, user, year: int | None = None) -> dict[str, dict[str, int]]:
    """{violation code: {"ordered": n, "penalised": n, "fines": total yuan}} in the user's scope."""
    from django.db.models import Sum

    # A district's proposal is no order until the city confirms it.
    qs = scoping.penalties_visible(user).exclude(state__in=("proposed", "returned"))
    if year:
        qs = qs.filter(ordered_on__year=year)
    rows = qs.values("violation__code").annotate(
        ordered=Count("pk"), penalised=Count("pk", filter=Q(state="penalised")), fines=Sum("fine")
    )
    return {
        r["violation__code"]: {"ordered": r["ordered"], "penalised": r["penalised"], "fines": r["fines"] or 0}
        for r in rows.order_by()
    }


# --- A case's oversight, for its page -------------------------------------------------------------------


def case_oversight(*, user, case) -> dict:
    """The penalties and accountability records of a case the user may see, and what the user may start
    from the case page (an order to correct, a record entered by hand)."""
    return {
        "penalties": list(
            scoping.penalties_visible(user)
            .filter(case=case)
            .select_related("violation")
            .order_by("-ordered_on")
        ),
        "accountability": list(scoping.accountability_visible(user).filter(case=case).order_by("-opened_at")),
        "may_penalise": scoping.may_penalise(user),
        "penalty_mode": scoping.penalty_mode(user, enterprise=case.enterprise),
        "may_open_accountability": scoping.may_open_accountability(user, case),
        "shown": scoping.may_see_accountability(user),
    }


def annual_warnings_open(*, user):
    """The late annual disclosure warnings in the user's scope whose year is still not submitted."""
    from qingshen.cases.models import AnnualDisclosure

    submitted = AnnualDisclosure.objects.filter(
        case=OuterRef("case"), year=OuterRef("year"), status=AnnualDisclosure.Status.SUBMITTED
    )
    return scoping.annual_warnings_visible(user).exclude(Exists(submitted))
