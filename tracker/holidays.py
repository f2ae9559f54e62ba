"""The statutory holidays of 《全国年节及纪念日放假办法》, for years whose schedule is not published.

The law fixes the holidays years ahead; the State Council's yearly notice only adds the make-up
working days (调休) and places the 补假. So for a year that neither the office nor chinese-calendar
knows, the rest days are the weekends, the statutory days, and one 补假 for each statutory day
that falls on a Saturday or Sunday or on another holiday's day, given on the first weekdays after
that holiday that are not rest days already. That is how the notices of 2015-2026 gave them
(tests/tracker/test_statutory_holidays.py compares every year); the one exception, 2015's
中秋 补假 joined to the National Day week, cannot be foreseen.

Lunar dates come from lunardate; the 清明 solar term from chinese-calendar's solar-term formula
(both agree with lunar-python's astronomical tables for 2004-2099).
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import chinese_calendar
from lunardate import LunarDate

# The 2013 amendment (in force 2014) is the oldest rule modelled: chinese-calendar knows every
# year before it. lunardate stops at 2099.
FIRST_YEAR, LAST_YEAR = 2014, 2099
# The 2024 amendment (国务院令第795号, in force 2025): 除夕 and 5月2日 became holidays.
AMENDMENT_2024_FROM = 2025

ONE_DAY = dt.timedelta(days=1)


def covers(year: int) -> bool:
    """Whether the statutory holidays of `year` can be computed here."""
    return FIRST_YEAR <= year <= LAST_YEAR


def statutory_holidays(year: int) -> dict[str, tuple[dt.date, ...]]:
    """Each holiday's statutory days in `year`, under the rule in force that year."""
    if not covers(year):
        raise ValueError(f"只能推算{FIRST_YEAR}-{LAST_YEAR}年的法定节日 / year out of range: {year}")
    amended = year >= AMENDMENT_2024_FROM
    new_year_of_lunar = _lunar(year, 1, 1)
    spring_festival_from = new_year_of_lunar - ONE_DAY if amended else new_year_of_lunar  # 除夕
    labour_days = 2 if amended else 1
    return {
        "元旦": (dt.date(year, 1, 1),),
        "春节": _run(spring_festival_from, until=new_year_of_lunar + 2 * ONE_DAY),
        "清明节": (_qingming(year),),
        "劳动节": _run(dt.date(year, 5, 1), until=dt.date(year, 5, labour_days)),
        "端午节": (_lunar(year, 5, 5),),
        "中秋节": (_lunar(year, 8, 15),),
        "国庆节": _run(dt.date(year, 10, 1), until=dt.date(year, 10, 3)),
    }


@cache
def days_in_lieu(year: int) -> dict[dt.date, str]:
    """The 补假 of `year`: weekday -> the holiday it makes up for."""
    holidays = statutory_holidays(year)
    statutory = {day for days in holidays.values() for day in days}
    in_lieu: dict[dt.date, str] = {}
    already_holiday: set[dt.date] = set()
    for name, days in sorted(holidays.items(), key=lambda item: item[1][0]):
        owed = sum(1 for day in days if _is_weekend(day) or day in already_holiday)
        already_holiday.update(days)
        day = days[-1]
        while owed:
            day += ONE_DAY
            if not (_is_weekend(day) or day in statutory or day in in_lieu):
                in_lieu[day] = name
                owed -= 1
    return in_lieu


@cache
def weekday_rest_days(year: int) -> frozenset[dt.date]:
    """Statutory days and 补假 of `year` (weekends not included); empty outside the years covered."""
    if not covers(year):
        return frozenset()
    statutory = {day for days in statutory_holidays(year).values() for day in days}
    return frozenset(statutory | days_in_lieu(year).keys())


def describe(year: int) -> str:
    """What the fallback assumes for `year`, as a clerk reads it: 元旦1月1日;春节2月5日至8日,补假2月9日、10日;…"""
    in_lieu = days_in_lieu(year)
    parts = []
    for name, days in statutory_holidays(year).items():
        text = name + _span(days)
        owed = sorted(day for day, holiday in in_lieu.items() if holiday == name)
        if owed:
            text += "，补假" + "、".join(f"{day.month}月{day.day}日" for day in owed)
        parts.append(text)
    return ";".join(parts)


def _span(days: tuple[dt.date, ...]) -> str:
    first, last = days[0], days[-1]
    if first == last:
        return f"{first.month}月{first.day}日"
    end = f"{last.day}日" if last.month == first.month else f"{last.month}月{last.day}日"
    return f"{first.month}月{first.day}日至{end}"


def _lunar(year: int, month: int, day: int) -> dt.date:
    return LunarDate(year, month, day).to_solar_date()


def _qingming(year: int) -> dt.date:
    terms = chinese_calendar.get_solar_terms(dt.date(year, 4, 1), dt.date(year, 4, 30))
    return next(day for day, name in terms if name == "清明")


def _run(first: dt.date, *, until: dt.date) -> tuple[dt.date, ...]:
    return tuple(first + n * ONE_DAY for n in range((until - first).days + 1))


def _is_weekend(day: dt.date) -> bool:
    return day.weekday() >= 5
