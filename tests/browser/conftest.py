"""The headless Chromium fixture for every browser test here (see tests/browser_fixtures.py)."""

from tests.browser_fixtures import browser  # noqa: F401
