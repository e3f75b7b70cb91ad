"""A summary table (附件3) of a year before the system, as a district types it in or imports it in the
export's own layout (reports.exports.summary_xlsx): the figures checked cell by cell, every problem
reported with where it is and what to do, nothing kept unless all of it is right."""

import dataclasses
from decimal import Decimal, InvalidOperation

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from qingshen.cases.models import Indicator
from qingshen.core.errors import Refused
from qingshen.core.files.spreadsheets import FileRefused, rows_of, sniff
from qingshen.reports import figures as summary

# The largest figure a cell may hold: a typing error (a pasted credit code, say) rather than a count.
COUNT_MAX = 10**7
AMOUNT_MAX = Decimal(10**12)
# What each count may not exceed: (part, whole).
PARTS = (
    ("disclosed", "listed"),
    ("started", "listed"),
    ("reports", "listed"),
    ("carried_over", "listed"),
    ("not_assessable", "listed"),
    ("evaluations_carried", "evaluations"),
    ("acceptances_carried", "acceptances"),
)
SUMS = (
    ("evaluations_passed", "evaluations_failed", "evaluations"),
    ("acceptances_passed", "acceptances_failed", "acceptances"),
)


@dataclasses.dataclass
class Problem:
    where: str  # a column's name, or a cell such as "C5"
    reason: str


class EnteredRefused(Refused):
    def __init__(self, problems: list[Problem]):
        super().__init__(_("The table was not kept: %(n)s problem(s), listed below.") % {"n": len(problems)})
        self.problems = problems


def entered_columns() -> list[summary.Column]:
    return summary.columns(Indicator.objects.all())


def _name(col) -> str:
    return f"{col.group} · {col.label}"


def _value(col, text: str):
    """The figure of one cell, or the reason it is refused."""
    text = (text or "").strip().replace(",", "").replace("，", "")
    if not text:
        return (Decimal(0).quantize(col.decimal) if col.decimal else 0), None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None, _("“%(v)s” is not a number.") % {"v": text[:40]}
    if not number.is_finite() or number < 0:
        return None, _("Enter a number of zero or more.")
    if col.decimal is None:
        if number != number.to_integral_value():
            return None, _("Enter a whole number (a count).")
        if number > COUNT_MAX:
            return None, _("%(v)s is larger than a count can be (at most %(max)s).") % {
                "v": text[:40],
                "max": COUNT_MAX,
            }
        return int(number), None
    if number > AMOUNT_MAX:
        return None, _("%(v)s is too large.") % {"v": text[:40]}
    return number.quantize(col.decimal), None


def figures_checked(cols, raw: dict, where=None) -> dict:
    """{key: figure} from {key: text}; `where(col)` names a column's place in the user's input.
    Raises EnteredRefused with every problem at once."""
    where = where or _name
    figures, problems = {}, []
    for col in cols:
        value, reason = _value(col, raw.get(col.key, ""))
        if reason:
            problems.append(Problem(where(col), reason))
        else:
            figures[col.key] = value
    by_key = {c.key: c for c in cols}
    if not problems:
        for part, whole in PARTS:
            if part in figures and whole in figures and figures[part] > figures[whole]:
                problems.append(
                    Problem(
                        where(by_key[part]),
                        _("It is larger than “%(whole)s” (%(n)s).")
                        % {"whole": _name(by_key[whole]), "n": figures[whole]},
                    )
                )
        for passed, failed, held in SUMS:
            if (
                all(k in figures for k in (passed, failed, held))
                and figures[passed] + figures[failed] > figures[held]
            ):
                problems.append(
                    Problem(
                        where(by_key[held]),
                        _("Passed and failed together exceed the reviews held."),
                    )
                )
        for c in cols:
            if c.key.endswith("_implemented"):
                planned = c.key.replace("_implemented", "_planned")
                if planned in figures and figures[c.key] > figures[planned]:
                    problems.append(Problem(where(c), _("More was implemented than planned.")))
    if problems:
        raise EnteredRefused(problems)
    return figures


def _cell(row: int, column: int) -> str:
    letters = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row + 1}"


def _labels(text_of) -> set[str]:
    """A header's wording in each language the export is written in."""
    from django.conf import settings

    out = set()
    for code, _n in settings.LANGUAGES:
        with translation.override(code):
            out.add(str(text_of()).strip())
    return out


def figures_from_sheet(data: bytes, name: str, district, cols) -> dict:
    """The district's row of an uploaded 附件3 in the export's layout, as {key: text}. Refuses (with
    the cell) a file in another layout, a missing row, or headers that are not the table's."""
    try:
        rows = list(rows_of(data, sniff(data, name)))
    except FileRefused as exc:
        raise EnteredRefused([Problem(name[:80], exc.message)]) from exc
    district_words = _labels(lambda: _("District"))
    head = next((i for i, r in enumerate(rows) if r and r[0].strip() in district_words), None)
    if head is None or head + 1 >= len(rows):
        raise EnteredRefused(
            [
                Problem(
                    name[:80],
                    _(
                        "This is not the summary table's layout: no “District” header was found. Start from the template."
                    ),
                )
            ]
        )
    labels = rows[head + 1]
    problems = []
    for i, col in enumerate(cols, start=1):
        found = labels[i].strip() if i < len(labels) else ""
        if found not in _labels(lambda col=col: col.label):
            problems.append(
                Problem(
                    _cell(head + 1, i),
                    _("The header should read “%(want)s”, not “%(found)s”.")
                    % {"want": col.label, "found": found[:40]},
                )
            )
    if problems:
        raise EnteredRefused(problems[:20])
    totals = _labels(lambda: pgettext("sum of the rows", "Total"))
    body = [
        (i, r)
        for i, r in enumerate(rows[head + 2 :], start=head + 2)
        if r and r[0].strip() and r[0].strip() not in totals
    ]
    names = {district.local_name, district.name}
    mine = [(i, r) for i, r in body if r[0].strip() in names]
    if not mine and len(body) == 1:
        mine = body
    if len(mine) != 1:
        raise EnteredRefused(
            [
                Problem(
                    name[:80],
                    _("The file should hold one row named “%(d)s”; it holds %(n)s such rows.")
                    % {"d": district.local_name, "n": len(mine)},
                )
            ]
        )
    at, row = mine[0]
    raw = {col.key: (row[i] if i < len(row) else "") for i, col in enumerate(cols, start=1)}
    places = {col.key: _cell(at, i) for i, col in enumerate(cols, start=1)}
    figures_checked(cols, raw, where=lambda col: f"{places[col.key]} ({_name(col)})")
    return raw
