"""Loading published documents as historical records (docs/domain.md, published documents).

A reply letter becomes the records it implies: meeting, members, agencies, the proposal, its
lead and assisting assignments, the communications it mentions and the reply itself. Imported
records are born in their final state (closed, replied) with an IMPORT event, through the
workflows' historical-record verbs (proposals.workflow.history, replies.workflow.history): nothing
transitions, and this module writes no status itself. One transaction per file; a file that was
loaded before (same content) is skipped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import DataError, IntegrityError, transaction
from django.utils import timezone

from letters.agencies import resolve_agency
from letters.input_limits import read_document
from letters.models import ImportedDocument, PolicyArticle, PolicyDocument
from letters.normalize import UnreadableDocument
from letters.limits import over_limit
from letters.parser import ParsedDocument, parse_document
from letters.parsing.policy import find_truncation
from proposals import workflow as proposal_workflow
from proposals.models import Assignment, Body, Communication, Meeting, Member, Proposal, Proposer
from replies import workflow as reply_workflow
from replies.models import AssistingOpinion, Reply

GROUP_MARKERS = ("委员会", "委会", "支部", "联络组", "代表团", "小组", "界别", "民盟", "民建", "民进", "农工党",
                 "致公党", "九三学社", "台盟", "民革", "工商联", "总工会", "妇联", "共青团")
COMMUNICATION_MODES = {
    "face_to_face": Communication.Mode.FACE_TO_FACE,
    "phone": Communication.Mode.PHONE,
    "letter": Communication.Mode.LETTER,
    "online": Communication.Mode.ONLINE,
}


@dataclass
class LoadOutcome:
    file: str
    status: str  # "created", "exists", "failed", "would create"
    doc_type: str = ""
    created: Counter = field(default_factory=Counter)
    message: str = ""
    field: str = ""  # the field a failure is about, when it is about one
    document: ImportedDocument | None = None


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


class ImportRefused(ValueError):
    """The document was read but does not hold what a record needs (`field` names the field
    at fault, when one is)."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


# Database constraints the records of one letter can break, and the field a clerk would change.
_CONSTRAINT_FIELDS = {
    "unique_number_per_meeting": "number",
    "one_reply_per_assignment_round": "number",
    "document_number_unique_per_agency_year": "document_number",
    "one_lead_assignment": "lead_agency",
    "agency_assigned_once": "assisting_agencies",
    "unique_meeting_per_body": "meeting",
    "member_signs_once": "proposers",
    "one_lead_proposer": "proposers",
    "unique_alias_per_region": "lead_agency",
}


def load_document(path: Path, *, dry_run: bool = False) -> LoadOutcome:
    """Load one file in its own transaction; a failure leaves nothing of it behind."""
    try:
        data = read_document(path)
    except OSError as error:
        return LoadOutcome(str(path), "failed", message=f"{path.name}:无法读取 / cannot read: {error.strerror}")
    outcome = load_bytes(data, file_name=path.name, dry_run=dry_run)
    outcome.file = str(path)
    return outcome


def load_bytes(data: bytes, *, file_name: str, dry_run: bool = False) -> LoadOutcome:
    """Parse and load one document given as bytes (a file, an upload)."""
    try:
        parsed = parse_document(data, filename=file_name)
    except UnreadableDocument as error:
        return LoadOutcome(file_name, "failed", message=f"{file_name}:{error}")
    return load_parsed(parsed, checksum=hashlib.sha256(data).hexdigest(), file_name=file_name, dry_run=dry_run)


def load_parsed(
    parsed: ParsedDocument, *, checksum: str, file_name: str, dry_run: bool = False,
    corrections: dict | None = None, imported_by=None,
) -> LoadOutcome:
    """Write the records of one parsed document in one transaction. A value too long for its
    column, a clash with a letter loaded before, or a document that cannot become a record fails
    this file alone, with a message naming the file and the field; nothing of it stays."""
    outcome = LoadOutcome(file_name, "created", doc_type=parsed.doc_type)
    refusal = _refusal_before_writing(parsed)
    if refusal:
        return _failed(outcome, file_name, refusal)
    try:
        with transaction.atomic():
            if ImportedDocument.objects.filter(checksum=checksum).exists():
                outcome.status = "exists"
                return outcome
            outcome.document = _import(parsed, checksum, file_name, outcome.created)
            if corrections is not None or imported_by is not None:
                outcome.document.parsed_record = _parsed_record(parsed, corrections or {})
                outcome.document.corrections = corrections or {}
                outcome.document.imported_by = imported_by
                outcome.document.save(update_fields=["parsed_record", "corrections", "imported_by"])
            if dry_run:
                raise _DryRun
    except _DryRun:
        outcome.status, outcome.document = "would create", None
    except ImportRefused as error:
        return _failed(outcome, file_name, error)
    except IntegrityError as error:
        constraint = getattr(getattr(error.__cause__, "diag", None), "constraint_name", "") or ""
        key = _CONSTRAINT_FIELDS.get(constraint, "")
        return _failed(outcome, file_name, ImportRefused(
            f"与已有记录冲突({key or constraint or '约束'}),未导入 / clashes with existing records "
            f"({key or constraint or 'a constraint'}); not loaded", field=key,
        ))
    except DataError as error:
        return _failed(outcome, file_name, ImportRefused(f"数据超出数据库限制,未导入 / a value breaks a database limit: {error}"))
    return outcome


def _failed(outcome: LoadOutcome, file_name: str, error: ImportRefused) -> LoadOutcome:
    outcome.status, outcome.field, outcome.document = "failed", error.field, None
    outcome.message = f"{file_name}:{error}"
    return outcome


def _refusal_before_writing(parsed: ParsedDocument) -> ImportRefused | None:
    """Checks that need no database: values within their columns, a policy document whole."""
    extra = {"heading": [parsed.heading or ""], "addressee": [parsed.addressee or ""]}
    if parsed.doc_type == "policy_document" and parsed.policy:
        extra = {
            "article_heading": [a.heading or "" for a in parsed.policy.articles],
            "chapter_title": [c.title for c in parsed.policy.chapters],
        }
        truncated = find_truncation(parsed.policy)
        if truncated:
            return ImportRefused(
                "政策文件不完整,未导入:" + ";".join(truncated) + " / the policy document looks truncated; not loaded",
                field="policy",
            )
    problems = over_limit(parsed.record, extra)
    if problems:
        key, message = problems[0]
        return ImportRefused(f"{message},未导入 / not loaded", field=key)
    return None


def _parsed_record(parsed: ParsedDocument, corrections: dict) -> dict:
    """The record as the parser read it, before the clerk's corrections."""
    record = parsed.record
    for key, change in corrections.items():
        record[key] = change.get("parsed")
    return record


def _import(parsed: ParsedDocument, checksum: str, file_name: str, created: Counter) -> ImportedDocument:
    doc_type = parsed.record["doc_type"]
    log = ImportedDocument(checksum=checksum, file_name=file_name, doc_type=doc_type)
    if doc_type == "policy_document":
        if parsed.policy is None:  # a letter a clerk marked as a policy document
            raise ImportRefused("未读出政策文件的条文,未导入 / no policy content was read; not loaded", field="doc_type")
        log.policy_document = _import_policy(parsed, created)
    elif doc_type in ("reply", "assisting_opinion"):
        log.proposal = _import_letter(parsed, created, file_name)
    else:
        raise ImportRefused("无法识别的文书类型,未导入 / Not a reply, an assisting opinion or a policy document.",
                            field="doc_type")
    log.save()
    return log


# --- reply letters and assisting opinions ------------------------------------------------------


def _import_letter(parsed: ParsedDocument, created: Counter, file_name: str = "") -> Proposal:
    record = parsed.record
    region = record["meeting"]["region"] or ""
    writer_name = record["lead_agency"]
    if not writer_name:
        raise ImportRefused("未能识别发文单位 / The writing agency could not be read.", field="lead_agency")
    writer = _agency(writer_name, region, created)
    meeting = _meeting(record, region, created)
    proposal = _proposal(record, meeting, created)
    if proposal is None:
        raise ImportRefused("该提案已存在且不是历史记录 / A live proposal with this number exists.", field="number")
    _refuse_second_copy(proposal, writer, record)
    _proposers(proposal, record, meeting, created)
    if record["doc_type"] == "assisting_opinion":
        assignment = _assignment(proposal, writer, Assignment.Role.ASSISTING, created)
        _opinion(assignment, parsed, created)
        return proposal
    lead = _assignment(proposal, writer, Assignment.Role.LEAD, created)
    for name in record["assisting_agencies"]:
        assisting = _agency(name, region, created)
        if assisting.pk != writer.pk:
            _assignment(proposal, assisting, Assignment.Role.ASSISTING, created)
    _communications(proposal, writer, record, created)
    _reply(lead, parsed, created)
    return proposal


def _refuse_second_copy(proposal: Proposal, writer, record: dict) -> None:
    """A historical proposal takes one reply and one opinion per agency: a second file with the
    same meeting and number that would add another (a changed copy of a letter loaded before)
    is refused, naming the file it clashes with."""
    if record["doc_type"] == "assisting_opinion":
        clash = AssistingOpinion.objects.filter(assignment__proposal=proposal, assignment__agency=writer).exists()
    else:
        clash = Reply.objects.filter(assignment__proposal=proposal, assignment__role=Assignment.Role.LEAD).exists()
    if not clash:
        return
    earlier = ImportedDocument.objects.filter(proposal=proposal).values_list("file_name", flat=True).first()
    raise ImportRefused(
        f"「编号」(number)第{proposal.number}号在{proposal.meeting.name}已有导入的答复"
        f"{f'(来自 {earlier})' if earlier else ''},本文件内容与之不同,未导入 / number {proposal.number} of this "
        f"meeting already has an imported reply{f' (from {earlier})' if earlier else ''}; this file differs; not loaded",
        field="number",
    )


def _agency(name: str, region: str, created: Counter):
    agency, is_new = resolve_agency(name, region)
    created["agencies"] += is_new
    return agency


def _meeting(record: dict, region: str, created: Counter) -> Meeting:
    info = record["meeting"]
    body = info["body"] or (Body.NPC if record["kind"] == "suggestion" else Body.CPPCC)
    year = _letter_year(record)
    if info["term"] and info["session"]:
        meeting, is_new = Meeting.objects.get_or_create(
            body=body, region=region, term=info["term"], session=info["session"],
            defaults={"name": info["name"] or f"{region}{info['term']}届{info['session']}次会议", "year": year},
        )
    else:
        # The letter does not say which meeting: keep its proposals together per body, region and year.
        meeting, is_new = Meeting.objects.get_or_create(
            body=body, region=region, term=0, session=year,
            defaults={"name": f"{region}{year}年(原文未注明会议)", "year": year},
        )
    created["meetings"] += is_new
    return meeting


def _letter_year(record: dict) -> int:
    for key in ("signed_on", "published_on"):
        if record[key]:
            return int(record[key][:4])
    return timezone.localdate().year


def _proposal(record: dict, meeting: Meeting, created: Counter) -> Proposal | None:
    number = record["number"] or "未编号"
    existing = Proposal.objects.filter(meeting=meeting, number=number).first()
    if existing:
        return existing if existing.is_historical else None
    proposal = proposal_workflow.record_historical_proposal(
        meeting=meeting, number=number, title=record["title"] or "(原文未注明案由)",
        kind=record["kind"] or (Proposal.Kind.SUGGESTION if meeting.body == Body.NPC else Proposal.Kind.PROPOSAL),
        closed_on=_date(record["signed_on"] or record["published_on"]),
    )
    created["proposals"] += 1
    return proposal


def _proposers(proposal: Proposal, record: dict, meeting: Meeting, created: Counter) -> None:
    present = set(proposal.proposers.values_list("member__name", flat=True))
    order = proposal.proposers.count()
    for name in record["proposers"]:
        if name in present:
            continue
        member, is_new = Member.objects.get_or_create(
            name=name, body=meeting.body, region=meeting.region,
            defaults={"kind": Member.Kind.GROUP if any(m in name for m in GROUP_MARKERS) else Member.Kind.PERSON},
        )
        created["members"] += is_new
        order += 1
        Proposer.objects.create(proposal=proposal, member=member, order=order, is_lead=order == 1)
        present.add(name)


def _assignment(proposal: Proposal, agency, role: str, created: Counter) -> Assignment:
    assignment, is_new = proposal_workflow.record_historical_assignment(proposal=proposal, agency=agency, role=role)
    created["assignments"] += is_new
    return assignment


def _communications(proposal: Proposal, agency, record: dict, created: Counter) -> None:
    for item in record["communications"]:
        if not item.get("date"):
            continue
        proposal_workflow.record_historical_communication(
            proposal=proposal, agency=agency, date=_date(item["date"]),
            mode=COMMUNICATION_MODES.get(item.get("mode"), Communication.Mode.FACE_TO_FACE),
            outcome="据答复函记载",
        )
        created["communications"] += 1


def _reply(assignment: Assignment, parsed: ParsedDocument, created: Counter) -> Reply:
    record = parsed.record
    signed_on = _date(record["signed_on"])
    reply_workflow.record_historical_reply(
        assignment=assignment,
        document_number=record["document_number"] or "", document_year=_document_year(record["document_number"]),
        title=parsed.heading or f"关于第{record['number']}号{'建议' if record['kind'] == 'suggestion' else '提案'}的答复",
        addressee=parsed.addressee or "", body=letter_body(parsed),
        signed_on=signed_on, contact_person=record["contact_person"] or "", contact_phone=record["contact_phone"] or "",
        category=record["reply_category"] or "",
        published_on=_date(record["published_on"]) or signed_on, index_number=record["index_number"] or "",
        sent_at=_as_datetime(signed_on), original_text=parsed.original_text,
    )
    created["replies"] += 1


def _opinion(assignment: Assignment, parsed: ParsedDocument, created: Counter) -> None:
    record = parsed.record
    if hasattr(assignment, "opinion"):
        return
    reply_workflow.record_historical_opinion(
        assignment=assignment, document_number=record["document_number"] or "",
        title=parsed.heading or "", body=letter_body(parsed), contact_person=record["contact_person"] or "",
        contact_phone=record["contact_phone"] or "", signed_on=_date(record["signed_on"]),
        sent_at=_as_datetime(_date(record["signed_on"])),
    )
    created["opinions"] += 1


# --- policy documents -------------------------------------------------------------------------


def _import_policy(parsed: ParsedDocument, created: Counter) -> PolicyDocument:
    policy = parsed.policy
    document = PolicyDocument.objects.create(
        title=policy.title, issuing_body=policy.issuing_body or "", region=policy.region or "",
        is_draft="征求意见稿" in policy.title, published_on=_date(parsed.record["published_on"]),
        text=parsed.text, original_text=parsed.original_text,
    )
    PolicyArticle.objects.bulk_create(
        PolicyArticle(document=document, chapter_number=article.chapter_number,
                      chapter_title=article.chapter_title or "", number=article.number, heading=article.heading or "",
                      text=article.text)
        for article in policy.articles
    )
    created["policy documents"] += 1
    created["articles"] += len(policy.articles)
    return document


# --- small parsers of the record's values -----------------------------------------------------

_DATE_LINE = re.compile(r"^[\d〇○零一二三四五六七八九十]{2,4}年[\d〇○零一二三四五六七八九十]{1,3}月[\d〇○零一二三四五六七八九十]{1,3}日$")


def letter_body(parsed: ParsedDocument) -> str:
    """The letter between its salutation and its signature: the reply stores addressee, signing
    agency, date and contact in fields of their own, and pages and .docx print them around it."""
    lines = [line for line in parsed.letter_text.split("\n") if line.strip()]
    if lines and parsed.addressee and lines[0].lstrip().startswith(parsed.addressee):
        lines = lines[1:]
    signer = parsed.record["lead_agency"] or ""
    while lines and (
        _DATE_LINE.match(lines[-1].strip()) or lines[-1].strip() == signer
        or "联系人" in lines[-1] or "联系电话" in lines[-1]
    ):
        lines.pop()
    return "\n".join(lines)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _as_datetime(day: dt.date | None) -> dt.datetime | None:
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


def _document_year(document_number: str | None) -> int | None:
    match = re.search(r"[〔\[(【](\d{4})[〕\])】]", document_number or "")
    return int(match.group(1)) if match else None
