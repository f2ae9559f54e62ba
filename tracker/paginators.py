"""A paginator for the admin lists of tables that grow by a million rows: the whole-table count is
PostgreSQL's estimate (pg_class.reltuples, kept by autovacuum) instead of a COUNT(*) that reads
every row on each page view. A filtered list, a small table and SQLite count exactly."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property

# Below this the exact count is quick, and a list that small should show its exact size.
ESTIMATE_FROM_ROWS = 100_000


def estimated_rows(queryset: QuerySet) -> int | None:
    """The planner's row estimate of the queryset's table, or None where there is none."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(%s)",
                       [queryset.model._meta.db_table])
        row = cursor.fetchone()
    return row[0] if row and row[0] > 0 else None


class EstimatedCountPaginator(Paginator):
    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if isinstance(rows, QuerySet) and not rows.query.where:
            estimate = estimated_rows(rows)
            if estimate is not None and estimate >= ESTIMATE_FROM_ROWS:
                return estimate
        return super().count
