"""Fixtures of the reminder tests: open work due on chosen days, and a bulk builder for the chaos tests."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from notifications.models import Notification, Stage
from notifications.planning import plan_notifications
from notifications.stages import install_default_stages
from proposals import access
from proposals.models import Agency, AgencyStaff, Assignment, Meeting, Member, Proposal, Proposer
from tests.factories import ASSIGNED_ON, MemberFactory, MemberUserFactory, assigned_proposal, assignment_of


@pytest.fixture
def stages(db):
    """The office's default stages (migration 0002 made them; a flushed database gets them again)."""
    install_default_stages(Stage)
    return {stage.code: stage for stage in Stage.objects.all()}


@pytest.fixture
def proposer(db):
    """A member with a login and an email: gets in-app and email notices."""
    member = MemberFactory(name="张建山", email="zhang@example.org")
    MemberUserFactory(member=member)
    member.refresh_from_db()
    return member


@pytest.fixture
def due(clerk, agency, agency_staff, proposer):
    """`due(date)`: an open lead assignment of `agency`, due on `date`."""

    def make(due_on: dt.date, **fields) -> Assignment:
        proposal = assigned_proposal(by=clerk, lead=agency, on=ASSIGNED_ON, proposers=[proposer])
        assignment = assignment_of(proposal, agency)
        Assignment.objects.filter(pk=assignment.pk).update(due_on=due_on, **fields)
        assignment.refresh_from_db()
        return assignment

    return make


def sweep_days(first: dt.date, last: dt.date) -> dict[str, dt.date]:
    """Run the planning sweep once a day from `first` to `last`; each key → the day it was planned."""
    planned_on: dict[str, dt.date] = {}
    day = first
    while day <= last:
        plan_notifications(today=day)
        for key in Notification.objects.exclude(key__in=list(planned_on)).values_list("key", flat=True):
            planned_on[key] = day
        day += dt.timedelta(days=1)
    return planned_on


def stage_days(planned_on: dict[str, dt.date], *, channel: str = "in_app") -> dict[str, dt.date]:
    """Reduce keys to "stage-code#occurrence" → day, for one channel."""
    result = {}
    for key, day in planned_on.items():
        parts = key.split(":")
        if parts[-1] != channel:
            continue
        if parts[0] == "assignment":
            result[f"{parts[2]}#{parts[4]}"] = day
        else:
            result[parts[2]] = day
    return result


# --- bulk data for the chaos tests --------------------------------------------------------------


def build_due_work(*, count: int, due_on: dt.date, agencies: int = 20, bounce_agencies: int = 0) -> dict:
    """`count` open lead assignments due on `due_on`, spread over `agencies` agencies that each have
    one staff user (in-app) and an email address; the first `bounce_agencies` addresses are ones
    the SMTP sink refuses for good. Written with bulk_create: thousands in a second."""
    User = get_user_model()
    staff_group = Group.objects.get(name=access.AGENCY_STAFF)
    meeting = Meeting.objects.create(body="cppcc", region="广州市", term=14, session=90, year=due_on.year,
                                     name="政协十四届广州市委员会第九十次会议(压力测试)")
    member = Member.objects.create(name="测试委员", body="cppcc", region="广州市")
    agency_rows = Agency.objects.bulk_create(
        Agency(name=f"混沌测试第{n}局", region="广州市",
               email=f"{'bounce' if n < bounce_agencies else 'agency'}{n}@example.org")
        for n in range(agencies)
    )
    users = User.objects.bulk_create(User(username=f"chaos-staff-{n}", is_staff=True) for n in range(agencies))
    staff_group.user_set.add(*users)
    AgencyStaff.objects.bulk_create(AgencyStaff(user=u, agency=a) for u, a in zip(users, agency_rows, strict=True))
    proposals = Proposal.objects.bulk_create(
        Proposal(meeting=meeting, number=str(10000 + n), title=f"关于压力测试第{n}项的提案", status="in_progress")
        for n in range(count)
    )
    Proposer.objects.bulk_create(Proposer(proposal=p, member=member, order=1, is_lead=True) for p in proposals)
    Assignment.objects.bulk_create(
        Assignment(proposal=p, agency=agency_rows[n % agencies], role="lead", state="accepted",
                   assigned_on=due_on - dt.timedelta(days=90), due_on=due_on, reassignment_window_ends_on=due_on)
        for n, p in enumerate(proposals)
    )
    emails = sum(1 for n in range(count) if n % agencies >= bounce_agencies)
    return {"assignments": count, "in_app": count, "emails": count, "deliverable_emails": emails}
