"""Checking one row of the history template: the enterprise as the list import checks it, then the
round's dates and outcomes, refused when they contradict each other (each problem with its fix)."""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from qingshen.cases.history import PASSED
from qingshen.cases.models import AuditCase
from qingshen.core.files import row_checks
from qingshen.programmes.history import columns
from qingshen.programmes.imports import rows as list_rows

H = columns.HEADERS
# The steps in the order the lifecycle takes them: each known date is on or after the one before.
ORDER = (
    "published_on",
    "disclosed_on",
    "audit_started_on",
    "report_submitted_on",
    "evaluation_on",
    "acceptance_on",
    "result_published_on",
)


@dataclass
class HistoryContext:
    """What the check looks up once per file."""

    enterprise: list_rows.Context  # the list import's context (districts, industries, registry, scope)
    today: datetime.date
    sha256: str
    programmes: dict[int, bool]  # year → historical? (the city's programmes that exist)
    existing: dict[tuple[int, str], str]  # (year, uscc) → the file digest its case came from ("" live)
    agencies: dict[str, int]  # squashed name or credit code → id
    seen: dict[int, dict] = field(default_factory=dict)  # year → the list check's `seen` for that year
    skipped: list[int] = field(default_factory=list)
    new_districts: dict[str, tuple[int, int]] = field(default_factory=dict)  # new code → (district, row)

    @property
    def errors(self) -> list[dict]:
        return self.enterprise.errors


def _error(ctx: HistoryContext, row: int, key: str, problem, fix) -> None:
    ctx.errors.append({"row": row, "column": H.get(key, key), "problem": str(problem), "fix": str(fix)})


def _year(ctx: HistoryContext, rownum: int, raw: str) -> int | None:
    text = list_rows.clean_text(raw).removesuffix("年")
    if not (text.isdigit() and len(text) == 4) or int(text) > ctx.today.year:
        _error(
            ctx,
            rownum,
            "year",
            _("“%(v)s” is not a past programme year.") % {"v": raw},
            _("Write the year of the list as four digits, e.g. 2020."),
        )
        return None
    year = int(text)
    if ctx.programmes.get(year) is False:
        _error(
            ctx,
            rownum,
            "year",
            _("The %(year)s programme is run in the system; its cases are not imported.") % {"year": year},
            _("Remove the row, or enter the case's steps in the system."),
        )
        return None
    return year


def check_row(ctx: HistoryContext, rownum: int, values: dict[str, str]) -> dict | None:
    """The normalised row, or None with its problems added to ctx (None also for a row this file
    already brought in: it is noted in ctx.skipped)."""
    before = len(ctx.errors)
    for key in columns.ROUND_ALIASES:
        if message := row_checks.cell_characters_problem(values.get(key, "")):
            _error(ctx, rownum, key, message, _("Type the cell again instead of pasting it."))
    if len(ctx.errors) > before:
        return None
    year = _year(ctx, rownum, values.get("year", ""))
    seen = ctx.seen.setdefault(year, {})
    enterprise = list_rows.validate_row(
        ctx.enterprise, rownum, {f: values.get(f, "") for f in columns.LIST_FIELDS if f in values}, seen
    )
    dates = _dates(ctx, rownum, values)
    if len(ctx.errors) > before or enterprise is None or year is None or dates is None:
        return None
    if int(dates["published_on"][:4]) not in (year - 1, year):
        _error(
            ctx,
            rownum,
            "published_on",
            _("A list of %(year)s is not published on %(d)s.") % {"year": year, "d": dates["published_on"]},
            _("Correct the year or the publication date."),
        )
        return None
    if enterprise["enterprise_id"] is None:  # new to the registry: the same district in every year
        district, first = ctx.new_districts.setdefault(
            enterprise["uscc"], (enterprise["district_id"], rownum)
        )
        if district != enterprise["district_id"]:
            _error(
                ctx,
                rownum,
                "district",
                _("Row %(row)s puts this enterprise in another district.") % {"row": first},
                _("Use the same district in every row of the enterprise."),
            )
            return None
    came_from = ctx.existing.get((year, enterprise["uscc"]))
    if came_from == ctx.sha256:
        ctx.skipped.append(rownum)
        return None
    if came_from is not None:
        _error(
            ctx,
            rownum,
            "uscc",
            _("This enterprise already has a case in the %(year)s programme.") % {"year": year},
            _("Remove the row: the case is already in the system."),
        )
        return None
    agency_id = None
    if raw_agency := list_rows.clean_text(values.get("agency", "")):
        agency_id = ctx.agencies.get(raw_agency.upper()) or ctx.agencies.get(list_rows.squash(raw_agency))
        if agency_id is None:
            _error(
                ctx,
                rownum,
                "agency",
                _("“%(a)s” is not a registered agency.") % {"a": raw_agency},
                _("Register the agency first, or leave the cell empty."),
            )
            return None
    return {**enterprise, "year": year, "agency_id": agency_id, **dates}


def _dates(ctx: HistoryContext, rownum: int, values: dict[str, str]) -> dict | None:
    before = len(ctx.errors)
    d: dict = {}
    for key in columns.DATE_FIELDS:
        value, ok = columns.parse_date(values.get(key, ""))
        if not ok:
            _error(
                ctx,
                rownum,
                key,
                _("“%(v)s” is not a date.") % {"v": values.get(key, "")},
                _("Write the date as 2020-05-01."),
            )
        elif value and value > ctx.today and key != "acceptance_due_on":
            _error(
                ctx,
                rownum,
                key,
                _("%(d)s is after today.") % {"d": value},
                _("Only steps that have happened are imported; leave the cell empty."),
            )
        d[key] = value
    for key, parse in (("evaluation", columns.parse_outcome), ("acceptance", columns.parse_outcome)):
        d[key], ok = parse(values.get(key, ""))
        if not ok:
            _error(
                ctx,
                rownum,
                key,
                _("“%(v)s” is not a result.") % {"v": values[key]},
                _("Write 通过 or 不通过."),
            )
    d["level"], ok = columns.parse_level(values.get("level", ""))
    if not ok:
        _error(
            ctx,
            rownum,
            "level",
            _("“%(v)s” is not a level.") % {"v": values["level"]},
            _("Write Ⅰ级, Ⅱ级 or Ⅲ级."),
        )
    d["withdrawn_reason"] = list_rows.clean_text(values.get("withdrawn_reason", ""))
    if message := row_checks.field_problem(AuditCase, "withdrawn_reason", d["withdrawn_reason"]):
        _error(ctx, rownum, "withdrawn_reason", message, _("Shorten the reason."))
    if len(ctx.errors) > before:
        return None
    _contradictions(ctx, rownum, d)
    if len(ctx.errors) > before:
        return None
    return {k: (v.isoformat() if isinstance(v, datetime.date) else v) for k, v in d.items()}


def _contradictions(ctx: HistoryContext, rownum: int, d: dict) -> None:
    def refuse(key, problem, fix):
        _error(ctx, rownum, key, problem, fix)

    if d["published_on"] is None:
        refuse(
            "published_on",
            _("The list's publication date is empty."),
            _("Write the date the list was published."),
        )
        return
    earlier = None
    for key in ORDER:
        if d[key] is None:
            continue
        if earlier is not None and d[key] < d[earlier]:
            refuse(
                key,
                _("%(this)s (%(d)s) is before %(that)s (%(e)s).")
                % {"this": H[key], "d": d[key], "that": H[earlier], "e": d[earlier]},
                _("Correct one of the two dates."),
            )
        earlier = key
    for outcome, day in (("evaluation", "evaluation_on"), ("acceptance", "acceptance_on")):
        if bool(d[outcome]) != bool(d[day]):
            refuse(
                outcome if not d[outcome] else day,
                _("%(r)s and %(d)s go together.") % {"r": H[outcome], "d": H[day]},
                _("Fill in both, or neither."),
            )
    if d["acceptance"] and d["evaluation"] != PASSED:
        refuse(
            "acceptance",
            _("An acceptance needs a passed evaluation."),
            _("Fill in the evaluation, or remove the acceptance."),
        )
    if d["acceptance_due_on"] and d["evaluation"] != PASSED:
        refuse(
            "acceptance_due_on",
            _("An acceptance time limit needs a passed evaluation."),
            _("Fill in the evaluation, or remove the time limit."),
        )
    elif d["acceptance_due_on"] and d["acceptance_due_on"] < d["evaluation_on"]:
        refuse(
            "acceptance_due_on",
            _("The acceptance time limit is before the evaluation."),
            _("Correct one of the two dates."),
        )
    if d["level"] and d["acceptance"] != PASSED:
        refuse(
            "level",
            _("A level is only reached by a passed acceptance."),
            _("Fill in the acceptance, or remove the level."),
        )
    if d["result_published_on"] and d["acceptance"] != PASSED:
        refuse(
            "result_published_on",
            _("Only a passed acceptance is published."),
            _("Fill in the acceptance, or remove the date."),
        )
    if bool(d["withdrawn_on"]) != bool(d["withdrawn_reason"]):
        refuse(
            "withdrawn_reason",
            _("A withdrawal needs both its date and its reason."),
            _("Fill in both, or neither."),
        )
    if d["withdrawn_on"] and d["acceptance"] == PASSED:
        refuse(
            "withdrawn_on",
            _("An accepted case cannot be withdrawn."),
            _("Remove the withdrawal or the acceptance."),
        )
    elif d["withdrawn_on"] and d["withdrawn_on"] < d["published_on"]:
        refuse(
            "withdrawn_on",
            _("The withdrawal is before the list's publication."),
            _("Correct one of the two dates."),
        )
    elif d["withdrawn_on"]:
        last = max(d[k] for k in ORDER if d[k] is not None)
        if d["withdrawn_on"] < last:
            refuse(
                "withdrawn_on",
                _("The withdrawal is before the last step recorded (%(d)s).") % {"d": last},
                _("Correct one of the two dates."),
            )
