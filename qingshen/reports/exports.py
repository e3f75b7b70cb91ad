"""The summary table (附件3) as .xlsx: two-level Chinese headers, printable on A4 landscape."""

import io

import xlsxwriter
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from qingshen.core import numbers
from qingshen.programmes.exports import escape
from qingshen.programmes.imports.rows import grounds_text


def summary_xlsx(
    *, title: str, issuer: str, day, table, enterprises=(), voluntary=None, voluntary_cases=()
) -> bytes:
    """The table on its first sheet; `enterprises` (reports.selectors.summary_enterprise_rows) on a
    second, one row per enterprise; the voluntary audits' own figures (reports.figures.voluntary_table)
    and their enterprises (selectors.summary_voluntary_rows) on a third, never mixed into 附件3."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(
        out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    sheet = book.add_worksheet("Sheet1")
    title_fmt = book.add_format({"bold": True, "font_size": 14, "align": "center"})
    head_fmt = book.add_format(
        {
            "bold": True,
            "border": 1,
            "bg_color": "#DDEBF7",
            "text_wrap": True,
            "align": "center",
            "valign": "vcenter",
        }
    )
    cell_fmt = book.add_format({"border": 1})
    number_fmts = {
        c.key: book.add_format({"border": 1, "num_format": numbers.xlsx_format(c.unit)})
        for c in table.columns
    }
    cols = table.columns
    last = len(cols)
    sheet.merge_range(0, 0, 0, last, escape(title), title_fmt)
    sheet.merge_range(1, 0, 1, last, escape(f"{issuer}    {day:%Y-%m-%d}"))
    sheet.merge_range(2, 0, 3, 0, _("District"), head_fmt)
    sheet.set_column(0, 0, 14)
    sheet.set_column(1, last, 10)
    # Level 1: consecutive columns of the same group share one merged cell.
    start = 0
    for i in range(1, len(cols) + 1):
        if i == len(cols) or str(cols[i].group) != str(cols[start].group):
            if i - start > 1:
                sheet.merge_range(2, start + 1, 2, i, str(cols[start].group), head_fmt)
            else:
                sheet.write_string(2, start + 1, str(cols[start].group), head_fmt)
            start = i
    for c, col in enumerate(cols, start=1):
        sheet.write_string(3, c, str(col.label), head_fmt)
    r = 4
    total = (pgettext("sum of the rows", "Total"), table.total)
    led = [
        (_("Of which led by the %(lead)s") % {"lead": authority.label}, f) for authority, f in table.by_lead
    ]
    for name, figures in [*[(d.local_name, f) for d, f in table.rows], total, *led]:
        sheet.write_string(r, 0, escape(name), cell_fmt)
        for c, col in enumerate(cols, start=1):
            if figures[col.key] is None:  # kept per jurisdiction, not per case (figures.by_lead)
                sheet.write_string(r, c, "—", cell_fmt)
                continue
            # The whole value; the cell's format shows it to its unit's places.
            sheet.write_number(r, c, float(figures[col.key]), number_fmts[col.key])
        r += 1
    sheet.freeze_panes(4, 1)
    sheet.set_landscape()
    sheet.set_paper(8)  # A3: some eighty columns; the district column repeats on every page
    sheet.fit_to_pages(2, 0)
    sheet.repeat_rows(2, 3)
    sheet.repeat_columns(0)
    _enterprise_sheet(book, head_fmt, cell_fmt, enterprises)
    if voluntary is not None:
        _voluntary_sheet(book, head_fmt, cell_fmt, voluntary, voluntary_cases)
    book.close()
    return out.getvalue()


def _enterprise_columns():
    return [
        (_("District"), 12),
        (_("Enterprise"), 34),
        (_("Unified social credit code"), 22),
        (_("Grounds"), 18),
        (_("Stage"), 14),
        (_("Evaluation date"), 12),
        (_("Evaluation result"), 10),
        (_("Acceptance date"), 12),
        (_("Acceptance result"), 10),
        (_("Level reached"), 10),
        (_("Agency"), 24),
        (_("Options"), 8),
        (_("Investment (10k yuan)"), 12),
    ]


def _outcome(concluded_on, passed_on) -> str:
    if passed_on:
        return str(_("Passed"))
    return str(_("Failed")) if concluded_on else ""


def _enterprise_sheet(book, head_fmt, cell_fmt, enterprises) -> None:
    sheet = book.add_worksheet(_("Per enterprise")[:31])
    money = book.add_format({"border": 1, "num_format": numbers.xlsx_format(numbers.MONEY)})
    for c, (header, width) in enumerate(_enterprise_columns()):
        sheet.set_column(c, c, width)
        sheet.write_string(0, c, str(header), head_fmt)
    for r, case in enumerate(enterprises, start=1):
        listing = case.listing
        cells = [
            case.jurisdiction.name,
            case.enterprise.name,
            case.enterprise.uscc,
            grounds_text(listing.grounds, listing.other_reason),
            str(case.get_state_display()),
            _day(case.evaluation_passed_on or case.evaluation_concluded_on),
            _outcome(case.evaluation_concluded_on, case.evaluation_passed_on),
            _day(case.accepted_on or case.acceptance_concluded_on),
            _outcome(case.acceptance_concluded_on, case.accepted_on),
            case.level,
            case.agency_name or "",
        ]
        for c, value in enumerate(cells):
            sheet.write_string(r, c, escape(value), cell_fmt)
        sheet.write_number(r, len(cells), case.options_count, cell_fmt)
        sheet.write_number(r, len(cells) + 1, float(case.options_investment), money)
    sheet.freeze_panes(1, 2)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)


def _voluntary_sheet(book, head_fmt, cell_fmt, table, cases) -> None:
    """The voluntary audits (自愿审核): their figures by district and in total, then one row per audit."""
    sheet = book.add_worksheet(_("Voluntary audits")[:31])
    number_fmts = {
        c.key: book.add_format({"border": 1, "num_format": numbers.xlsx_format(c.unit)})
        for c in table.columns
    }
    sheet.set_column(0, 0, 14)
    sheet.set_column(1, max(len(table.columns), 8), 12)
    sheet.write_string(0, 0, str(_("District")), head_fmt)
    for c, col in enumerate(table.columns, start=1):
        sheet.write_string(0, c, f"{col.group} · {col.label}", head_fmt)
    r = 1
    total = (pgettext("sum of the rows", "Total"), table.total)
    for name, figures in [*[(d.local_name, f) for d, f in table.rows], total]:
        sheet.write_string(r, 0, escape(name), cell_fmt)
        for c, col in enumerate(table.columns, start=1):
            sheet.write_number(r, c, float(figures[col.key] or 0), number_fmts[col.key])
        r += 1
    r += 1
    headers = [
        _("District"),
        _("Enterprise"),
        _("Unified social credit code"),
        _("Stage"),
        _("Evaluation date"),
        _("Evaluation result"),
        _("Acceptance date"),
        _("Acceptance result"),
        _("Level reached"),
    ]
    for c, header in enumerate(headers):
        sheet.write_string(r, c, str(header), head_fmt)
    for case in cases:
        r += 1
        cells = [
            case.jurisdiction.name,
            case.enterprise.name,
            case.enterprise.uscc,
            str(case.get_state_display()),
            _day(case.evaluation_passed_on or case.evaluation_concluded_on),
            _outcome(case.evaluation_concluded_on, case.evaluation_passed_on),
            _day(case.accepted_on or case.acceptance_concluded_on),
            _outcome(case.acceptance_concluded_on, case.accepted_on),
            case.level,
        ]
        for c, value in enumerate(cells):
            sheet.write_string(r, c, escape(value), cell_fmt)
    sheet.freeze_panes(1, 1)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)


def _day(day) -> str:
    return f"{day:%Y-%m-%d}" if day else ""
