"""When the plan list (附件4) takes entries: until its own milestone, which falls after publication
(Chongqing published its 2021 list on 2/8 and asked for the plan by 3/19, domain.md §8)."""

import datetime

from django.utils import timezone


def plan_closes_on(programme) -> datetime.date | None:
    """The programme's "plan list due" milestone (the earliest, if several); None without one."""
    from qingshen.programmes.models import Milestone

    return (
        programme.milestones.filter(kind=Milestone.Kind.PLAN_LIST_DUE)
        .order_by("due_on")
        .values_list("due_on", flat=True)
        .first()
    )


def plan_open(programme, today: datetime.date | None = None) -> bool:
    """Open until the end of its milestone's day; a programme without that milestone keeps the plan
    open until the annual list is published, as the list's own proposals are."""
    closes = plan_closes_on(programme)
    if closes is None:
        return programme.list_state != programme.ListState.PUBLISHED
    return (today or timezone.localdate()) <= closes
