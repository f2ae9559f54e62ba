"""The two databases an office may run on, as backup sources and restore targets.

PostgreSQL is dumped with `pg_dump --format=custom` inside an exported snapshot, so the row counts
in the manifest are those of the dump itself, and restored through `pg_restore | psql` in one
transaction, so a failed restore leaves the target as it was. The embedded SQLite is copied with
sqlite3's online backup API (a file copy of a live database can catch a half-written page).

Both speak to the database directly, not through Django's connection: a restore target is
usually not the database Django is connected to, and may not exist as far as Django knows.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

from tracker.errors import WorkflowError


class BackupError(WorkflowError):
    """A backup or restore that cannot go on; nothing has been changed when it is raised."""


@dataclass(frozen=True)
class Snapshot:
    """What a dump holds: its file, the row count of every table, the applied migrations."""

    file: Path
    tables: dict[str, int]
    migrations: list[list[str]]
    server_version: str
    tool_version: str


def _tool_major(version_text: str) -> int:
    match = re.search(r"(\d+)(?:\.\d+)?", version_text)
    return int(match.group(1)) if match else 0


def _tool_version(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        raise BackupError("tool_missing", f"找不到 {tool}：请安装 PostgreSQL 客户端工具（postgresql-client）",
                          f"{tool} not found: install the PostgreSQL client tools.")
    return subprocess.run([path, "--version"], capture_output=True, text=True, check=True).stdout.strip()


class PostgresDatabase:
    """A PostgreSQL database named by Django-style settings (NAME, USER, PASSWORD, HOST, PORT)."""

    engine = "postgresql"
    dump_name = "database.pgdump"

    def __init__(self, settings_dict: dict):
        self.settings = settings_dict

    @property
    def label(self) -> str:
        return f"PostgreSQL {self.settings.get('HOST') or 'localhost'}/{self.settings['NAME']}"

    def _conninfo(self) -> dict:
        info = {"dbname": self.settings["NAME"], "user": self.settings.get("USER") or None,
                "password": self.settings.get("PASSWORD") or None, "host": self.settings.get("HOST") or None,
                "port": self.settings.get("PORT") or None}
        sslmode = (self.settings.get("OPTIONS") or {}).get("sslmode")
        if sslmode:
            info["sslmode"] = sslmode
        return {key: value for key, value in info.items() if value is not None}

    def _tool_env(self) -> dict:
        """libpq's variables for pg_dump/pg_restore/psql: the password never shows in `ps`."""
        names = {"dbname": "PGDATABASE", "user": "PGUSER", "password": "PGPASSWORD", "host": "PGHOST",
                 "port": "PGPORT", "sslmode": "PGSSLMODE"}
        return {**os.environ, **{names[key]: str(value) for key, value in self._conninfo().items()}}

    @contextlib.contextmanager
    def _connect(self) -> Iterator[psycopg.Connection]:
        try:
            connection = psycopg.connect(**self._conninfo(), connect_timeout=10, autocommit=True)
        except psycopg.OperationalError as error:
            raise BackupError("database_unreachable", f"无法连接数据库 {self.label}：{error}",
                              f"Cannot connect to {self.label}: {error}") from error
        with connection:
            yield connection

    @staticmethod
    def _tables(cursor) -> list[str]:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
        return [row[0] for row in cursor.fetchall()]

    @classmethod
    def _read_state(cls, cursor) -> tuple[dict[str, int], list[list[str]]]:
        tables = cls._tables(cursor)
        counts = {}
        for table in tables:
            cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
            counts[table] = cursor.fetchone()[0]
        migrations = []
        if "django_migrations" in counts:
            cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
            migrations = [list(row) for row in cursor.fetchall()]
        return counts, migrations

    def table_count(self) -> int:
        with self._connect() as connection, connection.cursor() as cursor:
            return len(self._tables(cursor))

    def read_state(self) -> tuple[dict[str, int], list[list[str]]]:
        with self._connect() as connection, connection.cursor() as cursor:
            return self._read_state(cursor)

    def dump(self, folder: Path) -> Snapshot:
        tool_version = _tool_version("pg_dump")
        target = folder / self.dump_name
        with self._connect() as connection, connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            server_version = cursor.fetchone()[0]
            if _tool_major(tool_version) < _tool_major(server_version):
                raise BackupError(
                    "pg_dump_too_old",
                    f"pg_dump 版本（{tool_version}）低于数据库服务器（{server_version}），无法备份：请安装同版本的客户端工具",
                    f"{tool_version} is older than the server ({server_version}).",
                )
            # One snapshot for the counts and the dump: the manifest describes exactly what was dumped.
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot_id = cursor.fetchone()[0]
            tables, migrations = self._read_state(cursor)
            done = subprocess.run(
                ["pg_dump", "--format=custom", f"--snapshot={snapshot_id}", f"--file={target}"],
                env=self._tool_env(), capture_output=True, text=True,
            )
            cursor.execute("COMMIT")
        if done.returncode != 0:
            raise BackupError("pg_dump_failed", f"pg_dump 失败：{done.stderr.strip()}",
                              f"pg_dump failed: {done.stderr.strip()}")
        return Snapshot(file=target, tables=tables, migrations=migrations, server_version=server_version,
                        tool_version=tool_version)

    def check_can_load(self, manifest_database: dict) -> None:
        if manifest_database.get("engine") != self.engine:
            raise BackupError("engine_mismatch",
                              f"该备份来自 {manifest_database.get('engine')} 数据库，不能恢复到 PostgreSQL",
                              f"The archive holds a {manifest_database.get('engine')} database, not PostgreSQL.")
        restore_version = _tool_version("pg_restore")
        _tool_version("psql")
        if _tool_major(restore_version) < _tool_major(manifest_database.get("tool_version", "")):
            raise BackupError(
                "pg_restore_too_old",
                f"pg_restore 版本（{restore_version}）低于制作备份的 pg_dump({manifest_database.get('tool_version')})",
                f"{restore_version} cannot read an archive made by {manifest_database.get('tool_version')}.",
            )

    def load(self, dump_file: Path, *, replace: bool) -> None:
        """Restore the dump in one transaction; with `replace`, the current schema is dropped in it first."""
        wipe = ["-c", "DROP SCHEMA public CASCADE", "-c", "CREATE SCHEMA public"] if replace else []
        env = self._tool_env()
        restore = subprocess.Popen(
            ["pg_restore", "--no-owner", "--no-acl", "--file=-", str(dump_file)],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        psql = subprocess.run(
            ["psql", "-X", "-q", "--no-psqlrc", "-v", "ON_ERROR_STOP=1", "--single-transaction", *wipe, "-f", "-"],
            env=env, stdin=restore.stdout, capture_output=True, text=True,
        )
        restore.stdout.close()
        restore_errors = restore.stderr.read().decode(errors="replace").strip()
        restore.wait()
        if restore.returncode != 0 or psql.returncode != 0:
            detail = (restore_errors + "\n" + psql.stderr.strip()).strip()[-2000:]
            raise BackupError("restore_failed", f"恢复数据库失败，目标数据库未改动：{detail}",
                              f"Restoring the database failed; the target is unchanged: {detail}")


class SqliteDatabase:
    """The embedded default: one SQLite file."""

    engine = "sqlite"
    dump_name = "database.sqlite3"

    def __init__(self, path: Path):
        self.path = Path(path)

    @property
    def label(self) -> str:
        return f"SQLite {self.path}"

    @staticmethod
    def _read(connection: sqlite3.Connection) -> tuple[dict[str, int], list[list[str]]]:
        tables = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )]
        counts = {table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables}
        migrations = []
        if "django_migrations" in counts:
            migrations = [list(row) for row in
                          connection.execute("SELECT app, name FROM django_migrations ORDER BY app, name")]
        return counts, migrations

    def table_count(self) -> int:
        if not self.path.exists():
            return 0
        with contextlib.closing(sqlite3.connect(self.path)) as connection:
            return len(self._read(connection)[0])

    def read_state(self) -> tuple[dict[str, int], list[list[str]]]:
        with contextlib.closing(sqlite3.connect(self.path)) as connection:
            return self._read(connection)

    def dump(self, folder: Path) -> Snapshot:
        if not self.path.exists():
            raise BackupError("database_missing", f"数据库文件不存在：{self.path}（请先运行 make run 或 migrate）",
                              f"No database file at {self.path}.")
        target = folder / self.dump_name
        with contextlib.closing(sqlite3.connect(self.path)) as source, \
                contextlib.closing(sqlite3.connect(target)) as copy:
            source.backup(copy)  # the online backup API: a consistent copy while others write
            tables, migrations = self._read(copy)
        return Snapshot(file=target, tables=tables, migrations=migrations, server_version=sqlite3.sqlite_version,
                        tool_version=f"sqlite3 online backup API {sqlite3.sqlite_version}")

    def check_can_load(self, manifest_database: dict) -> None:
        if manifest_database.get("engine") != self.engine:
            raise BackupError("engine_mismatch",
                              f"该备份来自 {manifest_database.get('engine')} 数据库，不能恢复到内置的 SQLite",
                              f"The archive holds a {manifest_database.get('engine')} database, not SQLite.")

    def load(self, dump_file: Path, *, replace: bool) -> None:
        """Copy the archived database into the target with the same backup API: the target's pages
        are replaced in one transaction, whatever it held."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.closing(sqlite3.connect(dump_file)) as source, \
                contextlib.closing(sqlite3.connect(self.path, timeout=20)) as target:
            source.backup(target)


def database_for(settings_dict: dict) -> PostgresDatabase | SqliteDatabase:
    """The database Django-style settings describe (DATABASES["default"] or a copy of it)."""
    engine = settings_dict["ENGINE"]
    if engine.endswith("postgresql"):
        return PostgresDatabase(settings_dict)
    if engine.endswith("sqlite3"):
        return SqliteDatabase(Path(settings_dict["NAME"]))
    raise BackupError("engine_unsupported", f"不支持备份此类数据库：{engine}", f"Cannot back up {engine}.")
