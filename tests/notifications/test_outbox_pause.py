"""After a restore the outbox is paused: nothing goes out until a clerk has released or dropped
what the restored database would send again, then resumed sending."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from notifications import selectors, sending, services
from notifications.models import Notification, OutboxPause
from notifications.planning import plan_notifications
from tracker.errors import PermissionRefused, WorkflowError

pytestmark = pytest.mark.django_db
State = Notification.State


@pytest.fixture
def planned(stages, due):
    """The 7-day reminder of one assignment: one in-app row and one email row."""
    due(dt.date(2026, 6, 10))
    plan_notifications(today=dt.date(2026, 6, 3))
    return {row.channel: row for row in Notification.objects.all()}


@pytest.fixture
def paused(planned):
    return services.pause_outbox(reason="从备份 tracker-20260601-023000.tar 恢复数据库",
                                 archive_taken_at=timezone.now() - dt.timedelta(days=2))


def states(*rows) -> list[str]:
    return [Notification.objects.get(pk=row.pk).state for row in rows]


def test_a_paused_outbox_sends_nothing_and_enqueues_nothing(planned, paused):
    assert sending.dispatch_due() == 0
    assert [sending.send_notification(notification_id=row.pk) for row in planned.values()] == ["skipped"] * 2
    assert states(*planned.values()) == [State.PLANNED] * 2 and not mail.outbox
    assert {planned["in_app"].pk, planned["email"].pk} <= set(selectors.held_notifications().values_list("pk", flat=True))


def test_a_released_notice_goes_out_while_the_rest_stay_held(planned, paused, clerk):
    assert services.release_held_notifications(notification_ids=[planned["email"].pk], by=clerk) == 1
    assert sending.send_notification(notification_id=planned["email"].pk) == "sent"
    assert sending.send_notification(notification_id=planned["in_app"].pk) == "skipped"
    assert states(planned["email"], planned["in_app"]) == [State.SENT, State.PLANNED] and len(mail.outbox) == 1


def test_a_dropped_notice_never_goes_out_nor_is_planned_again(planned, paused, clerk):
    held = list(selectors.held_notifications().values_list("pk", flat=True))
    assert services.drop_held_notifications(notification_ids=held, by=clerk) == len(held)
    services.resume_outbox(by=clerk)
    assert plan_notifications(today=dt.date(2026, 6, 3)) == 0
    assert sending.send_notification(notification_id=planned["email"].pk) == "skipped"
    row = Notification.objects.get(pk=planned["email"].pk)
    assert row.state == State.DROPPED and clerk.username in row.last_error and not mail.outbox


def test_resuming_is_refused_while_notices_still_wait(planned, paused, clerk):
    with pytest.raises(WorkflowError, match="待确认"):
        services.resume_outbox(by=clerk)
    assert OutboxPause.objects.get().is_open


def test_after_resuming_the_outbox_sends_as_before(planned, paused, clerk):
    held = list(selectors.held_notifications().values_list("pk", flat=True))
    services.release_held_notifications(notification_ids=held, by=clerk)
    services.resume_outbox(by=clerk)
    assert selectors.open_outbox_pause() is None
    later = plan_notifications(today=dt.date(2026, 6, 9))  # a notice planned after the pause ended
    assert later and not selectors.held_notifications().exists()
    assert sending.send_notification(notification_id=planned["in_app"].pk) == "sent"


def test_only_clerks_release_drop_or_resume(planned, paused, agency_staff):
    for service in (services.release_held_notifications, services.drop_held_notifications):
        with pytest.raises(PermissionRefused):
            service(notification_ids=[planned["email"].pk], by=agency_staff)
    with pytest.raises(PermissionRefused):
        services.resume_outbox(by=agency_staff)
    assert states(*planned.values()) == [State.PLANNED] * 2


def test_a_claim_carried_over_in_the_archive_is_held_as_possibly_sent(planned):
    Notification.objects.filter(pk=planned["email"].pk).update(state=State.SENDING, claimed_at=timezone.now())
    services.pause_outbox(reason="恢复")
    row = Notification.objects.get(pk=planned["email"].pk)
    assert row.state == State.PLANNED and row.reclaims == 1 and "可能已发出" in row.last_error
    assert selectors.held_notifications().filter(pk=row.pk).exists()


def test_pausing_twice_keeps_one_pause(planned):
    first = services.pause_outbox(reason="恢复")
    assert services.pause_outbox(reason="再次恢复") == first and OutboxPause.objects.count() == 1


def test_the_admin_start_page_says_loudly_that_sending_is_paused(planned, paused, client, clerk):
    client.force_login(clerk)
    page = client.get(reverse("admin:index")).content.decode()
    assert "通知发送已暂停" in page and "待确认" in page
    services.drop_held_notifications(notification_ids=selectors.held_notifications().values_list("pk", flat=True),
                                     by=clerk)
    assert "待确认的通知均已处理，请恢复发送" in client.get(reverse("admin:index")).content.decode()
    services.resume_outbox(by=clerk)
    assert "通知发送已暂停" not in client.get(reverse("admin:index")).content.decode()


def test_clerk_lists_held_notices_and_releases_them_from_the_admin(planned, paused, client, clerk,
                                                                    django_assert_max_num_queries):
    client.force_login(clerk)
    url = reverse("admin:notifications_heldnotification_changelist")
    with django_assert_max_num_queries(20):
        page = client.get(url).content.decode()
    assert planned["email"].subject in page
    response = client.post(url, {"action": "release_selected", "_selected_action": [planned["email"].pk]},
                           follow=True)
    assert "已放行 1 条通知" in response.content.decode()
    assert not selectors.held_notifications().filter(pk=planned["email"].pk).exists()


def test_clerk_resumes_sending_from_the_admin_once_nothing_waits(paused, client, clerk):
    services.drop_held_notifications(notification_ids=selectors.held_notifications().values_list("pk", flat=True),
                                     by=clerk)
    client.force_login(clerk)
    url = reverse("admin:notifications_outboxpause_changelist")
    response = client.post(url, {"action": "resume", "_selected_action": [paused.pk]}, follow=True)
    assert "已恢复发送通知" in response.content.decode() and selectors.open_outbox_pause() is None


def test_other_admin_pages_keep_their_query_counts_while_paused(paused, client, clerk):
    client.force_login(clerk)
    page = client.get(reverse("admin:proposals_proposal_changelist")).content.decode()
    assert "通知发送已暂停" not in page
