"""What every transition stands on (docs/domain.md, lifecycle): the clock, the role and state guards, the row locks
in their one order, and the timeline entry.

proposals.workflow and replies.workflow both build their steps from these, so a rule about who may
act, which lock comes first or what an Event records is written here once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from proposals import access
from proposals.models import Agency, Assignment, Event, Proposal
from tracker import extensions
from tracker.errors import PermissionRefused, WorkflowError

# The roles that answer the proposers themselves; an assisting agency writes to the lead instead.
ANSWERING_ROLES = (Assignment.Role.LEAD, Assignment.Role.JOINT)


def today() -> dt.date:
    return timezone.localdate()


# --- who acts ------------------------------------------------------------------------------------


def require_clerk(user) -> None:
    if not access.is_clerk(user):
        raise PermissionRefused("not_clerk", "只有提案办工作人员可以办理此操作", "Only a clerk of the office may do this.")


def require_agency_staff(user, agency: Agency) -> None:
    staff_agency = access.agency_of(user)
    if staff_agency is None or staff_agency.pk != agency.pk:
        raise PermissionRefused("not_your_agency", "这不是本单位承办的事项", "This item is not assigned to your agency.")


def require_reviewer(user, agency: Agency) -> None:
    require_agency_staff(user, agency)
    if not access.is_agency_reviewer(user):
        raise PermissionRefused("not_reviewer", "只有本单位负责人可以审核签发答复函",
                                "Only a reviewer of your agency may review and sign off a reply.")


def require_clerk_or_proposer(user, proposal: Proposal) -> None:
    if access.is_clerk(user):
        return
    member = access.member_of(user)
    if member is None or not proposal.proposers.filter(member=member).exists():
        raise PermissionRefused(
            "not_proposer", "只有提出人本人或提案办工作人员可以办理此操作",
            "Only a proposer of this proposal or a clerk may do this.",
        )


# --- from which state ------------------------------------------------------------------------------


def _require_among(value: str, allowed: tuple[str, ...], now_zh: str, now_en: str) -> None:
    if value not in allowed:
        raise WorkflowError("invalid_state", f"{now_zh}，不能办理此操作", f"Not possible while {now_en}.")


def require_status(proposal: Proposal, *allowed: str) -> None:
    _require_among(proposal.status, allowed, f"当前状态为“{proposal.get_status_display()}”",
                   f"the proposal is '{proposal.status}'")


def require_state(assignment: Assignment, *allowed: str) -> None:
    _require_among(assignment.state, allowed, f"该交办当前为“{assignment.get_state_display()}”",
                   f"the assignment is '{assignment.state}'")


# --- the transition tables: from which states each step is taken ---------------------------------
# The one statement of it per model. The workflow's guards (`require_proposal_step`,
# `require_assignment_step`) and the steps a page offers (proposals.steps, replies.steps) both read
# these tables, so no state's steps are listed twice.


@dataclass(frozen=True)
class Step:
    """The states a step is taken from. `offered` is False for a step no button of the model's
    page offers by state alone: one taken inside another step (the last reply sent marks the
    proposal replied), or one a page offers by its own rule (a contact, by the agency's role)."""

    sources: tuple[str, ...]
    offered: bool = True


class TransitionTable:
    def __init__(self, steps: dict[str, Step]) -> None:
        self._steps = steps

    def sources(self, step: str) -> tuple[str, ...]:
        return self._steps[step].sources

    def allows(self, step: str, state: str) -> bool:
        return state in self._steps[step].sources

    def offered_from(self, state: str) -> list[str]:
        """The page's steps from `state`, in the order the table lists them."""
        return [name for name, step in self._steps.items() if step.offered and state in step.sources]


_Status = Proposal.Status
PROPOSAL_TRANSITIONS = TransitionTable({
    "accept": Step((_Status.SUBMITTED,)),
    "not_accept": Step((_Status.SUBMITTED,)),
    "assign": Step((_Status.ACCEPTED,)),
    "merge": Step((_Status.SUBMITTED, _Status.ACCEPTED)),
    "refer": Step((_Status.SUBMITTED, _Status.NOT_ACCEPTED)),
    "withdraw": Step((_Status.SUBMITTED, _Status.ACCEPTED, _Status.ASSIGNED, _Status.IN_PROGRESS)),
    "close": Step((_Status.REPLIED, _Status.EVALUATED)),
    # An online submission before review: the office returns it for revision, its author withdraws or
    # resubmits it (offered on the submission's own pages, not among the proposal's steps).
    "return_for_revision": Step((_Status.SUBMITTED,), offered=False),
    "withdraw_before_review": Step((_Status.SUBMITTED,), offered=False),
    "resubmit": Step((_Status.SUBMITTED,), offered=False),
    # The proposal another one is merged into (并案): any that is still being handled.
    "take_merge": Step((_Status.SUBMITTED, _Status.ACCEPTED, _Status.ASSIGNED, _Status.IN_PROGRESS), offered=False),
    # The lead's signature starts 办理中 (sign_for_assignment).
    "start_handling": Step((_Status.ASSIGNED,), offered=False),
    # The last lead or joint reply of the round sent (mark_assignment_replied).
    "reply": Step((_Status.IN_PROGRESS, _Status.REHANDLING), offered=False),
    # Ratings come in, the rating period closes, the proposal is evaluated (replies offers its steps).
    "evaluate": Step((_Status.REPLIED,), offered=False),
    "rehandle": Step((_Status.EVALUATED,), offered=False),
})

_State = Assignment.State
ASSIGNMENT_TRANSITIONS = TransitionTable({
    "sign_for": Step((_State.PENDING,)),
    "request_reassignment": Step((_State.PENDING, _State.ACCEPTED)),
    "decide_reassignment": Step((_State.REASSIGNMENT_REQUESTED,)),
    "request_extension": Step(Assignment.OPEN_STATES),
    # Decided on the request's own page.
    "decide_extension": Step(Assignment.OPEN_STATES, offered=False),
    # 办前沟通 and the office's waivers: offered by the agency's role (proposals.steps, replies.steps).
    "plan_communication": Step(Assignment.OPEN_STATES, offered=False),
    "waive": Step(Assignment.OPEN_STATES, offered=False),
    # A letter or an opinion is drafted and reviewed while the work goes on, even with a
    # reassignment request pending (the reply is sent only once it is decided).
    "draft": Step((_State.ACCEPTED, _State.REASSIGNMENT_REQUESTED), offered=False),
    # The reply or the opinion went out (mark_assignment_replied, mark_opinion_sent).
    "reply": Step((_State.ACCEPTED,), offered=False),
})


def require_proposal_step(proposal: Proposal, step: str) -> None:
    require_status(proposal, *PROPOSAL_TRANSITIONS.sources(step))


def require_assignment_step(assignment: Assignment, step: str) -> None:
    require_state(assignment, *ASSIGNMENT_TRANSITIONS.sources(step))


# --- row locks: always the proposal first, then its assignment, then a letter ---------------------


def lock_proposal(proposal: Proposal) -> Proposal:
    """Re-read the proposal under a row lock: the state we check is the state we change.

    Only the proposal row is locked (`of`), not its meeting: steps on other proposals of the
    same meeting must not wait on each other.
    """
    locked = Proposal.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=proposal.pk)
    locked._row_locked = True
    return locked


def require_locked(proposal: Proposal) -> None:
    """For a step that goes on with a proposal its caller locked (`*_locked` verbs): the row must
    come from lock_proposal, inside the transaction that still holds the lock."""
    if not (getattr(proposal, "_row_locked", False) and transaction.get_connection().in_atomic_block):
        raise RuntimeError("the proposal must be locked with lock_proposal in the current transaction")


def lock_proposals(proposal_ids: Iterable[int]) -> dict[int, Proposal]:
    """Lock many proposals for a batch step, by id; one that no longer exists is missing.

    Locked in id order in one statement, so two batches over overlapping proposals wait on each
    other instead of deadlocking; as in `lock_proposal`, their meetings are not locked.
    """
    ids = sorted(set(proposal_ids))
    if not ids:
        return {}
    locked = Proposal.objects.select_for_update(of=("self",)).select_related("meeting").filter(pk__in=ids).order_by("pk")
    return {proposal.pk: proposal for proposal in locked}


def lock_assignment(assignment: Assignment) -> Assignment:
    """Lock the assignment's proposal first, then the assignment: every step takes the locks in
    that order (withdraw_proposal too), so two steps on one proposal never deadlock."""
    proposal_id = Assignment.objects.values_list("proposal_id", flat=True).get(pk=assignment.pk)
    proposal = lock_proposal(Proposal(pk=proposal_id))
    locked = Assignment.objects.select_for_update(of=("self",)).select_related("agency").get(pk=assignment.pk)
    locked.proposal = proposal
    return locked


# --- the timeline --------------------------------------------------------------------------------


# Floors above hear of each step once it is committed (notifications tells whoever must act next):
# they contribute to the `step_listeners` hook (tracker/extensions.py) at start-up, so this floor
# names none of them. A listener only enqueues work; a failing one is logged and the step stands
# (robust), and the notifications sweep catches up. A listener takes the ids of the entries one
# step wrote: one for a single step, every entry of a batch step (a 交办会's thousands) at once.
def step_listeners() -> list[Callable[[list[int]], None]]:
    return extensions.contributions("step_listeners")


def timeline_entry(proposal: Proposal, action: str, by, *, assignment: Assignment | None = None,
                   from_state: str = "", to_state: str = "", note: str = "") -> Event:
    """An unsaved timeline entry; anonymous callers (the sweep, an import) are recorded as the system."""
    return Event(
        proposal=proposal, assignment=assignment, actor=by if by and by.is_authenticated else None,
        action=action, from_state=from_state, to_state=to_state, note=note,
    )


def record(proposal: Proposal, action: str, by, *, assignment: Assignment | None = None, from_state: str = "",
           to_state: str = "", note: str = "") -> Event:
    """One timeline entry, written now; the listeners hear of it once the step commits."""
    entry = timeline_entry(proposal, action, by, assignment=assignment, from_state=from_state, to_state=to_state,
                           note=note)
    return record_many([entry])[0]


# One INSERT statement per this many entries: a 交办会 of 9,000 items stays a handful of statements.
RECORD_BATCH_SIZE = 2000


def record_many(entries: list[Event]) -> list[Event]:
    """The timeline entries of a batch step, written together; the listeners hear of them all at once
    (one call with every id) once the step commits, never of a batch that was rolled back."""
    if not entries:
        return []
    events = Event.objects.bulk_create(entries, batch_size=RECORD_BATCH_SIZE)
    event_ids = [event.pk for event in events]
    for listener in step_listeners():
        # A plain function (not a partial): Django names it when it logs a failing robust hook.
        def hear(listener=listener, event_ids=event_ids):
            listener(event_ids)

        transaction.on_commit(hear, robust=True)
    return events
