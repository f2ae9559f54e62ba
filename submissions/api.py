"""Members' API of the front door: draft, attach, invite, answer, submit, withdraw (docs/domain.md).

The same steps as the member's pages, for members' apps; each calls submissions.services. A draft is
the author's; an invited co-proposer reads it; to anyone else it does not exist (404). Contacts are
returned to the author only.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from proposals import access as proposal_access
from proposals.api import IsMember
from proposals.models import Meeting, Member, Proposal
from submissions import access, files, rules, selectors, services
from submissions.models import BODY_LIMIT, CoSigner, Draft
from submissions.similar import similar_for
from tracker.api import (
    ChoiceLabelField,
    ORJSONParser,
    StrictInputSerializer,
    error_responses,
    from_workflow_error,
    refuse_any_input,
    unknown_field_errors,
)
from tracker.errors import WorkflowError

TAGS = ["submissions"]


# --- serializers -------------------------------------------------------------------------------


class CoSignerSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="member.name")
    sector = serializers.CharField(source="member.sector")
    state_label = ChoiceLabelField(CoSigner.State.choices, source="state")

    class Meta:
        model = CoSigner
        fields = ["id", "member", "name", "sector", "order", "state", "state_label", "answered_at"]


class DraftSerializer(serializers.ModelSerializer):
    kind_label = ChoiceLabelField(Draft.Kind.choices, source="kind")
    state_label = ChoiceLabelField(Draft.State.choices, source="state")
    title_hint = serializers.SerializerMethodField(help_text="案由不合“关于……的提案”格式时的提示 / title pattern hint")
    author = serializers.CharField(source="author.name")
    proposal_number = serializers.CharField(source="proposal.number", allow_null=True, default=None)
    proposal_status = serializers.CharField(source="proposal.status", allow_null=True, default=None)
    cosigners = serializers.SerializerMethodField()
    blockers = serializers.SerializerMethodField(help_text="尚不能提交的原因 / why it cannot be submitted yet")
    window_open = serializers.SerializerMethodField()

    class Meta:
        model = Draft
        fields = ["id", "meeting", "kind", "kind_label", "title", "title_hint", "category", "analysis", "suggestions",
                  "phone", "address", "author", "state", "state_label", "proposal", "proposal_number",
                  "proposal_status", "submitted_at", "updated_at", "cosigners", "blockers", "window_open"]

    def get_title_hint(self, draft) -> str:
        return rules.title_hint(draft.title, draft.kind)

    def get_cosigners(self, draft) -> list[dict]:
        rows = draft.cosigners.select_related("member").exclude(state=CoSigner.State.CANCELLED)
        return CoSignerSerializer(rows, many=True).data

    def get_blockers(self, draft) -> list[str]:
        return services.blockers(draft) if draft.state in services.EDITABLE else []

    def get_window_open(self, draft) -> bool:
        return services.open_window(draft.meeting) is not None

    def to_representation(self, draft):
        data = super().to_representation(draft)
        if draft.author.user_id != self.context["request"].user.pk:  # contacts are the author's and the office's
            data["phone"] = data["address"] = ""
        return data


class DraftRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField()
    state = serializers.CharField()
    meeting_name = serializers.CharField()
    number = serializers.CharField(allow_null=True)
    status = serializers.CharField(allow_null=True)
    invited = serializers.IntegerField()
    confirmed = serializers.IntegerField()
    updated_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)


# The schema says what the services refuse (submissions.rules.check_text), so a schema-valid text is
# never turned away: no control character anywhere, and a 案由 with something besides spaces.
_CONTROL = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
plain_text = RegexValidator(rf"^[^{_CONTROL}]*$", "含有无效字符 / holds an invalid character", code="invalid_character")
written_title = RegexValidator(rf"^[^{_CONTROL}]*[^\s{_CONTROL}][^{_CONTROL}]*$", "请填写案由 / a title is required",
                               code="title_required")


def _text(max_length: int, **kwargs):
    return serializers.CharField(max_length=max_length, allow_blank=True, validators=[plain_text], **kwargs)


def _title(**kwargs):
    return serializers.CharField(max_length=300, validators=[written_title],
                                 error_messages={"blank": "请填写案由", "required": "请填写案由"},
                                 help_text="案由：关于……的提案/建议/议案", **kwargs)


class DraftInputSerializer(StrictInputSerializer):
    kind = serializers.ChoiceField(choices=Draft.Kind.choices, required=False)
    title = _title(required=False)
    category = serializers.ChoiceField(choices=Proposal.Category.choices, required=False)
    analysis = _text(BODY_LIMIT, required=False, help_text="情况分析（人大：案据）")
    suggestions = _text(BODY_LIMIT, required=False, help_text="具体建议（人大：办法建议）")
    phone = _text(50, required=False, help_text="联系电话，仅提案办可见")
    address = _text(200, required=False, help_text="通信地址，仅提案办可见")


ID = {"min_value": 1, "max_value": 2**31 - 1}


class NewDraftInputSerializer(DraftInputSerializer):
    title = _title()
    meeting = serializers.IntegerField(help_text="会议 id（不存在时 404） / meeting id", **ID)


class InviteInputSerializer(StrictInputSerializer):
    members = serializers.ListField(child=serializers.IntegerField(**ID), allow_empty=False, min_length=1, max_length=200,
                                    help_text="被邀请的委员/代表 id（不存在时 404） / member ids")


class AnswerInputSerializer(StrictInputSerializer):
    confirm = serializers.BooleanField(help_text="true 确认，false 谢绝 / confirm or decline")


class AttachmentInputSerializer(StrictInputSerializer):
    file = serializers.FileField(help_text="PDF、Word、JPG、PNG，不超过10MB")


# --- views -------------------------------------------------------------------------------------


def _visible(request, pk: int) -> Draft:
    return get_object_or_404(access.drafts_visible_to(request.user).select_related("meeting", "author", "proposal"),
                             pk=pk)


def _own(request, pk: int) -> Draft:
    return get_object_or_404(access.drafts_of_author(request.user).select_related("meeting", "author", "proposal"),
                             pk=pk)


def _step(step, serializer=None):
    try:
        return step()
    except WorkflowError as error:
        raise from_workflow_error(error, input_fields=serializer.fields if serializer else ()) from error


class DraftList(ListAPIView):
    """The caller's drafts and submissions, newest change first."""

    permission_classes = [IsMember]
    serializer_class = DraftRowSerializer

    def get_queryset(self):
        return selectors.my_drafts(self.request.user)

    @extend_schema(summary="我的草稿与网上提交 / my drafts", tags=TAGS,
                   responses={200: DraftRowSerializer(many=True), **error_responses(400, 401, 403, 404)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(summary="起草 / new draft", tags=TAGS, request=NewDraftInputSerializer,
                   responses={201: DraftSerializer, **error_responses(400, 401, 403, 404)})
    def post(self, request):
        serializer = NewDraftInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["meeting"] = get_object_or_404(Meeting, pk=data["meeting"])
        draft = _step(lambda: services.create_draft(by=request.user, **data), serializer)
        return Response(DraftSerializer(draft, context={"request": request}).data, status=status.HTTP_201_CREATED)


class DraftDetail(APIView):
    permission_classes = [IsMember]

    @extend_schema(summary="一份草稿 / one draft", tags=TAGS,
                   responses={200: DraftSerializer, **error_responses(401, 403, 404)})
    def get(self, request, pk: int):
        return Response(DraftSerializer(_visible(request, pk), context={"request": request}).data)

    @extend_schema(summary="修改草稿 / edit a draft", tags=TAGS, request=DraftInputSerializer,
                   responses={200: DraftSerializer, **error_responses(400, 401, 403, 404, 409)})
    def patch(self, request, pk: int):
        serializer = DraftInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        draft = _own(request, pk)
        draft = _step(lambda: services.save_draft(draft=draft, by=request.user, **serializer.validated_data), serializer)
        return Response(DraftSerializer(draft, context={"request": request}).data)


class DraftAttachments(APIView):
    permission_classes = [IsMember]
    parser_classes = [MultiPartParser, ORJSONParser]

    @extend_schema(summary="上传附件 / attach a file", tags=TAGS, request=AttachmentInputSerializer,
                   responses={201: inline_serializer("AttachmentOut", {"id": serializers.IntegerField(),
                                                                      "name": serializers.CharField(),
                                                                      "size": serializers.IntegerField()}),
                              **error_responses(400, 401, 403, 404, 409)})
    def post(self, request, pk: int):
        # Unknown fields first (400), then whose draft (404), then the file itself (400).
        unknown = unknown_field_errors(request.data, AttachmentInputSerializer().fields)
        if unknown:
            raise ValidationError(unknown)
        draft = _own(request, pk)
        serializer = AttachmentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        _step(lambda: files.check_size(upload.size), serializer)
        attachment = _step(lambda: services.add_attachment(draft=draft, by=request.user, name=upload.name,
                                                           data=upload.read()), serializer)
        return Response({"id": attachment.pk, "name": attachment.name, "size": attachment.size},
                        status=status.HTTP_201_CREATED)


class DraftInvitations(APIView):
    permission_classes = [IsMember]

    @extend_schema(summary="邀请联名/附议 / invite co-proposers", tags=TAGS, request=InviteInputSerializer,
                   responses={200: DraftSerializer, **error_responses(400, 401, 403, 404, 409)})
    def post(self, request, pk: int):
        serializer = InviteInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        draft = _own(request, pk)
        wanted = list(dict.fromkeys(serializer.validated_data["members"]))
        members = list(Member.objects.filter(pk__in=wanted))
        if len(members) != len(wanted):
            raise Http404("members")
        _step(lambda: services.invite(draft=draft, members=members, by=request.user), serializer)
        return Response(DraftSerializer(_own(request, pk), context={"request": request}).data)


class DraftAnswer(APIView):
    permission_classes = [IsMember]

    @extend_schema(summary="确认或谢绝联名 / confirm or decline", tags=TAGS, request=AnswerInputSerializer,
                   responses={200: CoSignerSerializer, **error_responses(400, 401, 403, 404, 409)})
    def post(self, request, pk: int):
        serializer = AnswerInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        draft = _visible(request, pk)
        invitation = get_object_or_404(CoSigner, draft=draft, member=proposal_access.member_of(request.user))
        answered = _step(lambda: services.answer_invitation(cosigner=invitation, by=request.user,
                                                            confirm=serializer.validated_data["confirm"]))
        return Response(CoSignerSerializer(answered).data)


SubmittedSerializer = inline_serializer("Submitted", {
    "proposal": serializers.IntegerField(), "number": serializers.CharField(), "status": serializers.CharField()})


def _registered(proposal) -> Response:
    return Response({"proposal": proposal.pk, "number": proposal.number, "status": proposal.status})


class DraftSubmit(APIView):
    permission_classes = [IsMember]

    @extend_schema(summary="提交 / submit", tags=TAGS, request=None,
                   responses={200: SubmittedSerializer, **error_responses(400, 401, 403, 404, 409)})
    def post(self, request, pk: int):
        """Registers the draft as 待审查 (网上提交); a repeated request returns the same proposal."""
        refuse_any_input(request)
        draft = _own(request, pk)
        return _registered(_step(lambda: services.submit(draft=draft, by=request.user)))


class DraftWithdraw(APIView):
    permission_classes = [IsMember]

    @extend_schema(summary="撤回 / withdraw before review", tags=TAGS, request=None,
                   responses={200: SubmittedSerializer, **error_responses(400, 401, 403, 404, 409)})
    def post(self, request, pk: int):
        refuse_any_input(request)
        draft = _own(request, pk)
        return _registered(_step(lambda: services.withdraw(draft=draft, by=request.user)))


class DraftSimilar(APIView):
    permission_classes = [IsMember]

    @extend_schema(summary="相似的提案/建议 / similar proposals", tags=TAGS,
                   responses={200: inline_serializer("SimilarRow", {
                       "proposal": serializers.IntegerField(), "meeting": serializers.CharField(),
                       "number": serializers.CharField(), "title": serializers.CharField(),
                       "status": serializers.CharField(), "status_label": serializers.CharField(),
                       "lead_agency": serializers.CharField(), "public_reply": serializers.IntegerField(allow_null=True),
                   }, many=True), **error_responses(401, 403, 404)})
    def get(self, request, pk: int):
        draft = _visible(request, pk)
        rows = similar_for(draft, request.user) if draft.title else []
        return Response([{
            "proposal": row.similar.proposal.pk, "meeting": row.similar.proposal.meeting.short_name,
            "number": row.similar.proposal.number, "title": row.similar.proposal.title,
            "status": row.similar.proposal.status, "status_label": row.similar.proposal.get_status_display(),
            "lead_agency": row.similar.lead_agency, "public_reply": row.public_reply_id,
        } for row in rows])
