"""replies.workflow: every step of a reply and its illegal neighbours (clear error, nothing written)."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

import pytest

from proposals import workflow as proposal_workflow
from proposals.models import Assignment, Communication, Event, Proposal
from replies import workflow
from replies.models import CommunicationWaiver, Reply
from tests.factories import (
    AgencyStaffUserFactory,
    assigned_proposal,
    assignment_of,
)
from tests.replies.builders import letter, walk_reply
from tracker.errors import PermissionRefused, WorkflowError

pytestmark = pytest.mark.django_db


@contextmanager
def refused(code: str):
    """The step raises WorkflowError `code` and leaves no trace: no Event, no reply row touched."""
    events, replies = Event.objects.count(), list(Reply.objects.order_by("pk").values())
    with pytest.raises(WorkflowError) as caught:
        yield caught
    assert caught.value.code == code, caught.value
    assert " / " in str(caught.value)  # bilingual: 中文 / English
    assert Event.objects.count() == events
    assert list(Reply.objects.order_by("pk").values()) == replies


# --- drafting ---------------------------------------------------------------------------------


def test_lead_staff_drafts_a_reply_for_the_current_round(assignment, agency_staff):
    reply = workflow.draft_reply(assignment=assignment, by=agency_staff, **letter())
    assert (reply.state, reply.round, reply.version) == (Reply.State.DRAFT, 1, 1)
    assert reply.signing_agency == assignment.agency
    assert reply.drafted_by == agency_staff
    event = Event.objects.filter(assignment=assignment).latest("id")
    assert (event.action, event.to_state, event.actor) == (Event.Action.REPLY, "draft", agency_staff)


def test_reply_cannot_be_drafted_before_the_assignment_is_signed_for(proposal, agency, agency_staff):
    pending = assignment_of(proposal, agency)
    with refused("not_signed_for"):
        workflow.draft_reply(assignment=pending, by=agency_staff, **letter())


def test_another_agency_cannot_draft_the_reply(assignment, other_agency_staff):
    with refused("not_your_agency") as caught:
        workflow.draft_reply(assignment=assignment, by=other_agency_staff, **letter())
    assert isinstance(caught.value, PermissionRefused)


def test_assisting_agency_cannot_draft_a_reply(clerk, agency, other_agency, other_agency_staff):
    proposal = assigned_proposal(by=clerk, lead=agency, assisting=[other_agency])
    assisting = proposal_workflow.sign_for_assignment(assignment=assignment_of(proposal, other_agency),
                                                      by=other_agency_staff)
    with refused("assisting_does_not_reply"):
        workflow.draft_reply(assignment=assisting, by=other_agency_staff, **letter())


def test_a_round_has_one_reply(draft, assignment, agency_staff):
    with refused("reply_exists"):
        workflow.draft_reply(assignment=assignment, by=agency_staff, **letter(title="第二份"))


def test_draft_needs_title_addressee_and_body(assignment, agency_staff):
    with refused("body_required") as caught:
        workflow.draft_reply(assignment=assignment, by=agency_staff, **letter(body="  "))
    assert caught.value.field == "body"


def test_document_number_is_tidied_and_its_year_read(assignment, agency_staff):
    reply = workflow.draft_reply(assignment=assignment, by=agency_staff, **letter(document_number="穗科函 [2022] 123号"))
    assert (reply.document_number, reply.document_year) == ("穗科函〔2022〕123号", 2022)


def test_document_numbers_are_unique_per_agency_and_year(clerk, assignment, agency, agency_staff, other_agency,
                                                         other_agency_staff):
    workflow.draft_reply(assignment=assignment, by=agency_staff, **letter(document_number="穗科函〔2022〕123号"))
    second = proposal_workflow.sign_for_assignment(
        assignment=assignment_of(assigned_proposal(by=clerk, lead=agency), agency), by=agency_staff
    )
    with refused("duplicate_document_number") as caught:
        workflow.draft_reply(assignment=second, by=agency_staff, **letter(document_number="穗科函〔2022〕123号"))
    assert caught.value.field == "document_number"
    assert "穗科函〔2022〕123号" in caught.value.zh
    # The same number in another year, or at another agency, is a different document.
    workflow.draft_reply(assignment=second, by=agency_staff, **letter(document_number="穗科函〔2023〕123号"))
    elsewhere = proposal_workflow.sign_for_assignment(
        assignment=assignment_of(assigned_proposal(by=clerk, lead=other_agency), other_agency), by=other_agency_staff
    )
    workflow.draft_reply(assignment=elsewhere, by=other_agency_staff, **letter(document_number="穗科函〔2022〕123号"))


def test_a_number_taken_at_sign_off_is_refused_too(in_review, agency_reviewer, clerk, agency, agency_staff,
                                                   second_reviewer):
    other = walk_reply(
        proposal_workflow.sign_for_assignment(
            assignment=assignment_of(assigned_proposal(by=clerk, lead=agency), agency), by=agency_staff),
        staff=agency_staff, reviewer=agency_reviewer, to="signed", document_number="穗科函〔2022〕9号",
    )
    assert other.state == Reply.State.SIGNED
    with refused("duplicate_document_number"):
        workflow.sign_off_reply(reply=in_review, by=second_reviewer, document_number="穗科函〔2022〕9号")


# --- editing and optimistic locking -------------------------------------------------------------


def test_saving_a_draft_bumps_its_version_and_records_the_edit(draft, agency_staff):
    saved = workflow.save_reply_draft(reply=draft, by=agency_staff, version=1, body="新的正文")
    assert (saved.version, saved.body, saved.last_edited_by) == (2, "新的正文", agency_staff)
    assert "修改答复函" in Event.objects.latest("id").note


def test_second_save_from_the_same_version_is_refused_and_overwrites_nothing(draft, agency, agency_staff):
    colleague = AgencyStaffUserFactory(agency=agency)
    workflow.save_reply_draft(reply=draft, by=agency_staff, version=1, body="经办人甲的修改")
    with refused("stale_version") as caught:
        workflow.save_reply_draft(reply=draft, by=colleague, version=1, body="经办人乙的修改")
    assert "已被他人修改" in caught.value.zh and "changed by someone else" in caught.value.en
    draft.refresh_from_db()
    assert (draft.body, draft.version) == ("经办人甲的修改", 2)


def test_a_draft_in_review_cannot_be_edited(in_review, agency_staff):
    with refused("invalid_reply_state"):
        workflow.save_reply_draft(reply=in_review, by=agency_staff, version=in_review.version, body="改")


def test_another_agency_cannot_edit_the_draft(draft, other_agency_staff):
    with refused("not_your_agency"):
        workflow.save_reply_draft(reply=draft, by=other_agency_staff, version=1, body="改")


# --- submitting: 办前沟通 first ------------------------------------------------------------------


def test_reply_cannot_be_submitted_before_a_communication_is_held(assignment, agency_staff):
    planned = proposal_workflow.plan_communication(assignment=assignment, by=agency_staff,
                                                   mode=Communication.Mode.PHONE, date=dt.date(2026, 4, 1))
    reply = workflow.draft_reply(assignment=assignment, by=agency_staff, **letter())
    with refused("communication_required"):
        workflow.submit_reply(reply=reply, by=agency_staff)
    proposal_workflow.record_communication_held(communication=planned, by=agency_staff, outcome="电话沟通。")
    assert workflow.submit_reply(reply=reply, by=agency_staff).state == Reply.State.IN_REVIEW


def test_a_clerks_waiver_lets_the_reply_be_submitted_without_a_contact(assignment, agency_staff, clerk):
    reply = workflow.draft_reply(assignment=assignment, by=agency_staff, **letter())
    waiver = workflow.waive_communication(assignment=assignment, by=clerk, reason="提出人在外地,同意书面答复")
    assert waiver.waived_by == clerk
    assert workflow.submit_reply(reply=reply, by=agency_staff).state == Reply.State.IN_REVIEW


def test_only_a_clerk_waives_the_communication_and_with_a_reason(assignment, agency_staff, clerk):
    with pytest.raises(PermissionRefused):
        workflow.waive_communication(assignment=assignment, by=agency_staff, reason="自行免除")
    with pytest.raises(WorkflowError, match="理由"):
        workflow.waive_communication(assignment=assignment, by=clerk, reason=" ")
    workflow.waive_communication(assignment=assignment, by=clerk, reason="同意")
    with pytest.raises(WorkflowError) as caught:
        workflow.waive_communication(assignment=assignment, by=clerk, reason="再次")
    assert caught.value.code == "already_waived"
    assert CommunicationWaiver.objects.count() == 1


def test_submitting_needs_a_reply_category(assignment, held, agency_staff):
    reply = workflow.draft_reply(assignment=assignment, by=agency_staff, **letter(category=""))
    with refused("category_required"):
        workflow.submit_reply(reply=reply, by=agency_staff)


def test_unknown_category_is_refused(assignment, agency_staff):
    with refused("unknown_category"):
        workflow.draft_reply(assignment=assignment, by=agency_staff, **letter(category="Z"))


def test_a_reply_not_public_needs_a_reason(assignment, agency_staff):
    with refused("nondisclosure_reason_required"):
        workflow.draft_reply(assignment=assignment, by=agency_staff, **letter(disclosure=Reply.Disclosure.NOT_PUBLIC))
    reply = workflow.draft_reply(assignment=assignment, by=agency_staff,
                                 **letter(disclosure=Reply.Disclosure.ON_REQUEST, nondisclosure_reason="涉及企业商业信息"))
    assert reply.nondisclosure_reason == "涉及企业商业信息"


def test_a_signed_reply_cannot_be_submitted_again(signed, agency_staff):
    with refused("invalid_reply_state"):
        workflow.submit_reply(reply=signed, by=agency_staff)


# --- review: return and sign off ----------------------------------------------------------------


def test_reviewer_returns_a_draft_with_comments_and_it_comes_back(in_review, agency_reviewer, agency_staff):
    returned = workflow.return_reply(reply=in_review, by=agency_reviewer, comment="请补充下一步工作计划")
    assert (returned.state, returned.review_comment) == (Reply.State.RETURNED, "请补充下一步工作计划")
    edited = workflow.save_reply_draft(reply=returned, by=agency_staff, version=returned.version, body="补充后的正文")
    assert workflow.submit_reply(reply=edited, by=agency_staff).state == Reply.State.IN_REVIEW


def test_returning_needs_a_comment_and_a_reviewer(in_review, agency_reviewer, agency_staff):
    with refused("comment_required"):
        workflow.return_reply(reply=in_review, by=agency_reviewer, comment="")
    with refused("not_reviewer"):
        workflow.return_reply(reply=in_review, by=agency_staff, comment="退回")


def test_reviewer_signs_off_with_number_and_date(in_review, agency_reviewer):
    signed = workflow.sign_off_reply(reply=in_review, by=agency_reviewer, document_number="穗科函〔2022〕123号",
                                     signed_on=dt.date(2022, 5, 27))
    assert signed.state == Reply.State.SIGNED
    assert (signed.signed_off_by, signed.signed_on, signed.document_year) == (agency_reviewer, dt.date(2022, 5, 27), 2022)
    event = Event.objects.latest("id")
    assert (event.from_state, event.to_state) == ("in_review", "signed")


def test_staff_cannot_sign_off(in_review, agency_staff):
    with refused("not_reviewer"):
        workflow.sign_off_reply(reply=in_review, by=agency_staff)


def test_reviewer_of_another_agency_cannot_sign_off(in_review, other_reviewer):
    with refused("not_your_agency"):
        workflow.sign_off_reply(reply=in_review, by=other_reviewer)


def test_nobody_signs_off_their_own_draft(assignment, held, agency_reviewer, second_reviewer):
    reply = workflow.draft_reply(assignment=assignment, by=agency_reviewer, **letter())
    workflow.submit_reply(reply=reply, by=agency_reviewer)
    with refused("own_draft"):
        workflow.sign_off_reply(reply=reply, by=agency_reviewer)
    signed = workflow.sign_off_reply(reply=reply, by=second_reviewer, document_number="穗科函〔2022〕11号")
    assert signed.state == Reply.State.SIGNED


def test_a_reviewer_who_edited_the_draft_cannot_sign_it_off(draft, agency_reviewer, second_reviewer, agency_staff):
    workflow.save_reply_draft(reply=draft, by=agency_reviewer, version=1, body="负责人改写的正文")
    workflow.submit_reply(reply=draft, by=agency_staff)
    with refused("own_draft"):
        workflow.sign_off_reply(reply=draft, by=agency_reviewer)
    workflow.sign_off_reply(reply=draft, by=second_reviewer, document_number="穗科函〔2022〕12号")


def test_a_draft_not_submitted_cannot_be_signed_off(draft, agency_reviewer):
    with refused("invalid_reply_state"):
        workflow.sign_off_reply(reply=draft, by=agency_reviewer)


def test_sign_off_of_a_version_the_reviewer_did_not_see_is_refused(in_review, agency_reviewer):
    with refused("stale_version"):
        workflow.sign_off_reply(reply=in_review, by=agency_reviewer, version=in_review.version - 1)


# --- sending ------------------------------------------------------------------------------------


def test_sending_replies_the_assignment_and_the_proposal(sent, assignment):
    assignment.refresh_from_db()
    proposal = assignment.proposal
    proposal.refresh_from_db()
    assert sent.state == Reply.State.SENT and sent.sent_at is not None
    assert sent.due_on == assignment.due_on
    assert assignment.state == Assignment.State.REPLIED and assignment.completed_on is not None
    assert proposal.status == Proposal.Status.REPLIED
    actions = list(proposal.events.filter(action=Event.Action.REPLY).values_list("to_state", flat=True))
    assert actions[-3:] == ["sent", "replied", "replied"]  # the letter, the assignment, the proposal


def test_an_unsigned_reply_cannot_be_sent(in_review, agency_staff):
    with refused("invalid_reply_state"):
        workflow.send_reply(reply=in_review, by=agency_staff)


def test_another_agency_cannot_send(signed, other_agency_staff):
    with refused("not_your_agency"):
        workflow.send_reply(reply=signed, by=other_agency_staff)


def test_a_reply_is_not_sent_while_a_reassignment_request_waits(signed, assignment, agency_staff):
    Assignment.objects.filter(pk=assignment.pk).update(reassignment_window_ends_on=dt.date(2099, 1, 1))
    proposal_workflow.request_reassignment(assignment=assignment, reason="不属本单位职能", by=agency_staff)
    with refused("reassignment_pending"):
        workflow.send_reply(reply=signed, by=agency_staff)


def test_sent_reply_cannot_be_sent_twice(sent, agency_staff):
    with refused("invalid_reply_state"):
        workflow.send_reply(reply=sent, by=agency_staff)


# --- joint handling and assisting opinions ------------------------------------------------------


def test_joint_agencies_each_reply_and_the_proposal_is_replied_when_all_have(
    clerk, agency, other_agency, agency_staff, agency_reviewer, other_agency_staff, other_reviewer, members
):
    proposal = assigned_proposal(by=clerk, joint=[agency, other_agency], proposers=members)
    ours = proposal_workflow.sign_for_assignment(assignment=assignment_of(proposal, agency), by=agency_staff)
    theirs = proposal_workflow.sign_for_assignment(assignment=assignment_of(proposal, other_agency),
                                                   by=other_agency_staff)
    walk_reply(ours, staff=agency_staff, reviewer=agency_reviewer, to="sent", body="本单位负责部分的答复。")
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.IN_PROGRESS  # the other joint agency has not replied
    with pytest.raises(WorkflowError):  # and cannot touch ours
        workflow.draft_reply(assignment=ours, by=other_agency_staff, **letter())
    walk_reply(theirs, staff=other_agency_staff, reviewer=other_reviewer, to="sent", body="教育部分的答复。",
               title="广州市教育局关于第1号提案的答复")
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.REPLIED
    assert Reply.objects.filter(assignment__proposal=proposal, state=Reply.State.SENT).count() == 2


def test_assisting_opinion_goes_to_the_lead_and_the_lead_replies_for_all(
    clerk, agency, other_agency, agency_staff, agency_reviewer, other_agency_staff, members
):
    from replies import selectors

    proposal = assigned_proposal(by=clerk, lead=agency, assisting=[other_agency], proposers=members)
    lead = proposal_workflow.sign_for_assignment(assignment=assignment_of(proposal, agency), by=agency_staff)
    assisting = proposal_workflow.sign_for_assignment(assignment=assignment_of(proposal, other_agency),
                                                      by=other_agency_staff)
    with pytest.raises(WorkflowError) as caught:
        workflow.draft_assisting_opinion(assignment=lead, by=agency_staff, body="意见")
    assert caught.value.code == "not_assisting"
    opinion = workflow.draft_assisting_opinion(assignment=assisting, by=other_agency_staff, body="建议加强校企合作。",
                                               title="关于第1号提案的会办意见", document_number="穗教办理[2022]2号")
    assert opinion.document_number == "穗教办理〔2022〕2号"
    context = selectors.reply_context(assignment=lead, user=agency_staff, today=dt.date(2026, 3, 10))
    assert context.opinions == [] and [a.agency for a in context.opinions_missing] == [other_agency]
    workflow.send_assisting_opinion(opinion=opinion, by=other_agency_staff, version=opinion.version)
    assisting.refresh_from_db()
    assert assisting.state == Assignment.State.OPINION_SENT
    context = selectors.reply_context(assignment=lead, user=agency_staff, today=dt.date(2026, 3, 10))
    assert [o.body for o in context.opinions] == ["建议加强校企合作。"] and context.opinions_missing == []
    with pytest.raises(WorkflowError) as caught:
        workflow.save_opinion_draft(opinion=opinion, by=other_agency_staff, version=opinion.version + 1, body="改")
    assert caught.value.code == "opinion_sent"
    walk_reply(lead, staff=agency_staff, reviewer=agency_reviewer, to="sent")
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.REPLIED


def test_opinion_drafts_refuse_a_stale_save(clerk, agency, other_agency, other_agency_staff):
    proposal = assigned_proposal(by=clerk, lead=agency, assisting=[other_agency])
    assisting = proposal_workflow.sign_for_assignment(assignment=assignment_of(proposal, other_agency),
                                                      by=other_agency_staff)
    opinion = workflow.draft_assisting_opinion(assignment=assisting, by=other_agency_staff, body="初稿")
    workflow.save_opinion_draft(opinion=opinion, by=other_agency_staff, version=1, body="第二稿")
    with pytest.raises(WorkflowError) as caught:
        workflow.save_opinion_draft(opinion=opinion, by=other_agency_staff, version=1, body="覆盖")
    assert caught.value.code == "stale_version"
    opinion.refresh_from_db()
    assert opinion.body == "第二稿"


# --- publication --------------------------------------------------------------------------------


def test_a_sent_public_reply_is_published_and_withdrawn(sent, agency_staff):
    published = workflow.publish_reply(reply=sent, by=agency_staff, on=dt.date(2022, 5, 31),
                                       index_number="007482939/2022-00321")
    assert (published.published_on, published.index_number) == (dt.date(2022, 5, 31), "007482939/2022-00321")
    with refused("already_published"):
        workflow.publish_reply(reply=sent, by=agency_staff)
    withdrawn = workflow.withdraw_reply_publication(reply=sent, by=agency_staff, reason="文字有误,更正后重新公开")
    assert withdrawn.published_on is None
    with refused("not_published"):
        workflow.withdraw_reply_publication(reply=sent, by=agency_staff, reason="再次")


def test_only_sent_replies_are_published(signed, agency_staff):
    with refused("invalid_reply_state"):
        workflow.publish_reply(reply=signed, by=agency_staff)


def test_a_reply_not_public_is_not_published(assignment, agency_staff, agency_reviewer):
    reply = walk_reply(assignment, staff=agency_staff, reviewer=agency_reviewer, to="sent",
                       disclosure=Reply.Disclosure.NOT_PUBLIC, nondisclosure_reason="涉及个人信息")
    with refused("not_public"):
        workflow.publish_reply(reply=reply, by=agency_staff)


def test_a_letter_showing_a_proposers_phone_is_not_published(assignment, agency_staff, agency_reviewer, members):
    members[0].phone = "13800138000"
    members[0].save()
    reply = walk_reply(assignment, staff=agency_staff, reviewer=agency_reviewer, to="sent",
                       body="张建山委员(电话13800138000)提出的建议收悉。")
    with refused("contact_details_in_text"):
        workflow.publish_reply(reply=reply, by=agency_staff)


def test_a_phone_written_with_separators_still_blocks_publication(assignment, agency_staff, agency_reviewer, members):
    members[0].phone = "13800001111"
    members[0].save()
    reply = walk_reply(assignment, staff=agency_staff, reviewer=agency_reviewer, to="sent",
                       body="张建山委员(电话138-0000-1111)提出的建议收悉。")
    with refused("contact_details_in_text"):
        workflow.publish_reply(reply=reply, by=agency_staff)


def test_a_reply_in_review_cannot_be_signed_after_the_proposal_was_withdrawn(in_review, agency_reviewer, clerk,
                                                                            members):
    proposal_workflow.withdraw_proposal(proposal=in_review.assignment.proposal, consenting=members, by=clerk)

    with refused("invalid_state"):
        workflow.sign_off_reply(reply=in_review, by=agency_reviewer)


def test_another_agency_cannot_publish(sent, other_agency_staff):
    with refused("not_your_agency"):
        workflow.publish_reply(reply=sent, by=other_agency_staff)


def test_the_office_does_not_publish_for_the_agency(sent, clerk):
    # The signing agency discloses its own replies (国办发〔2014〕46号); the office follows them.
    with refused("not_your_agency"):
        workflow.publish_reply(reply=sent, by=clerk)
    sent.refresh_from_db()
    assert sent.published_on is None


def test_b_class_promise_stays_under_follow_up_until_done(assignment, agency_staff, agency_reviewer):
    from replies import selectors

    reply = walk_reply(assignment, staff=agency_staff, reviewer=agency_reviewer, to="sent", category="B")
    assert list(selectors.follow_up_list()) == [reply]
    workflow.record_follow_up_done(reply=reply, by=agency_staff, on=dt.date(2023, 3, 1))
    assert list(selectors.follow_up_list()) == []
    with refused("follow_up_done"):
        workflow.record_follow_up_done(reply=reply, by=agency_staff)


def test_an_a_class_reply_has_no_follow_up(sent, agency_staff):
    with refused("no_follow_up"):
        workflow.record_follow_up_done(reply=sent, by=agency_staff)


def test_an_imported_historical_reply_is_not_edited(sent, agency_staff):
    Reply.objects.filter(pk=sent.pk).update(is_historical=True, state=Reply.State.DRAFT)
    with refused("historical"):
        workflow.save_reply_draft(reply=sent, by=agency_staff, version=sent.version, body="改")
