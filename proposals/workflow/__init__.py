"""Every transition of a proposal and its assignments (docs/domain.md, lifecycle), by subject.

Each function runs in one transaction, locks the row it changes, checks who acts and from which
state, writes the change with `update_fields`, records an Event, and raises WorkflowError
otherwise. Admin actions, API views, tasks and commands call these; nothing else writes a status.

The verbs live in modules by subject (registration, review, assignment, requests, deadlines,
communications, handling) and are all re-exported here: callers write
`from proposals.workflow import accept_proposal` and need not know which module holds it.
"""
from __future__ import annotations

from proposals.workflow._base import (
    Status,
    State,
    Role,
    Action,
    INSERT_BATCH_SIZE,
    BatchOutcome,
)
from proposals.workflow.registration import (
    NewProposal,
    register_proposal,
    register_proposals,
    save_registered_proposal,
    save_proposal_details,
    ONLINE_CHANNEL,
    next_number,
    register_online_proposal,
    register_revision,
)
from proposals.workflow.review import (
    accept_proposal,
    not_accept_proposal,
    merge_proposal,
    refer_proposal,
    withdraw_proposal,
    return_for_revision,
    withdraw_before_review,
)
from proposals.workflow.assignment import (
    AssignmentPlan,
    assign_proposal,
    assign_proposals,
    sign_for_assignment,
)
from proposals.workflow.requests import (
    request_reassignment,
    decide_reassignment,
    request_extension,
    decide_extension,
)
from proposals.workflow.deadlines import (
    recompute_open_deadlines,
)
from proposals.workflow.communications import (
    plan_communication,
    record_communication_held,
    CORRECTABLE_COMMUNICATION_FIELDS,
    correct_communication,
    cancel_communication,
)
from proposals.workflow.handling import (
    close_proposal,
    rehandling_due_on,
    mark_assignment_replied,
    mark_opinion_sent,
    mark_proposal_evaluated,
    evaluate_locked,
    start_rehandling,
    start_rehandling_locked,
)
from proposals.workflow.history import (
    record_historical_proposal,
    record_historical_assignment,
    record_historical_communication,
)

__all__ = [
    "Status",
    "State",
    "Role",
    "Action",
    "INSERT_BATCH_SIZE",
    "BatchOutcome",
    "NewProposal",
    "register_proposal",
    "register_proposals",
    "save_registered_proposal",
    "save_proposal_details",
    "ONLINE_CHANNEL",
    "next_number",
    "register_online_proposal",
    "register_revision",
    "accept_proposal",
    "not_accept_proposal",
    "merge_proposal",
    "refer_proposal",
    "withdraw_proposal",
    "return_for_revision",
    "withdraw_before_review",
    "AssignmentPlan",
    "assign_proposal",
    "assign_proposals",
    "sign_for_assignment",
    "request_reassignment",
    "decide_reassignment",
    "request_extension",
    "decide_extension",
    "recompute_open_deadlines",
    "plan_communication",
    "record_communication_held",
    "CORRECTABLE_COMMUNICATION_FIELDS",
    "correct_communication",
    "cancel_communication",
    "close_proposal",
    "rehandling_due_on",
    "mark_assignment_replied",
    "mark_opinion_sent",
    "mark_proposal_evaluated",
    "evaluate_locked",
    "start_rehandling",
    "start_rehandling_locked",
    "record_historical_proposal",
    "record_historical_assignment",
    "record_historical_communication",
]
