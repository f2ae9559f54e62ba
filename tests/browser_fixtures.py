"""The headless Chromium both browser tests drive: Debian's /usr/bin/chromium through Playwright
(`executable_path`, never `playwright install`; .ci/run installs it with fonts-noto-cjk).

tests/conftest.py loads this module as a plugin, so every test may ask for `browser`.
"""

import shutil

import pytest
from django.db import connections
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--no-first-run"]


@pytest.fixture
def browser(live_server, monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are still
    # plain synchronous ones.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # After live_server, so it closes first: its keep-alive connections end and the server threads
    # let go of their database connections before the test database is dropped.
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium chromium-driver fonts-noto-cjk")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)
        yield launched
        launched.close()
        # Inside this block Playwright's loop counts as running, so Django gave the test's own
        # queries a connection of their own: close it too.
        connections.close_all()
