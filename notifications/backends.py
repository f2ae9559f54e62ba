"""Channels a notification goes out through.

A backend turns one claimed Notification into a delivered message and says how it went:
it returns the message id, raises TransientSendError when trying again later may work (a server
refusing for a while, a dropped connection), or PermanentSendError when it never will (an
address the server rejects). notifications.sending owns the states; backends never write them.

`transactional = True` means delivery is a database write (in-app): it runs inside the claim's
transaction, so it happens exactly once. Anything crossing the network is not transactional and
can, at worst, repeat once after a crash between hand-off and record (counted "in doubt": docs/domain.md).

Settings: NOTIFICATION_BACKENDS maps a channel to a dotted class path.
"""

from __future__ import annotations

import hashlib
import smtplib
from functools import cache

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string


class SendError(Exception):
    """Delivery did not happen; `str(error)` is kept on the row for the clerk."""


class TransientSendError(SendError):
    """Worth retrying later, with backoff."""


class PermanentSendError(SendError):
    """Will never succeed as it stands; the notification is marked failed for the clerk."""


class NotificationBackend:
    """The interface every channel implements.

    - `channel`: the Notification.Channel value it serves.
    - `transactional`: True only when `deliver` writes nothing but this database (then it runs
      inside the claim's transaction).
    - `deliver(notification) -> str`: send it; return the id the far side knows it by ("" if
      none); raise TransientSendError or PermanentSendError. It must not change the row.
    """

    channel: str = ""
    transactional: bool = False

    def deliver(self, notification) -> str:
        raise NotImplementedError


class InAppBackend(NotificationBackend):
    """The row itself is the in-app message: it becomes visible when marked sent, in the claim's
    own transaction, so an in-app notification is delivered exactly once."""

    channel = "in_app"
    transactional = True

    def deliver(self, notification) -> str:
        return ""


def message_id_for(key: str) -> str:
    """A Message-ID derived from the natural key: a repeat after a crash carries the same id, so
    it is recognisable (and mail clients fold it)."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:40]
    return f"<notification.{digest}@{settings.NOTIFICATION_MESSAGE_ID_DOMAIN}>"


class EmailBackend(NotificationBackend):
    """Email through Django's mail framework (EMAIL_* settings from the environment)."""

    channel = "email"

    def deliver(self, notification) -> str:
        message_id = message_id_for(notification.key)
        body = notification.body + (f"\n\n查看详情：{notification.link}" if notification.link else "")
        message = EmailMessage(
            subject=notification.subject, body=body, to=[notification.address],
            headers={"Message-ID": message_id, "X-Tracker-Notification": str(notification.pk)},
        )
        try:
            message.send(fail_silently=False)
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            detail = "; ".join(f"{address}: {code} {reply!r}" for address, (code, reply) in error.recipients.items())
            if codes and all(code >= 500 for code in codes):
                raise PermanentSendError(f"收件人被拒绝 / recipient refused: {detail}") from error
            raise TransientSendError(f"收件人暂时被拒绝 / recipient deferred: {detail}") from error
        except smtplib.SMTPResponseException as error:
            text = f"SMTP {error.smtp_code} {error.smtp_error!r}"
            # 5xx is final by RFC 5321, except authentication, which is our configuration, not the address.
            if error.smtp_code >= 500 and not isinstance(error, smtplib.SMTPAuthenticationError):
                raise PermanentSendError(f"邮件服务器拒绝 / rejected: {text}") from error
            raise TransientSendError(f"邮件服务器暂时拒绝 / deferred: {text}") from error
        except (smtplib.SMTPException, OSError) as error:
            raise TransientSendError(f"无法连接邮件服务器 / mail server unreachable: {error!r}") from error
        return message_id


class GatewayBackend(NotificationBackend):
    """SMS or a messaging gateway (短信平台, 政务微信): documented, not implemented.

    To add one: subclass, set `channel` (add the value to Notification.Channel and a migration),
    look up the recipient's number in `deliver` (Member.phone, or a field on the staff user),
    call the gateway with `notification.subject`/`body` (trim to the gateway's length) and an
    idempotency key derived from `notification.key` when the gateway accepts one (so a repeat
    after a crash is dropped by the gateway), return the gateway's message id, and map its
    answers: throttling or timeouts → TransientSendError; invalid number or blocked content →
    PermanentSendError. Then list it in NOTIFICATION_BACKENDS and give stages a switch for it.
    """

    channel = "sms"

    def deliver(self, notification) -> str:
        raise NotImplementedError("短信/消息网关尚未接入 / no SMS gateway is configured")


@cache
def _backend_class(path: str):
    return import_string(path)


def backend_for(channel: str) -> NotificationBackend:
    """The configured backend for a channel."""
    try:
        path = settings.NOTIFICATION_BACKENDS[channel]
    except KeyError:
        raise PermanentSendError(f"未配置发送渠道 / no backend for channel {channel!r}") from None
    return _backend_class(path)()

