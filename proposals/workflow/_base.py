"""What every transition of a proposal stands on: the state names, writing a status or an
assignment state with its Event, and the batch verbs' outcome.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from proposals.deadlines import answer_limits, compute_deadlines
from proposals.models import (
    Assignment,
    Event,
    Proposal,
)
from proposals.transitions import (
    record,
)
from tracker.errors import WorkflowError

Status = Proposal.Status


State = Assignment.State


Role = Assignment.Role


Action = Event.Action


def _set_status(proposal: Proposal, status: str, action: str, by, *, note: str = "", fields: Sequence[str] = ()):
    previous = proposal.status
    proposal.status = status
    proposal.save(update_fields=["status", *fields])
    record(proposal, action, by, from_state=previous, to_state=status, note=note)


def _set_state(assignment: Assignment, state: str, action: str, by, *, note: str = "", fields: Sequence[str] = ()):
    previous = assignment.state
    assignment.state = state
    assignment.save(update_fields=["state", *fields])
    record(assignment.proposal, action, by, assignment=assignment, from_state=previous, to_state=state, note=note)


T = TypeVar("T")


# Rows per INSERT statement in the batch verbs: a meeting's thousands of rows in a few statements.
INSERT_BATCH_SIZE = 1000


@dataclass
class BatchOutcome(Generic[T]):
    """What a batch verb did, row by row (a row is its index in what the verb was given): what it
    wrote for the row, or the refusal the one-row verb would have raised, with nothing written for
    that row."""

    done: dict[int, T] = field(default_factory=dict)
    refused: dict[int, WorkflowError] = field(default_factory=dict)

    def only(self) -> T:
        """The one row's result, or its refusal raised: how the one-row verbs answer."""
        if self.refused:
            raise next(iter(self.refused.values()))
        return next(iter(self.done.values()))


def _deadlines_of(assignment: Assignment):
    return compute_deadlines(
        meeting=assignment.proposal.meeting, role=assignment.role, assigned_on=assignment.assigned_on,
        extended_to=assignment.extended_to, paused_workdays=assignment.paused_workdays,
        rehandling_started_on=assignment.rehandling_started_on,
        answer_workdays=answer_limits([assignment.proposal_id]).get(assignment.proposal_id),
    )
