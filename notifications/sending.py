"""Sending: claim a planned row, deliver it, record the outcome (docs/domain.md, notices and reminders).

The claim is a conditional UPDATE (`planned → sending` with a claim time): only the process whose
UPDATE touched the row sends it (healthchecks' sendalerts). Unlike a mark-before-send, the row
keeps its state until the outcome is recorded (pretix's outbox), so a worker killed while holding
it leaves it `sending`, and the next sweep takes a claim older than the lease as abandoned and
sends again. In-app delivery is a write in the claim's own transaction: exactly once. Email is
handed to the SMTP server and recorded straight after, with nothing in between, so only a crash
in that instant repeats a mail, with the same Message-ID; `reclaims` counts those in doubt.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from notifications import relevance, selectors
from notifications.backends import PermanentSendError, TransientSendError, backend_for
from notifications.models import Notification

SEND_TASK = "notifications.send"

log = logging.getLogger(__name__)
State = Notification.State


def send_notification(*, notification_id: int) -> str:
    """Send one notification if it is still planned and due. Returns what happened:
    "sent", "retry" (transient error, planned again with backoff), "failed" (for good),
    "dropped" (its reason has passed: notifications.relevance) or "skipped" (someone else holds
    or finished it, its time has not come, or it waits for its recipient's daily digest)."""
    notification = Notification.objects.filter(pk=notification_id).first()
    if notification is None or notification.state != State.PLANNED or notification.digest:
        return "skipped"
    try:
        backend = backend_for(notification.channel)
    except PermanentSendError as error:
        claimed_at = _claim(notification_id)
        if claimed_at is None:
            return "skipped"
        _record_failure(notification_id, claimed_at, str(error))
        return "failed"

    if backend.transactional:
        with transaction.atomic():
            claimed_at = _claim(notification_id)
            if claimed_at is None:
                return "skipped"
            if drop_if_stale(notification, claimed_at):
                return "dropped"
            message_id = backend.deliver(notification)
            _record_sent(notification_id, claimed_at, message_id)
        return "sent"

    # The claim commits on its own (autocommit), so every other worker sees `sending` at once.
    claimed_at = _claim(notification_id)
    if claimed_at is None:
        return "skipped"
    if drop_if_stale(notification, claimed_at):
        return "dropped"
    attempts = notification.attempts + 1
    try:
        message_id = backend.deliver(notification)
    except TransientSendError as error:
        return _record_retry(notification_id, claimed_at, attempts, str(error))
    except PermanentSendError as error:
        _record_failure(notification_id, claimed_at, str(error))
        return "failed"
    except Exception as error:
        # A fault we did not foresee: keep it on the row for the clerk, retry with backoff, and
        # let it propagate so the worker logs the traceback.
        _record_retry(notification_id, claimed_at, attempts, f"{type(error).__name__}: {error}")
        raise
    # Nothing between the hand-off above and this record: that instant is the only window in
    # which a crash repeats the mail.
    if not _record_sent(notification_id, claimed_at, message_id):
        log.warning("notification %s: sent, but its claim had been taken as abandoned", notification_id)
    return "sent"


def _claim(notification_id: int) -> dt.datetime | None:
    now = timezone.now()
    # A row held by an outbox pause (after a restore) is never claimed: the guard is in the UPDATE.
    touched = Notification.objects.filter(
        selectors.not_held_by_pause(), pk=notification_id, state=State.PLANNED, next_attempt_at__lte=now
    ).update(state=State.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    return now if touched else None


def drop_if_stale(notification: Notification, claimed_at: dt.datetime) -> bool:
    """Under our claim: record the notice as dropped, with why, when its reason has passed."""
    reason = relevance.reason_passed(notification)
    if reason is None:
        return False
    _mine(notification.pk, claimed_at).update(state=State.DROPPED, last_error=f"未发送：{reason}")
    return True


def _mine(notification_id: int, claimed_at: dt.datetime):
    """The row, if it is still under our claim (a lease may have passed it to another worker)."""
    return Notification.objects.filter(pk=notification_id, state=State.SENDING, claimed_at=claimed_at)


def _record_sent(notification_id: int, claimed_at: dt.datetime, message_id: str) -> bool:
    return bool(_mine(notification_id, claimed_at).update(
        state=State.SENT, sent_at=timezone.now(), message_id=message_id, last_error=""
    ))


def _record_failure(notification_id: int, claimed_at: dt.datetime, error: str) -> None:
    log.warning("notification %s failed for good: %s", notification_id, error)
    _mine(notification_id, claimed_at).update(state=State.FAILED, last_error=error[:2000])


def retry_delay(attempts: int) -> int:
    """Seconds before the next try: doubling from NOTIFICATION_RETRY_BASE, capped."""
    return min(settings.NOTIFICATION_RETRY_BASE * 2 ** max(attempts - 1, 0), settings.NOTIFICATION_RETRY_MAX)


def _record_retry(notification_id: int, claimed_at: dt.datetime, attempts: int, error: str) -> str:
    if attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
        _record_failure(notification_id, claimed_at, f"已尝试{attempts}次 / after {attempts} attempts: {error}")
        return "failed"
    delay = retry_delay(attempts)
    retry_at = timezone.now() + dt.timedelta(seconds=delay)
    # enqueued_at = retry_at: the countdown message below carries it; the sweep steps in only if
    # that message is lost.
    if _mine(notification_id, claimed_at).update(
        state=State.PLANNED, claimed_at=None, next_attempt_at=retry_at, enqueued_at=retry_at, last_error=error[:2000]
    ):
        enqueue_sending([notification_id], countdown=delay)
    return "retry"


# --- the sweep's share: give abandoned claims back, nudge what waits --------------------------


def reclaim_abandoned(*, now: dt.datetime | None = None) -> int:
    """Take claims older than the lease as abandoned: plan them again (or fail them, when they
    have used up their attempts). Returns how many were taken back."""
    now = now or timezone.now()
    stale = selectors.abandoned_claims(claimed_before=now - dt.timedelta(seconds=settings.NOTIFICATION_CLAIM_LEASE))
    failed = stale.filter(attempts__gte=settings.NOTIFICATION_MAX_ATTEMPTS).update(
        state=State.FAILED, reclaims=F("reclaims") + 1,
        last_error="发送多次中断（认领超时）/ abandoned while sending too many times",
    )
    replanned = stale.update(
        state=State.PLANNED, claimed_at=None, next_attempt_at=now, enqueued_at=None, reclaims=F("reclaims") + 1,
        last_error="发送中断（认领超时），重新发送 / claim abandoned, sending again",
    )
    if failed or replanned:
        log.warning("notifications: %s abandoned claims planned again, %s failed", replanned, failed)
    return failed + replanned


def dispatch_due(*, now: dt.datetime | None = None) -> int:
    """Enqueue a send task for every planned row that is due and not already on its way.

    Rows are taken in batches under SKIP LOCKED, so two sweeps at once share the work instead of
    both enqueuing it; a row enqueued more than NOTIFICATION_NUDGE_AFTER ago whose message was
    lost (Redis restarted empty, a worker killed) is enqueued again. Returns how many.
    """
    now = now or timezone.now()
    nudged_before = now - dt.timedelta(seconds=settings.NOTIFICATION_NUDGE_AFTER)
    total = 0
    while True:
        with transaction.atomic():
            ids = list(
                selectors.due_for_dispatch(now=now, nudged_before=nudged_before)
                .order_by("next_attempt_at", "pk").select_for_update(skip_locked=True)
                .values_list("pk", flat=True)[: settings.NOTIFICATION_BATCH_SIZE]
            )
            if not ids:
                return total
            Notification.objects.filter(pk__in=ids).update(enqueued_at=now)
            enqueue_sending(ids)
        total += len(ids)
        if len(ids) < settings.NOTIFICATION_BATCH_SIZE:
            return total


def enqueue_sending(ids: Iterable[int], *, countdown: int | None = None) -> None:
    """Enqueue send tasks once the current transaction commits (ids only)."""
    ids = list(ids)
    if ids:
        transaction.on_commit(lambda: _publish(ids, countdown))


def _publish(ids: list[int], countdown: int | None) -> None:
    from kombu.exceptions import OperationalError as BrokerError

    # By name (notifications/tasks.py registers it): this module is what the task calls.
    app = current_app
    try:
        with app.producer_or_acquire() as producer:
            for notification_id in ids:
                app.send_task(
                    SEND_TASK, (notification_id,), countdown=countdown, producer=producer, retry=True,
                    retry_policy={"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5, "interval_max": 1},
                )
    except BrokerError as error:
        # The rows are in the database; the next sweep enqueues them again. Nothing is lost.
        log.warning("notifications: broker unavailable, %s send tasks left to the next sweep: %s", len(ids), error)
