"""征询意见: each proposer's rating of a round, the end of the rating period, and 不满意 sending the
proposal back for re-handling.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from proposals import access, transitions
from proposals import workflow as proposal_workflow
from proposals.models import Member, Proposal, Proposer
from replies.models import (
    Feedback,
    Rating,
    Reply,
)
from replies.workflow._base import Action, State
from tracker.errors import PermissionRefused, WorkflowError


def feedback_refusal(*, proposal: Proposal, member: Member) -> WorkflowError | None:
    """Why `member` may not rate this round of `proposal` now, or None when they may.

    The one statement of when ratings are open: record_feedback raises what this returns, and the
    API and pages ask it before offering the form.
    """
    if not Proposer.objects.filter(proposal=proposal, member=member).exists():
        return WorkflowError("not_a_proposer", f"{member.name}不是本件的提出人",
                             f"{member.name} is not a proposer of this item.", field="member")
    sent = Reply.objects.filter(assignment__proposal=proposal, round=proposal.round, state=State.SENT)
    if not transitions.PROPOSAL_TRANSITIONS.allows("evaluate", proposal.status) or not sent.exists():
        return WorkflowError(
            "feedback_not_open", f"本件当前为“{proposal.get_status_display()}”，本轮答复送达后方可评价",
            "Ratings open once every reply of the round has been sent, and close at evaluation.",
        )
    if Feedback.objects.filter(proposal=proposal, member=member, round=proposal.round).exists():
        return WorkflowError("already_rated", f"{member.name}已对第{proposal.round}轮办理作出评价",
                             f"{member.name} already rated this round.", field="member")
    return None


def feedback_open(*, proposal: Proposal, member: Member | None) -> bool:
    """Whether `member` may rate this round of `proposal` now."""
    return member is not None and feedback_refusal(proposal=proposal, member=member) is None


@transaction.atomic
def record_feedback(
    *, proposal: Proposal, member: Member, attitude: str, result: str, comments: str = "", by,
    channel: str = Feedback.Channel.ONLINE,
) -> Feedback:
    """征询意见: one proposer's own rating of this round's handling (attitude and result).

    Only a proposer of the proposal, once per round, once every reply of the round was sent.
    A member rates online for themselves; clerks enter ratings taken by phone or on paper.
    When every proposer has rated, the proposal is evaluated, and 不满意 on the result sends it
    back for re-handling (a new round with its own deadline).
    """
    is_clerk = access.is_clerk(by)
    if is_clerk:
        if channel == Feedback.Channel.ONLINE:
            raise WorkflowError("online_is_members_own", "在线评价须由委员/代表本人提交；请选择电话或书面方式",
                                "Online ratings are the member's own; choose phone or paper.", field="channel")
    elif access.member_of(by) is None or access.member_of(by).pk != member.pk or channel != Feedback.Channel.ONLINE:
        raise PermissionRefused("not_own_rating", "只能评价本人提出的提案/建议",
                                "You may rate only as yourself, on your own proposal.")
    if channel not in Feedback.Channel.values:
        raise WorkflowError("unknown_channel", "评价方式无效", "Unknown channel.", field="channel")
    for name, value in (("attitude", attitude), ("result", result)):
        if value not in Rating.values:
            raise WorkflowError("unknown_rating", "评价结果无效", "Unknown rating.", field=name)
    proposal = transitions.lock_proposal(proposal)
    refusal = feedback_refusal(proposal=proposal, member=member)
    if refusal is not None:
        raise refusal
    try:
        with transaction.atomic():
            feedback = Feedback.objects.create(
                proposal=proposal, member=member, round=proposal.round, attitude=attitude, result=result,
                comments=comments.strip(), channel=channel, recorded_by=by,
            )
    except IntegrityError as error:  # a rating recorded at the same moment by the member and a clerk
        raise WorkflowError("already_rated", f"{member.name}已对本轮办理作出评价", "Already rated.") from error
    # The timeline is read by every proposer and agency of the item: it says a rating came in,
    # not whose or what (joint proposers rate separately; ratings are read through Feedback).
    transitions.record(proposal, Action.EVALUATE, by, note=f"收到第{proposal.round}轮评价一份（{feedback.get_channel_display()}）")
    rated = Feedback.objects.filter(proposal=proposal, round=proposal.round).values("member_id")
    if not Proposer.objects.filter(proposal=proposal).exclude(member_id__in=rated).exists():
        _conclude_evaluation(proposal, by, note="全体提出人已评价")
    return feedback


@transaction.atomic
def close_feedback_window(*, proposal: Proposal, by, note: str = "") -> Proposal:
    """The office ends the rating period (征询意见期满): the proposal is evaluated with the ratings
    it has; proposers who did not rate count as 未表态."""
    transitions.require_clerk(by)
    proposal = transitions.lock_proposal(proposal)
    if not transitions.PROPOSAL_TRANSITIONS.allows("evaluate", proposal.status):
        raise WorkflowError("feedback_not_open", f"本件当前为“{proposal.get_status_display()}”，不在征询意见期",
                            "The proposal is not waiting for ratings.")
    rated = Feedback.objects.filter(proposal=proposal, round=proposal.round).values("member_id")
    silent = Member.objects.filter(proposals_signed__proposal=proposal).exclude(pk__in=rated).count()
    summary = f"征询意见期结束，{silent}位提出人未评价（视为未表态）" if silent else "征询意见期结束"
    return _conclude_evaluation(proposal, by, note=f"{summary}。{note}".rstrip("。"))


def _conclude_evaluation(proposal: Proposal, by, *, note: str) -> Proposal:
    # The proposal is locked by the rating step already: evaluated and re-handled under that one lock.
    proposal = proposal_workflow.evaluate_locked(proposal=proposal, by=by, note=note)
    unsatisfied = Feedback.objects.filter(
        proposal=proposal, round=proposal.round, result=Rating.UNSATISFIED
    ).select_related("member").order_by("pk")
    if unsatisfied:
        # Who and why stay in the ratings, which the answering agencies read; not on the timeline.
        proposal = proposal_workflow.start_rehandling_locked(
            proposal=proposal, by=by, note=f"{len(unsatisfied)}位提出人对办理结果不满意"
        )
    return proposal
