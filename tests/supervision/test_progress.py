"""Progress: the lead agency reports from its 工作台 at the office's rounds, is reminded once
through the outbox, and the clerk sees the late ones; an agency sees only its own key proposals."""

from __future__ import annotations

import re

import pytest
from django.test.utils import CaptureQueriesContext
from django.db import connection

from notifications.models import Kind, Notification
from notifications.services import sweep_notifications
from supervision import workflow
from supervision.models import ProgressReport, SupervisionSettings
from tests.factories import AgencyFactory, AgencyStaffUserFactory
from tests.supervision.builders import key_proposals, progress_round, topic
from tracker.errors import PermissionRefused, WorkflowError

pytestmark = pytest.mark.django_db


def section(html: str, key: str) -> str:
    match = re.search(rf'id="wb-{key}">(.*?)</section>', html, re.S)
    assert match, f"section {key} missing"
    return match.group(1)


def test_the_lead_agency_reports_once_per_round_and_no_other_agency_may(clerk, meeting, agency, agency_staff,
                                                                         other_agency_staff):
    topic_, [key, *_] = key_proposals(clerk=clerk, meeting=meeting, lead=agency)
    first = progress_round(topic_, days_from_today=5)
    with pytest.raises(PermissionRefused):
        workflow.report_progress(key=key, round=first, text="已完成调研", by=other_agency_staff)
    with pytest.raises(WorkflowError) as refused:
        workflow.report_progress(key=key, round=first, text=" ", by=agency_staff)
    assert refused.value.zh == "请填写办理进展"
    report = workflow.report_progress(key=key, round=first, text="已完成全市算力资源摸底", by=agency_staff)
    assert (report.agency, report.reported_by) == (agency, agency_staff)
    with pytest.raises(WorkflowError) as refused:
        workflow.report_progress(key=key, round=first, text="再报一次", by=agency_staff)
    assert "已报送" in refused.value.zh
    assert ProgressReport.objects.count() == 1


def test_the_agency_reports_from_its_workbench_and_the_clerk_sees_the_late_ones(client, clerk, meeting, agency,
                                                                                 agency_staff):
    topic_, keys = key_proposals(clerk=clerk, meeting=meeting, lead=agency)
    late = progress_round(topic_, days_from_today=-3, title="第一季度")
    progress_round(topic_, days_from_today=20, title="答复前")
    client.force_login(agency_staff)
    owed = section(client.get("/admin/").content.decode(), "key_progress_owed")
    assert owed.count("<tr>") == 1 + 6  # three proposals, two rounds each
    assert f"?key_proposal={keys[0].pk}&amp;round={late.pk}" in owed

    response = client.post(f"/admin/supervision/progressreport/add/?key_proposal={keys[0].pk}&round={late.pk}",
                           {"key_proposal": keys[0].pk, "round": late.pk, "text": "已牵头制定实施方案"})
    assert response.status_code == 302
    assert ProgressReport.objects.get().key_proposal == keys[0]

    client.force_login(clerk)
    late_rows = section(client.get("/admin/").content.decode(), "key_progress_late")
    assert late_rows.count("<tr>") == 1 + 2 and agency.name in late_rows and "逾期3天" in late_rows


def test_an_agency_sees_only_its_own_key_proposals_and_may_report_only_on_them(client, clerk, meeting, agency,
                                                                                agency_staff):
    other = AgencyFactory(name="广州市工业和信息化局")
    _topic, mine = key_proposals(clerk=clerk, meeting=meeting, lead=agency, n=1)
    their_topic, theirs = key_proposals(clerk=clerk, meeting=meeting, lead=other, n=1, subject="国际消费中心城市",
                                        topic_=topic(clerk=clerk, meeting=meeting, title="建设国际消费中心城市"))
    their_round = progress_round(their_topic, days_from_today=5)
    client.force_login(agency_staff)
    listing = client.get("/admin/supervision/keyproposal/").content.decode()
    assert mine[0].proposal.title in listing and theirs[0].proposal.title not in listing
    assert client.get(f"/admin/supervision/keyproposal/{theirs[0].pk}/change/").status_code == 404
    response = client.post("/admin/supervision/progressreport/add/",
                           {"key_proposal": theirs[0].pk, "round": their_round.pk, "text": "越权报送"})
    assert response.status_code == 200 and not ProgressReport.objects.exists()


def test_the_reminder_goes_through_the_outbox_exactly_once(clerk, meeting, agency, agency_staff):
    agency.email = "keji@example.org"
    agency.save(update_fields=["email"])
    topic_, keys = key_proposals(clerk=clerk, meeting=meeting, lead=agency, n=2)
    progress_round(topic_, days_from_today=5)        # within the office's 7 days: reminded
    progress_round(topic_, days_from_today=30, title="答复前")  # not yet
    sweep_notifications()
    sweep_notifications()
    reminders = Notification.objects.filter(kind=Kind.PROGRESS_DUE)
    # Two key proposals × (the staff member in-app + the agency's mailbox), once each.
    assert reminders.count() == 4
    assert set(reminders.values_list("channel", flat=True)) == {"in_app", "email"}
    assert all("第一季度" in n.body and "/admin/supervision/progressreport/add/" in n.link for n in reminders)
    workflow.report_progress(key=keys[0], round=topic_.rounds.get(title="第一季度"), text="进展顺利", by=agency_staff)
    SupervisionSettings.objects.update_or_create(pk=1, defaults={"progress_reminder_days": 40})
    sweep_notifications()
    assert Notification.objects.filter(kind=Kind.PROGRESS_DUE).count() == 8  # the 答复前 round now, once


@pytest.mark.parametrize("user_fixture", ["clerk", "agency_staff"])
def test_the_key_list_and_the_workbench_cost_the_same_queries_for_many_rows(client, clerk, meeting, agency,
                                                                             agency_staff, user_fixture, request):
    user = request.getfixturevalue(user_fixture)
    topic_, _ = key_proposals(clerk=clerk, meeting=meeting, lead=agency, n=2)
    progress_round(topic_, days_from_today=-1)
    client.force_login(user)

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    SupervisionSettings.current()  # the office's settings row exists once the office has saved them
    few = [queries(url) for url in ("/admin/supervision/keyproposal/", "/admin/")]
    key_proposals(clerk=clerk, meeting=meeting, lead=agency, n=6, topic_=topic_)
    AgencyStaffUserFactory(agency=agency)
    assert [queries(url) for url in ("/admin/supervision/keyproposal/", "/admin/")] == few
