"""A new office's first week in one walk, in headless Chromium at 1366×768, from what `make run`
loads (the published letters of seeds/ and the demo accounts and meeting):

1. the clerk imports the meeting's sheet (88 rows, 11 of them the demo's registered proposals),
   立案 a few and opens 批量交办: the suggested lead agencies are there without any keyword typed;
2. the science bureau signs, meets the proposer and drafts; its reply page says beforehand that the
   industry bureau's 会办 opinion is missing, and it asks the office for 不待会办意见 in one step;
3. the clerk grants the waiver from the 工作台; the reply goes on to the bureau's reviewer;
4. the figures and the year-end report, half-way through the work, say what is still pending.

Screenshots of each step are kept in var/screenshots/walk-*.png, or in WALK_SCREENSHOTS (a folder).
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import docx
import pytest
from django.core.management import call_command
from django.utils import timezone

from notifications.models import Kind, Notification
from proposals.models import Assignment, Meeting, Proposal
from replies.models import OpinionWaiver, Reply
from tests.browser.sessions import PASSWORD, log_in, take_step
from tests.intake.sheets import xlsx

SHEET = Path(__file__).parent / "sheets" / "第五次会议提案汇总表.csv"
SHOTS = Path(os.environ.get("WALK_SCREENSHOTS") or Path(__file__).resolve().parents[2] / "var" / "screenshots")
LAB = "关于支持民营企业参与重大科技攻关的提案"  # the first 交办: science leads, industry assists
SCHOOLING = "关于加强中小学生心理健康教育的提案"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"walk-{name}.png"))


@pytest.fixture
def demo(settings, tmp_path):
    """What `make run` loads before the server starts: the seed letters, the demo accounts and meeting."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DEBUG = True  # create_demo_accounts is for development only
    call_command("load_seed_letters", stdout=io.StringIO(), stderr=io.StringIO())
    call_command("create_demo_accounts", password=PASSWORD, stdout=io.StringIO())
    settings.DEBUG = False
    return Meeting.objects.get(name__endswith="（演示）")


def sheet_file(folder: Path) -> Path:
    """The meeting's sheet as the submission system exports it: an .xlsx with a merged title row."""
    title, *rows = list(csv.reader(SHEET.read_text(encoding="utf-8-sig").splitlines()))
    path = folder / "第五次会议提案汇总表.xlsx"
    path.write_bytes(xlsx(rows, title_rows=title))
    return path


def first_suggestion(page, title: str) -> str:
    return page.locator(".intake-batch tr", has_text=title).locator("b").first.inner_text()


def user(username: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def test_a_new_offices_first_week(browser, live_server, demo, tmp_path):
    meeting = demo
    clerk = log_in(browser, live_server, user("clerk"))

    # 1. The clerk imports the meeting's sheet from 会议收案.
    clerk.get_by_role("link", name="会议收案", exact=True).first.click()
    clerk.locator("#result_list tr", has_text=meeting.name).get_by_role("link", name="导入提案汇总表").click()
    clerk.set_input_files("input[type=file]", str(sheet_file(tmp_path)))
    clerk.get_by_role("button", name="上传并预览").click()
    clerk.wait_for_selector(".intake-rows")
    shoot(clerk, "01-import-preview")
    clerk.get_by_role("button", name="确认导入").click()
    clerk.wait_for_selector(".messagelist .success")
    assert "已登记 77 件" in clerk.locator(".messagelist .success").inner_text()
    shoot(clerk, "02-imported")
    assert Proposal.objects.filter(meeting=meeting).count() == 88

    # 立案 the first page of them (50), then open 批量交办 on the page of accepted ones: suggested
    # lead agencies on every row that has something to go on, without a keyword typed.
    listed = f"{live_server.url}/admin/proposals/proposal/?meeting__id__exact={meeting.pk}&status__exact="
    clerk.goto(listed + "submitted")
    clerk.check("#action-toggle")
    clerk.select_option("select[name=action]", "accept_selected")
    clerk.click("button[name=index]")
    clerk.wait_for_selector(".messagelist .success")
    assert Proposal.objects.filter(meeting=meeting, status=Proposal.Status.ACCEPTED).count() == 51  # and the demo's 2001
    clerk.goto(listed + "accepted")
    clerk.check("#action-toggle")
    clerk.select_option("select[name=action]", "assign_selected")
    clerk.click("button[name=index]")
    clerk.wait_for_selector(".intake-batch")
    rows = {title: clerk.locator(".intake-batch tr", has_text=title).inner_text() for title in (LAB, SCHOOLING)}
    assert first_suggestion(clerk, LAB) == "广州市科学技术局", rows
    assert first_suggestion(clerk, SCHOOLING) == "广州市教育局", rows
    suggested = clerk.locator(".intake-batch tbody tr", has=clerk.locator("b")).count()
    assert suggested >= 20, suggested  # of 50: the four demo agencies cover science, industry, reform, schools
    assert "建议依据" in clerk.locator(".intake-suggestion-basis").inner_text()
    clerk.locator(".intake-batch").scroll_into_view_if_needed()
    shoot(clerk, "03-batch-assign-suggestions")
    # This 交办 is for the laboratory alone: the others go back to the list.
    clerk.goto(listed + "accepted&q=重大科技攻关")
    clerk.locator("#result_list tr", has_text=LAB).locator("input.action-select").check()
    clerk.select_option("select[name=action]", "assign_selected")
    clerk.click("button[name=index]")
    clerk.select_option("#id_lead", label="广州市科学技术局")
    clerk.select_option("#id_assisting_from", label="广州市工业和信息化局")
    clerk.click("#id_assisting_add")
    shoot(clerk, "04-batch-assign-chosen")
    clerk.get_by_role("button", name="确认交办").click()
    clerk.wait_for_selector(".messagelist .success")
    assert "已交办 1 件" in clerk.locator(".messagelist .success").inner_text()
    lab = Proposal.objects.get(meeting=meeting, title=LAB)
    lead = lab.assignments.get(role=Assignment.Role.LEAD)
    assert lead.agency.name == "广州市科学技术局"

    # 2. The science bureau signs for it, meets the proposer, drafts the reply.
    staff = log_in(browser, live_server, user("agency"))
    staff.goto(f"{live_server.url}/admin/")
    shoot(staff, "05-agency-workbench")
    staff.goto(f"{live_server.url}/admin/proposals/assignment/{lead.pk}/change/")
    take_step(staff, "签收", "确认签收")
    take_step(staff, "安排沟通", "确定", {"#id_mode": "phone", "#id_date": timezone.localdate().isoformat()})
    take_step(staff, "登记沟通情况", "确定", {"#id_outcome": "电话联系提案人，听取对民营企业参与科技攻关的具体意见。"})
    staff.get_by_role("link", name="起草答复").click()
    staff.fill("#id_body", f"您提出的《{LAB}》收悉。现答复如下：\n一、有关工作开展情况\n感谢您的关心和支持。")
    staff.select_option("#id_category", "A")
    staff.click("input[name=_continue]")
    staff.wait_for_selector(".messagelist .success")
    assert staff.locator(".messagelist .success").inner_text().endswith("您可以在下面再次编辑它。")  # a full stop
    reply = Reply.objects.get(assignment=lead)

    # Before any click the page says whose opinion is missing; the bureau asks for the waiver.
    banner = staff.locator("#opinions-blocking").inner_text()
    assert "须待广州市工业和信息化局提交会办意见" in banner, banner
    assert "尚未提交" in staff.locator("#handling-opinions").inner_text()
    assert staff.locator("label[for=id_title]").inner_text().endswith("：")  # full-width after every label
    shoot(staff, "06-reply-waits-for-opinion")
    staff.locator("#opinions-blocking").get_by_role("link", name="催办并申请不待会办意见").click()
    assert staff.locator("#content h1").inner_text().startswith("催办并申请不待会办意见：")
    staff.fill("#id_reason", "会办意见已逾期，经电话催办仍未提交")
    shoot(staff, "07-waiver-request")
    staff.get_by_role("button", name="催办会办单位并报提案办").click()
    staff.wait_for_selector(".messagelist .success")
    assert "待提案办决定" in staff.locator("#handling-opinions").inner_text()
    shoot(staff, "08-waiver-requested")
    assert Notification.objects.filter(kind=Kind.OPINION_WAIVER_REQUESTED, recipient=user("clerk")).exists()

    # 3. The clerk grants it from the 工作台.
    clerk.goto(f"{live_server.url}/admin/")
    section = clerk.locator("#wb-opinion_waiver_requests")
    assert "广州市科学技术局" in section.inner_text() and "经电话催办仍未提交" in section.inner_text()
    section.scroll_into_view_if_needed()
    shoot(clerk, "09-clerk-workbench-request")
    section.get_by_role("link", name="同意", exact=True).click()
    clerk.get_by_role("button", name="确定").click()
    clerk.wait_for_selector(".messagelist .success")
    shoot(clerk, "10-waiver-granted")
    assert OpinionWaiver.objects.filter(assignment__proposal=lab, assignment__agency__name="广州市工业和信息化局").exists()

    # The bureau's reply page shows the waiver, and the reply goes on to its reviewer.
    staff.goto(f"{live_server.url}/admin/replies/reply/{reply.pk}/change/")
    opinions = staff.locator("#handling-opinions").inner_text()
    assert "提案办已同意不待其会办意见" in opinions and "尚未提交" not in opinions, opinions
    take_step(staff, "提交审核", "提交本单位负责人审核")
    shoot(staff, "11-reply-submitted")
    assert Reply.objects.get(pk=reply.pk).state == Reply.State.IN_REVIEW

    # 4. The figures and the year-end report, with most of the meeting still to do.
    clerk.goto(f"{live_server.url}/admin/reports/dashboard/?meeting={meeting.pk}")
    headline = clerk.locator("#headline").inner_text()
    shoot(clerk, "12-dashboard-headline")
    pending = Proposal.objects.filter(meeting=meeting, status=Proposal.Status.SUBMITTED).count()
    assert f"尚有{pending}件待审查" in headline, headline
    assert "立案率" in headline and "已审查" in headline and "待交办" in headline, headline
    answer = clerk.context.request.get(f"{live_server.url}/admin/reports/dashboard/report.docx?meeting={meeting.pk}")
    assert answer.ok, answer.status
    report = "\n".join(p.text for p in docx.Document(io.BytesIO(answer.body())).paragraphs)
    assert f"尚有{pending}件待审查" in report and "立案率" in report, report[:600]
