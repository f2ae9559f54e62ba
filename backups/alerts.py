"""The admin's warning when backups are failing or have stopped (see tracker/alerts.py).

Shown on the admin's start page and the backup list. An installation that has never recorded a backup (a development `make run`) is not warned; one
whose last backup failed, or whose last good one is older than BACKUP_WARN_AFTER_HOURS, is.
"""

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from backups import selectors
from tracker.alerts import Alert, admin_page

PAGES = {"index", "backups_backuprun_changelist"}


def backup_alert(request) -> list[Alert]:
    if admin_page(request) not in PAGES:
        return []
    last = selectors.last_backup()
    if last is None:
        return []
    link = reverse("admin:backups_backuprun_changelist")
    if not last.succeeded:
        when = f"{timezone.localtime(last.started_at):%Y-%m-%d %H:%M}"
        return [Alert(text=f"最近一次数据备份（{when}）失败：{last.detail[:200]}", link=link, link_text="查看备份记录")]
    limit = dt.timedelta(hours=settings.BACKUP_WARN_AFTER_HOURS)
    if timezone.now() - last.finished_at > limit:
        when = f"{timezone.localtime(last.finished_at):%Y-%m-%d %H:%M}"
        return [Alert(text=f"已超过{settings.BACKUP_WARN_AFTER_HOURS}小时没有新的数据备份（最近一次成功：{when}）",
                      link=link, link_text="查看备份记录")]
    return []
