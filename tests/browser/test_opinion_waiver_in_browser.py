"""Headless Chromium, issue 23 item 2: the lead agency meets a missing 会办 opinion on its reply
page, reminds the assisting agency and asks the office for 不待会办意见 in one step; the clerk
grants it from the 工作台; the lead's page shows the waiver and the reply goes on to review.

Screenshots at 1366×768 are kept in var/screenshots/waiver-*.png.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from notifications.models import Kind, Notification
from proposals import workflow as proposal_workflow
from replies import workflow
from replies.models import OpinionWaiver, OpinionWaiverRequest, Reply
from tests.browser.sessions import log_in, take_step, with_password
from tests.factories import (
    AgencyFactory,
    AgencyReviewerUserFactory,
    AgencyStaffUserFactory,
    ClerkFactory,
    MemberFactory,
    assigned_proposal,
    assignment_of,
)
from tests.replies.builders import hold_communication, letter

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"waiver-{name}.png"))


def test_lead_asks_for_the_waiver_and_the_clerk_grants_it_from_the_workbench(browser, live_server):
    clerk = with_password(ClerkFactory(last_name="王", first_name="芳"))
    science = AgencyFactory(name="广州市科学技术局")
    finance = AgencyFactory(name="广州市财政局")
    staff = with_password(AgencyStaffUserFactory(agency=science, last_name="陈", first_name="晓"))
    AgencyReviewerUserFactory(agency=science)
    finance_staff = AgencyStaffUserFactory(agency=finance)
    proposal = assigned_proposal(by=clerk, lead=science, assisting=[finance], proposers=[MemberFactory(name="张建山")],
                                 title="关于加快建设科技创新平台的提案")
    lead = proposal_workflow.sign_for_assignment(assignment=assignment_of(proposal, science), by=staff)
    proposal_workflow.sign_for_assignment(assignment=assignment_of(proposal, finance), by=finance_staff)
    hold_communication(lead, staff)
    draft = workflow.draft_reply(assignment=lead, by=staff, **letter())

    # The lead agency: its reply page says, before any click, whose opinion it waits for.
    page = log_in(browser, live_server, staff)
    page.goto(f"{live_server.url}/admin/replies/reply/{draft.pk}/change/")
    banner = page.locator("#opinions-blocking").inner_text()
    assert "须待广州市财政局提交会办意见" in banner and "不待会办意见" in banner
    assert "广州市财政局:尚未提交" in page.locator("#handling-opinions").inner_text().replace("：", ":")
    shoot(page, "1-reply-waits-for-opinion")
    page.locator("#opinions-blocking").get_by_role("link", name="催办并申请不待会办意见").click()
    page.fill("#id_reason", "会办意见已逾期，经电话催办仍未提交")
    shoot(page, "2-request-form")
    page.get_by_role("button", name="催办会办单位并报提案办").click()
    page.wait_for_selector(".messagelist .success")
    assert "待提案办决定" in page.locator("#handling-opinions").inner_text()
    shoot(page, "3-requested")
    assert Notification.objects.filter(kind=Kind.OPINION_REMINDER, recipient=finance_staff).exists()
    assert Notification.objects.filter(kind=Kind.OPINION_WAIVER_REQUESTED, recipient=clerk).exists()

    # The clerk: the request is on the 工作台; 同意 opens the form with the lead's reason.
    page = log_in(browser, live_server, clerk)
    page.goto(f"{live_server.url}/admin/")
    section = page.locator("#wb-opinion_waiver_requests")
    assert "广州市科学技术局" in section.inner_text() and "经电话催办仍未提交" in section.inner_text()
    shoot(page, "4-clerk-workbench")
    section.get_by_role("link", name="同意", exact=True).click()
    assert "经电话催办仍未提交" in page.locator("#id_reason").input_value()
    page.get_by_role("button", name="确定").click()
    page.wait_for_selector(".messagelist .success")
    shoot(page, "5-granted")
    assert OpinionWaiver.objects.filter(assignment__agency=finance).exists()
    assert OpinionWaiverRequest.objects.get().state == OpinionWaiverRequest.State.GRANTED
    page.goto(f"{live_server.url}/admin/")
    assert "没有待决定的不待会办意见申请" in page.locator("#wb-opinion_waiver_requests").inner_text()

    # The lead agency again: told, its page shows the waiver, and the reply goes on to review.
    assert Notification.objects.filter(kind=Kind.OPINION_WAIVER_DECIDED, recipient=staff).exists()
    page = log_in(browser, live_server, staff)
    page.goto(f"{live_server.url}/admin/replies/reply/{draft.pk}/change/")
    opinions = page.locator("#handling-opinions").inner_text()
    assert "提案办已同意不待其会办意见" in opinions and "尚未提交" not in opinions
    assert page.locator("#opinions-blocking").count() == 0
    shoot(page, "6-reply-after-waiver")
    take_step(page, "提交审核", "提交本单位负责人审核")
    assert Reply.objects.get(pk=draft.pk).state == Reply.State.IN_REVIEW
    shoot(page, "7-submitted")
