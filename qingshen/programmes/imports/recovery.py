"""Putting an import right when the background worker stopped in the middle (jobs/reaper.py).

The import's write is one transaction, so a worker that died during it wrote nothing: the batch goes
back to "ready" with its checked rows, and its uploader imports it again from the same page without
uploading the file again. A check that died goes back to the queue (it writes nothing but its report),
once; a check that kills its worker again is given up with a message.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qingshen.programmes.models import ImportBatch
from qingshen.trail.services import event_record


def import_batch_interrupted(*, batch_id: int, during: str, losses: int) -> ImportBatch | None:
    """The worker stopped while the batch was `during` (validating or committing): put it back."""
    from qingshen.jobs.reaper import lost_retry_allowed
    from qingshen.programmes.tasks import import_validate_task

    batch = ImportBatch.objects.select_for_update().filter(pk=batch_id).first()
    if batch is None:
        return None
    before = batch.status
    S = ImportBatch.Status
    if during == S.COMMITTING and batch.status == S.COMMITTING:
        batch.status = S.READY
    elif during == S.VALIDATING and batch.status in (S.QUEUED, S.VALIDATING):
        if lost_retry_allowed(losses):
            batch.status, batch.processed_rows = S.QUEUED, 0
            transaction.on_commit(lambda: import_validate_task.enqueue(batch.pk))
        else:
            batch.status, batch.rows = S.INVALID, []
            batch.errors = [
                {
                    "row": 0,
                    "column": "",
                    "problem": _(
                        "Checking this file stopped the background worker %(n)s times; nothing was written."
                    )
                    % {"n": losses},
                    "fix": _("Split the file into smaller ones and upload them, or ask the administrator."),
                }
            ]
    else:
        return batch  # it got further than the lost job (or was put right already)
    batch.interrupted_at, batch.interrupted_during = timezone.now(), during
    batch.save(
        update_fields=["status", "processed_rows", "rows", "errors", "interrupted_at", "interrupted_during"]
    )
    event_record(
        action="programme.import.interrupted",
        actor_name="worker",
        obj=batch,
        before={"status": before},
        after={"status": batch.status, "during": during, "losses": losses},
    )
    return batch
