"""The caller's in-app notifications (站内消息) over the API: the inbox, one notification, read/unread.

Routed by notifications/urls.py (a router: notifications/, notifications/{id}/, …/read/, …/unread/),
which tracker/urls.py mounts under api/v1/. Reads go through notifications.selectors.inbox_for and
the writes through notifications.services.mark_read / mark_unread, all of which see only the
caller's own rows: anyone else's notification answers 404.
"""

from __future__ import annotations

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from notifications.models import Kind, Notification
from notifications.selectors import inbox_for
from notifications.services import mark_read, mark_unread
from tracker.api import ChoiceLabelField, StrictBooleanFilter, error_responses, refuse_any_input


class NotificationSerializer(serializers.ModelSerializer):
    kind_label = ChoiceLabelField(Kind.choices, source="kind")
    proposal_number = serializers.CharField(source="proposal.number", allow_null=True, default=None)
    proposal_title = serializers.CharField(source="proposal.title", allow_null=True, default=None)
    is_read = serializers.BooleanField()

    class Meta:
        model = Notification
        fields = [
            "id", "kind", "kind_label", "subject", "body", "link", "proposal", "proposal_number", "proposal_title",
            "sent_at", "read_at", "is_read",
        ]


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="本次改变的条数（已是该状态则为0） / rows changed (0: already so)")


class NotificationFilter(filters.FilterSet):
    unread = StrictBooleanFilter(field_name="read_at", lookup_expr="isnull", label="只看未读 / unread only")

    class Meta:
        model = Notification
        fields = []


@extend_schema_view(
    list=extend_schema(
        summary="我的消息 / my notifications",
        responses={200: NotificationSerializer(many=True), **error_responses(400, 401, 404)},
    ),
    retrieve=extend_schema(
        summary="一条消息 / one notification", responses={200: NotificationSerializer, **error_responses(401, 404)}
    ),
)
@extend_schema(tags=["notifications"])
class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The caller's in-app notifications, newest first."""

    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter

    def get_queryset(self):
        return inbox_for(self.request.user)

    def _mark(self, service):
        refuse_any_input(self.request)
        notification = self.get_object()  # 404 unless it is in the caller's inbox
        return Response({"marked": service(user=self.request.user, notification_ids=[notification.pk])})

    @extend_schema(
        summary="标为已读 / mark read", request=None, responses={200: MarkedSerializer, **error_responses(400, 401, 404)}
    )
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        return self._mark(mark_read)

    @extend_schema(
        summary="标为未读 / mark unread", request=None, responses={200: MarkedSerializer, **error_responses(400, 401, 404)}
    )
    @action(detail=True, methods=["post"])
    def unread(self, request, pk=None):
        return self._mark(mark_unread)
