"""Every step of a reply letter, an assisting opinion and a proposer's rating (docs/domain.md, lifecycle).

Same rules as proposals.workflow: each function runs in one transaction, locks the row it
changes, checks who acts and from which state, writes with `update_fields`, records an Event on
the proposal, and raises WorkflowError otherwise. Assignment and proposal states move only
through proposals.workflow (mark_assignment_replied, start_rehandling, ...), called from here.

A reply goes draft → in_review → (returned → in_review)* → signed → sent, then may be published
and its publication withdrawn. Drafts carry a version: a save made from an out-of-date copy is
refused rather than silently overwriting someone else's changes.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from proposals import access
from proposals import workflow as proposal_workflow
from proposals.models import Assignment, Communication, Event, Member, Proposal, Proposer
from proposals import transitions
from proposals.transitions import ANSWERING_ROLES, today
from replies import disclosure
from replies.models import (
    AssistingOpinion,
    CommunicationWaiver,
    Feedback,
    LetterSettings,
    OpinionWaiver,
    OpinionWaiverRequest,
    Rating,
    Reply,
    ReplyCategory,
)
from tracker.errors import PermissionRefused, WorkflowError

State = Reply.State
Action = Event.Action

# What a drafter may write; everything else (state, signer, dates sent/published) the steps set.
DRAFT_FIELDS = (
    "title", "addressee", "body", "document_number", "signed_on", "contact_person", "contact_phone",
    "category", "disclosure", "nondisclosure_reason",
)
OPINION_FIELDS = ("title", "body", "document_number", "signed_on", "contact_person", "contact_phone")

# 〔2022〕 is the bracket GB/T 9704 prescribes for the year in a document number; people type
# [2022], (2022) or 【2022】 too.
_YEAR_IN_NUMBER = re.compile(r"[〔\[［(（【]\s*((?:19|20)\d\d)\s*[〕\]］)）】]")


# --- guards -----------------------------------------------------------------------------------


def _require_reply_state(reply: Reply, *allowed: str) -> None:
    if reply.state not in allowed:
        raise WorkflowError(
            "invalid_reply_state", f"答复函当前为“{reply.get_state_display()}”，不能办理此操作",
            f"Not possible while the reply is '{reply.state}'.",
        )


def _require_version(obj, version: int | None, what: str = "答复函", what_en: str = "reply") -> None:
    """Optimistic locking: the caller edited version N; refuse if someone saved since."""
    if version is not None and int(version) != obj.version:
        raise WorkflowError(
            "stale_version",
            f"该{what}已被他人修改（现为第{obj.version}版，您打开的是第{version}版）。"
            f"为避免覆盖他人的修改，本次操作未生效，请重新打开后再办理。",
            f"This {what_en} was changed by someone else (now version {obj.version}, you opened version "
            f"{version}). Nothing was saved, so no one's changes are lost; reopen it and try again.",
        )


def _require_current_round(reply: Reply) -> None:
    if reply.round != reply.assignment.proposal.round:
        raise WorkflowError(
            "earlier_round", f"这是第{reply.round}轮的答复函，本件已进入第{reply.assignment.proposal.round}轮办理",
            "This reply belongs to an earlier round of handling.",
        )


def _require_live_work(reply: Reply) -> None:
    """A letter is reviewed only while its assignment is still being handled, in this round
    (not after the proposal was withdrawn or the work reassigned)."""
    _require_current_round(reply)
    transitions.require_state(reply.assignment, Assignment.State.ACCEPTED, Assignment.State.REASSIGNMENT_REQUESTED)


def _require_not_historical(reply: Reply) -> None:
    if reply.is_historical:
        raise WorkflowError("historical", "导入的历史答复不能修改", "An imported historical reply cannot be changed.")


def _lock_reply(reply: Reply) -> Reply:
    """Re-read under a row lock: the state and version we check are the ones we change."""
    return (
        Reply.objects.select_for_update(of=("self",))
        .select_related("assignment__proposal__meeting", "assignment__agency", "signing_agency")
        .get(pk=reply.pk)
    )


def _record(reply_or_assignment, by, *, from_state="", to_state="", note="", action=Action.REPLY) -> Event:
    """A letter's or opinion's step on its proposal's timeline, under its assignment."""
    assignment = getattr(reply_or_assignment, "assignment", reply_or_assignment)
    return transitions.record(assignment.proposal, action, by, assignment=assignment, from_state=from_state,
                  to_state=to_state, note=note)


def _move(reply: Reply, state: str, by, *, note: str, fields=()) -> Reply:
    previous = reply.state
    reply.state = state
    reply.version += 1
    reply.save(update_fields=["state", "version", *fields])
    _record(reply, by, from_state=previous, to_state=state,
            note=f"答复函《{reply.title}》：{Reply.State(previous).label} → {reply.get_state_display()}。{note}".rstrip("。"))
    return reply


# --- checking what a drafter wrote ------------------------------------------------------------


def normalize_document_number(number: str) -> tuple[str, int | None]:
    """Tidy a 文号 and read its year: '穗科函[2022] 123号' → ('穗科函〔2022〕123号', 2022)."""
    number = re.sub(r"\s+", "", number or "")
    match = _YEAR_IN_NUMBER.search(number)
    if not match:
        return number, None
    number = number[: match.start()] + f"〔{match.group(1)}〕" + number[match.end():]
    return number, int(match.group(1))


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


def _document_year(number: str, year: int | None, signed_on: dt.date | None) -> int | None:
    if not number:
        return None
    return year or (signed_on or today()).year


def _require_free_document_number(number: str, year: int | None, agency, reply_pk: int | None) -> None:
    """文号 are unique per agency and year (a DB constraint too); say so before it bites."""
    if not number:
        return
    taken = Reply.objects.filter(signing_agency=agency, document_year=year, document_number=number)
    if reply_pk is not None:
        taken = taken.exclude(pk=reply_pk)
    if taken.exists():
        raise WorkflowError(
            "duplicate_document_number", f"本单位{year}年已有文号为“{number}”的答复函，请更换文号",
            f"Your agency already used document number {number} in {year}.", field="document_number",
        )


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


# --- drafting ---------------------------------------------------------------------------------


def _guard_new_reply(assignment: Assignment, by) -> Assignment:
    assignment = transitions.lock_assignment(assignment)
    transitions.require_agency_staff(by, assignment.agency)
    if assignment.role not in ANSWERING_ROLES:
        raise WorkflowError("assisting_does_not_reply", "会办单位请起草会办意见，由主办单位答复提出人",
                            "An assisting agency writes an opinion to the lead agency, not a reply.")
    if assignment.state == Assignment.State.PENDING:
        raise WorkflowError("not_signed_for", "请先签收该交办", "Sign for the assignment first.")
    transitions.require_state(assignment, Assignment.State.ACCEPTED, Assignment.State.REASSIGNMENT_REQUESTED)
    if assignment.replies.filter(round=assignment.proposal.round).exists():
        raise WorkflowError("reply_exists", "本轮已有答复函，请在原答复函上修改",
                            "This round already has a reply; edit that one.")
    return assignment


def _guard_edit(reply: Reply, by, version: int | None) -> Reply:
    reply = _lock_reply(reply)
    _require_not_historical(reply)
    transitions.require_agency_staff(by, reply.assignment.agency)
    _require_reply_state(reply, State.DRAFT, State.RETURNED)
    _require_version(reply, version)
    return reply


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


# --- review and sending -----------------------------------------------------------------------


def communication_done(assignment: Assignment) -> bool:
    """办前沟通: a contact with the proposers held by this agency, or the office's waiver."""
    held = Communication.objects.filter(
        proposal_id=assignment.proposal_id, agency_id=assignment.agency_id, state=Communication.State.HELD
    )
    return held.exists() or CommunicationWaiver.objects.filter(assignment=assignment).exists()


def opinions_outstanding(assignment: Assignment) -> list[Assignment]:
    """The assisting assignments whose opinion the lead agency still waits for: neither sent to it
    nor waived by the office. Only the lead's reply states the assisting opinions (docs/domain.md, glossary)."""
    if assignment.role != Assignment.Role.LEAD:
        return []
    return list(
        Assignment.objects.filter(proposal_id=assignment.proposal_id, role=Assignment.Role.ASSISTING)
        .exclude(state__in=[Assignment.State.OPINION_SENT, Assignment.State.REASSIGNED, Assignment.State.CANCELLED])
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
    transitions.require_state(assignment, Assignment.State.ACCEPTED, Assignment.State.REASSIGNMENT_REQUESTED)
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
    _require_reply_state(reply, State.IN_REVIEW)
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
    _require_reply_state(reply, State.IN_REVIEW)
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


def next_document_number(*, agency, year: int) -> tuple[str, int]:
    """The next number of the agency's series for `year` (穗科函〔2026〕N号, from 1 each year),
    under a lock on the agency's settings so two sign-offs never take the same one."""
    settings = LetterSettings.objects.select_for_update().filter(agency=agency).first()
    if settings is None or not settings.number_prefix.strip():
        raise WorkflowError(
            "document_number_required",
            "签发须填写文号；本单位未设置文号字头，系统无法自动编号（可请提案办在“答复函设置”中设置，如“穗科函”）",
            "A document number is required: give one, or have the office set your agency's number series.",
            field="document_number",
        )
    prefix = re.sub(r"\s+", "", settings.number_prefix)
    pattern = re.compile(rf"^{re.escape(prefix)}〔{year}〕(\d+)号$")
    used = Reply.objects.filter(signing_agency=agency, document_year=year).values_list("document_number", flat=True)
    highest = max((int(match.group(1)) for number in used if (match := pattern.match(number))), default=0)
    return f"{prefix}〔{year}〕{highest + 1}号", year


@transaction.atomic
def send_reply(*, reply: Reply, by, version: int | None = None, on: dt.date | None = None) -> Reply:
    """答复: the signed letter goes to the proposers; the assignment is replied, and the proposal
    once every lead and joint agency of the round has replied."""
    reply = _lock_reply(reply)
    _require_not_historical(reply)
    transitions.require_agency_staff(by, reply.assignment.agency)
    _require_reply_state(reply, State.SIGNED)
    _require_version(reply, version)
    _require_current_round(reply)
    assignment = reply.assignment
    if assignment.state == Assignment.State.REASSIGNMENT_REQUESTED:
        raise WorkflowError("reassignment_pending", "调整承办单位的申请尚待提案办决定，暂不能答复",
                            "The office has yet to decide the reassignment request.")
    reply.sent_at, reply.due_on = timezone.now(), assignment.due_on
    _move(reply, State.SENT, by, note="送达提出人", fields=["sent_at", "due_on"])
    sent_on = on or today()
    late = f"，逾期{(sent_on - assignment.due_on).days}天" if assignment.due_on and sent_on > assignment.due_on else ""
    number = reply.document_number or "（无文号）"
    proposal_workflow.mark_assignment_replied(
        assignment=assignment, by=by, on=sent_on, note=f"答复函{number}《{reply.title}》已送达提出人{late}"
    )
    return reply


# --- publication --------------------------------------------------------------------------------


def _require_publisher(user, reply: Reply) -> None:
    # The agency that signed the letter discloses it (承办单位 is the disclosing body for its
    # replies, 国办发〔2014〕46号); the office follows the publication but does not publish for it.
    transitions.require_agency_staff(user, reply.signing_agency)


def _require_withdrawer(user, reply: Reply) -> None:
    # Taking a letter down is the agency's, and the office's too: the public pages are the office's,
    # and it must be able to remove what should not be there (personal details, a wrong letter).
    if not access.is_clerk(user):
        transitions.require_agency_staff(user, reply.signing_agency)


@transaction.atomic
def publish_reply(*, reply: Reply, by, on: dt.date | None = None, index_number: str = "") -> Reply:
    """主动公开: a sent, public reply is published (with its index number, 索引号).

    Published replies never show people's contact details (国办发〔2014〕46号): a letter whose
    title, addressee or body carries a mobile number, an ID number or an e-mail address other than
    the agency's own contact line, or a proposer's phone or mail, is refused until that is taken out.
    """
    reply = _lock_reply(reply)
    _require_publisher(by, reply)
    _require_reply_state(reply, State.SENT)
    if reply.disclosure != Reply.Disclosure.PUBLIC:
        raise WorkflowError("not_public", f"该答复函的公开属性为“{reply.get_disclosure_display()}”，不能主动公开",
                            "Only a reply marked public may be published.")
    if reply.published_on:
        raise WorkflowError("already_published", "该答复函已公开", "This reply is already published.")
    found = disclosure.personal_details_in(reply)
    if found:
        listed = "、".join(str(finding) for finding in found)
        raise WorkflowError(
            "contact_details_in_text", f"答复函中含有个人联系方式或身份证号（{listed}），公开前须删除",
            f"The letter shows personal contact details or ID numbers ({len(found)}); remove them before publishing.",
        )
    reply.published_on = on or today()
    reply.index_number = index_number.strip() or reply.index_number
    reply.version += 1
    reply.save(update_fields=["published_on", "index_number", "version"])
    index = f"，索引号{reply.index_number}" if reply.index_number else ""
    _record(reply, by, note=f"答复函《{reply.title}》主动公开（{reply.published_on:%Y-%m-%d}{index}）")
    return reply


@transaction.atomic
def withdraw_reply_publication(*, reply: Reply, by, reason: str) -> Reply:
    """撤销公开: take a published reply off the public pages, with a reason."""
    if not reason.strip():
        raise WorkflowError("reason_required", "请填写撤销公开的理由", "A reason is required.", field="reason")
    reply = _lock_reply(reply)
    _require_withdrawer(by, reply)
    if not reply.published_on:
        raise WorkflowError("not_published", "该答复函尚未公开", "This reply is not published.")
    reply.published_on = None
    reply.version += 1
    reply.save(update_fields=["published_on", "version"])
    _record(reply, by, note=f"答复函《{reply.title}》撤销公开：{reason.strip()}")
    return reply


@transaction.atomic
def record_follow_up_done(*, reply: Reply, by, on: dt.date | None = None, note: str = "") -> Reply:
    """A B-class promise (正在解决或已列入计划) is kept: the reply leaves the follow-up list."""
    reply = _lock_reply(reply)
    transitions.require_agency_staff(by, reply.signing_agency)
    _require_reply_state(reply, State.SENT)
    if not ReplyCategory.objects.filter(code=reply.category, needs_follow_up=True).exists():
        raise WorkflowError("no_follow_up", "该答复类别无需跟踪办理", "This reply category needs no follow-up.")
    if reply.follow_up_done_on:
        raise WorkflowError("follow_up_done", "跟踪办理已完成", "The follow-up is already done.")
    reply.follow_up_done_on = on or today()
    reply.version += 1
    reply.save(update_fields=["follow_up_done_on", "version"])
    _record(reply, by, note=f"答复函《{reply.title}》承诺事项已办结（{reply.follow_up_done_on:%Y-%m-%d}）。{note}".rstrip("。"))
    return reply


# --- communication waiver ---------------------------------------------------------------------


@transaction.atomic
def waive_communication(*, assignment: Assignment, by, reason: str) -> CommunicationWaiver:
    """免于办前沟通: the office lets a lead or joint agency reply without a prior contact."""
    transitions.require_clerk(by)
    if not reason.strip():
        raise WorkflowError("reason_required", "请填写免于沟通的理由", "A reason is required.", field="reason")
    assignment = transitions.lock_assignment(assignment)
    if assignment.role not in ANSWERING_ROLES:
        raise WorkflowError("assisting_no_communication", "会办单位无需办前沟通", "Assisting agencies need no waiver.")
    transitions.require_state(assignment, *Assignment.OPEN_STATES)
    if CommunicationWaiver.objects.filter(assignment=assignment).exists():
        raise WorkflowError("already_waived", "已同意该单位免于办前沟通", "Already waived for this agency.")
    waiver = CommunicationWaiver.objects.create(assignment=assignment, reason=reason.strip(), waived_by=by)
    # No action of its own in the timeline's vocabulary: the required contact is called off.
    _record(assignment, by, action=Action.CANCEL_COMMUNICATION,
            note=f"提案办同意{assignment.agency.name}免于办前沟通：{waiver.reason}")
    return waiver


@transaction.atomic
def waive_opinion(*, assignment: Assignment, by, reason: str) -> OpinionWaiver:
    """不待会办意见: the office lets the lead agency submit its reply without this assisting
    agency's opinion (late, or nothing to add); the assisting work itself stays open. A lead
    agency's pending request for it is granted by the same step."""
    transitions.require_clerk(by)
    if not reason.strip():
        raise WorkflowError("reason_required", "请填写不待会办意见的理由", "A reason is required.", field="reason")
    assignment = transitions.lock_assignment(assignment)
    if assignment.role != Assignment.Role.ASSISTING:
        raise WorkflowError("not_assisting", "只有会办单位的意见可以不待", "Only an assisting opinion can be waived.")
    transitions.require_state(assignment, *Assignment.OPEN_STATES)
    if OpinionWaiver.objects.filter(assignment=assignment).exists():
        raise WorkflowError("already_waived", "已同意不待该单位的会办意见", "Already waived for this agency.")
    waiver = OpinionWaiver.objects.create(assignment=assignment, reason=reason.strip(), waived_by=by)
    _decide_requests(assignment, by, OpinionWaiverRequest.State.GRANTED, waiver.reason)
    _record(assignment, by, action=Action.WAIVE_OPINION,
            note=f"提案办同意主办单位不待{assignment.agency.name}的会办意见：{waiver.reason}")
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
    transitions.require_state(lead, Assignment.State.ACCEPTED, Assignment.State.REASSIGNMENT_REQUESTED)
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


# --- assisting opinions -----------------------------------------------------------------------


def _guard_new_opinion(assignment: Assignment, by) -> Assignment:
    assignment = transitions.lock_assignment(assignment)
    transitions.require_agency_staff(by, assignment.agency)
    if assignment.role != Assignment.Role.ASSISTING:
        raise WorkflowError("not_assisting", "只有会办单位提交会办意见", "Only an assisting agency writes an opinion.")
    if assignment.state == Assignment.State.PENDING:
        raise WorkflowError("not_signed_for", "请先签收该交办", "Sign for the assignment first.")
    transitions.require_state(assignment, Assignment.State.ACCEPTED, Assignment.State.REASSIGNMENT_REQUESTED)
    if AssistingOpinion.objects.filter(assignment=assignment).exists():
        raise WorkflowError("opinion_exists", "已有会办意见，请在原意见上修改", "An opinion exists; edit that one.")
    return assignment


def _guard_opinion_edit(opinion: AssistingOpinion, by, version: int | None) -> AssistingOpinion:
    opinion = (
        AssistingOpinion.objects.select_for_update(of=("self",))
        .select_related("assignment__proposal", "assignment__agency")
        .get(pk=opinion.pk)
    )
    transitions.require_agency_staff(by, opinion.assignment.agency)
    if opinion.state != AssistingOpinion.State.DRAFT:
        raise WorkflowError("opinion_sent", "会办意见已提交，不能修改", "The opinion was sent and can no longer change.")
    _require_version(opinion, version, "会办意见", "opinion")
    return opinion


def _clean_opinion(values: dict[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(OPINION_FIELDS)
    if unknown:
        raise TypeError(f"not opinion fields: {sorted(unknown)}")
    cleaned = {name: (value.strip() if isinstance(value, str) else value) for name, value in values.items()}
    if "body" in cleaned and not cleaned["body"]:
        raise WorkflowError("body_required", "请填写会办意见", "The opinion text is required.", field="body")
    if "document_number" in cleaned:
        cleaned["document_number"] = normalize_document_number(cleaned["document_number"])[0]
    return cleaned


@transaction.atomic
def validate_opinion_draft(
    *, by, values: dict[str, Any], assignment: Assignment | None = None, opinion: AssistingOpinion | None = None,
    version: int | None = None,
) -> None:
    """The checks of draft_assisting_opinion / save_opinion_draft, for the admin's form validation."""
    if opinion is not None:
        _guard_opinion_edit(opinion, by, version)
    else:
        _guard_new_opinion(assignment, by)
    _clean_opinion(values)


@transaction.atomic
def draft_assisting_opinion(
    *, assignment: Assignment, by, body: str, title: str = "", document_number: str = "",
    contact_person: str = "", contact_phone: str = "", signed_on: dt.date | None = None,
) -> AssistingOpinion:
    """起草会办意见: the assisting agency's written input to the lead agency."""
    assignment = _guard_new_opinion(assignment, by)
    values = _clean_opinion(dict(body=body, title=title, document_number=document_number,
                                 contact_person=contact_person, contact_phone=contact_phone, signed_on=signed_on))
    opinion = AssistingOpinion.objects.create(assignment=assignment, **values)
    _record(assignment, by, to_state=AssistingOpinion.State.DRAFT, note=f"起草会办意见{opinion.title or ''}")
    return opinion


@transaction.atomic
def save_opinion_draft(*, opinion: AssistingOpinion, by, version: int, **changes: Any) -> AssistingOpinion:
    """Save edits to an opinion draft made from `version`; a stale version is refused."""
    opinion = _guard_opinion_edit(opinion, by, version)
    values = _clean_opinion(changes)
    changed = [name for name, value in values.items() if getattr(opinion, name) != value]
    if not changed:
        return opinion
    for name in changed:
        setattr(opinion, name, values[name])
    opinion.version += 1
    opinion.save(update_fields=[*changed, "version"])
    _record(opinion.assignment, by, note=f"修改会办意见（第{opinion.version}版）")
    return opinion


@transaction.atomic
def send_assisting_opinion(
    *, opinion: AssistingOpinion, by, version: int | None = None, on: dt.date | None = None,
) -> AssistingOpinion:
    """提交会办意见: the opinion goes to the lead agency, whose reply form shows it."""
    opinion = _guard_opinion_edit(opinion, by, version)
    opinion.state, opinion.sent_at = AssistingOpinion.State.SENT, timezone.now()
    opinion.signed_on = opinion.signed_on or on or today()
    opinion.version += 1
    opinion.save(update_fields=["state", "sent_at", "signed_on", "version"])
    number = f"({opinion.document_number})" if opinion.document_number else ""
    proposal_workflow.mark_opinion_sent(
        assignment=opinion.assignment, by=by, on=on or today(),
        note=f"会办意见{opinion.title}{number}已提交主办单位",
    )
    return opinion


# --- feedback, evaluation and re-handling -------------------------------------------------------




def feedback_refusal(*, proposal: Proposal, member: Member) -> WorkflowError | None:
    """Why `member` may not rate this round of `proposal` now, or None when they may.

    The one statement of when ratings are open: record_feedback raises what this returns, and the
    API and pages ask it before offering the form.
    """
    if not Proposer.objects.filter(proposal=proposal, member=member).exists():
        return WorkflowError("not_a_proposer", f"{member.name}不是本件的提出人",
                             f"{member.name} is not a proposer of this item.", field="member")
    sent = Reply.objects.filter(assignment__proposal=proposal, round=proposal.round, state=State.SENT)
    if proposal.status != Proposal.Status.REPLIED or not sent.exists():
        return WorkflowError(
            "feedback_not_open", f"本件当前为“{proposal.get_status_display()}”，本轮答复送达后方可评价",
            "Ratings open once every reply of the round has been sent, and close at evaluation.",
        )
    if Feedback.objects.filter(proposal=proposal, member=member, round=proposal.round).exists():
        return WorkflowError("already_rated", f"{member.name}已对第{proposal.round}轮办理作出评价",
                             f"{member.name} already rated this round.", field="member")
    return None


def feedback_open(*, proposal: Proposal, member: Member | None) -> bool:
    """Whether `member` may rate this round of `proposal` now."""
    return member is not None and feedback_refusal(proposal=proposal, member=member) is None


@transaction.atomic
def record_feedback(
    *, proposal: Proposal, member: Member, attitude: str, result: str, comments: str = "", by,
    channel: str = Feedback.Channel.ONLINE,
) -> Feedback:
    """征询意见: one proposer's own rating of this round's handling (attitude and result).

    Only a proposer of the proposal, once per round, once every reply of the round was sent.
    A member rates online for themselves; clerks enter ratings taken by phone or on paper.
    When every proposer has rated, the proposal is evaluated, and 不满意 on the result sends it
    back for re-handling (a new round with its own deadline).
    """
    is_clerk = access.is_clerk(by)
    if is_clerk:
        if channel == Feedback.Channel.ONLINE:
            raise WorkflowError("online_is_members_own", "在线评价须由委员/代表本人提交；请选择电话或书面方式",
                                "Online ratings are the member's own; choose phone or paper.", field="channel")
    elif access.member_of(by) is None or access.member_of(by).pk != member.pk or channel != Feedback.Channel.ONLINE:
        raise PermissionRefused("not_own_rating", "只能评价本人提出的提案/建议",
                                "You may rate only as yourself, on your own proposal.")
    if channel not in Feedback.Channel.values:
        raise WorkflowError("unknown_channel", "评价方式无效", "Unknown channel.", field="channel")
    for name, value in (("attitude", attitude), ("result", result)):
        if value not in Rating.values:
            raise WorkflowError("unknown_rating", "评价结果无效", "Unknown rating.", field=name)
    proposal = transitions.lock_proposal(proposal)
    refusal = feedback_refusal(proposal=proposal, member=member)
    if refusal is not None:
        raise refusal
    try:
        with transaction.atomic():
            feedback = Feedback.objects.create(
                proposal=proposal, member=member, round=proposal.round, attitude=attitude, result=result,
                comments=comments.strip(), channel=channel, recorded_by=by,
            )
    except IntegrityError as error:  # a rating recorded at the same moment by the member and a clerk
        raise WorkflowError("already_rated", f"{member.name}已对本轮办理作出评价", "Already rated.") from error
    # The timeline is read by every proposer and agency of the item: it says a rating came in,
    # not whose or what (joint proposers rate separately; ratings are read through Feedback).
    transitions.record(proposal, Action.EVALUATE, by, note=f"收到第{proposal.round}轮评价一份（{feedback.get_channel_display()}）")
    rated = Feedback.objects.filter(proposal=proposal, round=proposal.round).values("member_id")
    if not Proposer.objects.filter(proposal=proposal).exclude(member_id__in=rated).exists():
        _conclude_evaluation(proposal, by, note="全体提出人已评价")
    return feedback


@transaction.atomic
def close_feedback_window(*, proposal: Proposal, by, note: str = "") -> Proposal:
    """The office ends the rating period (征询意见期满): the proposal is evaluated with the ratings
    it has; proposers who did not rate count as 未表态."""
    transitions.require_clerk(by)
    proposal = transitions.lock_proposal(proposal)
    if proposal.status != Proposal.Status.REPLIED:
        raise WorkflowError("feedback_not_open", f"本件当前为“{proposal.get_status_display()}”，不在征询意见期",
                            "The proposal is not waiting for ratings.")
    rated = Feedback.objects.filter(proposal=proposal, round=proposal.round).values("member_id")
    silent = Member.objects.filter(proposals_signed__proposal=proposal).exclude(pk__in=rated).count()
    summary = f"征询意见期结束，{silent}位提出人未评价（视为未表态）" if silent else "征询意见期结束"
    return _conclude_evaluation(proposal, by, note=f"{summary}。{note}".rstrip("。"))


def _conclude_evaluation(proposal: Proposal, by, *, note: str) -> Proposal:
    proposal = proposal_workflow.mark_proposal_evaluated(proposal=proposal, by=by, note=note)
    unsatisfied = Feedback.objects.filter(
        proposal=proposal, round=proposal.round, result=Rating.UNSATISFIED
    ).select_related("member").order_by("pk")
    if unsatisfied:
        # Who and why stay in the ratings, which the answering agencies read; not on the timeline.
        proposal = proposal_workflow.start_rehandling(
            proposal=proposal, by=by, note=f"{len(unsatisfied)}位提出人对办理结果不满意"
        )
    return proposal
