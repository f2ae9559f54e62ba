"""Results: the key section of the dashboard and of the year-end report, the key list export for the
leadership (inert), and the member's page saying their proposal is key and who supervises it."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.test.utils import CaptureQueriesContext
from django.db import connection
from django.utils import timezone
from openpyxl import load_workbook

from proposals import workflow as proposal_workflow
from replies import workflow as reply_workflow
from reports.selectors import Scope
from supervision import workflow
from supervision.figures import key_figures
from tests.factories import AgencyReviewerUserFactory, MemberUserFactory, accepted_proposal, assignment_of
from tests.replies.builders import walk_reply
from tests.supervision.builders import key_proposals, supervisor

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervised(clerk, meeting, agency, agency_staff):
    """Two key proposals of one topic with a leader and a 协商会; one replied (A) and rated 满意."""
    accepted_proposal(by=clerk, meeting=meeting)  # not key: never counted in the key section
    topic_, keys = key_proposals(clerk=clerk, meeting=meeting, lead=agency, n=2)
    chen = supervisor()
    workflow.set_supervisors(topic=topic_, leads=[chen], by=clerk)
    workflow.record_activity(topic=topic_, kind="consultation", date=timezone.localdate(), place="市政协",
                             supervisors=[chen], agencies=[agency], by=clerk)
    workflow.record_activity(topic=topic_, kind="survey", date=timezone.localdate(), place="南沙区", by=clerk)
    assignment = proposal_workflow.sign_for_assignment(assignment=assignment_of(keys[0].proposal, agency),
                                                       by=agency_staff)
    reply = walk_reply(assignment, staff=agency_staff, reviewer=AgencyReviewerUserFactory(agency=agency), to="signed",
                       category="A")
    workflow.approve_reply(reply=reply, by=clerk, note="同意送达")
    reply_workflow.send_reply(reply=reply, by=agency_staff)
    member = keys[0].proposal.proposers.get().member
    reply_workflow.record_feedback(proposal=keys[0].proposal, member=member, attitude="satisfied",
                                   result="basically_satisfied", by=clerk, channel="phone")
    return topic_, keys


def test_the_key_figures_count_only_key_proposals(supervised, meeting):
    figures = key_figures(Scope(as_of=timezone.localdate(), meeting_id=meeting.pk))
    assert (figures.proposals, figures.topics, figures.activities_total) == (2, ["推动人工智能产业高质量发展"], 2)
    assert (figures.activities["协商会"], figures.activities["调研"], figures.activities["视察"]) == (1, 1, 0)
    assert (figures.replied, figures.categories, figures.rated, figures.satisfied_rate) == (1, {"A": 1}, 1, "100.0%")
    assert "确定重点提案/建议2件，分为1个专题" in figures.sentences()[0]


def test_an_empty_year_says_so(meeting):
    figures = key_figures(Scope(as_of=timezone.localdate(), meeting_id=meeting.pk))
    assert figures.sentences() == ["本范围内尚未确定重点提案/建议。"]


def test_the_dashboard_and_the_year_end_report_have_the_key_section(client, clerk, supervised, meeting):
    client.force_login(clerk)
    page = client.get(f"/admin/reports/dashboard/?meeting={meeting.pk}").content.decode()
    assert 'id="key-proposals"' in page and "确定重点提案/建议2件" in page and "协商会" in page
    report = client.get(f"/admin/reports/dashboard/report.docx?meeting={meeting.pk}")
    with zipfile.ZipFile(io.BytesIO(report.content)) as docx:
        text = docx.read("word/document.xml").decode()
    assert "六、重点提案/建议办理情况" in text and "七、指标口径" in text and "开展督办活动2次" in text


def test_the_dashboard_costs_the_same_queries_with_more_key_proposals(client, clerk, supervised, meeting, agency):
    client.force_login(clerk)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            client.get(f"/admin/reports/dashboard/?meeting={meeting.pk}")
        return len(captured)

    before = queries()
    key_proposals(clerk=clerk, meeting=meeting, lead=agency, n=4, topic_=supervised[0], subject="算力")
    assert queries() == before


def test_the_key_list_export_names_supervisors_and_activities_and_stays_inert(client, clerk, supervised, meeting,
                                                                             agency_staff):
    topic_, _keys = supervised
    topic_.title = "=HYPERLINK(\"http://evil\")"
    topic_.save(update_fields=["title"])
    client.force_login(clerk)
    response = client.get(f"/admin/supervision/keyproposal/export.xlsx?meeting={meeting.pk}")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("专题", "编号", "案由") and len(rows) == 3
    assert rows[1][6] == "陈志远（市政协副主席）" and "协商会（市政协）" in rows[1][7]
    assert sheet.cell(row=2, column=1).data_type == "s"  # text, never a formula
    assert "13800138000" not in str(rows)
    client.force_login(agency_staff)
    assert client.get("/admin/supervision/keyproposal/export.xlsx").status_code == 403


def test_a_member_sees_their_proposal_is_key_and_who_supervises_it(client, supervised):
    _topic, keys = supervised
    member = keys[0].proposal.proposers.get().member
    user = MemberUserFactory(member=member)
    client.force_login(user)
    page = client.get(f"/my/proposals/{keys[0].proposal_id}/").content.decode()
    assert "重点督办" in page and "推动人工智能产业高质量发展" in page and "陈志远（市政协副主席）" in page
    assert "13800138000" not in page and "chen@example.org" not in page
