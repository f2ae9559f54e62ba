"""End to end in headless Chromium: an agency signs for an assignment, drafts and submits the
reply, its reviewer signs it off and sends it, and the proposal shows as replied.

Drives Debian's chromium through Playwright (executable_path, never `playwright install`).
"""

from __future__ import annotations

import datetime as dt

import pytest

from proposals import workflow as proposal_workflow
from proposals.models import Assignment, Communication, Proposal
from replies.models import Reply
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

pytestmark = [
    pytest.mark.browser,
    # live_server needs a transactional database; serialized_rollback restores the groups and
    # reply categories the migrations made, for the tests that run after this one.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_agency_drafts_reviewer_signs_and_the_proposal_is_replied(browser, live_server):
    clerk = ClerkFactory()
    agency = AgencyFactory(name="广州市科学技术局")
    staff = with_password(AgencyStaffUserFactory(agency=agency, first_name="陈晓"))
    reviewer = with_password(AgencyReviewerUserFactory(agency=agency, first_name="刘强"))
    proposal = assigned_proposal(by=clerk, lead=agency, proposers=[MemberFactory(name="张建山")],
                                 title="关于促进广州市人工智能产业健康发展的提案")
    assignment = assignment_of(proposal, agency)
    contact = proposal_workflow.plan_communication(assignment=assignment, by=staff, mode=Communication.Mode.FACE_TO_FACE,
                                                   date=dt.date(2026, 4, 14))
    proposal_workflow.record_communication_held(communication=contact, by=staff, outcome="与张建山委员当面座谈交流。")

    # The agency's staff: sign for the assignment, draft the letter, send it for review.
    page = log_in(browser, live_server, staff)
    page.goto(f"{live_server.url}/admin/proposals/assignment/")
    page.get_by_role("link", name=proposal.number, exact=True).click()
    take_step(page, "签收", "确认签收")
    assert Assignment.objects.get(pk=assignment.pk).state == Assignment.State.ACCEPTED
    page.get_by_role("link", name="起草答复").click()
    assert page.locator("#handling-panel").inner_text().count("张建山") >= 1
    page.fill("#id_body", "您提出的《关于促进广州市人工智能产业健康发展的提案》收悉。现答复如下:\n一、有关工作开展情况\n感谢您的关心和支持。")
    page.fill("#id_document_number", "穗科函〔2022〕123号")
    page.select_option("#id_category", "A")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    reply = Reply.objects.get(assignment=assignment)
    assert (reply.state, reply.drafted_by_id) == (Reply.State.DRAFT, staff.pk)
    take_step(page, "提交审核", "提交本单位负责人审核")
    assert Reply.objects.get(pk=reply.pk).state == Reply.State.IN_REVIEW

    # The reviewer: open the letter, sign it off, send it to the proposer.
    page = log_in(browser, live_server, reviewer)
    page.goto(f"{live_server.url}/admin/replies/reply/")
    page.get_by_role("link", name=reply.title).click()
    page.get_by_role("link", name="签发", exact=True).click()
    page.fill("#id_signed_on", "2022-05-27")
    page.get_by_role("button", name="确认签发").click()
    page.wait_for_selector(".messagelist .success")
    assert Reply.objects.get(pk=reply.pk).state == Reply.State.SIGNED
    take_step(page, "送达提出人", "确认答复已送达提出人")

    # The proposal shows as replied, on its page and in the list.
    page.goto(f"{live_server.url}/admin/proposals/proposal/{proposal.pk}/change/")
    assert "已答复" in page.locator(".field-status").inner_text()
    page.goto(f"{live_server.url}/admin/proposals/proposal/")
    assert "已答复" in page.locator("#result_list").inner_text()
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.REPLIED
    assert Reply.objects.get(pk=reply.pk).state == Reply.State.SENT
