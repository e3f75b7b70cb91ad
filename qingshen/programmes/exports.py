"""The notices' tables as .xlsx (附件1, 附件2, 附件4, any case list): title, issuer and date, frozen
header, widths that print on A4 landscape, formula-leading cells escaped."""

import datetime
import io

import xlsxwriter
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from qingshen.cases.models import CaseDeadline
from qingshen.core.files.spreadsheets import escape_cell as escape
from qingshen.programmes.imports.rows import HEADERS, grounds_text
from qingshen.programmes.plan import plan_years
from qingshen.trail.services import event_record


def workbook_bytes(
    *, title: str, issuer: str, day: datetime.date, columns: list[tuple[str, int]], rows
) -> bytes:
    """columns: (header, width in characters); rows: iterables of cell values, written as text except
    figures (reports.numbers.Figure), which are numbers with their unit's number format."""
    from qingshen.core.numbers import Figure, xlsx_format

    out = io.BytesIO()
    book = xlsxwriter.Workbook(
        out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    sheet = book.add_worksheet("Sheet1")
    title_fmt = book.add_format({"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"})
    meta_fmt = book.add_format({"align": "left"})
    head_fmt = book.add_format(
        {"bold": True, "border": 1, "bg_color": "#DDEBF7", "text_wrap": True, "valign": "vcenter"}
    )
    cell_fmt = book.add_format({"border": 1, "text_wrap": True, "valign": "top"})
    last = len(columns) - 1
    sheet.merge_range(0, 0, 0, last, escape(title), title_fmt)
    sheet.merge_range(1, 0, 1, last, escape(f"{issuer}    {day:%Y-%m-%d}"), meta_fmt)
    for c, (header, width) in enumerate(columns):
        sheet.set_column(c, c, width)
        sheet.write_string(2, c, header, head_fmt)
    number_fmts: dict[str, object] = {}
    r = 3
    for row in rows:
        for c, value in enumerate(row):
            if isinstance(value, Figure):
                pattern = xlsx_format(value.unit)
                if pattern not in number_fmts:
                    number_fmts[pattern] = book.add_format(
                        {"border": 1, "valign": "top", "num_format": pattern}
                    )
                sheet.write_number(r, c, value.number, number_fmts[pattern])
            else:
                sheet.write_string(r, c, escape(value), cell_fmt)
        r += 1
    sheet.freeze_panes(3, 0)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(2)
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    book.close()
    return out.getvalue()


LIST_COLUMNS = [
    (HEADERS["seq"], 6),
    (HEADERS["district"], 12),
    (HEADERS["name"], 36),
    (HEADERS["uscc"], 22),
    (HEADERS["industry"], 10),
    (HEADERS["grounds"], 22),
    (HEADERS["note"], 30),
]


def programme_line(programme, *, as_of: datetime.date | None = None) -> str:
    """Under the title: who issued the notice, its number and date, and the acceptance cut-off."""
    parts = [programme.issuing_body or programme.city.name, programme.document_number]
    if programme.issued_on:
        parts.append(f"{programme.issued_on:%Y-%m-%d}")
    cutoff = programme.milestones.filter(kind="acceptances_done").order_by("due_on").first()
    if cutoff is not None:
        parts.append(_("Acceptances done by %(date)s") % {"date": f"{cutoff.due_on:%Y-%m-%d}"})
    if as_of is not None:
        parts.append(_("As of %(date)s") % {"date": f"{as_of:%Y-%m-%d}"})
    return "    ".join(p for p in parts if p)


def annual_list(*, programme, listings) -> bytes:
    rows = (
        (
            n,
            lst.enterprise.jurisdiction.name,
            lst.enterprise.name,
            lst.enterprise.uscc,
            lst.enterprise.industry.code if lst.enterprise.industry_id else "",
            lst.enterprise.industry.name if lst.enterprise.industry_id else "",
            grounds_text(lst.grounds, lst.other_reason),
            str(lst.get_lead_authority_display()),
            lst.note,
        )
        for n, lst in enumerate(listings, start=1)
    )
    with translation.override(settings.LANGUAGE_CODE):
        title = _("%(title)s: list of enterprises (Annex 1)") % {"title": programme.title}
        columns = [
            *LIST_COLUMNS[:5],
            (_("Industry name"), 16),
            LIST_COLUMNS[5],
            (_("Lead authority"), 14),
            LIST_COLUMNS[6],
        ]
        line = programme_line(programme)
    return workbook_bytes(title=title, issuer=line, day=_today(), columns=columns, rows=rows)


def plan_list(*, programme, entries) -> bytes:
    columns = [*LIST_COLUMNS[:6], (HEADERS["planned_year"], 10), LIST_COLUMNS[6]]
    rows = (
        (
            n,
            e.enterprise.jurisdiction.name,
            e.enterprise.name,
            e.enterprise.uscc,
            e.enterprise.industry.code if e.enterprise.industry_id else "",
            grounds_text(e.grounds),
            e.planned_year,
            e.note,
        )
        for n, e in enumerate(entries, start=1)
    )
    years = plan_years(programme.year)
    with translation.override(settings.LANGUAGE_CODE):
        title = _("%(title)s: plan list for %(a)s–%(b)s (Annex 4)") % {
            "title": programme.title,
            "a": years[0],
            "b": years[-1],
        }
    return workbook_bytes(title=title, issuer=programme.city.name, day=_today(), columns=columns, rows=rows)


def case_table(*, title: str, issuer: str, cases) -> bytes:
    """Any filtered case list: one row per case with its year, state and next deadline."""
    with translation.override(settings.LANGUAGE_CODE):
        columns = [*_case_columns(), (HEADERS["note"], 24)]
        rows = [(*_case_cells(n, c), c.withdrawn_reason) for n, c in enumerate(cases, start=1)]
    return workbook_bytes(title=title, issuer=issuer, day=_today(), columns=columns, rows=rows)


def carry_over_table(*, title: str, programme, cases) -> bytes:
    """附件2: the earlier years' cases not yet accepted (programmes.selectors.carry_over_cases rows),
    with the evaluation pass date, the acceptance deadline, the agency and why it is unfinished."""
    today = _today()
    with translation.override(settings.LANGUAGE_CODE):
        columns = [
            *_case_columns(),
            (_("Evaluation passed on"), 12),
            (_("Acceptance deadline"), 12),
            (_("Agency"), 24),
            (_("Reason unfinished"), 20),
        ]
        rows = [
            (
                *_case_cells(n, c),
                _date(c.evaluation_passed_on),
                _date(c.acceptance_deadline),
                c.agency_name or "",
                _unfinished_reason(c),
            )
            for n, c in enumerate(cases, start=1)
        ]
        line = programme_line(programme, as_of=today)
    return workbook_bytes(title=title, issuer=line, day=today, columns=columns, rows=rows)


def _case_columns():
    return [
        (HEADERS["seq"], 6),
        (_("Year listed"), 8),
        (HEADERS["district"], 12),
        (HEADERS["name"], 34),
        (HEADERS["uscc"], 22),
        (HEADERS["grounds"], 18),
        (_("Stage"), 16),
        (_("Next deadline"), 12),
    ]


def _case_cells(n, c) -> tuple:
    return (
        n,
        c.programme.year,
        c.jurisdiction.name,
        c.enterprise.name,
        c.enterprise.uscc,
        grounds_text(c.listing.grounds, c.listing.other_reason)
        if c.listing_id
        else str(c.get_kind_display()),
        str(c.get_state_display()),
        _date(c.next_due_on),
    )


def _date(day) -> str:
    return day.isoformat() if day else ""


def _unfinished_reason(c) -> str:
    if c.failed:
        if c.evaluation_passed_on:
            return str(_("Acceptance not passed"))
        return str(_("Evaluation not passed"))
    if c.overdue:
        duty = dict(CaseDeadline.Kind.choices).get(c.next_due_kind)
        return str(_("Overdue: %(duty)s") % {"duty": duty}) if duty else str(_("Overdue"))
    return str(_("In progress"))


def template() -> bytes:
    """An empty annual-list workbook with the recognised headers and one example row."""
    return workbook_bytes(
        title="强制性清洁生产审核企业名单",
        issuer="",
        day=_today(),
        columns=[*LIST_COLUMNS[:6], (HEADERS["planned_year"], 10), LIST_COLUMNS[6]],
        rows=[("1", "", "示例化工有限公司", "91110108551385082Q", "2614", "双超、双有", "", "仅附件4填写")],
    )


def _today() -> datetime.date:
    from django.utils import timezone

    return timezone.localdate()


def export_record(*, actor, what: str, rows: int, obj=None, filters: dict | None = None) -> None:
    """Downloads of lists are logged (design.md §6): who took which table, how many rows."""
    event_record(
        action=f"export.{what}", actor=actor, obj=obj, after={"rows": rows, "filters": filters or {}}
    )
