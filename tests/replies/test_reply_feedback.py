"""Ratings (征询意见), evaluation and re-handling after 不满意 with its own deadline."""

from __future__ import annotations

import datetime as dt

import pytest

from proposals import access
from replies import access as reply_access
from django.utils import timezone

from proposals import workflow as proposal_workflow
from proposals.models import Assignment, Event, Proposal
from replies import selectors, workflow
from replies.models import Feedback, Rating, Reply
from tests.factories import MemberUserFactory, RuleSetFactory
from tests.replies.builders import walk_reply
from tracker.errors import PermissionRefused, WorkflowError

pytestmark = pytest.mark.django_db
SATISFIED, UNSATISFIED = Rating.SATISFIED, Rating.UNSATISFIED


def rate(proposal, user, result=SATISFIED, comments=""):
    return workflow.record_feedback(proposal=proposal, member=user.member, attitude=SATISFIED, result=result,
                                    comments=comments, by=user)


def test_a_proposer_rates_their_own_reply_online(sent, proposer_users):
    feedback = rate(sent.proposal, proposer_users[0], comments="答复具体")
    assert (feedback.round, feedback.channel, feedback.recorded_by) == (1, Feedback.Channel.ONLINE, proposer_users[0])
    assert Event.objects.filter(proposal=sent.proposal, action=Event.Action.EVALUATE).exists()


def test_ratings_open_only_after_the_reply_was_sent(signed, proposer_users):
    with pytest.raises(WorkflowError) as caught:
        rate(signed.proposal, proposer_users[0])
    assert caught.value.code == "feedback_not_open"
    assert not Feedback.objects.exists()


def test_someone_who_did_not_sign_the_proposal_cannot_rate_it(sent, clerk):
    outsider = MemberUserFactory()
    with pytest.raises(WorkflowError) as caught:  # as themselves: not their proposal
        rate(sent.proposal, outsider)
    assert caught.value.code == "not_a_proposer"
    with pytest.raises(WorkflowError) as caught:  # entered by a clerk: not a proposer
        workflow.record_feedback(proposal=sent.proposal, member=outsider.member, attitude=SATISFIED, result=SATISFIED,
                                 by=clerk, channel=Feedback.Channel.PHONE)
    assert caught.value.code == "not_a_proposer"
    assert not Feedback.objects.exists()


def test_a_member_rates_only_as_themselves(sent, proposer_users):
    with pytest.raises(PermissionRefused):
        workflow.record_feedback(proposal=sent.proposal, member=proposer_users[1].member, attitude=SATISFIED,
                                 result=SATISFIED, by=proposer_users[0])


def test_each_proposer_rates_once_per_round(sent, proposer_users):
    rate(sent.proposal, proposer_users[0])
    with pytest.raises(WorkflowError) as caught:
        rate(sent.proposal, proposer_users[0])
    assert caught.value.code == "already_rated"
    assert Feedback.objects.count() == 1


def test_clerks_enter_phone_and_paper_ratings_not_online_ones(sent, clerk, members):
    with pytest.raises(WorkflowError) as caught:
        workflow.record_feedback(proposal=sent.proposal, member=members[0], attitude=SATISFIED, result=SATISFIED,
                                 by=clerk)
    assert caught.value.code == "online_is_members_own"
    feedback = workflow.record_feedback(proposal=sent.proposal, member=members[0], attitude=SATISFIED,
                                        result=Rating.BASICALLY_SATISFIED, by=clerk, channel=Feedback.Channel.PAPER)
    assert feedback.recorded_by == clerk


def test_the_proposal_is_evaluated_when_every_proposer_has_rated_then_closed(sent, proposer_users, clerk):
    proposal = sent.proposal
    for user in proposer_users[:2]:
        rate(proposal, user)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.REPLIED
    rate(proposal, proposer_users[2], result=Rating.BASICALLY_SATISFIED)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.round) == (Proposal.Status.EVALUATED, 1)
    assert proposal_workflow.close_proposal(proposal=proposal, by=clerk).status == Proposal.Status.CLOSED


def test_unsatisfied_result_starts_rehandling_with_its_own_deadline(sent, proposer_users, agency_staff,
                                                                   agency_reviewer, assignment):
    proposal = sent.proposal
    first_due = assignment.due_on
    rate(proposal, proposer_users[0])
    rate(proposal, proposer_users[1], result=UNSATISFIED, comments="未回应资金支持问题")
    rate(proposal, proposer_users[2])
    proposal.refresh_from_db()
    assignment.refresh_from_db()
    expected_due, _ = proposal_workflow.rehandling_due_on(proposal=proposal, started_on=timezone.localdate())
    assert (proposal.status, proposal.round) == (Proposal.Status.REHANDLING, 2)
    assert assignment.state == Assignment.State.ACCEPTED
    assert assignment.due_on == expected_due != first_due
    assert expected_due > timezone.localdate()
    rehandle = proposal.events.filter(action=Event.Action.REHANDLE, assignment__isnull=True).get()
    assert f"{expected_due:%Y-%m-%d}" in rehandle.note
    # Who was unsatisfied and why is read from the ratings, not shown on the shared timeline.
    assert "未回应资金支持问题" not in rehandle.note
    # The first round's letter keeps the deadline it was held to.
    sent.refresh_from_db()
    assert sent.due_on == first_due

    # Round 2: a new letter, replied again, rated again.
    second = walk_reply(assignment, staff=agency_staff, reviewer=agency_reviewer, to="sent",
                        title="关于第2053号提案的再次答复", body="针对资金支持问题,再次答复如下。")
    assert second.round == 2 and second.due_on == expected_due
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.REPLIED
    context = selectors.reply_context(assignment=assignment, user=agency_staff, today=timezone.localdate())
    assert [r.round for r in context.earlier_replies] == [1]
    assert [f.comments for f in context.earlier_feedback if f.comments] == ["未回应资金支持问题"]
    for user in proposer_users:
        rate(proposal, user)
    proposal.refresh_from_db()
    assert (proposal.status, Feedback.objects.filter(round=2).count()) == (Proposal.Status.EVALUATED, 3)


def test_recomputing_deadlines_keeps_the_rehandling_rounds_period(sent, proposer_users, assignment):
    for user in proposer_users:
        rate(sent.proposal, user, result=UNSATISFIED)
    assignment.refresh_from_db()
    rehandling_due = assignment.due_on

    # The office corrects its calendar: the recomputation must not fall back to the first round's
    # three months from assignment.
    proposal_workflow.recompute_open_deadlines(years=[rehandling_due.year])

    assignment.refresh_from_db()
    assert assignment.due_on == rehandling_due
    assert assignment.rehandling_started_on == timezone.localdate()


def test_an_earlier_rounds_letter_cannot_be_sent_in_the_next(sent, proposer_users, assignment, agency_staff):
    for user in proposer_users:
        rate(sent.proposal, user, result=UNSATISFIED)
    Reply.objects.filter(pk=sent.pk).update(state=Reply.State.SIGNED)
    with pytest.raises(WorkflowError) as caught:
        workflow.send_reply(reply=sent, by=agency_staff)
    assert caught.value.code == "earlier_round"


def test_rehandling_deadline_follows_the_rules_and_the_calendar(meeting):
    proposal = Proposal(meeting=meeting)
    # Saturday 5 Sep 2026 counts from Monday 7 Sep; a month on is 7 Oct, inside the National Day
    # holiday, so the second reply is due on the next working day, 8 Oct.
    assert proposal_workflow.rehandling_due_on(proposal=proposal, started_on=dt.date(2026, 9, 5)) == (
        dt.date(2026, 10, 8), False,
    )
    meeting.rules = RuleSetFactory(rehandling_months=3)
    meeting.save()
    assert proposal_workflow.rehandling_due_on(proposal=proposal, started_on=dt.date(2026, 3, 2))[0] == dt.date(2026, 6, 2)


def test_clerk_closes_the_feedback_window_with_the_ratings_received(sent, proposer_users, clerk, agency_staff):
    proposal = sent.proposal
    rate(proposal, proposer_users[0])
    with pytest.raises(PermissionRefused):
        workflow.close_feedback_window(proposal=proposal, by=agency_staff)
    workflow.close_feedback_window(proposal=proposal, by=clerk)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.EVALUATED
    note = proposal.events.filter(action=Event.Action.EVALUATE).latest("id").note
    assert "2位提出人未评价" in note
    assert proposer_users[1].member.name not in note  # the shared timeline names no one
    with pytest.raises(WorkflowError) as caught:  # the window is closed: late ratings are refused
        rate(proposal, proposer_users[1])
    assert caught.value.code == "feedback_not_open"


def test_a_cosigner_never_reads_anothers_rating_or_comment(sent, proposer_users):
    rate(sent.proposal, proposer_users[0], result=UNSATISFIED, comments="秘密意见XYZ")

    cosigner = proposer_users[1]
    timeline = access.events_visible_to(cosigner).filter(proposal=sent.proposal)
    assert not any("秘密意见XYZ" in event.note or "不满意" in event.note for event in timeline)
    assert not reply_access.feedback_visible_to(cosigner).exclude(member=cosigner.member).exists()


def test_closing_the_window_with_an_unsatisfied_rating_starts_rehandling(sent, proposer_users, clerk):
    rate(sent.proposal, proposer_users[0], result=UNSATISFIED)
    proposal = workflow.close_feedback_window(proposal=sent.proposal, by=clerk)
    assert (proposal.status, proposal.round) == (Proposal.Status.REHANDLING, 2)


def test_feedback_window_ends_after_the_rules_working_days(sent):
    ends = selectors.feedback_window_ends_on(sent.proposal)
    assert ends is not None and ends > timezone.localtime(sent.sent_at).date()


def test_the_window_cannot_close_before_the_reply_is_sent(signed, clerk):
    with pytest.raises(WorkflowError) as caught:
        workflow.close_feedback_window(proposal=signed.proposal, by=clerk)
    assert caught.value.code == "feedback_not_open"
