"""Working days on the Vietnamese calendar.

The ``holidays`` package (country ``VN``) knows Tết and the other lunar holidays and
the days the government swaps; administrators add days off or make-up working days on
top of it (``extra_off``, ``extra_on``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

import holidays

from chalicelib.domain.clock import VN_TZ

_OFFICE_CLOSES = time(17, 0)


class WorkingCalendar:
    def __init__(self, extra_off: Iterable[date] = (), extra_on: Iterable[date] = ()):
        self._holidays = holidays.country_holidays("VN")
        self._extra_off = set(extra_off)
        self._extra_on = set(extra_on)

    def is_working_day(self, day: date) -> bool:
        if day in self._extra_on:
            return True
        if day in self._extra_off or day in self._holidays:
            return False
        return day.weekday() < 5 or self._is_make_up_day(day)

    def _is_make_up_day(self, day: date) -> bool:
        # holidays lists the swapped days off; a weekend day it names as a working
        # day (the day paid back for a bridge holiday) counts as working.
        workdays = getattr(self._holidays, "weekend_workdays", set())
        return day in workdays

    def working_days_between(self, start: datetime, end: datetime) -> int:
        """Working days after ``start``'s day up to and including ``end``'s day."""
        day = start.astimezone(VN_TZ).date()
        last = end.astimezone(VN_TZ).date()
        count = 0
        while day < last:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """The end of the ``days``-th working day after ``start`` (17:00 Vietnam time)."""
        day = start.astimezone(VN_TZ).date()
        counted = 0
        while counted < days:
            day += timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return datetime.combine(day, _OFFICE_CLOSES, tzinfo=VN_TZ)
