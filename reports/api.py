"""GET /api/v1/public/figures/?meeting=ID: a published meeting's headline figures, for anyone."""

from __future__ import annotations

from django import forms
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from reports.public import public_headline
from tracker.api import StrictIntegerField, check_query_parameters, error_responses, in_language, query_form_error


class DefinitionSerializer(serializers.Serializer):
    label = serializers.CharField(help_text="指标名称 / the figure's name")
    definition = serializers.CharField(help_text="口径:分子、分母、不计入的情形 / what it counts")


class HeadlineSerializer(serializers.Serializer):
    received = serializers.IntegerField(help_text="收到件数")
    accepted = serializers.IntegerField(help_text="立案件数")
    accepted_rate = serializers.FloatField(allow_null=True, help_text="立案率 (0-1)")
    merged = serializers.IntegerField(help_text="并案件数")
    not_accepted = serializers.IntegerField(help_text="不予立案件数")
    proposals_assigned = serializers.IntegerField(help_text="交办件数(按件)")
    assigned = serializers.IntegerField(help_text="交办数(主办、分办)")
    replied = serializers.IntegerField(help_text="办复数")
    replied_rate = serializers.FloatField(allow_null=True, help_text="办复率 (0-1)")
    replied_on_time = serializers.IntegerField(help_text="按期办复数")
    on_time_rate = serializers.FloatField(allow_null=True, help_text="按期办复率 (0-1)")
    met_in_person_rate = serializers.FloatField(allow_null=True, help_text="见面率 (0-1)")
    satisfied_attitude_rate = serializers.FloatField(allow_null=True, help_text="办理态度满意率 (0-1)")
    satisfied_result_rate = serializers.FloatField(allow_null=True, help_text="办理结果满意率 (0-1)")
    rehandled = serializers.IntegerField(help_text="重新办理件数")


class CategoryCountSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class PublicFiguresSerializer(serializers.Serializer):
    meeting = serializers.IntegerField()
    meeting_name = serializers.CharField()
    year = serializers.IntegerField()
    published_on = serializers.DateField()
    as_of = serializers.DateField(help_text="统计日 / counted on")
    figures = HeadlineSerializer()
    category_split = CategoryCountSerializer(many=True)
    definitions = serializers.DictField(child=DefinitionSerializer())


class MeetingQuery(forms.Form):
    meeting = StrictIntegerField(min_value=1, max_value=2**31 - 1)


class PublicFigures(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        summary="公开的办理情况统计 / a meeting's published headline figures", tags=["public"], auth=[],
        parameters=[OpenApiParameter(
            "meeting", {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}, required=True,
            description="会议编号 / meeting id")],
        responses={200: PublicFiguresSerializer, **error_responses(400, 404)},
    )
    def get(self, request):
        check_query_parameters(request.query_params, MeetingQuery.base_fields)
        query = MeetingQuery(request.query_params)
        if not query.is_valid():
            fields = {name: [str(m) for m in messages] for name, messages in query.errors.items()}
            if "meeting" in fields and not request.query_params.get("meeting", "").strip():
                fields["meeting"] = [in_language("请指定会议", "Give a meeting id.")]
            raise query_form_error(fields)
        return Response(PublicFiguresSerializer(public_headline(query.cleaned_data["meeting"])).data)
