"""交办: agencies given a proposal, one by one or in a batch, and an agency signing for it (签收).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from proposals.deadlines import NewAssignmentDeadlines, answer_limits
from proposals.models import (
    Agency,
    Assignment,
    Proposal,
)
from proposals.transitions import (
    PROPOSAL_TRANSITIONS,
    lock_assignment,
    lock_proposals,
    record_many,
    require_agency_staff,
    require_assignment_step,
    require_clerk,
    require_proposal_step,
    timeline_entry,
    today,
)
from proposals.workflow._base import (
    INSERT_BATCH_SIZE,
    Action,
    BatchOutcome,
    Role,
    State,
    Status,
    _set_state,
    _set_status,
)
from tracker.errors import WorkflowError


@dataclass(frozen=True)
class AssignmentPlan:
    """Who handles one proposal: a lead agency (or several joint agencies, 分办) and any assisting ones."""

    proposal: Proposal
    lead: Agency | None = None
    joint: Sequence[Agency] = ()
    assisting: Sequence[Agency] = ()

    def roles(self) -> list[tuple[Agency, str]]:
        """Each agency with its role; refused without a lead (or joint agencies) or with an agency twice."""
        if self.lead is None and not self.joint:
            raise WorkflowError("lead_required", "请指定主办单位（或分办单位）", "Choose a lead agency (or joint agencies).",
                                field="lead")
        roles = [(self.lead, Role.LEAD)] if self.lead else []
        roles += [(agency, Role.JOINT) for agency in self.joint] + [(agency, Role.ASSISTING) for agency in self.assisting]
        if len({agency.pk for agency, _ in roles}) != len(roles):
            raise WorkflowError("agency_twice", "同一单位不能重复交办", "An agency is named twice.", field="assisting")
        return roles


@transaction.atomic
def assign_proposal(
    *, proposal: Proposal, by, lead: Agency | None = None, joint: Sequence[Agency] = (),
    assisting: Sequence[Agency] = (), on: dt.date | None = None,
) -> list[Assignment]:
    """交办: a lead agency (or several joint agencies, 分办) and any assisting agencies.

    Two clerks assigning at once: the row lock makes the second wait, then it sees `assigned`
    and gets a clear error; the one-lead constraint backs this up.
    """
    plan = AssignmentPlan(proposal=proposal, lead=lead, joint=tuple(joint), assisting=tuple(assisting))
    return assign_proposals(plans=[plan], by=by, on=on).only()


@transaction.atomic
def assign_proposals(
    *, plans: Sequence[AssignmentPlan], by, on: dt.date | None = None
) -> BatchOutcome[list[Assignment]]:
    """交办 many proposals at once (the 交办会), each by the rules of `assign_proposal`.

    One transaction and a fixed number of queries however many plans: the clerk is checked once,
    the proposals are locked together (in id order, so two batches cannot deadlock), the rule sets
    and the calendar are read once for every deadline, assignments and ASSIGN Events are written in
    bulk. A refused plan (no lead, an agency twice, a proposal not 立案 or already assigned) gets
    the error `assign_proposal` would raise, and none of its assignments is written: a proposal is
    assigned whole or not at all.
    """
    require_clerk(by)
    assigned_on = on or today()
    outcome: BatchOutcome[list[Assignment]] = BatchOutcome()
    roles: dict[int, list[tuple[Agency, str]]] = {}
    for index, plan in enumerate(plans):
        try:
            roles[index] = plan.roles()
        except WorkflowError as refusal:
            outcome.refused[index] = refusal
    locked = lock_proposals(plans[index].proposal.pk for index in roles)
    busy = _with_open_assignments(locked)
    deadlines = NewAssignmentDeadlines()
    limits = answer_limits(locked)
    for index, agencies in roles.items():
        proposal = locked.get(plans[index].proposal.pk)
        try:
            _require_assignable(proposal, assigned_on, busy)
        except WorkflowError as refusal:
            outcome.refused[index] = refusal
            continue
        outcome.done[index] = [_new_assignment(proposal, agency, role, assigned_on, deadlines, limits.get(proposal.pk))
                               for agency, role in agencies]
        # A second plan for the same proposal in this batch finds it assigned, as it would one by one.
        proposal.status = Status.ASSIGNED
        busy.add(proposal.pk)
    _write_assignments(outcome.done.values(), by)
    return outcome


def _with_open_assignments(proposals: dict[int, Proposal]) -> set[int]:
    """Ids of the proposals some agency already handles (any assignment not reassigned or cancelled)."""
    if not proposals:
        return set()
    return set(
        Assignment.objects.filter(proposal_id__in=list(proposals)).current()
        .values_list("proposal_id", flat=True).distinct()
    )


def _require_assignable(proposal: Proposal | None, assigned_on: dt.date, busy: set[int]) -> None:
    if proposal is None:
        raise WorkflowError("proposal_not_found", "该提案不存在或已删除", "The proposal no longer exists.")
    if not (proposal.meeting.year - 1 <= assigned_on.year <= today().year + 1):
        raise WorkflowError("assigned_on_out_of_range", "交办日期不在本次会议的办理年度内",
                            "The assignment date is outside the meeting's handling years.", field="on")
    require_proposal_step(proposal, "assign")
    if proposal.pk in busy:
        raise WorkflowError("already_assigned", "该提案已交办", "The proposal is already assigned.")


def _write_assignments(groups: Iterable[list[Assignment]], by) -> None:
    """Every planned assignment, each proposal `assigned`, one ASSIGN Event per proposal naming its agencies."""
    groups = list(groups)
    if not groups:
        return
    try:
        with transaction.atomic():
            Assignment.objects.bulk_create([a for group in groups for a in group], batch_size=INSERT_BATCH_SIZE)
    except IntegrityError as error:
        # The locks and the check above leave only a write outside the workflow to collide with.
        raise WorkflowError("already_assigned", "该提案已交办", "The proposal is already assigned.") from error
    proposals = [group[0].proposal for group in groups]
    Proposal.objects.filter(pk__in=[proposal.pk for proposal in proposals]).update(status=Status.ASSIGNED)
    # The role names once for the batch: get_role_display() translates afresh for every row.
    role_names = {role: str(label) for role, label in Role.choices}
    record_many([
        timeline_entry(proposal, Action.ASSIGN, by, from_state=Status.ACCEPTED, to_state=Status.ASSIGNED,
                       note="；".join(f"{role_names[a.role]}：{a.agency.name}" for a in group))
        for proposal, group in zip(proposals, groups)
    ])


def _new_assignment(proposal, agency, role, assigned_on, deadlines: NewAssignmentDeadlines,
                    answer_workdays: int | None = None) -> Assignment:
    due = deadlines.of(meeting=proposal.meeting, role=role, assigned_on=assigned_on, answer_workdays=answer_workdays)
    return Assignment(
        proposal=proposal, agency=agency, role=role, assigned_on=assigned_on,
        due_on=due.due_on, due_provisional=due.provisional,
        reassignment_window_ends_on=due.reassignment_window_ends_on,
        communication_due_on=due.communication_due_on,
    )


@transaction.atomic
def sign_for_assignment(*, assignment: Assignment, by) -> Assignment:
    """签收: the agency takes the item on; the lead's signature starts 办理中."""
    assignment = lock_assignment(assignment)
    require_agency_staff(by, assignment.agency)
    require_assignment_step(assignment, "sign_for")
    assignment.signed_at, assignment.signed_by = timezone.now(), by
    _set_state(assignment, State.ACCEPTED, Action.SIGN_FOR, by, fields=["signed_at", "signed_by"])
    if assignment.role != Role.ASSISTING:
        proposal = assignment.proposal  # locked by _lock_assignment
        if PROPOSAL_TRANSITIONS.allows("start_handling", proposal.status):
            _set_status(proposal, Status.IN_PROGRESS, Action.SIGN_FOR, by, note=assignment.agency.name)
    return assignment
