"""Reads the admin shares: the latest backup runs."""

from __future__ import annotations

from backups.models import BackupRun


def last_backup() -> BackupRun | None:
    return BackupRun.objects.filter(kind=BackupRun.Kind.BACKUP).order_by("-started_at", "-id").first()


def last_good_backup() -> BackupRun | None:
    return (BackupRun.objects.filter(kind=BackupRun.Kind.BACKUP, succeeded=True)
            .order_by("-started_at", "-id").first())
