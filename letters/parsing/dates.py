"""Chinese numerals and the dates letters write.

Known date forms: 2022年5月27日 (also 2022 年 05 月 27 日, 27号), 二〇二二年五月二十七日 (〇, ○, O
or 零 for zero), 2022-05-27, 2022/5/27, 2022.5.27, and 4月14日 without a year, which takes its
year from the letter (`resolve_year`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_DIGITS = {"〇": 0, "○": 0, "零": 0, "O": 0, "o": 0, "Ο": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
           "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}

CN_NUMBER = "[0-9〇○零一二两三四五六七八九十百千]+"


def chinese_to_int(text: str) -> int | None:
    """十四 → 14, 二十一 → 21, 十 → 10, 一百零一 → 101, 14 → 14; None if it is not a number."""
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for ch in text:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        elif ch in _UNITS:
            total += (current or 1) * _UNITS[ch]
            current = 0
        else:
            return None
    return total + current


def _year_value(text: str) -> int | None:
    """2022 or 二〇二二 (digit by digit) → 2022."""
    text = text.replace(" ", "")
    if text.isdigit():
        return int(text)
    if len(text) == 4 and all(ch in _DIGITS or ch.isdigit() for ch in text):
        # 二〇二二, also the mixed 二0二二 some offices type
        return int("".join(ch if ch.isdigit() else str(_DIGITS[ch]) for ch in text))
    return None


_CN_SMALL = "[0-9一二三四五六七八九十〇○零]{1,3}"
_YEAR = r"(?:(?:19|20)\d{2}|[〇○零一二OoΟ][〇○零一二三四五六七八九OoΟ0-9]{3})"

FULL_DATE_CN = re.compile(
    rf"(?P<y>{_YEAR})\s*年\s*(?P<m>{_CN_SMALL})\s*月\s*(?P<d>{_CN_SMALL})\s*[日号]"
)
FULL_DATE_NUMERIC = re.compile(
    r"(?<![\d.])(?P<y>(?:19|20)\d{2})\s*(?P<sep>[-/.])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<d>\d{1,2})(?![\d])"
)
MONTH_DAY = re.compile(rf"(?<![年\d])(?P<m>{_CN_SMALL})\s*月\s*(?P<d>{_CN_SMALL})\s*[日号]")


@dataclass(frozen=True)
class FoundDate:
    """A date found in a text: `year` is None when the text gave only month and day."""

    start: int
    end: int
    year: int | None
    month: int
    day: int

    def to_date(self, default_year: int | None = None) -> dt.date | None:
        year = self.year or default_year
        if year is None:
            return None
        try:
            return dt.date(year, self.month, self.day)
        except ValueError:
            return None


def _make(match: re.Match[str], with_year: bool) -> FoundDate | None:
    year = _year_value(match.group("y")) if with_year else None
    month = chinese_to_int(match.group("m"))
    day = chinese_to_int(match.group("d"))
    if month is None or day is None or not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    if with_year and (year is None or not 1949 <= year <= 2100):
        return None
    return FoundDate(match.start(), match.end(), year, month, day)


def find_dates(text: str, *, month_day: bool = True) -> list[FoundDate]:
    """Every date in `text`, in order: full dates first claim their span, then (if month_day)
    month-day dates outside them."""
    found: list[FoundDate] = []
    for pattern in (FULL_DATE_CN, FULL_DATE_NUMERIC):
        for match in pattern.finditer(text):
            item = _make(match, with_year=True)
            if item and not any(f.start <= item.start < f.end for f in found):
                found.append(item)
    if month_day:
        for match in MONTH_DAY.finditer(text):
            item = _make(match, with_year=False)
            if item and not any(f.start <= item.start < f.end for f in found):
                found.append(item)
    return sorted(found, key=lambda f: f.start)


def parse_full_date(text: str) -> dt.date | None:
    """The first complete date (with its year) in `text`, or None."""
    for item in find_dates(text, month_day=False):
        value = item.to_date()
        if value:
            return value
    return None


def is_date_only(text: str) -> bool:
    """True if `text` is a complete date and nothing else (a signature date line)."""
    text = text.strip().strip("()")
    dates = find_dates(text, month_day=False)
    return len(dates) == 1 and dates[0].start == 0 and dates[0].end == len(text)


def resolve_year(found: FoundDate, reference: dt.date | None) -> dt.date | None:
    """A month-day date takes its year from the letter's date; a month-day later than the
    letter itself belongs to the year before (a December meeting in a January letter)."""
    if found.year is not None:
        return found.to_date()
    if reference is None:
        return None
    value = found.to_date(reference.year)
    if value and value > reference:
        value = found.to_date(reference.year - 1)
    return value


# A date whose 年月日 were lost when the page was copied: 2023927 (2023年9月27日), 20211026.
_DIGITS_ONLY_DATE = re.compile(r"^(?P<y>(?:19|20)\d{2})(?P<md>\d{2,4})$")


def parse_digits_date(text: str) -> dt.date | None:
    """2023927 → 2023-09-27, 20211026 → 2021-10-26, 202271 → 2022-07-01; None when the digits
    read two ways (2022111: 1月11日 or 11月1日) or not at all. Only for a line that is nothing
    but the date (a signature's date line)."""
    match = _DIGITS_ONLY_DATE.match(text.strip())
    if not match:
        return None
    year, digits = int(match.group("y")), match.group("md")
    readings = set()
    for cut in range(1, len(digits)):
        month, day = digits[:cut], digits[cut:]
        if len(month) > 2 or len(day) > 2 or month.startswith("0") and len(month) == 1:
            continue
        try:
            readings.add(dt.date(year, int(month), int(day)))
        except ValueError:
            continue
    return readings.pop() if len(readings) == 1 else None
