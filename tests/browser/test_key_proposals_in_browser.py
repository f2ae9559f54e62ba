"""Headless Chromium, key proposals: the clerk sets up a topic with a progress round, selects three
proposals into it, records a 协商会 with a leading supervisor; the lead agency reports progress from
its 工作台; the dashboard shows the key section; the proposer sees on a phone who supervises.

Screenshots (1366×768; the member's page also 390×844) are kept in var/screenshots/key-*.png.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from proposals.models import Proposal
from supervision.models import Activity, KeyProposal, ProgressReport, Supervisor
from tests.browser.sessions import PASSWORD, PHONE, log_in, take_step, with_password
from tests.factories import (
    AgencyFactory,
    AgencyStaffUserFactory,
    ClerkFactory,
    MeetingFactory,
    MemberFactory,
    MemberUserFactory,
    assigned_proposal,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
TITLES = ("关于建设人工智能公共算力平台的提案", "关于推进人工智能赋能制造业的提案", "关于完善人工智能人才引进政策的提案")


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"key-{name}.png"), full_page=False)


def test_clerk_selects_and_supervises_the_agency_reports_and_the_dashboard_counts(browser, live_server):
    clerk = with_password(ClerkFactory(last_name="王", first_name="芳"))
    science = AgencyFactory(name="广州市科学技术局")
    staff = with_password(AgencyStaffUserFactory(agency=science, last_name="陈", first_name="晓"))
    meeting = MeetingFactory()
    proposer = MemberFactory(name="张建山", body=meeting.body, region=meeting.region)
    proposals = [assigned_proposal(by=clerk, meeting=meeting, lead=science, title=title,
                                   proposers=[proposer] if i == 0 else None) for i, title in enumerate(TITLES)]
    Supervisor.objects.create(name="陈志远", post="市政协副主席", phone="13800138000")
    due = timezone.localdate() + dt.timedelta(days=10)

    # The clerk: a topic with its first progress round, then the committee's decision on it.
    page = log_in(browser, live_server, clerk)
    page.goto(f"{live_server.url}/admin/supervision/keytopic/add/")
    page.select_option("#id_meeting", str(meeting.pk))
    page.fill("#id_title", "推动人工智能产业高质量发展")
    page.fill("#id_committee", "经济委员会")
    page.fill("#id_plan", "一季度开展专题调研，二季度召开督办协商会，答复前听取承办单位汇报。")
    page.select_option("#id_supervisors-0-supervisor", label="陈志远（市政协副主席）")
    page.fill("#id_rounds-0-title", "第一季度")
    page.fill("#id_rounds-0-due_on", due.isoformat())
    page.get_by_role("button", name="保存并继续编辑").click()
    page.wait_for_selector(".messagelist .success")
    take_step(page, "确定重点提案", "确定为重点", {
        "#id_numbers": "、".join(p.number for p in proposals), "#id_decision_body": "chairs",
        "#id_decision_meeting": "十四届第十次主席会议", "#id_decided_on": "2026-03-20", "#id_reason": "事关全市发展大局"})
    assert KeyProposal.objects.filter(state="selected").count() == 3
    assert Proposal.objects.filter(is_key=True).count() == 3
    shoot(page, "1-topic")

    # A 协商会 with the leading supervisor and the agency present, from the topic's page.
    page.get_by_role("link", name="记录督办活动").click()
    page.select_option("#id_kind", "consultation")
    page.fill("#id_date", timezone.localdate().isoformat())
    page.fill("#id_place", "市政协会议中心")
    page.get_by_label("陈志远（市政协副主席）").check()
    page.get_by_label("广州市科学技术局").check()
    page.fill("#id_participants", "经济委员会委员、提出人代表张建山")
    page.fill("#id_minutes", "一、承办单位通报办理进展；二、委员提出意见建议；三、陈志远副主席讲话。")
    shoot(page, "2-activity-form")
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_selector(".messagelist .success")
    activity = Activity.objects.get()
    assert activity.get_kind_display() == "协商会" and [s.name for s in activity.supervisors.all()] == ["陈志远"]
    assert list(activity.agencies.all()) == [science]

    # The lead agency: the 工作台 lists the three reports it owes; it reports on the first.
    page = log_in(browser, live_server, staff)
    page.goto(f"{live_server.url}/admin/")
    owed = page.locator("#wb-key_progress_owed")
    assert owed.locator("tbody tr").count() == 3 and "第一季度" in owed.inner_text()
    shoot(page, "3-agency-workbench")
    owed.get_by_role("link", name=proposals[0].number_label).click()
    page.fill("#id_text", "已完成全市算力资源摸底，正在起草公共算力平台建设方案。")
    shoot(page, "4-progress-form")
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_selector(".messagelist .success")
    assert ProgressReport.objects.get().key_proposal.proposal == proposals[0]
    page.goto(f"{live_server.url}/admin/")
    assert page.locator("#wb-key_progress_owed tbody tr").count() == 2

    # The dashboard: the key section counts three proposals, one topic, one 协商会.
    page = log_in(browser, live_server, clerk)
    page.goto(f"{live_server.url}/admin/reports/dashboard/?meeting={meeting.pk}")
    section = page.locator("#key-proposals")
    section.scroll_into_view_if_needed()
    text = section.inner_text()
    assert "确定重点提案/建议3件，分为1个专题" in text and "协商会1次" in text
    shoot(page, "5-dashboard")
    page.goto(f"{live_server.url}/admin/")
    shoot(page, "6-clerk-workbench")

    # The proposer, on a phone and on a desk: the proposal is key and who leads its supervision.
    member_user = MemberUserFactory(member=proposer)
    with_password(member_user)
    for name, viewport in (("7-member-phone", PHONE), ("8-member-desk", {"width": 1366, "height": 768})):
        member_page = browser.new_context(viewport=viewport, locale="zh-CN").new_page()
        member_page.goto(f"{live_server.url}/my/login/")
        member_page.fill("#id_username", member_user.username)
        member_page.fill("#id_password", PASSWORD)
        member_page.get_by_role("button", name="登录").click()
        member_page.goto(f"{live_server.url}/my/proposals/{proposals[0].pk}/")
        key_text = member_page.locator("#key-proposal").inner_text()
        assert "陈志远（市政协副主席）" in key_text and "13800138000" not in member_page.content()
        width = member_page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"]
        shoot(member_page, name)
