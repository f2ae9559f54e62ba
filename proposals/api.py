"""Members' API over their proposals: the list and the detail (DESIGN §6).

A member sees the proposals they proposed or co-signed (proposals.access.proposals_visible_to) and
nothing else; anyone else's proposal answers 404. The list reads plain rows (values() with the
handling summary's subqueries): one query for the page and one for the count, whatever the page
size. The detail reads each part once through the access helpers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from proposals import access
from proposals.deadlines import days_left
from proposals.models import Assignment, Body, Communication, Event, Meeting, Proposal, Proposer
from proposals.selectors import with_handling_summary
from replies.models import Feedback, Rating, Reply
from replies.selectors import feedback_window_ends_on
from tracker.api import (
    ChoiceLabelField,
    IntegerFilter,
    IsMember,
    KeywordFilter,
    StableOrderingFilter,
    StrictChoiceFilter,
    error_responses,
)

# --- reads -------------------------------------------------------------------------------------

LIST_FIELDS = (
    "id", "kind", "number", "title", "category", "is_key", "status", "submitted_on", "meeting_id",
    "lead_proposer_name", "lead_agency_name", "next_due_on", "next_due_provisional",
)


def member_proposal_rows(user) -> QuerySet:
    """The caller's proposals as plain rows with their handling summary, newest first."""
    return (
        with_handling_summary(access.proposals_visible_to(user))
        .values(*LIST_FIELDS, meeting_name=F("meeting__name"), year=F("meeting__year"))
        .order_by("-created_at", "-id")
    )


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

    @property
    def can_give_feedback(self) -> bool:
        """What replies.workflow.record_feedback will accept from this member now."""
        proposal = self.proposal
        return (
            proposal.status == Proposal.Status.REPLIED
            and any(reply.round == proposal.round for reply in self.replies)
            and not any(item.round == proposal.round for item in self.feedback)
        )


def member_proposal(*, user, pk: int, today: dt.date) -> MemberProposal:
    """The caller's proposal `pk` with its parts; Http404 if it is not theirs."""
    proposal = get_object_or_404(access.proposals_visible_to(user).select_related("meeting"), pk=pk)
    assignments = list(
        proposal.assignments.exclude(state__in=[Assignment.State.REASSIGNED, Assignment.State.CANCELLED])
        .select_related("agency").order_by("role", "id")
    )
    communications = list(
        access.communications_visible_to(user).filter(proposal=proposal)
        .select_related("agency").order_by("date", "time", "id")
    )
    replies = list(
        access.replies_visible_to(user).filter(assignment__proposal=proposal)
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
        feedback=list(access.feedback_visible_to(user).filter(proposal=proposal).order_by("round", "id")),
        feedback_window_ends_on=(
            feedback_window_ends_on(proposal) if proposal.status == Proposal.Status.REPLIED else None
        ),
        today=today,
    )


# --- serializers -------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.INT)
class DaysLeftField(serializers.Field):
    """Calendar days to a due date (negative: days overdue), counted from the request's today."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_representation(self, value):  # DRF writes null itself for a missing date
        return days_left(value, self.context["today"])


class ProposalRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    meeting = serializers.IntegerField(source="meeting_id")
    meeting_name = serializers.CharField()
    year = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Proposal.Kind.choices)
    kind_label = ChoiceLabelField(Proposal.Kind.choices, source="kind")
    number = serializers.CharField()
    title = serializers.CharField()
    category = serializers.ChoiceField(choices=Proposal.Category.choices)
    category_label = ChoiceLabelField(Proposal.Category.choices, source="category")
    is_key = serializers.BooleanField()
    status = serializers.ChoiceField(choices=Proposal.Status.choices)
    status_label = ChoiceLabelField(Proposal.Status.choices, source="status")
    submitted_on = serializers.DateField(allow_null=True)
    lead_proposer = serializers.CharField(source="lead_proposer_name", allow_null=True)
    lead_agency = serializers.CharField(source="lead_agency_name", allow_null=True)
    next_due_on = serializers.DateField(allow_null=True, help_text="最近的未完成期限 / nearest open due date")
    days_left = DaysLeftField(source="next_due_on", help_text="距最近期限的天数,负数为逾期天数 / negative: overdue")
    due_provisional = serializers.BooleanField(
        source="next_due_provisional", allow_null=True,
        help_text="该期限暂定(该年节假日安排未录入);无未完成期限时为 null / that date is provisional",
    )


class MeetingSerializer(serializers.ModelSerializer):
    body_label = ChoiceLabelField(Body.choices, source="body")

    class Meta:
        model = Meeting
        fields = ["id", "name", "body", "body_label", "region", "term", "session", "year"]


class ProposerSerializer(serializers.Serializer):
    # Names only: members' phone numbers and e-mail addresses are never shown to anyone else.
    name = serializers.CharField(source="member.name")
    is_lead = serializers.BooleanField()
    order = serializers.IntegerField()


class AssignmentSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.name")
    role_label = ChoiceLabelField(Assignment.Role.choices, source="role")
    state_label = ChoiceLabelField(Assignment.State.choices, source="state")
    is_open = serializers.BooleanField()
    days_left = serializers.SerializerMethodField(help_text="未完成时距期限的天数,负数为逾期 / open only; negative: overdue")
    is_overdue = serializers.SerializerMethodField()
    due_provisional = serializers.BooleanField(help_text="期限暂定 / provisional: the year's holidays are not entered yet")

    class Meta:
        model = Assignment
        fields = [
            "id", "agency", "role", "role_label", "state", "state_label", "is_open", "assigned_on", "due_on",
            "extended_to", "days_left", "is_overdue", "due_provisional", "completed_on",
        ]

    def get_days_left(self, assignment) -> int | None:
        if not assignment.is_open or assignment.due_on is None:
            return None
        return days_left(assignment.due_on, self.context["today"])

    def get_is_overdue(self, assignment) -> bool:
        left = self.get_days_left(assignment)
        return left is not None and left < 0


class EventSerializer(serializers.ModelSerializer):
    action_label = ChoiceLabelField(Event.Action.choices, source="action")
    agency = serializers.CharField(source="assignment.agency.name", allow_null=True, default=None)

    class Meta:
        model = Event
        fields = ["at", "action", "action_label", "agency", "note"]


class CommunicationSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.name")
    mode_label = ChoiceLabelField(Communication.Mode.choices, source="mode")
    state_label = ChoiceLabelField(Communication.State.choices, source="state")

    class Meta:
        model = Communication
        fields = ["date", "time", "mode", "mode_label", "state", "state_label", "agency", "place", "agenda", "outcome"]


class SentReplySerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="signing_agency.name")
    text_url = serializers.SerializerMethodField(help_text="答复函全文(纯文本) / the letter as plain text")
    docx_url = serializers.SerializerMethodField(help_text="答复函 .docx / the letter as .docx")

    class Meta:
        model = Reply
        fields = [
            "id", "round", "agency", "document_number", "title", "addressee", "signed_on", "sent_at", "category",
            "published_on", "text_url", "docx_url",
        ]

    def _url(self, name, reply) -> str:
        return self.context["request"].build_absolute_uri(reverse(name, args=[reply.pk]))

    def get_text_url(self, reply) -> str:
        return self._url("api-reply-text", reply)

    def get_docx_url(self, reply) -> str:
        return self._url("api-reply-docx", reply)


class FeedbackSerializer(serializers.ModelSerializer):
    attitude_label = ChoiceLabelField(Rating.choices, source="attitude")
    result_label = ChoiceLabelField(Rating.choices, source="result")
    channel_label = ChoiceLabelField(Feedback.Channel.choices, source="channel")

    class Meta:
        model = Feedback
        fields = [
            "round", "attitude", "attitude_label", "result", "result_label", "comments", "channel",
            "channel_label", "recorded_at",
        ]


class ProposalDetailSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="proposal.id")
    meeting = MeetingSerializer(source="proposal.meeting")
    kind = serializers.ChoiceField(choices=Proposal.Kind.choices, source="proposal.kind")
    kind_label = ChoiceLabelField(Proposal.Kind.choices, source="proposal.kind")
    number = serializers.CharField(source="proposal.number")
    title = serializers.CharField(source="proposal.title")
    body = serializers.CharField(source="proposal.body")
    category = serializers.ChoiceField(choices=Proposal.Category.choices, source="proposal.category")
    category_label = ChoiceLabelField(Proposal.Category.choices, source="proposal.category")
    is_key = serializers.BooleanField(source="proposal.is_key")
    status = serializers.ChoiceField(choices=Proposal.Status.choices, source="proposal.status")
    status_label = ChoiceLabelField(Proposal.Status.choices, source="proposal.status")
    round = serializers.IntegerField(source="proposal.round", help_text="办理轮次 / round of handling")
    submitted_on = serializers.DateField(source="proposal.submitted_on", allow_null=True)
    closed_on = serializers.DateField(source="proposal.closed_on", allow_null=True)
    proposers = ProposerSerializer(many=True)
    assignments = AssignmentSerializer(many=True)
    timeline = EventSerializer(many=True)
    communications = CommunicationSerializer(many=True)
    replies = SentReplySerializer(many=True, help_text="已送达的答复函 / replies sent")
    feedback = FeedbackSerializer(many=True, help_text="您作出的评价 / your ratings")
    can_give_feedback = serializers.BooleanField(help_text="现在可否评价 / whether you may rate now")
    feedback_window_ends_on = serializers.DateField(allow_null=True)


# --- views -------------------------------------------------------------------------------------


class ProposalFilter(filters.FilterSet):
    meeting = IntegerFilter(field_name="meeting_id", label="会议 id / meeting id")
    kind = StrictChoiceFilter(choices=Proposal.Kind.choices)
    status = StrictChoiceFilter(choices=Proposal.Status.choices)
    year = IntegerFilter(field_name="meeting__year", label="年度 / year of the meeting")
    q = KeywordFilter()
    ordering = StableOrderingFilter(
        fields=(("number", "number"), ("submitted_on", "submitted_on"), ("created_at", "created"),
                ("meeting__year", "year")),
    )

    class Meta:
        model = Proposal
        fields = []


@extend_schema(
    summary="我的提案/建议 / my proposals", tags=["proposals"],
    responses={200: ProposalRowSerializer(many=True), **error_responses(400, 401, 403, 404)},
)
class ProposalList(ListAPIView):
    """The proposals the caller proposed or co-signed, with where each stands."""

    permission_classes = [IsMember]
    serializer_class = ProposalRowSerializer
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = ProposalFilter

    def get_queryset(self):
        return member_proposal_rows(self.request.user)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}


class ProposalDetail(APIView):
    permission_classes = [IsMember]

    @extend_schema(
        summary="提案/建议详情 / one of my proposals", tags=["proposals"],
        responses={200: ProposalDetailSerializer, **error_responses(401, 403, 404)},
    )
    def get(self, request, pk: int):
        """Status, meeting, proposers, assignments with their deadlines, timeline, communications,
        the replies sent (with links to the letter) and the caller's ratings."""
        today = timezone.localdate()
        detail = member_proposal(user=request.user, pk=pk, today=today)
        context = {"request": request, "today": today}
        return Response(ProposalDetailSerializer(detail, context=context).data)
