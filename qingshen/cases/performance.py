"""The performance table (重点企业清洁生产审核绩效表, domain.md §9) of a case, generated from its options,
benefits and targets, and the same table as .xlsx. Nothing in it is typed: it is read from the case."""

import io

import xlsxwriter
from django.utils.translation import gettext as _

from qingshen.cases import selectors
from qingshen.cases.models import AuditCase
from qingshen.cases.options import base_year_of
from qingshen.cases.target_rules import MET, NOT_MET
from qingshen.core import numbers
from qingshen.core.files.spreadsheets import escape_cell


def status_label(status: str) -> str:
    return {MET: _("Met"), NOT_MET: _("Not met")}.get(status, _("No actual value"))


def performance_table(*, case: AuditCase) -> dict:
    """The options (with their benefits per indicator used), the totals against the baseline, and the
    targets against their actual values."""
    options = list(selectors.options_of(case=case))
    totals = selectors.option_totals(case=case)
    used = {b.indicator_id for o in options for b in o.benefits.all()}
    columns = [row["indicator"] for row in totals["indicators"] if row["indicator"].pk in used]
    option_rows = []
    for o in options:
        by_indicator = {b.indicator_id: b for b in o.benefits.all()}
        option_rows.append({"option": o, "benefits": [by_indicator.get(ind.pk) for ind in columns]})
    benefit_rows = [
        row for row in totals["indicators"] if row["expected"] is not None or row["baseline"] is not None
    ]
    return {
        "case": case,
        "base_year": base_year_of(case),
        "low": totals["low"],
        "high": totals["high"],
        "columns": columns,
        "options": option_rows,
        "benefits": benefit_rows,
        "targets": selectors.target_rows(case=case),
    }


def _num(value):
    return float(value) if value is not None else None


def performance_xlsx(*, case: AuditCase) -> bytes:
    """The table on one sheet: heading, options with their benefits, totals, targets."""
    table = performance_table(case=case)
    out = io.BytesIO()
    book = xlsxwriter.Workbook(
        out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    sheet = book.add_worksheet("Sheet1")
    bold = book.add_format({"bold": True})
    head = book.add_format({"bold": True, "border": 1, "bg_color": "#DDEBF7", "text_wrap": True})
    cell = book.add_format({"border": 1})

    def text(r, c, value, fmt=cell):
        sheet.write_string(r, c, escape_cell(value), fmt)

    formats = {}

    def number(r, c, value, unit=None):
        if value is None:
            sheet.write_blank(r, c, None, cell)
            return
        if unit not in formats:
            formats[unit] = book.add_format({"border": 1, "num_format": numbers.xlsx_format(unit)})
        sheet.write_number(r, c, _num(value), formats[unit])

    sheet.write_string(0, 0, escape_cell(_("Cleaner production audit performance table (绩效表)")), bold)
    text(1, 0, f"{case.enterprise.name} · {case.programme.year}", bold)
    text(2, 0, _("Audit focus (审核重点)"), bold)
    text(2, 1, case.audit_focus or "—", book.add_format({}))
    text(3, 0, _("Base year"), bold)
    text(3, 1, str(table["base_year"] or "—"), book.add_format({}))
    r = 5
    text(r, 0, _("1. Options"), bold)
    r += 1
    heads = [_("Number"), _("Name"), _("Cost class"), _("Investment (10k yuan)"), _("Status")]
    heads += [f"{ind.label} {_('expected')}/{_('verified')}" for ind in table["columns"]]
    for c, h in enumerate(heads):
        text(r, c, h, head)
    for row in table["options"]:
        r += 1
        o = row["option"]
        for c, value in enumerate([o.code, o.name, o.get_cost_class_display()]):
            text(r, c, value)
        number(r, 3, o.investment, "万元")
        text(r, 4, o.get_status_display())
        for c, (ind, b) in enumerate(zip(table["columns"], row["benefits"], strict=True), start=5):
            if b is None:
                sheet.write_blank(r, c, None, cell)
            else:
                verified = "—" if b.verified is None else numbers.figure(b.verified, ind.unit)
                text(r, c, f"{numbers.figure(b.expected, ind.unit)} / {verified}")
    r += 2
    text(r, 0, _("2. Benefits against the baseline"), bold)
    r += 1
    for c, h in enumerate([_("Indicator"), _("Baseline"), _("Expected per year"), _("Verified per year")]):
        text(r, c, h, head)
    for row in table["benefits"]:
        r += 1
        ind = row["indicator"]
        text(r, 0, ind.label)
        for c, key in enumerate(("baseline", "expected", "verified"), start=1):
            number(r, c, row[key], ind.unit)
    r += 2
    text(r, 0, _("3. Cleaner production targets (清洁生产目标)"), bold)
    r += 1
    heads = [
        _("Indicator"),
        _("Unit"),
        _("Baseline"),
        _("Target value"),
        _("Target year"),
        _("Actual value"),
        _("Result"),
    ]
    for c, h in enumerate(heads):
        text(r, c, h, head)
    for row in table["targets"]:
        r += 1
        t = row["target"]
        text(r, 0, t.name)
        text(r, 1, t.unit)
        number(r, 2, t.baseline)
        number(r, 3, t.target_value)
        sheet.write_number(r, 4, t.target_year, cell)
        number(r, 5, row["actual"])
        text(r, 6, status_label(row["status"]))
    sheet.set_column(0, 0, 18)
    sheet.set_column(1, 1, 24)
    sheet.set_column(2, len(heads) + len(table["columns"]), 14)
    book.close()
    return out.getvalue()
