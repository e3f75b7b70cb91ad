"""A history import's requests: the upload (checked, stored, queued for the row check), the acceptance
of the preview (queued for the all-or-nothing write), a batch marked failed, and putting a batch right
when the worker stopped in the middle (as the list import does, imports/recovery.py)."""

import io

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from qingshen.core.files import spreadsheets
from qingshen.core.files.digests import file_digests
from qingshen.core.files.staging import file_stage, promote_on_commit
from qingshen.core.files.stored import removed_on_failure
from qingshen.programmes import scoping
from qingshen.programmes.errors import ProgrammeError
from qingshen.programmes.models import HistoryBatch, history_upload_to
from qingshen.trail.services import event_record


def history_batch_create(*, upload, actor) -> HistoryBatch:
    """Check the file's type and safety, store it, record the batch and queue the row check."""
    from qingshen.programmes.tasks import history_validate_task

    city = scoping.history_city(actor)
    if city is None:
        raise ProgrammeError(_("You may not import earlier years."))
    if upload is None:
        raise ProgrammeError(_("Choose a file to upload."))
    if upload.size is not None and upload.size > settings.QINGSHEN_IMPORT_MAX_BYTES:
        raise ProgrammeError(
            _("The file is larger than the limit of %(limit)s.")
            % {"limit": filesizeformat(settings.QINGSHEN_IMPORT_MAX_BYTES)}
        )
    data = upload.read(settings.QINGSHEN_IMPORT_MAX_BYTES + 1)
    if len(data) > settings.QINGSHEN_IMPORT_MAX_BYTES:
        raise ProgrammeError(
            _("The file is larger than the limit of %(limit)s.")
            % {"limit": filesizeformat(settings.QINGSHEN_IMPORT_MAX_BYTES)}
        )
    try:
        spreadsheets.sniff(data, upload.name or "")
    except spreadsheets.FileRefused as exc:
        raise ProgrammeError(exc.message) from exc
    sha256, sm3, size = file_digests(io.BytesIO(data))
    batch = HistoryBatch(
        city=city, original_name=(upload.name or "")[:255], sha256=sha256, sm3=sm3, created_by=actor
    )
    file_stage(batch.file, history_upload_to(batch, batch.original_name), ContentFile(data))
    with removed_on_failure() as stored:
        stored.add(batch.file)
        with transaction.atomic():
            batch.save()
            promote_on_commit(batch, "file")
            event_record(
                action="programme.history.upload",
                actor=actor,
                obj=batch,
                after={"city": city.pk, "sha256": sha256, "sm3": sm3, "size": size},
            )
    transaction.on_commit(lambda: history_validate_task.enqueue(batch.pk))
    return batch


def history_batch_commit_request(*, batch: HistoryBatch, actor, renames=()) -> HistoryBatch:
    """Accept the preview: queue the all-or-nothing write. `renames` are the credit codes of the name
    conflicts whose file name replaces the registry's (the others keep the registry's)."""
    from qingshen.programmes.tasks import history_commit_task

    with transaction.atomic():
        batch = HistoryBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.created_by_id != actor.pk:
            raise ProgrammeError(_("Only the person who uploaded the file may import it."))
        if batch.status != HistoryBatch.Status.READY:
            raise ProgrammeError(
                _("This file is not ready to import (%(s)s).") % {"s": batch.get_status_display()}
            )
        if not set(renames) <= {c["uscc"] for c in batch.conflicts}:
            raise ProgrammeError(_("A rename was chosen for an enterprise without a name conflict."))
        batch.status = HistoryBatch.Status.COMMITTING
        batch.save(update_fields=["status"])
        codes = sorted(renames)
        transaction.on_commit(lambda: history_commit_task.enqueue(batch.pk, codes))
    return batch


def history_batch_failed(*, batch_id: int, message: str) -> HistoryBatch:
    """Nothing was written: the batch's report says why and asks for the file again."""
    batch = HistoryBatch.objects.get(pk=batch_id)
    batch.status, batch.rows = HistoryBatch.Status.INVALID, []
    batch.errors = [{"row": 0, "column": "", "problem": str(message), "fix": _("Upload the file again.")}]
    batch.save(update_fields=["status", "errors", "rows"])
    return batch


def history_batch_interrupted(*, batch_id: int, during: str, losses: int) -> HistoryBatch | None:
    """The worker stopped while the batch was `during` (validating or committing): put it back. The
    write is one transaction, so nothing was written; a check goes back to the queue once."""
    from qingshen.jobs.reaper import lost_retry_allowed
    from qingshen.programmes.tasks import history_validate_task

    batch = HistoryBatch.objects.select_for_update().filter(pk=batch_id).first()
    if batch is None:
        return None
    S, before = HistoryBatch.Status, batch.status
    if during == S.COMMITTING and batch.status == S.COMMITTING:
        batch.status = S.READY
    elif during == S.VALIDATING and batch.status in (S.QUEUED, S.VALIDATING):
        if lost_retry_allowed(losses):
            batch.status, batch.processed_rows = S.QUEUED, 0
            transaction.on_commit(lambda: history_validate_task.enqueue(batch.pk))
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
        return batch
    batch.interrupted_at, batch.interrupted_during = timezone.now(), during
    batch.save(
        update_fields=["status", "processed_rows", "rows", "errors", "interrupted_at", "interrupted_during"]
    )
    event_record(
        action="programme.history.interrupted",
        actor_name="worker",
        obj=batch,
        before={"status": before},
        after={"status": batch.status, "during": during, "losses": losses},
    )
    return batch
