"""Checking an uploaded permit export in the background: every row read and checked, the rows of one
permit gathered, the report (row, column, problem, how to fix it) and the permits kept on the batch.
Writes nothing else."""

from django.utils.translation import gettext as _

from qingshen.core.files import spreadsheets
from qingshen.programmes.imports import rows as list_rows
from qingshen.programmes.imports.validate import IMPORT_PROGRESS_EVERY, LOOKUP_CHUNK
from qingshen.programmes.models import PermitBatch
from qingshen.programmes.permits import columns
from qingshen.registry import permit_numbers
from qingshen.registry import uscc as uscc_codes
from qingshen.registry.models import Enterprise, Permit

PERMIT_FIELDS = ("number", "enterprise_id", "management_class", "issuing_authority", "valid_from", "valid_to")


def permit_batch_validate(*, batch_id: int) -> PermitBatch:
    """Read and check every row; keep the report and the checked permits. Writes nothing else."""
    from qingshen.programmes.permits.batches import permit_batch_failed

    try:
        return _validate(batch_id)
    except Exception:
        permit_batch_failed(
            batch_id=batch_id, message=_("The file could not be checked; nothing was written.")
        )
        raise


def read_records(data: bytes, name: str) -> tuple[list[tuple[int, dict]], str]:
    """(rows as (sheet row, {field: text}), "") or ([], the reason the file is refused)."""
    from django.conf import settings

    try:
        kind = spreadsheets.sniff(data, name)
        header, records, seen_any = None, [], False
        for index, cells in enumerate(spreadsheets.rows_of(data, kind), start=1):
            seen_any = True
            if header is None:
                if index > list_rows.HEADER_SCAN_ROWS:
                    break
                header = columns.match_header(cells) or None
                continue
            values = {f: list_rows.clean_text(cells[i] if i < len(cells) else "") for f, i in header.items()}
            if any(values.values()):
                records.append((index, values))
            if len(records) > settings.QINGSHEN_IMPORT_MAX_ROWS:
                return [], _("The file has more than %(n)s rows; split it.") % {
                    "n": settings.QINGSHEN_IMPORT_MAX_ROWS
                }
    except spreadsheets.FileRefused as exc:
        return [], exc.message
    if header is None:
        if not seen_any:
            return [], _("The sheet is empty.")
        return [], _("No header row was recognised: the sheet needs the columns %(columns)s.") % {
            "columns": "、".join(columns.HEADERS[f] for f in columns.REQUIRED)
        }
    if not records:
        return [], _("The sheet has a header but no rows.")
    return records, ""


class _Check:
    def __init__(self, batch: PermitBatch, records):
        self.errors: list[dict] = []
        self.permits: dict[str, dict] = {}
        codes = sorted({uscc_codes.normalise(v.get("uscc", "")) for _i, v in records})
        self.enterprises, self.holders = {}, {}
        path = batch.jurisdiction.path
        for start in range(0, len(codes), LOOKUP_CHUNK):
            chunk = codes[start : start + LOOKUP_CHUNK]
            for pk, code, name, epath in Enterprise.objects.filter(uscc__in=chunk).values_list(
                "pk", "uscc", "name", "jurisdiction__path"
            ):
                self.enterprises[code] = {"id": pk, "name": name, "in_scope": epath.startswith(path)}
        numbers = sorted({permit_numbers.normalise(v.get("number", "")) for _i, v in records})
        for start in range(0, len(numbers), LOOKUP_CHUNK):
            self.holders.update(
                Permit.objects.filter(number__in=numbers[start : start + LOOKUP_CHUNK]).values_list(
                    "number", "enterprise_id"
                )
            )

    def error(self, row, field, problem, fix=""):
        column = columns.HEADERS.get(field, field)
        self.errors.append({"row": row, "column": column, "problem": str(problem), "fix": str(fix)})

    def row(self, index: int, v: dict) -> None:
        before = len(self.errors)
        code = uscc_codes.normalise(v.get("uscc", ""))
        enterprise = None
        try:
            code = uscc_codes.validate(code)
        except uscc_codes.InvalidCode as exc:
            self.error(index, "uscc", exc.reason)
        else:
            enterprise = self.enterprises.get(code)
            if enterprise is None or not enterprise["in_scope"]:
                self.error(
                    index,
                    "uscc",
                    _("No enterprise with this credit code is registered in your jurisdiction."),
                    _("Register the enterprise first, or remove the row."),
                )
                enterprise = None
        try:
            number = permit_numbers.validate(v.get("number", ""), uscc=code if enterprise else "")
        except permit_numbers.InvalidPermitNumber as exc:
            self.error(index, "number", exc.reason)
            number = ""
        mclass = columns.parse_class(v.get("management_class", ""))
        if not mclass:
            self.error(
                index,
                "management_class",
                _("Not a management class."),
                _("Write 重点管理, 简化管理 or 登记管理."),
            )
        authority = v.get("issuing_authority", "")[:100]
        if not authority and mclass and mclass != "registration":
            self.error(index, "issuing_authority", _("A permit needs its issuing authority."))
        dates = {}
        for field in ("valid_from", "valid_to"):
            day, ok = columns.parse_date(v.get(field, ""))
            if not ok or day is None:
                self.error(index, field, _("Not a date."), _("Write the date as 2024-05-01."))
            dates[field] = day
        if dates["valid_from"] and dates["valid_to"] and dates["valid_to"] < dates["valid_from"]:
            self.error(index, "valid_to", _("The permit cannot end before it begins."))
        pollutant = self._pollutant(index, v)
        if len(self.errors) > before or not number:
            return
        if self.holders.get(number, enterprise["id"]) != enterprise["id"]:
            self.error(index, "number", _("This permit number is recorded for another enterprise."))
            return
        head = {
            "row": index,
            "number": number,
            "enterprise_id": enterprise["id"],
            "name": enterprise["name"],
            "management_class": mclass,
            "issuing_authority": authority,
            "valid_from": dates["valid_from"].isoformat(),
            "valid_to": dates["valid_to"].isoformat(),
            "is_new": number not in self.holders,
            "pollutants": [],
        }
        permit = self.permits.setdefault(number, head)
        differs = [f for f in PERMIT_FIELDS if permit[f] != head[f]]
        if differs:
            self.error(
                index,
                differs[0],
                _("Differs from row %(row)s of the same permit.") % {"row": permit["row"]},
                _("Every row of one permit carries the same permit details."),
            )
            return
        if pollutant is not None:
            key = (pollutant["outlet"], pollutant["pollutant"], pollutant["unit"])
            if any((p["outlet"], p["pollutant"], p["unit"]) == key for p in permit["pollutants"]):
                self.error(index, "pollutant", _("This pollutant is listed twice for the same outlet."))
                return
            permit["pollutants"].append(pollutant)

    def _pollutant(self, index: int, v: dict) -> dict | None:
        given = {f: v.get(f, "") for f in columns.POLLUTANT_FIELDS}
        if not any(given.values()):
            return None
        missing = [f for f, text in given.items() if not text]
        if missing:
            self.error(index, missing[0], _("A permitted pollutant needs its name, limit and unit."))
            return None
        limit = columns.parse_limit(given["limit_value"])
        if limit is None:
            self.error(
                index, "limit_value", _("Not a number of zero or more."), _("Write the limit as 50 or 0.5.")
            )
            return None
        return {
            "pollutant": given["pollutant"][:60],
            "outlet": v.get("outlet", "")[:60],
            "limit_value": str(limit),
            "unit": given["unit"][:20],
        }


def _validate(batch_id: int) -> PermitBatch:
    batch = PermitBatch.objects.select_related("jurisdiction").get(pk=batch_id)
    if batch.status != PermitBatch.Status.QUEUED:
        return batch
    PermitBatch.objects.filter(pk=batch.pk).update(status=PermitBatch.Status.VALIDATING)

    def finish(state, errors, rows=(), total=0):
        batch.status, batch.errors, batch.rows = state, errors, list(rows)
        batch.total_rows = batch.processed_rows = total
        batch.save(update_fields=["status", "errors", "rows", "total_rows", "processed_rows"])
        return batch

    with batch.file.open("rb") as fh:
        data = fh.read()
    records, refusal = read_records(data, batch.original_name)
    if refusal:
        return finish(
            PermitBatch.Status.INVALID, [{"row": 0, "column": "", "problem": str(refusal), "fix": ""}]
        )
    PermitBatch.objects.filter(pk=batch.pk).update(total_rows=len(records))
    check = _Check(batch, records)
    for n, (index, values) in enumerate(records, start=1):
        check.row(index, values)
        if n % IMPORT_PROGRESS_EVERY == 0:
            PermitBatch.objects.filter(pk=batch.pk).update(processed_rows=n)
    if check.errors:
        return finish(PermitBatch.Status.INVALID, check.errors, total=len(records))
    return finish(PermitBatch.Status.READY, [], check.permits.values(), len(records))
