"""One proposal's whole journey in headless Chromium, each person finding their turn by the notice
they were sent (issue 13): the clerk assigns; the agency's staff member opens the notice's link,
signs for it, arranges and records the call with the proposer whose phone the page shows, drafts
and submits; the reviewer opens their notice and signs off and sends; the member opens the link
of their notice on a phone-size page and rates; the agency is told of the rating.

Notices travel as in production: planned when the step commits, sent by a real Celery worker
through the test Redis, read from 我的消息. Only the member notices come from the periodic sweep,
which this test runs once (production runs it every five minutes). Screenshots of each page a
notice opened are kept in var/screenshots/journey-*.png.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.utils import timezone

from notifications import services
from notifications.models import Kind, Notification, Stage
from notifications.stages import install_default_stages
from proposals.models import Assignment, Proposal
from replies.models import Feedback, LetterSettings, Reply
from tests.browser.sessions import PASSWORD, PHONE, log_in, take_step, with_password
from tests.chaos import CeleryFleet, database_url
from tests.factories import (
    AgencyFactory,
    AgencyReviewerUserFactory,
    AgencyStaffUserFactory,
    ClerkFactory,
    MemberFactory,
    MemberUserFactory,
    accepted_proposal,
)
from tracker.celery import app as celery_app

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
DELIVERY_TIMEOUT = 60  # seconds: a worker's first task includes its start-up

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def worker(settings):
    """A real Celery worker on the test database and the test broker; mail goes nowhere."""
    celery_app.control.purge()  # send tasks other tests left queued are not this test's
    fleet = CeleryFleet(env={
        **os.environ, "DATABASE_URL": database_url(), "REDIS_URL": settings.CELERY_BROKER_URL,
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend", "LOG_LEVEL": "WARNING",
    })
    fleet.worker("journey-worker", concurrency=1)
    try:
        yield fleet
    finally:
        fleet.stop_all()
        connection.close()


def delivered(fleet, user, kind: str) -> Notification:
    """The user's in-app notice of `kind`, once the worker has sent it."""
    deadline = time.monotonic() + DELIVERY_TIMEOUT
    while time.monotonic() < deadline:
        notice = Notification.objects.filter(recipient=user, channel=Notification.Channel.IN_APP, kind=kind,
                                             state=Notification.State.SENT).first()
        if notice is not None:
            return notice
        time.sleep(0.3)
    states = list(Notification.objects.values_list("kind", "channel", "state"))
    pytest.fail(f"no {kind} notice reached {user}; notices: {states}\n{fleet.logs()}")


def follow_notice(page, live_server, notice: Notification, shot: str) -> None:
    """From 我的消息: open the notice, then its link, which must land on the page it names."""
    page.goto(f"{live_server.url}/admin/notifications/mynotification/")
    page.get_by_role("link", name=notice.subject, exact=True).click()
    page.locator(".field-open_link a").click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path == urlsplit(notice.link).path
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"journey-{shot}.png"))


def choose_agency(page, field: str, name: str) -> None:
    """Pick an agency in the admin's autocomplete (select2) box of `field`."""
    page.locator(f"#id_{field} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(name[3:6])
    page.locator(".select2-results__option", has_text=name).click()


@pytest.fixture
def office(db):
    install_default_stages(Stage)
    Stage.objects.update(workdays_only=False)  # the test means the same on any day of the week
    clerk = with_password(ClerkFactory(), "王", "敏")
    science = AgencyFactory(name="广州市科学技术局")
    LetterSettings.objects.create(agency=science, number_prefix="穗科函", contact_person="陈晓",
                                  contact_phone="83124132")
    member = MemberFactory(name="张建山", phone="13800138000", email="zhang@example.org")
    member_user = with_password(MemberUserFactory(member=member), "张", "建山")
    proposal = accepted_proposal(by=clerk, proposers=[member], title="关于促进广州市人工智能产业健康发展的提案")
    return {
        "clerk": clerk, "science": science, "member": member, "member_user": member_user, "proposal": proposal,
        "staff": with_password(AgencyStaffUserFactory(agency=science), "陈", "晓"),
        "reviewer": with_password(AgencyReviewerUserFactory(agency=science), "刘", "强"),
    }


def test_each_person_finds_their_turn_by_the_notice_they_were_sent(browser, live_server, settings, worker, office):
    settings.SITE_URL = live_server.url  # the links in the notices point at this server
    proposal, science, today = office["proposal"], office["science"], timezone.localdate().isoformat()

    # The clerk assigns (交办) the proposal to the science bureau.
    clerk = log_in(browser, live_server, office["clerk"])
    clerk.goto(f"{live_server.url}/admin/proposals/proposal/{proposal.pk}/change/")
    clerk.get_by_role("link", name="交办", exact=True).click()
    choose_agency(clerk, "lead", science.name)
    clerk.get_by_role("button", name="确定").click()
    clerk.wait_for_selector(".messagelist .success")
    assignment = Assignment.objects.get(proposal=proposal, agency=science)

    # The agency's staff member is told, opens the assignment from the notice and signs for it.
    staff = log_in(browser, live_server, office["staff"])
    follow_notice(staff, live_server, delivered(worker, office["staff"], Kind.NEW_ASSIGNMENT), "1-new-assignment")
    take_step(staff, "签收", "确认签收")
    # The proposer's phone is on the page: the call is arranged and recorded here.
    assert "13800138000" in staff.locator(".field-proposer_contacts").inner_text()
    take_step(staff, "安排沟通", "确定", {"#id_mode": "phone", "#id_date": today})
    take_step(staff, "登记沟通情况", "确定", {"#id_outcome": "电话联系张建山委员,听取对答复的意见。"})
    staff.get_by_role("link", name="起草答复").click()
    staff.fill("#id_body", "您提出的《关于促进广州市人工智能产业健康发展的提案》收悉。现答复如下:\n一、有关工作开展情况\n感谢您的关心和支持。")
    staff.select_option("#id_category", "A")
    staff.click("input[name=_continue]")
    staff.wait_for_selector(".messagelist .success")
    take_step(staff, "提交审核", "提交本单位负责人审核")
    reply = Reply.objects.get(assignment=assignment)

    # The reviewer is told a letter waits for 签发; the agency's series gives it its 文号.
    reviewer = log_in(browser, live_server, office["reviewer"])
    follow_notice(reviewer, live_server, delivered(worker, office["reviewer"], Kind.REVIEW_REQUESTED), "2-review")
    take_step(reviewer, "签发", "确认签发")
    take_step(reviewer, "送达提出人", "确认答复已送达提出人")
    reply.refresh_from_db()
    assert reply.state == Reply.State.SENT and reply.document_number.startswith("穗科函〔")

    # The member is told the reply came and opens the link on a phone: log in, read, rate.
    services.sweep_notifications()
    notice = delivered(worker, office["member_user"], Kind.REPLIED)
    member = browser.new_context(viewport=PHONE, locale="zh-CN").new_page()
    member.set_default_timeout(20_000)
    member.goto(f"{live_server.url}{urlsplit(notice.link).path}")
    member.fill("#id_username", office["member_user"].username)  # the link asks for the login first
    member.fill("#id_password", PASSWORD)
    member.click("[type=submit]")
    member.wait_for_selector("form.rating")
    assert urlsplit(member.url).path == urlsplit(notice.link).path
    assert reply.document_number in member.content()
    member.check("input[name=attitude][value=satisfied]")
    member.check("input[name=result][value=basically_satisfied]")
    member.get_by_role("button", name="提交评价").click()
    member.wait_for_selector(".messages, .messagelist")
    member.screenshot(path=str(SHOTS / "journey-3-member-rated.png"), full_page=True)
    assert member.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the phone page scrolls sideways"
    feedback = Feedback.objects.get(proposal=proposal, member=office["member"])
    assert (feedback.attitude, feedback.result) == ("satisfied", "basically_satisfied")
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.EVALUATED

    # The agency hears of the rating the same way.
    follow_notice(staff, live_server, delivered(worker, office["staff"], Kind.RATING_RECEIVED), "4-rated")
