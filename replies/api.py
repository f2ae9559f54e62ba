"""The API of replies: a member's proposal in full (with its replies and ratings), a member's
rating, the letters sent to them, and the public letters.

The rating goes through replies.workflow.record_feedback, which holds the rules (only a proposer,
once per round, after the round's replies were sent); the view only parses input, calls it and
renders. A refusal naming a field the client sent is a 400; any other refusal is a 409.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from proposals import access
from proposals.api import (
    AssignmentSerializer,
    CommunicationSerializer,
    EventSerializer,
    IsMember,
    MeetingSerializer,
    ProposerSerializer,
)
from proposals.models import Proposal
from replies import access as reply_access
from replies import documents, selectors, workflow
from replies.models import Feedback, Rating, Reply
from replies.public import PublicReplyFilter, letter_parts, public_reply, public_reply_rows
from tracker.api import (
    ChoiceLabelField,
    FirstRendererNegotiation,
    error_responses,
    from_workflow_error,
    no_nul_characters,
    StrictInputSerializer,
)
from tracker.errors import WorkflowError

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# --- a member's proposal in full ----------------------------------------------------------------


class SentReplySerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="signing_agency.name")
    text_url = serializers.SerializerMethodField(help_text="答复函全文（纯文本） / the letter as plain text")
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
        detail = selectors.member_proposal(user=request.user, pk=pk, today=today)
        detail.can_give_feedback = workflow.feedback_open(proposal=detail.proposal, member=access.member_of(request.user))
        context = {"request": request, "today": today}
        return Response(ProposalDetailSerializer(detail, context=context).data)


# --- a member's rating -------------------------------------------------------------------------


class FeedbackInputSerializer(StrictInputSerializer):
    attitude = serializers.ChoiceField(choices=Rating.choices, help_text="办理态度 / handling attitude")
    result = serializers.ChoiceField(choices=Rating.choices, help_text="办理结果 / result")
    comments = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=2000, validators=[no_nul_characters],
        help_text="意见建议 / comments",
    )


class ProposalFeedback(APIView):
    permission_classes = [IsMember]

    @extend_schema(
        summary="评价答复 / rate this round's handling", tags=["proposals"], request=FeedbackInputSerializer,
        responses={201: FeedbackSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    def post(self, request, pk: int):
        """征询意见: the caller's own rating of this round (attitude and result, with comments).

        Open once every reply of the round was sent, once per proposer and round; 不满意 on the
        result, when every proposer has rated, sends the proposal back for re-handling.
        """
        proposal = get_object_or_404(access.proposals_visible_to(request.user), pk=pk)
        serializer = FeedbackInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            feedback = workflow.record_feedback(
                proposal=proposal, member=access.member_of(request.user), by=request.user, **serializer.validated_data
            )
        except WorkflowError as error:
            raise from_workflow_error(error, input_fields=serializer.fields) from error
        return Response(FeedbackSerializer(feedback).data, status=status.HTTP_201_CREATED)


# --- the letters sent to a member --------------------------------------------------------------


class _ReplyDocument(APIView):
    """A letter sent to the caller, as a document; errors stay JSON whatever the Accept header."""

    permission_classes = [IsMember]
    content_negotiation_class = FirstRendererNegotiation

    def reply(self, request, pk: int):
        return get_object_or_404(reply_access.replies_visible_to(request.user).select_related("signing_agency"), pk=pk)


def _disposition(kind: str, filename: str) -> str:
    return f"{kind}; filename*=UTF-8''{escape_uri_path(filename)}"


class ReplyText(_ReplyDocument):
    @extend_schema(
        summary="答复函全文 / the letter as text", tags=["replies"],
        responses={(200, "text/plain"): OpenApiResponse(OpenApiTypes.STR), **error_responses(401, 403, 404)},
    )
    def get(self, request, pk: int):
        reply = self.reply(request, pk)
        response = HttpResponse(documents.reply_text(reply), content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = _disposition("inline", documents.document_filename(reply, "txt"))
        return response


class ReplyDocx(_ReplyDocument):
    @extend_schema(
        summary="答复函 .docx / the letter as .docx", tags=["replies"],
        responses={(200, DOCX): OpenApiResponse(OpenApiTypes.BINARY), **error_responses(401, 403, 404)},
    )
    def get(self, request, pk: int):
        reply = self.reply(request, pk)
        response = HttpResponse(documents.reply_docx(reply), content_type=DOCX)
        response["Content-Disposition"] = _disposition("attachment", documents.document_filename(reply, "docx"))
        return response


# --- public letters ----------------------------------------------------------------------------


class PublicReplyRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    document_number = serializers.CharField(help_text="文号")
    index_number = serializers.CharField(help_text="索引号")
    agency = serializers.CharField(help_text="答复单位 / replying agency")
    agency_id = serializers.IntegerField()
    meeting = serializers.IntegerField(source="meeting_id")
    meeting_name = serializers.CharField()
    year = serializers.IntegerField()
    proposal_kind = serializers.ChoiceField(choices=Proposal.Kind.choices)
    proposal_kind_label = ChoiceLabelField(Proposal.Kind.choices, source="proposal_kind")
    proposal_number = serializers.CharField()
    proposal_title = serializers.CharField()
    signed_on = serializers.DateField(allow_null=True, help_text="落款日期")
    published_on = serializers.DateField(help_text="公开日期")


class PublicReplyDetailSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    document_number = serializers.CharField()
    index_number = serializers.CharField()
    agency = serializers.CharField(source="signing_agency.name")
    meeting = serializers.IntegerField(source="assignment.proposal.meeting_id")
    meeting_name = serializers.CharField(source="assignment.proposal.meeting.name")
    year = serializers.IntegerField(source="assignment.proposal.meeting.year")
    proposal_kind = serializers.ChoiceField(choices=Proposal.Kind.choices, source="assignment.proposal.kind")
    proposal_kind_label = ChoiceLabelField(Proposal.Kind.choices, source="assignment.proposal.kind")
    proposal_number = serializers.CharField(source="assignment.proposal.number")
    proposal_title = serializers.CharField(source="assignment.proposal.title")
    addressee = serializers.CharField(help_text="主送 / addressee (names only, as in the letter)")
    paragraphs = serializers.SerializerMethodField(help_text="正文段落 / the body's paragraphs")
    signed_on = serializers.DateField(allow_null=True)
    published_on = serializers.DateField()
    contact_person = serializers.CharField(help_text="承办单位联系人 / the agency's contact")
    contact_phone = serializers.CharField(help_text="承办单位联系电话 / the agency's phone")
    text = serializers.SerializerMethodField(help_text="答复函全文 / the whole letter as text")

    def get_paragraphs(self, reply) -> list[str]:
        return letter_parts(reply)["paragraphs"]

    def get_text(self, reply) -> str:
        return documents.reply_text(reply)


@extend_schema(
    summary="公开的答复函 / published replies", tags=["public"], auth=[],
    responses={200: PublicReplyRowSerializer(many=True), **error_responses(400, 404)},
)
class PublicReplyList(ListAPIView):
    """Published replies, newest first; no authentication."""

    authentication_classes = []
    permission_classes = [AllowAny]
    serializer_class = PublicReplyRowSerializer
    filterset_class = PublicReplyFilter

    def get_queryset(self):
        return public_reply_rows()


class PublicReplyDetail(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        summary="公开的答复函全文 / one published reply", tags=["public"], auth=[],
        responses={200: PublicReplyDetailSerializer, **error_responses(404)},
    )
    def get(self, request, pk: int):
        return Response(PublicReplyDetailSerializer(public_reply(pk)).data)
