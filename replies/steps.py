"""Which steps a letter, an opinion, and (for the parts replies owns) a proposal or an assignment
offer now, by role and state: the one answer the admin pages ask. The workflow has the last word.
"""

from __future__ import annotations

from proposals import access
from proposals.models import Assignment, Proposal
from proposals.transitions import ANSWERING_ROLES, ASSIGNMENT_TRANSITIONS, PROPOSAL_TRANSITIONS
from replies.models import (
    AssistingOpinion,
    CommunicationWaiver,
    OpinionWaiver,
    OpinionWaiverRequest,
    Reply,
    ReplyCategory,
)
from replies.transitions import REPLY_TRANSITIONS
from tracker import extensions


def _own(user, agency_id: int) -> bool:
    agency = access.agency_of(user)
    return agency is not None and agency.pk == agency_id


def reply_steps(reply: Reply, user) -> list[str]:
    """The agency drafts, submits, signs off (a reviewer), sends, publishes and follows up its own
    letters; the office may take a publication down."""
    if reply.is_historical:
        return []
    own = _own(user, reply.assignment.agency_id)
    names = []
    if own and REPLY_TRANSITIONS.allows("submit", reply.state):
        names.append("submit")
        if (reply.assignment.role == Assignment.Role.LEAD and REPLY_TRANSITIONS.allows("request_opinion_waiver", reply.state)
                and _opinions_to_ask_for(reply.assignment)):
            names.append("request_opinion_waiver")
    if own and REPLY_TRANSITIONS.allows("sign_off", reply.state) and access.is_agency_reviewer(user):
        names += ["sign_off", "return"]
    if own and REPLY_TRANSITIONS.allows("send", reply.state):
        names.append("send")
    if REPLY_TRANSITIONS.allows("publish", reply.state) and (own or access.is_clerk(user)):
        if reply.published_on:
            names.append("withdraw_publication")
        elif own and reply.disclosure == Reply.Disclosure.PUBLIC:
            names.append("publish")
        if own and reply.category and not reply.follow_up_done_on:
            if ReplyCategory.objects.filter(code=reply.category, needs_follow_up=True).exists():
                names.append("follow_up_done")
    return names


def _opinions_to_ask_for(lead: Assignment) -> bool:
    """Assisting opinions the lead still waits for, with no request for 不待会办意见 pending."""
    return (Assignment.objects.filter(proposal_id=lead.proposal_id, role=Assignment.Role.ASSISTING,
                                      state__in=Assignment.OPEN_STATES, opinion_waiver__isnull=True)
            .exclude(opinion_waiver_requests__state=OpinionWaiverRequest.State.REQUESTED).exists())


def reply_step_permitted(reply: Reply, user, step: str) -> bool:
    """The agency's own letters (the workflow then says which role signs off); the office takes
    publications down."""
    return _own(user, reply.assignment.agency_id) or access.is_clerk(user)


def opinion_steps(opinion: AssistingOpinion, user) -> list[str]:
    """An assisting agency sends its own draft opinion to the lead agency."""
    if opinion.state == AssistingOpinion.State.DRAFT and _own(user, opinion.assignment.agency_id):
        return ["send"]
    return []


def _feedback_steps(proposal: Proposal, user, names: list[str]) -> list[str]:
    # Ratings taken by phone or on paper (征询意见), and ending the rating period.
    if PROPOSAL_TRANSITIONS.allows("evaluate", proposal.status):
        return ["record_feedback", "close_feedback_window", *names]
    return names


def _waiver_step(assignment: Assignment, user, names: list[str]) -> list[str]:
    # The office may let a lead or joint agency reply without 办前沟通.
    if not (access.is_clerk(user) and assignment.role in ANSWERING_ROLES
            and ASSIGNMENT_TRANSITIONS.allows("waive", assignment.state)):
        return names
    waived = getattr(assignment, "communication_waived", None)
    if waived is None:
        waived = CommunicationWaiver.objects.filter(assignment=assignment).exists()
    return names if waived else [*names, "waive_communication"]


def _opinion_waiver_step(assignment: Assignment, user, names: list[str]) -> list[str]:
    # The office may let the lead agency submit without this assisting agency's opinion, and
    # refuses a lead agency's request for it with a reason.
    if not (access.is_clerk(user) and assignment.role == Assignment.Role.ASSISTING
            and ASSIGNMENT_TRANSITIONS.allows("waive", assignment.state)):
        return names
    if OpinionWaiver.objects.filter(assignment=assignment).exists():
        return names
    asked = OpinionWaiverRequest.objects.filter(assignment=assignment, state=OpinionWaiverRequest.State.REQUESTED)
    return [*names, "waive_opinion", *(["refuse_opinion_waiver"] if asked.exists() else [])]


def offer_steps_on_proposals() -> None:
    """Called at start-up (RepliesConfig.ready): add replies' steps to the proposal pages."""
    extensions.register("proposal_steps_offered", _feedback_steps)
    extensions.register("assignment_steps_offered", _waiver_step)
    extensions.register("assignment_steps_offered", _opinion_waiver_step)
    extensions.register("assignment_clerk_steps", "waive_communication")
    extensions.register("assignment_clerk_steps", "waive_opinion")
    extensions.register("assignment_clerk_steps", "refuse_opinion_waiver")
