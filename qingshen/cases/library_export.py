"""The technology library's search results as .xlsx: the same rows and the same anonymity as the page,
a column per benefit indicator (verified figures), formula-leading cells escaped. Logged."""

import io

import xlsxwriter
from django.utils import timezone
from django.utils.translation import gettext as _

from qingshen.cases.library import LibraryFilters, library_search, shown_name
from qingshen.cases.models import Indicator
from qingshen.core.files.spreadsheets import escape_cell as escape
from qingshen.trail.services import event_record


def library_xlsx(*, user, filters: LibraryFilters) -> bytes:
    options = list(library_search(user=user, filters=filters))
    indicators = list(Indicator.objects.all())
    out = io.BytesIO()
    book = xlsxwriter.Workbook(
        out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    sheet = book.add_worksheet("Sheet1")
    head = book.add_format({"bold": True, "border": 1, "bg_color": "#DDEBF7", "text_wrap": True})
    cell = book.add_format({"border": 1, "text_wrap": True, "valign": "top"})
    number = book.add_format({"border": 1, "valign": "top", "num_format": "0.####"})
    columns = [
        (_("No."), 6),
        (_("Option"), 36),
        (_("Cost class"), 14),
        (_("Investment (10k yuan)"), 12),
        *[(ind.label, 14) for ind in indicators],
        (_("Industry"), 28),
        (_("Enterprise"), 30),
        (_("Accepted on"), 12),
    ]
    sheet.write_string(0, 0, escape(_("Cleaner production technology library")), head)
    sheet.write_string(1, 0, escape(timezone.localdate().isoformat()))
    for c, (title, width) in enumerate(columns):
        sheet.set_column(c, c, width)
        sheet.write_string(2, c, escape(title), head)
    for r, option in enumerate(options, start=3):
        verified = {b.indicator_id: b.verified for b in option.verified_benefits}
        industry = option.case.enterprise.industry
        row = [str(r - 2), option.name, option.get_cost_class_display(), option.investment]
        row += [verified.get(ind.pk) for ind in indicators]
        row += [str(industry) if industry else "", shown_name(option), option.case.accepted_on.isoformat()]
        for c, value in enumerate(row):
            if value is None:
                sheet.write_blank(r, c, None, cell)
            elif isinstance(value, str):
                sheet.write_string(r, c, escape(value), cell)
            else:
                sheet.write_number(r, c, float(value), number)
    sheet.freeze_panes(3, 0)
    book.close()
    event_record(
        action="library.export",
        actor=user,
        after={
            "rows": len(options),
            "industry": filters.industry,
            "indicator": filters.indicator,
            "q": filters.q,
        },
    )
    return out.getvalue()
