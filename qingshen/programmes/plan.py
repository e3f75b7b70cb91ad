"""The plan list (附件4): the enterprises planned for the years after the programme's; no case is opened."""

from django.db import transaction
from django.utils.translation import gettext as _

from qingshen.procedures.rules import rule_get
from qingshen.programmes import scoping
from qingshen.programmes.errors import ProgrammeError
from qingshen.programmes.listings import grounds_clean
from qingshen.programmes.models import PlanEntry, Programme
from qingshen.programmes.seed import PLAN_YEARS_RULE
from qingshen.trail.services import event_record


def plan_years(programme_year: int) -> list[int]:
    """The years the plan list of a programme covers: as many after it as the rule `plan_list_years` says."""
    return [programme_year + n for n in range(1, rule_get(PLAN_YEARS_RULE["code"]).amount + 1)]


@transaction.atomic
def plan_entry_add(
    *, programme: Programme, enterprise, planned_year: int, grounds, actor, note: str = ""
) -> PlanEntry:
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if not scoping.may_propose_plan(actor, programme, enterprise):
        raise ProgrammeError(_("You may not add this enterprise to this programme's plan list."))
    years = plan_years(programme.year)
    if planned_year not in years:
        raise ProgrammeError(_("The plan list covers %(years)s.") % {"years": "、".join(map(str, years))})
    cleaned = grounds_clean(grounds, "-") if grounds else []
    if programme.plan_entries.filter(enterprise=enterprise).exists():
        raise ProgrammeError(_("%(name)s is already on the plan list.") % {"name": enterprise.name})
    entry = PlanEntry.objects.create(
        programme=programme,
        enterprise=enterprise,
        planned_year=planned_year,
        grounds=cleaned,
        note=note.strip(),
        proposed_by=actor,
    )
    event_record(
        action="programme.plan.add",
        actor=actor,
        obj=entry,
        after={"enterprise": enterprise.uscc, "planned_year": planned_year, "grounds": cleaned},
    )
    return entry
