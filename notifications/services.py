"""What the office does with notifications: sweep, send again, mark read.

Plain functions with keyword-only arguments; tasks, admin actions, the API and commands call them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from django.conf import settings

from notifications import digest, selectors, sending, work
from notifications.models import Notification, OutboxPause, OutboxRelease
from notifications.planning import plan_notifications
from proposals import access
from tracker import extensions
from tracker.errors import PermissionRefused, WorkflowError

State = Notification.State


@dataclass(frozen=True)
class SweepResult:
    planned: int
    reclaimed: int
    dispatched: int
    digests: int = 0

    def __str__(self):
        return (f"planned {self.planned}, reclaimed {self.reclaimed}, dispatched {self.dispatched}, "
                f"digests {self.digests}")


def sweep_notifications(*, today: dt.date | None = None) -> SweepResult:
    """The periodic sweep: plan what is due by today and the work notices of any step the
    on-commit planning missed, take back abandoned claims, enqueue every planned row that is due
    and not on its way, and send the daily digests whose hour has come. Any number may run at once."""
    today = today or timezone.localdate()
    planned = plan_notifications(today=today)
    planned += work.plan_missed_steps(since=timezone.now() - dt.timedelta(days=settings.NOTIFICATION_CATCH_UP_DAYS))
    planned += work.plan_overdue_opinions(today=today)
    # Apps above plan their own reminders into the same outbox (tracker/extensions.py).
    planned += sum(planner(today) for planner in extensions.contributions("sweep_planners"))
    reclaimed = sending.reclaim_abandoned()
    dispatched = sending.dispatch_due()
    digests = digest.send_digests()
    return SweepResult(planned=planned, reclaimed=reclaimed, dispatched=dispatched, digests=digests)


@transaction.atomic
def resend_notifications(*, notification_ids: Iterable[int], by) -> int:
    """Send again (clerk): failed or sent rows go back to planned with fresh attempts.

    A repeated mail keeps its Message-ID, so the recipient's mail client folds it with the first;
    an in-app one shows as unread again. Rows still planned or being sent are left alone.
    """
    if not access.is_clerk(by):
        raise PermissionRefused("not_clerk", "只有提案办工作人员可以重新发送", "Only a clerk may send again.")
    ids = list(
        Notification.objects.select_for_update()
        .filter(pk__in=list(notification_ids), state__in=[State.FAILED, State.SENT])
        .values_list("pk", flat=True)
    )
    now = timezone.now()
    Notification.objects.filter(pk__in=ids).update(
        state=State.PLANNED, attempts=0, reclaims=0, next_attempt_at=now, enqueued_at=now, claimed_at=None,
        read_at=None, last_error=f"{now:%Y-%m-%d %H:%M} 由{by.get_username()}重新发送 / sent again by a clerk",
    )
    sending.enqueue_sending(ids)
    return len(ids)


def mark_read(*, user, notification_ids: Iterable[int]) -> int:
    """Mark the user's own in-app notifications read; other people's ids are ignored."""
    return selectors.inbox_for(user).filter(pk__in=list(notification_ids), read_at__isnull=True).update(
        read_at=timezone.now()
    )


def mark_unread(*, user, notification_ids: Iterable[int]) -> int:
    return selectors.inbox_for(user).filter(pk__in=list(notification_ids)).update(read_at=None)


# --- the outbox paused after a restore ----------------------------------------------------------


@transaction.atomic
def pause_outbox(*, reason: str, archive_taken_at: dt.datetime | None = None) -> OutboxPause:
    """Hold every notification until a clerk has looked (after a database restore).

    Claims carried over in the archive belong to no worker any more: they go back to planned,
    marked as possibly sent already. The sweep's plan for today runs at once, so the clerk's list
    of what would go out for the gap is complete from the start. An open pause is kept, not doubled.
    """
    pause = OutboxPause.objects.select_for_update().filter(is_open=True).first()
    if pause is None:
        pause = OutboxPause.objects.create(reason=reason[:300], archive_taken_at=archive_taken_at)
    Notification.objects.filter(state=State.SENDING).update(
        state=State.PLANNED, claimed_at=None, enqueued_at=None, reclaims=F("reclaims") + 1,
        last_error="备份时正在发送，可能已发出 / was being sent when the backup was taken: may have gone out",
    )
    plan_notifications()
    return pause


def _require_clerk(by) -> None:
    if not access.is_clerk(by):
        raise PermissionRefused("not_clerk", "只有提案办工作人员可以处理暂停的通知",
                                "Only a clerk may handle the paused outbox.")


def _open_pause_or_refuse() -> OutboxPause:
    pause = OutboxPause.objects.select_for_update().filter(is_open=True).first()
    if pause is None:
        raise WorkflowError("outbox_not_paused", "通知发送未暂停", "The outbox is not paused.")
    return pause


@transaction.atomic
def release_held_notifications(*, notification_ids: Iterable[int], by) -> int:
    """Let the chosen held notifications go out now; the pause holds the rest. Returns how many."""
    _require_clerk(by)
    pause = _open_pause_or_refuse()
    ids = list(selectors.held_notifications().filter(pk__in=list(notification_ids)).values_list("pk", flat=True))
    now = timezone.now()
    OutboxRelease.objects.bulk_create(
        [OutboxRelease(pause=pause, notification_id=pk, released_by=by, released_at=now) for pk in ids]
    )
    Notification.objects.filter(pk__in=ids).update(next_attempt_at=now, enqueued_at=now)
    sending.enqueue_sending(ids)
    return len(ids)


@transaction.atomic
def drop_held_notifications(*, notification_ids: Iterable[int], by) -> int:
    """Never send the chosen held notifications (they already went out before the restore, or
    no longer matter). The rows stay, under their keys, so the sweep does not plan them again."""
    _require_clerk(by)
    _open_pause_or_refuse()  # its row lock serialises release, drop and resume
    now = timezone.now()
    return selectors.held_notifications().filter(pk__in=list(notification_ids)).update(
        state=State.DROPPED, claimed_at=None,
        last_error=f"{timezone.localtime(now):%Y-%m-%d %H:%M} 恢复备份后由{by.get_username()}取消发送 "
                   f"/ dropped by a clerk after a restore",
    )


@transaction.atomic
def resume_outbox(*, by) -> OutboxPause:
    """End the pause once every held notification has been released or dropped."""
    _require_clerk(by)
    pause = _open_pause_or_refuse()
    waiting = selectors.held_notifications().count()
    if waiting:
        raise WorkflowError(
            "outbox_notices_waiting",
            f"还有{waiting}条通知待确认：请先逐条或全部“发送”或“取消发送”，再恢复发送",
            f"{waiting} held notifications still wait: release or drop them first.",
        )
    pause.is_open, pause.ended_at, pause.ended_by = False, timezone.now(), by
    pause.save(update_fields=["is_open", "ended_at", "ended_by"])
    return pause
