"""The daily digest: one mail per address with every notice that waited for it (preferences).

Same outbox rules as single notices: the rows are claimed together (planned → sending) under
SKIP LOCKED, each is re-checked and dropped if its reason has passed, the mail goes out with a
Message-ID derived from the rows' keys, and all are recorded sent straight after. A crash in
between leaves them `sending`; the sweep takes the claim back and the next digest repeats that mail
(counted in `reclaims`, in doubt), never more.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from notifications import selectors
from notifications.backends import PermanentSendError, TransientSendError, backend_for
from notifications.messages import FOOTER, day
from notifications.models import Notification
from notifications.sending import drop_if_stale, retry_delay

State = Notification.State


def due_digest_rows(now: dt.datetime):
    """Digest rows whose hour has come (index notification_digest_due), unless a restore holds them."""
    return Notification.objects.filter(selectors.not_held_by_pause(), state=State.PLANNED, digest=True,
                                       next_attempt_at__lte=now)


def send_digests(*, now: dt.datetime | None = None) -> int:
    """Send every address's due digest; returns how many mails went out."""
    now = now or timezone.now()
    addresses = sorted(set(due_digest_rows(now).values_list("address", flat=True)))
    return sum(send_digest(address=address, now=now) == "sent" for address in addresses)


def _claim(address: str, now: dt.datetime) -> list[int]:
    with transaction.atomic():
        ids = list(due_digest_rows(now).filter(address=address).select_for_update(skip_locked=True)
                   .values_list("pk", flat=True))
        Notification.objects.filter(pk__in=ids).update(state=State.SENDING, claimed_at=now,
                                                       attempts=F("attempts") + 1)
    return ids


def compose(rows: list[Notification], now: dt.datetime) -> Notification:
    """The digest as one (unsaved) notification for the mail backend."""
    keys = "\n".join(sorted(row.key for row in rows))
    digest_key = f"digest:{rows[0].address}:{hashlib.sha256(keys.encode()).hexdigest()[:24]}"
    items = [f"{n}. {row.subject}\n{row.body.replace(FOOTER, '').strip()}" + (f"\n查看详情：{row.link}" if row.link else "")
             for n, row in enumerate(rows, start=1)]
    today = timezone.localdate(now)
    return Notification(
        pk=rows[0].pk, key=digest_key, address=rows[0].address, link="",
        subject=f"【每日汇总】{day(today)}共{len(rows)}条办理通知",
        body=f"{rows[0].recipient_name}：\n以下为{day(today)}汇总的{len(rows)}条通知。\n\n" + "\n\n".join(items) + f"\n\n{FOOTER}",
    )


def send_digest(*, address: str, now: dt.datetime) -> str:
    ids = _claim(address, now)
    if not ids:
        return "skipped"
    rows = [row for row in Notification.objects.filter(pk__in=ids).order_by("planned_at", "pk")
            if not drop_if_stale(row, now)]
    if not rows:
        return "dropped"
    mine = Notification.objects.filter(pk__in=[row.pk for row in rows], state=State.SENDING, claimed_at=now)
    mail = compose(rows, now)
    try:
        message_id = backend_for(Notification.Channel.EMAIL).deliver(mail)
    except PermanentSendError as error:
        mine.update(state=State.FAILED, last_error=str(error)[:2000])
        return "failed"
    except TransientSendError as error:
        attempts = max(row.attempts for row in rows) + 1
        if attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
            mine.update(state=State.FAILED, last_error=f"已尝试{attempts}次 / after {attempts} attempts: {error}"[:2000])
            return "failed"
        # The next sweep after this time sends the digest again.
        mine.update(state=State.PLANNED, claimed_at=None, last_error=str(error)[:2000],
                    next_attempt_at=now + dt.timedelta(seconds=retry_delay(attempts)))
        return "retry"
    # Nothing between the hand-off above and this record (the in-doubt window).
    mine.update(state=State.SENT, sent_at=timezone.now(), message_id=message_id, last_error="")
    return "sent"
