"""Sending: claim once, deliver, record; retry what may work later; fail visibly what never will."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from notifications import selectors, sending, services
from notifications.backends import message_id_for
from tests.chaos import SmtpSink
from notifications.models import Notification
from notifications.planning import plan_notifications
from tracker.errors import PermissionRefused

pytestmark = pytest.mark.django_db
State = Notification.State


@pytest.fixture
def planned(stages, due):
    """The 7-day reminder of one assignment: one in-app row and one email row."""
    due(dt.date(2026, 6, 10))
    plan_notifications(today=dt.date(2026, 6, 3))
    return {row.channel: row for row in Notification.objects.all()}


@pytest.fixture
def smtp(settings):
    sink = SmtpSink().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", sink.port, 5
    yield sink
    sink.stop()


def test_in_app_notification_is_sent_into_the_users_inbox(planned, agency_staff):
    assert sending.send_notification(notification_id=planned["in_app"].pk) == "sent"
    row = Notification.objects.get(pk=planned["in_app"].pk)
    assert row.state == State.SENT and row.attempts == 1 and row.sent_at
    assert list(selectors.inbox_for(agency_staff)) == [row]


def test_email_carries_a_message_id_derived_from_the_natural_key(planned):
    assert sending.send_notification(notification_id=planned["email"].pk) == "sent"
    [message] = mail.outbox
    row = Notification.objects.get(pk=planned["email"].pk)
    assert message.extra_headers["Message-ID"] == message_id_for(row.key) == row.message_id
    assert message.to == [row.address] and row.link in message.body


def test_a_notification_is_sent_once_however_often_its_task_runs(planned):
    outcomes = [sending.send_notification(notification_id=planned["email"].pk) for _ in range(3)]
    assert outcomes == ["sent", "skipped", "skipped"] and len(mail.outbox) == 1


def test_email_reaches_a_real_smtp_server(planned, smtp):
    assert sending.send_notification(notification_id=planned["email"].pk) == "sent"
    assert smtp.snapshot() == {message_id_for(planned["email"].key): 1}


def test_smtp_refusing_for_a_while_is_retried_with_backoff(planned, smtp, settings, django_capture_on_commit_callbacks):
    smtp.refuse_for(60)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert sending.send_notification(notification_id=planned["email"].pk) == "retry"
    row = Notification.objects.get(pk=planned["email"].pk)
    assert row.state == State.PLANNED and row.attempts == 1 and "451" in row.last_error
    assert row.next_attempt_at >= timezone.now() + dt.timedelta(seconds=settings.NOTIFICATION_RETRY_BASE - 5)
    assert len(callbacks) == 1  # the retry is enqueued, with its countdown, after commit
    assert sending.send_notification(notification_id=row.pk) == "skipped"  # not before its time


def test_retry_delay_doubles_up_to_the_cap(settings):
    settings.NOTIFICATION_RETRY_BASE, settings.NOTIFICATION_RETRY_MAX = 60, 600
    assert [sending.retry_delay(n) for n in (1, 2, 3, 4, 5)] == [60, 120, 240, 480, 600]


def test_address_the_server_rejects_fails_for_good_and_is_visible(planned, smtp):
    Notification.objects.filter(pk=planned["email"].pk).update(address="bounce@example.org")
    assert sending.send_notification(notification_id=planned["email"].pk) == "failed"
    row = selectors.failed_notifications().get()
    assert row.pk == planned["email"].pk and "550" in row.last_error


def test_transient_errors_fail_for_good_after_the_last_attempt(planned, smtp, settings):
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    smtp.refuse_for(60)
    Notification.objects.filter(pk=planned["email"].pk).update(attempts=1)
    assert sending.send_notification(notification_id=planned["email"].pk) == "failed"
    row = Notification.objects.get(pk=planned["email"].pk)
    assert row.state == State.FAILED and "已尝试2次" in row.last_error


def test_claim_older_than_the_lease_is_taken_back_and_counted_in_doubt(planned, settings):
    now = timezone.now()
    stale, fresh = planned["email"], planned["in_app"]
    Notification.objects.filter(pk=stale.pk).update(state=State.SENDING, claimed_at=now - dt.timedelta(hours=1))
    Notification.objects.filter(pk=fresh.pk).update(state=State.SENDING, claimed_at=now)
    assert sending.reclaim_abandoned(now=now) == 1
    stale.refresh_from_db(), fresh.refresh_from_db()
    assert (stale.state, stale.reclaims) == (State.PLANNED, 1) and fresh.state == State.SENDING


def test_a_worker_whose_claim_was_taken_back_does_not_overwrite_the_row(planned):
    claimed_at = sending._claim(planned["email"].pk)
    Notification.objects.filter(pk=planned["email"].pk).update(claimed_at=claimed_at + dt.timedelta(seconds=1))
    assert sending._record_sent(planned["email"].pk, claimed_at, "<x@y>") is False
    assert Notification.objects.get(pk=planned["email"].pk).state == State.SENDING


def test_dispatch_enqueues_each_due_row_once_until_it_goes_missing(planned, settings,
                                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        assert sending.dispatch_due() == 2
        assert sending.dispatch_due() == 0  # on its way: no second message
        later = timezone.now() + dt.timedelta(seconds=settings.NOTIFICATION_NUDGE_AFTER + 1)
        assert sending.dispatch_due(now=later) == 2  # its message was lost: enqueued again


def test_clerk_sends_a_failed_notification_again(planned, clerk, django_capture_on_commit_callbacks):
    Notification.objects.filter(pk=planned["email"].pk).update(state=State.FAILED, last_error="550", attempts=6)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert services.resend_notifications(notification_ids=[planned["email"].pk, planned["in_app"].pk], by=clerk) == 1
    assert len(callbacks) == 1
    row = Notification.objects.get(pk=planned["email"].pk)
    assert (row.state, row.attempts) == (State.PLANNED, 0)


def test_only_a_clerk_may_send_again(planned, agency_staff):
    with pytest.raises(PermissionRefused):
        services.resend_notifications(notification_ids=[planned["email"].pk], by=agency_staff)


def test_user_marks_only_their_own_notifications_read(planned, agency_staff, other_agency_staff):
    sending.send_notification(notification_id=planned["in_app"].pk)
    assert services.mark_read(user=other_agency_staff, notification_ids=[planned["in_app"].pk]) == 0
    assert services.mark_read(user=agency_staff, notification_ids=[planned["in_app"].pk]) == 1
    assert selectors.unread_count(agency_staff) == 0
