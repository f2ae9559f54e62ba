"""End to end in headless Chromium: a member drafts on a phone, sees a similar earlier proposal,
invites two co-proposers who each confirm from their own notice, submits; the clerk finds it on the
工作台 and 立案s it; the author and both co-proposers get the 立案 notice.

Screenshots go to the test's tmp_path, and to $SUBMISSION_SCREENSHOTS when it is set.
"""

from __future__ import annotations

import os
import shutil
from urllib.parse import urlsplit

import pytest

from notifications.models import Kind, Notification
from proposals.models import Proposal
from submissions.models import Draft
from tests.browser.sessions import DESK, PASSWORD, PHONE, log_in, take_step, with_password
from tests.factories import ClerkFactory, MeetingFactory, registered_proposal
from tests.submissions.conftest import ANALYSIS, SUGGESTIONS, member_user, open_window

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def shoot(page, tmp_path, name: str) -> None:
    page.screenshot(path=str(tmp_path / name), full_page=True)
    if os.environ.get("SUBMISSION_SCREENSHOTS"):
        shutil.copy(tmp_path / name, os.path.join(os.environ["SUBMISSION_SCREENSHOTS"], name))


def member_page(browser, live_server, user, *, viewport=PHONE, path="/my/submissions/"):
    page = browser.new_context(viewport=viewport, locale="zh-CN").new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{live_server.url}{path}")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"**{path}")
    return page


def fits(page, viewport) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


def test_a_member_drafts_on_a_phone_co_proposers_confirm_and_the_clerk_accepts(browser, live_server, tmp_path):
    earlier = MeetingFactory(name="政协十四届广州市委员会第二次会议", session=2, year=2025)
    session = MeetingFactory(name="政协十四届广州市委员会第三次会议", session=3)
    open_window(session)
    author = with_password(member_user(session, "张建山", sector="民盟"), "张", "建山")
    li, wang = (with_password(member_user(session, name, sector=sector)) for name, sector in
                (("李红", "经济界"), ("王强", "科技界")))
    clerk = with_password(ClerkFactory(), "刘", "晓")
    registered_proposal(by=clerk, meeting=earlier, proposers=[author.member],
                        title="关于推进老旧小区加装电梯的提案", body="老旧小区加装电梯审批难、资金难。")

    # The author drafts on a phone.
    page = member_page(browser, live_server, author)
    page.get_by_role("link", name="起草新的提案/建议").click()
    page.fill("#id_title", "关于加快老旧小区加装电梯的提案")
    page.select_option("#id_category", "urban")
    page.fill("#id_analysis", ANALYSIS)
    page.fill("#id_suggestions", SUGGESTIONS)
    page.fill("#id_phone", "13800001111")
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_selector("#similar")
    assert "关于推进老旧小区加装电梯的提案" in page.locator("#similar").inner_text()
    fits(page, PHONE)
    shoot(page, tmp_path, "draft-phone.png")

    page.get_by_label("李红（经济界）").check()
    page.get_by_label("王强（科技界）").check()
    page.get_by_role("button", name="发出邀请").click()
    page.wait_for_selector(".messages")
    assert "尚有联名邀请未答复" in page.locator("#blockers").inner_text()
    draft = Draft.objects.get()

    # Each co-proposer opens the link of their own notice and confirms.
    for person in (li, wang):
        notice = Notification.objects.get(kind=Kind.COSIGN_INVITED, channel="in_app", recipient=person)
        assert notice.state == "sent" or notice.state == "planned"
        own = member_page(browser, live_server, person, path=urlsplit(notice.link).path)
        assert ANALYSIS in own.locator(".body-text").inner_text()
        own.get_by_role("button", name="确认联名").click()
        own.wait_for_selector(".messages")
        assert own.locator("#my-answer").inner_text() == "已确认"
    shoot(own, tmp_path, "cosigner-phone.png")

    page.reload()
    page.get_by_role("button", name="提交").click()
    page.wait_for_selector(".messages")
    assert page.locator("#draft-state").inner_text() == "待审查"
    proposal = Proposal.objects.get(online_draft=draft)
    assert [p.member.name for p in proposal.proposers.order_by("order")] == ["张建山", "李红", "王强"]
    shoot(page, tmp_path, "submitted-phone.png")

    # The clerk finds it on the 工作台 and 立案s it.
    desk = log_in(browser, live_server, clerk, viewport=DESK)
    desk.goto(f"{live_server.url}/admin/")
    desk.locator("#wb-to_review tr", has_text=proposal.title).get_by_role("link", name=proposal.number_label).click()
    desk.wait_for_selector("#content-main")
    assert "13800001111" in desk.locator("#content-main").inner_text()  # the contacts are the office's to read
    shoot(desk, tmp_path, "clerk-proposal-desk.png")
    take_step(desk, "立案", "确定")
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.ACCEPTED
    told = Notification.objects.filter(kind=Kind.REVIEW_DECIDED, channel="in_app", proposal=proposal)
    assert {n.recipient_id for n in told} == {author.pk, li.pk, wang.pk}
    assert all("已立案" in n.subject for n in told)

    # The author's pages on a desk screen, and the list on the phone, fit their width.
    page.goto(f"{live_server.url}/my/submissions/")
    assert "已立案" in page.locator("#drafts").inner_text()
    fits(page, PHONE)
    shoot(page, tmp_path, "list-phone.png")
    wide = member_page(browser, live_server, author, viewport=DESK)
    fits(wide, DESK)
    shoot(wide, tmp_path, "list-desk.png")
    wide.goto(f"{live_server.url}/my/submissions/{draft.pk}/")
    fits(wide, DESK)
    shoot(wide, tmp_path, "submitted-desk.png")
    wide.goto(f"{live_server.url}/my/submissions/new/")
    shoot(wide, tmp_path, "new-desk.png")
