"""GET /api/v1/notifications/ and POST /api/v1/notifications/{id}/read/: the caller's own inbox."""

from __future__ import annotations

import pytest
from django.utils import timezone

from notifications.models import Kind, Notification
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db


def in_app(user, proposal, *, key, subject="您的提案已交办", read=False) -> Notification:
    now = timezone.now()
    return Notification.objects.create(
        key=key, kind=Kind.ASSIGNED, stage_text="交办通知", channel=Notification.Channel.IN_APP, recipient=user,
        subject=subject, body="请留意办理进度。", proposal=proposal, state=Notification.State.SENT, sent_at=now,
        read_at=now if read else None,
    )


@pytest.fixture
def inbox(member_user, proposal):
    return [in_app(member_user, proposal, key=f"assigned:{proposal.pk}:m{member_user.pk}:{n}", read=n == 2)
            for n in range(3)]


def test_the_member_lists_their_notifications_newest_first(api, inbox, outsider, proposal):
    in_app(outsider, proposal, key="someone-else", subject="别人的通知")
    body = api.get("/api/v1/notifications/").json()
    assert body["count"] == 3
    assert [item["id"] for item in body["results"]] == [n.pk for n in reversed(inbox)]
    first = body["results"][0]
    assert (first["kind_label"], first["proposal"], first["proposal_title"]) == ("交办通知", proposal.pk, proposal.title)
    assert "别人的通知" not in str(body)


def test_the_unread_filter(api, inbox):
    unread = api.get("/api/v1/notifications/?unread=true").json()["results"]
    assert {item["id"] for item in unread} == {inbox[0].pk, inbox[1].pk}
    assert api.get("/api/v1/notifications/?unread=maybe").status_code == 400
    assert api.get("/api/v1/notifications/?unread=").status_code == 400


def test_marking_read_goes_through_the_service_and_is_idempotent(api, inbox):
    response = api.post(f"/api/v1/notifications/{inbox[0].pk}/read/")
    assert response.status_code == 200 and response.json() == {"marked": 1}
    inbox[0].refresh_from_db()
    assert inbox[0].read_at is not None
    assert api.post(f"/api/v1/notifications/{inbox[0].pk}/read/").json() == {"marked": 0}
    assert api.get(f"/api/v1/notifications/{inbox[0].pk}/").json()["is_read"] is True


def test_another_users_notification_answers_404(inbox, outsider):
    client = client_for(outsider)
    for method, path in (("get", "/"), ("post", "/read/")):
        theirs = getattr(client, method)(f"/api/v1/notifications/{inbox[0].pk}{path}")
        missing = getattr(client, method)(f"/api/v1/notifications/987654321{path}")
        assert theirs.status_code == missing.status_code == 404 and theirs.content == missing.content
    inbox[0].refresh_from_db()
    assert inbox[0].read_at is None
