"""Writing a checked permit export: every permit in one transaction, or nothing (the report says why).
A permit already as in the file is left alone, so the same export imported again changes nothing."""

from django.db import transaction
from django.utils.translation import gettext as _

from qingshen.programmes.errors import ProgrammeError
from qingshen.programmes.models import PermitBatch
from qingshen.programmes.permits.batches import permit_batch_failed
from qingshen.registry.models import Enterprise
from qingshen.registry.permits import permits_import_write
from qingshen.registry.services import RegistryError
from qingshen.trail.services import event_record


def permit_batch_commit(*, batch_id: int) -> PermitBatch:
    try:
        with transaction.atomic():
            return _commit(batch_id)
    except (ProgrammeError, RegistryError) as exc:
        return permit_batch_failed(batch_id=batch_id, message=exc.message)
    except Exception:
        permit_batch_failed(
            batch_id=batch_id, message=_("The import failed unexpectedly; nothing was written.")
        )
        raise


def _commit(batch_id: int) -> PermitBatch:
    batch = (
        PermitBatch.objects.select_for_update().select_related("jurisdiction", "created_by").get(pk=batch_id)
    )
    if batch.status != PermitBatch.Status.COMMITTING:
        return batch
    ids = {r["enterprise_id"] for r in batch.rows}
    # The enterprises are locked and their jurisdiction asked again: one moved away since the check fails the file.
    inside = set(
        Enterprise.objects.select_for_update()
        .filter(pk__in=ids, jurisdiction__path__startswith=batch.jurisdiction.path)
        .values_list("pk", flat=True)
    )
    if inside != ids:
        raise ProgrammeError(
            _("Since the check, an enterprise of the file left your jurisdiction or was removed.")
        )
    created, changed = permits_import_write(actor=batch.created_by, permits=batch.rows)
    batch.status, batch.created_count, batch.changed_count = PermitBatch.Status.COMMITTED, created, changed
    batch.save(update_fields=["status", "created_count", "changed_count"])
    event_record(
        action="programme.permits.commit",
        actor=batch.created_by,
        obj=batch,
        after={"permits": len(batch.rows), "created": created, "changed": changed, "sha256": batch.sha256},
    )
    return batch
