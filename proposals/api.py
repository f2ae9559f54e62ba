"""Members' API over their proposals: the list, and the pieces the detail is built from (docs/domain.md).

A member sees the proposals they proposed or co-signed (proposals.access.proposals_visible_to) and
nothing else; anyone else's proposal answers 404. The list reads plain rows (values() with the
handling summary's subqueries): one query for the page and one for the count, whatever the page
size. The detail, which also shows the replies and ratings, is replies.api's.
"""

from __future__ import annotations

from django.db.models import F, QuerySet
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import BasePermission

from proposals import access
from proposals.deadlines import days_left
from proposals.models import Assignment, Body, Communication, Event, Meeting, Proposal
from proposals.selectors import with_handling_summary
from tracker.api import (
    ChoiceLabelField,
    IntegerFilter,
    KeywordFilter,
    StableOrderingFilter,
    StrictChoiceFilter,
    error_responses,
    message,
)


class IsMember(BasePermission):
    """A member's or deputy's own login (委员/代表). Staff use the admin."""

    code = "not_a_member"

    @property
    def message(self):
        return message("not_a_member")

    def has_permission(self, request, view):
        return access.member_of(request.user) is not None


# --- reads -------------------------------------------------------------------------------------

LIST_FIELDS = (
    "id", "kind", "number", "title", "category", "is_key", "status", "submitted_on", "meeting_id",
    "lead_proposer_name", "lead_agency_name", "next_due_on", "next_due_provisional",
)


def member_proposal_rows(user) -> QuerySet:
    """The caller's proposals as plain rows with their handling summary, newest first."""
    return (
        with_handling_summary(access.proposals_visible_to(user), replies_only=True)
        .values(*LIST_FIELDS, meeting_name=F("meeting__name"), year=F("meeting__year"))
        .order_by("-created_at", "-id")
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
    next_due_on = serializers.DateField(
        allow_null=True, help_text="答复期限（主办、分办单位未完成的最近期限；会办意见期限不计）/ nearest open reply deadline",
    )
    days_left = DaysLeftField(source="next_due_on", help_text="距最近期限的天数，负数为逾期天数 / negative: overdue")
    due_provisional = serializers.BooleanField(
        source="next_due_provisional", allow_null=True,
        help_text="该期限暂定（该年节假日安排未录入）；无未完成期限时为 null / that date is provisional",
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
    days_left = serializers.SerializerMethodField(help_text="未完成时距期限的天数，负数为逾期 / open only; negative: overdue")
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
        field_labels={"number": "编号", "submitted_on": "提交日期", "created_at": "登记时间", "meeting__year": "年度"},
        label="排序：逗号分隔，前加“-”为倒序，每项至多一次 / comma-separated, '-' for descending, each at most once",
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
    filterset_class = ProposalFilter

    def get_queryset(self):
        return member_proposal_rows(self.request.user)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}
