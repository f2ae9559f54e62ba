"""Backups an office can restore from: take one, restore one, keep the right ones.

An archive is one plain tar file, `tracker-YYYYMMDD-HHMMSS.tar` (office time), holding the
database (`database.pgdump` from pg_dump's custom format, or `database.sqlite3` from SQLite's
online backup API), the media files under `media/`, and last `manifest.json`: when it was taken,
the applied migrations, the row count of every table and the size and SHA-256 of every file.
A restore checks the archive against its manifest before it touches anything, refuses a target
that holds data unless told to replace it, and checks the restored database and files against
the manifest afterwards. Restoring the live database then pauses the outbox (notifications
already sent after the archive was taken must not go out twice).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import re
import shutil
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connections, transaction
from django.utils import timezone

from backups import media
from backups.databases import BackupError, database_for
from backups.models import BackupRun
from notifications.services import pause_outbox

log = logging.getLogger(__name__)
FORMAT = 1
ARCHIVE_MODE = 0o600
FOLDER_MODE = 0o700
MANIFEST = "manifest.json"
ARCHIVE_NAME = re.compile(r"^tracker-(\d{8}-\d{6})\.tar$")


@dataclass(frozen=True)
class BackupResult:
    archive: Path
    size: int
    seconds: float
    manifest: dict

    def __str__(self):
        return (f"{self.archive} ({self.size:,} bytes, {self.seconds:.2f} s): {summary(self.manifest)}")


@dataclass(frozen=True)
class RestoreResult:
    archive: Path
    seconds: float
    manifest: dict
    outbox_paused: bool
    phases: dict[str, float]

    def __str__(self):
        steps = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in self.phases.items())
        return f"{self.archive} restored in {self.seconds:.2f} s: {summary(self.manifest)} ({steps})"


def summary(manifest: dict) -> str:
    rows = sum(manifest["tables"].values())
    return (f"{len(manifest['tables'])} 张表 {rows} 行，{len(manifest['migrations'])} 个迁移，"
            f"{len(manifest['media'])} 个文件")


# --- backing up ---------------------------------------------------------------------------------


def take_backup(*, backup_dir: Path | None = None, database: dict | None = None,
                media_root: Path | None = None) -> BackupResult:
    """Write one archive of the database and the media files, and record the run (either way)."""
    started_at = timezone.now()
    clock = time.monotonic()
    try:
        result = _write_archive(
            backup_dir=Path(backup_dir or settings.BACKUP_DIR), source=database_for(database or _default_database()),
            media_root=Path(media_root or settings.MEDIA_ROOT), taken_at=started_at, clock=clock,
        )
    except (BackupError, OSError, tarfile.TarError) as error:
        if getattr(error, "code", "") != "database_missing":  # no database, nowhere to record
            _record_run(kind=BackupRun.Kind.BACKUP, started_at=started_at, succeeded=False, detail=str(error)[:4000])
        if isinstance(error, BackupError):
            raise
        raise BackupError("backup_failed", f"备份失败：{error}", f"Backup failed: {error}") from error
    _record_run(kind=BackupRun.Kind.BACKUP, started_at=started_at, succeeded=True, archive=result.archive.name,
                size_bytes=result.size, detail=summary(result.manifest))
    return result


def _record_run(**fields) -> None:
    """Record a run in the database; one that cannot take it (not migrated, unreachable) is only
    logged, so the backup's own outcome is what the command reports."""
    try:
        with transaction.atomic():
            BackupRun.objects.create(finished_at=timezone.now(), **fields)
    except DatabaseError as error:
        log.warning("backup run not recorded: %s", error)


def _default_database() -> dict:
    return connections["default"].settings_dict


def _write_archive(*, backup_dir: Path, source, media_root: Path, taken_at: dt.datetime, clock: float) -> BackupResult:
    _make_private_folder(backup_dir)
    archive = backup_dir / f"tracker-{timezone.localtime(taken_at):%Y%m%d-%H%M%S}.tar"
    if archive.exists():
        raise BackupError("archive_exists", f"同名备份已存在：{archive}", f"{archive} already exists.")
    partial = archive.with_name(archive.name + ".partial")
    with tempfile.TemporaryDirectory(dir=backup_dir, prefix=".backup-") as work:
        snapshot = source.dump(Path(work))
        try:
            partial.touch(mode=ARCHIVE_MODE)
            partial.chmod(ARCHIVE_MODE)  # touch's mode is masked by the umask
            with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
                database_file = _add_file(tar, snapshot.file, snapshot.file.name)
                files = {name: _add_file(tar, path, f"media/{name}") for name, path in media.media_files(media_root)}
                manifest = {
                    "format": FORMAT,
                    "taken_at": timezone.localtime(taken_at).isoformat(),
                    "database": {"engine": source.engine, "file": snapshot.file.name, **database_file,
                                 "server_version": snapshot.server_version, "tool_version": snapshot.tool_version},
                    "migrations": snapshot.migrations,
                    "tables": snapshot.tables,
                    "media": files,
                }
                _add_bytes(tar, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode())
            partial.replace(archive)  # an archive under its final name is always complete
        finally:
            partial.unlink(missing_ok=True)
    return BackupResult(archive=archive, size=archive.stat().st_size, seconds=time.monotonic() - clock,
                        manifest=manifest)


def _make_private_folder(folder: Path) -> None:
    """The folder of the archives, readable by its owner only (password hashes, API tokens,
    members' phones and mail are in every archive)."""
    folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    try:
        folder.chmod(FOLDER_MODE)
    except PermissionError:  # a folder another account owns (a mounted volume): its owner decides
        log.warning("cannot make %s private (mode %o)", folder, FOLDER_MODE)


def _add_file(tar: tarfile.TarFile, path: Path, name: str) -> dict:
    info = tar.gettarinfo(str(path), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    with path.open("rb") as handle:
        reader = media.HashingReader(handle)
        tar.addfile(info, reader)
    return {"size": info.size, "sha256": reader.digest.hexdigest()}


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime = len(data), int(time.time())
    tar.addfile(info, io.BytesIO(data))


# --- restoring ----------------------------------------------------------------------------------


def read_manifest(archive: Path) -> dict:
    """The archive's manifest; a file that is not one of our archives is refused plainly."""
    if not archive.is_file():
        raise BackupError("archive_missing", f"找不到备份文件：{archive}", f"No archive at {archive}.")
    try:
        with tarfile.open(archive, "r:") as tar:
            manifest = json.load(tar.extractfile(MANIFEST))
    except (tarfile.TarError, KeyError, ValueError, TypeError) as error:
        raise BackupError("archive_unreadable", f"不是可用的备份文件（无法读取清单）：{archive}",
                          f"Not a usable archive (no readable manifest): {archive}") from error
    if manifest.get("format") != FORMAT:
        raise BackupError("archive_format", f"备份文件格式（{manifest.get('format')}）不受支持",
                          f"Unsupported archive format {manifest.get('format')}.")
    return manifest


def restore_backup(*, archive: Path, replace: bool = False, database: dict | None = None,
                   media_root: Path | None = None) -> RestoreResult:
    """Restore an archive into an empty database and media folder (or over them, with `replace`).

    Everything that can be checked before writing is checked first (the archive against its
    manifest, the target's emptiness, the tools), so a refusal changes nothing. Restoring Django's
    own database also pauses the outbox and records the run in the restored database.
    """
    started_at, clock = timezone.now(), time.monotonic()
    archive = Path(archive)
    manifest = read_manifest(archive)
    live = database is None
    target = database_for(database or _default_database())
    media_root = Path(media_root or settings.MEDIA_ROOT)
    target.check_can_load(manifest["database"])
    _refuse_unless_empty(target, media_root, replace=replace)
    if live:
        connections.close_all()  # Django's own sessions hold nothing while the database is replaced
    staging_parent = Path(settings.BACKUP_DIR)
    staging_parent.mkdir(parents=True, exist_ok=True)
    phases, mark = {}, time.monotonic()

    def lap(name: str) -> None:
        nonlocal mark
        phases[name], mark = time.monotonic() - mark, time.monotonic()

    with tempfile.TemporaryDirectory(dir=staging_parent, prefix=".restore-") as work:
        staged_database, staged_media = _unpack_checked(archive, manifest, Path(work))
        lap("unpack")
        target.load(staged_database, replace=replace)
        lap("database")
        _put_media(staged_media, media_root, replace=replace)
        lap("media")
    _check_restored(target, media_root, manifest)
    lap("check")
    if live:
        taken_at = dt.datetime.fromisoformat(manifest["taken_at"])
        pause_outbox(reason=f"从备份 {archive.name} 恢复数据库", archive_taken_at=taken_at)
        _record_run(kind=BackupRun.Kind.RESTORE, started_at=started_at, succeeded=True, archive=archive.name,
                    size_bytes=archive.stat().st_size, archive_taken_at=taken_at, detail=summary(manifest))
        lap("pause outbox")
    return RestoreResult(archive=archive, seconds=time.monotonic() - clock, manifest=manifest, outbox_paused=live,
                         phases=phases)


def _refuse_unless_empty(target, media_root: Path, *, replace: bool) -> None:
    if replace:
        return
    tables = target.table_count()
    holds_files = media.has_files(media_root)
    if tables or holds_files:
        held = "、".join(part for part in (f"数据库已有 {tables} 张表" if tables else "",
                                             f"媒体目录 {media_root} 已有文件" if holds_files else "") if part)
        raise BackupError(
            "target_not_empty",
            f"目标不是空的（{held}），未做任何改动。恢复只写入空的数据库和媒体目录；"
            f"确要用备份覆盖现有数据，请加 --replace(make restore ARCHIVE=… REPLACE=1)",
            f"The target is not empty ({tables} tables, media files: {holds_files}); nothing was changed. "
            "Pass --replace to overwrite it.",
        )


def _unpack_checked(archive: Path, manifest: dict, work: Path) -> tuple[Path, Path]:
    """Unpack into `work` and check every file against the manifest before anything is restored."""
    database_name = manifest["database"]["file"]
    expected = {database_name: manifest["database"], **{f"media/{n}": f for n, f in manifest["media"].items()}}
    found = set()
    with tarfile.open(archive, "r:") as tar:
        for member in tar:
            if member.name == MANIFEST or not member.isfile():
                continue
            if member.name not in expected:
                raise _damaged(archive, f"清单中没有的文件 {member.name}")
            try:
                tar.extract(member, path=work, filter="data")
            except tarfile.FilterError as error:  # a member naming a path outside the staging folder
                raise _damaged(archive, f"{member.name} 指向恢复目录之外") from error
            except tarfile.TarError as error:
                raise _damaged(archive, f"{member.name} 无法解包") from error
            if media.file_checksum(work / member.name) != expected[member.name]["sha256"]:
                raise _damaged(archive, f"{member.name} 校验和不符")
            found.add(member.name)
    missing = sorted(set(expected) - found)
    if missing:
        raise _damaged(archive, f"缺少 {len(missing)} 个文件，如 {missing[0]}")
    return work / database_name, work / "media"


def _damaged(archive: Path, what: str) -> BackupError:
    return BackupError("archive_damaged", f"备份文件已损坏（{what}）：{archive}，未做任何改动",
                       f"The archive is damaged ({what}); nothing was changed.")


def _put_media(staged: Path, media_root: Path, *, replace: bool) -> None:
    media_root.mkdir(parents=True, exist_ok=True)
    if replace:
        media.empty_folder(media_root)
    for name, path in media.media_files(staged):
        destination = media_root / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(path, destination)


def _check_restored(target, media_root: Path, manifest: dict) -> None:
    """The restored database and files, compared with what the manifest says was backed up."""
    tables, migrations = target.read_state()
    problems = [f"表 {name}：备份 {count} 行，恢复后 {tables.get(name)} 行"
                for name, count in manifest["tables"].items() if tables.get(name) != count]
    problems += [f"多出的表 {name}" for name in sorted(set(tables) - set(manifest["tables"]))]
    if migrations != manifest["migrations"]:
        problems.append("迁移记录与备份不一致")
    restored_files = media.checksums(media_root)
    problems += [f"文件 {name} 缺失或内容不同" for name, file in manifest["media"].items()
                 if restored_files.get(name, {}).get("sha256") != file["sha256"]]
    if problems:
        detail = ";".join(problems[:10])
        raise BackupError("restore_mismatch", f"恢复后核对不符：{detail}", f"Restored data does not match: {detail}")


# --- keeping the right archives ---------------------------------------------------------------


def archives_in(backup_dir: Path) -> list[tuple[dt.datetime, Path]]:
    """Our archives in the folder, newest first (by the time in their names)."""
    found = []
    for path in Path(backup_dir).glob("tracker-*.tar"):
        match = ARCHIVE_NAME.match(path.name)
        if match:
            found.append((dt.datetime.strptime(match.group(1), "%Y%m%d-%H%M%S"), path))
    return sorted(found, reverse=True)


def prune_backups(*, backup_dir: Path | None = None, keep_daily: int, keep_monthly: int) -> list[Path]:
    """Keep the newest archive of each of the last `keep_daily` days that have one, and of each of
    the last `keep_monthly` months; delete the other archives. Returns what was deleted."""
    keep: set[Path] = set()
    days: set[dt.date] = set()
    months: set[tuple[int, int]] = set()
    archives = archives_in(Path(backup_dir or settings.BACKUP_DIR))
    if archives:
        keep.add(archives[0][1])  # whatever the settings say, the newest archive stays
    for taken, path in archives:
        if taken.date() not in days and len(days) < keep_daily:
            days.add(taken.date())
            keep.add(path)
        if (taken.year, taken.month) not in months and len(months) < keep_monthly:
            months.add((taken.year, taken.month))
            keep.add(path)
    deleted = [path for _, path in archives if path not in keep]
    for path in deleted:
        path.unlink()
    return deleted
