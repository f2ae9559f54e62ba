"""Years without a published schedule: the statutory holidays and their 补假 (tracker/holidays.py).

2027 by the law as amended in 2024 (in force 2025): 元旦 Fri 1 Jan; 春节 除夕 Fri 5 Feb to 初三
Mon 8 Feb, Sat 6 and Sun 7 owe 补假 Tue 9 and Wed 10; 清明 Mon 5 April; 劳动节 Sat 1 and Sun 2 May,
补假 Mon 3 and Tue 4; 端午 Wed 9 June; 中秋 Wed 15 September; 国庆 Fri 1 to Sun 3 October, 补假
Mon 4 and Tue 5. Lunar dates as lunardate gives them, the 清明 solar term as chinese-calendar
computes it; lunar-python and borax give the same for 2027.
"""

import datetime as dt

import chinese_calendar
import pytest
from django.urls import reverse

from proposals.deadlines import compute_deadlines
from proposals.models import Assignment, Event
from tests.factories import AgencyFactory, MeetingFactory, assigned_proposal, assignment_of
from tracker import holidays
from tracker.workdays import WorkingCalendar, provisional_reason

D = dt.date


def test_2027_statutory_holidays_by_the_2024_amendment():
    assert holidays.statutory_holidays(2027) == {
        "元旦": (D(2027, 1, 1),),
        "春节": (D(2027, 2, 5), D(2027, 2, 6), D(2027, 2, 7), D(2027, 2, 8)),
        "清明节": (D(2027, 4, 5),),
        "劳动节": (D(2027, 5, 1), D(2027, 5, 2)),
        "端午节": (D(2027, 6, 9),),
        "中秋节": (D(2027, 9, 15),),
        "国庆节": (D(2027, 10, 1), D(2027, 10, 2), D(2027, 10, 3)),
    }


def test_statutory_days_on_a_weekend_owe_days_in_lieu_on_the_next_weekdays():
    assert holidays.days_in_lieu(2027) == {
        D(2027, 2, 9): "春节", D(2027, 2, 10): "春节",
        D(2027, 5, 3): "劳动节", D(2027, 5, 4): "劳动节",
        D(2027, 10, 4): "国庆节", D(2027, 10, 5): "国庆节",
    }


def test_two_holidays_on_one_day_owe_one_day_in_lieu():
    # 2020: 中秋 fell on 1 October; with 国庆's Saturday 3 October that is two 补假, Mon 5 and Tue 6.
    assert holidays.days_in_lieu(2020) == {
        D(2020, 1, 28): "春节", D(2020, 1, 29): "春节", D(2020, 4, 6): "清明节",
        D(2020, 10, 5): "国庆节", D(2020, 10, 6): "国庆节",
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "is_workday"),
    [
        (D(2027, 1, 1), False),  # Fri, 元旦
        (D(2027, 1, 4), True),
        (D(2027, 2, 4), True),  # Thu before 除夕
        (D(2027, 2, 5), False),  # Fri, 除夕
        (D(2027, 2, 10), False),  # Wed, 春节 补假
        (D(2027, 2, 11), True),
        (D(2027, 5, 4), False),  # Tue, 劳动节 补假
        (D(2027, 5, 5), True),
        (D(2027, 10, 5), False),  # Tue, 国庆 补假
        (D(2027, 10, 6), True),  # Wed: the notice will likely add more; it is not known yet
    ],
)
def test_an_unpublished_year_rests_on_its_statutory_holidays_and_days_in_lieu(day, is_workday):
    calendar = WorkingCalendar()

    assert calendar.is_workday(day) is is_workday
    assert calendar.provisional_years == {2027}


@pytest.mark.django_db
def test_a_year_beyond_the_lunar_tables_falls_back_to_weekends_only():
    calendar = WorkingCalendar()

    assert calendar.is_workday(D(2100, 1, 1)) is True  # a Friday, 元旦: no lunar data past 2099
    assert calendar.provisional is True
    assert provisional_reason(2100) == "2100年节假日安排尚未公布，暂按周末推算"


def test_the_provisional_reason_names_the_year_and_the_method():
    assert provisional_reason(2027) == "2027年节假日安排尚未公布，已按法定节日推算"
    assert provisional_reason() == "相关年度节假日安排尚未公布，已按法定节日推算"


def test_years_outside_the_modelled_law_are_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="只能推算2014-2099年的法定节日"):
        holidays.statutory_holidays(2100)


# --- deadlines on the fallback, and entering the year in the admin ----------------------------

# (role, assigned on, due before the move, due on the statutory calendar)
DUE_ON_A_STATUTORY_HOLIDAY = [
    # Assisting opinion: Tue 1 Dec 2026 + 1 month = Fri 1 Jan 2027 (元旦) -> Mon 4 Jan.
    (Assignment.Role.ASSISTING, D(2026, 12, 1), D(2027, 1, 4)),
    # Reply: Tue 5 Jan + 3 months = Mon 5 April (清明) -> Tue 6 April.
    (Assignment.Role.LEAD, D(2027, 1, 5), D(2027, 4, 6)),
    # Reply: Tue 9 March + 3 months = Wed 9 June (端午) -> Thu 10 June.
    (Assignment.Role.LEAD, D(2027, 3, 9), D(2027, 6, 10)),
    # Reply: Tue 15 June + 3 months = Wed 15 September (中秋) -> Thu 16 September.
    (Assignment.Role.LEAD, D(2027, 6, 15), D(2027, 9, 16)),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "assigned_on", "due_on"), DUE_ON_A_STATUTORY_HOLIDAY)
def test_a_due_date_on_a_statutory_holiday_moves_to_the_next_working_day_provisionally(
    role, assigned_on, due_on
):
    result = compute_deadlines(meeting=MeetingFactory(), role=role, assigned_on=assigned_on)

    assert (result.due_on, result.provisional) == (due_on, True)


def inline_management(prefix, total):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}


def schedule_post(year, days):
    """The CalendarYear admin form: the notice, then its rest days and make-up working days."""
    data = {"year": str(year), "note": f"国务院办公厅关于{year}年部分节假日安排的通知",
            **inline_management("days", total=len(days))}
    for index, (day, is_workday, name) in enumerate(days):
        data[f"days-{index}-date"] = day.isoformat()
        data[f"days-{index}-name"] = name
        if is_workday:
            data[f"days-{index}-is_workday"] = "on"
    return data


@pytest.mark.django_db
def test_entering_2027_in_the_admin_recomputes_the_provisional_deadlines(client, clerk):
    opinion_agency = AgencyFactory()
    stored = [  # the four due dates above, as the workflow stored them
        assignment_of(assigned_proposal(by=clerk, assisting=[opinion_agency], on=D(2026, 12, 1)), opinion_agency),
        *(assigned_proposal(by=clerk, on=on).assignments.get() for _, on, _ in DUE_ON_A_STATUTORY_HOLIDAY[1:]),
    ]
    # Wed 3 Feb + 3 months = Mon 3 May, a 劳动节 补假 -> Wed 5 May.
    labour_day = assigned_proposal(by=clerk, on=D(2027, 2, 3)).assignments.get()
    expected = [due for _, _, due in DUE_ON_A_STATUTORY_HOLIDAY]
    assert [(a.due_on, a.due_provisional) for a in stored] == [(due, True) for due in expected]
    assert (labour_day.due_on, labour_day.due_provisional) == (D(2027, 5, 5), True)
    client.force_login(clerk)

    # Suppose the notice: 元旦 1-3 Jan, 清明 3-5 April, 劳动节 1-5 May with make-up Sun 25 April and
    # Sat 8 May, 端午 9 June, 中秋 15 September.
    response = client.post(reverse("admin:tracker_calendaryear_add"), schedule_post(2027, [
        *((D(2027, 1, day), False, "元旦") for day in (1, 2, 3)),
        *((D(2027, 4, day), False, "清明节") for day in (3, 4, 5)),
        (D(2027, 4, 25), True, "劳动节调休"),
        *((D(2027, 5, day), False, "劳动节") for day in range(1, 6)),
        (D(2027, 5, 8), True, "劳动节调休"),
        (D(2027, 6, 9), False, "端午节"),
        (D(2027, 9, 15), False, "中秋节"),
    ]))

    assert response.status_code == 302
    for assignment, due in zip(stored, expected, strict=True):
        assignment.refresh_from_db()
        assert (assignment.due_on, assignment.due_provisional) == (due, False)
        assert Event.objects.get(assignment=assignment, action=Event.Action.RECOMPUTE_DEADLINE).note == (
            f"节假日安排已录入，期限{due:%Y-%m-%d}确定"
        )
    labour_day.refresh_from_db()
    # 5 May is a rest day in the notice (the fallback could not know): Thu 6 May, final.
    assert (labour_day.due_on, labour_day.due_provisional) == (D(2027, 5, 6), False)


# --- against history: the fallback for 2015-2026 vs the schedules the State Council published ----

HISTORY = range(2015, 2027)
# Rest days no rule foresees: (weekdays, what the notice said).
ONE_OFF_REST = {
    2015: (1, "9月3日抗战胜利70周年纪念日放假"),
    2020: (2, "春节假期延长：1月31日加放，原定与1月30日对调的2月1日上班取消"),
}
# 补假 the State Council gave elsewhere than the first weekdays after the holiday.
MOVED_IN_LIEU = {2015: ({D(2015, 9, 28)}, "中秋（9月27日周日）的补假未放在9月28日，并入国庆假期")}


def rest_days_of(year, *, is_rest):
    first = D(year, 1, 1)
    return {day for day in (first + dt.timedelta(n) for n in range(366)) if day.year == year and is_rest(day)}


def compare_with_published(year):
    published = rest_days_of(year, is_rest=lambda day: not chinese_calendar.is_workday(day))
    fallback = rest_days_of(year, is_rest=lambda day: day.weekday() >= 5 or day in holidays.weekday_rest_days(year))
    only_fallback, only_published = fallback - published, published - fallback
    return {
        "statutory": {day for days in holidays.statutory_holidays(year).values() for day in days},
        "published": published,
        "differ": only_fallback | only_published,
        "make_up_workdays": {day for day in only_fallback if day.weekday() >= 5},
        "moved_in_lieu": {day for day in only_fallback if day.weekday() < 5},
        "swapped_rest": only_published,
    }


def history_table():
    lines = ["年份 法定节日天数 推算补假 | 相差天数 = 周末调休上班 + 工作日调休放假 + 补假另排 | 说明"]
    for year in HISTORY:
        found = compare_with_published(year)
        notes = [ONE_OFF_REST.get(year, (0, ""))[1]]
        if found["moved_in_lieu"]:
            notes.append(MOVED_IN_LIEU.get(year, (set(), "未说明的补假另排"))[1])
        lines.append(
            f"{year} {len(found['statutory']):>12} {len(holidays.days_in_lieu(year)):>8} | "
            f"{len(found['differ']):>8} = {len(found['make_up_workdays']):>12} + "
            f"{len(found['swapped_rest']):>14} + {len(found['moved_in_lieu']):>8} | {';'.join(filter(None, notes))}"
        )
    lines.append("每年：工作日调休放假 = 周末调休上班 + 补假另排 + 特别安排（说明栏）。即每个落在周末或与另一节日同日的")
    lines.append("法定节日恰补假一天，其余差异都是调休；法定节日本身从无差异。2020年中秋与国庆同日，故法定节日为10天。")
    return lines


def test_history_2015_to_2026_statutory_days_never_differ_and_the_rest_is_make_up_swaps(summary_section):
    table = history_table()
    summary_section("法定节日推算与已公布节假日安排对比", table)

    for year in HISTORY:
        found = compare_with_published(year)
        assert found["statutory"] <= found["published"], (year, sorted(found["statutory"] - found["published"]))
        assert found["moved_in_lieu"] == MOVED_IN_LIEU.get(year, (set(), ""))[0], year
        one_off, _ = ONE_OFF_REST.get(year, (0, ""))
        # Every weekday rest the notice added is a swap for a weekend make-up day, a 补假 we placed
        # elsewhere, or a one-off: the 补假 count of the rule is exactly the notices'.
        explained = len(found["make_up_workdays"]) + len(found["moved_in_lieu"]) + one_off
        assert len(found["swapped_rest"]) == explained, (year, "\n".join(table))


# --- what the clerk reads in the calendar admin -----------------------------------------------


@pytest.mark.django_db
def test_calendar_admin_says_what_an_unentered_year_rests_on_until_it_is_entered(client, clerk, monkeypatch):
    monkeypatch.setattr("proposals.admin.timezone.localdate", lambda: D(2026, 11, 30))
    client.force_login(clerk)
    changelist = reverse("admin:tracker_calendaryear_changelist")

    page = client.get(changelist).content.decode()

    assert "2027年节假日安排尚未公布，已按法定节日推算" in page
    assert "春节2月5日至8日，补假2月9日、2月10日" in page
    assert "2026年节假日安排尚未公布" not in page  # chinese-calendar has 2026

    client.post(reverse("admin:tracker_calendaryear_add"), schedule_post(2027, []))

    assert "2027年节假日安排尚未公布" not in client.get(changelist).content.decode()
