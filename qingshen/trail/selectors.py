"""Reading the operation log: the auditor's page, newest first, at the same cost at any depth.

Keyset pagination on (at, id), the log's order and its index: a page is the rows just older (or
newer) than the row named in the link, so no OFFSET walks the rows before it and no COUNT(*) counts
them. The total of the unfiltered log comes from the chain head (every row since the anchor).
"""

from dataclasses import dataclass

from django.db.models import Q

from qingshen.trail.models import ChainHead, Event


@dataclass
class EventPage:
    events: list[Event]
    newer: int | None  # the id to link "newer" with (before/after the rows shown), None on the first page
    older: int | None
    total: int | None  # rows in the whole log when unfiltered; None when filtered (it would cost a COUNT)

    def __iter__(self):
        return iter(self.events)

    @property
    def has_other_pages(self) -> bool:
        return self.newer is not None or self.older is not None


def _cursor(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


def events_page(*, size: int, action: str = "", before=None, after=None, oldest: bool = False) -> EventPage:
    """`size` rows older than event `before`, or newer than event `after`, or the oldest ones, or the
    newest; a cursor that names no row (bad input, a pruned row) gives the newest page."""
    qs = Event.objects.select_related("actor")
    if action:
        qs = qs.filter(action__startswith=action)
    before, after = _cursor(before), _cursor(after)
    pivot = None
    if before or after:
        pivot = Event.objects.filter(pk=before or after).values_list("at", "id").first()
    if pivot is not None and before:
        at, pk = pivot
        rows = list(
            qs.filter(Q(at__lt=at) | Q(at=at, id__lt=pk), at__lte=at).order_by("-at", "-id")[: size + 1]
        )
        more_older, more_newer = len(rows) > size, True
        events = rows[:size]
    elif pivot is not None or oldest:
        if pivot is not None:
            at, pk = pivot
            qs = qs.filter(Q(at__gt=at) | Q(at=at, id__gt=pk), at__gte=at)
        rows = list(qs.order_by("at", "id")[: size + 1])
        more_newer, more_older = len(rows) > size, pivot is not None
        events = rows[:size][::-1]
    else:
        rows = list(qs.order_by("-at", "-id")[: size + 1])
        more_older, more_newer = len(rows) > size, False
        events = rows[:size]
    total = None
    if not action:
        head = ChainHead.objects.filter(pk=1).values_list("seq", "anchor_seq").first()
        total = head[0] - head[1] + 1 if head else 0
    return EventPage(
        events=events,
        newer=events[0].pk if events and more_newer else None,
        older=events[-1].pk if events and more_older else None,
        total=total,
    )
