"""时效性提案快速通道: marked at review with a reason, listed for the clerk to assign at once, answered
within the office's short period of working days (kept when deadlines are recomputed), with its own
reminder sent once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from notifications.models import Kind, Notification
from notifications.services import sweep_notifications
from proposals import workflow as proposal_workflow
from proposals.deadlines import compute_deadlines
from supervision import workflow
from supervision.models import SupervisionSettings, UrgentMark
from tests.factories import AgencyFactory, assigned_proposal, assignment_of, registered_proposal
from tracker.errors import PermissionRefused, WorkflowError
from tracker.workdays import WorkingCalendar

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 3, 2)


def test_an_urgent_proposal_is_answered_within_the_short_period(clerk, meeting):
    lead, helper = AgencyFactory(), AgencyFactory()
    proposal = registered_proposal(by=clerk, meeting=meeting, title="关于做好汛期城市内涝防治的提案")
    mark = workflow.mark_urgent(proposal=proposal, reason="汛期临近，需尽快办理", by=clerk)
    assert mark.reply_workdays == 10
    proposal_workflow.accept_proposal(proposal=proposal, by=clerk)
    proposal_workflow.assign_proposal(proposal=proposal, by=clerk, lead=lead, assisting=[helper], on=ON)
    short = WorkingCalendar().add_workdays(ON, 10)
    assert assignment_of(proposal, lead).due_on == short
    normal = compute_deadlines(meeting=meeting, role="assisting", assigned_on=ON).due_on
    assert assignment_of(proposal, helper).due_on == normal  # an assisting opinion keeps its own period
    # Recomputing open deadlines (a holiday schedule entered) keeps the short period.
    proposal_workflow.recompute_open_deadlines(years=[2026], by=clerk)
    assert assignment_of(proposal, lead).due_on == short


def test_marking_needs_a_reason_the_office_and_a_proposal_still_at_review(clerk, meeting, agency_staff):
    proposal = registered_proposal(by=clerk, meeting=meeting)
    with pytest.raises(WorkflowError):
        workflow.mark_urgent(proposal=proposal, reason=" ", by=clerk)
    with pytest.raises(PermissionRefused):
        workflow.mark_urgent(proposal=proposal, reason="急", by=agency_staff)
    assigned = assigned_proposal(by=clerk, meeting=meeting)
    with pytest.raises(WorkflowError) as refused:
        workflow.mark_urgent(proposal=assigned, reason="急", by=clerk)
    assert "只能在审查或交办前列为时效性提案" in refused.value.zh
    assert not UrgentMark.objects.exists()


def test_the_clerk_marks_it_on_the_proposal_page_and_sees_it_to_assign_at_once(client, clerk, meeting):
    proposal = registered_proposal(by=clerk, meeting=meeting, title="关于做好汛期城市内涝防治的提案")
    client.force_login(clerk)
    page = client.get(f"/admin/proposals/proposal/{proposal.pk}/change/").content.decode()
    assert "列为时效性提案" in page
    response = client.post(f"/admin/proposals/proposal/{proposal.pk}/step/mark_urgent/", {"reason": "汛期临近"})
    assert response.status_code == 302 and UrgentMark.objects.filter(proposal=proposal).exists()
    start = client.get("/admin/").content.decode()
    assert 'id="wb-urgent_to_assign"' in start and "关于做好汛期城市内涝防治的提案" in start.split('id="wb-urgent_to_assign"')[1]
    proposal_workflow.accept_proposal(proposal=proposal, by=clerk)
    proposal_workflow.assign_proposal(proposal=proposal, by=clerk, lead=AgencyFactory(), on=ON)
    start = client.get("/admin/").content.decode()
    assert "没有待交办的时效性提案" in start


def test_its_own_reminder_goes_once(clerk, meeting, agency, agency_staff):
    SupervisionSettings.objects.update_or_create(pk=1, defaults={"urgent_reply_workdays": 2, "urgent_reminder_days": 7})
    proposal = registered_proposal(by=clerk, meeting=meeting)
    workflow.mark_urgent(proposal=proposal, reason="急", by=clerk)
    proposal_workflow.accept_proposal(proposal=proposal, by=clerk)
    proposal_workflow.assign_proposal(proposal=proposal, by=clerk, lead=agency, on=timezone.localdate())
    sweep_notifications()
    sweep_notifications()
    reminders = Notification.objects.filter(kind=Kind.URGENT_DUE)
    # Once to the staff member in the app, once to the agency's mailbox when it has one.
    in_app = reminders.get(channel="in_app")
    assert in_app.recipient == agency_staff and "时效性提案" in in_app.subject
    assert reminders.count() == 1 + bool(agency.email)
