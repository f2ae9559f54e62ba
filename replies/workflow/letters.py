"""Drafting a reply letter: checking what the drafter wrote, the first draft and later saves.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import IntegrityError, transaction

from proposals import transitions
from proposals.models import Assignment
from proposals.transitions import ANSWERING_ROLES
from replies.models import (
    Reply,
    ReplyCategory,
)
from replies.workflow._base import DRAFT_FIELDS, State, _guard_edit, _record
from replies.workflow.numbering import (
    _document_year,
    _require_free_document_number,
    normalize_document_number,
)
from tracker.errors import WorkflowError

_COLONS = ":：: "


_TYPED_CONTACT = re.compile(r"^[（(]?\s*联系人\s*[:：].*$")


def without_generated_lines(body: str, *, addressee: str, has_contact: bool) -> str:
    """The body without what the letter adds itself: a first line repeating the 主送 (江霞委员：),
    and a last line with the contact person and phone when those fields are filled. Typed in, they
    stood twice in the letter, on the member's page and on the public page."""
    lines = body.splitlines()
    salutation = addressee.rstrip(_COLONS)
    if lines and salutation and lines[0].strip().lstrip("\u3000").rstrip(_COLONS) == salutation:
        lines = lines[1:]
    if lines and has_contact and _TYPED_CONTACT.match(lines[-1].strip()):
        lines = lines[:-1]
    return "\n".join(lines).strip()


def _clean_values(values: dict[str, Any], *, agency, reply_pk: int | None) -> dict[str, Any]:
    """Check a draft's fields; return them tidied, with the document number's year."""
    unknown = set(values) - set(DRAFT_FIELDS)
    if unknown:
        raise TypeError(f"not draft fields: {sorted(unknown)}")
    cleaned = dict(values)
    for name in ("title", "addressee", "body", "contact_person", "contact_phone", "nondisclosure_reason"):
        if name in cleaned:
            cleaned[name] = (cleaned[name] or "").strip()
    if cleaned.get("body"):
        cleaned["body"] = without_generated_lines(cleaned["body"], addressee=cleaned.get("addressee", ""),
                                                  has_contact=bool(cleaned.get("contact_person")
                                                                   or cleaned.get("contact_phone")))
    for name, zh, en in (("title", "标题", "title"), ("addressee", "主送", "addressee"), ("body", "正文", "body")):
        if name in cleaned and not cleaned[name]:
            raise WorkflowError(f"{name}_required", f"请填写{zh}", f"The {en} is required.", field=name)
    category = cleaned.get("category") or ""
    if category and not ReplyCategory.objects.filter(code=category, active=True).exists():
        raise WorkflowError("unknown_category", f"答复类别“{category}”未启用", f"Reply category {category} is not in use.",
                            field="category")
    if "disclosure" in cleaned and cleaned["disclosure"] not in Reply.Disclosure.values:
        raise WorkflowError("unknown_disclosure", "公开属性无效", "Unknown disclosure.", field="disclosure")
    if cleaned.get("disclosure", Reply.Disclosure.PUBLIC) != Reply.Disclosure.PUBLIC:
        if not cleaned.get("nondisclosure_reason"):
            raise WorkflowError("nondisclosure_reason_required", "不公开或依申请公开的答复须说明理由",
                                "A reply that is not public needs a reason.", field="nondisclosure_reason")
    elif "disclosure" in cleaned:
        cleaned["nondisclosure_reason"] = ""
    if "document_number" in cleaned:
        cleaned["document_number"], year = normalize_document_number(cleaned["document_number"])
        cleaned["document_year"] = _document_year(cleaned["document_number"], year, cleaned.get("signed_on"))
        _require_free_document_number(cleaned["document_number"], cleaned["document_year"], agency, reply_pk)
    return cleaned


def _save_checked(reply: Reply, fields: list[str]) -> None:
    """Save, turning a lost race on the document number into the same clear error."""
    try:
        with transaction.atomic():
            reply.save(update_fields=fields) if reply.pk else reply.save()
    except IntegrityError as error:
        if "document_number_unique_per_agency_year" in str(error):
            raise WorkflowError(
                "duplicate_document_number", f"本单位{reply.document_year}年已有文号为“{reply.document_number}”的答复函",
                f"Your agency already used document number {reply.document_number}.", field="document_number",
            ) from error
        if "one_reply_per_assignment_round" in str(error):
            raise WorkflowError("reply_exists", "本轮已有答复函，请在原答复函上修改",
                                "This round already has a reply; edit that one.") from error
        raise


def _guard_new_reply(assignment: Assignment, by) -> Assignment:
    assignment = transitions.lock_assignment(assignment)
    transitions.require_agency_staff(by, assignment.agency)
    if assignment.role not in ANSWERING_ROLES:
        raise WorkflowError("assisting_does_not_reply", "会办单位请起草会办意见，由主办单位答复提出人",
                            "An assisting agency writes an opinion to the lead agency, not a reply.")
    if assignment.state == Assignment.State.PENDING:
        raise WorkflowError("not_signed_for", "请先签收该交办", "Sign for the assignment first.")
    transitions.require_assignment_step(assignment, "draft")
    if assignment.replies.filter(round=assignment.proposal.round).exists():
        raise WorkflowError("reply_exists", "本轮已有答复函，请在原答复函上修改",
                            "This round already has a reply; edit that one.")
    return assignment


@transaction.atomic
def validate_reply_draft(
    *, by, values: dict[str, Any], assignment: Assignment | None = None, reply: Reply | None = None,
    version: int | None = None,
) -> None:
    """Run every check draft_reply / save_reply_draft would, under the same row locks, writing nothing.

    The admin calls it while validating its form inside the request's transaction: a refusal
    shows on the form with the user's input kept, and the lock holds until the write.
    """
    if reply is not None:
        reply = _guard_edit(reply, by, version)
        _clean_values(values, agency=reply.signing_agency, reply_pk=reply.pk)
    else:
        assignment = _guard_new_reply(assignment, by)
        _clean_values(values, agency=assignment.agency, reply_pk=None)


@transaction.atomic
def draft_reply(
    *, assignment: Assignment, by, title: str, addressee: str, body: str, document_number: str = "",
    signed_on: dt.date | None = None, contact_person: str = "", contact_phone: str = "", category: str = "",
    disclosure: str = Reply.Disclosure.PUBLIC, nondisclosure_reason: str = "",
) -> Reply:
    """起草答复函: the lead or a joint agency drafts its reply for the proposal's current round."""
    assignment = _guard_new_reply(assignment, by)
    values = _clean_values(
        dict(title=title, addressee=addressee, body=body, document_number=document_number, signed_on=signed_on,
             contact_person=contact_person, contact_phone=contact_phone, category=category, disclosure=disclosure,
             nondisclosure_reason=nondisclosure_reason),
        agency=assignment.agency, reply_pk=None,
    )
    reply = Reply(assignment=assignment, round=assignment.proposal.round, signing_agency=assignment.agency,
                  drafted_by=by, last_edited_by=by, state=State.DRAFT, **values)
    _save_checked(reply, [])
    reply.editors.add(by)
    _record(reply, by, to_state=State.DRAFT, note=f"起草答复函《{reply.title}》（第{reply.round}轮）")
    return reply


@transaction.atomic
def save_reply_draft(*, reply: Reply, by, version: int, **changes: Any) -> Reply:
    """Save edits to a draft (or a returned draft) made from `version`; a stale version is refused."""
    reply = _guard_edit(reply, by, version)
    values = _clean_values(changes, agency=reply.signing_agency, reply_pk=reply.pk)
    changed = [name for name, value in values.items() if getattr(reply, name) != value]
    if not changed:
        return reply
    for name in changed:
        setattr(reply, name, values[name])
    reply.version += 1
    reply.last_edited_by = by
    _save_checked(reply, [*changed, "version", "last_edited_by"])
    reply.editors.add(by)
    labels = "、".join(str(Reply._meta.get_field(name).verbose_name) for name in changed)
    _record(reply, by, note=f"修改答复函（第{reply.version}版）：{labels}")
    return reply
