"""List endpoints cost a fixed number of queries whatever the page size (docs/architecture.md, where code goes)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from notifications.models import Kind, Notification
from replies import workflow as reply_workflow
from tests.api.conftest import client_for
from tests.factories import AgencyFactory, AgencyReviewerUserFactory, AgencyStaffUserFactory, signed_assignment
from tests.replies.builders import walk_reply

pytestmark = pytest.mark.django_db

# Token and user (1), the user's groups, agency and member (3, proposals.access), count, page.
PROPOSAL_LIST_QUERIES = 6
NOTIFICATION_LIST_QUERIES = 3  # token, count, page
PUBLIC_LIST_QUERIES = 2  # count, page


@pytest.fixture
def many_proposals(clerk, member_user):
    from tests.factories import registered_proposal

    return [registered_proposal(by=clerk, proposers=[member_user.member]) for _ in range(55)]


@pytest.mark.parametrize("page_size", [5, 50])
def test_the_proposal_list_costs_the_same_at_any_page_size(member_user, many_proposals, page_size,
                                                           django_assert_max_num_queries):
    client = client_for(member_user)
    with django_assert_max_num_queries(PROPOSAL_LIST_QUERIES):
        response = client.get(f"/api/v1/proposals/?page_size={page_size}&q=提案&ordering=-number")
    assert len(response.json()["results"]) == page_size


@pytest.mark.parametrize("page_size", [5, 50])
def test_the_notification_list_costs_the_same_at_any_page_size(member_user, many_proposals, page_size,
                                                               django_assert_max_num_queries):
    Notification.objects.bulk_create(
        Notification(key=f"n{proposal.pk}", kind=Kind.ACCEPTED, stage_text="立案通知", channel="in_app",
                     recipient=member_user, subject="已立案", body="…", proposal=proposal, state="sent",
                     sent_at=timezone.now())
        for proposal in many_proposals
    )
    client = client_for(member_user)
    with django_assert_max_num_queries(NOTIFICATION_LIST_QUERIES):
        response = client.get(f"/api/v1/notifications/?page_size={page_size}")
    assert len(response.json()["results"]) == page_size


@pytest.fixture
def many_published(clerk):
    agency = AgencyFactory()
    staff, reviewer = AgencyStaffUserFactory(agency=agency), AgencyReviewerUserFactory(agency=agency)
    replies = []
    for n in range(6):
        assignment = signed_assignment(by_clerk=clerk, staff=staff)
        reply = walk_reply(assignment, staff=staff, reviewer=reviewer, to="sent", document_number=f"穗测函〔2026〕{n}号")
        replies.append(reply_workflow.publish_reply(reply=reply, by=staff))
    return replies


@pytest.mark.parametrize("page_size", [2, 5])
def test_the_public_list_costs_the_same_at_any_page_size(many_published, page_size, django_assert_max_num_queries):
    with django_assert_max_num_queries(PUBLIC_LIST_QUERIES):
        response = client_for().get(f"/api/v1/public/replies/?page_size={page_size}")
    assert len(response.json()["results"]) == page_size
