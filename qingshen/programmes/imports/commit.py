"""Writing a checked list file: every row in one transaction, or nothing (the batch's report says why).

Set-based: the new enterprises, their search keys and the listings (or plan entries) of the whole file
go in plain bulk inserts (core.bulk_rows), without an ORM object per row."""

import json
from collections.abc import Iterator

from django.db import connection, transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from qingshen.core.bulk_rows import column_defaults, rows_insert
from qingshen.programmes import scoping
from qingshen.programmes.errors import ProgrammeError
from qingshen.programmes.imports.batches import import_batch_failed
from qingshen.programmes.imports.validate import LOOKUP_CHUNK
from qingshen.programmes.models import ImportBatch, Listing, PlanEntry, Programme, lead_authority_for
from qingshen.registry.models import Enterprise
from qingshen.registry.search_key_services import search_keys_insert
from qingshen.registry.services import enterprise_update
from qingshen.trail.services import event_record

WRITE_CHUNK = 5000  # rows read and written together (core.bulk_rows sends at most as many a statement)
_BETWEEN = frozenset(" \t\r\n,")
ENTERPRISE_COLUMNS = ("name", "uscc", "jurisdiction_id", "industry_id")
LISTING_COLUMNS = (
    "programme_id",
    "enterprise_id",
    "grounds",
    "other_reason",
    "lead_authority",
    "note",
    "proposed_by_id",
)
PLAN_COLUMNS = ("programme_id", "enterprise_id", "planned_year", "grounds", "note", "proposed_by_id")


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
        .defer("rows")  # read piece by piece below
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
    plan = batch.kind == ImportBatch.Kind.PLAN
    source = programme.plan_entries if plan else programme.listings
    ids_on_list = set(source.values_list("enterprise_id", flat=True))
    for conflict in batch.conflicts:
        if conflict["row"] in renames:
            enterprise_update(
                actor=actor,
                enterprise=Enterprise.objects.get(uscc=conflict["uscc"]),
                name=conflict["file_name"],
            )
    now = timezone.now()
    model = PlanEntry if plan else Listing
    columns = PLAN_COLUMNS if plan else LISTING_COLUMNS
    defaults = column_defaults(model, columns, now)
    fixed = tuple(defaults.values())
    grounds_field = model._meta.get_field("grounds")
    prepared = {}  # a file has a handful of distinct grounds: each prepared for the database once

    def grounds_db(grounds):
        key = tuple(grounds)
        if key not in prepared:
            prepared[key] = (
                grounds_field.get_db_prep_save(list(grounds), connection),
                lead_authority_for(grounds),
            )
        return prepared[key]

    clash, created_codes, count = [], [], 0
    for chunk in _chunks(_stored_rows(batch.pk), WRITE_CHUNK):
        count += len(chunk)
        clash += [r["row"] for r in chunk if r["enterprise_id"] in ids_on_list]
        if clash:
            continue  # the rest is only read, for the message; the transaction undoes what was written
        created = _enterprises_register([r for r in chunk if r["enterprise_id"] is None], now)
        created_codes += created
        values = []
        for r in chunk:
            enterprise_id = r["enterprise_id"] or created[r["uscc"]]
            grounds, lead = grounds_db(r["grounds"])
            if plan:
                values.append(
                    (programme.pk, enterprise_id, r["planned_year"], grounds, r["note"], actor.pk, *fixed)
                )
            else:
                values.append(
                    (
                        programme.pk,
                        enterprise_id,
                        grounds,
                        r["other_reason"],
                        lead,
                        r["note"],
                        actor.pk,
                        *fixed,
                    )
                )
        rows_insert(model, (*columns, *defaults), values)
    if clash:
        raise ProgrammeError(
            _("Since the check, rows %(rows)s were put on the list by someone else.") % {"rows": clash[:20]}
        )
    batch.status = ImportBatch.Status.COMMITTED
    batch.created_count = count
    batch.rows = []
    batch.save(update_fields=["status", "created_count", "rows"])
    event_record(
        action="programme.import.commit",
        actor=actor,
        obj=batch,
        after={
            "programme": programme.pk,
            "kind": batch.kind,
            "rows": count,
            "enterprises_created": sorted(created_codes),
            "renamed": sorted(renames),
        },
    )
    return batch


def _stored_rows(batch_id: int) -> Iterator[dict]:
    """The batch's checked rows one by one from their JSON text: never all as Python objects at once."""
    text = (
        ImportBatch.objects.filter(pk=batch_id)
        .annotate(text=Cast("rows", TextField()))
        .values_list("text", flat=True)
        .get()
    )
    decoder, at = json.JSONDecoder(), text.index("[") + 1
    while True:
        while text[at] in _BETWEEN:
            at += 1
        if text[at] == "]":
            return
        row, at = decoder.raw_decode(text, at)
        yield row


def _chunks(items, size):
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _enterprises_register(rows: list[dict], now) -> dict[str, int]:
    """The rows' unregistered enterprises registered, with their public search keys: credit code → id."""
    if not rows:
        return {}
    defaults = column_defaults(Enterprise, ENTERPRISE_COLUMNS, now)
    rows_insert(
        Enterprise,
        (*ENTERPRISE_COLUMNS, *defaults),
        [(r["name"], r["uscc"], r["district_id"], r["industry_id"], *defaults.values()) for r in rows],
    )
    codes = [r["uscc"] for r in rows]
    created, names = {}, []
    for start in range(0, len(codes), LOOKUP_CHUNK):
        for pk, code, name in Enterprise.objects.filter(
            uscc__in=codes[start : start + LOOKUP_CHUNK]
        ).values_list("pk", "uscc", "name"):
            created[code] = pk
            names.append((pk, name))
    # A plain insert sends no post_save: the new enterprises get their search keys here.
    search_keys_insert(enterprises=names)
    return created
