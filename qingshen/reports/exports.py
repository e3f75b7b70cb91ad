"""The summary table (附件3) as .xlsx: two-level Chinese headers, printable on A4 landscape."""

import io

import xlsxwriter
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from qingshen.core import numbers
from qingshen.programmes.exports import escape


def summary_xlsx(*, title: str, issuer: str, day, table) -> bytes:
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
    for name, figures in [*[(d.local_name, f) for d, f in table.rows], total]:
        sheet.write_string(r, 0, escape(name), cell_fmt)
        for c, col in enumerate(cols, start=1):
            # The whole value; the cell's format shows it to its unit's places.
            sheet.write_number(r, c, float(figures[col.key]), number_fmts[col.key])
        r += 1
    sheet.freeze_panes(4, 1)
    sheet.set_landscape()
    sheet.set_paper(8)  # A3: some eighty columns; the district column repeats on every page
    sheet.fit_to_pages(2, 0)
    sheet.repeat_rows(2, 3)
    sheet.repeat_columns(0)
    book.close()
    return out.getvalue()
