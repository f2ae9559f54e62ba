"""A meeting whose figures a person can count by hand, built through the real workflows.

Dates are counted back from today, because a reply is sent "now" (sent_at) as in production:

| item | category, kind | what happens | counts |
| P1 第1号 | science, proposal, key | lead SCI (assigned today-10, face-to-face today-5, assisting ENV's opinion sent, then reply A today); m1 rates 满意/不满意 → re-handled, round-2 reply A, then 满意/满意 | on time, met |
| P2 第2号 | education, proposal | lead EDU, assigned today-100, extension approved to today+20, phone contact, reply B today; m2 基本满意/基本满意, m3 未表态/满意 | on time by the extension, B under follow-up |
| P3 第3号 | science, suggestion | lead SCI (assigned today-200, letter contact, reply C today: late), joint EDU still open (overdue > 30 days), assisting ENV open (overdue) | late |
| P4 第4号 | other | merged into P3 | |
| P5 第5号 | other | not accepted | |
| P6 第6号 | other | submitted, waiting for review | |
| P7 第7号 | education, proposal | lead EDU, not signed, due within 7 days | |
| P8 第8号 | other | referred | |
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from django.utils import timezone

from proposals import workflow as proposal_workflow
from proposals.deadlines import compute_deadlines
from proposals.models import Agency, Assignment, Communication, Meeting, Proposal
from replies import workflow
from replies.models import Rating
from tests.factories import (
    AgencyFactory,
    AgencyReviewerUserFactory,
    AgencyStaffUserFactory,
    MeetingFactory,
    MemberFactory,
    assignment_of,
    not_accept_ground,
    registered_proposal,
)
from tests.replies.builders import letter

S, B, U, N = Rating.SATISFIED, Rating.BASICALLY_SATISFIED, Rating.UNSATISFIED, Rating.NO_OPINION


@dataclass
class CountedMeeting:
    meeting: Meeting
    today: dt.date
    science: Agency
    education: Agency
    environment: Agency
    proposals: dict[int, Proposal]
    staff: dict[int, object]  # agency id -> staff user


def _hold(assignment, staff, mode, on):
    planned = proposal_workflow.plan_communication(assignment=assignment, by=staff, mode=mode, date=on)
    proposal_workflow.record_communication_held(communication=planned, by=staff, outcome="已沟通。", on=on)


_NUMBERS = itertools.count(1)


def _reply(assignment, staff, reviewer, category):
    assignment.refresh_from_db()
    reply = workflow.draft_reply(assignment=assignment, by=staff, **letter(category=category))
    reply = workflow.submit_reply(reply=reply, by=staff)
    # 签发 needs a 文号; one per letter, unique within the agency and year.
    reply = workflow.sign_off_reply(reply=reply, by=reviewer, document_number=f"测试函〔2026〕{next(_NUMBERS)}号")
    return workflow.send_reply(reply=reply, by=staff)


def _rate(proposal, member, attitude, result, clerk):
    workflow.record_feedback(proposal=proposal, member=member, attitude=attitude, result=result, by=clerk,
                             channel="phone")


def _assigned_on_due_within_week(meeting, today) -> dt.date:
    """An assignment day whose reply deadline falls in the next 7 days, whatever today is."""
    for days_back in range(80, 100):
        day = today - dt.timedelta(days=days_back)
        due = compute_deadlines(meeting=meeting, role=Assignment.Role.LEAD, assigned_on=day).due_on
        if today <= due <= today + dt.timedelta(days=7):
            return day
    raise AssertionError("no assignment day gives a deadline within 7 days")


def build_counted_meeting(clerk) -> CountedMeeting:
    today = timezone.localdate()
    days = lambda n: today - dt.timedelta(days=n)  # noqa: E731
    meeting = MeetingFactory(name="政协十四届广州市委员会第三次会议", year=today.year)
    science = AgencyFactory(name="广州市科学技术局")
    education = AgencyFactory(name="广州市教育局")
    environment = AgencyFactory(name="广州市生态环境局")
    staff = {a.pk: AgencyStaffUserFactory(agency=a) for a in (science, education, environment)}
    reviewers = {a.pk: AgencyReviewerUserFactory(agency=a) for a in (science, education, environment)}
    m1, m2, m3, m4 = (MemberFactory(name=n) for n in ("张建山", "李明华", "王晓红", "陈思远"))

    def new(number, proposers, **fields):
        return registered_proposal(by=clerk, meeting=meeting, number=str(number), proposers=proposers, **fields)

    def accepted(number, proposers, **fields):
        return proposal_workflow.accept_proposal(proposal=new(number, proposers, **fields), by=clerk)

    def signed(proposal, agency):
        return proposal_workflow.sign_for_assignment(assignment=assignment_of(proposal, agency), by=staff[agency.pk])

    # P1: on time, met in person, 不满意 then 满意 after re-handling; an assisting opinion.
    p1 = accepted(1, [m1], category="science", is_key=True)
    proposal_workflow.assign_proposal(proposal=p1, by=clerk, lead=science, assisting=[environment], on=days(10))
    p1_lead = signed(p1, science)
    _hold(p1_lead, staff[science.pk], Communication.Mode.FACE_TO_FACE, days(5))
    # The assisting opinion reaches the lead before it submits its reply.
    opinion_assignment = signed(p1, environment)
    opinion = workflow.draft_assisting_opinion(assignment=opinion_assignment, by=staff[environment.pk], body="同意。")
    workflow.send_assisting_opinion(opinion=opinion, by=staff[environment.pk])
    _reply(p1_lead, staff[science.pk], reviewers[science.pk], "A")
    p1.refresh_from_db()
    _rate(p1, m1, S, U, clerk)  # → re-handling, round 2
    _reply(p1_lead, staff[science.pk], reviewers[science.pk], "A")
    p1.refresh_from_db()
    _rate(p1, m1, S, S, clerk)

    # P2: late by the first deadline, on time by the approved extension; B class; two raters.
    p2 = accepted(2, [m2, m3], category="education")
    proposal_workflow.assign_proposal(proposal=p2, by=clerk, lead=education, on=days(100))
    p2_lead = signed(p2, education)
    extension = proposal_workflow.request_extension(
        assignment=p2_lead, until=today + dt.timedelta(days=20), reason="需会同多部门调研", by=staff[education.pk])
    proposal_workflow.decide_extension(extension=extension, approve=True, by=clerk)
    _hold(p2_lead, staff[education.pk], Communication.Mode.PHONE, days(3))
    _reply(p2_lead, staff[education.pk], reviewers[education.pk], "B")
    p2.refresh_from_db()
    _rate(p2, m2, B, B, clerk)
    _rate(p2, m3, N, S, clerk)

    # P3: the lead replies late; the joint and assisting agencies are still open and overdue.
    p3 = accepted(3, [m4], category="science", kind="suggestion")
    proposal_workflow.assign_proposal(proposal=p3, by=clerk, lead=science, joint=[education], assisting=[environment],
                                      on=days(200))
    p3_lead = signed(p3, science)
    _hold(p3_lead, staff[science.pk], Communication.Mode.LETTER, days(1))
    # The office lets the lead reply without the late assisting opinion (不待会办意见); that work stays open.
    workflow.waive_opinion(assignment=p3.assignments.get(agency=environment), by=clerk, reason="会办单位逾期未提交")
    _reply(p3_lead, staff[science.pk], reviewers[science.pk], "C")

    p4 = new(4, [MemberFactory()])
    proposal_workflow.merge_proposal(proposal=p4, into=p3, by=clerk)
    p5 = new(5, [MemberFactory()])
    proposal_workflow.not_accept_proposal(proposal=p5, ground=not_accept_ground(), reason="内容空泛", by=clerk)
    new(6, [MemberFactory()])  # waits for review
    p7 = accepted(7, [MemberFactory()], category="education")
    proposal_workflow.assign_proposal(proposal=p7, by=clerk, lead=education,
                                      on=_assigned_on_due_within_week(meeting, today))
    p8 = new(8, [MemberFactory()])
    proposal_workflow.refer_proposal(proposal=p8, to="市信访局", by=clerk)

    proposals = {n: Proposal.objects.get(meeting=meeting, number=str(n)) for n in range(1, 9)}
    return CountedMeeting(meeting, today, science, education, environment, proposals, staff)


def other_meeting_noise(clerk) -> Proposal:
    """A proposal of another meeting: figures of the counted meeting must not see it."""
    other = MeetingFactory(name="政协十四届广州市委员会第九次会议")
    proposal = registered_proposal(by=clerk, meeting=other, number="1", proposers=[MemberFactory()])
    return proposal_workflow.accept_proposal(proposal=proposal, by=clerk)



