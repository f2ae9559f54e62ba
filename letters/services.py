"""Loading published documents as historical records (DESIGN §7).

A reply letter becomes the records it implies: meeting, members, agencies, the proposal, its
lead and assisting assignments, the communications it mentions and the reply itself. Imported
records are born in their final state (closed, replied) with an IMPORT event: nothing
transitions, so this is the one place besides the workflows that writes a status, and it only
ever creates. One transaction per file; a file that was loaded before (same content) is skipped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from letters.agencies import resolve_agency
from letters.models import ImportedDocument, PolicyArticle, PolicyDocument
from letters.normalize import UnreadableDocument
from letters.parser import ParsedDocument, parse_document
from proposals.models import Assignment, Body, Communication, Event, Meeting, Member, Proposal, Proposer
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
    status: str  # "created", "exists", "failed"
    doc_type: str = ""
    created: Counter = field(default_factory=Counter)
    message: str = ""


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


def load_document(path: Path, *, dry_run: bool = False) -> LoadOutcome:
    """Load one file in its own transaction; a failure leaves nothing of it behind."""
    try:
        data = path.read_bytes()
    except OSError as error:
        return LoadOutcome(str(path), "failed", message=f"无法读取 / cannot read: {error.strerror}")
    checksum = hashlib.sha256(data).hexdigest()
    outcome = LoadOutcome(str(path), "created")
    try:
        parsed = parse_document(data, filename=path.name)
        outcome.doc_type = parsed.record["doc_type"]
        with transaction.atomic():
            if ImportedDocument.objects.filter(checksum=checksum).exists():
                outcome.status = "exists"
                return outcome
            _import(parsed, checksum, path.name, outcome.created)
            if dry_run:
                raise _DryRun
    except _DryRun:
        outcome.status = "would create"
    except (UnreadableDocument, ImportRefused) as error:
        outcome.status, outcome.message = "failed", str(error)
    return outcome


class ImportRefused(ValueError):
    """The document was read but does not hold what a record needs."""


def _import(parsed: ParsedDocument, checksum: str, file_name: str, created: Counter) -> None:
    doc_type = parsed.record["doc_type"]
    log = ImportedDocument(checksum=checksum, file_name=file_name, doc_type=doc_type)
    if doc_type == "policy_document":
        log.policy_document = _import_policy(parsed, created)
    elif doc_type in ("reply", "assisting_opinion"):
        log.proposal = _import_letter(parsed, created)
    else:
        raise ImportRefused("无法识别的文书类型,未导入 / Not a reply, an assisting opinion or a policy document.")
    log.save()


# --- reply letters and assisting opinions ------------------------------------------------------


def _import_letter(parsed: ParsedDocument, created: Counter) -> Proposal:
    record = parsed.record
    region = record["meeting"]["region"] or ""
    writer_name = record["lead_agency"]
    if not writer_name:
        raise ImportRefused("未能识别发文单位 / The writing agency could not be read.")
    writer = _agency(writer_name, region, created)
    meeting = _meeting(record, region, created)
    proposal = _proposal(record, meeting, created)
    if proposal is None:
        raise ImportRefused("该提案已存在且不是历史记录 / A live proposal with this number exists.")
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
    proposal = Proposal.objects.create(
        meeting=meeting, number=number, title=record["title"] or "(原文未注明案由)",
        kind=record["kind"] or (Proposal.Kind.SUGGESTION if meeting.body == Body.NPC else Proposal.Kind.PROPOSAL),
        is_historical=True, status=Proposal.Status.CLOSED, closed_on=_date(record["signed_on"] or record["published_on"]),
    )
    Event.objects.create(proposal=proposal, action=Event.Action.IMPORT, to_state=Proposal.Status.CLOSED,
                         note="由公开答复函导入的历史记录")
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
    final_state = Assignment.State.OPINION_SENT if role == Assignment.Role.ASSISTING else Assignment.State.REPLIED
    assignment, is_new = Assignment.objects.get_or_create(
        proposal=proposal, agency=agency, defaults={"role": role, "state": final_state},
    )
    created["assignments"] += is_new
    return assignment


def _communications(proposal: Proposal, agency, record: dict, created: Counter) -> None:
    for item in record["communications"]:
        if not item.get("date"):
            continue
        Communication.objects.create(
            proposal=proposal, agency=agency, state=Communication.State.HELD, date=_date(item["date"]),
            mode=COMMUNICATION_MODES.get(item.get("mode"), Communication.Mode.FACE_TO_FACE),
            outcome="据答复函记载",
        )
        created["communications"] += 1


def _reply(assignment: Assignment, parsed: ParsedDocument, created: Counter) -> Reply:
    record = parsed.record
    signed_on = _date(record["signed_on"])
    Reply.objects.create(
        assignment=assignment, round=1, state=Reply.State.SENT, is_historical=True,
        document_number=record["document_number"] or "", document_year=_document_year(record["document_number"]),
        title=parsed.heading or f"关于第{record['number']}号{'建议' if record['kind'] == 'suggestion' else '提案'}的答复",
        addressee=parsed.addressee or "", body=letter_body(parsed), signing_agency=assignment.agency,
        signed_on=signed_on, contact_person=record["contact_person"] or "", contact_phone=record["contact_phone"] or "",
        category=record["reply_category"] or "", disclosure=Reply.Disclosure.PUBLIC,
        published_on=_date(record["published_on"]) or signed_on, index_number=record["index_number"] or "",
        sent_at=_as_datetime(signed_on), original_text=parsed.original_text,
    )
    created["replies"] += 1


def _opinion(assignment: Assignment, parsed: ParsedDocument, created: Counter) -> None:
    record = parsed.record
    if hasattr(assignment, "opinion"):
        return
    AssistingOpinion.objects.create(
        assignment=assignment, state=AssistingOpinion.State.SENT, document_number=record["document_number"] or "",
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
