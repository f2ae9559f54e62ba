"""Backups seen by the office: each run recorded, failures and silence said loudly in the admin,
old archives pruned to the last N days and M months."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from backups import services
from backups.databases import BackupError
from backups.models import BackupRun

pytestmark = pytest.mark.django_db


def touch_archives(folder, names):
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / name).write_bytes(b"")


def test_pruning_keeps_the_newest_archive_of_recent_days_and_months(tmp_path):
    touch_archives(tmp_path, [
        "tracker-20261130-023000.tar", "tracker-20261130-120000.tar", "tracker-20261129-023000.tar",
        "tracker-20261128-023000.tar", "tracker-20261031-023000.tar", "tracker-20261001-023000.tar",
        "tracker-20260930-023000.tar", "notes.txt",
    ])
    deleted = services.prune_backups(backup_dir=tmp_path, keep_daily=2, keep_monthly=3)
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "notes.txt", "tracker-20260930-023000.tar", "tracker-20261031-023000.tar",
        "tracker-20261129-023000.tar", "tracker-20261130-120000.tar",
    ]
    assert len(deleted) == 3


def test_pruning_never_deletes_the_newest_archive(tmp_path):
    touch_archives(tmp_path, ["tracker-20261130-023000.tar", "tracker-20261129-023000.tar"])
    services.prune_backups(backup_dir=tmp_path, keep_daily=0, keep_monthly=0)
    assert [path.name for path in tmp_path.iterdir()] == ["tracker-20261130-023000.tar"]


def test_a_failed_backup_is_recorded_and_the_admin_says_so(tmp_path, client, clerk):
    unreachable = {"ENGINE": "django.db.backends.postgresql", "NAME": "tracker", "USER": "postgres",
                   "HOST": "127.0.0.1", "PORT": "1"}
    with pytest.raises(BackupError, match="无法连接数据库"):
        services.take_backup(backup_dir=tmp_path / "backups", database=unreachable, media_root=tmp_path / "media")
    run = BackupRun.objects.get()
    assert not run.succeeded and "无法连接数据库" in run.detail
    assert not list((tmp_path / "backups").glob("*.tar*"))  # no half-written archive left behind
    client.force_login(clerk)
    page = client.get(reverse("admin:index")).content.decode()
    assert "最近一次数据备份" in page and "失败" in page


def test_backing_up_an_installation_that_has_no_database_yet_says_so(tmp_path):
    missing = {"ENGINE": "django.db.backends.sqlite3", "NAME": tmp_path / "tracker.sqlite3"}
    with pytest.raises(BackupError, match="数据库文件不存在"):
        services.take_backup(backup_dir=tmp_path / "backups", database=missing, media_root=tmp_path / "media")
    assert not (tmp_path / "tracker.sqlite3").exists()


def test_clerk_sees_when_the_last_backup_was_taken(client, clerk, django_assert_max_num_queries):
    finished = timezone.now() - dt.timedelta(hours=3)
    for day in range(30):
        BackupRun.objects.create(started_at=finished - dt.timedelta(days=day, seconds=40),
                                 finished_at=finished - dt.timedelta(days=day), succeeded=True,
                                 archive=f"tracker-202611{30 - day:02d}-023000.tar", size_bytes=2_400_000)
    client.force_login(clerk)
    with django_assert_max_num_queries(15):
        page = client.get(reverse("admin:backups_backuprun_changelist")).content.decode()
    assert "tracker-20261130-023000.tar" in page and "2.3\xa0MB" in page and "40.0 秒" in page
    assert "没有新的数据备份" not in client.get(reverse("admin:index")).content.decode()


def test_a_backup_older_than_the_limit_is_warned(client, clerk, settings):
    settings.BACKUP_WARN_AFTER_HOURS = 36
    old = timezone.now() - dt.timedelta(hours=50)
    BackupRun.objects.create(started_at=old, finished_at=old, succeeded=True, archive="tracker-x.tar")
    client.force_login(clerk)
    assert "已超过36小时没有新的数据备份" in client.get(reverse("admin:index")).content.decode()


def test_a_file_that_is_not_an_archive_is_refused_plainly(tmp_path):
    bogus = tmp_path / "tracker-20261130-023000.tar"
    bogus.write_text("不是备份")
    with pytest.raises(BackupError, match="不是可用的备份文件"):
        services.read_manifest(bogus)
    with pytest.raises(BackupError, match="找不到备份文件"):
        services.read_manifest(tmp_path / "missing.tar")
