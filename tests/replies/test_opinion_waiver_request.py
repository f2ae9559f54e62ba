"""The 会办 waiver without a dead end (issue 23 item 2): the lead agency's reply page says which
assisting opinions it waits for; in one step it reminds those agencies and asks the office for
不待会办意见; a clerk is told and decides on the 工作台; the lead is told; the reply page shows the
waiver instead of 尚未提交."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from django.urls import reverse

from notifications.models import Kind, Notification
from proposals import workflow as proposal_workflow
from proposals.models import Event
from replies import workflow
from replies.models import OpinionWaiver, OpinionWaiverRequest, Reply
from tests.factories import assigned_proposal, assignment_of
from tests.replies.builders import hold_communication, letter
from tracker.errors import WorkflowError

pytestmark = pytest.mark.django_db
Action = Event.Action


@pytest.fixture
def step(django_capture_on_commit_callbacks):
    """`with step(): …` runs a workflow step and what waits for its commit (the notices' planning)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def draft(clerk, agency, agency_staff, other_agency, other_agency_staff, members):
    """The lead's draft reply while the assisting agency (教育局) has not sent its opinion."""
    proposal = assigned_proposal(by=clerk, lead=agency, assisting=[other_agency], proposers=members)
    lead = proposal_workflow.sign_for_assignment(assignment=assignment_of(proposal, agency), by=agency_staff)
    hold_communication(lead, agency_staff)
    return workflow.draft_reply(assignment=lead, by=agency_staff, **letter())


@pytest.fixture
def asked(step, draft, agency_staff):
    with step():
        workflow.request_opinion_waiver(reply=draft, by=agency_staff, reason="会办意见已逾期，多次电话催办未果")
    return OpinionWaiverRequest.objects.get()


@contextmanager
def refused(code: str):
    events, requests = Event.objects.count(), OpinionWaiverRequest.objects.count()
    with pytest.raises(WorkflowError) as caught:
        yield caught
    assert caught.value.code == code and not caught.value.zh.isascii(), caught.value
    assert Event.objects.count() == events and OpinionWaiverRequest.objects.count() == requests


def assisting_of(reply: Reply, agency):
    return assignment_of(reply.assignment.proposal, agency)


# --- the steps ---------------------------------------------------------------------------------


def test_one_step_reminds_the_assisting_agency_and_asks_the_office(asked, draft, other_agency, other_agency_staff,
                                                                   clerk):
    assert (asked.state, asked.lead_id, asked.assignment.agency_id) == ("requested", draft.assignment_id, other_agency.pk)
    assisting = assisting_of(draft, other_agency)
    assert Event.objects.filter(assignment=assisting, action=Action.REMIND_OPINION).count() == 1
    assert Event.objects.filter(assignment=draft.assignment, action=Action.REQUEST_OPINION_WAIVER).count() == 1
    reminder = Notification.objects.get(kind=Kind.OPINION_REMINDER, channel="in_app")
    assert reminder.recipient == other_agency_staff and "催请贵单位提交" in reminder.subject
    assert reminder.enqueued_at is not None  # sent once the step commits, not with the sweep
    told = Notification.objects.get(kind=Kind.OPINION_WAIVER_REQUESTED, channel="in_app")
    assert told.recipient == clerk and other_agency.name in told.body and "多次电话催办未果" in told.body
    assert told.link.endswith("/admin/#wb-opinion_waiver_requests")


def test_asking_twice_waits_for_the_decision(asked, draft, agency_staff):
    with refused("waiver_already_requested"):
        workflow.request_opinion_waiver(reply=draft, by=agency_staff, reason="再次申请")


def test_a_request_needs_a_reason_and_the_lead_agencys_own_staff(draft, agency_staff, other_agency_staff, clerk):
    with refused("reason_required"):
        workflow.request_opinion_waiver(reply=draft, by=agency_staff, reason="  ")
    for outsider in (other_agency_staff, clerk):
        with pytest.raises(WorkflowError):
            workflow.request_opinion_waiver(reply=draft, by=outsider, reason="不等了")
    assert not OpinionWaiverRequest.objects.exists()


def test_nothing_to_ask_for_once_every_opinion_is_in_or_waived(draft, agency_staff, clerk, other_agency):
    workflow.waive_opinion(assignment=assisting_of(draft, other_agency), by=clerk, reason="会办单位无补充意见")
    with refused("no_opinion_outstanding"):
        workflow.request_opinion_waiver(reply=draft, by=agency_staff, reason="不等了")


def test_the_clerk_grants_it_the_lead_is_told_and_the_reply_goes_on(step, asked, draft, clerk, agency_staff,
                                                                     other_agency):
    with step():
        workflow.waive_opinion(assignment=asked.assignment, by=clerk, reason="同意：会办意见逾期")
    asked.refresh_from_db()
    assert (asked.state, asked.decided_by) == ("granted", clerk)
    assert OpinionWaiver.objects.filter(assignment=asked.assignment).exists()
    decided = Notification.objects.get(kind=Kind.OPINION_WAIVER_DECIDED, channel="in_app")
    assert decided.recipient == agency_staff and "提案办同意不待" in decided.subject
    assert decided.link.endswith(f"/admin/proposals/assignment/{draft.assignment_id}/change/")
    assert Notification.objects.get(kind=Kind.OPINION_WAIVER_REQUESTED, channel="in_app").about.state == "granted"
    assert workflow.submit_reply(reply=draft, by=agency_staff).state == Reply.State.IN_REVIEW


def test_the_clerk_refuses_with_a_reason_and_the_lead_waits_then_may_ask_again(step, asked, draft, clerk,
                                                                              agency_staff):
    with refused("reason_required"):
        workflow.refuse_opinion_waiver(assignment=asked.assignment, by=clerk, reason="")
    with step():
        workflow.refuse_opinion_waiver(assignment=asked.assignment, by=clerk, reason="会办单位承诺本周内提交")
    asked.refresh_from_db()
    assert (asked.state, asked.decision_note) == ("refused", "会办单位承诺本周内提交")
    decided = Notification.objects.get(kind=Kind.OPINION_WAIVER_DECIDED, channel="in_app")
    assert decided.recipient == agency_staff and "不同意" in decided.subject and "本周内提交" in decided.body
    with pytest.raises(WorkflowError) as caught:
        workflow.submit_reply(reply=draft, by=agency_staff)
    assert caught.value.code == "opinion_outstanding"
    workflow.request_opinion_waiver(reply=draft, by=agency_staff, reason="会办单位逾期仍未提交")
    assert OpinionWaiverRequest.objects.filter(state="requested").count() == 1


def test_only_the_office_decides(asked, agency_staff):
    with refused("not_clerk"):
        workflow.refuse_opinion_waiver(assignment=asked.assignment, by=agency_staff, reason="不同意")


# --- the pages ---------------------------------------------------------------------------------


def test_the_reply_page_says_beforehand_what_is_missing_and_from_whom(client, draft, agency_staff, other_agency):
    client.force_login(agency_staff)
    page = client.get(reverse("admin:replies_reply_change", args=[draft.pk])).content.decode()
    assert f"提交审核前，须待{other_agency.name}提交会办意见，或经提案办同意不待会办意见" in page
    step = reverse("admin:replies_reply_step", args=[draft.pk, "request_opinion_waiver"])
    assert f'href="{step}"' in page and "催办并申请不待会办意见" in page


def test_the_request_is_made_from_the_reply_page(client, draft, agency_staff):
    client.force_login(agency_staff)
    step = reverse("admin:replies_reply_step", args=[draft.pk, "request_opinion_waiver"])
    assert "将催办广州市教育局提交会办意见" in client.get(step).content.decode()
    response = client.post(step, {"reason": "会办意见已逾期"})
    assert response.status_code == 302
    page = client.get(reverse("admin:replies_reply_change", args=[draft.pk])).content.decode()
    assert "催办并申请不待会办意见，待提案办决定" in page
    assert f'href="{step}"' not in page  # asked once; the office decides


def test_after_the_waiver_the_reply_page_shows_it_not_still_missing(client, asked, draft, clerk, agency_staff,
                                                                    other_agency):
    workflow.waive_opinion(assignment=asked.assignment, by=clerk, reason="同意：会办意见逾期")
    client.force_login(agency_staff)
    page = client.get(reverse("admin:replies_reply_change", args=[draft.pk])).content.decode()
    assert f"{other_agency.name}：提案办已同意不待其会办意见（同意：会办意见逾期" in page
    assert "尚未提交" not in page and 'id="opinions-blocking"' not in page


def test_the_clerk_decides_from_the_workbench(client, asked, clerk, other_agency):
    client.force_login(clerk)
    page = client.get(reverse("admin:index")).content.decode()
    section = page[page.index('id="wb-opinion_waiver_requests"'):]
    section = section[:section.index("</section>")]
    assert other_agency.name in section and "会办意见已逾期，多次电话催办未果" in section
    grant = reverse("admin:proposals_assignment_step", args=[asked.assignment_id, "waive_opinion"])
    refuse = reverse("admin:proposals_assignment_step", args=[asked.assignment_id, "refuse_opinion_waiver"])
    assert f'href="{grant}"' in section and f'href="{refuse}"' in section
    form = client.get(grant).content.decode()
    assert "会办意见已逾期，多次电话催办未果" in form  # the lead's reason, for the clerk to keep or edit
    assert client.post(refuse, {"reason": "会办单位承诺本周内提交"}).status_code == 302
    asked.refresh_from_db()
    assert asked.state == "refused"
    assert "没有待决定的不待会办意见申请" in client.get(reverse("admin:index")).content.decode()
