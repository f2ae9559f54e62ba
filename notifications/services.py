"""What the office does with notifications: sweep, send again, mark read.

Plain functions with keyword-only arguments; tasks, admin actions, the API and commands call them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from django.conf import settings

from notifications import digest, selectors, sending, work
from notifications.models import Notification
from notifications.planning import plan_notifications
from proposals import access
from tracker.errors import PermissionRefused

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
