"""A meeting's worth of real work, built through the workflows, for the restore drills.

A plain function (not a fixture) so the SQLite drill can run it in a process of its own.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile

from notifications.models import Notification
from notifications.planning import plan_notifications
from proposals import workflow as proposal_workflow
from proposals.models import CommunicationAttachment
from replies import workflow as reply_workflow
from replies.documents import reply_docx
from replies.models import Rating
from tests.factories import (
    ASSIGNED_ON,
    AgencyFactory,
    AgencyReviewerUserFactory,
    AgencyStaffUserFactory,
    ClerkFactory,
    MeetingFactory,
    MemberFactory,
    MemberUserFactory,
    assigned_proposal,
    assignment_of,
    registered_proposal,
)
from tests.replies.builders import walk_reply

# A few bytes that open as a JPEG header: the drill compares bytes, not pictures.
PHOTO = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 40 + b"\xff\xd9"


def fill_office_record() -> dict[str, int]:
    """Proposals at several stages, assignments, a held meeting with a photo and the signed reply's
    .docx attached, a reply sent and rated by each proposer, and notifications planned."""
    clerk = ClerkFactory()
    agency, other_agency = AgencyFactory(name="广州市科学技术局"), AgencyFactory(name="广州市教育局")
    staff, reviewer = AgencyStaffUserFactory(agency=agency), AgencyReviewerUserFactory(agency=agency)
    meeting = MeetingFactory()
    members = [MemberFactory(name=name, body=meeting.body, region=meeting.region) for name in ("张建山", "李明华")]
    member_users = [MemberUserFactory(member=member) for member in members]

    proposal = assigned_proposal(by=clerk, meeting=meeting, lead=agency, proposers=members,
                                 title="关于促进人工智能产业健康发展的提案")
    assignment = proposal_workflow.sign_for_assignment(assignment=assignment_of(proposal, agency), by=staff)
    reply = walk_reply(assignment, staff=staff, reviewer=reviewer, to="sent")
    communication = proposal.communications.get(agency=agency)
    CommunicationAttachment.objects.create(
        communication=communication, title="4月14日-与张建山委员见面沟通.jpg",
        file=ContentFile(PHOTO, name="4月14日-与张建山委员见面沟通.jpg"),
    )
    CommunicationAttachment.objects.create(
        communication=communication, title="答复函(签发稿).docx", file=ContentFile(reply_docx(reply), name="答复函.docx"),
    )
    for user in member_users:
        reply_workflow.record_feedback(proposal=proposal, member=user.member, attitude=Rating.SATISFIED,
                                       result=Rating.SATISFIED, comments="答复具体,办理认真", by=user)

    for _ in range(4):
        assigned_proposal(by=clerk, meeting=meeting, lead=other_agency, proposers=[members[1]])
    registered_proposal(by=clerk, meeting=meeting, proposers=[members[0]])
    plan_notifications(today=ASSIGNED_ON + dt.timedelta(days=1))
    return {"notifications": Notification.objects.count()}
