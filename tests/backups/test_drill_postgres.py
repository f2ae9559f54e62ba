"""The restore drill on PostgreSQL: fill a meeting, back up, lose the database and the files,
restore, and find every row and every file as it was."""

from __future__ import annotations

import shutil

import pytest
from django.db import connection

from backups import media, services
from backups.databases import BackupError
from backups.models import BackupRun
from tests.backups.builders import fill_office_record
from tests.backups.conftest import _postgres, postgres_fingerprint

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Tables the drill must find full, so "equal" is never "both empty".
FILLED = ["proposals_proposal", "proposals_assignment", "proposals_communicationattachment", "replies_reply",
          "replies_feedback", "notifications_notification", "proposals_event"]


@pytest.fixture
def office(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.BACKUP_DIR = tmp_path / "backups"
    fill_office_record()
    return tmp_path


def test_restore_brings_back_every_row_and_every_file(office, scratch_postgres):
    before = postgres_fingerprint(connection.settings_dict)
    files_before = media.checksums(office / "media")
    backup = services.take_backup()
    shutil.rmtree(office / "media")  # the files are lost; the database is restored elsewhere

    services.restore_backup(archive=backup.archive, database=scratch_postgres, media_root=office / "media")

    assert postgres_fingerprint(scratch_postgres) == before
    assert media.checksums(office / "media") == files_before
    assert all(before[table][0] > 0 for table in FILLED)
    assert sorted(files_before) == ["communications/2026/4月14日-与张建山委员见面沟通.jpg",
                                    "communications/2026/答复函.docx"]


def test_the_manifest_records_counts_migrations_and_checksums(office):
    backup = services.take_backup()
    manifest = services.read_manifest(backup.archive)
    assert manifest["database"]["engine"] == "postgresql"
    assert manifest["tables"]["proposals_proposal"] == 6
    assert ["backups", "0001_initial"] in manifest["migrations"]
    assert {file["size"] for file in manifest["media"].values()} == {
        path.stat().st_size for _, path in media.media_files(office / "media")}
    run = BackupRun.objects.get()
    assert run.succeeded and run.archive == backup.archive.name and run.size_bytes == backup.size


def test_restoring_into_a_database_that_holds_data_is_refused_and_changes_nothing(office, scratch_postgres):
    backup = services.take_backup()
    services.restore_backup(archive=backup.archive, database=scratch_postgres, media_root=office / "restored")
    with _postgres(scratch_postgres) as db:
        db.execute("UPDATE proposals_proposal SET title = '恢复后改过的标题' WHERE id = (SELECT min(id) FROM proposals_proposal)")
    shutil.rmtree(office / "restored")
    changed = postgres_fingerprint(scratch_postgres)

    with pytest.raises(BackupError, match="目标不是空的.*未做任何改动"):
        services.restore_backup(archive=backup.archive, database=scratch_postgres, media_root=office / "restored")
    assert postgres_fingerprint(scratch_postgres) == changed
    assert not (office / "restored").exists() or not media.has_files(office / "restored")


def test_replace_overwrites_a_database_that_holds_data(office, scratch_postgres):
    before = postgres_fingerprint(connection.settings_dict)
    backup = services.take_backup()
    services.restore_backup(archive=backup.archive, database=scratch_postgres, media_root=office / "restored")
    services.restore_backup(archive=backup.archive, database=scratch_postgres, media_root=office / "restored",
                            replace=True)
    assert postgres_fingerprint(scratch_postgres) == before


def test_a_damaged_archive_is_refused_before_anything_is_written(office, scratch_postgres):
    backup = services.take_backup()
    data = bytearray(backup.archive.read_bytes())
    data[5000] ^= 0xFF  # inside the database dump
    backup.archive.write_bytes(bytes(data))
    with pytest.raises(BackupError, match="已损坏"):
        services.restore_backup(archive=backup.archive, database=scratch_postgres, media_root=office / "restored")
    assert postgres_fingerprint(scratch_postgres) == {}
