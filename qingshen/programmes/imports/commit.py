"""Writing a checked list file: every row in one transaction, or nothing (the batch's report says why)."""

from django.db import transaction
from django.utils.translation import gettext as _

from qingshen.programmes import scoping
from qingshen.programmes.errors import ProgrammeError
from qingshen.programmes.imports.batches import import_batch_failed
from qingshen.programmes.models import ImportBatch, Listing, PlanEntry, Programme, lead_authority_for
from qingshen.registry.models import Enterprise
from qingshen.registry.search_key_services import search_keys_rebuild
from qingshen.registry.services import enterprise_update
from qingshen.trail.services import event_record


def import_batch_commit(*, batch_id: int, renames: list[int]) -> ImportBatch:
    """Write every row of a checked file in one transaction, or nothing (the report says why)."""
    try:
        with transaction.atomic():
            return _import_commit(batch_id, set(renames))
    except ProgrammeError as exc:
        return import_batch_failed(batch_id=batch_id, message=exc.message)
    except Exception:
        # Nothing was written (the transaction rolled back); the page must not spin for ever.
        import_batch_failed(
            batch_id=batch_id, message=_("The import failed unexpectedly; nothing was written.")
        )
        raise


def _import_commit(batch_id: int, renames: set[int]) -> ImportBatch:
    batch = (
        ImportBatch.objects.select_for_update(of=("self",))
        .select_related("created_by__jurisdiction")
        .get(pk=batch_id)
    )
    if batch.status != ImportBatch.Status.COMMITTING:
        return batch
    actor = batch.created_by
    programme = (
        Programme.objects.select_for_update(of=("self",)).select_related("city").get(pk=batch.programme_id)
    )
    if not scoping.may_import_list(actor, programme):
        raise ProgrammeError(_("The list is no longer open for import."))
    rows = batch.rows
    source = programme.plan_entries if batch.kind == ImportBatch.Kind.PLAN else programme.listings
    ids_on_list = set(source.values_list("enterprise_id", flat=True))
    clash = [r["row"] for r in rows if r["enterprise_id"] in ids_on_list]
    if clash:
        raise ProgrammeError(
            _("Since the check, rows %(rows)s were put on the list by someone else.") % {"rows": clash[:20]}
        )
    new = [
        Enterprise(
            name=r["name"],
            uscc=r["uscc"],
            jurisdiction_id=r["district_id"],
            industry_id=r["industry_id"],
        )
        for r in rows
        if r["enterprise_id"] is None
    ]
    Enterprise.objects.bulk_create(new, batch_size=1000)
    created = (
        {e.uscc: e.pk for e in Enterprise.objects.filter(uscc__in=[e.uscc for e in new]).only("pk", "uscc")}
        if new and not new[0].pk
        else {e.uscc: e.pk for e in new}
    )
    if new:  # bulk_create sends no post_save: give the new enterprises their public search keys
        search_keys_rebuild(enterprises=Enterprise.objects.filter(pk__in=created.values()).only("pk", "name"))
    for conflict in batch.conflicts:
        if conflict["row"] in renames:
            enterprise_update(
                actor=actor,
                enterprise=Enterprise.objects.get(uscc=conflict["uscc"]),
                name=conflict["file_name"],
            )
    if batch.kind == ImportBatch.Kind.PLAN:
        PlanEntry.objects.bulk_create(
            (
                PlanEntry(
                    programme=programme,
                    enterprise_id=r["enterprise_id"] or created[r["uscc"]],
                    planned_year=r["planned_year"],
                    grounds=r["grounds"],
                    note=r["note"],
                    proposed_by=actor,
                )
                for r in rows
            ),
            batch_size=1000,
        )
    else:
        Listing.objects.bulk_create(
            (
                Listing(
                    programme=programme,
                    enterprise_id=r["enterprise_id"] or created[r["uscc"]],
                    grounds=r["grounds"],
                    other_reason=r["other_reason"],
                    lead_authority=lead_authority_for(r["grounds"]),
                    note=r["note"],
                    proposed_by=actor,
                )
                for r in rows
            ),
            batch_size=1000,
        )
    batch.status = ImportBatch.Status.COMMITTED
    batch.created_count = len(rows)
    batch.rows = []
    batch.save(update_fields=["status", "created_count", "rows"])
    event_record(
        action="programme.import.commit",
        actor=actor,
        obj=batch,
        after={
            "programme": programme.pk,
            "kind": batch.kind,
            "rows": len(rows),
            "enterprises_created": sorted(created),
            "renamed": sorted(renames),
        },
    )
    return batch
