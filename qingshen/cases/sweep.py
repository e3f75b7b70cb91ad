"""Recomputing deadlines in bulk, for the periodic sweep."""

from dataclasses import dataclass

from django.db import transaction

from qingshen.oversight.workcalendar import WorkCalendar
from qingshen.trail.services import event_record

from .deadlines import deadlines_recompute
from .models import AuditCase
from .states import CLOSED_STATES


@dataclass
class SweepResult:
    checked: int = 0
    changed: int = 0


def deadlines_sweep(*, batch_size: int = 500) -> SweepResult:
    """Recompute each open case under its row lock, in batches; log only the cases whose dates moved."""
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
                before = {d.kind: (d.due_on, d.provisional) for d in case.deadlines.all()}
                rows = deadlines_recompute(case, calendar=calendar)
                after = {d.kind: (d.due_on, d.provisional) for d in rows}
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
    return result
