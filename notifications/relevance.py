"""Is a notice still worth sending? Asked just before each send (docs/domain.md).

A notice whose reason has passed is dropped, not sent: a 评价邀请 once the member has rated, a
reminder once the work is done or its due date moved, a 待签发 notice once the letter was signed
off or returned. Notices that report something that happened (a decision, a rating received)
stay true and are always sent.
"""

from __future__ import annotations

import re

from notifications.models import Kind, Notification
from proposals.models import Assignment, Communication, Extension, Proposal
from replies.models import Feedback, OpinionWaiver, OpinionWaiverRequest, Reply

_MEMBER_IN_KEY = re.compile(r":member:(\d+):")


def _opinion_waived(assignment: Assignment) -> bool:
    return OpinionWaiver.objects.filter(assignment=assignment).exists()


def _assignment_reason(notification: Notification, assignment: Assignment) -> str | None:
    kind = notification.kind
    if kind == Kind.NEW_ASSIGNMENT:
        return None if assignment.state == Assignment.State.PENDING else "该交办已签收或已调整"
    if kind == Kind.OPINION_REMINDER:
        return None if assignment.is_open and not _opinion_waived(assignment) else "会办意见已提交或已同意不待"
    if kind == Kind.REASSIGNMENT_REQUESTED:
        return None if assignment.state == Assignment.State.REASSIGNMENT_REQUESTED else "调整申请已处理"
    if kind in (Kind.DUE_SOON, Kind.OVERDUE, Kind.ESCALATION, Kind.OPINION_OVERDUE):
        if not assignment.is_open:
            return "该交办已办理完毕"
        if _due_in_key(notification) not in (None, assignment.due_on.isoformat()):
            return "期限已变更"
    return None


def _due_in_key(notification: Notification) -> str | None:
    """Deadline notices carry the due date they were planned for: assignment:<id>:<stage>:<due>:… for
    the reminders (notifications.planning), due:<due>:… for late opinions (notifications.work)."""
    parts = notification.key.split(":")
    if parts[0] == "assignment" and len(parts) > 3:
        return parts[3]
    return parts[1] if parts[0] == "due" and len(parts) > 1 else None


def _reply_reason(notification: Notification, reply: Reply) -> str | None:
    kind = notification.kind
    if kind == Kind.REVIEW_REQUESTED:
        return None if reply.state == Reply.State.IN_REVIEW else "答复函已签发或已退回"
    if kind == Kind.DRAFT_RETURNED:
        return None if reply.state == Reply.State.RETURNED else "答复函已重新提交"
    if kind in (Kind.FEEDBACK_REQUEST, Kind.FEEDBACK_REMINDER):
        proposal = Proposal.objects.only("status", "round").get(pk=reply.assignment.proposal_id)
        member = _MEMBER_IN_KEY.search(notification.key)
        if member and Feedback.objects.filter(proposal=proposal, member_id=int(member.group(1)),
                                              round=reply.round).exists():
            return "提出人已评价"
        if proposal.status != Proposal.Status.REPLIED or proposal.round != reply.round:
            return "评价期已结束"
    return None


def reason_passed(notification: Notification) -> str | None:
    """Why this notice need not be sent any more, in Chinese for the clerk; None to send it."""
    about = notification.about
    if about is None:
        return None
    if isinstance(about, Assignment):
        return _assignment_reason(notification, about)
    if isinstance(about, Reply):
        return _reply_reason(notification, about)
    if isinstance(about, OpinionWaiverRequest) and notification.kind == Kind.OPINION_WAIVER_REQUESTED:
        return None if about.state == OpinionWaiverRequest.State.REQUESTED else "不待会办意见申请已决定"
    if isinstance(about, Extension) and notification.kind == Kind.EXTENSION_REQUESTED:
        return None if about.state == Extension.State.REQUESTED else "延期申请已审批"
    if isinstance(about, Communication) and notification.kind in (Kind.MEETING_INVITATION, Kind.MEETING_REMINDER):
        return None if about.state == Communication.State.PLANNED else "沟通已开展或已取消"
    return None
