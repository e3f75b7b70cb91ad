"""Recomputing deadlines in bulk, for the periodic sweep.

A case's deadlines depend only on its step dates (recomputed at every transition), the time-limit
rules, the city's calendar rows and the holiday library. So the sweep recomputes only when one of
those changed since its last recompute (a fingerprint kept in the operation log), which keeps the
periodic run cheap however many cases there are.
"""

import hashlib
import json
from dataclasses import dataclass
from importlib.metadata import version

from django.db import transaction

from qingshen.cases.deadlines import deadlines_recompute
from qingshen.cases.models import AuditCase
from qingshen.cases.states import CLOSED_STATES
from qingshen.procedures.workcalendar import WorkCalendar
from qingshen.trail.services import event_record

FINGERPRINT_ACTION = "case.deadlines.sweep"


@dataclass
class SweepResult:
    checked: int = 0
    changed: int = 0
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


def _key(deadline) -> str:
    """A deadline's name in the log: its duty, with the milestone for a programme date."""
    return f"{deadline.kind}:{deadline.milestone_id}" if deadline.milestone_id else deadline.kind


def deadlines_sweep(*, batch_size: int = 500, force: bool = False) -> SweepResult:
    """Recompute each open case under its row lock, in batches; log only the cases whose dates moved.

    Skipped when the rules, the calendar rows and the holiday library are as at the last recompute
    (unless `force`)."""
    fingerprint = deadline_inputs_fingerprint()
    if not force and fingerprint == _last_fingerprint():
        return SweepResult(skipped=True)
    result = SweepResult()
    calendar = WorkCalendar()
    ids = list(AuditCase.objects.exclude(state__in=CLOSED_STATES).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        with transaction.atomic():
            batch = (
                AuditCase.objects.select_for_update(of=("self",))
                .filter(pk__in=ids[start : start + batch_size])
                .prefetch_related("deadlines")
            )
            for case in batch:
                result.checked += 1
                before = {_key(d): (d.due_on, d.provisional) for d in case.deadlines.all()}
                rows = deadlines_recompute(case, calendar=calendar)
                after = {_key(d): (d.due_on, d.provisional) for d in rows}
                if after != before:
                    case.save(update_fields=["next_due_on", "next_due_kind"])
                    event_record(
                        action="case.deadlines.recompute",
                        obj=case,
                        actor_name="sweep",
                        before={k: list(v) for k, v in before.items()},
                        after={k: list(v) for k, v in after.items()},
                    )
                    result.changed += 1
    event_record(
        action=FINGERPRINT_ACTION,
        actor_name="sweep",
        after={"fingerprint": fingerprint, "checked": result.checked, "changed": result.changed},
    )
    return result
