"""Fixtures for the reply work: an assignment signed for, a contact held, a reply at each stage.

Everything is walked there through the workflows, so rows and Events are the real ones.
"""

from __future__ import annotations

import datetime as dt

import pytest

from proposals import workflow as proposal_workflow
from replies import workflow
from tests.factories import (
    AgencyFactory,
    AgencyReviewerUserFactory,
    AgencyStaffUserFactory,
    MemberUserFactory,
    assigned_proposal,
    assignment_of,
)
from tests.replies.builders import hold_communication, letter


@pytest.fixture
def proposer_users(members):
    """Logins for the three co-signing members."""
    return [MemberUserFactory(member=member) for member in members]


@pytest.fixture
def proposal(clerk, agency, members):
    """Assigned to `agency` as lead, co-signed by three members."""
    return assigned_proposal(by=clerk, lead=agency, proposers=members, title="关于促进人工智能产业健康发展的提案")


@pytest.fixture
def assignment(proposal, agency, agency_staff):
    """The lead assignment, signed for by the agency's staff."""
    return proposal_workflow.sign_for_assignment(assignment=assignment_of(proposal, agency), by=agency_staff)


@pytest.fixture
def held(assignment, agency_staff):
    return hold_communication(assignment, agency_staff)


@pytest.fixture
def draft(assignment, held, agency_staff):
    return workflow.draft_reply(assignment=assignment, by=agency_staff, **letter())


@pytest.fixture
def in_review(draft, agency_staff):
    return workflow.submit_reply(reply=draft, by=agency_staff)


@pytest.fixture
def signed(in_review, agency_reviewer):
    return workflow.sign_off_reply(reply=in_review, by=agency_reviewer, document_number="穗科函〔2022〕123号",
                                   signed_on=dt.date(2022, 5, 27))


@pytest.fixture
def sent(signed, agency_staff):
    return workflow.send_reply(reply=signed, by=agency_staff)


@pytest.fixture
def second_reviewer(agency):
    return AgencyReviewerUserFactory(agency=agency)


@pytest.fixture
def other_reviewer(other_agency):
    return AgencyReviewerUserFactory(agency=other_agency)


@pytest.fixture
def third_agency():
    return AgencyFactory(name="广州市工业和信息化局")


@pytest.fixture
def third_agency_staff(third_agency):
    return AgencyStaffUserFactory(agency=third_agency)
