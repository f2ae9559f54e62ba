"""Headless Chromium on the public pages: list, search, open a letter, on a phone-sized screen, with
JavaScript switched off (the pages must not need it).

Drives the system browser (/usr/bin/chromium, Debian's package; .ci/run installs it with
fonts-noto-cjk); `playwright install` is never needed.
"""

from __future__ import annotations

import os
import shutil

import pytest

from replies import workflow as reply_workflow
from tests.factories import AgencyFactory, AgencyReviewerUserFactory, AgencyStaffUserFactory, signed_assignment
from tests.replies.builders import walk_reply


PHONE = {"width": 390, "height": 844}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def publish(clerk, *, agency_name, title, body, addressee, number):
    agency = AgencyFactory(name=agency_name)
    staff, reviewer = AgencyStaffUserFactory(agency=agency), AgencyReviewerUserFactory(agency=agency)
    assignment = signed_assignment(by_clerk=clerk, staff=staff)
    reply = walk_reply(assignment, staff=staff, reviewer=reviewer, to="sent", title=title, body=body,
                       addressee=addressee, document_number=number)
    return reply_workflow.publish_reply(reply=reply, by=staff)


@pytest.fixture
def letters(clerk):
    ai = publish(clerk, agency_name="广州市科学技术局", title="广州市科学技术局关于人工智能产业提案的答复",
                 body="您提出的提案收悉。\n一、有关工作开展情况\n加快人工智能产业发展。", addressee="张建山委员",
                 number="穗科函〔2022〕123号")
    school = publish(clerk, agency_name="广州市教育局", title="广州市教育局关于校园食品安全提案的答复",
                     body="您提出的提案收悉。\n我局将加强校园食堂监管,每学期开展专项检查。", addressee="叶君委员",
                     number="穗教函〔2022〕8号")
    return ai, school


def test_a_phone_lists_searches_and_reads_a_letter_without_javascript(browser, live_server, letters, tmp_path):
    ai, school = letters
    context = browser.new_context(java_script_enabled=False, viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/public/replies/")
    assert page.title() == "建议提案办理情况公开"
    assert page.locator("ol.replies li").count() == 2
    assert page.locator(".count").inner_text() == "共 2 件"

    page.fill("input[name=q]", "食堂")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert "q=%E9%A3%9F%E5%A0%82" in page.url
    titles = page.locator("ol.replies a.title").all_inner_texts()
    assert titles == [school.title]
    assert page.locator(".count").inner_text() == "共 1 件"
    page.screenshot(path=str(tmp_path / "list.png"), full_page=True)

    page.click(f"text={school.title}")
    page.wait_for_load_state()
    assert page.url.endswith(f"/public/replies/{school.pk}/")
    assert page.locator("h1").inner_text() == school.title
    assert page.locator(".addressee").inner_text() == "叶君委员："
    assert "我局将加强校园食堂监管" in page.locator("article.letter").inner_text()
    assert page.locator(".signature").inner_text().split("\n") == ["广州市教育局", "2022年5月27日"]
    assert "穗教函〔2022〕8号" in page.locator("table.info").inner_text()
    page.screenshot(path=str(tmp_path / "reply.png"), full_page=True)
    context.close()

    # Nothing is wider than the phone's screen (no sideways scrolling), on either page.
    measuring = browser.new_context(viewport=PHONE).new_page()
    for url in ("/public/replies/", f"/public/replies/{school.pk}/"):
        measuring.goto(f"{live_server.url}{url}")
        assert measuring.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    if os.environ.get("PUBLIC_SCREENSHOTS"):
        for name in ("list.png", "reply.png"):
            shutil.copy(tmp_path / name, os.path.join(os.environ["PUBLIC_SCREENSHOTS"], name))
