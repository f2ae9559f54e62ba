"""The restore drill on the embedded default (SQLite under var/), through the commands an office
runs: `manage.py backup`, then `manage.py restore` into the same place once it is lost."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from backups import media, services
from backups.databases import BackupError
from tests.backups.conftest import sqlite_fingerprint

ROOT = Path(__file__).resolve().parents[2]
FILLED = ["proposals_proposal", "proposals_communicationattachment", "replies_reply", "replies_feedback",
          "notifications_notification"]


def run(var: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """A command of the embedded default: no DATABASE_URL, everything under `var`."""
    env = {key: value for key, value in os.environ.items()
           if key not in {"DATABASE_URL", "REDIS_URL", "MEDIA_ROOT", "BACKUP_DIR"}}
    env.update(TRACKER_VAR_DIR=str(var), DEBUG="0", DJANGO_SETTINGS_MODULE="tracker.settings")
    env.setdefault("SECRET_KEY", "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
    done = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    if check and done.returncode != 0:
        raise AssertionError(f"{args} failed:\n{done.stdout}\n{done.stderr}")
    return done


FILL = "import django; django.setup(); from tests.backups.builders import fill_office_record; fill_office_record()"


@pytest.fixture(scope="module")
def backed_up(tmp_path_factory):
    """An embedded installation filled with a meeting's work and backed up by `manage.py backup`."""
    var = tmp_path_factory.mktemp("var")
    run(var, "manage.py", "migrate", "--noinput", "-v0")
    run(var, "-c", FILL)
    fingerprint, files = sqlite_fingerprint(var / "tracker.sqlite3"), media.checksums(var / "media")
    out = run(var, "manage.py", "backup").stdout
    [archive] = (var / "backups").glob("tracker-*.tar")
    assert archive.name in out
    return var, archive, fingerprint, files


@pytest.fixture
def lost(backed_up, tmp_path):
    """The same installation after losing its database and files (the archive kept elsewhere)."""
    var, archive, fingerprint, files = backed_up
    var = Path(shutil.copytree(var, tmp_path / "var"))
    kept = Path(shutil.copy(archive, tmp_path / archive.name))
    (var / "tracker.sqlite3").unlink()
    shutil.rmtree(var / "media")
    shutil.rmtree(var / "backups")
    return var, kept, fingerprint, files


def test_restore_brings_back_every_row_and_every_file(lost, settings):
    var, archive, fingerprint, files = lost
    settings.BACKUP_DIR = var / "backups"
    # The service on its own (no outbox pause), so the database must equal the archive exactly.
    services.restore_backup(archive=archive, database={"ENGINE": "django.db.backends.sqlite3",
                                                       "NAME": var / "tracker.sqlite3"}, media_root=var / "media")
    assert sqlite_fingerprint(var / "tracker.sqlite3") == fingerprint
    assert media.checksums(var / "media") == files
    assert all(fingerprint[table][0] > 0 for table in FILLED) and len(files) == 2


def test_the_restore_command_pauses_the_outbox_and_records_the_run(lost):
    var, archive, fingerprint, files = lost
    out = run(var, "manage.py", "restore", str(archive)).stdout
    assert "通知发送已暂停" in out
    with sqlite3.connect(var / "tracker.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM notifications_outboxpause WHERE is_open").fetchone() == (1,)
        assert db.execute("SELECT kind, succeeded, archive FROM backups_backuprun WHERE kind = 'restore'"
                          ).fetchall() == [("restore", 1, archive.name)]
        # Every archived proposal and file is back (the pause adds notifications, nothing else).
        assert db.execute("SELECT count(*) FROM proposals_proposal").fetchone()[0] == \
            fingerprint["proposals_proposal"][0]
    assert media.checksums(var / "media") == files


def test_restoring_over_an_installation_that_holds_data_is_refused_and_changes_nothing(backed_up):
    var, archive, fingerprint, files = backed_up
    done = run(var, "manage.py", "restore", str(archive), check=False)
    assert done.returncode != 0 and "目标不是空的" in done.stderr and "--replace" in done.stderr
    assert sqlite_fingerprint(var / "tracker.sqlite3") == {
        **fingerprint, "backups_backuprun": sqlite_fingerprint(var / "tracker.sqlite3")["backups_backuprun"]}
    assert media.checksums(var / "media") == files


def test_a_sqlite_archive_is_not_restored_into_postgresql(backed_up, scratch_postgres):
    var, archive, fingerprint, files = backed_up
    with pytest.raises(BackupError, match="不能恢复到 PostgreSQL"):
        services.restore_backup(archive=archive, database=scratch_postgres, media_root=var / "elsewhere")
