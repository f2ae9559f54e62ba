"""Which steps a proposal or an assignment offers now, by role and state.

The one answer the admin pages, forms and API ask (the workflow still has the last word when a step
is taken). Apps above add the steps of their own models at start-up with `offer_proposal_steps` and
`offer_assignment_steps` (replies offers the office's rating steps and the communication waiver),
so this module never imports them.
"""

from __future__ import annotations

from collections.abc import Callable

from proposals import access
from proposals.models import Assignment, Communication, Proposal
from proposals.transitions import ANSWERING_ROLES

# An offer takes the object, the user and the names offered so far, and returns the new list.
Offer = Callable[[object, object, list[str]], list[str]]

PROPOSAL_STEPS_BY_STATUS = {
    Proposal.Status.SUBMITTED: ["accept", "not_accept", "merge", "refer", "withdraw"],
    Proposal.Status.NOT_ACCEPTED: ["refer"],
    Proposal.Status.ACCEPTED: ["assign", "merge", "withdraw"],
    Proposal.Status.ASSIGNED: ["withdraw"],
    Proposal.Status.IN_PROGRESS: ["withdraw"],
    Proposal.Status.REPLIED: ["close"],
    Proposal.Status.EVALUATED: ["close"],
}

ASSIGNMENT_STEPS_BY_STATE = {
    Assignment.State.PENDING: ["sign_for", "request_reassignment", "request_extension"],
    Assignment.State.ACCEPTED: ["request_reassignment", "request_extension"],
    Assignment.State.REASSIGNMENT_REQUESTED: ["decide_reassignment", "request_extension"],
}

# Steps on an assignment that are the office's to take; every other one is the agency's own.
_clerk_assignment_steps: set[str] = {"decide_reassignment"}
_proposal_offers: list[Offer] = []
_assignment_offers: list[Offer] = []


def offer_proposal_steps(offer: Offer) -> None:
    """Add an upper app's steps to what a proposal offers (idempotent: start-up may run twice)."""
    if offer not in _proposal_offers:
        _proposal_offers.append(offer)


def offer_assignment_steps(offer: Offer, *, clerk_steps: tuple[str, ...] = ()) -> None:
    """Add an upper app's steps to what an assignment offers; `clerk_steps` are the office's."""
    if offer not in _assignment_offers:
        _assignment_offers.append(offer)
    _clerk_assignment_steps.update(clerk_steps)


def proposal_steps(proposal: Proposal, user) -> list[str]:
    """The steps the proposal's page offers `user` now: every step on a proposal is the office's."""
    if not access.is_clerk(user):
        return []
    names = list(PROPOSAL_STEPS_BY_STATUS.get(proposal.status, []))
    for offer in _proposal_offers:
        names = offer(proposal, user, names)
    return names


def proposal_step_permitted(proposal: Proposal, user, step: str) -> bool:
    """Whether `user`'s role may take `step` on a proposal at all."""
    return access.is_clerk(user)


def assignment_steps(assignment: Assignment, user) -> list[str]:
    """The steps the assignment's page offers `user` now: the office decides requests, the agency
    signs for its work, asks for changes and arranges 办前沟通 with the proposers."""
    names = ASSIGNMENT_STEPS_BY_STATE.get(assignment.state, [])
    if access.is_clerk(user):
        names = [name for name in names if name in _clerk_assignment_steps]
    else:
        names = [name for name in names if name not in _clerk_assignment_steps]
        if assignment.role in ANSWERING_ROLES and assignment.is_open:
            # 办前沟通: schedule a contact with the proposers, then record how it went.
            names.append("plan_communication")
            planned = Communication.objects.filter(proposal_id=assignment.proposal_id, agency_id=assignment.agency_id,
                                                   state=Communication.State.PLANNED)
            if planned.exists():
                names.append("hold_communication")
        if assignment.role in ANSWERING_ROLES and Communication.objects.filter(
            proposal_id=assignment.proposal_id, agency_id=assignment.agency_id, state=Communication.State.HELD
        ).exists():
            names.append("correct_communication")
    for offer in _assignment_offers:
        names = offer(assignment, user, names)
    return names


def assignment_step_permitted(assignment: Assignment, user, step: str) -> bool:
    """The office takes its own steps on any assignment; an agency the others, on its own work."""
    if access.is_clerk(user):
        return step in _clerk_assignment_steps
    agency = access.agency_of(user)
    return agency is not None and agency.pk == assignment.agency_id and step not in _clerk_assignment_steps
