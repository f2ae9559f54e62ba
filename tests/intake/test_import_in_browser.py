"""In headless Chromium: a clerk uploads the meeting's spreadsheet, reads the preview, confirms,
and sees the proposals listed."""

from __future__ import annotations

import os

import pytest

from proposals.models import Proposal
from tests.factories import ClerkFactory, MeetingFactory
from tests.intake.sheets import HEADER, proposal_row, xlsx

PASSWORD = "browser-test-7c2q"
SHOTS = os.environ.get("INTAKE_SCREENSHOTS")  # a folder: save what the clerk saw, to look at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_clerk_uploads_previews_confirms_and_sees_the_proposals(browser, live_server, tmp_path, settings):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path / "media"
    clerk = ClerkFactory()
    clerk.set_password(PASSWORD)
    clerk.save(update_fields=["password"])
    meeting = MeetingFactory(name="政协十四届广州市委员会第五次会议")
    sheet = tmp_path / "第五次会议提案汇总表.xlsx"
    sheet.write_bytes(xlsx(
        [HEADER,
         proposal_row("1001", "关于加强老旧小区加装电梯的建议", "张建山", "李明华、王晓红", "经济界", "城乡建设"),
         proposal_row("1002", "关于发展低空经济的提案", "民盟广州市委", "", "", "经济"),
         proposal_row("1003", "", "王晓红")],
        title_rows=["政协十四届广州市委员会第五次会议提案汇总表"],
    ))

    page = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 768}).new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", clerk.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")

    page.get_by_role("link", name="会议收案", exact=True).first.click()
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "intake-desk.png"), full_page=True)
    page.get_by_role("link", name="导入提案汇总表").click()
    page.set_input_files("input[type=file]", str(sheet))
    page.get_by_role("button", name="上传并预览").click()

    problems = page.locator(".intake-problems")
    assert "第5行" in problems.inner_text() and "案由为空" in problems.inner_text()
    assert "关于加强老旧小区加装电梯的建议" in page.locator(".intake-rows").inner_text()
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "intake-preview.png"), full_page=True)
    assert not Proposal.objects.filter(meeting=meeting).exists()

    page.get_by_label("仅导入无误的行").check()
    page.get_by_role("button", name="确认导入").click()
    page.wait_for_selector(".messagelist .success")
    assert "已登记 2 件" in page.locator(".messagelist").inner_text()
    listed = page.locator("#result_list").inner_text()
    assert "关于加强老旧小区加装电梯的建议" in listed and "关于发展低空经济的提案" in listed
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "intake-listed.png"), full_page=True)
    assert Proposal.objects.filter(meeting=meeting).count() == 2


def test_clerk_sees_similar_proposals_and_merges_one(browser, live_server, tmp_path):  # noqa: F811
    from tests.factories import AgencyFactory, assigned_proposal, registered_proposal

    clerk = ClerkFactory()
    clerk.set_password(PASSWORD)
    clerk.save(update_fields=["password"])
    earlier, meeting = MeetingFactory(year=2025), MeetingFactory(year=2026)
    housing = AgencyFactory(name="广州市住房和城乡建设局")
    assigned_proposal(by=clerk, meeting=earlier, title="关于加强老旧小区加装电梯的建议", lead=housing)
    twin = registered_proposal(by=clerk, meeting=meeting, title="关于加快老旧小区加装电梯的提案")
    new = registered_proposal(by=clerk, meeting=meeting, title="关于推进老旧小区加装电梯工作的提案")

    page = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 768}).new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", clerk.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")
    page.goto(f"{live_server.url}/admin/proposals/proposal/{new.pk}/change/")
    page.get_by_role("link", name="查看相似提案与建议主办单位").click()
    listed = page.locator(".intake-similar").inner_text()
    assert "广州市住房和城乡建设局" in listed and "关于加快老旧小区加装电梯的提案" in listed
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "intake-similar.png"), full_page=True)

    page.get_by_role("button", name="并案").click()
    page.wait_for_selector(".messagelist .success")
    new.refresh_from_db()
    assert (new.status, new.merged_into_id) == (Proposal.Status.MERGED, twin.pk)
