"""An import's two requests: the upload (checked, stored, queued for the row check) and the acceptance
of the preview (queued for the all-or-nothing write); and marking a batch failed."""

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from qingshen.core.files import spreadsheets
from qingshen.core.files.staging import file_stage, promote_on_commit
from qingshen.core.files.stored import removed_on_failure
from qingshen.programmes import scoping
from qingshen.programmes.errors import ProgrammeError
from qingshen.programmes.models import ImportBatch, Programme, import_upload_to
from qingshen.programmes.tasks import import_commit_task, import_validate_task
from qingshen.trail.services import event_record


def import_batch_create(*, programme: Programme, kind: str, upload, actor) -> ImportBatch:
    """Check the file's type and safety, store it, record the batch and queue the row check."""
    programme = Programme.objects.select_related("city").get(pk=programme.pk)
    if not scoping.may_import_list(actor, programme):
        raise ProgrammeError(_("You may not import into this list now."))
    if kind not in ImportBatch.Kind.values:
        raise ProgrammeError(_("Unknown kind of list."))
    if upload is None:
        raise ProgrammeError(_("Choose a file to upload."))
    if upload.size is not None and upload.size > settings.QINGSHEN_IMPORT_MAX_BYTES:
        raise ProgrammeError(
            _("The file is larger than the limit of %(limit)s.")
            % {"limit": filesizeformat(settings.QINGSHEN_IMPORT_MAX_BYTES)}
        )
    data = upload.read()
    try:
        spreadsheets.sniff(data, upload.name or "")
    except spreadsheets.FileRefused as exc:
        raise ProgrammeError(exc.message) from exc
    sha256 = hashlib.sha256(data).hexdigest()
    batch = ImportBatch(
        programme=programme,
        kind=kind,
        original_name=(upload.name or "")[:255],
        sha256=sha256,
        created_by=actor,
    )
    file_stage(batch.file, import_upload_to(batch, batch.original_name), ContentFile(data))
    with removed_on_failure() as stored:
        stored.add(batch.file)
        with transaction.atomic():
            batch.save()
            promote_on_commit(batch, "file")
            event_record(
                action="programme.import.upload",
                actor=actor,
                obj=batch,
                after={"programme": programme.pk, "kind": kind, "sha256": sha256, "size": len(data)},
            )
    transaction.on_commit(lambda: import_validate_task.enqueue(batch.pk))
    return batch


def import_batch_commit_request(*, batch: ImportBatch, actor, renames: set[int]) -> ImportBatch:
    """Accept the preview: check the decisions, then queue the all-or-nothing write."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().defer("rows").get(pk=batch.pk)
        if batch.created_by_id != actor.pk:
            raise ProgrammeError(_("Only the person who uploaded the file may import it."))
        if batch.status != ImportBatch.Status.READY:
            raise ProgrammeError(
                _("This file is not ready to import (%(s)s).") % {"s": batch.get_status_display()}
            )
        conflict_rows = {c["row"] for c in batch.conflicts}
        if not set(renames) <= conflict_rows:
            raise ProgrammeError(_("A rename was chosen for a row without a name conflict."))
        batch.status = ImportBatch.Status.COMMITTING
        batch.save(update_fields=["status"])
        ids, pk = sorted(renames), batch.pk
        transaction.on_commit(lambda: import_commit_task.enqueue(pk, ids))
    return batch


def import_batch_failed(*, batch_id: int, message: str) -> ImportBatch:
    """Nothing was written: the batch's report says why and asks for the file again."""
    batch = ImportBatch.objects.get(pk=batch_id)
    batch.status = ImportBatch.Status.INVALID
    batch.errors = [{"row": 0, "column": "", "problem": str(message), "fix": _("Upload the file again.")}]
    batch.save(update_fields=["status", "errors"])
    return batch
