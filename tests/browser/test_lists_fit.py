"""Each workbench and the 交办, proposal and reply lists at 1366×768 in headless Chromium: nothing
off screen (no horizontal overflow), 案由 readable, ten rows in view. Screenshots are kept in
var/screenshots/ as artefacts (issue 13, item 7)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from proposals import workflow as proposal_workflow
from replies.models import LetterSettings
from tests.factories import (
    AgencyFactory,
    AgencyReviewerUserFactory,
    AgencyStaffUserFactory,
    ClerkFactory,
    MemberFactory,
    accepted_proposal,
    assigned_proposal,
    assignment_of,
    registered_proposal,
)
from tests.browser.sessions import log_in, with_password
from tests.replies.builders import walk_reply

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLES = [
    "关于加快建设粤港澳大湾区国际科技创新中心核心引擎推动人工智能产业高质量发展的提案",
    "关于完善自动驾驶道路测试管理的提案",
    "关于支持高校科技成果就地转化并建立概念验证中心的提案",
    "关于优化科技型中小企业研发费用补助申报流程的提案",
    "关于推行科研经费“包干制”改革的提案",
    "关于建设大湾区科技成果转化平台的提案",
    "关于完善首台(套)重大技术装备保险补偿机制的提案",
    "关于加快科技企业孵化器提质增效的提案",
    "关于培育智能网联汽车产业集群的提案",
    "关于推进中小学人工智能教育的提案",
    "关于加强老旧小区加装电梯工作的提案",
    "关于推动生物医药产业集聚发展的提案",
]


@pytest.fixture
def office():
    """A meeting's worth of work at every stage, for one agency and the office."""
    clerk = with_password(ClerkFactory(), "王", "敏")
    science = AgencyFactory(name="广州市科学技术局")
    reform = AgencyFactory(name="广州市发展和改革委员会")
    LetterSettings.objects.create(agency=science, number_prefix="穗科函", contact_person="陈晓",
                                  contact_phone="83124132")
    staff = with_password(AgencyStaffUserFactory(agency=science), "陈", "晓")
    reviewer = with_password(AgencyReviewerUserFactory(agency=science), "刘", "强")
    soon = timezone.localdate() - dt.timedelta(days=89)
    for index, title in enumerate(TITLES):
        proposer = MemberFactory(name=f"委员{index}", phone=f"1380013{index:04d}", email=f"m{index}@example.org")
        on = soon if index % 3 == 0 else dt.date(2026, 3, 2)
        assisting = [reform] if index % 4 == 0 else []
        proposal = assigned_proposal(by=clerk, lead=science, assisting=assisting, proposers=[proposer], title=title,
                                     on=on)
        if index % 2:
            assignment = proposal_workflow.sign_for_assignment(assignment=assignment_of(proposal, science), by=staff)
            if index % 4 == 1:
                walk_reply(assignment, staff=staff, reviewer=reviewer, to="in_review", title=f"关于{title}答复的函")
    for title in TITLES[:4]:
        registered_proposal(by=clerk, title=title.replace("提案", "建议"))
        accepted_proposal(by=clerk, title=title.replace("关于", "关于进一步"))
    return {"clerk": clerk, "staff": staff, "reviewer": reviewer}


def rows_in_view(page) -> int:
    """How many rows of the result list are wholly on the first screen."""
    return page.evaluate(
        "Array.from(document.querySelectorAll('#result_list tbody tr'))"
        ".filter(row => row.getBoundingClientRect().bottom <= window.innerHeight).length"
    )


def title_width(page, column: str) -> float:
    return page.evaluate(f"document.querySelector('#result_list td.{column}, #result_list th.{column}')"
                         ".getBoundingClientRect().width")


PAGES = [
    ("clerk", "/admin/", "workbench-clerk", None),
    ("staff", "/admin/", "workbench-agency", None),
    ("reviewer", "/admin/", "workbench-reviewer", None),
    ("clerk", "/admin/proposals/assignment/", "assignments-clerk", "field-proposal_title"),
    ("staff", "/admin/proposals/assignment/", "assignments-agency", "field-proposal_title"),
    ("clerk", "/admin/proposals/proposal/", "proposals-clerk", "field-title"),
    ("staff", "/admin/proposals/proposal/", "proposals-agency", "field-title"),
    ("staff", "/admin/replies/reply/", "replies-agency", "field-title"),
]


def test_every_workbench_and_list_fits_1366_by_768(browser, live_server, office):
    """One walk over every page (the data is built once); every problem is reported together."""
    problems, pages = [], {}
    for role, path, name, title_column in PAGES:
        if role not in pages:
            pages[role] = log_in(browser, live_server, office[role])
        page = pages[role]
        page.goto(f"{live_server.url}{path}")
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"))
        scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if scroll_width > inner_width:
            problems.append(f"{name}: {scroll_width}px wide on a {inner_width}px screen")
        if title_column is None:
            if page.locator(".workbench-section").count() < 2:
                problems.append(f"{name}: no workbench")
            continue
        total = page.locator("#result_list tbody tr").count()
        if rows_in_view(page) < min(10, total):
            problems.append(f"{name}: {rows_in_view(page)} of {total} rows in view")
        if title_width(page, title_column) < 180:  # 案由 wraps at a readable width, not two characters
            problems.append(f"{name}: 案由 {title_width(page, title_column):.0f}px wide")
    assert not problems, problems
