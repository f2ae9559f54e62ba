"""The admin's start page is each role's own to-do list (工作台): what is listed, where each row
leads, that nobody sees another agency's work, and that it costs the same queries at any size."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from proposals import workflow as proposal_workflow
from replies import workflow as reply_workflow
from tests.factories import (
    AgencyReviewerUserFactory,
    MeetingFactory,
    MemberFactory,
    MemberUserFactory,
    accepted_proposal,
    assigned_proposal,
    assignment_of,
    registered_proposal,
)
from tests.replies.builders import hold_communication, letter

pytestmark = pytest.mark.django_db

START = reverse("admin:index")


def section(html: str, key: str) -> str:
    """One section of the start page, by its id."""
    match = re.search(rf'<section class="module workbench-section" id="wb-{key}">(.*?)</section>', html, re.S)
    assert match, f"section {key} missing"
    return match.group(1)


def count_in(html: str, key: str) -> int:
    return int(re.search(r'<span class="count[^"]*">(\d+)</span>', section(html, key)).group(1))


def due_in_a_few_days() -> dt.date:
    """An assignment date whose three-month reply deadline falls within the coming week."""
    return timezone.localdate() - dt.timedelta(days=89)


def open_page(client, user) -> str:
    client.force_login(user)
    response = client.get(START)
    assert response.status_code == 200
    return response.content.decode()


# --- the clerk -------------------------------------------------------------------------------------


def test_clerk_opens_on_review_assignment_requests_and_lateness(client, clerk, agency, agency_staff, other_agency):
    submitted = registered_proposal(by=clerk, title="关于加快建设人工智能公共算力平台的提案")
    accepted = accepted_proposal(by=clerk, title="关于推进中小学人工智能教育的提案")
    late = assigned_proposal(by=clerk, lead=agency, assisting=[other_agency], title="关于完善自动驾驶道路测试管理的提案")
    asking = assigned_proposal(by=clerk, lead=agency, on=timezone.localdate(), title="关于支持高校科技成果转化的提案")
    proposal_workflow.request_reassignment(assignment=assignment_of(asking, agency), reason="不属于本单位职责",
                                           by=agency_staff)
    extension = proposal_workflow.request_extension(
        assignment=assignment_of(asking, agency), by=agency_staff, reason="需会同多部门调研",
        until=assignment_of(asking, agency).due_on + dt.timedelta(days=30),
    )

    html = open_page(client, clerk)

    assert count_in(html, "to_review") == 1 and submitted.title in section(html, "to_review")
    assert reverse("admin:proposals_proposal_change", args=[submitted.pk]) in section(html, "to_review")
    assert count_in(html, "to_assign") == 1 and accepted.title in section(html, "to_assign")
    assert "不属于本单位职责" in section(html, "reassignment_requests")
    assert reverse("admin:proposals_extension_change", args=[extension.pk]) in section(html, "extension_requests")
    by_agency = section(html, "late_by_agency")
    assert agency.name in by_agency and count_in(html, "late_by_agency") == 1
    assert f"agency__id__exact={agency.pk}&amp;deadline=overdue" in by_agency
    opinions = section(html, "overdue_opinions")
    assert other_agency.name in opinions and late.title in opinions
    assert "逾期" in opinions


def test_clerk_sees_b_class_replies_under_follow_up(client, clerk, agency, agency_staff, agency_reviewer):
    proposal = assigned_proposal(by=clerk, lead=agency)
    assignment = proposal_workflow.sign_for_assignment(assignment=assignment_of(proposal, agency), by=agency_staff)
    hold_communication(assignment, agency_staff)
    reply = reply_workflow.draft_reply(assignment=assignment, by=agency_staff,
                                       **letter(category="B", document_number="穗科函〔2026〕7号"))
    reply = reply_workflow.submit_reply(reply=reply, by=agency_staff)
    reply = reply_workflow.sign_off_reply(reply=reply, by=agency_reviewer)
    reply_workflow.send_reply(reply=reply, by=agency_staff)

    follow_ups = section(open_page(client, clerk), "follow_ups")

    assert reply.title in follow_ups
    assert reverse("admin:replies_reply_change", args=[reply.pk]) in follow_ups


# --- the agency ------------------------------------------------------------------------------------


def test_agency_staff_opens_on_sign_for_communicate_draft_and_due_soon(client, clerk, agency, agency_staff,
                                                                        other_agency):
    proposer = MemberFactory(name="张建山", phone="13800138000", email="zhang@example.org")
    new = assigned_proposal(by=clerk, lead=agency, proposers=[proposer], on=due_in_a_few_days(),
                            title="关于促进人工智能产业健康发展的提案")
    signed = assigned_proposal(by=clerk, lead=agency, title="关于优化科技型中小企业研发费用补助的提案")
    signed_assignment = proposal_workflow.sign_for_assignment(assignment=assignment_of(signed, agency),
                                                              by=agency_staff)
    helping = assigned_proposal(by=clerk, lead=other_agency, assisting=[agency], title="关于培育智能网联汽车产业集群的提案")
    proposal_workflow.sign_for_assignment(assignment=assignment_of(helping, agency), by=agency_staff)
    theirs = assigned_proposal(by=clerk, lead=other_agency, title="关于校园食品安全的提案")

    html = open_page(client, agency_staff)

    assert new.title in section(html, "to_sign_for")
    assert reverse("admin:proposals_assignment_change", args=[assignment_of(new, agency).pk]) in section(html, "to_sign_for")
    contacts = section(html, "to_communicate")
    assert "张建山" in contacts and "13800138000" in contacts and "zhang@example.org" in contacts
    assert f"?assignment={signed_assignment.pk}" in section(html, "to_draft")
    assert helping.title in section(html, "opinions_to_send")
    assert new.title in section(html, "due_soon")
    assert theirs.title not in html
    assert "wb-to_review" not in html  # the office's lists are not the agency's


def test_the_same_number_of_two_meetings_is_told_apart_by_its_meeting(client, clerk, agency, agency_staff):
    first = MeetingFactory(term=14, session=1, name="政协第十四届广州市委员会第一次会议")
    second = MeetingFactory(term=14, session=2, name="政协第十四届广州市委员会第二次会议")
    for meeting in (first, second):
        assigned_proposal(by=clerk, lead=agency, meeting=meeting, number="1008", title="关于完善自动驾驶道路测试管理的提案")

    to_sign_for = section(open_page(client, agency_staff), "to_sign_for")

    assert "政协十四届一次会议第1008号" in to_sign_for and "政协十四届二次会议第1008号" in to_sign_for


def test_returned_draft_is_listed_for_its_drafter(client, clerk, agency, agency_staff, agency_reviewer):
    proposal = assigned_proposal(by=clerk, lead=agency)
    assignment = proposal_workflow.sign_for_assignment(assignment=assignment_of(proposal, agency), by=agency_staff)
    hold_communication(assignment, agency_staff)
    reply = reply_workflow.submit_reply(
        reply=reply_workflow.draft_reply(assignment=assignment, by=agency_staff, **letter()), by=agency_staff
    )
    reply_workflow.return_reply(reply=reply, by=agency_reviewer, comment="请补充下一步工作计划")

    drafts = section(open_page(client, agency_staff), "drafts")

    assert "退回修改" in drafts and reverse("admin:replies_reply_change", args=[reply.pk]) in drafts


def test_communication_held_takes_the_item_off_the_to_communicate_list(client, clerk, agency, agency_staff):
    proposal = assigned_proposal(by=clerk, lead=agency)
    assignment = proposal_workflow.sign_for_assignment(assignment=assignment_of(proposal, agency), by=agency_staff)
    assert proposal.title in section(open_page(client, agency_staff), "to_communicate")

    hold_communication(assignment, agency_staff)

    assert proposal.title not in section(open_page(client, agency_staff), "to_communicate")


# --- the reviewer ----------------------------------------------------------------------------------


def test_reviewer_opens_on_letters_to_sign_off_with_the_drafters_name(client, clerk, agency, agency_staff,
                                                                       agency_reviewer):
    agency_staff.last_name, agency_staff.first_name = "陈", "晓"
    agency_staff.save(update_fields=["last_name", "first_name"])
    proposal = assigned_proposal(by=clerk, lead=agency)
    assignment = proposal_workflow.sign_for_assignment(assignment=assignment_of(proposal, agency), by=agency_staff)
    hold_communication(assignment, agency_staff)
    reply = reply_workflow.submit_reply(
        reply=reply_workflow.draft_reply(assignment=assignment, by=agency_staff, **letter()), by=agency_staff
    )

    to_sign_off = section(open_page(client, agency_reviewer), "to_sign_off")

    assert reverse("admin:replies_reply_change", args=[reply.pk]) in to_sign_off
    assert "陈晓" in to_sign_off and agency_staff.username not in to_sign_off


def test_another_agencys_reviewer_sees_none_of_it(client, clerk, agency, agency_staff, other_agency):
    proposal = assigned_proposal(by=clerk, lead=agency)
    assignment = proposal_workflow.sign_for_assignment(assignment=assignment_of(proposal, agency), by=agency_staff)
    hold_communication(assignment, agency_staff)
    reply_workflow.submit_reply(
        reply=reply_workflow.draft_reply(assignment=assignment, by=agency_staff, **letter()), by=agency_staff
    )

    html = open_page(client, AgencyReviewerUserFactory(agency=other_agency))

    assert count_in(html, "to_sign_off") == 0 and proposal.title not in html


def test_a_member_is_sent_to_the_login_page(client):
    client.force_login(MemberUserFactory())
    response = client.get(START)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


# --- cost --------------------------------------------------------------------------------------------


def _work(clerk, agency, agency_staff, reviewer, helping_lead, n: int) -> None:
    """n items in each list of each role."""
    for index in range(n):
        registered_proposal(by=clerk)
        accepted_proposal(by=clerk)
        assigned_proposal(by=clerk, lead=agency, assisting=[helping_lead],
                          proposers=[MemberFactory(phone=f"1380000{index:04d}")])
        asking = assigned_proposal(by=clerk, lead=agency, on=timezone.localdate())
        proposal_workflow.request_reassignment(assignment=assignment_of(asking, agency), reason="职责不符",
                                               by=agency_staff)
        signed = assigned_proposal(by=clerk, lead=agency)
        assignment = proposal_workflow.sign_for_assignment(assignment=assignment_of(signed, agency), by=agency_staff)
        hold_communication(assignment, agency_staff)
        reply_workflow.submit_reply(reply=reply_workflow.draft_reply(assignment=assignment, by=agency_staff,
                                                                     **letter()), by=agency_staff)


@pytest.mark.parametrize("n", [0, 2, 12])
def test_each_start_page_costs_a_fixed_number_of_queries(client, clerk, agency, agency_staff, agency_reviewer,
                                                         other_agency, django_assert_num_queries, n):
    _work(clerk, agency, agency_staff, agency_reviewer, other_agency, n)
    # +2 each: the office-wide alerts (outbox paused, last backup) speak on the start page; the
    # clerk's +1: the lead agencies' requests for 不待会办意见. Key proposals add their lists (the
    # clerk: urgent proposals, key replies to review, late progress, the office's settings and the
    # admin's permissions for their pages; the lead agency: progress owed). Every list is counted whatever its
    # length, so the figures are exact: the same for no work as for five years of it.
    for user, queries in ((clerk, 30), (agency_staff, 26), (agency_reviewer, 13)):
        client.force_login(user)
        client.get(START)  # the first visit of a session loads what later ones find cached
        with django_assert_num_queries(queries):
            assert client.get(START).status_code == 200


def test_the_assignment_page_shows_the_proposers_contacts_to_its_agency_only(client, clerk, agency, agency_staff,
                                                                             other_agency_staff):
    proposer = MemberFactory(name="张建山", phone="13800138000", email="zhang@example.org")
    proposal = assigned_proposal(by=clerk, lead=agency, proposers=[proposer])
    url = reverse("admin:proposals_assignment_change", args=[assignment_of(proposal, agency).pk])

    client.force_login(agency_staff)
    page = client.get(url).content.decode()
    assert "13800138000" in page and "zhang@example.org" in page

    client.force_login(other_agency_staff)
    response = client.get(url)
    assert response.status_code in (302, 404) and "13800138000" not in response.content.decode()


def test_a_waived_opinion_is_no_longer_listed_as_late(client, clerk, agency, other_agency):
    proposal = assigned_proposal(by=clerk, lead=agency, assisting=[other_agency])
    assert proposal.title in section(open_page(client, clerk), "overdue_opinions")

    reply_workflow.waive_opinion(assignment=assignment_of(proposal, other_agency), by=clerk, reason="经催办仍未提交")

    assert proposal.title not in section(open_page(client, clerk), "overdue_opinions")
