"""The office's waivers: 免于办前沟通 and 不待会办意见 (with the lead agency's request for it).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from proposals import transitions
from proposals.models import Assignment
from proposals.transitions import ANSWERING_ROLES
from replies.models import (
    CommunicationWaiver,
    OpinionWaiver,
    OpinionWaiverRequest,
    Reply,
)
from replies.workflow._base import Action, _guard_edit, _record, _require_current_round
from replies.workflow.review import opinions_outstanding
from tracker.errors import WorkflowError


@dataclass(frozen=True)
class _WaiverKind:
    """What sets one waiver apart from the other: the rule (the clerk, a reason, open work, once per
    assignment) is the same and is stated once in `_waive`."""

    model: type[CommunicationWaiver] | type[OpinionWaiver]
    roles: tuple[str, ...]
    reason_required: str
    wrong_role: tuple[str, str, str]  # code, Chinese, English
    already: str


_COMMUNICATION = _WaiverKind(
    model=CommunicationWaiver, roles=ANSWERING_ROLES, reason_required="请填写免于沟通的理由",
    wrong_role=("assisting_no_communication", "会办单位无需办前沟通", "Assisting agencies need no waiver."),
    already="已同意该单位免于办前沟通",
)
_OPINION = _WaiverKind(
    model=OpinionWaiver, roles=(Assignment.Role.ASSISTING,), reason_required="请填写不待会办意见的理由",
    wrong_role=("not_assisting", "只有会办单位的意见可以不待", "Only an assisting opinion can be waived."),
    already="已同意不待该单位的会办意见",
)


def _waive(kind: _WaiverKind, assignment: Assignment, by, reason: str):
    """The office's waiver of `kind` on an open assignment of the right role, once, with a reason."""
    transitions.require_clerk(by)
    if not reason.strip():
        raise WorkflowError("reason_required", kind.reason_required, "A reason is required.", field="reason")
    assignment = transitions.lock_assignment(assignment)
    if assignment.role not in kind.roles:
        raise WorkflowError(*kind.wrong_role)
    transitions.require_assignment_step(assignment, "waive")
    if kind.model.objects.filter(assignment=assignment).exists():
        raise WorkflowError("already_waived", kind.already, "Already waived for this agency.")
    return kind.model.objects.create(assignment=assignment, reason=reason.strip(), waived_by=by)


@transaction.atomic
def waive_communication(*, assignment: Assignment, by, reason: str) -> CommunicationWaiver:
    """免于办前沟通: the office lets a lead or joint agency reply without a prior contact."""
    waiver = _waive(_COMMUNICATION, assignment, by, reason)
    # No action of its own in the timeline's vocabulary: the required contact is called off.
    _record(waiver.assignment, by, action=Action.CANCEL_COMMUNICATION,
            note=f"提案办同意{waiver.assignment.agency.name}免于办前沟通：{waiver.reason}")
    return waiver


@transaction.atomic
def waive_opinion(*, assignment: Assignment, by, reason: str) -> OpinionWaiver:
    """不待会办意见: the office lets the lead agency submit its reply without this assisting
    agency's opinion (late, or nothing to add); the assisting work itself stays open. A lead
    agency's pending request for it is granted by the same step."""
    waiver = _waive(_OPINION, assignment, by, reason)
    _decide_requests(waiver.assignment, by, OpinionWaiverRequest.State.GRANTED, waiver.reason)
    _record(waiver.assignment, by, action=Action.WAIVE_OPINION,
            note=f"提案办同意主办单位不待{waiver.assignment.agency.name}的会办意见：{waiver.reason}")
    return waiver


def _decide_requests(assignment: Assignment, by, state: str, note: str) -> int:
    return OpinionWaiverRequest.objects.filter(assignment=assignment, state=OpinionWaiverRequest.State.REQUESTED).update(
        state=state, decided_by=by, decided_at=timezone.now(), decision_note=note)


@transaction.atomic
def request_opinion_waiver(*, reply: Reply, by, reason: str) -> list[OpinionWaiverRequest]:
    """催办并申请不待会办意见: in one step the lead agency reminds each assisting agency whose opinion
    it still waits for, and asks the office to let it submit without that opinion. The assisting
    agencies and the office's clerks are told once the step commits; a clerk decides on their 工作台
    (waive_opinion grants, refuse_opinion_waiver refuses)."""
    if not reason.strip():
        raise WorkflowError("reason_required", "请填写申请不待会办意见的理由", "A reason is required.", field="reason")
    reply = _guard_edit(reply, by, None)
    _require_current_round(reply)
    lead = reply.assignment
    transitions.require_assignment_step(lead, "draft")
    outstanding = opinions_outstanding(lead)
    if not outstanding:
        raise WorkflowError("no_opinion_outstanding", "没有尚未提交的会办意见，无需申请",
                            "No assisting opinion is outstanding.")
    asked = set(OpinionWaiverRequest.objects.filter(assignment__in=outstanding, state=OpinionWaiverRequest.State.REQUESTED)
                .values_list("assignment_id", flat=True))
    todo = [item for item in outstanding if item.pk not in asked]
    if not todo:
        raise WorkflowError("waiver_already_requested", "已申请不待会办意见，请等待提案办决定",
                            "The office has yet to decide the request already made.")
    requests = OpinionWaiverRequest.objects.bulk_create([
        OpinionWaiverRequest(assignment=item, lead=lead, reason=reason.strip(), requested_by=by) for item in todo
    ])
    for item in todo:
        _record(item, by, action=Action.REMIND_OPINION,
                note=f"主办单位{lead.agency.name}催办会办意见（期限{item.due_on:%Y-%m-%d}）" if item.due_on
                else f"主办单位{lead.agency.name}催办会办意见")
    names = "、".join(item.agency.name for item in todo)
    _record(lead, by, action=Action.REQUEST_OPINION_WAIVER, note=f"申请不待{names}的会办意见：{reason.strip()}")
    return requests


@transaction.atomic
def refuse_opinion_waiver(*, assignment: Assignment, by, reason: str) -> int:
    """不同意不待会办意见: the office refuses the lead agency's request, with a reason; the lead
    waits for the assisting agency's opinion (and may ask again later)."""
    transitions.require_clerk(by)
    if not reason.strip():
        raise WorkflowError("reason_required", "请填写不同意的理由", "A reason is required.", field="reason")
    assignment = transitions.lock_assignment(assignment)
    refused = _decide_requests(assignment, by, OpinionWaiverRequest.State.REFUSED, reason.strip())
    if not refused:
        raise WorkflowError("no_waiver_request", "该会办单位没有待决定的不待会办意见申请",
                            "There is no pending request for this assisting agency.")
    _record(assignment, by, action=Action.REFUSE_OPINION_WAIVER,
            note=f"提案办不同意不待{assignment.agency.name}的会办意见：{reason.strip()}")
    return refused
