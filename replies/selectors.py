"""Reads about replies that the admin, the documents, the API and the pages share."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from proposals import access
from proposals.deadlines import days_left, rules_for
from proposals.models import Assignment, Communication, Event, Proposal, Proposer
from replies import access as reply_access
from replies.models import (
    AssistingOpinion,
    CommunicationWaiver,
    Feedback,
    LetterSettings,
    OpinionWaiver,
    OpinionWaiverRequest,
    Reply,
    ReplyCategory,
)
from tracker.people import person_name
from tracker.workdays import WorkingCalendar


def for_list(queryset: QuerySet[Reply]) -> QuerySet[Reply]:
    """A page of replies with everything a row shows, in one query."""
    return queryset.select_related("assignment__proposal__meeting", "assignment__agency", "signing_agency")


def with_current_reply(queryset: QuerySet[Assignment]) -> QuerySet[Assignment]:
    """Annotate assignments with the state and id of their reply (or opinion) for the current round."""
    current = Reply.objects.filter(assignment=OuterRef("pk"), round=OuterRef("proposal__round"))
    opinion = AssistingOpinion.objects.filter(assignment=OuterRef("pk"))
    return queryset.annotate(
        current_reply_id=Subquery(current.values("pk")[:1]),
        current_reply_state=Subquery(current.values("state")[:1]),
        opinion_id=Subquery(opinion.values("pk")[:1]),
        opinion_state=Subquery(opinion.values("state")[:1]),
        communication_waived=Exists(CommunicationWaiver.objects.filter(assignment=OuterRef("pk"))),
    )


def awaiting_reply(queryset: QuerySet[Assignment]) -> QuerySet[Assignment]:
    """Signed-for lead and joint assignments without a reply for the proposal's current round."""
    return queryset.filter(
        role__in=[Assignment.Role.LEAD, Assignment.Role.JOINT],
        state__in=[Assignment.State.ACCEPTED, Assignment.State.REASSIGNMENT_REQUESTED],
    ).exclude(Exists(Reply.objects.filter(assignment=OuterRef("pk"), round=OuterRef("proposal__round"))))


def awaiting_opinion(queryset: QuerySet[Assignment]) -> QuerySet[Assignment]:
    """Signed-for assisting assignments that have no opinion yet."""
    return queryset.filter(
        role=Assignment.Role.ASSISTING,
        state__in=[Assignment.State.ACCEPTED, Assignment.State.REASSIGNMENT_REQUESTED],
    ).exclude(Exists(AssistingOpinion.objects.filter(assignment=OuterRef("pk"))))


def awaiting_communication(queryset: QuerySet[Assignment]) -> QuerySet[Assignment]:
    """Open lead and joint assignments whose agency has neither held a contact with the proposers
    nor the office's waiver (`communication_done`)."""
    return queryset.filter(role__in=[Assignment.Role.LEAD, Assignment.Role.JOINT]).open().exclude(communication_done())


def communication_done() -> Q:
    """办前沟通 done, for the assignment row a query reads: a contact with the proposers held by its
    agency on its proposal, or the office's waiver. The one statement of the rule: the workflow asks
    it of one assignment before its letter is submitted, the lists of every assignment still waiting."""
    held = Communication.objects.of_work().held()
    waived = CommunicationWaiver.objects.filter(assignment=OuterRef("pk"))
    return Q(Exists(held)) | Q(Exists(waived))


def follow_up_list() -> QuerySet[Reply]:
    """B-class (and any follow-up category) promises not yet kept (跟踪办理)."""
    codes = ReplyCategory.objects.filter(needs_follow_up=True).values("code")
    return for_list(Reply.objects.filter(state=Reply.State.SENT, follow_up_done_on__isnull=True, category__in=codes))


def feedback_window_ends_on(proposal: Proposal) -> dt.date | None:
    """The last day proposers rate this round: the rules' working days after the last reply was sent."""
    last_sent = (
        Reply.objects.filter(assignment__proposal=proposal, round=proposal.round, state=Reply.State.SENT)
        .order_by("-sent_at").values_list("sent_at", flat=True).first()
    )
    if last_sent is None:
        return None
    window = rules_for(proposal.meeting).feedback_window_workdays
    return WorkingCalendar().add_workdays(timezone.localtime(last_sent).date(), window)


@dataclass
class ReplyContext:
    """What the drafter and the reviewer see beside the letter (issue 4 item 3)."""

    assignment: Assignment
    proposal: Proposal
    proposers: list[Proposer]
    days_left: int | None
    opinions: list[AssistingOpinion]
    opinions_missing: list[Assignment]
    communications: list[Communication]
    waiver: CommunicationWaiver | None
    earlier_replies: list[Reply]
    # The lead's reply waits for these: neither sent nor waived (each with .waiver_request, if any).
    opinions_blocking: list[Assignment] = field(default_factory=list)
    earlier_feedback: list[Feedback] = field(default_factory=list)

    @property
    def waiver_asked(self) -> bool:
        """The lead asked the office for 不待会办意见 on every opinion it waits for: nothing to do but wait."""
        return bool(self.opinions_blocking) and all(
            item.waiver_request is not None and item.waiver_request.state == "requested" for item in self.opinions_blocking
        )


def reply_context(*, assignment: Assignment, user, today: dt.date) -> ReplyContext:
    """The proposal, proposers, deadline, assisting opinions received, this agency's contacts with
    the proposers and earlier rounds, as `user` may see them."""
    proposal = Proposal.objects.select_related("meeting").get(pk=assignment.proposal_id)
    proposers = list(Proposer.objects.filter(proposal=proposal).select_related("member").order_by("order"))
    assisting = list(
        Assignment.objects.filter(proposal=proposal, role=Assignment.Role.ASSISTING)
        .current().select_related("agency")
    )
    opinions = list(
        reply_access.opinions_visible_to(user).filter(assignment__proposal=proposal, state=AssistingOpinion.State.SENT)
        .select_related("assignment__agency").order_by("sent_at")
    )
    received = {opinion.assignment_id for opinion in opinions}
    missing = [item for item in assisting if item.pk not in received]
    _with_waivers(missing)
    earlier = reply_access.replies_visible_to(user).filter(assignment__proposal=proposal, round__lt=proposal.round)
    return ReplyContext(
        assignment=assignment,
        proposal=proposal,
        proposers=proposers,
        days_left=days_left(assignment.due_on, today) if assignment.due_on else None,
        opinions=opinions,
        opinions_missing=missing,
        opinions_blocking=[item for item in missing if item.waiver is None and item.is_open]
        if assignment.role == Assignment.Role.LEAD else [],
        communications=list(
            access.communications_visible_to(user).filter(proposal=proposal).prefetch_related("members")
            .order_by("date", "time")
        ),
        waiver=CommunicationWaiver.objects.filter(assignment=assignment).select_related("waived_by").first(),
        earlier_replies=list(earlier.select_related("assignment__agency").order_by("round", "id")),
        earlier_feedback=list(
            reply_access.feedback_visible_to(user).filter(proposal=proposal, round__lt=proposal.round)
            .select_related("member").order_by("round", "id")
        ),
    )


def _with_waivers(assignments: list[Assignment]) -> None:
    """Each missing opinion with the office's waiver (.waiver) and the lead's latest request for
    one (.waiver_request): the reply page says which are waived, asked for, or refused."""
    ids = [item.pk for item in assignments]
    waivers = {w.assignment_id: w for w in OpinionWaiver.objects.filter(assignment_id__in=ids)}
    requests = {}
    for request in OpinionWaiverRequest.objects.filter(assignment_id__in=ids).order_by("pk"):
        requests[request.assignment_id] = request  # the latest wins
    for item in assignments:
        item.waiver, item.waiver_request = waivers.get(item.pk), requests.get(item.pk)


def suggested_title(assignment: Assignment) -> str:
    """How offices title a reply: 广州市科学技术局关于政协十四届广州市委员会第一次会议第2053号提案答复的函."""
    proposal = assignment.proposal
    return f"{assignment.agency.name}关于{proposal.meeting.name}第{proposal.number}号{proposal.get_kind_display()}答复的函"


def contact_defaults(*, assignment: Assignment, user) -> dict[str, str]:
    """The contact line a new letter or opinion starts with: the agency's own settings (答复函设置),
    else the drafter's real name; never an account label such as "科技局经办人 陈晓"."""
    settings = LetterSettings.objects.filter(agency_id=assignment.agency_id).first()
    return {
        "contact_person": (settings.contact_person if settings and settings.contact_person else person_name(user)),
        "contact_phone": settings.contact_phone if settings else "",
    }


def suggested_addressee(proposal: Proposal) -> str:
    """张建山委员 / 叶君代表 / 骆洪军、彭海员、赵贵成委员; a group is addressed by its name."""
    members = [p.member for p in Proposer.objects.filter(proposal=proposal).select_related("member").order_by("order")]
    people = [m.name for m in members if m.kind == m.Kind.PERSON]
    groups = [m.name for m in members if m.kind != m.Kind.PERSON]
    title = "代表" if proposal.meeting.body == "npc" else "委员"
    parts = (["、".join(people) + title] if people else []) + groups
    return "、".join(parts)


@dataclass
class MemberProposal:
    """Everything the detail shows, each part read once."""

    proposal: Proposal
    proposers: list[Proposer]
    assignments: list[Assignment]
    timeline: list[Event]
    communications: list[Communication]
    replies: list[Reply]
    feedback: list[Feedback]
    feedback_window_ends_on: dt.date | None
    today: dt.date
    # Whether the caller may rate now: the workflow's answer (replies.workflow.feedback_open),
    # filled in by the view, which may call the workflow.
    can_give_feedback: bool = False


def member_proposal(*, user, pk: int, today: dt.date) -> MemberProposal:
    """The caller's proposal `pk` with its parts; Http404 if it is not theirs."""
    proposal = get_object_or_404(access.proposals_visible_to(user).select_related("meeting"), pk=pk)
    assignments = list(
        proposal.assignments.current()
        .select_related("agency").order_by("role", "id")
    )
    communications = list(
        access.communications_visible_to(user).filter(proposal=proposal)
        .select_related("agency").order_by("date", "time", "id")
    )
    replies = list(
        reply_access.replies_visible_to(user).filter(assignment__proposal=proposal)
        .select_related("signing_agency").order_by("round", "sent_at", "id")
    )
    return MemberProposal(
        proposal=proposal,
        proposers=list(proposal.proposers.select_related("member").order_by("order", "id")),
        assignments=assignments,
        timeline=list(
            access.events_visible_to(user).filter(proposal=proposal)
            .select_related("assignment__agency").order_by("at", "id")
        ),
        communications=communications,
        replies=replies,
        feedback=list(reply_access.feedback_visible_to(user).filter(proposal=proposal).order_by("round", "id")),
        feedback_window_ends_on=(
            feedback_window_ends_on(proposal) if proposal.status == Proposal.Status.REPLIED else None
        ),
        today=today,
    )
