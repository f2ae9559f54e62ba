"""Handling to the end: the replies workflow marks assignments replied or opinions sent and the
proposal evaluated or re-handled, inside its own transaction; and 办结.

Assignment and proposal states are written here and nowhere else; replies.workflow calls these
once the letter, opinion or rating is in order.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from proposals.deadlines import compute_deadlines
from proposals.models import (
    Assignment,
    Proposal,
)
from proposals.transitions import (
    ANSWERING_ROLES,
    lock_assignment,
    lock_proposal,
    require_locked,
    require_agency_staff,
    require_assignment_step,
    require_clerk,
    require_clerk_or_proposer,
    require_proposal_step,
    today,
)
from proposals.workflow._base import Action, Role, State, Status, _set_state, _set_status
from tracker.errors import WorkflowError


@transaction.atomic
def close_proposal(*, proposal: Proposal, by, note: str = "") -> Proposal:
    """办结: after the reply (and the rating, or the end of the feedback window)."""
    require_clerk(by)
    proposal = lock_proposal(proposal)
    require_proposal_step(proposal, "close")
    # An assisting opinion still outstanding is moot once the item is closed: no more reminders.
    for assignment in proposal.assignments.select_for_update().open().order_by("pk"):
        assignment.proposal = proposal
        _set_state(assignment, State.CANCELLED, Action.CLOSE, by, note="提案已办结")
    proposal.closed_on = today()
    _set_status(proposal, Status.CLOSED, Action.CLOSE, by, note=note, fields=["closed_on"])
    return proposal


def rehandling_due_on(*, proposal: Proposal, started_on: dt.date) -> tuple[dt.date, bool]:
    """The second reply's deadline: the rule set's months from the start, on a working day.

    1 month by default (3 in some offices): RuleSet.rehandling_months.
    Returns the date and whether it is provisional (the year's schedule is not entered yet).
    """
    deadlines = compute_deadlines(meeting=proposal.meeting, role=Role.LEAD, assigned_on=started_on,
                                  rehandling_started_on=started_on)
    return deadlines.due_on, deadlines.provisional


@transaction.atomic
def mark_assignment_replied(*, assignment: Assignment, by, on: dt.date | None = None, note: str = "") -> Assignment:
    """A lead or joint agency's reply went to the proposers (已答复).

    The proposal is replied once every lead and joint agency of the round has replied: with joint
    handling (分办) each agency replies for its own part.
    """
    assignment = lock_assignment(assignment)  # the proposal first, then the assignment: each once
    require_agency_staff(by, assignment.agency)
    proposal = assignment.proposal
    if assignment.role not in ANSWERING_ROLES:
        raise WorkflowError("assisting_does_not_reply", "会办单位向主办单位提交会办意见，不直接答复提出人",
                            "An assisting agency sends its opinion to the lead agency; it does not reply.")
    require_assignment_step(assignment, "reply")
    require_proposal_step(proposal, "reply")
    assignment.completed_on = on or today()
    _set_state(assignment, State.REPLIED, Action.REPLY, by, note=note, fields=["completed_on"])
    waiting = proposal.assignments.filter(role__in=ANSWERING_ROLES).exclude(
        state__in=[State.REPLIED, State.REASSIGNED, State.CANCELLED]
    )
    if not waiting.exists():
        _set_status(proposal, Status.REPLIED, Action.REPLY, by, note=f"第{proposal.round}轮答复已全部送达")
    return assignment


@transaction.atomic
def mark_opinion_sent(*, assignment: Assignment, by, on: dt.date | None = None, note: str = "") -> Assignment:
    """An assisting agency's opinion reached the lead agency (已提交会办意见)."""
    assignment = lock_assignment(assignment)
    require_agency_staff(by, assignment.agency)
    if assignment.role != Role.ASSISTING:
        raise WorkflowError("not_assisting", "只有会办单位提交会办意见", "Only an assisting agency sends an opinion.")
    require_assignment_step(assignment, "reply")
    assignment.completed_on = on or today()
    _set_state(assignment, State.OPINION_SENT, Action.REPLY, by, note=note, fields=["completed_on"])
    return assignment


@transaction.atomic
def mark_proposal_evaluated(*, proposal: Proposal, by, note: str = "") -> Proposal:
    """已评价: every proposer rated this round's reply, or the office closed the feedback window."""
    return evaluate_locked(proposal=lock_proposal(proposal), by=by, note=note)


def evaluate_locked(*, proposal: Proposal, by, note: str = "") -> Proposal:
    """mark_proposal_evaluated on a proposal its caller locked in its own transaction
    (transitions.lock_proposal): a rating locks the proposal row once for the whole step."""
    require_locked(proposal)
    require_clerk_or_proposer(by, proposal)
    require_proposal_step(proposal, "evaluate")
    _set_status(proposal, Status.EVALUATED, Action.EVALUATE, by, note=note)
    return proposal


@transaction.atomic
def start_rehandling(*, proposal: Proposal, by, on: dt.date | None = None, note: str = "") -> Proposal:
    """重新办理 after 不满意: a new round; the lead and joint agencies take the item up again.

    Their assignments reopen (已签收) with the re-handling deadline from the meeting's rules; the
    round's replies are drafted afresh and the proposal is replied again when all are sent.
    """
    return start_rehandling_locked(proposal=lock_proposal(proposal), by=by, on=on, note=note)


def start_rehandling_locked(*, proposal: Proposal, by, on: dt.date | None = None, note: str = "") -> Proposal:
    """start_rehandling on a proposal its caller locked in its own transaction, as evaluate_locked."""
    require_locked(proposal)
    require_clerk_or_proposer(by, proposal)
    require_proposal_step(proposal, "rehandle")
    started_on = on or today()
    due_on, provisional = rehandling_due_on(proposal=proposal, started_on=started_on)
    proposal.round += 1
    _set_status(proposal, Status.REHANDLING, Action.REHANDLE, by, fields=["round"],
                note=f"第{proposal.round}轮办理，答复期限{due_on:%Y-%m-%d}。{note}".strip())
    reopened = proposal.assignments.select_for_update().filter(role__in=ANSWERING_ROLES, state=State.REPLIED)
    for assignment in reopened.select_related("agency").order_by("pk"):
        assignment.proposal = proposal
        # Kept on the row so that recomputing after a calendar change keeps this round's period.
        assignment.rehandling_started_on, assignment.paused_workdays = started_on, 0
        assignment.due_on, assignment.due_provisional = due_on, provisional
        assignment.extended_to, assignment.completed_on = None, None
        _set_state(assignment, State.ACCEPTED, Action.REHANDLE, by,
                   note=f"重新办理，期限{due_on:%Y-%m-%d}" + ("（暂定）" if provisional else ""),
                   fields=["rehandling_started_on", "paused_workdays", "due_on", "due_provisional", "extended_to",
                           "completed_on"])
    return proposal
