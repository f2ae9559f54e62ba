"""The mainland working-day calendar (tracker/workdays.py) with chinese-calendar 1.11.0's data.

Expected dates are taken from the State Council's 2026 holiday notice as chinese-calendar 1.11.0
has it (checked against the library, see test_the_library_has_the_2026_schedule_these_tests_rely_on):
- Spring Festival: rest Sun 15 - Mon 23 Feb 2026; make-up working days Sat 14 Feb and Sat 28 Feb.
- Mid-Autumn: rest Fri 25 - Sun 27 Sep 2026.
- National Day: rest Thu 1 - Wed 7 Oct 2026; make-up working days Sun 20 Sep and Sat 10 Oct.
- Qingming: rest Sat 4 - Mon 6 Apr 2026.
2027 is not in the library: weekends and the statutory holidays (tests/tracker/test_statutory_holidays.py),
provisional, until the office enters it.
"""

import datetime as dt

import chinese_calendar
import pytest

from tracker.models import CalendarDay, CalendarYear
from tracker.workdays import WorkingCalendar, add_months, library_years

D = dt.date


def test_the_library_has_the_2026_schedule_these_tests_rely_on():
    spring_festival = [D(2026, 2, 15) + dt.timedelta(days=n) for n in range(9)]  # 15-23 Feb
    national_day = [D(2026, 10, 1) + dt.timedelta(days=n) for n in range(7)]  # 1-7 Oct
    assert not any(chinese_calendar.is_workday(day) for day in spring_festival + national_day)
    make_up_days = [D(2026, 2, 14), D(2026, 2, 28), D(2026, 9, 20), D(2026, 10, 10)]
    assert all(chinese_calendar.is_workday(day) for day in make_up_days)
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(D(2027, 1, 4))


# --- is_workday -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "is_workday"),
    [
        (D(2026, 2, 13), True),  # Fri before Spring Festival
        (D(2026, 2, 14), True),  # Sat, make-up working day
        (D(2026, 2, 15), False),  # Sun, first day of the holiday
        (D(2026, 2, 18), False),  # Wed, holiday: "weekdays minus weekends" would say working
        (D(2026, 2, 23), False),  # Mon, last day of the holiday
        (D(2026, 2, 24), True),  # Tue, back at work
        (D(2026, 2, 28), True),  # Sat, make-up working day
        (D(2026, 3, 1), False),  # Sun
        (D(2026, 9, 20), True),  # Sun, make-up day for National Day
        (D(2026, 9, 25), False),  # Fri, Mid-Autumn
        (D(2026, 10, 1), False),  # National Day
        (D(2026, 10, 7), False),  # last day of National Day
        (D(2026, 10, 8), True),  # Thu, back at work
        (D(2026, 10, 10), True),  # Sat, make-up working day
        (D(2026, 10, 11), False),  # Sun
    ],
)
def test_working_days_follow_the_mainland_schedule_with_make_up_days(day, is_workday):
    assert WorkingCalendar().is_workday(day) is is_workday


@pytest.mark.django_db
def test_known_year_is_not_provisional():
    calendar = WorkingCalendar()

    calendar.is_workday(D(2026, 2, 18))
    calendar.is_workday(D(2026, 12, 31))

    assert calendar.provisional is False


@pytest.mark.django_db
def test_unknown_year_falls_back_to_weekends_only_and_is_provisional():
    calendar = WorkingCalendar()

    assert calendar.is_workday(D(2027, 1, 4)) is True  # Monday
    assert calendar.is_workday(D(2027, 1, 9)) is False  # Saturday
    assert calendar.provisional is True


@pytest.mark.django_db
def test_year_entered_by_the_office_is_not_provisional():
    CalendarYear.objects.create(year=2027, note="国务院办公厅关于2027年部分节假日安排的通知")
    calendar = WorkingCalendar()

    assert calendar.is_workday(D(2027, 1, 4)) is True
    assert calendar.is_workday(D(2027, 1, 9)) is False
    assert calendar.provisional is False


@pytest.mark.django_db
def test_days_the_office_entered_for_a_new_year_are_rest_days_and_make_up_days():
    schedule = CalendarYear.objects.create(year=2027)
    CalendarDay.objects.create(
        schedule=schedule, date=D(2027, 2, 8), is_workday=False, name="春节"
    )  # a Monday
    CalendarDay.objects.create(
        schedule=schedule, date=D(2027, 2, 20), is_workday=True, name="春节调休"
    )  # a Saturday
    calendar = WorkingCalendar()

    assert calendar.is_workday(D(2027, 2, 8)) is False
    assert calendar.is_workday(D(2027, 2, 20)) is True
    assert calendar.provisional is False


@pytest.mark.django_db
def test_office_correction_of_a_known_year_overrides_chinese_calendar():
    # As in 2020, when the State Council extended Spring Festival after the library shipped.
    schedule = CalendarYear.objects.create(year=2026, note="更正")
    CalendarDay.objects.create(schedule=schedule, date=D(2026, 2, 24), is_workday=False, name="春节延长")
    CalendarDay.objects.create(schedule=schedule, date=D(2026, 2, 28), is_workday=False, name="取消调休")
    calendar = WorkingCalendar()

    assert calendar.is_workday(D(2026, 2, 24)) is False
    assert calendar.is_workday(D(2026, 2, 28)) is False
    assert calendar.is_workday(D(2026, 2, 25)) is True  # days not corrected still follow the library


@pytest.mark.django_db
def test_known_years_are_the_librarys_and_the_offices():
    assert WorkingCalendar().is_known_year(2026) is True
    assert WorkingCalendar().is_known_year(2027) is False
    CalendarYear.objects.create(year=2027)
    assert WorkingCalendar().is_known_year(2027) is True


def test_library_years_are_2004_to_2026():
    assert library_years() == frozenset(range(2004, 2027))


# --- counting working days --------------------------------------------------------------------


@pytest.mark.django_db
def test_counting_starts_the_day_after_assignment():
    # Mon 2 March 2026: day 1 is Tue 3 March; the 7th working day is Wed 11 March.
    assert WorkingCalendar().add_workdays(D(2026, 3, 2), 1) == D(2026, 3, 3)
    assert WorkingCalendar().add_workdays(D(2026, 3, 2), 7) == D(2026, 3, 11)


@pytest.mark.django_db
def test_seven_working_days_across_spring_festival_count_the_make_up_saturdays():
    # From Fri 13 Feb: Sat 14 (1), holiday 15-23, 24 (2), 25 (3), 26 (4), 27 (5), Sat 28 (6),
    # Sun 1 March rest, Mon 2 March (7).
    assert WorkingCalendar().add_workdays(D(2026, 2, 13), 7) == D(2026, 3, 2)


@pytest.mark.django_db
def test_seven_working_days_across_mid_autumn_count_the_make_up_sunday():
    # From Fri 18 Sep: Sat 19 rest, Sun 20 make-up (1), 21-24 (5), Mid-Autumn 25-27, 28 (6), 29 (7).
    assert WorkingCalendar().add_workdays(D(2026, 9, 18), 7) == D(2026, 9, 29)


@pytest.mark.django_db
def test_seven_working_days_across_national_day():
    # From Wed 30 Sep: holiday 1-7 Oct, 8 (1), 9 (2), Sat 10 make-up (3), Sun 11 rest, 12-15 (7).
    assert WorkingCalendar().add_workdays(D(2026, 9, 30), 7) == D(2026, 10, 15)


@pytest.mark.django_db
def test_counting_from_a_rest_day_starts_from_the_next_working_day():
    # Assigned on Mon 16 Feb (Spring Festival): counted as if assigned on Tue 24 Feb, the next
    # working day; then 25, 26, 27, Sat 28, 2, 3, 4 March.
    assert WorkingCalendar().add_workdays(D(2026, 2, 16), 7) == D(2026, 3, 4)


@pytest.mark.django_db
def test_zero_working_days_from_a_rest_day_is_the_next_working_day():
    assert WorkingCalendar().add_workdays(D(2026, 10, 3), 0) == D(2026, 10, 8)


@pytest.mark.django_db
def test_a_rest_day_rolls_to_the_next_working_day():
    calendar = WorkingCalendar()

    assert calendar.roll_to_workday(D(2026, 2, 17)) == D(2026, 2, 24)  # Spring Festival
    assert calendar.roll_to_workday(D(2026, 10, 1)) == D(2026, 10, 8)  # National Day
    assert calendar.roll_to_workday(D(2026, 2, 28)) == D(2026, 2, 28)  # make-up Saturday stays
    assert calendar.roll_to_workday(D(2026, 3, 2)) == D(2026, 3, 2)  # a working day stays


@pytest.mark.django_db
def test_rolling_in_an_unknown_year_skips_weekends_and_statutory_holidays():
    calendar = WorkingCalendar()

    assert calendar.roll_to_workday(D(2027, 1, 9)) == D(2027, 1, 11)  # Sat -> Mon
    assert calendar.roll_to_workday(D(2027, 4, 4)) == D(2027, 4, 6)  # Sun -> Mon 5 is 清明 -> Tue
    assert calendar.provisional is True


@pytest.mark.django_db
def test_working_days_between_two_dates():
    calendar = WorkingCalendar()

    # After Fri 13 Feb up to Mon 2 March: 14, 24, 25, 26, 27, 28 Feb and 2 March.
    assert calendar.workdays_between(D(2026, 2, 13), D(2026, 3, 2)) == 7
    assert calendar.workdays_between(D(2026, 3, 2), D(2026, 3, 2)) == 0
    assert calendar.workdays_between(D(2026, 3, 2), D(2026, 2, 27)) == 0


@pytest.mark.django_db
def test_counting_into_an_unknown_year_is_provisional():
    calendar = WorkingCalendar()

    # From Wed 30 Dec 2026: 31 Dec (1); Fri 1 Jan 2027 is 元旦, then the weekend; Mon 4 (2), Tue 5 (3).
    assert calendar.add_workdays(D(2026, 12, 30), 3) == D(2027, 1, 5)
    assert calendar.provisional is True


# --- months -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2026, 3, 2), 3, D(2026, 6, 2)),  # the same day three months later
        (D(2026, 3, 31), 3, D(2026, 6, 30)),  # June has no 31st: its last day
        (D(2026, 1, 31), 1, D(2026, 2, 28)),  # February 2026 has 28 days
        (D(2028, 1, 31), 1, D(2028, 2, 29)),  # 2028 is a leap year
        (D(2026, 11, 30), 3, D(2027, 2, 28)),  # across the year end
        (D(2026, 12, 1), 3, D(2027, 3, 1)),
        (D(2026, 3, 2), 6, D(2026, 9, 2)),
    ],
)
def test_months_end_on_the_corresponding_day_or_the_months_last_day(start, months, expected):
    assert add_months(start, months) == expected
