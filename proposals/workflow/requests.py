"""An agency's requests and the office's decisions: reassignment (申请调整) and more time (延期).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from proposals.deadlines import NewAssignmentDeadlines, extension_limit, rules_for
from proposals.models import (
    Agency,
    Assignment,
    Extension,
)
from proposals.transitions import (
    lock_assignment,
    record,
    require_agency_staff,
    require_assignment_step,
    require_clerk,
    today,
)
from proposals.workflow._base import Action, State, _deadlines_of, _set_state
from proposals.workflow.assignment import _new_assignment
from tracker.errors import WorkflowError
from tracker.workdays import WorkingCalendar


@transaction.atomic
def request_reassignment(*, assignment: Assignment, reason: str, by, on: dt.date | None = None) -> Assignment:
    """申请调整: within the window after assignment, with a reason; handling goes on meanwhile."""
    if not reason.strip():
        raise WorkflowError("reason_required", "请填写申请调整的理由", "A reason is required.", field="reason")
    assignment = lock_assignment(assignment)
    require_agency_staff(by, assignment.agency)
    require_assignment_step(assignment, "request_reassignment")
    requested_on = on or today()
    if requested_on > assignment.reassignment_window_ends_on:
        raise WorkflowError(
            "reassignment_window_closed",
            f"申请调整期限已于{assignment.reassignment_window_ends_on:%Y年%m月%d日}届满",
            f"The window for asking to reassign closed on {assignment.reassignment_window_ends_on}.",
        )
    assignment.state_before_request = assignment.state
    assignment.reassignment_requested_on, assignment.reassignment_reason = requested_on, reason
    _set_state(
        assignment, State.REASSIGNMENT_REQUESTED, Action.REQUEST_REASSIGNMENT, by, note=reason,
        fields=["state_before_request", "reassignment_requested_on", "reassignment_reason"],
    )
    return assignment


@transaction.atomic
def decide_reassignment(
    *, assignment: Assignment, approve: bool, by, new_agency: Agency | None = None, note: str = "",
    on: dt.date | None = None,
) -> Assignment:
    """The clerk reassigns to `new_agency` (fresh deadlines from today) or refuses.

    Returns the assignment that now carries the duty: the new one, or the same one.
    """
    require_clerk(by)
    assignment = lock_assignment(assignment)
    require_assignment_step(assignment, "decide_reassignment")
    decided_on = on or today()
    if not approve:
        return _refuse_reassignment(assignment, by, note, decided_on)
    if new_agency is None or new_agency.pk == assignment.agency_id:
        raise WorkflowError("new_agency_required", "请选择调整后的承办单位", "Choose the agency to reassign to.", field="new_agency")
    if assignment.proposal.assignments.filter(agency=new_agency).current().exists():
        raise WorkflowError("agency_twice", "该单位已承办本件", "That agency already handles this item.", field="new_agency")
    _set_state(assignment, State.REASSIGNED, Action.REASSIGN, by, note=f"调整至{new_agency.name}。{note}")
    successor = _new_assignment(assignment.proposal, new_agency, assignment.role, decided_on, NewAssignmentDeadlines())
    successor.save()
    record(assignment.proposal, Action.ASSIGN, by, assignment=successor, to_state=successor.state,
            note=f"{successor.get_role_display()}：{new_agency.name}（调整）")
    return successor


def _refuse_reassignment(assignment: Assignment, by, note: str, decided_on: dt.date) -> Assignment:
    fields = []
    rules = rules_for(assignment.proposal.meeting)
    if rules.reassignment_stops_clock and assignment.reassignment_requested_on:
        # The office's rule stops the clock while it decided: give those working days back, and
        # keep the count so a later recomputation keeps them too.
        assignment.paused_workdays += WorkingCalendar().workdays_between(assignment.reassignment_requested_on, decided_on)
        deadlines = _deadlines_of(assignment)
        assignment.due_on, assignment.due_provisional = deadlines.due_on, deadlines.provisional
        fields += ["paused_workdays", "due_on", "due_provisional"]
    _set_state(assignment, assignment.state_before_request or State.ACCEPTED, Action.REFUSE_REASSIGNMENT, by,
               note=note, fields=fields)
    return assignment


@transaction.atomic
def request_extension(*, assignment: Assignment, until: dt.date, reason: str, by) -> Extension:
    """延期申请: in writing with a reason; never past the office's limits."""
    if not reason.strip():
        raise WorkflowError("reason_required", "请填写延期理由", "A reason is required.", field="reason")
    assignment = lock_assignment(assignment)
    require_agency_staff(by, assignment.agency)
    require_assignment_step(assignment, "request_extension")
    _check_extension_date(assignment, until)
    if assignment.extensions.filter(state=Extension.State.REQUESTED).exists():
        raise WorkflowError("extension_pending", "已有待审批的延期申请", "An extension request is already pending.")
    extension = Extension.objects.create(assignment=assignment, requested_until=until, reason=reason, requested_by=by)
    record(assignment.proposal, Action.REQUEST_EXTENSION, by, assignment=assignment,
            note=f"申请延期至{until:%Y-%m-%d}：{reason}")
    return extension


def _check_extension_date(assignment: Assignment, until: dt.date) -> None:
    if until <= assignment.due_on:
        raise WorkflowError("extension_not_later", "延期日期须晚于现有期限", "The new date must be after the current due date.", field="until")
    limit = extension_limit(assignment)
    if until > limit:
        raise WorkflowError(
            "extension_beyond_limit", f"延期不得超过{limit:%Y年%m月%d日}",
            f"An extension may not go beyond {limit}.", field="until",
        )


@transaction.atomic
def decide_extension(*, extension: Extension, approve: bool, by, note: str = "") -> Extension:
    """The clerk approves (the due date moves) or refuses; the proposer is told by the reminders."""
    require_clerk(by)
    assignment = lock_assignment(extension.assignment)  # proposal, assignment, then the request
    extension = Extension.objects.select_for_update().get(pk=extension.pk)
    if extension.state != Extension.State.REQUESTED:
        raise WorkflowError("extension_decided", "该延期申请已处理", "This request was already decided.")
    extension.state = Extension.State.APPROVED if approve else Extension.State.REFUSED
    extension.decided_by, extension.decided_at, extension.decision_note = by, timezone.now(), note
    extension.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    if not approve:
        record(assignment.proposal, Action.REFUSE_EXTENSION, by, assignment=assignment, note=note)
        return extension
    require_assignment_step(assignment, "decide_extension")
    _check_extension_date(assignment, extension.requested_until)
    previous_due = assignment.due_on
    assignment.extended_to = extension.requested_until
    deadlines = _deadlines_of(assignment)
    # Rolling a rest day forward must not carry the date past the hard limit: take the last
    # working day before it instead.
    limit = extension_limit(assignment)
    assignment.due_on = deadlines.due_on if deadlines.due_on <= limit else WorkingCalendar().roll_back_to_workday(limit)
    assignment.due_provisional = deadlines.provisional
    assignment.save(update_fields=["extended_to", "due_on", "due_provisional"])
    record(assignment.proposal, Action.APPROVE_EXTENSION, by, assignment=assignment,
            note=f"期限由{previous_due:%Y-%m-%d}延至{assignment.due_on:%Y-%m-%d}。{note}")
    return extension
