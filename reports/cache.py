"""The office figures, kept per scope and day until something they count changes.

A meeting's figures are a dozen GROUP BY queries over every proposal, assignment, letter and rating
of the meeting: 9,200 proposals take the dashboard from tens of milliseconds to seconds. They are
kept in the cache under a *generation*: a PostgreSQL sequence that a statement-level trigger on
every table the figures read advances on each insert, update or delete (migration
reports/0002_figures_generation), bulk writes and queryset updates included.

Kept figures are exact. The trigger takes a shared advisory lock for the writing transaction's
life before it advances the sequence. The figures are computed for the cache only when that lock
can be taken exclusively, i.e. no write to those tables is in flight: the generation is read
first, then the lock taken and released around the first statement of a REPEATABLE READ
transaction, whose snapshot therefore holds every write counted in that generation and nothing
uncounted. A write in flight (or SQLite, or a caller inside a transaction of its own) gets figures
computed afresh, not kept.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.db import connections, transaction

from reports.figures import office_figures
from reports.selectors import Scope

# The advisory lock the trigger takes shared (reports/0002_figures_generation repeats it).
WRITE_LOCK = 72_030_025
SEQUENCE = "reports_figures_generation"
KEEP_SECONDS = 24 * 3600


def _key(scope: Scope, generation: int) -> str:
    digest = hashlib.sha256(repr(scope).encode()).hexdigest()[:32]
    return f"reports:figures:{generation}:{digest}"


def kept_figures(scope: Scope, using: str = "default") -> dict:
    """office_figures(scope), from the cache when nothing counted has changed since."""
    connection = connections[using]
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return office_figures(scope)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT last_value FROM {SEQUENCE}")
        generation = cursor.fetchone()[0]
    key = _key(scope, generation)
    kept = cache.get(key)
    if kept is not None:
        return kept
    computed = _computed_quiet(connection, scope)
    if computed is None:  # a write in flight: exact figures now, nothing kept
        return office_figures(scope)
    cache.set(key, computed, KEEP_SECONDS)
    return computed


def _computed_quiet(connection, scope: Scope) -> dict | None:
    """The figures in a snapshot taken while no write to the counted tables was in flight."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [WRITE_LOCK])
        if not cursor.fetchone()[0]:
            return None
        released = False
        try:
            with transaction.atomic(using=connection.alias):
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                cursor.execute("SELECT pg_advisory_unlock(%s)", [WRITE_LOCK])  # the snapshot is taken here
                released = True
                return office_figures(scope)
        finally:
            if not released:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [WRITE_LOCK])
