"""A programme's milestones "evaluations done by" / "acceptances done by" as deadlines of its open cases.

Called when the list is published (the cases open), when a case is added by amendment, and when a
milestone is added or edited; the rows are the cases' (cases.milestone_deadlines writes them)."""

from django.utils.translation import gettext as _

from qingshen.cases.milestone_deadlines import (
    milestone_binds,
    milestone_deadline_count,
    milestone_deadlines_set,
)
from qingshen.programmes.errors import ProgrammeError
from qingshen.programmes.models import Milestone, Programme


def milestone_cases_bind(milestone: Milestone, *, actor=None) -> dict[str, int]:
    if not milestone_binds(milestone.kind):
        return {}
    return milestone_deadlines_set(
        programme_id=milestone.programme_id,
        milestone_id=milestone.pk,
        milestone_kind=milestone.kind,
        name=milestone.name,
        due_on=milestone.due_on,
        actor=actor,
    )


def programme_cases_bind(programme: Programme, *, actor=None) -> None:
    """Every binding milestone of the programme on every open case that lacks it."""
    kinds = [k for k in Milestone.Kind.values if milestone_binds(k)]
    for milestone in programme.milestones.filter(kind__in=kinds).order_by("pk"):
        milestone_cases_bind(milestone, actor=actor)


def milestone_unbind_check(milestone: Milestone, *, new_kind: str | None = None) -> None:
    """A milestone that is already a deadline of cases keeps its kind and stays (case data is kept):
    only its date and name may change."""
    if not milestone_binds(milestone.kind) or new_kind == milestone.kind:
        return
    n = milestone_deadline_count(milestone.pk)
    if n:
        raise ProgrammeError(
            _(
                "This milestone is a deadline of %(n)d cases: its date and name may change, "
                "but it cannot be removed or given another kind."
            )
            % {"n": n},
            field="kind" if new_kind is not None else "",
        )
