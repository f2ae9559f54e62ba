"""The office figures are kept between views and stay exact: any write to what they count, through
a workflow or a bulk update, makes the next view count afresh; a write in flight is never kept."""

import threading

import pytest
from django.db import connection

from proposals import workflow as proposal_workflow
from proposals.models import Proposal
from reports.cache import kept_figures
from reports.figures import office_figures
from reports.selectors import Scope
from tests.factories import registered_proposal

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the generation is a PostgreSQL trigger"),
]


@pytest.fixture
def scope(counted):
    return Scope(as_of=counted.today, meeting_id=counted.meeting.pk)


def test_kept_figures_are_those_counted_and_read_without_counting_again(scope, django_assert_max_num_queries):
    first = kept_figures(scope)
    with django_assert_max_num_queries(2):  # the generation, and the cache when it is a table (no Redis)
        again = kept_figures(scope)
    assert first == again == office_figures(scope)


def test_a_workflow_step_and_a_bulk_update_are_counted_at_once(scope, counted, clerk):
    received = kept_figures(scope)["totals"]["received"]
    proposal = registered_proposal(by=clerk, meeting=counted.meeting)
    assert kept_figures(scope)["totals"]["received"] == received + 1

    proposal_workflow.accept_proposal(proposal=proposal, by=clerk)
    assert kept_figures(scope) == office_figures(scope)

    Proposal.objects.filter(pk=proposal.pk).update(category="science")
    assert kept_figures(scope) == office_figures(scope)


def test_figures_read_while_a_write_is_in_flight_are_not_kept(scope, counted, clerk):
    kept_figures(scope)
    writing, done = threading.Event(), threading.Event()

    def write():
        from django.db import connection as other, transaction

        with transaction.atomic():
            Proposal.objects.filter(meeting=counted.meeting).update(is_key=True)
            writing.set()
            done.wait(10)
        other.close()

    writer = threading.Thread(target=write)
    writer.start()
    writing.wait(10)
    during = kept_figures(scope)  # counted now, before the write commits, and not kept
    done.set()
    writer.join()
    after = kept_figures(scope)
    assert after == office_figures(scope) and after != during
