"""End to end in headless Chromium: a clerk uploads two published letters under 公开文书 › 导入,
corrects one field the parser could not read, confirms, and finds the records.

Drives Debian's chromium through Playwright (executable_path, never `playwright install`).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings

from letters.models import ImportedDocument
from proposals.models import Proposal
from tests.browser.sessions import log_in, with_password
from tests.factories import ClerkFactory

REAL = Path(__file__).parent.parent / "letters" / "real"
GUANGZHOU = Path(settings.BASE_DIR) / "seeds" / "000_72f5d033cd99f952.txt"
UNSIGNED = REAL / "cppcc-17_huarong-150-B.txt"  # names no writer: lead agency left for the clerk
SCREENSHOTS = os.environ.get("IMPORT_SCREENSHOTS")  # a folder, to look at the pages

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def shot(page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=False)


def test_clerk_uploads_two_letters_corrects_one_field_and_finds_the_records(browser, live_server):  # noqa: F811
    page = log_in(browser, live_server, with_password(ClerkFactory()))

    page.goto(f"{live_server.url}/admin/letters/importeddocument/")
    page.get_by_role("link", name="导入", exact=True).click()
    page.set_input_files("input[type=file]", [str(GUANGZHOU), str(UNSIGNED)])
    shot(page, "1-upload")
    page.get_by_role("button", name="上传并核对").click()

    unsigned = page.locator(f'div.letter[data-file="{UNSIGNED.name}"]')
    unsure_lead = unsigned.locator('tr.unsure[data-field="lead_agency"]')
    assert unsure_lead.count() == 1
    assert "原文未读出" in unsure_lead.inner_text()
    assert not Proposal.objects.exists()  # nothing written before the confirm
    shot(page, "2-review")
    unsure_lead.scroll_into_view_if_needed()
    shot(page, "2b-unsure")
    unsure_lead.locator("input").fill("华容县教育体育局")
    page.get_by_role("button", name="确认导入").click()

    page.wait_for_selector(".messagelist .success")
    messages = page.locator(".messagelist").text_content()
    assert f"已导入 {GUANGZHOU.name}" in messages and f"已导入 {UNSIGNED.name}" in messages
    shot(page, "3-imported")
    assert page.locator("#result_list").get_by_text(UNSIGNED.name).count() == 1

    page.goto(f"{live_server.url}/admin/proposals/proposal/?q=东山墟场")
    assert "在东山墟场建一所规模化公办幼儿园" in page.locator("#result_list").inner_text()
    shot(page, "4-found")
    huarong = Proposal.objects.get(number="150")
    assert huarong.assignments.get().agency.name == "华容县教育体育局"
    assert Proposal.objects.filter(number="2053", is_historical=True).exists()
    assert ImportedDocument.objects.get(file_name=UNSIGNED.name).corrections["lead_agency"]["corrected"] == "华容县教育体育局"


def test_clerk_takes_a_rejected_candidate_in_one_click(browser, live_server):  # noqa: F811
    """清原's closing names its unit without the last character (…住房和城乡建设): the parser leaves
    the lead agency empty and offers the candidate; one click puts it into the field."""
    page = log_in(browser, live_server, with_password(ClerkFactory()))
    page.goto(f"{live_server.url}/admin/letters/importeddocument/import/")
    page.set_input_files("input[type=file]", [str(REAL / "more-03_qingyuan-jianyi-72.txt")])
    page.get_by_role("button", name="上传并核对").click()

    lead = page.locator('tr.unsure[data-field="lead_agency"]')
    assert "不是机构名称" in lead.inner_text()
    assert lead.locator("input").input_value() == ""
    lead.get_by_role("button", name="清原满族自治县住房和城乡建设").click()
    assert lead.locator("input").input_value() == "清原满族自治县住房和城乡建设"
