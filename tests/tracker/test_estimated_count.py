"""The admin lists of tables that grow by a million rows read the whole table's size from
PostgreSQL's statistics; a filtered list, and a table still small, are counted exactly."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from proposals.models import Proposal
from tests.factories import ProposalFactory
from tracker import paginators
from tracker.paginators import EstimatedCountPaginator

pytestmark = pytest.mark.django_db


@pytest.fixture
def analysed_proposals():
    ProposalFactory.create_batch(3)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE proposals_proposal")


def counting_sql(paginator):
    with CaptureQueriesContext(connection) as captured:
        count = paginator.count
    return count, " ".join(query["sql"] for query in captured.captured_queries)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the estimate is PostgreSQL's")
def test_a_large_whole_table_is_not_counted_row_by_row(analysed_proposals, monkeypatch):
    monkeypatch.setattr(paginators, "ESTIMATE_FROM_ROWS", 1)

    count, sql = counting_sql(EstimatedCountPaginator(Proposal.objects.all(), 50))

    assert count == 3 and "reltuples" in sql and "COUNT(" not in sql.upper()


def test_a_filtered_list_and_a_small_table_are_counted_exactly(analysed_proposals, monkeypatch):
    monkeypatch.setattr(paginators, "ESTIMATE_FROM_ROWS", 1)
    count, sql = counting_sql(EstimatedCountPaginator(Proposal.objects.filter(is_key=False), 50))
    assert count == 3 and "COUNT(" in sql.upper()

    monkeypatch.setattr(paginators, "ESTIMATE_FROM_ROWS", 100_000)
    count, sql = counting_sql(EstimatedCountPaginator(Proposal.objects.all(), 50))
    assert count == 3 and "COUNT(" in sql.upper()
