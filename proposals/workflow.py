"""Every transition of a proposal and its assignments (docs/domain.md, lifecycle).

Each function runs in one transaction, locks the row it changes, checks who acts and from which
state, writes the change with `update_fields`, records an Event, and raises WorkflowError
otherwise. Admin actions, API views, tasks and commands call these; nothing else writes a status.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from proposals import access
from proposals.deadlines import NewAssignmentDeadlines, compute_deadlines, extension_limit, rules_for
from proposals.models import (
    Agency,
    Assignment,
    Communication,
    Event,
    Extension,
    Meeting,
    Member,
    NotAcceptGround,
    Proposal,
    Proposer,
)
from proposals.transitions import (
    ANSWERING_ROLES,
    lock_assignment,
    lock_proposal,
    lock_proposals,
    record,
    record_many,
    require_agency_staff,
    require_clerk,
    require_clerk_or_proposer,
    require_state,
    require_status,
    timeline_entry,
    today,
)
from tracker.errors import WorkflowError
from tracker.workdays import WorkingCalendar

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


# --- registration and review ------------------------------------------------------------------


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


@dataclass(frozen=True)
class NewProposal:
    """One proposal to register: the unsaved proposal (its meeting, number, title …) and its
    proposers in signing order; the first is the lead (领衔人)."""

    proposal: Proposal
    proposers: Sequence[Member]


@transaction.atomic
def register_proposal(
    *, meeting: Meeting, number: str, title: str, proposers: Sequence[Member], by,
    kind: str = Proposal.Kind.PROPOSAL, body: str = "", category: str = Proposal.Category.OTHER,
    is_key: bool = False, submitted_on: dt.date | None = None,
) -> Proposal:
    """Log a proposal filed at a meeting; the first proposer is the lead (领衔人)."""
    proposal = Proposal(meeting=meeting, number=number, title=title, kind=kind, body=body, category=category,
                        is_key=is_key, submitted_on=submitted_on)
    return register_proposals(rows=[NewProposal(proposal, list(proposers))], by=by).only()


@transaction.atomic
def register_proposals(*, rows: Sequence[NewProposal], by) -> BatchOutcome[Proposal]:
    """Log many proposals at once (a meeting's spreadsheet), each by the rules of `register_proposal`.

    One transaction and a fixed number of queries however many rows: the clerk is checked once,
    the numbers already taken are read together, proposals, proposers and REGISTER Events are
    written in bulk. A refused row (no proposer, a proposer twice, a number taken) gets the error
    `register_proposal` would raise, and nothing of it is written; the other rows are.
    """
    require_clerk(by)
    outcome: BatchOutcome[Proposal] = BatchOutcome()
    signed: dict[int, NewProposal] = {}
    for index, row in enumerate(rows):
        try:
            _require_proposers(row.proposers)
        except WorkflowError as refusal:
            outcome.refused[index] = refusal
        else:
            signed[index] = row
    _save_new_proposals({index: row.proposal for index, row in signed.items()}, by, outcome)
    Proposer.objects.bulk_create(
        [Proposer(proposal=signed[index].proposal, member=member, order=order, is_lead=order == 1)
         for index in sorted(outcome.done) for order, member in enumerate(signed[index].proposers, start=1)],
        batch_size=INSERT_BATCH_SIZE,
    )
    return outcome


@transaction.atomic
def save_registered_proposal(*, proposal: Proposal, by) -> Proposal:
    """Save a new proposal in `submitted` with its registration Event (the admin's add form)."""
    require_clerk(by)
    outcome: BatchOutcome[Proposal] = BatchOutcome()
    _save_new_proposals({0: proposal}, by, outcome)
    return outcome.only()


def _require_proposers(proposers: Sequence[Member]) -> None:
    if not proposers:
        raise WorkflowError("no_proposer", "至少需要一位提出人", "At least one proposer is required.", field="proposers")
    if len({member.pk for member in proposers}) != len(proposers):
        raise WorkflowError("duplicate_proposer", "提出人重复", "A proposer is listed twice.", field="proposers")


def _number_taken(number: str) -> WorkflowError:
    return WorkflowError(
        "duplicate_number", f"本次会议已有第{number}号", f"Number {number} already exists in this meeting.",
        field="number",
    )


def _save_new_proposals(proposals: dict[int, Proposal], by, outcome: BatchOutcome[Proposal]) -> None:
    """Save unsaved proposals in `submitted` with their REGISTER Events; a number its meeting
    already has (or an earlier row of the batch took) is refused, the rest are saved."""
    fresh: dict[int, Proposal] = {}
    claimed = _numbers_taken(proposals.values())
    for index, proposal in proposals.items():
        key = (proposal.meeting_id, proposal.number)
        if proposal.pk is not None:
            outcome.refused[index] = WorkflowError("already_registered", "该提案已登记", "The proposal is already registered.")
        elif key in claimed:
            outcome.refused[index] = _number_taken(proposal.number)
        else:
            claimed.add(key)
            proposal.status = Status.SUBMITTED
            proposal.submitted_on = proposal.submitted_on or today()
            fresh[index] = proposal
    _insert_proposals(fresh, outcome)
    outcome.done.update(fresh)
    record_many([timeline_entry(proposal, Action.REGISTER, by, to_state=Status.SUBMITTED) for proposal in fresh.values()])


def _numbers_taken(proposals: Iterable[Proposal]) -> set[tuple[int, str]]:
    """(meeting id, number) of these proposals that are registered already."""
    wanted = {(proposal.meeting_id, proposal.number) for proposal in proposals}
    if not wanted:
        return set()
    registered = Proposal.objects.filter(
        meeting_id__in={meeting_id for meeting_id, _ in wanted}, number__in={number for _, number in wanted}
    ).values_list("meeting_id", "number")
    return set(registered) & wanted


def _insert_proposals(fresh: dict[int, Proposal], outcome: BatchOutcome[Proposal]) -> None:
    """Insert the proposals; one whose number another clerk registered between the check and the
    insert is refused as taken, and the others are inserted again without it."""
    while fresh:
        try:
            with transaction.atomic():
                Proposal.objects.bulk_create(list(fresh.values()), batch_size=INSERT_BATCH_SIZE)
            return
        except IntegrityError:
            taken = _numbers_taken(fresh.values())
            if not taken:
                raise
            for index, proposal in list(fresh.items()):
                # The rolled-back insert may have given some of them an id: they are unsaved again.
                proposal.pk, proposal._state.adding = None, True
                if (proposal.meeting_id, proposal.number) in taken:
                    outcome.refused[index] = _number_taken(proposal.number)
                    del fresh[index]


@transaction.atomic
def save_proposal_details(*, proposal: Proposal, changed: Sequence[str], by) -> Proposal:
    """A clerk corrects what was registered (title, body, category …); the timeline says what.

    A reply may already quote the title, and a published page shows it: the change is recorded.
    """
    require_clerk(by)
    if not changed:
        return proposal
    lock_proposal(proposal)
    proposal.save(update_fields=list(changed))
    labels = "、".join(str(Proposal._meta.get_field(name).verbose_name) for name in changed)
    record(proposal, Action.EDIT, by, note=f"修改：{labels}")
    return proposal


@transaction.atomic
def accept_proposal(*, proposal: Proposal, by, note: str = "") -> Proposal:
    """立案: the proposal meets the office's standards and will be assigned."""
    require_clerk(by)
    proposal = lock_proposal(proposal)
    require_status(proposal, Status.SUBMITTED)
    proposal.review_note = note
    _set_status(proposal, Status.ACCEPTED, Action.ACCEPT, by, note=note, fields=["review_note"])
    return proposal


@transaction.atomic
def not_accept_proposal(*, proposal: Proposal, ground: NotAcceptGround | None, reason: str, by) -> Proposal:
    """不予立案: needs one of the office's listed grounds and a reason the proposer is told."""
    require_clerk(by)
    if ground is None or not ground.active:
        raise WorkflowError("ground_required", "请选择不予立案的情形", "Choose one of the listed grounds.", field="ground")
    if not reason.strip():
        raise WorkflowError("reason_required", "请填写不予立案的理由", "A reason is required.", field="reason")
    proposal = lock_proposal(proposal)
    require_status(proposal, Status.SUBMITTED)
    proposal.not_accept_ground, proposal.review_note = ground, reason
    _set_status(
        proposal, Status.NOT_ACCEPTED, Action.NOT_ACCEPT, by, note=f"{ground.text}：{reason}",
        fields=["not_accept_ground", "review_note"],
    )
    return proposal


@transaction.atomic
def merge_proposal(*, proposal: Proposal, into: Proposal, by, note: str = "") -> Proposal:
    """并案: fold `proposal` into another of the same meeting; every proposer still gets a reply."""
    require_clerk(by)
    if proposal.pk == into.pk:
        raise WorkflowError("merge_into_self", "不能并入自身", "A proposal cannot be merged into itself.", field="into")
    # Lock both in id order so two merges of the same pair cannot deadlock.
    locked = {p.pk: p for p in Proposal.objects.select_for_update().filter(pk__in=[proposal.pk, into.pk]).order_by("pk")}
    proposal, into = locked[proposal.pk], locked[into.pk]
    if proposal.meeting_id != into.meeting_id:
        raise WorkflowError("merge_other_meeting", "只能并入同一次会议的提案", "Only proposals of the same meeting merge.", field="into")
    require_status(proposal, Status.SUBMITTED, Status.ACCEPTED)
    if into.status not in (Status.SUBMITTED, Status.ACCEPTED, Status.ASSIGNED, Status.IN_PROGRESS):
        raise WorkflowError(
            "merge_target_closed", f"目标提案状态为“{into.get_status_display()}”，不能并入",
            "The target proposal no longer takes merges.", field="into",
        )
    _carry_proposers(source=proposal, target=into)
    proposal.merged_into = into
    _set_status(proposal, Status.MERGED, Action.MERGE, by, note=f"并入第{into.number}号。{note}", fields=["merged_into"])
    record(into, Action.MERGED_IN, by, note=f"第{proposal.number}号并入本件")
    return proposal


def _carry_proposers(*, source: Proposal, target: Proposal) -> None:
    present = set(target.proposers.values_list("member_id", flat=True))
    next_order = max(target.proposers.values_list("order", flat=True), default=0) + 1
    for proposer in source.proposers.order_by("order"):
        if proposer.member_id not in present:
            Proposer.objects.create(proposal=target, member_id=proposer.member_id, order=next_order, is_lead=False)
            next_order += 1


@transaction.atomic
def refer_proposal(*, proposal: Proposal, to: str, by, note: str = "") -> Proposal:
    """转有关方面参考: not handled as a proposal; passed on as a member's letter or a report."""
    require_clerk(by)
    if not to.strip():
        raise WorkflowError("referral_target_required", "请填写转交对象", "Say where it is referred to.", field="to")
    proposal = lock_proposal(proposal)
    require_status(proposal, Status.SUBMITTED, Status.NOT_ACCEPTED)
    proposal.referred_to = to
    _set_status(proposal, Status.REFERRED, Action.REFER, by, note=f"转{to}。{note}", fields=["referred_to"])
    return proposal


@transaction.atomic
def withdraw_proposal(*, proposal: Proposal, consenting: Iterable[Member], by, reason: str = "") -> Proposal:
    """撤回: needs every signer of a joint proposal; open assignments are cancelled."""
    require_clerk(by)
    proposal = lock_proposal(proposal)
    require_status(proposal, Status.SUBMITTED, Status.ACCEPTED, Status.ASSIGNED, Status.IN_PROGRESS)
    signers = set(proposal.proposers.values_list("member_id", flat=True))
    missing = signers - {member.pk for member in consenting}
    if missing:
        names = "、".join(Member.objects.filter(pk__in=missing).values_list("name", flat=True))
        raise WorkflowError(
            "all_signers_required", f"撤回联名提案需全体提出人同意，尚缺：{names}",
            "Withdrawing a joint proposal needs every signer's consent.", field="consenting",
        )
    for assignment in proposal.assignments.select_for_update().filter(state__in=Assignment.OPEN_STATES).order_by("pk"):
        assignment.proposal = proposal
        _set_state(assignment, State.CANCELLED, Action.WITHDRAW, by, note=reason)
    # Requests for more time on cancelled work are moot: close them so no clerk is asked.
    Extension.objects.filter(assignment__proposal=proposal, state=Extension.State.REQUESTED).update(
        state=Extension.State.REFUSED, decided_by=by, decided_at=timezone.now(), decision_note="提案已撤回"
    )
    _set_status(proposal, Status.WITHDRAWN, Action.WITHDRAW, by, note=reason)
    return proposal


# --- assignment -------------------------------------------------------------------------------


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
    for index, agencies in roles.items():
        proposal = locked.get(plans[index].proposal.pk)
        try:
            _require_assignable(proposal, assigned_on, busy)
        except WorkflowError as refusal:
            outcome.refused[index] = refusal
            continue
        outcome.done[index] = [_new_assignment(proposal, agency, role, assigned_on, deadlines) for agency, role in agencies]
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
        Assignment.objects.filter(proposal_id__in=list(proposals)).exclude(state__in=[State.REASSIGNED, State.CANCELLED])
        .values_list("proposal_id", flat=True).distinct()
    )


def _require_assignable(proposal: Proposal | None, assigned_on: dt.date, busy: set[int]) -> None:
    if proposal is None:
        raise WorkflowError("proposal_not_found", "该提案不存在或已删除", "The proposal no longer exists.")
    if not (proposal.meeting.year - 1 <= assigned_on.year <= today().year + 1):
        raise WorkflowError("assigned_on_out_of_range", "交办日期不在本次会议的办理年度内",
                            "The assignment date is outside the meeting's handling years.", field="on")
    require_status(proposal, Status.ACCEPTED)
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


def _new_assignment(proposal, agency, role, assigned_on, deadlines: NewAssignmentDeadlines) -> Assignment:
    due = deadlines.of(meeting=proposal.meeting, role=role, assigned_on=assigned_on)
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
    require_state(assignment, State.PENDING)
    assignment.signed_at, assignment.signed_by = timezone.now(), by
    _set_state(assignment, State.ACCEPTED, Action.SIGN_FOR, by, fields=["signed_at", "signed_by"])
    if assignment.role != Role.ASSISTING:
        proposal = assignment.proposal  # locked by _lock_assignment
        if proposal.status == Status.ASSIGNED:
            _set_status(proposal, Status.IN_PROGRESS, Action.SIGN_FOR, by, note=assignment.agency.name)
    return assignment


@transaction.atomic
def request_reassignment(*, assignment: Assignment, reason: str, by, on: dt.date | None = None) -> Assignment:
    """申请调整: within the window after assignment, with a reason; handling goes on meanwhile."""
    if not reason.strip():
        raise WorkflowError("reason_required", "请填写申请调整的理由", "A reason is required.", field="reason")
    assignment = lock_assignment(assignment)
    require_agency_staff(by, assignment.agency)
    require_state(assignment, State.PENDING, State.ACCEPTED)
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
    require_state(assignment, State.REASSIGNMENT_REQUESTED)
    decided_on = on or today()
    if not approve:
        return _refuse_reassignment(assignment, by, note, decided_on)
    if new_agency is None or new_agency.pk == assignment.agency_id:
        raise WorkflowError("new_agency_required", "请选择调整后的承办单位", "Choose the agency to reassign to.", field="new_agency")
    if assignment.proposal.assignments.filter(agency=new_agency).exclude(state__in=[State.REASSIGNED, State.CANCELLED]).exists():
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


# --- extensions -------------------------------------------------------------------------------


@transaction.atomic
def request_extension(*, assignment: Assignment, until: dt.date, reason: str, by) -> Extension:
    """延期申请: in writing with a reason; never past the office's limits."""
    if not reason.strip():
        raise WorkflowError("reason_required", "请填写延期理由", "A reason is required.", field="reason")
    assignment = lock_assignment(assignment)
    require_agency_staff(by, assignment.agency)
    require_state(assignment, *Assignment.OPEN_STATES)
    _check_extension_date(assignment, until)
    if assignment.extensions.filter(state=Extension.State.REQUESTED).exists():
        raise WorkflowError("extension_pending", "已有待审批的延期申请", "An extension request is already pending.")
    extension = Extension.objects.create(assignment=assignment, requested_until=until, reason=reason, requested_by=by)
    record(assignment.proposal, Action.REQUEST_EXTENSION, by, assignment=assignment,
            note=f"申请延期至{until:%Y-%m-%d}：{reason}")
    return extension


def _deadlines_of(assignment: Assignment):
    return compute_deadlines(
        meeting=assignment.proposal.meeting, role=assignment.role, assigned_on=assignment.assigned_on,
        extended_to=assignment.extended_to, paused_workdays=assignment.paused_workdays,
        rehandling_started_on=assignment.rehandling_started_on,
    )


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
    require_state(assignment, *Assignment.OPEN_STATES)
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


# --- closing ----------------------------------------------------------------------------------


@transaction.atomic
def close_proposal(*, proposal: Proposal, by, note: str = "") -> Proposal:
    """办结: after the reply (and the rating, or the end of the feedback window)."""
    require_clerk(by)
    proposal = lock_proposal(proposal)
    require_status(proposal, Status.REPLIED, Status.EVALUATED)
    # An assisting opinion still outstanding is moot once the item is closed: no more reminders.
    for assignment in proposal.assignments.select_for_update().filter(state__in=Assignment.OPEN_STATES).order_by("pk"):
        assignment.proposal = proposal
        _set_state(assignment, State.CANCELLED, Action.CLOSE, by, note="提案已办结")
    proposal.closed_on = today()
    _set_status(proposal, Status.CLOSED, Action.CLOSE, by, note=note, fields=["closed_on"])
    return proposal


# --- deadlines when the calendar changes ------------------------------------------------------


@transaction.atomic
def recompute_open_deadlines(*, years: Iterable[int] = (), by=None) -> int:
    """Recompute open deadlines after a year's schedule was entered or corrected.

    Touches provisional deadlines and those whose period crosses the changed years; records an
    Event for each assignment whose due date moved or became final. Returns how many changed.
    """
    touched = Q(due_provisional=True)
    for year in sorted(set(years)):
        touched |= Q(assigned_on__year__lte=year, due_on__year__gte=year)
    candidates = Assignment.objects.filter(touched, state__in=Assignment.OPEN_STATES, proposal__is_historical=False)
    changed = 0
    for assignment_id in candidates.order_by("proposal_id", "pk").values_list("pk", flat=True):
        # Proposal first, then the assignment, as every step does: no deadlock with a step in flight.
        assignment = lock_assignment(Assignment(pk=assignment_id))
        if assignment.state not in Assignment.OPEN_STATES:
            continue
        deadlines = _deadlines_of(assignment)
        before = (assignment.due_on, assignment.due_provisional)
        fields = {
            "due_on": deadlines.due_on, "due_provisional": deadlines.provisional,
            "reassignment_window_ends_on": deadlines.reassignment_window_ends_on,
            "communication_due_on": deadlines.communication_due_on,
        }
        if all(getattr(assignment, name) == value for name, value in fields.items()):
            continue
        for name, value in fields.items():
            setattr(assignment, name, value)
        assignment.save(update_fields=list(fields))
        if before == (deadlines.due_on, deadlines.provisional):
            continue
        changed += 1
        if before[0] == deadlines.due_on:
            note = f"节假日安排已录入，期限{deadlines.due_on:%Y-%m-%d}确定"
        else:
            note = f"节假日安排更新，期限由{before[0]:%Y-%m-%d}调整为{deadlines.due_on:%Y-%m-%d}"
        if deadlines.provisional:
            note += "（仍为暂定）"
        record(assignment.proposal, Action.RECOMPUTE_DEADLINE, by, assignment=assignment, note=note)
    return changed


# --- communications ---------------------------------------------------------------------------


@transaction.atomic
def plan_communication(*, assignment: Assignment, by, mode: str, date: dt.date, **details) -> Communication:
    """Schedule a meeting or contact with the proposers (办前沟通)."""
    assignment = lock_assignment(assignment)
    if not access.is_clerk(by):
        require_agency_staff(by, assignment.agency)
    require_state(assignment, *Assignment.OPEN_STATES)
    _require_not_before_assignment(assignment, date)
    members = details.pop("members", ())
    communication = Communication.objects.create(
        proposal=assignment.proposal, agency=assignment.agency, mode=mode, date=date, **details
    )
    communication.members.set(members)
    record(assignment.proposal, Action.PLAN_COMMUNICATION, by, assignment=assignment,
            note=f"{date:%Y-%m-%d} {communication.get_mode_display()}")
    return communication


@transaction.atomic
def record_communication_held(*, communication: Communication, by, outcome: str, on: dt.date | None = None) -> Communication:
    """The contact took place: keep what was said."""
    communication = Communication.objects.select_for_update().select_related("proposal", "agency").get(pk=communication.pk)
    if not access.is_clerk(by):
        require_agency_staff(by, communication.agency)
    if communication.state != Communication.State.PLANNED:
        raise WorkflowError("communication_not_planned", "该沟通不是待开展状态", "This contact is not planned.")
    if not outcome.strip():
        raise WorkflowError("outcome_required", "请填写沟通情况", "Describe how it went.", field="outcome")
    _require_held_date(communication, on or communication.date)
    communication.state, communication.outcome = Communication.State.HELD, outcome
    communication.date = on or communication.date
    communication.save(update_fields=["state", "outcome", "date"])
    record(communication.proposal, Action.HOLD_COMMUNICATION, by, assignment=_assignment_of_agency(communication),
            note=f"{communication.date:%Y-%m-%d} {communication.agency}")
    return communication


def _require_not_before_assignment(assignment: Assignment | None, date: dt.date) -> None:
    if assignment is not None and assignment.assigned_on and date < assignment.assigned_on:
        raise WorkflowError(
            "communication_before_assignment",
            f"沟通日期{date:%Y年%m月%d日}早于交办日期{assignment.assigned_on:%Y年%m月%d日}，请核对",
            f"The contact date {date} is before the assignment date {assignment.assigned_on}.", field="date",
        )


def _require_held_date(communication: Communication, date: dt.date) -> None:
    """A contact recorded as held took place: not in the future (its time too, when it has one, in
    Beijing time), not before the work was assigned."""
    if date > today():
        raise WorkflowError(
            "communication_in_future", f"沟通日期{date:%Y年%m月%d日}晚于今天，尚未开展的沟通不能登记为已开展",
            f"The contact date {date} is in the future; it cannot be recorded as held yet.", field="on",
        )
    now = timezone.localtime()
    if date == now.date() and communication.time is not None and communication.time > now.time():
        raise WorkflowError(
            "communication_in_future",
            f"沟通时间为今天{communication.time:%H:%M},现在是{now:%H:%M},尚未开展的沟通不能登记为已开展",
            f"The contact is at {communication.time:%H:%M} today and it is {now:%H:%M} now; it cannot be "
            f"recorded as held yet.", field="on",
        )
    _require_not_before_assignment(_assignment_of_agency(communication), date)


# What a held contact's correction may change; who took part stays as recorded.
CORRECTABLE_COMMUNICATION_FIELDS = ("date", "mode", "place", "outcome")


@transaction.atomic
def correct_communication(*, communication: Communication, by, **changes) -> Communication:
    """更正沟通记录: the agency that held a contact corrects how it was recorded (a wrong date or
    mode, a fuller account); the timeline keeps what was there before."""
    unknown = set(changes) - set(CORRECTABLE_COMMUNICATION_FIELDS)
    if unknown:
        raise TypeError(f"not correctable: {sorted(unknown)}")
    communication = Communication.objects.select_for_update().select_related("proposal", "agency").get(pk=communication.pk)
    require_agency_staff(by, communication.agency)
    if communication.state != Communication.State.HELD:
        raise WorkflowError("communication_not_held", "只有已开展的沟通可以更正，待开展的请直接登记或取消",
                            "Only a held contact can be corrected.")
    if "outcome" in changes and not (changes["outcome"] or "").strip():
        raise WorkflowError("outcome_required", "请填写沟通情况", "Describe how it went.", field="outcome")
    if "mode" in changes and changes["mode"] not in Communication.Mode.values:
        raise WorkflowError("unknown_mode", "沟通方式无效", "Unknown mode.", field="mode")
    if "date" in changes:
        _require_held_date(communication, changes["date"])
    changed = [name for name, value in changes.items() if getattr(communication, name) != value]
    if not changed:
        return communication
    before = {name: _shown(communication, name) for name in changed}
    for name in changed:
        setattr(communication, name, changes[name])
    communication.save(update_fields=changed)
    what = "；".join(
        f"{Communication._meta.get_field(name).verbose_name}由“{before[name]}”改为“{_shown(communication, name)}”"
        for name in changed
    )
    record(communication.proposal, Action.EDIT, by, assignment=_assignment_of_agency(communication),
           note=f"更正沟通记录：{what}")
    return communication


def _shown(communication: Communication, name: str) -> str:
    value = communication.get_mode_display() if name == "mode" else getattr(communication, name)
    return "" if value is None else str(value)


@transaction.atomic
def cancel_communication(*, communication: Communication, by, reason: str) -> Communication:
    communication = Communication.objects.select_for_update().select_related("proposal", "agency").get(pk=communication.pk)
    if not access.is_clerk(by):
        require_agency_staff(by, communication.agency)
    if communication.state != Communication.State.PLANNED:
        raise WorkflowError("communication_not_planned", "该沟通不是待开展状态", "This contact is not planned.")
    communication.state, communication.cancel_reason = Communication.State.CANCELLED, reason
    communication.save(update_fields=["state", "cancel_reason"])
    record(communication.proposal, Action.CANCEL_COMMUNICATION, by, assignment=_assignment_of_agency(communication),
            note=reason)
    return communication


def _assignment_of_agency(communication: Communication) -> Assignment | None:
    """The agency's current assignment on the proposal, so the timeline shows each agency its own
    contacts only."""
    return (
        communication.proposal.assignments.filter(agency=communication.agency_id)
        .exclude(state__in=[State.REASSIGNED, State.CANCELLED]).first()
    )


# --- steps taken by the replies workflow ---
# replies.workflow calls these inside its own transaction once the letter, opinion or rating is
# in order; assignment and proposal states are written here and nowhere else.

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
    locked = Assignment.objects.select_related("agency").get(pk=assignment.pk)
    require_agency_staff(by, locked.agency)
    # Proposal before assignment: the same order as start_rehandling and withdraw_proposal.
    proposal = lock_proposal(locked.proposal)
    assignment = lock_assignment(locked)
    assignment.proposal = proposal
    if assignment.role not in ANSWERING_ROLES:
        raise WorkflowError("assisting_does_not_reply", "会办单位向主办单位提交会办意见，不直接答复提出人",
                            "An assisting agency sends its opinion to the lead agency; it does not reply.")
    require_state(assignment, State.ACCEPTED)
    require_status(proposal, Status.IN_PROGRESS, Status.REHANDLING)
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
    require_state(assignment, State.ACCEPTED)
    assignment.completed_on = on or today()
    _set_state(assignment, State.OPINION_SENT, Action.REPLY, by, note=note, fields=["completed_on"])
    return assignment


@transaction.atomic
def mark_proposal_evaluated(*, proposal: Proposal, by, note: str = "") -> Proposal:
    """已评价: every proposer rated this round's reply, or the office closed the feedback window."""
    require_clerk_or_proposer(by, proposal)
    proposal = lock_proposal(proposal)
    require_status(proposal, Status.REPLIED)
    _set_status(proposal, Status.EVALUATED, Action.EVALUATE, by, note=note)
    return proposal


@transaction.atomic
def start_rehandling(*, proposal: Proposal, by, on: dt.date | None = None, note: str = "") -> Proposal:
    """重新办理 after 不满意: a new round; the lead and joint agencies take the item up again.

    Their assignments reopen (已签收) with the re-handling deadline from the meeting's rules; the
    round's replies are drafted afresh and the proposal is replied again when all are sent.
    """
    require_clerk_or_proposer(by, proposal)
    proposal = lock_proposal(proposal)
    require_status(proposal, Status.EVALUATED)
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
