"""统计分析 in the admin: who sees it, what an agency sees, the exports and the report."""

import csv
import datetime as dt
import io

import pytest
from docx import Document
from openpyxl import load_workbook

from proposals import workflow as proposal_workflow
from tests.factories import AgencyFactory, AgencyStaffUserFactory, MemberUserFactory, registered_proposal

pytestmark = pytest.mark.django_db

DASHBOARD = "/admin/reports/dashboard/"


def test_clerk_sees_every_agency_with_charts_and_definitions(client, clerk, counted):
    client.force_login(clerk)
    response = client.get(DASHBOARD, {"meeting": counted.meeting.pk})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<svg") >= 4
    for name in ("广州市科学技术局", "广州市教育局", "广州市生态环境局", "按期办复率", "未表态不计",
                 "重点提案/建议办理状态", "内容空泛、没有具体建议的"):
        assert name in page
    assert "kozea.github.io" not in page  # pygal's CDN script is off


def test_agency_sees_only_its_own_agency(client, counted):
    client.force_login(counted.staff[counted.education.pk])
    response = client.get(DASHBOARD, {"meeting": counted.meeting.pk, "agency": counted.science.pk})
    page = response.content.decode()
    assert response.status_code == 200
    assert "广州市教育局" in page
    assert "广州市科学技术局" not in page and "广州市生态环境局" not in page
    assert 'name="agency"' not in page


@pytest.mark.parametrize("who", ["member", "plain_staff"])
def test_members_and_other_staff_see_nothing(client, db, who):
    user = MemberUserFactory() if who == "member" else AgencyStaffUserFactory()
    if who == "plain_staff":
        user.agency_staff.delete()
    client.force_login(user)
    response = client.get(DASHBOARD)
    assert response.status_code in (302, 403)
    assert client.get(DASHBOARD + "export/totals.xlsx").status_code in (302, 403)


@pytest.mark.parametrize("query", [{"meeting": "abc"}, {"year": "99999999999"}, {"kind": "x"}, {"meeting": "0"},
                                   {"term": "-1"}])
def test_bad_filters_show_a_chinese_error_not_a_500(client, clerk, query):
    client.force_login(clerk)
    response = client.get(DASHBOARD, query)
    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    assert client.get(DASHBOARD + "export/totals.csv", query).status_code == 400


def test_dashboard_costs_the_same_queries_for_more_agencies(client, clerk, counted, django_assert_max_num_queries):
    client.force_login(clerk)
    client.get(DASHBOARD)  # warm the session
    # 26, and 3 for the key proposals' section (supervision's dashboard_sections contribution).
    with django_assert_max_num_queries(29) as small:
        client.get(DASHBOARD, {"meeting": counted.meeting.pk})
    for number in range(20, 32):
        proposal = proposal_workflow.accept_proposal(
            proposal=registered_proposal(by=clerk, meeting=counted.meeting, number=str(number)), by=clerk)
        proposal_workflow.assign_proposal(proposal=proposal, by=clerk, lead=AgencyFactory(),
                                          assisting=[AgencyFactory()], on=counted.today)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(DASHBOARD, {"meeting": counted.meeting.pk})
    assert response.content.decode().count("<tr>") > 30


def test_xlsx_export_holds_the_same_numbers_and_the_definitions(client, clerk, counted):
    client.force_login(clerk)
    response = client.get(DASHBOARD + "export/agencies.xlsx", {"meeting": counted.meeting.pk})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    table, notes = book.worksheets
    assert counted.meeting.name in table["A2"].value
    headings = [cell.value for cell in table[3]]
    rows = {(r[0], r[1]): dict(zip(headings, r)) for r in table.iter_rows(min_row=4, values_only=True)}
    education = rows[("广州市教育局", "主办/分办")]
    assert (education["交办数"], education["办复数"], education["按期办复率"]) == (3, 1, 1.0)
    assert education["办复率"] == round(1 / 3, 4)
    assert rows[("广州市科学技术局", "主办/分办")]["A类(所提问题已经解决或基本解决)"] == 1
    definitions = {row[0]: row[1] for row in notes.iter_rows(min_row=2, values_only=True)}
    assert "未表态不计" in definitions["办理结果满意率"]


def test_csv_export_is_utf8_with_a_bom_and_filtered(client, clerk, counted):
    client.force_login(clerk)
    response = client.get(DASHBOARD + "export/categories.csv", {"meeting": counted.meeting.pk, "category": "science"})
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][:4] == ["类别", "收到件数", "立案件数", "交办数"]
    assert rows[2][:5] == ["科技", "2", "2", "3", "2"]
    assert len([r for r in rows[2:] if r and r[0] in ("教育", "其他")]) == 0


def test_year_end_report_docx_holds_the_tables(client, clerk, counted):
    client.force_login(clerk)
    response = client.get(DASHBOARD + "report.docx", {"meeting": counted.meeting.pk})
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "共收到提案/建议8件，已审查7件，尚有1件待审查。已审查的7件中，立案4件，立案率57.1%（立案件数÷已审查件数）" in text
    assert "按期办复2项" in text
    cells = [[c.text for c in row.cells] for table in document.tables for row in table.rows]
    assert ["广州市教育局", "主办/分办", "3", "1", "33.3%", "100.0%", "0.0%", "100.0%", "1"] in cells
    assert any(row[:2] == ["办理结果", "3"] for row in cells)
    section = document.sections[0]
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28


def test_report_needs_a_meeting(client, clerk):
    client.force_login(clerk)
    response = client.get(DASHBOARD + "report.docx")
    assert response.status_code == 400
    assert "请先选择会议" in response.content.decode()


# --- issue 23 item 3: the report and the dashboard half-way through the year -------------------


@pytest.fixture
def half_way(clerk):
    """A meeting half-way through its year: most items still await review, two were assigned, nothing
    was replied or rated yet."""
    from tests.factories import MeetingFactory, assigned_proposal

    meeting = MeetingFactory()
    for _ in range(5):
        registered_proposal(by=clerk, meeting=meeting)
    for _ in range(2):
        assigned_proposal(by=clerk, meeting=meeting, on=dt.date.today())
    return meeting


def test_the_report_half_way_through_the_year_says_what_is_pending_and_what_each_rate_is_of(client, clerk, half_way):
    client.force_login(clerk)
    response = client.get(DASHBOARD + "report.docx", {"meeting": half_way.pk})
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "共收到提案/建议7件，已审查2件，尚有5件待审查" in text
    assert "立案率100.0%（立案件数÷已审查件数）" in text
    assert "交办的2项尚无办复（均未逾期），办复率、按期办复率、见面率和办前沟通率暂不计算" in text
    assert "满意度测评：暂无评价" in text
    satisfaction = next(table for table in document.tables if table.rows[0].cells[0].text == "评价项目")
    assert [cell.text for cell in satisfaction.rows[2].cells][:4] == ["办理结果", "0", "暂无评价", "暂无评价"]


def test_the_dashboard_half_way_through_the_year_says_what_is_pending(client, clerk, half_way):
    client.force_login(clerk)
    page = client.get(DASHBOARD, {"meeting": half_way.pk}).content.decode()
    headline = page[page.index('id="headline"'):page.index('id="chart-funnel"')]
    assert "尚有5件待审查" in headline and "立案件数÷已审查件数" in headline and "暂无评价" in headline
    totals = page[page.index('id="table-totals"'):page.index('id="definitions"')]
    assert "<td>办理结果满意率</td><td>暂无评价</td>" in totals.replace("\n", "")
