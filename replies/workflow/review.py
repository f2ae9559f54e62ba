"""A letter reviewed and sent: 提交审核 (after 办前沟通 and the assisting opinions), 退回修改, 签发,
答复.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from proposals import transitions
from proposals import workflow as proposal_workflow
from proposals.models import Assignment
from proposals.transitions import today
from replies import selectors
from replies.models import (
    Reply,
)
from replies.workflow._base import (
    DRAFT_FIELDS,
    State,
    _guard_edit,
    _lock_reply,
    _move,
    _record,
    _require_current_round,
    _require_live_work,
    _require_not_historical,
    _require_reply_step,
    _require_version,
)
from replies.workflow.letters import _clean_values, _save_checked
from replies.workflow.numbering import (
    _document_year,
    _require_free_document_number,
    next_document_number,
    normalize_document_number,
)
from tracker import extensions
from tracker.errors import PermissionRefused, WorkflowError


def communication_done(assignment: Assignment) -> bool:
    """办前沟通: a contact with the proposers held by this agency, or the office's waiver."""
    return Assignment.objects.filter(pk=assignment.pk).filter(selectors.communication_done()).exists()


def opinions_outstanding(assignment: Assignment) -> list[Assignment]:
    """The assisting assignments whose opinion the lead agency still waits for: neither sent to it
    nor waived by the office. Only the lead's reply states the assisting opinions (docs/domain.md, glossary)."""
    if assignment.role != Assignment.Role.LEAD:
        return []
    return list(
        Assignment.objects.filter(proposal_id=assignment.proposal_id, role=Assignment.Role.ASSISTING)
        .current().exclude(state=Assignment.State.OPINION_SENT)
        .exclude(opinion_waiver__isnull=False).select_related("agency").order_by("pk")
    )


@transaction.atomic
def submit_reply(*, reply: Reply, by, version: int | None = None) -> Reply:
    """提交审核: the drafter sends the letter to the agency's reviewer.

    Offices require 办前沟通: a communication with the proposers recorded as held first, unless
    the office waived it with a reason.
    """
    reply = _guard_edit(reply, by, version)
    _require_current_round(reply)
    assignment = reply.assignment
    transitions.require_assignment_step(assignment, "draft")
    if not communication_done(assignment):
        raise WorkflowError(
            "communication_required", "提交前须先与提出人开展办前沟通并登记为“已开展”（或经提案办同意免于沟通）",
            "Record a communication with the proposers as held first (or have the office waive it).",
        )
    if not reply.category:
        raise WorkflowError("category_required", "请选择答复类别", "Choose the reply category.", field="category")
    missing = opinions_outstanding(assignment)
    if missing:
        names = "、".join(item.agency.name for item in missing)
        raise WorkflowError(
            "opinion_outstanding", f"会办单位{names}尚未提交会办意见；须待其提交，或经提案办同意不待会办意见后，方可提交审核",
            "An assisting agency's opinion is outstanding: wait for it, or have the office waive it.",
        )
    _clean_values({name: getattr(reply, name) for name in DRAFT_FIELDS}, agency=reply.signing_agency, reply_pk=reply.pk)
    return _move(reply, State.IN_REVIEW, by, note="提交审核")


@transaction.atomic
def return_reply(*, reply: Reply, by, comment: str, version: int | None = None) -> Reply:
    """退回修改: the reviewer sends the draft back with comments."""
    if not comment.strip():
        raise WorkflowError("comment_required", "请填写退回意见", "Say what needs changing.", field="comment")
    reply = _lock_reply(reply)
    transitions.require_reviewer(by, reply.assignment.agency)
    _require_reply_step(reply, "return")
    _require_version(reply, version)
    _require_live_work(reply)
    reply.review_comment = comment.strip()
    return _move(reply, State.RETURNED, by, note=f"退回意见：{reply.review_comment}", fields=["review_comment"])


@transaction.atomic
def sign_off_reply(
    *, reply: Reply, by, version: int | None = None, document_number: str | None = None,
    signed_on: dt.date | None = None,
) -> Reply:
    """签发: a reviewer of the same agency approves the letter; nobody signs off their own draft.

    The reviewer may give the document number (文号) and the date on the letter (落款日期, today
    unless given) as the office assigns them at signing.
    """
    reply = _lock_reply(reply)
    transitions.require_reviewer(by, reply.assignment.agency)
    _require_reply_step(reply, "sign_off")
    _require_version(reply, version)
    _require_live_work(reply)
    if by.pk in (reply.drafted_by_id, reply.last_edited_by_id) or reply.editors.filter(pk=by.pk).exists():
        raise PermissionRefused("own_draft", "不能签发本人起草或修改的答复函，请由本单位其他负责人签发",
                                "You cannot sign off a reply you drafted or edited; another reviewer must.")
    fields = ["signed_off_by", "signed_on", "review_comment"]
    reply.signed_on = signed_on or reply.signed_on or today()
    if document_number is not None and document_number.strip():
        reply.document_number, year = normalize_document_number(document_number)
        reply.document_year = _document_year(reply.document_number, year, reply.signed_on)
        fields += ["document_number", "document_year"]
    elif reply.document_number and not reply.document_year:
        reply.document_year = _document_year(reply.document_number, None, reply.signed_on)
        fields += ["document_year"]
    elif not reply.document_number:
        # No 文号 given: the agency's series numbers it, or the letter cannot go out without one.
        reply.document_number, reply.document_year = next_document_number(
            agency=reply.signing_agency, year=reply.signed_on.year
        )
        fields += ["document_number", "document_year"]
    _require_free_document_number(reply.document_number, reply.document_year, reply.signing_agency, reply.pk)
    reply.signed_off_by, reply.review_comment = by, ""
    previous = reply.state
    reply.state, reply.version = State.SIGNED, reply.version + 1
    _save_checked(reply, ["state", "version", *fields])
    number = f"文号{reply.document_number}，" if reply.document_number else ""
    _record(reply, by, from_state=previous, to_state=State.SIGNED,
            note=f"答复函《{reply.title}》：已签发（{number}落款日期{reply.signed_on:%Y-%m-%d}）")
    return reply


@transaction.atomic
def send_reply(*, reply: Reply, by, version: int | None = None, on: dt.date | None = None) -> Reply:
    """答复: the signed letter goes to the proposers; the assignment is replied, and the proposal
    once every lead and joint agency of the round has replied."""
    reply = _lock_reply(reply)
    _require_not_historical(reply)
    transitions.require_agency_staff(by, reply.assignment.agency)
    _require_reply_step(reply, "send")
    _require_version(reply, version)
    _require_current_round(reply)
    assignment = reply.assignment
    if assignment.state == Assignment.State.REASSIGNMENT_REQUESTED:
        raise WorkflowError("reassignment_pending", "调整承办单位的申请尚待提案办决定，暂不能答复",
                            "The office has yet to decide the reassignment request.")
    # Floors above may hold a letter back (a key proposal's waits for the office's review).
    for guard in extensions.contributions("reply_send_guards"):
        guard(reply)
    reply.sent_at, reply.due_on = timezone.now(), assignment.due_on
    _move(reply, State.SENT, by, note="送达提出人", fields=["sent_at", "due_on"])
    sent_on = on or today()
    late = f"，逾期{(sent_on - assignment.due_on).days}天" if assignment.due_on and sent_on > assignment.due_on else ""
    number = reply.document_number or "（无文号）"
    proposal_workflow.mark_assignment_replied(
        assignment=assignment, by=by, on=sent_on, note=f"答复函{number}《{reply.title}》已送达提出人{late}"
    )
    return reply
