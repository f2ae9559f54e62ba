"""Work notices: whoever must act next is told once the step commits, once, and not when the
reason has passed; mail by each notice or as a daily digest (issue 13 item 1)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone

from notifications import digest, preferences, sending, services, work
from notifications.models import Delivery, Kind, Notification, StepNotices, WorkNoticeSetting
from proposals import workflow as proposal_workflow
from proposals.models import Assignment, Event
from replies import workflow
from tests.factories import (
    AgencyReviewerUserFactory,
    MemberFactory,
    MemberUserFactory,
    assigned_proposal,
    assignment_of,
)
from tests.replies.builders import hold_communication, letter

pytestmark = pytest.mark.django_db
State = Notification.State


@pytest.fixture
def step(django_capture_on_commit_callbacks):
    """`with step(): …` runs a workflow step and what waits for its commit (the notices' planning)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def proposer(db):
    member = MemberFactory(name="张建山", email="zhang@example.org")
    MemberUserFactory(member=member)
    member.refresh_from_db()
    return member


@pytest.fixture
def assigned(step, clerk, agency, agency_staff, agency_reviewer, other_agency, other_agency_staff, proposer):
    with step():
        proposal = assigned_proposal(by=clerk, lead=agency, assisting=[other_agency], proposers=[proposer],
                                     on=timezone.localdate())
    return proposal


def rows(kind, **filters):
    return Notification.objects.filter(kind=kind, **filters)


def send_all() -> list[str]:
    return [sending.send_notification(notification_id=pk) for pk in Notification.objects.order_by("pk")
            .values_list("pk", flat=True)]


def signed_for(step, assigned, agency, staff) -> Assignment:
    with step():
        return proposal_workflow.sign_for_assignment(assignment=assignment_of(assigned, agency), by=staff)


# --- new assignment ----------------------------------------------------------------------------


def test_assignment_tells_each_agencys_staff_in_app_and_its_mailbox(assigned, agency, agency_staff, agency_reviewer,
                                                                    other_agency, other_agency_staff):
    notices = rows(Kind.NEW_ASSIGNMENT)
    assert {(row.channel, row.recipient_id, row.address) for row in notices} == {
        ("in_app", agency_staff.pk, ""), ("email", None, agency.email),
        ("in_app", other_agency_staff.pk, ""), ("email", None, other_agency.email),
    }  # the reviewer signs off letters; staff sign for the work
    lead = notices.get(recipient=agency_staff)
    assert lead.subject == f"【新交办】{assigned.number_label}提案交由贵单位主办"
    assert "请及时签收" in lead.body and "答复期限为" in lead.body
    assert lead.link.endswith(f"/admin/proposals/assignment/{assignment_of(assigned, agency).pk}/change/")
    assert "/api/" not in lead.link


def test_a_step_is_planned_once_however_often_it_is_planned(assigned):
    assert rows(Kind.NEW_ASSIGNMENT).count() == 4
    event = Event.objects.get(proposal=assigned, action=Event.Action.ASSIGN)
    assert work.plan_step_notices(event_ids=[event.pk]) == []
    services.sweep_notifications()
    assert rows(Kind.NEW_ASSIGNMENT).count() == 4


def test_notices_are_enqueued_for_sending_on_commit(assigned):
    assert not rows(Kind.NEW_ASSIGNMENT, enqueued_at__isnull=True).exists()


def test_in_app_is_delivered_exactly_once_and_mail_once(assigned, agency_staff):
    first, second = send_all(), send_all()
    assert set(first) == {"sent"} and set(second) == {"skipped"}
    assert rows(Kind.NEW_ASSIGNMENT, channel="in_app", recipient=agency_staff, state=State.SENT).count() == 1
    assert len(mail.outbox) == 2 and all(m.extra_headers["Message-ID"] for m in mail.outbox)


def test_notice_of_an_assignment_already_signed_for_is_dropped(step, assigned, agency, agency_staff):
    signed_for(step, assigned, agency, agency_staff)
    notice = rows(Kind.NEW_ASSIGNMENT, recipient=agency_staff).get()
    assert sending.send_notification(notification_id=notice.pk) == "dropped"
    notice.refresh_from_db()
    assert notice.state == State.DROPPED and "已签收" in notice.last_error and notice.sent_at is None


def test_a_step_the_on_commit_planning_missed_is_caught_up_by_the_sweep(clerk, agency, agency_staff):
    proposal = assigned_proposal(by=clerk, lead=agency, on=timezone.localdate())  # callbacks never ran
    assert not rows(Kind.NEW_ASSIGNMENT).exists()
    services.sweep_notifications()
    assert rows(Kind.NEW_ASSIGNMENT, recipient=agency_staff, proposal=proposal).count() == 1
    assert StepNotices.objects.filter(event__proposal=proposal, event__action=Event.Action.ASSIGN).exists()


# --- reassignment and extension ----------------------------------------------------------------


def test_reassignment_request_goes_to_clerks_and_the_decision_back(step, assigned, agency, agency_staff, clerk,
                                                                   third_agency_staff):
    assignment = signed_for(step, assigned, agency, agency_staff)
    with step():
        proposal_workflow.request_reassignment(assignment=assignment, reason="不属于本局职责", by=agency_staff)
    request = rows(Kind.REASSIGNMENT_REQUESTED, channel="in_app").get()
    assert request.recipient == clerk and "不属于本局职责" in request.body
    assert request.link.endswith(f"/admin/proposals/assignment/{assignment.pk}/change/")
    third = third_agency_staff.agency_staff.agency
    with step():
        proposal_workflow.decide_reassignment(assignment=assignment, approve=True, new_agency=third, by=clerk)
    decided = rows(Kind.REASSIGNMENT_DECIDED, channel="in_app").get()
    assert decided.recipient == agency_staff and "同意调整" in decided.subject
    assert rows(Kind.NEW_ASSIGNMENT, recipient=third_agency_staff).count() == 1
    assert sending.send_notification(notification_id=request.pk) == "dropped"  # decided before it went out


def test_extension_request_goes_to_clerks_and_the_decision_back(step, assigned, agency, agency_staff, clerk):
    assignment = signed_for(step, assigned, agency, agency_staff)
    with step():
        extension = proposal_workflow.request_extension(assignment=assignment, reason="需要实地调研",
                                                        until=assignment.due_on + dt.timedelta(days=20),
                                                        by=agency_staff)
    request = rows(Kind.EXTENSION_REQUESTED, channel="in_app").get()
    assert request.recipient == clerk and request.link.endswith(f"/admin/proposals/extension/{extension.pk}/change/")
    with step():
        proposal_workflow.decide_extension(extension=extension, approve=False, note="理由不充分", by=clerk)
    decided = rows(Kind.EXTENSION_DECIDED, channel="in_app").get()
    assert decided.recipient == agency_staff and "未获批准" in decided.subject and "理由不充分" in decided.body


# --- the letter --------------------------------------------------------------------------------


@pytest.fixture
def in_review(step, assigned, agency, agency_staff, other_agency, clerk):
    assignment = signed_for(step, assigned, agency, agency_staff)
    hold_communication(assignment, agency_staff)
    # The lead submits once the 会办 opinion is in or the office waived it.
    workflow.waive_opinion(assignment=assignment_of(assigned, other_agency), by=clerk, reason="会办单位无补充意见")
    with step():
        draft = workflow.draft_reply(assignment=assignment, by=agency_staff, **letter())
        return workflow.submit_reply(reply=draft, by=agency_staff)


def test_draft_waiting_for_sign_off_tells_the_reviewers(in_review, agency_reviewer, agency_staff):
    notice = rows(Kind.REVIEW_REQUESTED, channel="in_app").get()
    assert notice.recipient == agency_reviewer
    assert rows(Kind.REVIEW_REQUESTED, channel="email").get().address == agency_reviewer.email
    assert notice.link.endswith(f"/admin/replies/reply/{in_review.pk}/change/")


def test_returned_draft_tells_its_drafter_and_the_review_notice_is_dropped(step, in_review, agency_reviewer,
                                                                          agency_staff):
    with step():
        workflow.return_reply(reply=in_review, by=agency_reviewer, comment="请补充下一步计划")
    returned = rows(Kind.DRAFT_RETURNED, channel="in_app").get()
    assert returned.recipient == agency_staff and "请补充下一步计划" in returned.body
    review = rows(Kind.REVIEW_REQUESTED, channel="in_app").get()
    assert sending.send_notification(notification_id=review.pk) == "dropped"
    assert sending.send_notification(notification_id=returned.pk) == "sent"


@pytest.fixture
def sent(step, in_review, agency_reviewer, agency_staff):
    with step():
        signed = workflow.sign_off_reply(reply=in_review, by=agency_reviewer, document_number="穗科函〔2026〕9号")
        return workflow.send_reply(reply=signed, by=agency_staff)


def test_reply_sent_and_rating_received_tell_the_agency(step, sent, agency_staff, proposer):
    assert rows(Kind.REPLY_SENT, recipient=agency_staff).count() == 1
    with step():
        workflow.record_feedback(proposal=sent.assignment.proposal, member=proposer, attitude="satisfied",
                                 result="satisfied", by=proposer.user)
    notice = rows(Kind.RATING_RECEIVED, recipient=agency_staff).get()
    assert "已作出评价" in notice.subject and notice.link.endswith(f"/admin/proposals/assignment/{sent.assignment_id}/change/")


def test_the_member_is_told_of_the_reply_once_the_step_commits_not_by_the_sweep(stages, in_review, step,
                                                                                agency_reviewer, agency_staff, proposer):
    """Issue 23 item 8: the 答复通知 and 评价邀请 are planned and sent with the step; the sweep adds none."""
    with step():
        signed = workflow.sign_off_reply(reply=in_review, by=agency_reviewer, document_number="穗科函〔2026〕9号")
        workflow.send_reply(reply=signed, by=agency_staff)
    told = rows(Kind.REPLIED, channel="in_app", recipient=proposer.user).get()
    assert told.enqueued_at is not None and "穗科函〔2026〕9号" in told.body
    assert rows(Kind.FEEDBACK_REQUEST, channel="in_app", recipient=proposer.user).get().enqueued_at is not None
    assert sending.send_notification(notification_id=told.pk) == "sent"
    before = set(Notification.objects.values_list("key", flat=True))
    services.sweep_notifications()
    assert not rows(Kind.REPLIED).exclude(key__in=before).exists()
    assert not rows(Kind.FEEDBACK_REQUEST).exclude(key__in=before).exists()


def test_feedback_request_is_dropped_once_the_member_has_rated(step, stages, sent, proposer):
    services.sweep_notifications()
    invitation = rows(Kind.FEEDBACK_REQUEST, channel="email").get()
    assert invitation.link.endswith(f"/my/proposals/{sent.assignment.proposal_id}/")
    with step():
        workflow.record_feedback(proposal=sent.assignment.proposal, member=proposer, attitude="satisfied",
                                 result="satisfied", by=proposer.user)
    assert sending.send_notification(notification_id=invitation.pk) == "dropped"
    assert "提出人已评价" in Notification.objects.get(pk=invitation.pk).last_error and not mail.outbox


def test_assisting_opinion_received_tells_the_lead_agency(step, assigned, agency_staff, other_agency,
                                                          other_agency_staff, agency):
    assisting = signed_for(step, assigned, other_agency, other_agency_staff)
    with step():
        opinion = workflow.draft_assisting_opinion(assignment=assisting, by=other_agency_staff, body="同意主办意见。")
        workflow.send_assisting_opinion(opinion=opinion, by=other_agency_staff)
    notice = rows(Kind.OPINION_RECEIVED, channel="in_app").get()
    assert notice.recipient == agency_staff and other_agency.name in notice.subject
    assert notice.link.endswith(f"/admin/proposals/assignment/{assignment_of(assigned, agency).pk}/change/")


def test_overdue_assisting_opinion_tells_the_clerks_once(assigned, other_agency, clerk):
    assisting = assignment_of(assigned, other_agency)
    Assignment.objects.filter(pk=assisting.pk).update(due_on=timezone.localdate() - dt.timedelta(days=2))
    services.sweep_notifications()
    services.sweep_notifications()
    notice = rows(Kind.OPINION_OVERDUE, channel="in_app").get()
    assert notice.recipient == clerk and "已逾期2天" in notice.subject


def test_late_opinion_notice_is_dropped_once_the_opinion_is_in(step, assigned, other_agency, other_agency_staff):
    assisting = assignment_of(assigned, other_agency)
    Assignment.objects.filter(pk=assisting.pk).update(due_on=timezone.localdate() - dt.timedelta(days=2))
    services.sweep_notifications()
    assisting = signed_for(step, assigned, other_agency, other_agency_staff)
    with step():
        opinion = workflow.draft_assisting_opinion(assignment=assisting, by=other_agency_staff, body="同意。")
        workflow.send_assisting_opinion(opinion=opinion, by=other_agency_staff)
    notice = rows(Kind.OPINION_OVERDUE, channel="in_app").get()
    assert sending.send_notification(notification_id=notice.pk) == "dropped"
    assert "已办理完毕" in Notification.objects.get(pk=notice.pk).last_error


# --- each notice or a daily digest -------------------------------------------------------------


def test_daily_digest_gathers_mail_in_one_message_and_in_app_stays_immediate(step, clerk, agency, agency_staff):
    preferences.choose_email_delivery(user=clerk, delivery=Delivery.DAILY)
    signed = []
    for _ in range(2):
        with step():
            proposal = assigned_proposal(by=clerk, lead=agency, on=timezone.localdate())
        assignment = signed_for(step, proposal, agency, agency_staff)
        with step():
            proposal_workflow.request_reassignment(assignment=assignment, reason="职责不符", by=agency_staff)
        signed.append(assignment)
    waiting = rows(Kind.REASSIGNMENT_REQUESTED, channel="email")
    assert waiting.count() == 2 and all(row.digest for row in waiting)
    assert {timezone.localtime(row.next_attempt_at).hour for row in waiting} == {8}
    send_all()
    assert rows(Kind.REASSIGNMENT_REQUESTED, channel="in_app", state=State.SENT).count() == 2
    assert not [m for m in mail.outbox if m.to == [clerk.email]]
    at_eight = max(row.next_attempt_at for row in waiting)
    assert digest.send_digests(now=at_eight) == 1 and digest.send_digests(now=at_eight) == 0
    [message] = [m for m in mail.outbox if m.to == [clerk.email]]
    assert "【每日汇总】" in message.subject and "共2条" in message.subject
    assert all(str(a.proposal.number) in message.body for a in signed)
    assert set(waiting.values_list("state", flat=True)) == {State.SENT}


def test_digest_leaves_out_a_notice_whose_reason_passed(step, clerk, agency, agency_staff, third_agency):
    preferences.choose_email_delivery(user=clerk, delivery=Delivery.DAILY)
    with step():
        proposal = assigned_proposal(by=clerk, lead=agency, on=timezone.localdate())
    assignment = signed_for(step, proposal, agency, agency_staff)
    with step():
        proposal_workflow.request_reassignment(assignment=assignment, reason="职责不符", by=agency_staff)
        proposal_workflow.decide_reassignment(assignment=assignment, approve=False, by=clerk)
    row = rows(Kind.REASSIGNMENT_REQUESTED, channel="email").get()
    assert digest.send_digests(now=row.next_attempt_at) == 0 and not mail.outbox
    assert Notification.objects.get(pk=row.pk).state == State.DROPPED


def test_unknown_delivery_choice_is_refused_and_changes_nothing(clerk):
    from tracker.errors import WorkflowError

    with pytest.raises(WorkflowError, match="每天汇总一封"):
        preferences.choose_email_delivery(user=clerk, delivery="weekly")
    assert preferences.email_delivery_of(clerk) == Delivery.EACH


@pytest.fixture
def third_agency_staff(db):
    from tests.factories import AgencyFactory, AgencyStaffUserFactory

    return AgencyStaffUserFactory(agency=AgencyFactory(name="广州市工业和信息化局"))


@pytest.fixture
def third_agency(third_agency_staff):
    return third_agency_staff.agency_staff.agency


@pytest.fixture
def agency_reviewer(agency):
    return AgencyReviewerUserFactory(agency=agency)


# --- links that open ---------------------------------------------------------------------------


def opens(client, user, link: str):
    client.force_login(user)
    response = client.get(urlsplit(link).path)
    client.logout()
    return response


def test_staff_links_open_the_admin_page_for_their_recipient_only(step, client, in_review, agency_staff,
                                                                  agency_reviewer, other_agency_staff, clerk):
    with step():
        proposal_workflow.request_extension(assignment=in_review.assignment, reason="需要调研", by=agency_staff,
                                            until=in_review.assignment.due_on + dt.timedelta(days=10))
    notices = Notification.objects.filter(channel="in_app").exclude(kind=Kind.ASSIGNED)
    assert {row.kind for row in notices} >= {Kind.NEW_ASSIGNMENT, Kind.REVIEW_REQUESTED, Kind.EXTENSION_REQUESTED}
    for row in notices:
        assert "/api/" not in row.link and urlsplit(row.link).path.startswith("/admin/")
        assert opens(client, row.recipient, row.link).status_code == 200, (row.kind, row.link)
    for row in notices.filter(recipient__in=[agency_staff, agency_reviewer]):  # the lead agency's work
        response = opens(client, other_agency_staff, row.link)  # the assisting agency's staff
        assert response.status_code == 404 and in_review.assignment.proposal.title not in response.content.decode()


def test_member_links_open_the_members_own_page_and_404_for_another_member(client, stages, sent, proposer):
    services.sweep_notifications()
    notices = Notification.objects.filter(recipient=proposer.user, channel="in_app")
    assert {row.kind for row in notices} >= {Kind.REPLIED, Kind.FEEDBACK_REQUEST}
    for row in notices:
        assert urlsplit(row.link).path == f"/my/proposals/{sent.assignment.proposal_id}/"
        assert opens(client, proposer.user, row.link).status_code == 200
        assert opens(client, MemberUserFactory(), row.link).status_code == 404


# --- the choice page ---------------------------------------------------------------------------


def test_staff_choose_their_own_mail_delivery_in_the_admin(client, clerk, agency_staff):
    client.force_login(agency_staff)
    start = client.get("/admin/notifications/notificationpreference/")
    assert start.status_code == 302 and start["Location"].endswith("/notificationpreference/add/")
    page = client.get(start["Location"])
    assert page.status_code == 200 and "每天汇总一封" in page.content.decode()
    saved = client.post(start["Location"], {"email": Delivery.DAILY})
    assert saved.status_code == 302
    assert preferences.email_delivery_of(agency_staff) == Delivery.DAILY
    own = agency_staff.notification_preference
    client.force_login(clerk)
    assert client.get(f"/admin/notifications/notificationpreference/{own.pk}/change/").status_code == 302
    assert preferences.email_delivery_of(clerk) == Delivery.EACH


def test_unknown_choice_in_the_admin_is_refused_and_changes_nothing(client, agency_staff):
    client.force_login(agency_staff)
    response = client.post("/admin/notifications/notificationpreference/add/", {"email": "weekly"})
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    assert preferences.email_delivery_of(agency_staff) == Delivery.EACH


# --- mail in doubt, and what planning costs a step ---------------------------------------------


def test_a_work_mail_interrupted_after_hand_off_is_sent_again_once_and_counted_in_doubt(assigned, agency):
    row = rows(Kind.NEW_ASSIGNMENT, channel="email", address=agency.email).get()
    assert sending.send_notification(notification_id=row.pk) == "sent"
    # A worker that handed the mail over and died before recording it leaves the row `sending`.
    long_ago = timezone.now() - dt.timedelta(hours=1)
    Notification.objects.filter(pk=row.pk).update(state=State.SENDING, claimed_at=long_ago, sent_at=None)
    assert sending.reclaim_abandoned() == 1
    assert sending.send_notification(notification_id=row.pk) == "sent"
    assert sending.send_notification(notification_id=row.pk) == "skipped"
    row.refresh_from_db()
    assert row.reclaims == 1 and row.state == State.SENT
    first, second = [m for m in mail.outbox if m.to == [agency.email]]
    assert first.extra_headers["Message-ID"] == second.extra_headers["Message-ID"] == row.message_id


def test_planning_a_step_costs_one_more_query_per_agency_it_tells(clerk, agency, other_agency, agency_staff,
                                                        other_agency_staff, django_assert_max_num_queries):
    from tests.factories import AgencyFactory, AgencyStaffUserFactory

    extra = [AgencyFactory() for _ in range(3)]
    for item in extra:
        AgencyStaffUserFactory(agency=item)
    small = assigned_proposal(by=clerk, lead=agency, assisting=[other_agency], on=timezone.localdate())
    large = assigned_proposal(by=clerk, lead=AgencyFactory(), joint=[], assisting=[*extra], on=timezone.localdate())
    small_event = Event.objects.get(proposal=small, action=Event.Action.ASSIGN)
    large_event = Event.objects.get(proposal=large, action=Event.Action.ASSIGN)
    with django_assert_max_num_queries(40) as for_two:
        work.plan_after_step(small_event.pk)
    with django_assert_max_num_queries(40) as for_four:
        work.plan_after_step(large_event.pk)
    print(f"planning a 交办 step: {len(for_two.captured_queries)} queries for 2 agencies, "
          f"{len(for_four.captured_queries)} for 4")
    assert len(for_four.captured_queries) - len(for_two.captured_queries) <= 2


# --- the office's switch -----------------------------------------------------------------------


def switch(kind, **channels):
    WorkNoticeSetting.objects.update_or_create(kind=kind, defaults=channels)


def test_the_office_switches_off_the_mail_of_one_kind_and_keeps_its_in_app(step, in_review, agency_reviewer):
    first_round = set(rows(Kind.REVIEW_REQUESTED).values_list("pk", flat=True))
    assert first_round  # planned before the switch, with its mail: left alone
    switch(Kind.REVIEW_REQUESTED, email=False)
    with step():
        returned = workflow.return_reply(reply=in_review, by=agency_reviewer, comment="请补充数据")
    with step():
        workflow.submit_reply(reply=returned, by=returned.drafted_by)
    second_round = rows(Kind.REVIEW_REQUESTED).exclude(pk__in=first_round)
    assert {row.channel for row in second_round} == {"in_app"}
    assert rows(Kind.DRAFT_RETURNED, channel="in_app").exists()  # other kinds are sent as before


def test_a_kind_switched_off_entirely_plans_nothing_for_its_steps(step, clerk, agency, agency_staff, proposer):
    switch(Kind.NEW_ASSIGNMENT, in_app=False, email=False)
    with step():
        assigned_proposal(by=clerk, lead=agency, proposers=[proposer], on=timezone.localdate())
    assert not rows(Kind.NEW_ASSIGNMENT).exists()
    assert StepNotices.objects.exists()  # the step counts as planned: the sweep does not try again
    services.sweep_notifications()
    assert not rows(Kind.NEW_ASSIGNMENT).exists()


def test_clerks_change_the_switches_and_agencies_may_not(client, clerk, agency_staff):
    client.force_login(agency_staff)
    assert client.get("/admin/notifications/worknoticesetting/").status_code == 403
    client.force_login(clerk)
    page = client.get("/admin/notifications/worknoticesetting/")
    assert page.status_code == 200 and "答复函待签发" in page.content.decode()
