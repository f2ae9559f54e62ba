"""What a new office sees in its first week, in headless Chromium at 1366×768 and on a 390 px phone
(issue 23): the 批量交办 form in Chinese, the agency's 工作台 on a phone, the figures' charts and the
read-only pages. Screenshots are kept in var/screenshots/."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.sessions import DESK, PHONE, log_in, with_password
from tests.factories import AgencyFactory, ClerkFactory, accepted_proposal

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
