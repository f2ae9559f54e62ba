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
    return count, len(captured.captured_queries)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the estimate is PostgreSQL's")
def test_a_large_whole_table_is_read_from_the_statistics_in_one_query(analysed_proposals, monkeypatch):
    ProposalFactory.create_batch(2)  # not yet in the statistics: the estimate still says 3
    monkeypatch.setattr(paginators, "ESTIMATE_FROM_ROWS", 1)

    count, queries = counting_sql(EstimatedCountPaginator(Proposal.objects.all(), 50))

    assert count == 3 and queries == 1


def test_a_small_table_and_a_filtered_list_are_counted_exactly(analysed_proposals):
    ProposalFactory.create_batch(2)

    assert counting_sql(EstimatedCountPaginator(Proposal.objects.all(), 50)) == (5, 1)
    assert counting_sql(EstimatedCountPaginator(Proposal.objects.filter(is_key=False), 50)) == (5, 1)
