"""Headless Chromium on a phone: a member opens the link of their 评价邀请, signs in, reads the
letter and rates it (issue 13 items 2 and 3).

Drives Debian's /usr/bin/chromium through Playwright (the `browser` fixture); screenshots are kept
in the test's tmp_path, and copied to $MEMBER_SCREENSHOTS when it is set.
"""

from __future__ import annotations

import os
import re
import shutil
from urllib.parse import urlsplit

import pytest

from notifications import services
from notifications.models import Kind, Notification
from notifications.stages import install_default_stages
from notifications.models import Stage
from replies.models import Feedback
from tests.factories import (
    AgencyFactory,
    AgencyReviewerUserFactory,
    AgencyStaffUserFactory,
    MemberFactory,
    MemberUserFactory,
    signed_assignment,
)
from tests.replies.builders import walk_reply

PHONE = {"width": 390, "height": 844}
PASSWORD = "member-browser-7h2q"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def shoot(page, tmp_path, name: str) -> None:
    page.screenshot(path=str(tmp_path / name), full_page=True)
    if os.environ.get("MEMBER_SCREENSHOTS"):
        shutil.copy(tmp_path / name, os.path.join(os.environ["MEMBER_SCREENSHOTS"], name))


def test_member_opens_the_notice_link_on_a_phone_and_rates(browser, live_server, clerk, tmp_path):
    install_default_stages(Stage)
    member = MemberFactory(name="张建山", email="zhang@example.org")
    user = MemberUserFactory(member=member, first_name="张建山")
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    agency = AgencyFactory(name="广州市科学技术局")
    staff, reviewer = AgencyStaffUserFactory(agency=agency), AgencyReviewerUserFactory(agency=agency)
    assignment = signed_assignment(by_clerk=clerk, staff=staff, proposers=[member],
                                   title="关于促进人工智能产业健康发展的提案")
    reply = walk_reply(assignment, staff=staff, reviewer=reviewer, to="sent", document_number="穗科函〔2026〕15号")
    services.sweep_notifications()
    invitation = Notification.objects.get(kind=Kind.FEEDBACK_REQUEST, channel="in_app", recipient=user)
    link = urlsplit(invitation.link)
    assert link.path == f"/my/proposals/{assignment.proposal_id}/"

    page = browser.new_context(viewport=PHONE, locale="zh-CN").new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}{link.path}")
    assert page.locator("h1").inner_text() == "委员/代表登录"
    shoot(page, tmp_path, "member-login.png")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"**{link.path}")
    assert "已答复" in page.locator("table.info").first.inner_text()
    assert reply.title in page.locator("article.letter").inner_text()
    assert "穗科函〔2026〕15号" in page.locator("article.letter").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shoot(page, tmp_path, "member-detail.png")

    page.get_by_label("满意", exact=True).first.check()  # 办理态度
    page.locator("input[name=result][value=basically_satisfied]").check()
    page.fill("textarea[name=comments]", "答复具体,感谢。")
    page.get_by_role("button", name="提交评价").click()
    page.wait_for_selector(".messages li")
    assert page.locator(".messages li").inner_text() == "评价已提交，感谢您的意见。"
    assert "基本满意" in page.locator("body").inner_text()
    shoot(page, tmp_path, "member-rated.png")
    feedback = Feedback.objects.get(member=member)
    assert (feedback.attitude, feedback.result, feedback.comments) == ("satisfied", "basically_satisfied", "答复具体,感谢。")

    page.goto(f"{live_server.url}/my/")
    assert page.locator("ol.cards li").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shoot(page, tmp_path, "member-list.png")


def _rated_with_an_open_assisting_opinion(clerk, member, agency, staff, reviewer):
    """A proposal whose lead replied (the office waived the late 会办 opinion) and that the member rated."""
    from proposals.models import Assignment
    from replies import workflow

    assisting = AgencyFactory(name="广州市财政局")
    assignment = signed_assignment(by_clerk=clerk, staff=staff, proposers=[member], assisting=[assisting],
                                   title="关于加快建设科技创新平台的提案")
    opinion = assignment.proposal.assignments.get(role=Assignment.Role.ASSISTING)
    workflow.waive_opinion(assignment=opinion, by=clerk, reason="会办意见逾期,经催办仍未提交")
    walk_reply(assignment, staff=staff, reviewer=reviewer, to="sent", document_number="穗科函〔2026〕16号")
    workflow.record_feedback(proposal=assignment.proposal, member=member, attitude="satisfied", result="satisfied",
                             by=member.user)
    return assignment, opinion


def test_member_sees_no_lateness_on_a_rated_proposal_and_each_milestone_once(browser, live_server, clerk, tmp_path):
    """Issue 23 items 9 and 10: /my/ and the timeline as the member reads them."""
    import datetime as dt

    from proposals.models import Assignment

    member = MemberFactory(name="江霞")
    user = MemberUserFactory(member=member, first_name="江霞")
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    member.refresh_from_db()
    agency = AgencyFactory(name="广州市科学技术局")
    staff, reviewer = AgencyStaffUserFactory(agency=agency), AgencyReviewerUserFactory(agency=agency)
    rated, opinion = _rated_with_an_open_assisting_opinion(clerk, member, agency, staff, reviewer)
    assert opinion.due_on < dt.date.today() and opinion.is_open  # the 会办 opinion is long overdue, still open
    waiting = signed_assignment(by_clerk=clerk, staff=staff, proposers=[member], assisting=[AgencyFactory()],
                                title="关于优化营商环境的提案")
    reply_due = waiting.due_on
    opinion_due = waiting.proposal.assignments.get(role=Assignment.Role.ASSISTING).due_on
    assert opinion_due < reply_due

    page = browser.new_context(viewport=PHONE, locale="zh-CN").new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/my/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_selector("ol.cards")
    cards = {card.locator(".title").inner_text(): card.locator(".meta").inner_text()
             for card in page.locator("ol.cards li").all()}
    shoot(page, tmp_path, "member-list-deadlines.png")
    rated_card = next(meta for title, meta in cards.items() if "科技创新平台" in title)
    waiting_card = next(meta for title, meta in cards.items() if "营商环境" in title)
    assert "已评价" in rated_card and "逾期" not in rated_card and "期限" not in rated_card
    assert f"期限：{reply_due.year}年{reply_due.month}月{reply_due.day}日" in waiting_card
    assert f"{opinion_due.month}月{opinion_due.day}日" not in waiting_card

    page.goto(f"{live_server.url}/my/proposals/{rated.proposal_id}/")
    steps = page.locator("ol.timeline li").all_inner_texts()
    shoot(page, tmp_path, "member-timeline.png")
    for label in ("签收", "答复", "评价"):
        assert sum(1 for text in steps if text.split("\n")[0].split(" · ")[0].endswith(label)) == 1, (label, steps)
    body = page.locator("body").inner_text()
    assert "已逾期" not in body
    assert not re.search(r"\d{4}-\d\d-\d\d", body), body
