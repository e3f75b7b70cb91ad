"""Recomputing deadlines in bulk, for the periodic sweep.

A case's deadlines depend only on its step dates (recomputed at every transition), the time-limit
rules, the city's calendar rows and the holiday library. So the sweep recomputes only when one of
those changed since its last recompute (a fingerprint kept in the operation log), which keeps the
periodic run cheap however many cases there are; and when they did, the recompute is set-based (one
due date per rule and start date, written with one UPDATE per group), so it takes seconds, not hours.
"""

import hashlib
import json
from dataclasses import dataclass
from importlib.metadata import version

from django.db import transaction

from qingshen.cases.deadline_bulk import deadlines_recompute_open
from qingshen.procedures.workcalendar import WorkCalendar
from qingshen.trail.services import event_record

FINGERPRINT_ACTION = "case.deadlines.sweep"


@dataclass
class SweepResult:
    checked: int = 0
    changed: int = 0  # cases whose next deadline changed
    moved: int = 0  # deadlines whose due date moved
    skipped: bool = False


def deadline_inputs_fingerprint() -> str:
    """A digest of everything besides a case's own dates that its deadlines depend on."""
    from qingshen.procedures.models import CalendarDay, Rule

    inputs = [
        list(Rule.objects.order_by("code").values_list("code", "amount", "unit", "roll_forward")),
        list(CalendarDay.objects.order_by("date").values_list("date", "is_workday")),
        version("chinesecalendar"),
    ]
    return hashlib.sha256(json.dumps(inputs, default=str).encode()).hexdigest()


def _last_fingerprint() -> str | None:
    from qingshen.trail.models import Event

    last = (
        Event.objects.filter(action=FINGERPRINT_ACTION)
        .order_by("-id")
        .values_list("after", flat=True)
        .first()
    )
    return (last or {}).get("fingerprint")


def deadlines_sweep(*, force: bool = False) -> SweepResult:
    """Recompute every open case's deadlines, set-based (cases.deadline_bulk), in one transaction.

    Skipped when the rules, the calendar rows and the holiday library are as at the last recompute
    (unless `force`)."""
    fingerprint = deadline_inputs_fingerprint()
    if not force and fingerprint == _last_fingerprint():
        return SweepResult(skipped=True)
    with transaction.atomic():
        bulk = deadlines_recompute_open(calendar=WorkCalendar())
        result = SweepResult(checked=bulk.checked, changed=bulk.changed, moved=bulk.moved)
        event_record(
            action=FINGERPRINT_ACTION,
            actor_name="sweep",
            after={
                "fingerprint": fingerprint,
                "checked": result.checked,
                "changed": result.changed,
                "moved": result.moved,
            },
        )
    return result
