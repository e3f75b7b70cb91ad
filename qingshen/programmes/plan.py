"""The plan list (附件4): the enterprises planned for the years after the programme's; no case is opened.

Districts add their own enterprises and send their part to the city, which returns it with a comment
or merges it; the city's own entries are on the list at once. It takes entries until its milestone
(plan_window), after the annual list is published."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qingshen.procedures.rules import rule_get
from qingshen.programmes import scoping
from qingshen.programmes.errors import ProgrammeError
from qingshen.programmes.listings import grounds_clean
from qingshen.programmes.models import PlanEntry, PlanSubmission, Programme
from qingshen.programmes.plan_window import plan_closes_on, plan_open
from qingshen.programmes.seed import PLAN_YEARS_RULE
from qingshen.trail.services import event_record

Status = PlanSubmission.Status


def plan_years(programme_year: int) -> list[int]:
    """The years the plan list of a programme covers: as many after it as the rule `plan_list_years` says."""
    return [programme_year + n for n in range(1, rule_get(PLAN_YEARS_RULE["code"]).amount + 1)]


def _closed_error(programme) -> ProgrammeError:
    closes = plan_closes_on(programme)
    if closes is None:
        return ProgrammeError(_("The plan list closed when the annual list was published."))
    return ProgrammeError(_("The plan list closed on %(date)s.") % {"date": f"{closes:%Y-%m-%d}"})


@transaction.atomic
def plan_entry_add(
    *, programme: Programme, enterprise, planned_year: int, grounds, actor, note: str = ""
) -> PlanEntry:
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if not plan_open(programme):
        raise _closed_error(programme)
    if not scoping.may_propose_plan(actor, programme, enterprise):
        raise ProgrammeError(_("You may not add this enterprise to this programme's plan list."))
    years = plan_years(programme.year)
    if planned_year not in years:
        raise ProgrammeError(_("The plan list covers %(years)s.") % {"years": "、".join(map(str, years))})
    cleaned = grounds_clean(grounds, "-") if grounds else []
    if programme.plan_entries.filter(enterprise=enterprise).exists():
        raise ProgrammeError(_("%(name)s is already on the plan list.") % {"name": enterprise.name})
    by_city = scoping.may_manage_programme(actor, programme)
    entry = PlanEntry.objects.create(
        programme=programme,
        enterprise=enterprise,
        planned_year=planned_year,
        grounds=cleaned,
        note=note.strip(),
        proposed_by=actor,
        merged_at=timezone.now() if by_city else None,
    )
    event_record(
        action="programme.plan.add",
        actor=actor,
        obj=entry,
        after={"enterprise": enterprise.uscc, "planned_year": planned_year, "grounds": cleaned},
    )
    return entry


def _part_locked(programme, district) -> PlanSubmission:
    part, _created = PlanSubmission.objects.get_or_create(programme=programme, district=district)
    return PlanSubmission.objects.select_for_update().get(pk=part.pk)


def district_plan_entries(programme, district):
    return programme.plan_entries.filter(enterprise__jurisdiction__path__startswith=district.path)


@transaction.atomic
def plan_submit(*, programme: Programme, district, actor) -> PlanSubmission:
    """The district sends its part of the plan list to the city (none to plan is an answer too)."""
    if not scoping.may_submit_plan(actor, programme, district):
        if not plan_open(programme):
            raise _closed_error(programme)
        raise ProgrammeError(_("Your district's part of the plan list cannot be sent now."))
    part = _part_locked(programme, district)
    if not part.open_to_district:
        raise ProgrammeError(_("Your district's part of the plan list was sent already."))
    part.status, part.submitted_at, part.comment = Status.SUBMITTED, timezone.now(), ""
    part.save(update_fields=["status", "submitted_at", "comment"])
    event_record(
        action="programme.plan.submit",
        actor=actor,
        obj=part,
        after={"district": district.pk, "entries": district_plan_entries(programme, district).count()},
    )
    return part


@transaction.atomic
def plan_return(*, programme: Programme, district, actor, comment: str) -> PlanSubmission:
    """The city sends a district's part back with what to put right."""
    comment = (comment or "").strip()
    if not scoping.may_decide_plan(actor, programme):
        raise ProgrammeError(_("Only the city bureau returns or merges the districts' plans."))
    if not comment:
        raise ProgrammeError(_("Say what the district should put right."))
    part = _part_locked(programme, district)
    if part.status != Status.SUBMITTED:
        raise ProgrammeError(_("Only a plan the district has sent can be returned or merged."))
    if not plan_open(programme):
        raise _closed_error(programme)
    part.status, part.comment, part.decided_at = Status.RETURNED, comment, timezone.now()
    part.save(update_fields=["status", "comment", "decided_at"])
    event_record(
        action="programme.plan.return",
        actor=actor,
        obj=part,
        after={"district": district.pk, "comment": comment},
    )
    return part


@transaction.atomic
def plan_merge(*, programme: Programme, district, actor) -> PlanSubmission:
    """The city takes a district's part into its plan list (also after the list closed)."""
    if not scoping.may_decide_plan(actor, programme):
        raise ProgrammeError(_("Only the city bureau returns or merges the districts' plans."))
    part = _part_locked(programme, district)
    if part.status != Status.SUBMITTED:
        raise ProgrammeError(_("Only a plan the district has sent can be returned or merged."))
    now = timezone.now()
    merged = district_plan_entries(programme, district).filter(merged_at__isnull=True).update(merged_at=now)
    part.status, part.decided_at = Status.MERGED, now
    part.save(update_fields=["status", "decided_at"])
    event_record(
        action="programme.plan.merge",
        actor=actor,
        obj=part,
        after={"district": district.pk, "entries": merged},
    )
    return part
