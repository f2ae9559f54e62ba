"""The API lists a user's own in-app notifications, with read and unread."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from notifications import sending
from notifications.models import Notification
from notifications.planning import plan_notifications

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbox(stages, due, agency_staff):
    due(dt.date(2026, 6, 10))
    plan_notifications(today=dt.date(2026, 6, 3))
    row = Notification.objects.get(channel="in_app", recipient=agency_staff)
    sending.send_notification(notification_id=row.pk)
    return row


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_user_lists_their_unread_notifications(inbox, agency_staff, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = _client(agency_staff).get("/api/v1/notifications/?unread=1")
    assert response.status_code == 200
    [item] = response.json()["results"]
    assert item["id"] == inbox.pk and item["is_read"] is False and "还有7天" in item["subject"]


def test_user_marks_a_notification_read(inbox, agency_staff):
    client = _client(agency_staff)
    assert client.post(f"/api/v1/notifications/{inbox.pk}/read/").json() == {"marked": 1}
    assert client.get("/api/v1/notifications/?unread=1").json()["results"] == []
    assert client.post(f"/api/v1/notifications/{inbox.pk}/unread/").json() == {"marked": 1}


def test_another_users_notification_answers_404(inbox, other_agency_staff):
    client = _client(other_agency_staff)
    assert client.get(f"/api/v1/notifications/{inbox.pk}/").status_code == 404
    assert client.post(f"/api/v1/notifications/{inbox.pk}/read/").status_code == 404
    assert client.get("/api/v1/notifications/").json()["results"] == []
