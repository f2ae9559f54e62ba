import pytest


from tests.reports.builders import build_counted_meeting, other_meeting_noise


@pytest.fixture
def counted(clerk):
    """The hand-countable meeting of tests/reports/builders.py, plus a proposal of another meeting."""
    other_meeting_noise(clerk)
    return build_counted_meeting(clerk)
