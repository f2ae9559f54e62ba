"""The plan: the right stages on the right days, to the right people, once."""

import datetime as dt

import pytest
from django.utils import timezone

from notifications.models import Notification, Stage
from notifications.planning import plan_notifications
from notifications.services import sweep_notifications
from proposals import workflow
from proposals.models import Assignment, Communication, Proposal
from replies.models import Feedback, Reply
from tests.factories import ASSIGNED_ON, accepted_proposal, assigned_proposal
from tests.notifications.conftest import stage_days, sweep_days

pytestmark = pytest.mark.django_db
D = dt.date


def test_agency_reminded_30_7_1_days_before_then_chased_weekly(stages, due):
    due(D(2026, 6, 10))
    days = stage_days(sweep_days(D(2026, 5, 1), D(2026, 6, 26)))
    assert days == {
        "due-30#0": D(2026, 5, 11),
        "due-7#0": D(2026, 6, 3),
        "due-1#0": D(2026, 6, 9),
        "overdue#0": D(2026, 6, 11),
        "escalate-7#0": D(2026, 6, 17),
        "overdue#1": D(2026, 6, 18),
        "overdue#2": D(2026, 6, 25),
    }


def test_each_reminder_goes_in_app_to_agency_staff_and_by_email_to_the_agency(stages, due, agency, agency_staff):
    assignment = due(D(2026, 6, 10))
    plan_notifications(today=D(2026, 6, 3))
    rows = Notification.objects.filter(stage=stages["due-7"])
    assert {(row.channel, row.recipient_id, row.address) for row in rows} == {
        ("in_app", agency_staff.pk, ""), ("email", None, agency.email),
    }
    row = rows.get(channel="email")
    assert row.subject == f"【办理提醒】{assignment.proposal.number_label}提案答复期限还有7天"
    assert "广州市科学技术局" in row.body and "2026年6月10日" in row.body and "还有7天" in row.body
    assert f"《{assignment.proposal.title}》" in row.body and assignment.proposal.meeting.name in row.body
    assert row.link.endswith(f"/admin/proposals/assignment/{assignment.pk}/change/")
    assert row.proposal_id == assignment.proposal_id and row.about == assignment


def test_clerks_are_told_when_an_agency_is_seven_days_late(stages, due, clerk, other_clerk):
    due(D(2026, 6, 10))
    plan_notifications(today=D(2026, 6, 17))
    rows = Notification.objects.filter(stage=stages["escalate-7"])
    assert {row.recipient_id for row in rows.filter(channel="in_app")} == {clerk.pk, other_clerk.pk}
    assert {row.address for row in rows.filter(channel="email")} == {clerk.email, other_clerk.email}
    assert "已逾期7天" in rows.first().subject


def test_reminder_on_a_holiday_comes_on_the_last_working_day_before(stages, due):
    # 2026-10-01..07 is the National Day holiday: the 7-day and the 1-day reminder of a due date of
    # 10-08 both fall in it; the agency hears once, on 09-30, with the nearer one.
    due(D(2026, 10, 8))
    days = stage_days(sweep_days(D(2026, 9, 1), D(2026, 10, 9)))
    assert days == {"due-30#0": D(2026, 9, 8), "due-1#0": D(2026, 9, 30), "overdue#0": D(2026, 10, 9)}


def test_chasing_that_falls_in_a_holiday_comes_on_the_first_working_day_after(stages, due):
    due(D(2026, 9, 30))
    days = stage_days(sweep_days(D(2026, 9, 29), D(2026, 10, 9)))
    # The first chase (10-01) and the second (10-08) both land on 10-08: only the later is sent.
    assert days == {"due-1#0": D(2026, 9, 29), "overdue#1": D(2026, 10, 8), "escalate-7#0": D(2026, 10, 8)}
    escalation = Notification.objects.get(stage=stages["escalate-7"], channel="in_app")
    assert "已逾期8天" in escalation.subject


def test_provisional_due_date_is_reminded_and_says_it_is_provisional(stages, due):
    # 2027's holidays are not published yet: weekends-only, and the text says so.
    due(D(2027, 3, 10), due_provisional=True)
    assert plan_notifications(today=D(2027, 3, 2)) == 0
    plan_notifications(today=D(2027, 3, 3))
    row = Notification.objects.get(stage=stages["due-7"], channel="email")
    assert "暂定" in row.body and "2027年3月10日" in row.body


def test_sweep_run_twice_plans_nothing_new(stages, due):
    due(D(2026, 6, 10))
    first = plan_notifications(today=D(2026, 6, 3))
    assert first == 2
    assert plan_notifications(today=D(2026, 6, 3)) == 0
    assert Notification.objects.count() == 2


def test_missed_sweeps_are_caught_up_by_the_next(stages, due):
    due(D(2026, 6, 10))
    plan_notifications(today=D(2026, 6, 5))  # nothing ran on 06-03 and 06-04
    row = Notification.objects.get(stage=stages["due-7"], channel="email")
    assert "还有5天" in row.body


def test_historical_proposals_never_get_reminders(stages, due):
    assignment = due(D(2026, 6, 10))
    Proposal.objects.filter(pk=assignment.proposal_id).update(is_historical=True)
    assert plan_notifications(today=D(2026, 6, 3)) == 0


def test_answered_assignment_is_not_chased(stages, due):
    assignment = due(D(2026, 6, 10))
    Assignment.objects.filter(pk=assignment.pk).update(state=Assignment.State.REPLIED)
    assert plan_notifications(today=D(2026, 6, 11)) == 0


def test_extension_brings_fresh_reminders_for_the_new_date(stages, due):
    assignment = due(D(2026, 6, 10))
    plan_notifications(today=D(2026, 6, 3))
    Assignment.objects.filter(pk=assignment.pk).update(due_on=D(2026, 7, 10))
    plan_notifications(today=D(2026, 7, 3))
    keys = set(Notification.objects.filter(channel="email").values_list("key", flat=True))
    assert any("2026-06-10" in key for key in keys) and any("2026-07-10" in key for key in keys)


def test_inactive_stage_plans_nothing(stages, due):
    Stage.objects.filter(code="due-7").update(active=False)
    due(D(2026, 6, 10))
    assert plan_notifications(today=D(2026, 6, 3)) == 0


def test_assisting_agency_is_reminded_of_its_opinion(stages, due):
    assignment = due(D(2026, 6, 10), role=Assignment.Role.ASSISTING)
    plan_notifications(today=D(2026, 6, 3))
    row = Notification.objects.get(stage=stages["due-7"], channel="email")
    assert assignment.proposal.number in row.subject and "会办意见期限" in row.subject


# --- members -----------------------------------------------------------------------------------


def test_member_is_told_when_the_proposal_is_accepted(stages, clerk, proposer):
    proposal = accepted_proposal(by=clerk, proposers=[proposer])
    plan_notifications(today=D(2026, 3, 1))
    rows = Notification.objects.filter(stage=stages["member-accepted"])
    assert {(row.channel, row.recipient_id, row.address) for row in rows} == {
        ("in_app", proposer.user_id, ""), ("email", None, "zhang@example.org"),
    }
    assert "张建山委员" in rows.first().body and f"第{proposal.number}号" in rows.first().subject


def test_member_is_told_who_handles_the_proposal_once_assigned(stages, clerk, agency, other_agency, proposer):
    proposal = assigned_proposal(by=clerk, lead=agency, assisting=[other_agency], on=ASSIGNED_ON, proposers=[proposer])
    plan_notifications(today=ASSIGNED_ON + dt.timedelta(days=1))
    row = Notification.objects.get(stage=stages["member-assigned"], channel="email")
    assert "主办单位：广州市科学技术局" in row.body and "会办单位：广州市教育局" in row.body
    assert row.proposal == proposal
    assert not Notification.objects.filter(stage=stages["member-accepted"]).exists()  # it moved on the same day


def _sent_reply(assignment, sent_at):
    return Reply.objects.create(
        assignment=assignment, title="关于某某提案的答复", addressee="张建山委员", body="答复正文",
        signing_agency=assignment.agency, state=Reply.State.SENT, sent_at=sent_at, document_number="穗科函〔2026〕12号",
    )


def test_member_is_told_of_the_reply_and_asked_to_rate_it(stages, due, proposer):
    assignment = due(D(2026, 6, 10))
    sent_at = timezone.make_aware(dt.datetime(2026, 6, 1, 10, 0))
    _sent_reply(assignment, sent_at)
    plan_notifications(today=D(2026, 6, 1))
    replied = Notification.objects.get(stage=stages["member-replied"], channel="email")
    request = Notification.objects.get(stage=stages["feedback-request"], channel="email")
    assert "穗科函〔2026〕12号" in replied.body and "2026年6月1日" in replied.body
    # 15 working days after 06-01, across the Dragon Boat holiday (06-19): 06-23.
    assert "2026年6月23日前" in request.body


def test_member_who_has_not_rated_is_reminded_before_the_window_closes(stages, due, proposer, clerk):
    assignment = due(D(2026, 6, 10))
    _sent_reply(assignment, timezone.make_aware(dt.datetime(2026, 6, 1, 10, 0)))
    days = stage_days(sweep_days(D(2026, 6, 15), D(2026, 6, 23)))
    assert days["feedback-reminder"] == D(2026, 6, 18)  # 3 days before 06-23 is 06-20, a rest day: 06-18


def test_member_who_rated_is_not_reminded(stages, due, proposer, clerk):
    assignment = due(D(2026, 6, 10))
    _sent_reply(assignment, timezone.make_aware(dt.datetime(2026, 6, 1, 10, 0)))
    Feedback.objects.create(proposal=assignment.proposal, member=proposer, round=1, attitude="satisfied",
                            result="satisfied", recorded_by=clerk)
    plan_notifications(today=D(2026, 6, 18))
    assert not Notification.objects.filter(stage=stages["feedback-reminder"]).exists()


def test_member_is_invited_to_a_planned_meeting_and_reminded_the_day_before(stages, due, proposer, agency_staff):
    assignment = due(D(2026, 8, 10))
    communication = workflow.plan_communication(
        assignment=assignment, by=agency_staff, mode=Communication.Mode.FACE_TO_FACE, date=D(2026, 6, 16),
        time=dt.time(14, 30), place="科技局三楼会议室", members=[proposer],
    )
    days = stage_days(sweep_days(D(2026, 6, 10), D(2026, 6, 16)))
    assert days == {"meeting-invitation": D(2026, 6, 10), "meeting-reminder": D(2026, 6, 15)}
    invitation = Notification.objects.get(stage=stages["meeting-invitation"], channel="email")
    assert "2026年6月16日 14:30" in invitation.body and "科技局三楼会议室" in invitation.body
    assert invitation.about == communication


def test_a_moved_meeting_is_announced_again(stages, due, proposer, agency_staff):
    assignment = due(D(2026, 8, 10))
    communication = workflow.plan_communication(
        assignment=assignment, by=agency_staff, mode=Communication.Mode.PHONE, date=D(2026, 6, 16), members=[proposer],
    )
    plan_notifications(today=D(2026, 6, 10))
    Communication.objects.filter(pk=communication.pk).update(date=D(2026, 6, 18))
    plan_notifications(today=D(2026, 6, 11))
    assert Notification.objects.filter(stage=stages["meeting-invitation"], channel="email").count() == 2


def test_sweep_plans_and_enqueues_after_commit(stages, due, django_capture_on_commit_callbacks):
    due(timezone.localdate() + dt.timedelta(days=7))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = sweep_notifications()
    # Every planned row is marked as on its way, and the send tasks go out only after commit.
    assert result.planned >= 2 and result.dispatched == result.planned and callbacks
    assert not Notification.objects.filter(enqueued_at__isnull=True).exists()
