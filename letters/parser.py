"""Parse a published document (reply letter, assisting opinion, policy document) into a record.

`parse_document(data, filename=…)` returns a `ParsedDocument`; `.as_dict()` is the JSON
contract that `manage.py parse_letter --json` prints, with exactly these keys:

    file, doc_type ("reply" | "assisting_opinion" | "policy_document" | "unknown"),
    kind ("proposal" | "suggestion" | None),
    meeting {body ("cppcc" | "npc" | None), region, term, session, name},
    number, title, proposers, lead_agency, assisting_agencies, signed_on, published_on,
    document_number, index_number, contact_person, contact_phone,
    communications [{date, mode}], reply_category ("A" | "B" | "C" | "D" | None)

Conventions: what the document does not say is None (or []); dates are ISO YYYY-MM-DD, a
month-day date takes its year from the letter; `number` is the digits as written; `title` is the
proposal's title without 《》/“”; `proposers` are names without 委员/代表 in the letter's order
(a group is one proposer); `lead_agency` is the writer as its signature names it (else its
title line, else the catalogue's 发布机构) — for an assisting opinion that is the assisting
agency; `document_number` is as written, with its 〔〕.

Communication modes: face_to_face, phone, letter, online, other (see
`letters.parsing.communications` for the words behind each).

Beyond the contract the loader gets: `record` (the contract dict), `text` (normalized text
without page furniture and catalogue block), `original_text` (decoded text as published),
`letter_text` (salutation to signature), `heading` (the document's own title line),
`addressee` (the salutation), `policy` (title, issuing and drafting body, region, chapters and
articles, for a policy document), `warnings` (what looked incomplete) and `readings` (every
value the letter gives for a field it names in several places).

The field helpers live in `letters.parsing`, one module per kind of field, each listing the
patterns it knows.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from letters.normalize import NormalizedText, UnreadableDocument, normalize_document
from letters.parsing.agencies import agency_problem, find_assisting_agencies, find_lead_agency, lead_agency_readings
from letters.parsing.category import find_reply_category
from letters.parsing.checks import Doubt, date_problem
from letters.parsing.communications import find_communications
from letters.parsing.dates import find_dates, parse_full_date
from letters.parsing.layout import Layout, build_layout
from letters.parsing.meeting import Meeting, parse_meeting
from letters.parsing.people import find_contact_person, find_contact_phone, find_proposers
from letters.parsing.policy import PolicyContent, find_truncation, parse_policy, policy_title
from letters.parsing.references import (
    find_doc_type,
    find_document_number,
    find_index_number,
    find_kind,
    find_number,
    find_proposal_title,
    number_readings,
)

__all__ = ["CONTRACT_KEYS", "ParsedDocument", "UnreadableDocument", "parse_document"]

CONTRACT_KEYS = (
    "file", "doc_type", "kind", "meeting", "number", "title", "proposers", "lead_agency",
    "assisting_agencies", "signed_on", "published_on", "document_number", "index_number",
    "contact_person", "contact_phone", "communications", "reply_category",
)


@dataclass
class ParsedDocument:
    """One parsed document: the contract fields, plus what the loader needs beside them."""

    file: str
    doc_type: str
    kind: str | None = None
    meeting: Meeting = field(default_factory=Meeting)
    number: str | None = None
    title: str | None = None
    proposers: list[str] = field(default_factory=list)
    lead_agency: str | None = None
    assisting_agencies: list[str] = field(default_factory=list)
    signed_on: dt.date | None = None
    published_on: dt.date | None = None
    document_number: str | None = None
    index_number: str | None = None
    contact_person: str | None = None
    contact_phone: str | None = None
    communications: list[dict] = field(default_factory=list)
    reply_category: str | None = None
    # Outside the JSON contract:
    normalized: NormalizedText | None = field(default=None, repr=False)
    letter_text: str = field(default="", repr=False)
    policy: PolicyContent | None = field(default=None, repr=False)
    warnings: list[str] = field(default_factory=list)
    # Where the letter names a field in more than one place, every reading (first the one taken):
    # {"lead_agency": [...], "number": [...], "signed_on": [...]}.
    readings: dict[str, list] = field(default_factory=dict)
    # Fields left empty because their candidate failed a check (not a name, not a place …).
    doubts: list[Doubt] = field(default_factory=list)
    _heading: str | None = field(default=None, repr=False)
    _addressee: str | None = field(default=None, repr=False)

    @property
    def record(self) -> dict:
        """The JSON contract (same as as_dict())."""
        return self.as_dict()

    @property
    def heading(self) -> str | None:
        """The document's own title line: 广州市科学技术局关于…第2053号提案答复的函, or a policy
        document's title."""
        return self._heading

    @property
    def addressee(self) -> str | None:
        """The salutation without its colon: 张建山委员, 骆洪军、彭海员、赵贵成委员, 市科技局."""
        return self._addressee

    @property
    def original_text(self) -> str:
        """The decoded text as published (same as original)."""
        return self.original

    @property
    def text(self) -> str:
        """The normalized text without page furniture and catalogue block."""
        return self.normalized.body if self.normalized else ""

    @property
    def original(self) -> str:
        return self.normalized.original if self.normalized else ""

    def as_dict(self) -> dict:
        """The JSON contract, keys in contract order, dates as ISO strings."""
        return {
            "file": self.file,
            "doc_type": self.doc_type,
            "kind": self.kind,
            "meeting": self.meeting.as_dict(),
            "number": self.number,
            "title": self.title,
            "proposers": list(self.proposers),
            "lead_agency": self.lead_agency,
            "assisting_agencies": list(self.assisting_agencies),
            "signed_on": _iso(self.signed_on),
            "published_on": _iso(self.published_on),
            "document_number": self.document_number,
            "index_number": self.index_number,
            "contact_person": self.contact_person,
            "contact_phone": self.contact_phone,
            "communications": [dict(c) for c in self.communications],
            "reply_category": self.reply_category,
        }


    def as_json(self) -> dict:
        """What `parse_letter --json` prints: the contract, then `doubts` — each field left empty
        with the candidate that was rejected and why ({field, candidate, reason})."""
        return {**self.as_dict(), "doubts": [doubt.as_dict() for doubt in self.doubts]}


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def parse_document(data: bytes | str, *, filename: str) -> ParsedDocument:
    """Parse one published document. Raises UnreadableDocument (message in Chinese and English)
    when the input is not a readable text document."""
    normalized = normalize_document(data)
    layout = build_layout(normalized)
    doc_type = find_doc_type(layout)
    signed_on = layout.signature.signed_on if layout.signature else None
    if signed_on is None:
        # 成文日期 in the catalogue is, by the rules of official documents, the signing date.
        signed_on = parse_full_date(layout.meta.get("成文日期", ""))
    document = ParsedDocument(
        file=filename,
        doc_type=doc_type,
        normalized=normalized,
        signed_on=signed_on,
        published_on=find_published_on(layout, signed_on, letter=doc_type in ("reply", "assisting_opinion")),
        document_number=find_document_number(layout),
        index_number=find_index_number(layout),
    )
    document._heading = layout.title_line
    document._addressee = layout.salutation
    if doc_type in ("reply", "assisting_opinion"):
        _check_signing_date(document)
        _fill_letter_fields(document, layout)
    elif doc_type == "policy_document":
        _fill_policy_fields(document, layout)
    document.warnings = _warnings(document, layout)
    return document


def _fill_letter_fields(document: ParsedDocument, layout: Layout) -> None:
    doubts = document.doubts
    lead = _checked_agency(find_lead_agency(layout), "lead_agency", doubts)
    meeting_texts = [layout.title_line or "", "\n".join(layout.head_lines), layout.opening, layout.letter_text[:3000]]
    kind_hint = find_kind(layout, meeting_body=None)
    meeting = parse_meeting(
        meeting_texts,
        kind=kind_hint,
        agencies=[lead, layout.meta.get("发布机构"), _title_agency(layout), layout.meta.get("来源")],
        doubts=doubts,
    )
    document.kind = find_kind(layout, meeting_body=meeting.body)
    document.meeting = meeting
    document.number = find_number(layout)
    document.title = find_proposal_title(layout)
    document.proposers = find_proposers(layout, document.doc_type, doubts)
    document.lead_agency = lead
    document.assisting_agencies = _assisting_agencies(document, layout)
    document.contact_person = find_contact_person(layout, doubts)
    document.contact_phone = find_contact_phone(layout)
    reference = document.signed_on or document.published_on or _year_of_number(document.document_number)
    start = layout.salutation_index or 0
    document.communications = _communications_in_range(document, find_communications(
        "\n".join(layout.lines[start:]), proposers=document.proposers, reference=reference,
        addressee_is_agency=document.doc_type == "assisting_opinion",
    ))
    document.reply_category = find_reply_category(layout)
    document.letter_text = layout.letter_text
    signed = [layout.signature.signed_on if layout.signature else None, parse_full_date(layout.meta.get("成文日期", ""))]
    document.readings = {
        "lead_agency": lead_agency_readings(layout),
        "number": number_readings(layout),
        "signed_on": list(dict.fromkeys(_iso(d) for d in signed if d)),
    }


def _assisting_agencies(document: ParsedDocument, layout: Layout) -> list[str]:
    """The proposal's assisting agencies. An assisting opinion is itself written by an assisting
    unit to the lead unit: the agencies it says it worked with (与甘谷县政府…) are not the
    proposal's 会办 units, so they are named as doubts and left out."""
    found = [name for name in find_assisting_agencies(layout) if _checked_agency(name, "assisting_agencies", document.doubts)]
    if document.doc_type != "assisting_opinion":
        return found
    for name in found:
        document.doubts.append(Doubt(
            "assisting_agencies", name, f"会办（协办）意见中提到的“{name}”是会办单位办理时的合作方，不是本件的会办单位",
        ))
    return []


def _checked_agency(name: str | None, key: str, doubts: list[Doubt]) -> str | None:
    """The agency when its name follows the grammar of agency names, else None and a doubt."""
    if not name:
        return None
    problem = agency_problem(name)
    if problem:
        doubts.append(Doubt(key, name, problem))
        return None
    return name


def _communications_in_range(document: ParsedDocument, found: list[dict]) -> list[dict]:
    """A contact with the proposer happened before the letter was signed (or published) and
    after the meeting, at most a year or so before the reply: a date outside that range is
    another date of the page."""
    latest = document.signed_on or document.published_on
    # A proposal is answered within months of its meeting: a contact more than a year before the
    # reply was about something else (or another year's proposal).
    earliest = latest - dt.timedelta(days=400) if latest else None
    kept = []
    for item in found:
        value = dt.date.fromisoformat(item["date"]) if item.get("date") else None
        problem = date_problem(value, not_before=earliest, not_after=latest)
        if problem:
            document.doubts.append(Doubt("communications", item["date"], problem))
            continue
        kept.append(item)
    return kept


def _check_signing_date(document: ParsedDocument) -> None:
    """A letter is signed before it is published: a signing date after publication is another
    date of the page."""
    problem = date_problem(document.signed_on, not_before=None, not_after=document.published_on)
    if problem:
        document.doubts.append(Doubt("signed_on", document.signed_on.isoformat(), problem))
        document.signed_on = None


def _fill_policy_fields(document: ParsedDocument, layout: Layout) -> None:
    document.title = policy_title(layout)
    document._heading = document.title
    document.lead_agency = find_lead_agency(layout)
    document.policy = parse_policy(layout, title=document.title, issuing_body=document.lead_agency)
    document.letter_text = "\n".join(layout.lines)


def _title_agency(layout: Layout) -> str | None:
    line = layout.title_line or ""
    match = re.match(r"^(.{2,40}?)(关于|对)", line)
    return match.group(1) if match else None


def _year_of_number(document_number: str | None) -> dt.date | None:
    """穗科函〔2022〕12号 was written in 2022: a last resort for the year of month-day dates."""
    match = re.search(r"(?:19|20)\d{2}", document_number or "")
    return dt.date(int(match.group(0)), 12, 31) if match else None


# The page's own stamp above the letter: 时间:2024-10-18 · 更新时间:2019年12月04日 ·
# 2019-09-20 14:25文章来源:… — not 答复时间 / 交办时间 / 成文日期, which are the letter's.
_STAMP_KEY = re.compile(r"(?:(?<![\u4e00-\u9fff])|(?<=发布|更新|公开|发表))(?:时间|日期)\s*:\s*")
_CLOCK_AFTER = re.compile(r"^\s*\d{1,2}:\d{2}")


def _page_stamp(lines: list[str]) -> dt.date | None:
    for line in lines:
        for key in _STAMP_KEY.finditer(line):
            value = parse_full_date(line[key.end():key.end() + 20])
            if value:
                return value
        for found in find_dates(line, month_day=False):
            if _CLOCK_AFTER.match(line[found.end:]):
                return found.to_date()
    return None


def find_published_on(layout: Layout, signed_on: dt.date | None, *, letter: bool = True) -> dt.date | None:
    """Publication date from the catalogue: 发布日期, 发布时间, 公开日期; for a letter also the
    page's 时间/日期/更新时间 stamp or a date in the 来源 line (来源:政府办 2017-08-15 16:44);
    else 生成日期 when it is not just the signing date again (then it is the 成文日期, not
    publication); else, for a letter, a stamp above it (浏览:281次 时间:2023年1月9日,
    2019-09-20 14:25文章来源:…). A bare 时间 on a news page is when the news happened."""
    keys = ("发布日期", "发布时间", "公开日期")
    if letter:
        keys += ("时间", "日期", "更新时间", "更新日期", "来源", "信息来源", "文章来源")
    for key in keys:
        value = parse_full_date(layout.meta.get(key, ""))
        if value:
            return value
    generated = parse_full_date(layout.meta.get("生成日期", ""))
    if generated and (signed_on is None or generated > signed_on):
        return generated
    if not letter:
        return None
    end = layout.salutation_index if layout.salutation_index is not None else min(3, len(layout.lines))
    return _page_stamp(layout.lines[:end])


def _warnings(document: ParsedDocument, layout: Layout) -> list[str]:
    """What a clerk should look at: a letter without its closing may be truncated."""
    warnings: list[str] = []
    if document.doc_type in ("reply", "assisting_opinion"):
        if layout.signature is None:
            warnings.append("no signature date / 未找到落款日期")
        if not document.proposers:
            warnings.append("no proposer / 未找到提案人")
        if document.number is None:
            warnings.append("no proposal number / 未找到提案编号")
    if document.doc_type == "policy_document" and document.policy:
        warnings.extend(find_truncation(document.policy))
    if document.doc_type == "unknown":
        warnings.append("not a reply, assisting opinion or policy document / 无法识别文书类型")
    return warnings
