"""The front door's rules: who sees a draft, co-proposers, the 议案 count, windows, submitting once,
withdrawal before review, and the notices (on PostgreSQL and SQLite alike)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from notifications.models import Kind, Notification
from proposals import workflow as proposal_workflow
from proposals.models import Event, Proposal
from submissions import access, services
from submissions.models import CoSigner, Draft, MotionRule, Window
from submissions.similar import similar_for
from tests.factories import ClerkFactory, MeetingFactory, not_accept_ground
from tests.submissions.conftest import ANALYSIS, SUGGESTIONS, TITLE, member_user
from tracker.errors import PermissionRefused, WorkflowError

pytestmark = pytest.mark.django_db


def test_a_draft_is_seen_by_its_author_and_invited_co_proposers_only(written, author, colleagues, session):
    stranger = member_user(session, "赵六")
    services.invite(draft=written, members=[colleagues[0].member], by=author)
    assert list(access.drafts_visible_to(author)) == [written]
    assert list(access.drafts_visible_to(colleagues[0])) == [written]
    assert list(access.drafts_visible_to(colleagues[1])) == []
    assert list(access.drafts_visible_to(stranger)) == []
    assert list(access.drafts_visible_to(ClerkFactory())) == []  # not the office's until submitted
    with pytest.raises(PermissionRefused):
        services.save_draft(draft=written, by=colleagues[0], title="关于别的事的提案")


def test_an_empty_title_or_a_body_over_the_limit_saves_nothing(written, author):
    with pytest.raises(WorkflowError, match="请填写案由"):
        services.save_draft(draft=written, by=author, title="  ", analysis="新的分析")
    with pytest.raises(WorkflowError, match="正文过长"):
        services.save_draft(draft=written, by=author, analysis="字" * 20_001)
    written.refresh_from_db()
    assert written.title == TITLE and written.analysis == ANALYSIS


def test_an_empty_body_cannot_be_submitted(author, session):
    draft = services.create_draft(meeting=session, by=author, title=TITLE)
    with pytest.raises(WorkflowError, match="请填写情况分析"):
        services.submit(draft=draft, by=author)
    assert not Proposal.objects.exists()


def test_a_co_proposer_outside_the_meetings_body_is_refused_by_name(written, author):
    elsewhere = member_user(MeetingFactory(region="深圳市"), "孙七")
    with pytest.raises(WorkflowError, match="孙七不是政协十四届广州市委员会第三次会议的委员/代表"):
        services.invite(draft=written, members=[elsewhere.member], by=author)
    assert not CoSigner.objects.exists()


def test_invitees_are_told_and_an_answer_given_twice_counts_once(written, author, colleagues):
    services.invite(draft=written, members=[c.member for c in colleagues], by=author)
    invited = Notification.objects.filter(kind=Kind.COSIGN_INVITED)
    assert {(n.recipient_id, n.channel) for n in invited if n.recipient_id} == {(c.pk, "in_app") for c in colleagues}
    assert invited.filter(channel="email").count() == 2
    row = CoSigner.objects.get(member=colleagues[0].member)
    services.answer_invitation(cosigner=row, confirm=True, by=colleagues[0])
    services.answer_invitation(cosigner=row, confirm=True, by=colleagues[0])
    assert Notification.objects.filter(kind=Kind.COSIGN_ANSWERED, channel="in_app").count() == 1
    with pytest.raises(PermissionRefused):
        services.answer_invitation(cosigner=row, confirm=False, by=colleagues[1])


def test_pending_invitations_hold_the_submission_until_answered_or_withdrawn(written, author, colleagues):
    services.invite(draft=written, members=[c.member for c in colleagues], by=author)
    services.answer_invitation(cosigner=CoSigner.objects.get(member=colleagues[0].member), confirm=True,
                               by=colleagues[0])
    with pytest.raises(WorkflowError, match="尚有联名邀请未答复：王强"):
        services.submit(draft=written, by=author)
    services.cancel_pending(draft=written, by=author)
    proposal = services.submit(draft=written, by=author)
    assert [(p.member.name, p.is_lead) for p in proposal.proposers.all()] == [("张建山", True), ("李红", False)]


def test_submitting_registers_one_proposal_in_review_with_channel_and_office_number(written, author, session):
    Proposal.objects.create(meeting=session, number="1007", title="关于已有的提案")
    first = services.submit(draft=written, by=author)
    again = services.submit(draft=written, by=author)  # a double click, a retried request
    assert first.pk == again.pk and Proposal.objects.filter(title=TITLE).count() == 1
    assert first.status == Proposal.Status.SUBMITTED and first.number == "1008"
    assert first.body == f"一、情况分析\n{ANALYSIS}\n二、具体建议\n{SUGGESTIONS}"
    register = first.events.get()
    assert register.action == Event.Action.REGISTER and register.note == "渠道：网上提交"
    with pytest.raises(WorkflowError, match="已提交"):
        services.save_draft(draft=written, by=author, title="关于改过的提案")


def test_outside_a_window_the_submission_is_refused_in_chinese(written, author, session):
    Window.objects.filter(meeting=session).update(closes_on=timezone.localdate() - dt.timedelta(days=1))
    Window.objects.create(meeting=session, kind=Window.Kind.BETWEEN, opens_on=dt.date(2099, 3, 1),
                          closes_on=dt.date(2099, 10, 31))
    with pytest.raises(WorkflowError, match="现在不在政协十四届三次会议的提交期间内.*2099年3月1日至2099年10月31日"):
        services.submit(draft=written, by=author)
    assert not Proposal.objects.exists()


def test_a_motion_needs_the_statutory_number_and_a_suggestion_none(congress):
    deputy = member_user(congress, "陈代表")
    others = [member_user(congress, f"代表{n}") for n in range(4)]
    MotionRule.objects.create(meeting=congress, min_deputies=5)
    motion = services.create_draft(meeting=congress, by=deputy, kind=Draft.Kind.MOTION, title="关于制定某条例的议案",
                                   analysis="案据", suggestions="办法")
    services.invite(draft=motion, members=[o.member for o in others], by=deputy)
    for other in others[:3]:
        services.answer_invitation(cosigner=CoSigner.objects.get(member=other.member), confirm=True, by=other)
    services.answer_invitation(cosigner=CoSigner.objects.get(member=others[3].member), confirm=False, by=others[3])
    with pytest.raises(WorkflowError, match="议案须由代表团或5名以上代表联名提出，现有4名"):
        services.submit(draft=motion, by=deputy)
    services.answer_invitation(cosigner=CoSigner.objects.get(member=others[3].member), confirm=True, by=others[3])
    assert services.submit(draft=motion, by=deputy).proposers.count() == 5
    suggestion = services.create_draft(meeting=congress, by=deputy, kind=Draft.Kind.SUGGESTION,
                                       title="关于改善公交线路的建议", analysis="案据", suggestions="建议")
    assert services.submit(draft=suggestion, by=deputy).kind == Proposal.Kind.SUGGESTION


def test_a_cppcc_meeting_takes_no_motion(author, session):
    with pytest.raises(WorkflowError, match="本次会议只收提案"):
        services.create_draft(meeting=session, by=author, kind=Draft.Kind.MOTION, title="关于某事的议案")


def test_the_author_withdraws_before_review(written, author):
    proposal = services.submit(draft=written, by=author)
    assert services.withdraw(draft=written, by=author).status == Proposal.Status.WITHDRAWN
    assert proposal.events.last().note == "提出人在审查前撤回"


def test_after_review_only_the_office_withdraws(written, author):
    proposal = services.submit(draft=written, by=author)
    proposal_workflow.accept_proposal(proposal=proposal, by=ClerkFactory())
    with pytest.raises(WorkflowError, match="提案办已审查，不能再撤回"):
        services.withdraw(draft=written, by=author)


def test_review_decisions_reach_the_author_and_co_proposers_with_the_reason(
        written, author, colleagues, django_capture_on_commit_callbacks):
    services.invite(draft=written, members=[colleagues[0].member], by=author)
    services.answer_invitation(cosigner=CoSigner.objects.get(member=colleagues[0].member), confirm=True,
                               by=colleagues[0])
    proposal = services.submit(draft=written, by=author)
    with django_capture_on_commit_callbacks(execute=True):
        proposal_workflow.not_accept_proposal(proposal=proposal, ground=not_accept_ground(), reason="属于个案诉求",
                                              by=ClerkFactory())
    told = Notification.objects.filter(kind=Kind.REVIEW_DECIDED, channel="in_app")
    assert {n.recipient_id for n in told} == {author.pk, colleagues[0].pk}
    assert all("不予立案" in n.subject and "属于个案诉求" in n.body for n in told)


def test_contacts_stay_off_the_registered_proposal(written, author):
    proposal = services.submit(draft=written, by=author)
    assert "13800001111" not in proposal.body and "越秀区" not in proposal.body


def test_returned_for_revision_the_author_edits_and_resubmits_and_the_timeline_keeps_both(written, author):
    proposal = services.submit(draft=written, by=author)
    clerk = ClerkFactory()
    with pytest.raises(WorkflowError, match="请填写退回修改的意见"):
        services.return_for_revision(proposal=proposal, note=" ", by=clerk)
    services.return_for_revision(proposal=proposal, note="一事一案，请只写加装电梯", by=clerk)
    written.refresh_from_db()
    assert written.state == Draft.State.RETURNED
    told = Notification.objects.get(kind=Kind.REVIEW_DECIDED, channel="in_app", recipient=author)
    assert "一事一案，请只写加装电梯" in told.body
    services.save_draft(draft=written, by=author, suggestions="设立加装电梯专项补贴资金。")
    again = services.submit(draft=written, by=author)
    assert again.pk == proposal.pk and again.status == Proposal.Status.SUBMITTED
    assert "设立加装电梯专项补贴资金。" in again.body
    assert [v.body.endswith(SUGGESTIONS) for v in written.versions.all()] == [True, False]
    assert [e.note for e in again.events.filter(action=Event.Action.EDIT)] == [
        "退回修改：一事一案，请只写加装电梯", "提出人修改后重新提交（修改：正文）"]
    with pytest.raises(PermissionRefused):
        services.return_for_revision(proposal=again, note="x", by=author)


def test_similar_proposals_while_drafting_are_only_those_the_member_may_see(written, author, session):
    other = member_user(session, "赵六")
    theirs = services.create_draft(meeting=session, by=other, title=TITLE, analysis=ANALYSIS, suggestions=SUGGESTIONS)
    services.submit(draft=theirs, by=other)  # another member's, unpublished: not for the author to see
    earlier = MeetingFactory(name="政协十四届广州市委员会第二次会议", session=2, year=2025)
    own = Proposal.objects.create(meeting=earlier, number="88", title="关于推进老旧小区加装电梯的提案",
                                  body=ANALYSIS)
    own.proposers.create(member=author.member, order=1, is_lead=True)
    shown = similar_for(written, author)
    assert [item.similar.proposal.pk for item in shown] == [own.pk]
    assert shown[0].is_own and shown[0].public_reply_id is None
