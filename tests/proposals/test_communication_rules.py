"""Communication dates are checked against the assignment and today, and a held contact can be
corrected by its agency with the change on the timeline (issue 13, item 5)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from proposals import workflow
from proposals.models import Assignment, Communication, Event, Proposal
from tests.factories import assigned_proposal, assignment_of
from tracker.errors import WorkflowError

pytestmark = pytest.mark.django_db


@pytest.fixture
def assignment(clerk, agency, agency_staff):
    proposal = assigned_proposal(by=clerk, lead=agency)  # assigned on 2026-03-02
    return workflow.sign_for_assignment(assignment=assignment_of(proposal, agency), by=agency_staff)


def refused(code, call):
    events, contacts = Event.objects.count(), list(Communication.objects.values())
    with pytest.raises(WorkflowError) as caught:
        call()
    assert caught.value.code == code and not caught.value.zh.isascii()
    assert Event.objects.count() == events and list(Communication.objects.values()) == contacts
    return caught.value


def test_a_contact_cannot_be_planned_before_the_assignment(assignment, agency_staff):
    error = refused("communication_before_assignment", lambda: workflow.plan_communication(
        assignment=assignment, by=agency_staff, mode=Communication.Mode.PHONE, date=dt.date(2026, 2, 27)))
    assert "早于交办日期2026年03月02日" in error.zh


def test_a_contact_in_the_future_cannot_be_recorded_as_held(assignment, agency_staff):
    planned = workflow.plan_communication(assignment=assignment, by=agency_staff, mode=Communication.Mode.PHONE,
                                          date=timezone.localdate() + dt.timedelta(days=300))
    refused("communication_in_future", lambda: workflow.record_communication_held(
        communication=planned, by=agency_staff, outcome="电话沟通。"))
    assert Communication.objects.get(pk=planned.pk).state == Communication.State.PLANNED


def test_a_contact_later_today_cannot_be_recorded_as_held(assignment, agency_staff, monkeypatch):
    # 05:31 on 8 December in Beijing is still 7 December in UTC: the time is compared in Beijing time.
    five_thirty_one = dt.datetime(2026, 12, 7, 21, 31, tzinfo=dt.timezone.utc)
    monkeypatch.setattr(timezone, "now", lambda: five_thirty_one)
    planned = workflow.plan_communication(assignment=assignment, by=agency_staff, mode=Communication.Mode.FACE_TO_FACE,
                                          date=dt.date(2026, 12, 8), time=dt.time(9, 30))
    error = refused("communication_in_future", lambda: workflow.record_communication_held(
        communication=planned, by=agency_staff, outcome="座谈交流。"))
    assert "09:30" in error.zh and "05:31" in error.zh
    monkeypatch.setattr(timezone, "now", lambda: five_thirty_one + dt.timedelta(hours=4))  # 09:31 in Beijing
    workflow.record_communication_held(communication=planned, by=agency_staff, outcome="座谈交流。")
    assert Communication.objects.get(pk=planned.pk).state == Communication.State.HELD


def test_a_held_date_before_the_assignment_is_refused(assignment, agency_staff):
    planned = workflow.plan_communication(assignment=assignment, by=agency_staff, mode=Communication.Mode.PHONE,
                                          date=dt.date(2026, 3, 10))
    refused("communication_before_assignment", lambda: workflow.record_communication_held(
        communication=planned, by=agency_staff, outcome="电话沟通。", on=dt.date(2026, 1, 5)))


@pytest.fixture
def held(assignment, agency_staff):
    planned = workflow.plan_communication(assignment=assignment, by=agency_staff, mode=Communication.Mode.PHONE,
                                          date=dt.date(2026, 3, 10))
    return workflow.record_communication_held(communication=planned, by=agency_staff, outcome="电话沟通。")


def test_the_agency_corrects_a_held_contact_and_the_timeline_says_what_changed(held, agency_staff):
    corrected = workflow.correct_communication(communication=held, by=agency_staff, date=dt.date(2026, 3, 12),
                                               mode=Communication.Mode.FACE_TO_FACE, outcome="当面座谈。")
    assert (corrected.date, corrected.mode) == (dt.date(2026, 3, 12), Communication.Mode.FACE_TO_FACE)
    event = Event.objects.latest("pk")
    assert event.action == Event.Action.EDIT and event.actor == agency_staff
    assert "2026-03-10" in event.note and "2026-03-12" in event.note and "电话" in event.note


def test_another_agency_cannot_correct_the_contact(held, other_agency_staff):
    refused("not_your_agency", lambda: workflow.correct_communication(
        communication=held, by=other_agency_staff, outcome="改写。"))


def test_a_correction_into_the_future_is_refused(held, agency_staff):
    refused("communication_in_future", lambda: workflow.correct_communication(
        communication=held, by=agency_staff, date=timezone.localdate() + dt.timedelta(days=1)))


def test_the_correction_is_a_step_on_the_assignment_page(client, held, assignment, agency_staff):
    client.force_login(agency_staff)
    url = reverse("admin:proposals_assignment_step", args=[assignment.pk, "correct_communication"])
    assert url in client.get(reverse("admin:proposals_assignment_change", args=[assignment.pk])).content.decode()
    response = client.post(url, {"communication": held.pk, "date": "2026-03-11", "mode": "phone", "place": "",
                                 "outcome": "电话沟通,补记要点。"})
    assert response.status_code == 302
    assert Communication.objects.get(pk=held.pk).date == dt.date(2026, 3, 11)


# --- closing, and who is late -----------------------------------------------------------------------


def test_the_proposal_list_names_the_late_agency_and_its_role(client, clerk, agency, other_agency):
    proposal = assigned_proposal(by=clerk, lead=agency, assisting=[other_agency])
    client.force_login(clerk)
    page = client.get(reverse("admin:proposals_proposal_changelist") + "?deadline=overdue").content.decode()
    assert proposal.title in page
    assert f"{other_agency.name}（会办）" in page  # the assisting opinion falls due first (one month)


def test_closing_a_proposal_closes_its_open_assisting_work(clerk, agency, other_agency):
    proposal = assigned_proposal(by=clerk, lead=agency, assisting=[other_agency])
    Proposal.objects.filter(pk=proposal.pk).update(status=Proposal.Status.EVALUATED)  # the reply side elsewhere

    workflow.close_proposal(proposal=proposal, by=clerk)

    assert set(proposal.assignments.values_list("state", flat=True)) == {Assignment.State.CANCELLED}
    assert not Proposal.objects.filter(pk=proposal.pk, assignments__state__in=Assignment.OPEN_STATES).exists()
