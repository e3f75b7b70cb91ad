"""Reading the time-limit rules and turning them into dates."""

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db import router

from qingshen.core.plain_reads import columns, instances
from qingshen.procedures.models import Rule
from qingshen.procedures.workcalendar import WorkCalendar


class RuleMissing(LookupError):
    pass


@dataclass(frozen=True)
class Due:
    date: datetime.date
    provisional: bool  # the calendar for some day involved was not known: weekends only
    rule: Rule


def rule_get(code: str) -> Rule:
    try:
        return Rule.objects.get(code=code)
    except Rule.DoesNotExist as exc:
        raise RuleMissing(code) from exc


def rules_by_code(codes) -> dict[str, Rule]:
    """The rules of these codes that exist, by code."""
    codes = sorted(codes)
    if not codes:
        return {}
    # Read at every step of a case (its deadlines): core.plain_reads.
    placeholders = ", ".join(["%s"] * len(codes))
    sql = f'SELECT {columns(Rule)} FROM "{Rule._meta.db_table}" WHERE "code" IN ({placeholders})'  # noqa: S608 (the model's names)
    return {r.code: r for r in instances(Rule, sql, codes, using=router.db_for_read(Rule))}


def due_from(*, rule: Rule, start: datetime.date, calendar: WorkCalendar | None = None) -> Due:
    """The last day of the period `rule` that starts on `start`.

    Months and years end on the corresponding day (or the month's last day); days are counted from
    the day after `start`. When the last day is a rest day and the rule says so, the period ends on
    the next working day (《民法典》第二百零三条).
    """
    if rule.unit in (Rule.Unit.COUNT, Rule.Unit.POINTS):
        raise ValueError(f"rule {rule.code} is a number, not a time limit")
    calendar = calendar or WorkCalendar()
    unit = rule.unit
    if unit == Rule.Unit.WORKING_DAYS:
        end = calendar.add_working_days(start, rule.amount)
        touched = [start + datetime.timedelta(days=i) for i in range((end - start).days + 1)]
    else:
        if unit == Rule.Unit.DAYS:
            end = start + datetime.timedelta(days=rule.amount)
        elif unit == Rule.Unit.MONTHS:
            end = start + relativedelta(months=rule.amount)
        else:
            end = start + relativedelta(years=rule.amount)
        touched = [end]
        if rule.roll_forward:
            rolled = calendar.next_workday_on_or_after(end)
            touched = [end + datetime.timedelta(days=i) for i in range((rolled - end).days + 1)]
            end = rolled
    return Due(date=end, provisional=calendar.touched_provisional(touched), rule=rule)
