"""Admin lists of proposals, assignments and replies export their filtered rows with Chinese headers."""

import io

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def export(client, path, query=""):
    """The export form's POST, as the 导出 button's page sends it."""
    page = client.get(f"{path}export/{query}")
    assert page.status_code == 200
    form = page.context["form"]
    fmt = next(value for value, label in form.fields["format"].choices if "xlsx" in str(label).lower())
    data = {"format": fmt}
    if "resource" in form.fields:
        data["resource"] = form.fields["resource"].choices[0][0]
    return client.post(f"{path}export/{query}", data)


def sheet_rows(response):
    book = load_workbook(io.BytesIO(response.content))
    return list(book.active.iter_rows(values_only=True))


def test_assignment_list_exports_the_filtered_rows_with_chinese_headers(client, clerk, counted):
    client.force_login(clerk)
    response = export(client, "/admin/proposals/assignment/", f"?agency__id__exact={counted.education.pk}")
    assert response.status_code == 200
    rows = sheet_rows(response)
    assert rows[0][:6] == ("会议", "编号", "案由", "承办单位", "承办方式", "状态")
    assert {row[3] for row in rows[1:]} == {"广州市教育局"}
    assert len(rows) - 1 == 3


def test_agency_staff_export_only_their_own_assignments(client, counted):
    client.force_login(counted.staff[counted.environment.pk])
    rows = sheet_rows(export(client, "/admin/proposals/assignment/"))
    assert {row[3] for row in rows[1:]} == {"广州市生态环境局"}
    assert {row[4] for row in rows[1:]} == {"会办"}


def test_proposal_and_reply_lists_export(client, clerk, counted):
    client.force_login(clerk)
    proposals = sheet_rows(export(client, "/admin/proposals/proposal/", f"?meeting__id__exact={counted.meeting.pk}"))
    assert proposals[0][:4] == ("会议", "编号", "类型", "案由")
    assert len(proposals) - 1 == 8
    replies = sheet_rows(export(client, "/admin/replies/reply/"))
    assert replies[0][-5:] == ("答复类别", "落款日期", "答复时间", "公开属性", "公开日期")
    assert sorted(row[8] for row in replies[1:]) == ["A", "A", "B", "C"]
