"""Checking an uploaded list file in the background: every row read and checked, the report and the
normalised rows kept on the batch. Writes nothing else."""

from django.conf import settings
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


def import_batch_validate(*, batch_id: int) -> ImportBatch:
    """Read and check every row; keep the report and the normalised rows. Writes nothing else."""
    try:
        return _import_validate(batch_id)
    except Exception:
        import_batch_failed(
            batch_id=batch_id, message=_("The file could not be checked; nothing was written.")
        )
        raise


def _import_validate(batch_id: int) -> ImportBatch:
    batch = ImportBatch.objects.select_related("programme__city", "created_by__jurisdiction").get(pk=batch_id)
    if batch.status != ImportBatch.Status.QUEUED:
        return batch
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.VALIDATING)

    def finish(state, errors, rows=(), conflicts=(), total=0):
        batch.status, batch.errors, batch.rows, batch.conflicts = state, errors, list(rows), list(conflicts)
        batch.total_rows = batch.processed_rows = total
        batch.save(update_fields=["status", "errors", "rows", "conflicts", "total_rows", "processed_rows"])
        return batch

    def refused(message):
        return finish(
            ImportBatch.Status.INVALID, [{"row": 0, "column": "", "problem": str(message), "fix": ""}]
        )

    with batch.file.open("rb") as fh:
        data = fh.read()
    try:
        kind = spreadsheets.sniff(data, batch.original_name)
        header, body, header_row = None, [], 0
        for index, cells in enumerate(spreadsheets.rows_of(data, kind), start=1):
            if header is None:
                if index > list_rows.HEADER_SCAN_ROWS:
                    break
                header = list_rows.match_header(cells) or None
                header_row = index
                continue
            body.append((index, cells))
            if len(body) > settings.QINGSHEN_IMPORT_MAX_ROWS:
                return refused(
                    _("The file has more than %(n)s rows; split it.")
                    % {"n": settings.QINGSHEN_IMPORT_MAX_ROWS}
                )
    except spreadsheets.FileRefused as exc:
        return refused(exc.message)
    if header is None:
        if header_row == 0:
            return refused(_("The sheet is empty."))
        return refused(
            _(
                "No header row was recognised: the sheet needs the columns 企业名称, 统一社会信用代码 and 纳入类型."
            )
        )
    records = []
    last_district = ""
    for index, cells in body:
        values = {f: (cells[i] if i < len(cells) else "") for f, i in header.items()}
        if not any(v for f, v in values.items() if f != "seq"):
            continue  # blank line
        # A district cell merged over several rows is only filled in the first.
        if values.get("district"):
            last_district = values["district"]
        elif "district" in header:
            values["district"] = last_district
        records.append((index, values))
    if not records:
        return refused(_("The sheet has a header but no rows."))
    # Only well-formed codes are looked up: the registry holds no other, and a malformed one (a NUL in
    # it) must reach the row check, not the database.
    codes = [
        c for c in (uscc_codes.normalise(v.get("uscc", "")) for _i, v in records) if uscc_codes.is_valid(c)
    ]
    ctx = _context(batch, codes)
    total = len(records)
    ImportBatch.objects.filter(pk=batch.pk).update(total_rows=total)
    seen: dict[str, tuple] = {}
    rows = []
    for n, (index, values) in enumerate(records, start=1):
        row = list_rows.validate_row(ctx, index, values, seen)
        if row is not None:
            rows.append(row)
        if n % IMPORT_PROGRESS_EVERY == 0:
            ImportBatch.objects.filter(pk=batch.pk).update(processed_rows=n)
    state = ImportBatch.Status.INVALID if ctx.errors else ImportBatch.Status.READY
    return finish(state, ctx.errors, rows if not ctx.errors else [], ctx.conflicts, total)


def _context(batch: ImportBatch, codes: list[str]):
    actor, programme = batch.created_by, batch.programme
    user_path = actor.jurisdiction.path
    districts = {}
    for d in Jurisdiction.objects.filter(path__startswith=programme.city.path, level="district"):
        entry = {"id": d.pk, "path": d.path, "name": d.name, "in_scope": d.path.startswith(user_path)}
        districts[list_rows.squash(d.name)] = entry
        if d.code:
            districts[d.code] = entry
    industries = dict(Industry.objects.filter(edition=INDUSTRY_EDITION_DEFAULT).values_list("code", "pk"))
    registry = {}
    for start in range(0, len(codes), LOOKUP_CHUNK):
        for pk, code, name, jid, path in Enterprise.objects.filter(
            uscc__in=codes[start : start + LOOKUP_CHUNK]
        ).values_list("pk", "uscc", "name", "jurisdiction_id", "jurisdiction__path"):
            registry[code] = {
                "id": pk,
                "name": name,
                "district_id": jid,
                "in_scope": path.startswith(user_path) and path.startswith(programme.city.path),
            }
    source = programme.plan_entries if batch.kind == ImportBatch.Kind.PLAN else programme.listings
    on_list = set(source.values_list("enterprise_id", flat=True))
    return list_rows.Context(
        kind=batch.kind,
        plan_years=tuple(plan_years(programme.year)) if batch.kind == ImportBatch.Kind.PLAN else (),
        districts=districts,
        industries=industries,
        registry=registry,
        on_list=on_list,
        user_path=user_path,
    )
