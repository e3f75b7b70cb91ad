"""Chinese working days: holidays and adjusted working days (调休).

Order of authority for a date: a CalendarDay row the city entered, then the chinese-calendar library
where it has data, then weekends only. The last case marks the answer provisional so the city knows
to load that year's arrangement (environment.md: the library ends with 2026). Never raises.
"""

import datetime
import functools
from collections.abc import Iterable

import chinese_calendar

from qingshen.procedures.models import CalendarDay


class WorkCalendar:
    """A calendar that reads the city's overrides once and answers many questions."""

    def __init__(self, overrides: dict[datetime.date, bool] | None = None):
        if overrides is None:
            overrides = dict(CalendarDay.objects.values_list("date", "is_workday"))
        self.overrides = overrides
        self.provisional_years: set[int] = set()

    def is_workday(self, day: datetime.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            self.provisional_years.add(day.year)
            return day.weekday() < 5

    def is_known(self, day: datetime.date) -> bool:
        """True when the year's holidays are known (library data or the city's own rows)."""
        if day.year in self.years_with_overrides:
            return True
        try:
            chinese_calendar.is_workday(day)
        except NotImplementedError:
            return False
        return True

    @functools.cached_property
    def years_with_overrides(self) -> set[int]:
        # Once per calendar, not per day asked (a period of working days asks about each of its days).
        return {d.year for d in self.overrides}

    def add_working_days(self, start: datetime.date, count: int) -> datetime.date:
        """The date `count` working days after `start` (the start day itself is not counted)."""
        day = start
        remaining = count
        while remaining > 0:
            day += datetime.timedelta(days=1)
            if self.is_workday(day):
                remaining -= 1
        return day

    def next_workday_on_or_after(self, day: datetime.date) -> datetime.date:
        while not self.is_workday(day):
            day += datetime.timedelta(days=1)
        return day

    def touched_provisional(self, days: Iterable[datetime.date]) -> bool:
        return any(not self.is_known(d) for d in days)
