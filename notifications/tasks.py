"""Celery tasks: thin wrappers that take ids and call the services.

A task run twice does no harm: the sweep plans under unique keys, and sending claims the row.
Database hiccups are retried with backoff; a lost message is harmless because the next sweep
finds the row again (docs/domain.md).
"""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from notifications import sending, services

TRANSIENT = (OperationalError, InterfaceError)


@shared_task(name="notifications.sweep", autoretry_for=TRANSIENT, retry_backoff=5, retry_backoff_max=120,
             max_retries=3)
def sweep_notifications() -> str:
    return str(services.sweep_notifications())


@shared_task(name="notifications.send", autoretry_for=TRANSIENT, retry_backoff=5, retry_backoff_max=300,
             max_retries=5)
def send_notification(notification_id: int) -> str:
    return sending.send_notification(notification_id=notification_id)
