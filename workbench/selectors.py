"""The reads behind each role's to-do list. Every one starts from the access helpers of the floors
below, so a list shows only what its reader may see, and each costs a fixed number of queries."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from proposals import access
from proposals.models import Assignment, Communication, Extension, Proposal, Proposer
from proposals.transitions import ANSWERING_ROLES
from replies import access as reply_access
from replies import selectors as reply_selectors
from replies.models import AssistingOpinion, OpinionWaiverRequest, Reply

SOON_DAYS = 7  # 7日内到期: the last reminder before the due date (notifications/stages.py, due-7)


def _assignments(user) -> QuerySet[Assignment]:
    return access.assignments_visible_to(user).select_related("proposal__meeting", "agency")


def _open(queryset: QuerySet[Assignment]) -> QuerySet[Assignment]:
    return queryset.filter(state__in=Assignment.OPEN_STATES, proposal__is_historical=False)


# --- the clerk's --------------------------------------------------------------------------------


def proposals_in(user, status: str) -> QuerySet[Proposal]:
    """待审查 (submitted) or 待交办 (accepted), oldest first."""
    return (
        access.proposals_visible_to(user).filter(status=status).select_related("meeting")
        .annotate(lead_proposer_name=Subquery(
            Proposer.objects.filter(proposal=OuterRef("pk"), is_lead=True).values("member__name")[:1]
        ))
        .order_by("submitted_on", "pk")
    )


def reassignment_requests(user) -> QuerySet[Assignment]:
    return _assignments(user).filter(state=Assignment.State.REASSIGNMENT_REQUESTED).order_by(
        "reassignment_requested_on", "pk"
    )


def extension_requests(user) -> QuerySet[Extension]:
    visible = access.assignments_visible_to(user).values("pk")
    return (
        Extension.objects.filter(state=Extension.State.REQUESTED, assignment__in=visible)
        .select_related("assignment__proposal__meeting", "assignment__agency").order_by("requested_at", "pk")
    )


def late_by_agency(user, today: dt.date) -> QuerySet:
    """Per agency: open lead/joint assignments overdue and due within 7 days, most overdue first."""
    soon = today + dt.timedelta(days=SOON_DAYS)
    return (
        _open(access.assignments_visible_to(user)).filter(role__in=ANSWERING_ROLES, due_on__lte=soon)
        .values("agency_id", "agency__name")
        .annotate(overdue=Count("pk", filter=Q(due_on__lt=today)), soon=Count("pk", filter=Q(due_on__gte=today)))
        .order_by("-overdue", "-soon", "agency__name")
    )


def overdue_opinions(user, today: dt.date) -> QuerySet[Assignment]:
    """会办意见逾期: assisting assignments still open past their (one-month) due date, while the lead
    still waits for them: not once the office waived the opinion or the proposal was replied."""
    return (
        _open(_assignments(user)).filter(role=Assignment.Role.ASSISTING, due_on__lt=today)
        .filter(proposal__status__in=[Proposal.Status.ASSIGNED, Proposal.Status.IN_PROGRESS,
                                      Proposal.Status.REHANDLING])
        .exclude(opinion_waiver__isnull=False).order_by("due_on", "pk")
    )


def opinion_waiver_requests(user) -> QuerySet[OpinionWaiverRequest]:
    """不待会办意见申请: lead agencies waiting for the office's decision, the oldest first."""
    return (
        OpinionWaiverRequest.objects.filter(state=OpinionWaiverRequest.State.REQUESTED,
                                            assignment__in=access.assignments_visible_to(user))
        .select_related("assignment__agency", "assignment__proposal__meeting", "lead__agency")
        .order_by("requested_at", "pk")
    )


def follow_ups(user) -> QuerySet[Reply]:
    """B类 promises under follow-up (跟踪办理), the oldest letter first."""
    visible = reply_access.replies_visible_to(user).values("pk")
    return reply_selectors.follow_up_list().filter(pk__in=visible).order_by("sent_at", "pk")


# --- the agency's -------------------------------------------------------------------------------


def to_sign_for(user) -> QuerySet[Assignment]:
    return _open(_assignments(user)).filter(state=Assignment.State.PENDING).order_by("due_on", "pk")


def to_communicate(user) -> QuerySet[Assignment]:
    """待沟通, with the proposers' contacts (their phone and e-mail are for the agency handling the
    item, never for the public pages) and the next contact already planned."""
    planned = Communication.objects.of_work().planned().order_by("date")
    return (
        reply_selectors.awaiting_communication(_open(_assignments(user)))
        .annotate(planned_on=Subquery(planned.values("date")[:1]))
        .order_by("communication_due_on", "due_on", "pk")
    )


def proposers_of(assignments: QuerySet[Assignment]) -> dict[int, list[Proposer]]:
    """The proposers (with their member) of these assignments' proposals, by proposal id. One query
    even when there are none: a prefetch skips its query for an empty list, and the start page
    would cost one query more once work arrives."""
    proposers = (Proposer.objects.filter(proposal_id__in=assignments.values("proposal_id"))
                 .select_related("member").order_by("order", "pk"))
    by_proposal: dict[int, list[Proposer]] = {}
    for proposer in proposers:
        by_proposal.setdefault(proposer.proposal_id, []).append(proposer)
    return by_proposal


def to_draft(user) -> QuerySet[Assignment]:
    """待起草: signed-for lead and joint work with no letter for this round yet."""
    return reply_selectors.awaiting_reply(_open(_assignments(user))).order_by("due_on", "pk")


def drafts(user) -> QuerySet[Reply]:
    """草稿 and 退回修改 letters of this round, returned ones first."""
    return (
        reply_selectors.for_list(reply_access.replies_visible_to(user))
        .filter(state__in=[Reply.State.RETURNED, Reply.State.DRAFT], is_historical=False,
                assignment__state__in=Assignment.OPEN_STATES)
        .order_by("-state", "assignment__due_on", "pk")  # "returned" sorts before "draft" descending
    )


def to_send(user) -> QuerySet[Reply]:
    """已签发待送达: signed letters not yet sent to the proposers."""
    return (
        reply_selectors.for_list(reply_access.replies_visible_to(user))
        .filter(state=Reply.State.SIGNED, is_historical=False).order_by("assignment__due_on", "pk")
    )


def due_soon(user, today: dt.date) -> QuerySet[Assignment]:
    """即将到期: open work due within 7 days, and what is already late, nearest first."""
    return _open(_assignments(user)).filter(due_on__lte=today + dt.timedelta(days=SOON_DAYS)).order_by("due_on", "pk")


def opinions_to_send(user) -> QuerySet[Assignment]:
    """会办意见待提交: signed-for assisting work whose opinion has not gone to the lead agency."""
    opinion = AssistingOpinion.objects.filter(assignment=OuterRef("pk"))
    return (
        _open(_assignments(user)).filter(role=Assignment.Role.ASSISTING)
        .exclude(state=Assignment.State.PENDING)
        .annotate(opinion_id=Subquery(opinion.values("pk")[:1]))
        .order_by("due_on", "pk")
    )


# --- the reviewer's -----------------------------------------------------------------------------


def to_sign_off(user) -> QuerySet[Reply]:
    """待签发: letters submitted for review, the nearest deadline first."""
    return (
        reply_selectors.for_list(reply_access.replies_visible_to(user))
        .filter(state=Reply.State.IN_REVIEW).select_related("drafted_by").order_by("assignment__due_on", "pk")
    )

