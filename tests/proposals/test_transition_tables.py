"""The transition tables: what a page offers from a state is what the workflow takes from it."""

from __future__ import annotations

import pytest

from proposals.models import Assignment, Proposal
from proposals.transitions import (
    ASSIGNMENT_TRANSITIONS,
    PROPOSAL_TRANSITIONS,
    require_assignment_step,
    require_proposal_step,
)
from replies.models import Reply
from replies.transitions import REPLY_TRANSITIONS
from tracker.errors import WorkflowError

Status, State = Proposal.Status, Assignment.State


def test_a_clerk_is_offered_the_office_steps_of_each_proposal_status():
    assert PROPOSAL_TRANSITIONS.offered_from(Status.SUBMITTED) == ["accept", "not_accept", "merge", "refer", "withdraw"]
    assert PROPOSAL_TRANSITIONS.offered_from(Status.NOT_ACCEPTED) == ["refer"]
    assert PROPOSAL_TRANSITIONS.offered_from(Status.ACCEPTED) == ["assign", "merge", "withdraw"]
    assert PROPOSAL_TRANSITIONS.offered_from(Status.ASSIGNED) == ["withdraw"]
    assert PROPOSAL_TRANSITIONS.offered_from(Status.IN_PROGRESS) == ["withdraw"]
    assert PROPOSAL_TRANSITIONS.offered_from(Status.REPLIED) == ["close"]
    assert PROPOSAL_TRANSITIONS.offered_from(Status.EVALUATED) == ["close"]
    for status in (Status.MERGED, Status.REFERRED, Status.WITHDRAWN, Status.CLOSED, Status.REHANDLING):
        assert PROPOSAL_TRANSITIONS.offered_from(status) == []


def test_an_assignment_offers_its_requests_and_decisions_by_state():
    assert ASSIGNMENT_TRANSITIONS.offered_from(State.PENDING) == ["sign_for", "request_reassignment", "request_extension"]
    assert ASSIGNMENT_TRANSITIONS.offered_from(State.ACCEPTED) == ["request_reassignment", "request_extension"]
    assert ASSIGNMENT_TRANSITIONS.offered_from(State.REASSIGNMENT_REQUESTED) == ["decide_reassignment",
                                                                                "request_extension"]
    for state in (State.REPLIED, State.OPINION_SENT, State.REASSIGNED, State.CANCELLED):
        assert ASSIGNMENT_TRANSITIONS.offered_from(state) == []


@pytest.mark.parametrize("status", Status.values)
def test_every_proposal_step_offered_passes_its_guard_and_no_other_does(status):
    proposal = Proposal(status=status)
    for step in PROPOSAL_TRANSITIONS.offered_from(status):
        require_proposal_step(proposal, step)
    for step in {"accept", "not_accept", "assign", "merge", "refer", "withdraw", "close"} - set(
        PROPOSAL_TRANSITIONS.offered_from(status)
    ):
        with pytest.raises(WorkflowError) as refused:
            require_proposal_step(proposal, step)
        assert refused.value.code == "invalid_state"


@pytest.mark.parametrize("state", State.values)
def test_every_assignment_step_offered_passes_its_guard(state):
    assignment = Assignment(state=state)
    for step in ASSIGNMENT_TRANSITIONS.offered_from(state):
        require_assignment_step(assignment, step)


def test_a_letter_is_submitted_from_a_draft_signed_off_in_review_sent_once_signed():
    assert REPLY_TRANSITIONS.offered_from(Reply.State.DRAFT) == ["submit", "request_opinion_waiver"]
    assert REPLY_TRANSITIONS.offered_from(Reply.State.RETURNED) == ["submit", "request_opinion_waiver"]
    assert REPLY_TRANSITIONS.offered_from(Reply.State.IN_REVIEW) == ["sign_off", "return"]
    assert REPLY_TRANSITIONS.offered_from(Reply.State.SIGNED) == ["send"]
    assert REPLY_TRANSITIONS.offered_from(Reply.State.SENT) == ["publish", "withdraw_publication", "follow_up_done"]
