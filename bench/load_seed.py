"""The people and rows `make bench-load` works on, made once per database through the workflows.

60 members (3 proposals each, assigned to one agency, 4 in-app notifications each), the agency's
staff and reviewer, a clerk, and 12 published replies for the public. Everyone's password is
PASSWORD. Run inside the stack's environment (bench/load.py sets it).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

PASSWORD = "bench-load-密码-2026"
MEMBERS = 60
PUBLISHED = 12
CLERK = "bench-clerk"
STAFF = "bench-staff"


def member_usernames() -> list[str]:
    return [f"bench-member-{n}" for n in range(MEMBERS)]


def credentials() -> dict:
    """Each member's API token and the clerk's and agency staff's admin sessions, made here: an app
    keeps its token and a clerk stays logged in, and 50 logins at once would measure only PBKDF2."""
    from django.test import Client

    from tracker.tokens import issue_token

    users = get_user_model().objects
    tokens = [issue_token(user=users.get(username=name)) for name in member_usernames()]
    sessions = {}
    for name in (CLERK, STAFF):
        client = Client()
        client.force_login(users.get(username=name))
        sessions[name] = client.cookies["sessionid"].value
    return {"LOAD_MEMBER_TOKENS": tokens, "LOAD_CLERK_SESSION": sessions[CLERK], "LOAD_STAFF_SESSION": sessions[STAFF]}


def seed() -> None:
    from django.db import transaction

    if get_user_model().objects.filter(username=CLERK).exists():
        return
    with transaction.atomic():  # all or nothing: a half-made seed would pass for a whole one next time
        _seed()


def _seed() -> None:
    from notifications.models import Kind, Notification
    from replies import workflow as reply_workflow
    from tests.factories import (
        AgencyFactory,
        AgencyReviewerUserFactory,
        AgencyStaffUserFactory,
        ClerkFactory,
        MeetingFactory,
        MemberUserFactory,
        assigned_proposal,
        signed_assignment,
    )
    from tests.replies.builders import walk_reply

    password = make_password(PASSWORD)  # hashed once: PBKDF2 per user would take a minute
    clerk = ClerkFactory(username=CLERK, password=password)
    agency = AgencyFactory(name="广州市科学技术局")
    staff = AgencyStaffUserFactory(agency=agency, username=STAFF, password=password)
    reviewer = AgencyReviewerUserFactory(agency=agency)
    meeting = MeetingFactory()
    rows = []
    for index, username in enumerate(member_usernames()):
        member = MemberUserFactory(username=username, password=password).member
        for topic in ("人工智能产业", "公共交通", "社区养老"):
            proposal = assigned_proposal(by=clerk, lead=agency, meeting=meeting, proposers=[member],
                                         title=f"关于促进{topic}发展的提案({index})")
            rows.append(Notification(
                key=f"bench:{proposal.pk}", kind=Kind.ASSIGNED, stage_text="交办通知", channel="in_app",
                recipient=member.user, subject="交办通知", body="您的提案已交办。", proposal=proposal,
                state="sent", sent_at=timezone.now(),
            ))
    Notification.objects.bulk_create(rows)
    for index in range(PUBLISHED):
        assignment = signed_assignment(by_clerk=clerk, staff=staff, meeting=meeting,
                                       title=f"关于加强城市更新工作的提案({index})")
        reply = walk_reply(assignment, staff=staff, reviewer=reviewer, to="sent")
        reply_workflow.publish_reply(reply=reply, by=staff)  # the signing agency publishes its letter
