"""Checking an uploaded list file in the background: every row read and checked, the report and the
normalised rows kept on the batch. Writes nothing else.

The sheet is read one row at a time and checked in chunks: each chunk's registered enterprises come in
one query, and the checked rows go to the batch as JSON text every few chunks, so a file of 100,000
rows is never held whole in memory."""

import json
import re

from django.conf import settings
from django.db import connection, transaction
from django.db.models import JSONField, Value
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from qingshen.accounts.models import Jurisdiction
from qingshen.core.files import spreadsheets
from qingshen.programmes.imports import rows as list_rows
from qingshen.programmes.imports.batches import import_batch_failed
from qingshen.programmes.models import ImportBatch
from qingshen.programmes.plan import plan_years
from qingshen.registry import uscc as uscc_codes
from qingshen.registry.models import INDUSTRY_EDITION_DEFAULT, Enterprise, Industry

IMPORT_PROGRESS_EVERY = 500
LOOKUP_CHUNK = 900  # stays under SQLite's bound-parameter limit
CHECK_CHUNK = LOOKUP_CHUNK  # rows checked together: one registry query each
WRITE_ROWS = 10 * CHECK_CHUNK  # checked rows kept in memory before they are added to the batch
_CODE_FORM = re.compile(rf"[0-9A-Z]{{{uscc_codes.LENGTH}}}")


def import_batch_validate(*, batch_id: int) -> ImportBatch:
    """Read and check every row; keep the report and the normalised rows. Writes nothing else."""
    try:
        return _import_validate(batch_id)
    except Exception:
        import_batch_failed(
            batch_id=batch_id, message=_("The file could not be checked; nothing was written.")
        )
        raise


class _Refused(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def _import_validate(batch_id: int) -> ImportBatch:
    batch = ImportBatch.objects.select_related("programme__city", "created_by__jurisdiction").get(pk=batch_id)
    if batch.status != ImportBatch.Status.QUEUED:
        return batch
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.VALIDATING)
    try:
        with batch.file.open("rb") as fh:
            data = fh.read()
        try:
            kind = spreadsheets.sniff(data, batch.original_name)
            sheet = spreadsheets.SheetRows(data, kind)
            del data
            state, errors, conflicts, total = _check_sheet(batch, sheet)
        except spreadsheets.FileRefused as exc:
            raise _Refused(exc.message) from exc
    except _Refused as exc:
        state, errors, conflicts, total = (
            ImportBatch.Status.INVALID,
            [{"row": 0, "column": "", "problem": str(exc.message), "fix": ""}],
            [],
            0,
        )
    batch.status, batch.errors, batch.conflicts = state, errors, conflicts
    batch.total_rows = batch.processed_rows = total
    with transaction.atomic():
        batch.save(update_fields=["status", "errors", "conflicts", "total_rows", "processed_rows"])
        if state != ImportBatch.Status.READY:  # a file with errors keeps no rows
            ImportBatch.objects.filter(pk=batch.pk).update(rows=[])
    batch.__dict__.pop("rows", None)  # written piece by piece: read from the database if asked for
    return batch


def _header(lines) -> tuple[dict[str, int], int]:
    """The header's column per field and its row, from the first rows; refused when there is none."""
    scanned = 0
    for index, cells in lines:
        scanned = index
        header = list_rows.match_header(cells)
        if header:
            return header, index
        if index >= list_rows.HEADER_SCAN_ROWS:
            break
    if scanned == 0:
        raise _Refused(_("The sheet is empty."))
    raise _Refused(
        _(
            "No header row was recognised: the sheet needs the columns 企业名称, 统一社会信用代码 and 纳入类型."
        )
    )


def _check_sheet(batch: ImportBatch, sheet: spreadsheets.SheetRows):
    """(state, errors, rows as JSON text, conflicts, rows checked) of the whole sheet, chunk by chunk."""
    lines = enumerate(sheet, start=1)
    header, header_row = _header(lines)
    ctx = _context(batch)
    pk = batch.pk
    # The sheet's size is known before its rows are read: the progress bar has its end from the start.
    ImportBatch.objects.filter(pk=pk).update(total_rows=max(sheet.height - header_row, 0))
    seen: dict[str, tuple] = {}
    kept: list[str] = []  # the checked rows' JSON not yet written, a piece a chunk; none after an error
    written = False
    chunk: list[tuple[int, dict]] = []
    checked = body = 0
    last_district = ""

    def flush():
        nonlocal written
        if kept and not ctx.errors:
            _rows_append(pk, ",".join(kept), first=not written)
            written = True
        kept.clear()

    def check(chunk):
        nonlocal checked
        _registry_load(ctx, batch, chunk)
        rows = []
        for index, values in chunk:
            row = list_rows.validate_row(ctx, index, values, seen)
            if row is not None and not ctx.errors:
                rows.append(row)
        if ctx.errors:
            kept.clear()
        elif rows:
            kept.append(json.dumps(rows)[1:-1])
            if len(kept) * CHECK_CHUNK >= WRITE_ROWS:
                flush()
        checked += len(chunk)
        ImportBatch.objects.filter(pk=pk).update(processed_rows=checked)

    for index, cells in lines:
        body += 1
        if body > settings.QINGSHEN_IMPORT_MAX_ROWS:
            raise _Refused(
                _("The file has more than %(n)s rows; split it.") % {"n": settings.QINGSHEN_IMPORT_MAX_ROWS}
            )
        values = {f: (cells[i] if i < len(cells) else "") for f, i in header.items()}
        if not any(v for f, v in values.items() if f != "seq"):
            continue  # blank line
        # A district cell merged over several rows is only filled in the first.
        if values.get("district"):
            last_district = values["district"]
        elif "district" in header:
            values["district"] = last_district
        chunk.append((index, values))
        if len(chunk) == CHECK_CHUNK:
            check(chunk)
            chunk = []
    if chunk:
        check(chunk)
    flush()
    if not checked:
        raise _Refused(_("The sheet has a header but no rows."))
    state = ImportBatch.Status.INVALID if ctx.errors else ImportBatch.Status.READY
    return state, ctx.errors, ctx.conflicts, checked


def _rows_append(pk: int, items: str, *, first: bool) -> None:
    """Add the checked rows `items` (JSON array items, comma-separated) to the batch's rows, in the
    database: the whole file's rows are never one string here."""
    if first:
        ImportBatch.objects.filter(pk=pk).update(rows=Cast(Value(f"[{items}]"), JSONField()))
        return
    quote = connection.ops.quote_name
    table, rows, key = quote(ImportBatch._meta.db_table), quote("rows"), quote("id")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = f"UPDATE {table} SET {rows} = {rows} || %s::jsonb WHERE {key} = %s"  # noqa: S608 (the model's names)
            cursor.execute(sql, [f"[{items}]", pk])
        else:  # JSON stored as text: the array's closing bracket gives way to the new items
            sql = f"UPDATE {table} SET {rows} = substr({rows}, 1, length({rows}) - 1) || ',' || %s WHERE {key} = %s"  # noqa: S608
            cursor.execute(sql, [f"{items}]", pk])


def _context(batch: ImportBatch):
    actor, programme = batch.created_by, batch.programme
    user_path = actor.jurisdiction.path
    districts = {}
    for d in Jurisdiction.objects.filter(path__startswith=programme.city.path, level="district"):
        entry = {"id": d.pk, "path": d.path, "name": d.name, "in_scope": d.path.startswith(user_path)}
        districts[list_rows.squash(d.name)] = entry
        if d.code:
            districts[d.code] = entry
    industries = dict(Industry.objects.filter(edition=INDUSTRY_EDITION_DEFAULT).values_list("code", "pk"))
    source = programme.plan_entries if batch.kind == ImportBatch.Kind.PLAN else programme.listings
    on_list = set(source.values_list("enterprise_id", flat=True))
    return list_rows.Context(
        kind=batch.kind,
        plan_years=tuple(plan_years(programme.year)) if batch.kind == ImportBatch.Kind.PLAN else (),
        districts=districts,
        industries=industries,
        registry={},
        on_list=on_list,
        user_path=user_path,
    )


def _registry_load(ctx, batch: ImportBatch, chunk) -> None:
    """The registered enterprises of the chunk's codes, in one query: ctx.registry holds this chunk's.

    Only codes of the right form are looked up: the registry holds no other, and a malformed one (a NUL
    in it) must reach the row check, not the database."""
    codes = {uscc_codes.normalise(values.get("uscc", "")) for _index, values in chunk}
    codes = sorted(c for c in codes if _CODE_FORM.fullmatch(c))
    city_path = batch.programme.city.path
    ctx.registry = {}
    for start in range(0, len(codes), LOOKUP_CHUNK):
        for pk, code, name, jid, path in Enterprise.objects.filter(
            uscc__in=codes[start : start + LOOKUP_CHUNK]
        ).values_list("pk", "uscc", "name", "jurisdiction_id", "jurisdiction__path"):
            ctx.registry[code] = {
                "id": pk,
                "name": name,
                "district_id": jid,
                "in_scope": path.startswith(ctx.user_path) and path.startswith(city_path),
            }
