"""Deadlines of an assignment (proposals/deadlines.py) on the mainland working-day calendar.

Each expected date is worked out by hand in the comment beside it, from the rules (docs/domain.md, deadlines:
reply 3 months after assignment, assisting opinion 1 month, re-assignment window 7 working
days, 办前沟通 15 working days, extension at most 3 more months and never past 6 months) and the
2026 schedule chinese-calendar 1.11.0 holds (see tests/tracker/test_workdays.py): Spring
Festival rest 15-23 Feb with make-up Saturdays 14 and 28 Feb; Qingming 4-6 Apr; Labour Day 1-5
May (make-up Sat 9 May); Dragon Boat 19-21 Jun; Mid-Autumn 25-27 Sep; National Day 1-7 Oct with
make-up Sun 20 Sep and Sat 10 Oct. 2027 is unknown to the library: weekends and the statutory
holidays with their 补假 (tracker/holidays.py), provisional.
"""

import datetime as dt

import pytest

from proposals.deadlines import compute_deadlines, days_left, extension_limit
from proposals.models import Assignment, Event, RuleSet
from proposals.workflow import (
    decide_extension,
    recompute_open_deadlines,
    request_extension,
    request_reassignment,
)
from tests.factories import (
    MeetingFactory,
    RuleSetFactory,
    assigned_proposal,
    assignment_of,
    signed_assignment,
)
from tracker.errors import WorkflowError
from tracker.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db

D = dt.date
LEAD = Assignment.Role.LEAD
ASSISTING = Assignment.Role.ASSISTING


def deadlines(on: dt.date, *, role: str = LEAD, meeting=None):
    return compute_deadlines(meeting=meeting or MeetingFactory(), role=role, assigned_on=on)


def enter_schedule(year: int, *days: tuple[dt.date, bool]) -> CalendarYear:
    """What a clerk does in the admin: the year's notice, then its rest days and make-up days."""
    schedule = CalendarYear.objects.create(year=year, note=f"国务院办公厅关于{year}年部分节假日安排的通知")
    for day, is_workday in days:
        CalendarDay.objects.create(schedule=schedule, date=day, is_workday=is_workday)
    return schedule


# --- reply and assisting-opinion due dates ----------------------------------------------------


def test_reply_is_due_three_months_after_assignment():
    result = deadlines(D(2026, 3, 2))

    # Mon 2 March + 3 months = Tue 2 June, a working day.
    assert (result.due_on, result.provisional) == (D(2026, 6, 2), False)


def test_reply_due_in_spring_festival_moves_to_the_first_working_day_after():
    # Mon 17 Nov 2025 + 3 months = Tue 17 Feb 2026, in the holiday (15-23 Feb): Tue 24 Feb.
    assert deadlines(D(2025, 11, 17)).due_on == D(2026, 2, 24)


def test_reply_due_on_national_day_moves_to_8_october():
    # Wed 1 July + 3 months = Thu 1 Oct, National Day (1-7 Oct): Thu 8 Oct.
    assert deadlines(D(2026, 7, 1)).due_on == D(2026, 10, 8)


def test_assisting_opinion_is_due_one_month_after_assignment():
    # Mon 2 March + 1 month = Thu 2 April, before Qingming (4-6 April).
    assert deadlines(D(2026, 3, 2), role=ASSISTING).due_on == D(2026, 4, 2)


def test_assisting_opinion_due_in_spring_festival_moves_to_the_first_working_day_after():
    # Fri 16 Jan + 1 month = Mon 16 Feb, in the holiday: Tue 24 Feb.
    assert deadlines(D(2026, 1, 16), role=ASSISTING).due_on == D(2026, 2, 24)


def test_due_date_on_a_make_up_saturday_stays_there():
    # Wed 28 Jan + 1 month = Sat 28 Feb, a make-up working day for Spring Festival: it stays.
    assert deadlines(D(2026, 1, 28), role=ASSISTING).due_on == D(2026, 2, 28)


def test_due_date_on_a_weekend_moves_to_monday():
    # Fri 6 March + 3 months = Sat 6 June: Mon 8 June.
    assert deadlines(D(2026, 3, 6)).due_on == D(2026, 6, 8)


# --- counting working days from the assignment ------------------------------------------------


def test_reassignment_window_and_communication_count_from_the_day_after_assignment():
    result = deadlines(D(2026, 3, 2))

    # Day 1 is Tue 3 March: 3, 4, 5, 6, 9, 10, 11 -> 11 March (not 10 March).
    assert result.reassignment_window_ends_on == D(2026, 3, 11)
    # 15 working days: 3-6 (4), 9-13 (9), 16-20 (14), 23 March (15).
    assert result.communication_due_on == D(2026, 3, 23)


def test_assignment_in_spring_festival_counts_from_the_next_working_day():
    result = deadlines(D(2026, 2, 16))  # Mon 16 Feb, a holiday

    # Counted from Tue 24 Feb: window 25, 26, 27, Sat 28, Mon 2, 3, 4 March.
    assert result.reassignment_window_ends_on == D(2026, 3, 4)
    # 办前沟通: 25-28 Feb (4), 2-6 March (9), 9-13 (14), Mon 16 March (15).
    assert result.communication_due_on == D(2026, 3, 16)
    # Reply: 24 Feb + 3 months = Sun 24 May: Mon 25 May.
    assert result.due_on == D(2026, 5, 25)


def test_assignment_on_a_saturday_counts_from_monday():
    result = deadlines(D(2026, 3, 7))  # Sat 7 March

    # As if assigned Mon 9 March: window 10-13, 16, 17, 18 March; reply 9 June (Tue).
    assert result.reassignment_window_ends_on == D(2026, 3, 18)
    assert result.due_on == D(2026, 6, 9)


def test_reassignment_window_across_spring_festival_counts_the_make_up_saturdays():
    result = deadlines(D(2026, 2, 13))  # Fri 13 Feb

    # Sat 14 (1), rest 15-23, 24 (2), 25 (3), 26 (4), 27 (5), Sat 28 (6), Mon 2 March (7).
    assert result.reassignment_window_ends_on == D(2026, 3, 2)


def test_reassignment_window_across_mid_autumn_and_the_national_day_make_up_sunday():
    result = deadlines(D(2026, 9, 18))  # Fri 18 Sep

    # Sat 19 rest, Sun 20 make-up (1), 21-24 (5), Mid-Autumn 25-27, 28 (6), 29 (7).
    assert result.reassignment_window_ends_on == D(2026, 9, 29)


def test_reassignment_window_across_national_day():
    result = deadlines(D(2026, 9, 30))  # Wed 30 Sep

    # Rest 1-7 Oct, 8 (1), 9 (2), Sat 10 make-up (3), Sun 11 rest, 12 (4), 13, 14, 15 (7).
    assert result.reassignment_window_ends_on == D(2026, 10, 15)
    # 办前沟通: 8-10 (3), 12-16 (8), 19-23 (13), 26 (14), 27 Oct (15).
    assert result.communication_due_on == D(2026, 10, 27)
    # Reply: 30 Sep + 3 months = Wed 30 Dec 2026, still a known year.
    assert (result.due_on, result.provisional) == (D(2026, 12, 30), False)


def test_assignment_on_national_day_counts_from_8_october():
    result = deadlines(D(2026, 10, 1))

    # Counted from Thu 8 Oct: 9 (1), Sat 10 (2), 12-16 (7).
    assert result.reassignment_window_ends_on == D(2026, 10, 16)
    # Reply: 8 Oct + 3 months = Fri 8 Jan 2027; 2027 is not published yet: provisional.
    assert (result.due_on, result.provisional) == (D(2027, 1, 8), True)


def test_agency_may_still_ask_for_reassignment_on_the_7th_working_day_after_spring_festival(
    clerk, agency_staff
):
    assignment = signed_assignment(by_clerk=clerk, staff=agency_staff, on=D(2026, 2, 13))

    # Fri 13 Feb + 7 working days = Mon 2 March (see the window test above).
    request_reassignment(assignment=assignment, reason="不属于本单位职责", by=agency_staff, on=D(2026, 3, 2))

    assignment.refresh_from_db()
    assert assignment.state == Assignment.State.REASSIGNMENT_REQUESTED


def test_reassignment_request_the_day_after_the_window_across_spring_festival_is_refused(clerk, agency_staff):
    assignment = signed_assignment(by_clerk=clerk, staff=agency_staff, on=D(2026, 2, 13))

    with pytest.raises(WorkflowError) as excinfo:
        request_reassignment(
            assignment=assignment, reason="不属于本单位职责", by=agency_staff, on=D(2026, 3, 3)
        )

    assert excinfo.value.code == "reassignment_window_closed"
    assignment.refresh_from_db()
    assert assignment.state == Assignment.State.ACCEPTED


# --- the meeting's own reply date -------------------------------------------------------------


def test_meeting_reply_by_date_wins_when_earlier():
    meeting = MeetingFactory(reply_by=D(2026, 6, 30))

    # Mon 20 April + 3 months = Mon 20 July; the meeting wants replies by Tue 30 June.
    assert deadlines(D(2026, 4, 20), meeting=meeting).due_on == D(2026, 6, 30)


def test_meeting_reply_by_date_later_than_three_months_does_not_extend():
    meeting = MeetingFactory(reply_by=D(2026, 8, 31))

    # 3 months (Mon 20 July) is earlier than 31 August: 20 July.
    assert deadlines(D(2026, 4, 20), meeting=meeting).due_on == D(2026, 7, 20)


def test_meeting_reply_by_date_on_a_holiday_moves_to_the_next_working_day():
    meeting = MeetingFactory(reply_by=D(2026, 6, 20))

    # Sat 20 June is in Dragon Boat (19-21 June): Mon 22 June.
    assert deadlines(D(2026, 4, 20), meeting=meeting).due_on == D(2026, 6, 22)


def test_meeting_reply_by_date_does_not_apply_to_assisting_opinions():
    meeting = MeetingFactory(reply_by=D(2026, 6, 30))

    # The assisting agency's 1 month from Mon 20 April: Wed 20 May.
    assert deadlines(D(2026, 4, 20), role=ASSISTING, meeting=meeting).due_on == D(2026, 5, 20)


def test_due_date_never_falls_before_the_assignment_when_reply_by_has_passed():
    # An item assigned (or re-assigned) after the meeting's 30 June reply date: a due date before
    # the day the agency received it makes the item overdue on arrival.
    meeting = MeetingFactory(reply_by=D(2026, 6, 30))

    result = deadlines(D(2026, 7, 6), meeting=meeting)

    assert result.due_on > D(2026, 7, 6)


# --- years the library does not know ----------------------------------------------------------


def test_assignment_in_an_unknown_year_uses_the_statutory_holidays_and_is_provisional():
    result = deadlines(D(2027, 1, 4))  # Mon 4 Jan 2027

    # + 3 months = Sun 4 April 2027; Mon 5 April is 清明 -> Tue 6 April.
    assert (result.due_on, result.provisional) == (D(2027, 4, 6), True)
    # 5-8 Jan (4), 11, 12, 13 Jan (7).
    assert result.reassignment_window_ends_on == D(2027, 1, 13)


def test_assignment_whose_dates_stay_in_2026_is_not_provisional():
    assert deadlines(D(2026, 9, 1)).provisional is False


def test_office_entered_2027_schedule_makes_the_deadline_final():
    enter_schedule(2027)

    result = deadlines(D(2027, 1, 4))

    assert (result.due_on, result.provisional) == (D(2027, 4, 5), False)


def test_office_entered_2027_holiday_on_the_due_date_moves_it():
    # Suppose the 2027 notice gives Qingming Sat 3 - Mon 5 April.
    enter_schedule(2027, (D(2027, 4, 3), False), (D(2027, 4, 4), False), (D(2027, 4, 5), False))

    result = deadlines(D(2027, 1, 4))

    # Due Sun 4 April: 4 and 5 April are rest days now -> Tue 6 April, no longer provisional.
    assert (result.due_on, result.provisional) == (D(2027, 4, 6), False)


def test_office_correction_of_a_2026_day_overrides_chinese_calendar():
    # The office marks Tue 2 June 2026 a rest day (a correction the library cannot know).
    enter_schedule(2026, (D(2026, 6, 2), False))

    # Mon 2 March + 3 months = 2 June, now a rest day -> Wed 3 June.
    assert deadlines(D(2026, 3, 2)).due_on == D(2026, 6, 3)


# --- recomputing when a schedule is entered ---------------------------------------------------


def test_recompute_after_entering_2027_moves_provisional_deadlines_and_records_why(
    clerk, agency, other_agency
):
    first = assigned_proposal(by=clerk, lead=agency, on=D(2027, 2, 3))
    second = assigned_proposal(by=clerk, lead=other_agency, on=D(2027, 2, 4))
    # Wed 3 Feb + 3 months = Mon 3 May, Thu 4 Feb -> Tue 4 May: the 劳动节 1-2 May fall on a weekend,
    # so 3 and 4 May are its 补假 -> Wed 5 May, provisional.
    assert set(Assignment.objects.values_list("due_on", "due_provisional")) == {(D(2027, 5, 5), True)}
    # Suppose the 2027 notice gives 1-5 May, with make-up working days Sun 25 April and Sat 8 May.
    labour_day = [(D(2027, 5, day), False) for day in range(1, 6)]
    enter_schedule(2027, *labour_day, (D(2027, 4, 25), True), (D(2027, 5, 8), True))

    moved = recompute_open_deadlines(years=[2027], by=clerk)

    first_assignment, second_assignment = assignment_of(first, agency), assignment_of(second, other_agency)
    # 5 May is a rest day now: both are due Thu 6 May, and final.
    assert (first_assignment.due_on, first_assignment.due_provisional) == (D(2027, 5, 6), False)
    assert (second_assignment.due_on, second_assignment.due_provisional) == (D(2027, 5, 6), False)
    assert moved == 2
    recorded = Event.objects.filter(action=Event.Action.RECOMPUTE_DEADLINE).order_by("id")
    assert [(event.assignment, event.actor) for event in recorded] == [
        (first_assignment, clerk),
        (second_assignment, clerk),
    ]
    assert recorded[0].note == "节假日安排更新，期限由2027-05-05调整为2027-05-06"


def test_recompute_marks_an_unmoved_deadline_final_once_the_year_is_entered(clerk, agency):
    # Wed 6 Jan + 3 months = Tue 6 April, a working day with or without the notice.
    proposal = assigned_proposal(by=clerk, lead=agency, on=D(2027, 1, 6))
    assert assignment_of(proposal, agency).due_provisional
    enter_schedule(2027)

    recompute_open_deadlines(years=[2027], by=clerk)

    assignment = assignment_of(proposal, agency)
    assert (assignment.due_on, assignment.due_provisional) == (D(2027, 4, 6), False)
    assert Event.objects.get(assignment=assignment, action=Event.Action.RECOMPUTE_DEADLINE).note == (
        "节假日安排已录入，期限2027-04-06确定"
    )
    # The admin stops warning about a provisional date: the timeline says when it became final.
    assert Event.objects.filter(assignment=assignment, action=Event.Action.RECOMPUTE_DEADLINE).count() == 1


def test_recompute_after_a_2026_correction_moves_the_deadline(clerk, agency):
    proposal = assigned_proposal(by=clerk, lead=agency, on=D(2026, 3, 2))
    enter_schedule(2026, (D(2026, 6, 2), False))

    moved = recompute_open_deadlines(years=[2026], by=clerk)

    assert moved == 1
    assert assignment_of(proposal, agency).due_on == D(2026, 6, 3)


def test_recompute_with_nothing_changed_moves_nothing(clerk, agency):
    proposal = assigned_proposal(by=clerk, lead=agency, on=D(2026, 3, 2))

    moved = recompute_open_deadlines(years=[2026], by=clerk)

    assert moved == 0
    assert assignment_of(proposal, agency).due_on == D(2026, 6, 2)
    assert not Event.objects.filter(action=Event.Action.RECOMPUTE_DEADLINE).exists()


def test_recompute_keeps_an_approved_extension(clerk, agency_staff):
    assignment = signed_assignment(by_clerk=clerk, staff=agency_staff, on=D(2026, 3, 2))
    extension = request_extension(
        assignment=assignment, until=D(2026, 7, 2), reason="需跨部门协调", by=agency_staff
    )
    decide_extension(extension=extension, approve=True, by=clerk)
    enter_schedule(2026, (D(2026, 7, 2), False))

    recompute_open_deadlines(years=[2026], by=clerk)

    assignment.refresh_from_db()
    # Extended to Thu 2 July, now a rest day -> Fri 3 July (not back to the 3-month date).
    assert assignment.due_on == D(2026, 7, 3)


# --- extension limits -------------------------------------------------------------------------


def test_extension_limit_is_six_months_after_assignment_by_default(clerk, agency):
    assignment = assignment_of(assigned_proposal(by=clerk, lead=agency, on=D(2026, 3, 2)), agency)

    # Due 2 June + 3 = 2 Sep; 2 March + 6 = 2 Sep: both limits agree.
    assert extension_limit(assignment) == D(2026, 9, 2)


def test_extension_limit_is_three_more_months_when_the_due_date_is_early(clerk, agency):
    meeting = MeetingFactory(reply_by=D(2026, 4, 30))
    assignment = assignment_of(
        assigned_proposal(by=clerk, lead=agency, on=D(2026, 3, 2), meeting=meeting), agency
    )

    # Due Thu 30 April (the meeting's date) + 3 months = 30 July, before 2 Sep.
    assert extension_limit(assignment) == D(2026, 7, 30)


def test_extension_limit_never_passes_six_months_after_assignment(clerk, agency):
    meeting = MeetingFactory(rules=RuleSetFactory(reply_months=5))
    assignment = assignment_of(
        assigned_proposal(by=clerk, lead=agency, on=D(2026, 3, 2), meeting=meeting), agency
    )

    # Due 3 Aug (5 months -> Sun 2 Aug -> Mon 3 Aug) + 3 = 3 Nov, but 2 March + 6 = 2 Sep.
    assert assignment.due_on == D(2026, 8, 3)
    assert extension_limit(assignment) == D(2026, 9, 2)


# --- rule sets --------------------------------------------------------------------------------


def test_meeting_with_its_own_rules_gets_its_own_periods():
    rules = RuleSetFactory(
        reply_months=5, assisting_months=2, reassignment_window_workdays=5, communication_workdays=10
    )
    meeting = MeetingFactory(rules=rules)

    lead = deadlines(D(2026, 3, 2), meeting=meeting)
    assisting = deadlines(D(2026, 3, 2), role=ASSISTING, meeting=meeting)

    # 5 months: Sun 2 Aug -> Mon 3 Aug. 5 working days: 3-6, 9 March. 10: 3-6, 9-13, 16 March.
    assert (lead.due_on, lead.reassignment_window_ends_on, lead.communication_due_on) == (
        D(2026, 8, 3),
        D(2026, 3, 9),
        D(2026, 3, 16),
    )
    # 2 months: Sat 2 May, in Labour Day (1-5 May) -> Wed 6 May.
    assert assisting.due_on == D(2026, 5, 6)


def test_office_default_rules_apply_to_meetings_without_their_own():
    RuleSet.objects.filter(is_default=True).update(reply_months=2)

    # 2 March + 2 months = Sat 2 May, in Labour Day -> Wed 6 May.
    assert deadlines(D(2026, 3, 2)).due_on == D(2026, 5, 6)


def test_meeting_rules_win_over_the_office_default():
    RuleSet.objects.filter(is_default=True).update(reply_months=2)
    meeting = MeetingFactory(rules=RuleSetFactory(reply_months=3))

    assert deadlines(D(2026, 3, 2), meeting=meeting).due_on == D(2026, 6, 2)


def test_assign_proposal_stores_the_meetings_rule_deadlines(clerk, agency):
    meeting = MeetingFactory(rules=RuleSetFactory(reply_months=5))

    proposal = assigned_proposal(by=clerk, lead=agency, on=D(2026, 3, 2), meeting=meeting)

    assert assignment_of(proposal, agency).due_on == D(2026, 8, 3)


def test_days_left_counts_calendar_days_and_goes_negative_when_overdue():
    assert days_left(D(2026, 6, 2), D(2026, 5, 30)) == 3
    assert days_left(D(2026, 6, 2), D(2026, 6, 2)) == 0
    assert days_left(D(2026, 6, 2), D(2026, 6, 5)) == -3
