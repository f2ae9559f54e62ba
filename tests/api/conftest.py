"""Fixtures for the API tests: members with tokens, and proposals walked through the real workflows.

`member_user` (tests/conftest.py) proposes; `cosigner_user` co-signs the same proposal; `outsider`
is another member with a proposal of their own, whose token must never reach the first one's.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from proposals import workflow as proposal_workflow
from replies import workflow as reply_workflow
from tests.factories import MemberUserFactory, assigned_proposal, assignment_of
from tests.replies.builders import walk_reply
from tracker.tokens import issue_token

AI_TITLE = "关于促进人工智能产业健康发展的提案"


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """Throttle counters live in the cache, which outlives a test: start each test at zero."""
    cache.clear()
    yield
    cache.clear()


def client_for(user=None, language: str | None = None) -> APIClient:
    """An API client sending `user`'s token (none for anonymous) and Accept-Language."""
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(user=user)}")
    if language:
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    return client


@pytest.fixture
def api(member_user):
    """The proposer's client."""
    return client_for(member_user)


@pytest.fixture
def cosigner_user(db):
    return MemberUserFactory()


@pytest.fixture
def outsider(db):
    """Another member, with a login and a proposal of their own."""
    return MemberUserFactory()


@pytest.fixture
def proposal(clerk, agency, member_user, cosigner_user):
    """Assigned to `agency` as lead; `member_user` leads it, `cosigner_user` co-signs."""
    return assigned_proposal(
        by=clerk, lead=agency, proposers=[member_user.member, cosigner_user.member], title=AI_TITLE,
        body="建议加快人工智能与教育、交通融合应用。",
    )


@pytest.fixture
def outsiders_proposal(clerk, other_agency, outsider):
    return assigned_proposal(
        by=clerk, lead=other_agency, proposers=[outsider.member], title="关于改善城市交通拥堵的提案",
        body="建议优化公交线路。",
    )


@pytest.fixture
def assignment(proposal, agency, agency_staff):
    """The lead assignment, signed for."""
    return proposal_workflow.sign_for_assignment(assignment=assignment_of(proposal, agency), by=agency_staff)


@pytest.fixture
def sent_reply(assignment, agency_staff, agency_reviewer):
    """The lead agency's reply, sent: the proposal is `replied` and open for ratings."""
    return walk_reply(assignment, staff=agency_staff, reviewer=agency_reviewer, to="sent",
                      document_number="穗科函〔2022〕123号")


@pytest.fixture
def published_reply(sent_reply, agency_staff):
    return reply_workflow.publish_reply(reply=sent_reply, by=agency_staff, index_number="007482903/2022-00123")
