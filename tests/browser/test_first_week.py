"""What a new office sees in its first week, in headless Chromium at 1366×768 and on a 390 px phone
(issue 23): the 批量交办 form in Chinese, the agency's 工作台 on a phone, the figures' charts and the
read-only pages. Screenshots are kept in var/screenshots/."""

from __future__ import annotations

from pathlib import Path

import pytest

from proposals import workflow as proposal_workflow
from tests.browser.sessions import DESK, PHONE, log_in, with_password
from tests.factories import (
    AgencyFactory,
    AgencyStaffUserFactory,
    ClerkFactory,
    MeetingFactory,
    MemberFactory,
    accepted_proposal,
    assigned_proposal,
    assignment_of,
)
from tests.reports.builders import build_counted_meeting

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def open_batch_assign(page, live_server) -> None:
    page.goto(f"{live_server.url}/admin/proposals/proposal/")
    page.check("#action-toggle")
    page.select_option("select[name=action]", "assign_selected")
    page.click("button[name=index]")
    page.wait_for_selector("#id_assisting_from")


@pytest.mark.parametrize("viewport, name", [(DESK, "batch-assign-desk"), (PHONE, "batch-assign-phone")])
def test_batch_assign_form_speaks_chinese_with_its_label_beside_the_widget(browser, live_server, viewport, name):
    clerk = with_password(ClerkFactory(), "王", "敏")
    AgencyFactory(name="广州市科学技术局"), AgencyFactory(name="广州市教育局")
    accepted_proposal(by=clerk, title="关于完善自动驾驶道路测试管理的提案")
    page = log_in(browser, live_server, clerk, viewport=viewport)

    open_batch_assign(page, live_server)
    shoot(page, name)

    widget_text = page.locator(".selector").inner_text()
    for english in ("Choose", "Remove", "Available", "Chosen", "Filter"):
        assert english not in widget_text, widget_text
    assert "全部选择会办单位" in widget_text
    label, widget = (page.locator(selector).bounding_box() for selector in ("label[for=id_assisting]", ".selector"))
    # The label stands before the widget: to its left on a desk, above it on a phone.
    assert label["x"] + label["width"] <= widget["x"] or label["y"] + label["height"] <= widget["y"], (label, widget)


def off_screen(page) -> int:
    """How far the page reaches past the right edge of the screen, in CSS pixels."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("viewport, name", [(DESK, "workbench-agency-desk"), (PHONE, "workbench-agency-phone")])
def test_the_agencys_workbench_fits_a_desk_and_a_phone(browser, live_server, viewport, name):
    clerk = ClerkFactory()
    science = AgencyFactory(name="广州市科学技术局")
    staff = with_password(AgencyStaffUserFactory(agency=science), "陈", "晓")
    for session in (1, 2):  # the same number at two meetings: the meeting is named, which widens the column
        meeting = MeetingFactory(term=14, session=session)
        for number in ("1008", "1012"):
            proposer = MemberFactory(name=f"委员{session}{number}", phone="13800138000", email="m@example.org")
            proposal = assigned_proposal(by=clerk, lead=science, meeting=meeting, number=number, proposers=[proposer],
                                         title="关于加快建设粤港澳大湾区国际科技创新中心核心引擎的提案")
            if number == "1012":
                proposal_workflow.sign_for_assignment(assignment=assignment_of(proposal, science), by=staff)
    page = log_in(browser, live_server, staff, viewport=viewport)

    page.goto(f"{live_server.url}/admin/")
    shoot(page, name)

    assert off_screen(page) <= 0
    heading = page.locator("#content h1").bounding_box()
    assert heading["height"] < 50, heading  # one line: 办理工作台, not 办理工作/台
    for cell in page.locator(".workbench-section td").all():
        box = cell.bounding_box()
        assert box["x"] + box["width"] <= viewport["width"], (cell.inner_text(), box)


def test_the_agency_chart_shows_each_agencys_whole_name(browser, live_server):
    clerk = with_password(ClerkFactory(), "王", "敏")
    counted = build_counted_meeting(clerk)
    page = log_in(browser, live_server, clerk)

    page.goto(f"{live_server.url}/admin/reports/dashboard/?meeting={counted.meeting.pk}")
    page.wait_for_selector("#chart-agencies svg")
    page.locator("#chart-agencies").scroll_into_view_if_needed()
    shoot(page, "dashboard-charts-desk")

    clipped = page.evaluate("""() => Array.from(document.querySelectorAll('#chart-agencies svg .axis.y .guides text,'
        + '#chart-funnel svg .axis.y .guides text')).filter(text => {
            const label = text.getBoundingClientRect(), svg = text.ownerSVGElement.getBoundingClientRect();
            return text.textContent.trim() && label.left < svg.left;
        }).map(text => text.textContent)""")
    assert not clipped, clipped
