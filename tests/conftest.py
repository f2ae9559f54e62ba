"""Fixtures every test module may use: the office's people and a meeting to file proposals at.

Each is small and obvious; build anything more specific with tests/factories.py.
"""

import pytest

from tests.factories import (
    AgencyFactory,
    AgencyReviewerUserFactory,
    AgencyStaffUserFactory,
    ClerkFactory,
    MeetingFactory,
    MemberFactory,
    MemberUserFactory,
    not_accept_ground,
)


# The headless-Chromium fixture `browser`, for the tests that drive a page.
pytest_plugins = ["tests.browser_fixtures"]


@pytest.fixture
def clerk(db):
    return ClerkFactory()


@pytest.fixture
def other_clerk(db):
    return ClerkFactory()


@pytest.fixture
def agency(db):
    return AgencyFactory(name="广州市科学技术局")


@pytest.fixture
def other_agency(db):
    return AgencyFactory(name="广州市教育局")


@pytest.fixture
def agency_staff(agency):
    """A staff user (经办人) of `agency`."""
    return AgencyStaffUserFactory(agency=agency)


@pytest.fixture
def other_agency_staff(other_agency):
    """A staff user of `other_agency`: must never act on `agency`'s work."""
    return AgencyStaffUserFactory(agency=other_agency)


@pytest.fixture
def agency_reviewer(agency):
    """The reviewer (负责人) of `agency`."""
    return AgencyReviewerUserFactory(agency=agency)


@pytest.fixture
def meeting(db):
    return MeetingFactory()


@pytest.fixture
def other_meeting(db):
    return MeetingFactory()


@pytest.fixture
def members(db):
    """Three members who co-sign joint proposals, in signing order."""
    return [MemberFactory(name=name) for name in ("张建山", "李明华", "王晓红")]


@pytest.fixture
def member_user(db):
    """A member with a login (their app or portal)."""
    return MemberUserFactory()


@pytest.fixture
def ground(db):
    """One of the office's listed grounds for not accepting a proposal."""
    return not_accept_ground()
