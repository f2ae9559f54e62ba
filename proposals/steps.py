"""Which steps a proposal or an assignment offers now, by role and state.

The one answer the admin pages, forms and API ask (the workflow still has the last word when a step
is taken). From which states a step is taken is read from the transition tables in
proposals.transitions, which the workflow's guards read too; this module adds who may take it.
Apps above add the steps of their own models at start-up through the hooks
`proposal_steps_offered`, `assignment_steps_offered` and `assignment_clerk_steps`
(tracker/extensions.py; replies offers the office's rating steps and the waivers), so this module
never imports them.
"""

from __future__ import annotations

from proposals import access
from proposals.models import Assignment, Communication, Proposal
from proposals.transitions import ANSWERING_ROLES, ASSIGNMENT_TRANSITIONS, PROPOSAL_TRANSITIONS
from tracker import extensions

# Steps on an assignment that are the office's to take; every other one is the agency's own.
_OFFICE_ASSIGNMENT_STEPS = ("decide_reassignment",)


def _clerk_assignment_steps() -> set[str]:
    return {*_OFFICE_ASSIGNMENT_STEPS, *extensions.contributions("assignment_clerk_steps")}


def proposal_steps(proposal: Proposal, user) -> list[str]:
    """The steps the proposal's page offers `user` now: every step on a proposal is the office's."""
    if not access.is_clerk(user):
        return []
    names = PROPOSAL_TRANSITIONS.offered_from(proposal.status)
    for offer in extensions.contributions("proposal_steps_offered"):
        names = offer(proposal, user, names)
    return names


def proposal_step_permitted(proposal: Proposal, user, step: str) -> bool:
    """Whether `user`'s role may take `step` on a proposal at all."""
    return access.is_clerk(user)


def assignment_steps(assignment: Assignment, user) -> list[str]:
    """The steps the assignment's page offers `user` now: the office decides requests, the agency
    signs for its work, asks for changes and arranges 办前沟通 with the proposers."""
    names = ASSIGNMENT_TRANSITIONS.offered_from(assignment.state)
    office_steps = _clerk_assignment_steps()
    if access.is_clerk(user):
        names = [name for name in names if name in office_steps]
    else:
        names = [name for name in names if name not in office_steps]
        # 办前沟通: schedule a contact with the proposers, then record how it went. One query
        # whatever the assignment's role and state, so every assignment's page costs the same.
        contacts = set(Communication.objects.of_work(assignment).filter(
            state__in=[Communication.State.PLANNED, Communication.State.HELD],
        ).values_list("state", flat=True).distinct())
        answering = assignment.role in ANSWERING_ROLES
        if answering and ASSIGNMENT_TRANSITIONS.allows("plan_communication", assignment.state):
            names.append("plan_communication")
            if Communication.State.PLANNED in contacts:
                names.append("hold_communication")
        if answering and Communication.State.HELD in contacts:
            names.append("correct_communication")
    for offer in extensions.contributions("assignment_steps_offered"):
        names = offer(assignment, user, names)
    return names


def assignment_step_permitted(assignment: Assignment, user, step: str) -> bool:
    """The office takes its own steps on any assignment; an agency the others, on its own work."""
    if access.is_clerk(user):
        return step in _clerk_assignment_steps()
    agency = access.agency_of(user)
    return agency is not None and agency.pk == assignment.agency_id and step not in _clerk_assignment_steps()
