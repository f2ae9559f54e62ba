"""Fixtures of the restore drills: a scratch PostgreSQL database to restore into, and fingerprints
of every table's rows (count and an md5 of the rows in order) to compare before and after."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from psycopg import sql

from backups.databases import PostgresDatabase


def _postgres(settings_dict: dict, dbname: str | None = None) -> psycopg.Connection:
    info = PostgresDatabase({**settings_dict, "NAME": dbname or settings_dict["NAME"]})._conninfo()
    return psycopg.connect(**info, autocommit=True)


@pytest.fixture
def scratch_postgres():
    """An empty database beside pytest's own (named after it, so parallel runs never share one),
    dropped afterwards. The restore goes there, never into the test database."""
    source = connection.settings_dict
    if not source["ENGINE"].endswith("postgresql"):
        pytest.skip("the PostgreSQL drill needs PostgreSQL")
    name = f"{source['NAME']}_restore"
    with contextlib.closing(_postgres(source, "postgres")) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield {**source, "NAME": name}
    with contextlib.closing(_postgres(source, "postgres")) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def postgres_fingerprint(settings_dict: dict) -> dict[str, tuple[int, str]]:
    with contextlib.closing(_postgres(settings_dict)) as db:
        tables = [row[0] for row in db.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1")]
        return {
            table: tuple(db.execute(sql.SQL(
                "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM {} t"
            ).format(sql.Identifier(table))).fetchone())
            for table in tables
        }


def sqlite_fingerprint(path: Path) -> dict[str, tuple[int, str]]:
    import hashlib

    with contextlib.closing(sqlite3.connect(path)) as db:
        tables = [row[0] for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1")]
        result = {}
        for table in tables:
            rows = sorted(repr(row) for row in db.execute(f'SELECT * FROM "{table}"'))
            result[table] = (len(rows), hashlib.md5("\n".join(rows).encode()).hexdigest())
        return result
