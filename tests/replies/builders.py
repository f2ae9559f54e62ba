"""Builders for reply tests (tests/replies and tests/browser): a seed-like letter, a contact held,
a reply walked to a given state, all through the workflows."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from proposals import workflow as proposal_workflow
from proposals.models import Assignment, Communication
from replies import workflow

LETTER_BODY = """您提出的《关于促进人工智能产业健康发展的提案》收悉。我局高度重视,会同有关单位认真研究办理,现答复如下:
一、有关工作开展情况
(一)完善智能驾驶法律法规制度体系。
出台《广州市智能网联车辆道路测试指导意见》,明确测试主体的安全责任。
二、下一步工作计划
感谢您对我市科技工作的关心和支持。"""


def letter(**overrides) -> dict:
    """The fields of a seed-like reply letter (seeds/000)."""
    values = dict(
        title="广州市科学技术局关于政协十四届广州市委员会第一次会议第2053号提案答复的函",
        addressee="张建山委员",
        body=LETTER_BODY,
        contact_person="杨欣卉",
        contact_phone="83124132",
        category="A",
    )
    values.update(overrides)
    return values


def hold_communication(assignment: Assignment, by) -> Communication:
    """办前沟通 planned and held by the assignment's agency."""
    # 4月14日 as in seeds/000, or the day after a later assignment (a contact follows the assignment).
    on = max(dt.date(2026, 4, 14), (assignment.assigned_on or dt.date(2026, 4, 13)) + dt.timedelta(days=1))
    planned = proposal_workflow.plan_communication(
        assignment=assignment, by=by, mode=Communication.Mode.FACE_TO_FACE, date=min(on, timezone.localdate()),
        place="市科技局", members=[p.member for p in assignment.proposal.proposers.all()],
    )
    return proposal_workflow.record_communication_held(communication=planned, by=by, outcome="当面座谈交流。")


_document_numbers = itertools.count(1)


def walk_reply(assignment: Assignment, *, staff, reviewer, to: str, **fields):
    """A reply of `assignment` walked to state `to` (draft, in_review, signed, sent); signed off
    with a 文号 of its own unless the draft carries one (签发 needs one)."""
    if not assignment.proposal.communications.filter(agency=assignment.agency, state="held").exists():
        hold_communication(assignment, staff)
    reply = workflow.draft_reply(assignment=assignment, by=staff, **letter(**fields))
    if to == "draft":
        return reply
    reply = workflow.submit_reply(reply=reply, by=staff)
    if to == "in_review":
        return reply
    number = None if reply.document_number else f"测试函〔2022〕{next(_document_numbers)}号"
    reply = workflow.sign_off_reply(reply=reply, by=reviewer, signed_on=dt.date(2022, 5, 27), document_number=number)
    if to == "signed":
        return reply
    return workflow.send_reply(reply=reply, by=staff)
