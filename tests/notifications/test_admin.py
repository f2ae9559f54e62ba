"""The admin: clerks see what was sent and what failed and can send again; each user reads their own."""

import datetime as dt

import pytest
from django.urls import reverse

from notifications import sending
from notifications.admin import proposal_notifications_link
from notifications.models import Notification
from notifications.planning import plan_notifications

pytestmark = pytest.mark.django_db
State = Notification.State


@pytest.fixture
def delivered(stages, due, clerk):
    """Two assignments reminded 7 days ahead; every row sent, one email failed for good."""
    first, second = due(dt.date(2026, 6, 10)), due(dt.date(2026, 6, 10))
    plan_notifications(today=dt.date(2026, 6, 3))
    for row in Notification.objects.all():
        sending.send_notification(notification_id=row.pk)
    failed = Notification.objects.filter(channel="email", proposal=second.proposal).get()
    Notification.objects.filter(pk=failed.pk).update(state=State.FAILED, last_error="SMTP 550 no such mailbox")
    return {"first": first, "second": second, "failed": failed}


def test_my_notifications_lists_only_the_users_own(client, delivered, agency_staff, other_agency_staff):
    client.force_login(other_agency_staff)
    response = client.get(reverse("admin:notifications_mynotification_changelist"))
    assert response.status_code == 200 and "答复期限还有7天" not in response.content.decode()
    mine = Notification.objects.filter(recipient=agency_staff).first()
    assert client.get(reverse("admin:notifications_mynotification_change", args=[mine.pk])).status_code in (302, 404)

    client.force_login(agency_staff)
    page = client.get(reverse("admin:notifications_mynotification_changelist")).content.decode()
    assert page.count('class="action-select"') == 2 and "答复期限还有7天" in page and "未读 2 条" in page


def test_user_marks_notifications_read_from_the_list(client, delivered, agency_staff):
    client.force_login(agency_staff)
    ids = list(Notification.objects.filter(recipient=agency_staff).values_list("pk", flat=True))
    response = client.post(reverse("admin:notifications_mynotification_changelist"),
                           {"action": "mark_read", "_selected_action": ids}, follow=True)
    assert "已将 2 条消息标记为已读" in response.content.decode()
    assert not Notification.objects.filter(recipient=agency_staff, read_at__isnull=True).exists()


def test_opening_a_notification_marks_it_read(client, delivered, agency_staff):
    client.force_login(agency_staff)
    mine, other = Notification.objects.filter(recipient=agency_staff)[:2]

    page = client.get(reverse("admin:notifications_mynotification_change", args=[mine.pk]))

    assert page.status_code == 200
    mine.refresh_from_db(), other.refresh_from_db()
    assert mine.read_at is not None and other.read_at is None
    assert "未读 1 条" in client.get(reverse("admin:notifications_mynotification_changelist")).content.decode()


def test_the_read_button_still_marks_read_by_post_only(client, delivered, agency_staff):
    client.force_login(agency_staff)
    mine = Notification.objects.filter(recipient=agency_staff).first()
    read_url = reverse("admin:notifications_mynotification_read", args=[mine.pk])
    assert client.get(read_url).status_code == 405
    response = client.post(read_url, follow=True)
    assert "已标记为已读" in response.content.decode()
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_opening_another_users_notification_leaves_it_unread(client, delivered, agency_staff, other_agency_staff):
    mine = Notification.objects.filter(recipient=agency_staff).first()
    client.force_login(other_agency_staff)
    client.get(reverse("admin:notifications_mynotification_change", args=[mine.pk]))
    mine.refresh_from_db()
    assert mine.read_at is None


def test_nobody_marks_another_users_notification_read(client, delivered, agency_staff, other_agency_staff):
    mine = Notification.objects.filter(recipient=agency_staff).first()
    client.force_login(other_agency_staff)
    response = client.post(reverse("admin:notifications_mynotification_read", args=[mine.pk]))
    assert response.status_code in (302, 404)
    mine.refresh_from_db()
    assert mine.read_at is None


def test_clerk_sees_failed_notifications_with_their_error(client, delivered, clerk, django_assert_max_num_queries):
    client.force_login(clerk)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("admin:notifications_failednotification_changelist")).content.decode()
    assert "SMTP 550 no such mailbox" in page and page.count('class="action-select"') == 1


def test_clerk_sends_again_from_the_admin(client, delivered, clerk, django_capture_on_commit_callbacks):
    client.force_login(clerk)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("admin:notifications_failednotification_changelist"),
                               {"action": "send_again", "_selected_action": [delivered["failed"].pk]}, follow=True)
    assert "已安排重新发送 1 条通知" in response.content.decode()
    assert Notification.objects.get(pk=delivered["failed"].pk).state == State.PLANNED


def test_clerk_lists_the_notifications_about_one_proposal(client, delivered, clerk):
    client.force_login(clerk)
    proposal = delivered["first"].proposal
    url = reverse("admin:notifications_notification_changelist") + f"?proposal={proposal.pk}"
    page = client.get(url).content.decode()
    assert f"第{proposal.number}号" in page and f"第{delivered['second'].proposal.number}号" not in page
    assert f"?proposal={proposal.pk}" in proposal_notifications_link(proposal)


def test_agency_staff_cannot_see_everyones_notifications(client, delivered, agency_staff):
    client.force_login(agency_staff)
    assert client.get(reverse("admin:notifications_notification_changelist")).status_code == 403


def test_clerk_edits_the_reminder_stages(client, stages, clerk):
    client.force_login(clerk)
    assert client.get(reverse("admin:notifications_stage_changelist")).status_code == 200
