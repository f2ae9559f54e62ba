"""Each person's choice of how mail reaches them: each notice at once, or one daily digest.

In-app notices always arrive at once. A digest row is planned like any other, with `digest` set
and its time at the next digest hour; notifications.digest sends each address's due rows as one mail.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from notifications.models import Delivery, NotificationPreference
from tracker.errors import WorkflowError


def daily_digest_users() -> set[int]:
    """The users who take their mail as one daily digest (a small table, read once per planning run)."""
    return set(NotificationPreference.objects.filter(email=Delivery.DAILY).values_list("user_id", flat=True))


def next_digest_at(now: dt.datetime) -> dt.datetime:
    """The next digest hour (NOTIFICATION_DIGEST_HOUR, office time) at or after `now`."""
    local = timezone.localtime(now)
    at = local.replace(hour=settings.NOTIFICATION_DIGEST_HOUR, minute=0, second=0, microsecond=0)
    return at if at >= local else at + dt.timedelta(days=1)


def email_delivery_of(user) -> str:
    preference = NotificationPreference.objects.filter(user=user).first()
    return preference.email if preference else Delivery.EACH


@transaction.atomic
def choose_email_delivery(*, user, delivery: str) -> NotificationPreference:
    """Set how `user` takes notices by mail from now on; notices already planned keep their way."""
    if delivery not in Delivery.values:
        raise WorkflowError("unknown_delivery", "请选择“每条通知即时发送”或“每天汇总一封”",
                            "Choose each notice or a daily digest.", field="email")
    preference, _ = NotificationPreference.objects.update_or_create(user=user, defaults={"email": delivery})
    return preference
