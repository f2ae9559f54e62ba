"""Celery tasks of the intake: thin wrappers around its services."""

from celery import shared_task

from intake.uploads import remove_expired_uploads


@shared_task(name="intake.remove_expired_uploads")
def remove_expired_uploads_task() -> int:
    """Run hourly by beat (schedule installed by intake's migrations)."""
    return remove_expired_uploads()
