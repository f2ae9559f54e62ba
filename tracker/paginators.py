"""Paginators for lists that grow with the archive.

EstimatedCountPaginator, for the admin lists of tables that grow by a million rows: the whole-table
count is PostgreSQL's estimate (pg_class.reltuples, kept by autovacuum) instead of a COUNT(*) that
reads every row on each page view. A filtered list and SQLite count exactly; so does a table still
small, in the same single query, so the page costs as many queries at any size.

SearchCountPaginator, for a keyword search: a common word is in most of five years' texts, and
counting every match would read every body on each view. It counts up to SEARCH_COUNT_LIMIT
matches (one query either way) and says when there are more (`capped`: the page reads
"超过1000条"); the pages themselves are the first matches in the list's order, as before."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property

# Below this the exact count is quick, and a list that small should show its exact size.
ESTIMATE_FROM_ROWS = 100_000


def whole_table_count(queryset: QuerySet) -> int | None:
    """The table's estimated size when large, its exact size otherwise; None off PostgreSQL."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    table = queryset.model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT CASE WHEN reltuples >= %s THEN reltuples::bigint "
            f"ELSE (SELECT count(*) FROM {connection.ops.quote_name(table)}) END "
            "FROM pg_class WHERE oid = to_regclass(%s)", [ESTIMATE_FROM_ROWS, table])
        row = cursor.fetchone()
    return row[0] if row else None


class EstimatedCountPaginator(Paginator):
    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if isinstance(rows, QuerySet) and not rows.query.where:
            counted = whole_table_count(rows)
            if counted is not None:
                return counted
        return super().count


SEARCH_COUNT_LIMIT = 1000


class SearchCountPaginator(Paginator):
    limit = SEARCH_COUNT_LIMIT

    @cached_property
    def matched(self) -> int:
        """The matches counted, one more than the limit at most (COUNT over a LIMIT subquery)."""
        rows = self.object_list
        return rows[: self.limit + 1].count() if isinstance(rows, QuerySet) else len(rows)

    @cached_property
    def count(self) -> int:
        return min(self.matched, self.limit)

    @property
    def capped(self) -> bool:
        """More matches than were counted: the count reads as "more than"."""
        return self.matched > self.limit


def keyword_list_paginator(searching: bool, default=Paginator):
    """The paginator class for a list: capped counting when a keyword is searched."""
    return SearchCountPaginator if searching else default
