"""A permit import's requests: the upload (checked, stored, queued for the row check), the acceptance of
the preview (queued for the all-or-nothing write), a batch marked failed, and putting a batch right when
the worker stopped in the middle. The history import's shape (programmes.history.batches)."""

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
from qingshen.programmes.models import PermitBatch
from qingshen.programmes.permit_batch_models import permit_upload_to
from qingshen.trail.services import event_record


def _too_large():
    return ProgrammeError(
        _("The file is larger than the limit of %(limit)s.")
        % {"limit": filesizeformat(settings.QINGSHEN_IMPORT_MAX_BYTES)}
    )


def permit_batch_create(*, upload, actor) -> PermitBatch:
    """Check the file's type and safety, store it, record the batch and queue the row check."""
    from qingshen.programmes.tasks import permit_validate_task

    jurisdiction = scoping.permit_import_jurisdiction(actor)
    if jurisdiction is None:
        raise ProgrammeError(_("You may not import discharge permits."))
    if upload is None:
        raise ProgrammeError(_("Choose a file to upload."))
    if upload.size is not None and upload.size > settings.QINGSHEN_IMPORT_MAX_BYTES:
        raise _too_large()
    data = upload.read(settings.QINGSHEN_IMPORT_MAX_BYTES + 1)
    if len(data) > settings.QINGSHEN_IMPORT_MAX_BYTES:
        raise _too_large()
    try:
        spreadsheets.sniff(data, upload.name or "")
    except spreadsheets.FileRefused as exc:
        raise ProgrammeError(exc.message) from exc
    sha256, sm3, size = file_digests(io.BytesIO(data))
    batch = PermitBatch(
        jurisdiction=jurisdiction,
        original_name=(upload.name or "")[:255],
        sha256=sha256,
        sm3=sm3,
        created_by=actor,
    )
    file_stage(batch.file, permit_upload_to(batch, batch.original_name), ContentFile(data))
    with removed_on_failure() as stored:
        stored.add(batch.file)
        with transaction.atomic():
            batch.save()
            promote_on_commit(batch, "file")
            event_record(
                action="programme.permits.upload",
                actor=actor,
                obj=batch,
                after={"jurisdiction": jurisdiction.pk, "sha256": sha256, "sm3": sm3, "size": size},
            )
    transaction.on_commit(lambda: permit_validate_task.enqueue(batch.pk))
    return batch


def permit_batch_commit_request(*, batch: PermitBatch, actor) -> PermitBatch:
    """Accept the preview: queue the all-or-nothing write."""
    from qingshen.programmes.tasks import permit_commit_task

    with transaction.atomic():
        batch = PermitBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.created_by_id != actor.pk:
            raise ProgrammeError(_("Only the person who uploaded the file may import it."))
        if batch.status != PermitBatch.Status.READY:
            raise ProgrammeError(
                _("This file is not ready to import (%(s)s).") % {"s": batch.get_status_display()}
            )
        batch.status = PermitBatch.Status.COMMITTING
        batch.save(update_fields=["status"])
        transaction.on_commit(lambda: permit_commit_task.enqueue(batch.pk))
    return batch


def permit_batch_failed(*, batch_id: int, message: str) -> PermitBatch:
    """Nothing was written: the batch's report says why and asks for the file again."""
    batch = PermitBatch.objects.get(pk=batch_id)
    batch.status, batch.rows = PermitBatch.Status.INVALID, []
    batch.errors = [{"row": 0, "column": "", "problem": str(message), "fix": _("Upload the file again.")}]
    batch.save(update_fields=["status", "errors", "rows"])
    return batch


def permit_batch_interrupted(*, batch_id: int, during: str, losses: int) -> PermitBatch | None:
    """The worker stopped while the batch was `during`: the write is one transaction, so nothing was
    written; a commit goes back to ready, a check back to the queue once (then the batch fails)."""
    from qingshen.jobs.reaper import lost_retry_allowed
    from qingshen.programmes.tasks import permit_validate_task

    batch = PermitBatch.objects.select_for_update().filter(pk=batch_id).first()
    if batch is None:
        return None
    S, before = PermitBatch.Status, batch.status
    if during == S.COMMITTING and batch.status == S.COMMITTING:
        batch.status = S.READY
    elif during == S.VALIDATING and batch.status in (S.QUEUED, S.VALIDATING):
        if lost_retry_allowed(losses):
            batch.status, batch.processed_rows = S.QUEUED, 0
            transaction.on_commit(lambda: permit_validate_task.enqueue(batch.pk))
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
        action="programme.permits.interrupted",
        actor_name="worker",
        obj=batch,
        before={"status": before},
        after={"status": batch.status, "during": during, "losses": losses},
    )
    return batch
