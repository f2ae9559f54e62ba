"""Run one reminder sweep now (what Celery beat does every few minutes)."""

import datetime as dt

from django.core.management.base import BaseCommand

from notifications import services


class Command(BaseCommand):
    help = "Plan due notifications, take back abandoned claims and enqueue what waits. / 立即执行一次提醒扫描。"

    def add_arguments(self, parser):
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None, help="YYYY-MM-DD (default: today)")

    def handle(self, *args, today, **options):
        result = services.sweep_notifications(today=today)
        self.stdout.write(f"sweep: {result}")
