"""Working days of the mainland calendar, with the office's own corrections.

Order of authority for a date: a day the office entered in the admin (CalendarDay), then
chinese-calendar for the years it knows (2004-2026 in 1.11.0), then the statutory holidays the law
fixes ahead (tracker/holidays.py: weekends, statutory days and their 补假; the make-up working
days are not known yet). A result that had to fall back on the statutory holidays is
*provisional* (暂定) until the State Council's schedule for the year is entered or known.
"""

from __future__ import annotations

import datetime as dt

import chinese_calendar

from tracker import holidays
from tracker.models import CalendarDay, CalendarYear


class WorkingCalendar:
    """Answers is-this-a-working-day questions; loads each year's corrections once."""

    def __init__(self):
        self._entered_years: set[int] | None = None
        self._overrides: dict[int, dict[dt.date, bool]] = {}
        self.provisional_years: set[int] = set()

    @property
    def provisional(self) -> bool:
        """Whether any answer so far came from a year whose schedule is not published."""
        return bool(self.provisional_years)

    def sharing_schedules(self) -> WorkingCalendar:
        """A calendar that reuses the year schedules this one has read, with its own `provisional`.

        Many deadlines reckoned at once (a 交办会) read each year once; yet whether one deadline is
        暂定 must not depend on the years another deadline happened to touch.
        """
        other = WorkingCalendar()
        other._entered_years = self._office_years()
        other._overrides = self._overrides  # shared: a year read by either is read for both
        return other

    def _office_years(self) -> set[int]:
        if self._entered_years is None:
            self._entered_years = set(CalendarYear.objects.values_list("year", flat=True))
        return self._entered_years

    def _year_overrides(self, year: int) -> dict[dt.date, bool]:
        if year not in self._overrides:
            self._overrides[year] = dict(
                CalendarDay.objects.filter(date__year=year).values_list("date", "is_workday")
            )
        return self._overrides[year]

    def is_known_year(self, year: int) -> bool:
        return year in self._office_years() or _library_knows(year)

    def is_workday(self, day: dt.date) -> bool:
        overrides = self._year_overrides(day.year)
        if day in overrides:
            return overrides[day]
        if _library_knows(day.year):
            return chinese_calendar.is_workday(day)
        if day.year in self._office_years():
            return day.weekday() < 5
        self.provisional_years.add(day.year)
        return day.weekday() < 5 and day not in holidays.weekday_rest_days(day.year)

    def roll_to_workday(self, day: dt.date) -> dt.date:
        """A due date on a rest day moves to the next working day."""
        while not self.is_workday(day):
            day += dt.timedelta(days=1)
        return day

    def roll_back_to_workday(self, day: dt.date) -> dt.date:
        """The last working day on or before `day` (for limits that must not be passed)."""
        while not self.is_workday(day):
            day -= dt.timedelta(days=1)
        return day

    def add_workdays(self, start: dt.date, count: int) -> dt.date:
        """`count` working days after `start`; counting begins the day after.

        An assignment made on a rest day counts from the next working day (docs/domain.md, deadlines).
        """
        day = self.roll_to_workday(start)
        remaining = count
        while remaining > 0:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                remaining -= 1
        return day

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (0 if end <= start)."""
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                count += 1
        return count


_LIBRARY_YEARS: frozenset[int] = frozenset()


def library_years() -> frozenset[int]:
    """Years chinese-calendar has a published schedule for."""
    global _LIBRARY_YEARS
    if not _LIBRARY_YEARS:
        _LIBRARY_YEARS = frozenset(day.year for day in chinese_calendar.holidays)
    return _LIBRARY_YEARS


def _library_knows(year: int) -> bool:
    return year in library_years()


def provisional_reason(year: int | None = None) -> str:
    """Why a deadline in `year` is 暂定: the one wording every page, export and notice shows.

    Without a year (a count over several deadlines) it speaks of "the years concerned".
    """
    which = f"{year}年" if year else "相关年度"
    how = "已按法定节日推算" if year is None or holidays.covers(year) else "暂按周末推算"
    return f"{which}节假日安排尚未公布，{how}"


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day `months` later; the 31st becomes the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")
