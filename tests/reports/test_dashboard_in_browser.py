"""统计分析 in headless Chromium: a clerk and an agency user open the dashboard and find the
charts drawn; the agency user finds only their own agency."""

from __future__ import annotations

import pytest

from tests.factories import ClerkFactory
from tests.reports.builders import build_counted_meeting

PASSWORD = "browser-test-7h2m"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def with_password(user):
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


def open_dashboard(chromium, live_server, user, meeting, screenshot=None):
    page = chromium.new_context(locale="zh-CN", viewport={"width": 1366, "height": 768}).new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")
    page.locator("a[href$='/admin/reports/dashboard/']").first.click()
    page.select_option("#id_meeting", str(meeting.pk))
    page.get_by_role("button", name="统计").click()
    page.wait_for_selector("#chart-agencies svg")
    if screenshot:
        page.screenshot(path=screenshot, full_page=True)
    return page


def drawn_bars(page) -> int:
    """Bars pygal drew in the per-agency chart (rect elements of its series)."""
    return page.locator("#chart-agencies svg .series rect").count()


def test_clerk_and_agency_see_the_charts_and_the_agency_only_its_own(browser, live_server, tmp_path):
    clerk = with_password(ClerkFactory())
    counted = build_counted_meeting(clerk)
    staff = with_password(counted.staff[counted.education.pk])

    page = open_dashboard(browser, live_server, clerk, counted.meeting, screenshot=str(tmp_path / "clerk.png"))
    for chart in ("funnel", "categories", "agencies", "weekly"):
        assert page.locator(f"#chart-{chart} svg").count() == 1
    assert drawn_bars(page) == 4  # two answering agencies × (on time, satisfied)
    agencies = page.locator("#table-agencies tbody td:first-child").all_inner_texts()
    assert set(agencies) == {"广州市科学技术局", "广州市教育局", "广州市生态环境局"}
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366

    page = open_dashboard(browser, live_server, staff, counted.meeting, screenshot=str(tmp_path / "agency.png"))
    assert page.locator("#id_agency").count() == 0
    agencies = page.locator("#table-agencies tbody td:first-child").all_inner_texts()
    assert set(agencies) == {"广州市教育局"}
    assert "广州市科学技术局" not in page.content()
    assert drawn_bars(page) == 2
