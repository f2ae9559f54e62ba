"""Keyword search in Chinese text: the one selector every list page and API endpoint uses (docs/architecture.md, where code goes).

PostgreSQL's full-text parser does not segment Chinese, and pg_trgm serves only terms of three
or more characters from an index (教育, 交通 would scan every row). So each searchable text is cut
into overlapping two-character tokens by an SQL function (`tracker_bigrams`, migration
proposals/0005_search_bigrams) whose result, a tsvector, is indexed with GIN; a term is turned
into the AND of its own two-character tokens (`tracker_bigram_query`, or a prefix match for a
single character). The index narrows the rows, and a LIKE on the same term keeps only exact
matches, so the results are those of LIKE, found without a scan. Both sides are lower-cased by
the same SQL, so Latin words (AI, 5G) match whatever their case.

SQLite, the embedded default, has neither function: it gets the plain LIKE.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.contrib.postgres.search import SearchQueryField, SearchVectorField
from django.db import connections
from django.db.models import BooleanField, Func, Q, QuerySet, Value

# The columns whose text is searched, per model, in the order the expression indexes of the
# `…_search_bigrams` migrations concatenate them: the query must repeat that expression exactly
# for PostgreSQL to use the index.
SEARCHED_FIELDS = {
    "proposals.proposal": ("number", "title", "body"),
    "replies.reply": ("document_number", "title", "body"),
}

MAX_TERMS = 8
# Longer terms are matched in full by LIKE; the index only needs their first characters.
INDEXED_TERM_LENGTH = 32


class BigramVector(Func):
    """tracker_bigrams(a || ' ' || b || ...): the indexed expression."""

    function = "tracker_bigrams"
    arg_joiner = " || ' ' || "
    output_field = SearchVectorField()


class BigramQuery(Func):
    function = "tracker_bigram_query"
    output_field = SearchQueryField()


class Matches(Func):
    template = "%(expressions)s"
    arg_joiner = " @@ "
    output_field = BooleanField()


def keyword_terms(q: str | None) -> list[str]:
    """The words of a query: split on white space (full-width included), NUL characters dropped."""
    return (q or "").replace("\x00", "").split()[:MAX_TERMS]


def keyword_search(queryset: QuerySet, q: str | None) -> QuerySet:
    """Rows whose searched text contains every word of `q` (case-insensitive), as LIKE would find them."""
    terms = keyword_terms(q)
    if not terms:
        return queryset
    fields = SEARCHED_FIELDS[queryset.model._meta.label_lower]
    indexed = connections[queryset.db].vendor == "postgresql"
    for term in terms:
        if indexed:
            queryset = queryset.filter(Matches(BigramVector(*fields), BigramQuery(Value(term[:INDEXED_TERM_LENGTH]))))
        queryset = queryset.filter(reduce(or_, (Q(**{f"{name}__icontains": term}) for name in fields)))
    return queryset


def keyword_search_or(queryset: QuerySet, q: str | None, also) -> QuerySet:
    """Rows where every word of `q` is found in the indexed text or by `also(word)`, a Q for the
    columns outside it (a member's name, an addressee): the admin's search box, served by the index
    instead of a LIKE over every body in the archive."""
    model = queryset.model
    for term in keyword_terms(q):
        indexed = keyword_search(model._default_manager.all(), term).values("pk")
        queryset = queryset.filter(Q(pk__in=indexed) | also(term))
    return queryset
