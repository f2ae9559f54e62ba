"""Fixtures every test module may use: the office's people and a meeting to file proposals at.

Each is small and obvious; build anything more specific with tests/factories.py.
"""

import pytest

from tests import parallel
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


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, request):
    """pytest-django's test database; a reused one (--reuse-db, see tests/parallel.py) is left at
    the end as its migrations made it, since a transactional test flushes it."""
    if not parallel.reusing(request.config):
        yield
        return
    from django.db import connection

    with django_db_blocker.unblock():
        if getattr(connection, "_test_serialized_contents", None) is None:
            connection._test_serialized_contents = connection.creation.serialize_db_to_string()
    yield
    with django_db_blocker.unblock():
        parallel.restore_reused_database(connection)


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
