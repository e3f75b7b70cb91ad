"""The enterprise's option table as xlsx: a template to fill, and an all-or-nothing import with a
row-by-row report (row, column, what is wrong, how to fix). Read with python-calamine."""

import datetime
import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import xlsxwriter
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

from qingshen.cases.errors import DocumentRefused
from qingshen.cases.models import AuditCase, Benefit, Indicator, Option
from qingshen.cases.options import (
    OptionData,
    _reduction_problems,
    earliest_option_day,
    option_problems,
    proposed_benefits,
)
from qingshen.core.files import row_checks
from qingshen.core.files.spreadsheets import FileRefused, check_xlsx_archive
from qingshen.core.files.uploads import OLE2_MAGIC, check_upload

COST_CLASS_WORDS = {"无/低费": "low", "无低费": "low", "低费": "low", "low": "low",
                    "中/高费": "high", "中高费": "high", "高费": "high", "high": "high"}  # fmt: skip
STATUS_WORDS = {"计划": "planned", "拟实施": "planned", "planned": "planned",
                "实施中": "implementing", "implementing": "implementing",
                "已实施": "implemented", "已完成": "implemented", "implemented": "implemented",
                "放弃": "dropped", "不实施": "dropped", "dropped": "dropped"}  # fmt: skip
# (key, header in the template)
BASE_COLUMNS = [
    ("code", "方案编号"),
    ("name", "方案名称"),
    ("cost_class", "方案类别（无/低费、中/高费）"),
    ("investment", "投资（万元）"),
    ("status", "状态（计划、实施中、已实施）"),
    ("planned_on", "确定日期"),
    ("started_on", "开始实施日期"),
    ("implemented_on", "完成日期"),
    ("dropped_reason", "放弃原因"),
]
REQUIRED = {"code", "name", "cost_class", "investment", "planned_on"}


@dataclass
class RowProblem:
    row: int  # as Excel numbers it
    column: str
    problem: str
    fix: str


def _indicator_columns(indicators):
    for ind in indicators:
        yield (f"expected:{ind.code}", f"{ind.name}预期（{ind.unit}）")
        yield (f"verified:{ind.code}", f"{ind.name}核实（{ind.unit}）")


def _norm(text) -> str:
    return re.sub(r"[\s()（）:：/]", "", str(text or "")).lower()


def template_xlsx() -> bytes:
    indicators = list(Indicator.objects.all())
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("清洁生产方案")
    head = book.add_format({"bold": True, "text_wrap": True, "bg_color": "#E2EFDA", "border": 1})
    text = book.add_format({"num_format": "@"})
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    columns = BASE_COLUMNS + list(_indicator_columns(indicators))
    for col, (_key, header) in enumerate(columns):
        sheet.write_string(0, col, header, head)
        sheet.set_column(col, col, 14, text if col == 0 else (date if 5 <= col <= 7 else None))
    sheet.set_column(1, 1, 30)
    sheet.data_validation(1, 2, 1000, 2, {"validate": "list", "source": ["无/低费", "中/高费"]})
    sheet.data_validation(1, 4, 1000, 4, {"validate": "list", "source": ["计划", "实施中", "已实施", "放弃"]})
    sheet.freeze_panes(1, 2)
    book.close()
    return out.getvalue()


def _text(value) -> str:
    """Codes come back as floats from calamine (1 -> 1.0): write them as the text they were."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value if value is not None else "").strip()


def _decimal(value):
    if value in (None, ""):
        return None
    try:
        number = Decimal(_text(value).replace(",", ""))
    except InvalidOperation:
        raise ValueError from None
    if not number.is_finite() or abs(number) >= Decimal(10) ** 10:  # NaN, Infinity, absurd sizes
        raise ValueError
    return number


def _date(value):
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", _text(value))
    if not match:
        raise ValueError
    return datetime.date(*map(int, match.groups()))


def _read_sheet(upload) -> list[list]:
    limit = settings.QINGSHEN_OPTION_IMPORT_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise DocumentRefused(_("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)})
    upload.seek(0)
    encrypted_or_xls = upload.read(8) == OLE2_MAGIC  # an encrypted .xlsx is an OLE2 container
    upload.seek(0)
    family = "ole2" if encrypted_or_xls else check_upload(upload)  # refuses executables, contradictions
    if family == "ole2":
        raise DocumentRefused(
            _(
                "The workbook is password-protected or in the old .xls format. Save it as .xlsx without a password."
            )
        )
    if family != "xlsx":
        raise DocumentRefused(_("Upload the option table as an .xlsx workbook (use the template)."))
    upload.seek(0)
    data = upload.read()
    try:
        # The list import's workbook guard: unpacked size and ratio, encryption, XML entity declarations.
        check_xlsx_archive(data)
    except FileRefused as exc:
        raise DocumentRefused(exc.message) from exc
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        if not book.sheet_names:
            raise DocumentRefused(_("The workbook has no sheet."))
        rows = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except DocumentRefused:
        raise
    except Exception as exc:  # calamine raises its own errors for damaged workbooks
        raise DocumentRefused(
            _("The workbook is damaged and cannot be read. Save it again as .xlsx.")
        ) from exc
    rows = [r for r in rows if any(_text(c) for c in r)]
    if not rows:
        raise DocumentRefused(_("The first sheet is empty. Fill in the template and upload it again."))
    if len(rows) - 1 > settings.QINGSHEN_OPTION_IMPORT_MAX_ROWS:
        raise DocumentRefused(
            _("The table has more than %(n)s rows.") % {"n": settings.QINGSHEN_OPTION_IMPORT_MAX_ROWS}
        )
    return rows


def option_table_parse(*, case: AuditCase, upload) -> tuple[list[OptionData], list[RowProblem]]:
    """Read and check the whole table; nothing is written. DocumentRefused for an unreadable file."""
    rows = _read_sheet(upload)
    indicators = list(Indicator.objects.all())
    wanted = {_norm(h): key for key, h in BASE_COLUMNS + list(_indicator_columns(indicators))}
    # Also accept the plain keys (code, name, expected:cod ...).
    wanted.update({_norm(key): key for key, _h in BASE_COLUMNS + list(_indicator_columns(indicators))})
    header = rows[0]
    columns = {}
    for index, cell in enumerate(header):
        key = wanted.get(_norm(cell))
        if key:
            columns[key] = (index, _text(cell))
    missing = [h for key, h in BASE_COLUMNS if key in REQUIRED and key not in columns]
    if missing:
        raise DocumentRefused(
            _("The first row must be the header of the template; missing columns: %(cols)s.")
            % {"cols": "、".join(missing)}
        )
    problems: list[RowProblem] = []
    parsed: list[OptionData] = []
    row_of: dict[str, int] = {}
    labels = dict(BASE_COLUMNS)

    def cell(row, key):
        if key not in columns or columns[key][0] >= len(row):
            return None
        return row[columns[key][0]]

    if len(rows) < 2:
        raise DocumentRefused(_("The table has a header but no options."))
    earliest = earliest_option_day(case)
    for number, row in enumerate(rows[1:], start=2):
        # Every cell's characters first: a row with a refused one is reported and not read further.
        bad = [
            RowProblem(number, header, message, _("Type the cell again instead of pasting it."))
            for key, (_index, header) in columns.items()
            if (
                message := row_checks.cell_characters_problem(
                    _text(cell(row, key)), multiline=key == "dropped_reason"
                )
            )
        ]
        if bad:
            problems.extend(bad)
            continue

        def read(key, convert, fix, row=row, bad=bad, number=number):
            try:
                return convert(cell(row, key))
            except ValueError:
                bad.append(
                    RowProblem(
                        number,
                        labels.get(key, columns.get(key, (0, key))[1]),
                        _("“%(value)s” cannot be read here.") % {"value": _text(cell(row, key))[:50]},
                        fix,
                    )
                )
                return None

        code = _text(cell(row, "code"))
        cost_word = _text(cell(row, "cost_class"))
        status_word = _text(cell(row, "status")) or "计划"
        data = OptionData(
            code=code,
            name=_text(cell(row, "name")),
            cost_class=COST_CLASS_WORDS.get(cost_word.lower(), cost_word),
            investment=read("investment", _decimal, _("Enter a number in 10k yuan, e.g. 12.5.")),
            status=STATUS_WORDS.get(status_word.lower(), status_word),
            planned_on=read("planned_on", _date, _("Enter a date as 2025-06-30.")),
            started_on=read("started_on", _date, _("Enter a date as 2025-06-30.")),
            implemented_on=read("implemented_on", _date, _("Enter a date as 2025-06-30.")),
            dropped_reason=_text(cell(row, "dropped_reason")),
        )
        for ind in indicators:
            expected = read(
                f"expected:{ind.code}", _decimal, _("Enter a number in %(unit)s.") % {"unit": ind.unit}
            )
            verified = read(
                f"verified:{ind.code}", _decimal, _("Enter a number in %(unit)s.") % {"unit": ind.unit}
            )
            if expected is not None or verified is not None:
                data.benefits[ind.code] = (expected or Decimal(0), verified)
        unreadable = {p.column for p in bad}
        for field_name, message in option_problems(case, data, earliest=earliest):
            column = labels.get(field_name) or next(
                (columns[k][1] for k in columns if k.endswith(f":{field_name}")), field_name
            )
            if column in unreadable:  # already reported as unreadable
                continue
            bad.append(RowProblem(number, column, message, _("Correct the cell and upload the table again.")))
        problems_of = {p.column for p in bad}
        for column, message in _limit_problems(data, indicators, labels, columns):
            if column not in problems_of:  # one problem per cell: the rule's own message comes first
                bad.append(
                    RowProblem(number, column, message, _("Correct the cell and upload the table again."))
                )
        if code and code in row_of:
            bad.append(
                RowProblem(
                    number,
                    labels["code"],
                    _("The number %(c)s is used twice (also row %(r)s).") % {"c": code, "r": row_of[code]},
                    _("Give each option its own number."),
                )
            )
        row_of.setdefault(code, number)
        problems.extend(bad)
        parsed.append(data)
    if not problems:
        for option_code, ind_code, message in _reduction_problems(case, proposed_benefits(parsed)):
            ind = next(i for i in indicators if i.code == ind_code)
            problems.append(
                RowProblem(
                    row_of.get(option_code, 0),
                    f"{ind.name}预期（{ind.unit}）",
                    message,
                    _("Check the figure or enter the baseline first."),
                )
            )
    problems.sort(key=lambda p: p.row)
    return parsed, problems


def _limit_problems(data: OptionData, indicators, labels, columns):
    """(column, message) for each value the Option and Benefit fields cannot hold (length, digits)."""
    for key in ("code", "name", "investment", "dropped_reason"):
        message = row_checks.field_problem(Option, key, getattr(data, key), multiline=key == "dropped_reason")
        if message:
            yield labels[key], message
    for ind in indicators:
        expected, verified = data.benefits.get(ind.code, (None, None))
        for kind, value in (("expected", expected), ("verified", verified)):
            message = row_checks.field_problem(Benefit, kind, value)
            if message:
                yield columns.get(f"{kind}:{ind.code}", (0, ind.name))[1], message


def rows_to_session(rows: list[OptionData]) -> list[dict]:
    def s(v):
        return None if v is None else str(v)

    return [
        {
            "code": r.code, "name": r.name, "cost_class": r.cost_class, "investment": s(r.investment),
            "status": r.status, "planned_on": s(r.planned_on), "started_on": s(r.started_on),
            "implemented_on": s(r.implemented_on), "dropped_reason": r.dropped_reason,
            "benefits": {k: [s(e), s(v)] for k, (e, v) in r.benefits.items()},
        }
        for r in rows
    ]  # fmt: skip


def rows_from_session(items: list[dict]) -> list[OptionData]:
    def d(v):
        return None if v is None else Decimal(v)

    def day(v):
        return None if v is None else datetime.date.fromisoformat(v)

    return [
        OptionData(
            code=i["code"], name=i["name"], cost_class=i["cost_class"], investment=d(i["investment"]),
            status=i["status"], planned_on=day(i["planned_on"]), started_on=day(i["started_on"]),
            implemented_on=day(i["implemented_on"]), dropped_reason=i.get("dropped_reason", ""),
            benefits={k: (d(e), d(v)) for k, (e, v) in i["benefits"].items()},
        )
        for i in items
    ]  # fmt: skip


STATUS_LABELS = dict(Option.Status.choices)
