"""Checking an uploaded history file in the background: every row read and checked (history.check),
the report and the normalised rows kept on the batch. Writes nothing else."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from qingshen.accounts.models import Jurisdiction
from qingshen.cases.models import AuditCase
from qingshen.core.files import spreadsheets
from qingshen.programmes.history import columns
from qingshen.programmes.history.check import HistoryContext, check_row
from qingshen.programmes.imports import rows as list_rows
from qingshen.programmes.imports.validate import IMPORT_PROGRESS_EVERY, LOOKUP_CHUNK
from qingshen.programmes.models import HistoryBatch, Programme
from qingshen.registry import uscc as uscc_codes
from qingshen.registry.models import INDUSTRY_EDITION_DEFAULT, Agency, Enterprise, Industry


def history_batch_validate(*, batch_id: int) -> HistoryBatch:
    """Read and check every row; keep the report and the normalised rows. Writes nothing else."""
    from qingshen.programmes.history.batches import history_batch_failed

    try:
        return _validate(batch_id)
    except Exception:
        history_batch_failed(
            batch_id=batch_id, message=_("The file could not be checked; nothing was written.")
        )
        raise


def read_records(data: bytes, name: str) -> tuple[list[tuple[int, dict]], str]:
    """(rows as (sheet row, {field: text}), "") or ([], the reason the file is refused)."""
    try:
        kind = spreadsheets.sniff(data, name)
        header, body, header_row = None, [], 0
        for index, cells in enumerate(spreadsheets.rows_of(data, kind), start=1):
            if header is None:
                if index > list_rows.HEADER_SCAN_ROWS:
                    break
                header, header_row = columns.match_header(cells) or None, index
                continue
            body.append((index, cells))
            if len(body) > settings.QINGSHEN_IMPORT_MAX_ROWS:
                return [], _("The file has more than %(n)s rows; split it.") % {
                    "n": settings.QINGSHEN_IMPORT_MAX_ROWS
                }
    except spreadsheets.FileRefused as exc:
        return [], exc.message
    if header is None:
        if header_row == 0:
            return [], _("The sheet is empty.")
        return [], _("No header row was recognised: the sheet needs the columns %(columns)s.") % {
            "columns": "年度, 企业名称, 统一社会信用代码, 纳入类型, 名单公布日期"
        }
    records, last_district = [], ""
    for index, cells in body:
        values = {f: (cells[i] if i < len(cells) else "") for f, i in header.items()}
        if not any(v for f, v in values.items() if f != "seq"):
            continue
        if values.get("district"):  # a district cell merged over several rows
            last_district = values["district"]
        elif "district" in header:
            values["district"] = last_district
        records.append((index, values))
    if not records:
        return [], _("The sheet has a header but no rows.")
    return records, ""


def _validate(batch_id: int) -> HistoryBatch:
    batch = HistoryBatch.objects.select_related("city", "created_by__jurisdiction").get(pk=batch_id)
    if batch.status != HistoryBatch.Status.QUEUED:
        return batch
    HistoryBatch.objects.filter(pk=batch.pk).update(status=HistoryBatch.Status.VALIDATING)

    def finish(state, errors, rows=(), skipped=(), total=0, conflicts=()):
        batch.status, batch.errors, batch.rows, batch.skipped = state, errors, list(rows), list(skipped)
        batch.conflicts = list(conflicts)
        batch.total_rows = batch.processed_rows = total
        batch.save(
            update_fields=["status", "errors", "rows", "skipped", "conflicts", "total_rows", "processed_rows"]
        )
        return batch

    with batch.file.open("rb") as fh:
        data = fh.read()
    records, refusal = read_records(data, batch.original_name)
    if refusal:
        return finish(
            HistoryBatch.Status.INVALID, [{"row": 0, "column": "", "problem": str(refusal), "fix": ""}]
        )
    codes = sorted(
        {c for c in (uscc_codes.normalise(v.get("uscc", "")) for _i, v in records) if uscc_codes.is_valid(c)}
    )
    ctx = history_context(batch, codes)
    HistoryBatch.objects.filter(pk=batch.pk).update(total_rows=len(records))
    rows = []
    for n, (index, values) in enumerate(records, start=1):
        row = check_row(ctx, index, values)
        if row is not None:
            rows.append(row)
        if n % IMPORT_PROGRESS_EVERY == 0:
            HistoryBatch.objects.filter(pk=batch.pk).update(processed_rows=n)
    if ctx.errors:
        return finish(HistoryBatch.Status.INVALID, ctx.errors, [], ctx.skipped, len(records))
    conflicts = name_conflicts(rows, ctx.enterprise.conflicts)
    return finish(HistoryBatch.Status.READY, [], rows, ctx.skipped, len(records), conflicts)


def name_conflicts(rows: list[dict], found: list[dict]) -> list[dict]:
    """The list check's name conflicts (one per row) as one per enterprise, for the rows to import. The
    file's name is its latest year's: when that one is the registry's, the older names are only former
    names and nothing is asked."""
    latest: dict[str, dict] = {}
    for r in sorted(rows, key=lambda r: (r["year"], r["row"])):
        latest[r["uscc"]] = r
    by_code: dict[str, dict] = {}
    for c in found:
        last = latest.get(c["uscc"])
        if last is None:
            continue
        entry = by_code.setdefault(
            c["uscc"],
            {"uscc": c["uscc"], "registry_name": c["registry_name"], "file_name": last["name"], "rows": []},
        )
        entry["rows"].append(c["row"])
    return sorted(
        (c for c in by_code.values() if latest[c["uscc"]]["row"] in c["rows"]), key=lambda c: c["rows"][0]
    )


def history_context(batch: HistoryBatch, codes: list[str]) -> HistoryContext:
    city, user_path = batch.city, batch.created_by.jurisdiction.path
    districts = {}
    for d in Jurisdiction.objects.filter(path__startswith=city.path, level="district"):
        entry = {"id": d.pk, "path": d.path, "name": d.name, "in_scope": d.path.startswith(user_path)}
        districts[list_rows.squash(d.name)] = entry
        if d.code:
            districts[d.code] = entry
    registry = {}
    for start in range(0, len(codes), LOOKUP_CHUNK):
        for pk, code, name, jid, path in Enterprise.objects.filter(
            uscc__in=codes[start : start + LOOKUP_CHUNK]
        ).values_list("pk", "uscc", "name", "jurisdiction_id", "jurisdiction__path"):
            in_scope = path.startswith(user_path) and path.startswith(city.path)
            registry[code] = {"id": pk, "name": name, "district_id": jid, "in_scope": in_scope}
    existing = {
        (year, code): sha
        for year, code, sha in AuditCase.objects.filter(programme__city=city).values_list(
            "programme__year", "enterprise__uscc", "history_sha256"
        )
    }
    agencies = {}
    for pk, name, code in Agency.objects.values_list("pk", "name", "uscc"):
        agencies[list_rows.squash(name)] = pk
        if code:
            agencies[code.upper()] = pk
    return HistoryContext(
        enterprise=list_rows.Context(
            kind="annual",
            plan_years=(),
            districts=districts,
            industries=dict(
                Industry.objects.filter(edition=INDUSTRY_EDITION_DEFAULT).values_list("code", "pk")
            ),
            registry=registry,
            on_list=set(),
            user_path=user_path,
        ),
        today=timezone.localdate(),
        sha256=batch.sha256,
        programmes=dict(Programme.objects.filter(city=city).values_list("year", "historical")),
        existing=existing,
        agencies=agencies,
    )
