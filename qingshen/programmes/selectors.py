from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from qingshen.cases import scoping as cases_scoping
from qingshen.cases.kinds import LISTED_KINDS, CaseKind
from qingshen.cases.models import CaseDeadline, Delegation
from qingshen.programmes import scoping
from qingshen.programmes.models import DistrictProposal, Listing, Programme
from qingshen.registry import scoping as registry_scoping


def programme_list(*, user) -> QuerySet[Programme]:
    return (
        scoping.programmes_visible(user)
        .select_related("city")
        .annotate(
            listing_count=Count("listings", distinct=True),
            # The list's cases and the voluntary audits of the city's year, counted apart.
            case_count=Count("cases", distinct=True, filter=Q(cases__kind__in=sorted(LISTED_KINDS))),
            voluntary_count=Count("cases", distinct=True, filter=Q(cases__kind=CaseKind.VOLUNTARY)),
        )
        .order_by("-year", "city__name")
    )


def programme_get(*, user, pk: int) -> Programme | None:
    return scoping.programmes_visible(user).select_related("city", "published_by").filter(pk=pk).first()


def enterprises_addable(*, user, programme: Programme, within=None, plan: bool = False) -> QuerySet:
    """The enterprises the user may add to the programme's list (or, with `plan`, its plan list, 附件4):
    those the user sees (scoping), under the programme's city (or the jurisdiction `within`, e.g. one
    district's proposal), not on that list yet. Whether the user may add at all is scoping's
    may_add_listings / may_add_to_plan / may_amend_list, and each addition is checked again."""
    taken = programme.plan_entries if plan else programme.listings
    area = within if within is not None else programme.city
    return (
        registry_scoping.enterprises_visible(user)
        .filter(jurisdiction__path__startswith=area.path)
        .exclude(pk__in=taken.values("enterprise_id"))
        .order_by("name")
    )


def listings_of(*, user, programme: Programme):
    """The listings of a programme the user may see: a district sees its own enterprises only."""
    qs = programme.listings.select_related("enterprise__jurisdiction", "enterprise__industry", "case")
    return qs.filter(enterprise__in=registry_scoping.enterprises_visible(user).values("pk")).order_by(
        "enterprise__jurisdiction__path", "enterprise__name"
    )


def proposals_overview(*, user, programme: Programme) -> list[dict]:
    """Per district the user may see: the proposal's state, its count of listings, the city's comment."""
    districts = list(scoping.proposal_districts_visible(user, programme).order_by("sort_order", "path"))
    proposals = {p.district_id: p for p in programme.proposals.all()}
    counts = dict(
        programme.listings.values("enterprise__jurisdiction_id")
        .annotate(n=Count("pk"))
        .values_list("enterprise__jurisdiction_id", "n")
    )
    rows = []
    for d in districts:
        proposal = proposals.get(d.pk)
        rows.append(
            {
                "district": d,
                "status": proposal.status if proposal else DistrictProposal.Status.DRAFTING,
                "status_label": proposal.get_status_display()
                if proposal
                else DistrictProposal.Status.DRAFTING.label,
                "comment": proposal.comment if proposal else "",
                "submitted_at": proposal.submitted_at if proposal else None,
                "count": counts.get(d.pk, 0),
            }
        )
    return rows


def proposal_get(*, programme: Programme, district) -> DistrictProposal | None:
    return programme.proposals.filter(district=district).first()


def list_holder(programme: Programme, overview: list[dict]) -> tuple[str, list[str]]:
    """Who holds the list now, and what is missing before it can move on."""
    state = programme.list_state
    missing: list[str] = []
    if state == Programme.ListState.DRAFT:
        waiting = [
            r["district"].name
            for r in overview
            if r["status"] not in (DistrictProposal.Status.SUBMITTED, DistrictProposal.Status.MERGED)
        ]
        if waiting:
            missing.append(_("Proposals not yet submitted: %(d)s") % {"d": "、".join(waiting)})
        if not programme.listings.exists():
            missing.append(_("The list is empty."))
        if programme.return_comment:
            missing.append(_("Returned by the province: %(c)s") % {"c": programme.return_comment})
        holder = _("The districts and the city (drafting)")
    elif state == Programme.ListState.SUBMITTED:
        holder = _("The province (to confirm)")
    elif state == Programme.ListState.CONFIRMED:
        holder = _("The city (to publish)")
        missing.append(_("The publication date P."))
    else:
        holder = _("Published: amendments only")
    return str(holder), [str(m) for m in missing]


def _deadline_due(kind):
    return Subquery(CaseDeadline.objects.filter(case=OuterRef("pk"), kind=kind).values("due_on")[:1])


def _agency_now(today):
    """The agency the case is entrusted to today (the latest delegation in force), if any."""
    current = Delegation.objects.filter(
        case=OuterRef("pk"), revoked_at__isnull=True, starts_on__lte=today
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    return Subquery(current.order_by("-starts_on", "-pk").values("agency__name")[:1])


def carry_over_cases(*, user, programme: Programme, today=None) -> QuerySet:
    """附件2: cases of the city's earlier programmes not yet accepted, with why they may be re-listed."""
    from qingshen.cases.states import CLOSED_STATES, State

    today = today or timezone.localdate()
    failed = Q(
        state=State.AUDITING, evaluation_concluded_on__isnull=False, evaluation_passed_on__isnull=True
    ) | Q(state=State.IMPLEMENTING, acceptance_concluded_on__isnull=False, accepted_on__isnull=True)
    overdue = Q(next_due_on__lt=today)
    relisted = Listing.objects.filter(programme=programme, carried_from=OuterRef("pk"))
    return (
        cases_scoping.cases_visible(user)
        .filter(programme__city_id=programme.city_id, programme__year__lt=programme.year)
        # A voluntary audit left unfinished is the enterprise's own: it is never carried onto a list.
        .filter(kind__in=sorted(LISTED_KINDS))
        .exclude(state__in=CLOSED_STATES)
        .select_related("enterprise", "jurisdiction", "programme", "listing")
        .annotate(
            failed=ExpressionWrapper(failed, output_field=BooleanField()),
            overdue=ExpressionWrapper(overdue, output_field=BooleanField()),
            relisted=Exists(relisted),
        )
        .annotate(
            relistable=ExpressionWrapper((failed | overdue) & ~Exists(relisted), output_field=BooleanField())
        )
        .annotate(
            acceptance_deadline=_deadline_due(CaseDeadline.Kind.ACCEPTANCE_APPLY),
            agency_name=_agency_now(today),
        )
        .order_by("programme__year", "jurisdiction__path", "enterprise__name")
    )


def plan_entries_of(*, user, programme: Programme) -> QuerySet:
    return (
        programme.plan_entries.filter(enterprise__in=registry_scoping.enterprises_visible(user).values("pk"))
        .select_related("enterprise__jurisdiction", "enterprise__industry")
        .order_by("planned_year", "enterprise__jurisdiction__path", "enterprise__name")
    )


def amendments_of(*, user, programme: Programme) -> QuerySet:
    return (
        programme.amendments.filter(
            listing__enterprise__in=registry_scoping.enterprises_visible(user).values("pk")
        )
        .select_related("listing__enterprise", "created_by", "document")
        .order_by("-created_at")
    )


def plan_parts(*, user, programme: Programme) -> list[dict]:
    """Each district's part of the plan list (附件4) the user may see: its state, entries and comment."""
    from qingshen.programmes.models import PlanEntry, PlanSubmission

    districts = list(scoping.proposal_districts_visible(user, programme).order_by("sort_order", "path"))
    parts = {
        p.district_id: p for p in PlanSubmission.objects.filter(programme=programme, district__in=districts)
    }
    counts: dict[int, int] = {}
    grouped = (
        PlanEntry.objects.filter(programme=programme)
        .values_list("enterprise__jurisdiction__path")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for path, n in grouped:
        for d in districts:
            if path.startswith(d.path):
                counts[d.pk] = counts.get(d.pk, 0) + n
                break
    return [
        {
            "district": d,
            "part": parts.get(d.pk),
            "status": parts[d.pk].get_status_display()
            if d.pk in parts
            else PlanSubmission.Status.DRAFTING.label,
            "submitted": d.pk in parts and parts[d.pk].status == PlanSubmission.Status.SUBMITTED,
            "entries": counts.get(d.pk, 0),
        }
        for d in districts
    ]


# --- Progress returns -------------------------------------------------------------------------------


def progress_milestone_get(*, programme: Programme, pk: int):
    """A "progress report due" milestone of the programme (one the caller found in scope), or None."""
    from qingshen.programmes.models import Milestone

    return programme.milestones.filter(pk=pk, kind=Milestone.Kind.PROGRESS_REPORT_DUE).first()


def progress_board(*, programme: Programme, milestone, districts=None, today=None) -> list[dict]:
    """One row per district owing a return: the return (or None) and its status, `filed`, `filed_late`,
    `pending` (not filed, not yet due) or `late` (not filed, past the date)."""
    from qingshen.programmes.models import ProgressReturn

    today = today or timezone.localdate()
    districts = list(districts if districts is not None else scoping.progress_districts(programme))
    returns = {
        r.district_id: r
        for r in ProgressReturn.objects.filter(milestone=milestone, district__in=districts).select_related(
            "filed_by"
        )
    }
    rows = []
    for district in districts:
        record = returns.get(district.pk)
        if record is not None:
            status = "filed_late" if timezone.localdate(record.filed_at) > milestone.due_on else "filed"
        else:
            status = "late" if today > milestone.due_on else "pending"
        rows.append({"district": district, "return": record, "status": status})
    return rows


def progress_districts_missing(milestone) -> QuerySet:
    """The districts of the milestone's city with no return for it yet (for the reminders)."""
    return scoping.progress_districts(milestone.programme).exclude(
        pk__in=milestone.progress_returns.values("district_id")
    )


def live_programme_years(*, city) -> set[int]:
    """The years a city runs (or ran) in the system, not imported from before it."""
    return set(Programme.objects.filter(city=city, historical=False).values_list("year", flat=True))
