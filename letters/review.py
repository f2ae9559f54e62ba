"""Import with review: a clerk uploads letters, checks what the parser read, corrects it and
confirms; only then are records written, through the loader (`letters.services.load_parsed`).

Between upload and confirm nothing is stored: each uploaded document travels in the review page
as its decoded text, signed so that what is confirmed is what was uploaded (`stage_upload`,
`unstage`). Parsing that text again gives the same record as the upload did.

`unsure_fields` says which fields a clerk should look at: a field the parser could not read, one
the letter names in two places that disagree (the signature and the catalogue name different
agencies), or one whose candidate failed a check (一个候选值“阅读”不是人名); `doubt_candidates`
gives those rejected candidates per form field, for the clerk to take in a click when the check
was too strict. `apply_record` puts the clerk's record onto the parsed document, and `corrections`
lists what changed, which the loader keeps with the imported document.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.core import signing

from letters.parser import CONTRACT_KEYS, ParsedDocument, UnreadableDocument, parse_document
from letters.parsing.meeting import Meeting
from letters.scoring import same_agency

_SALT = "letters.import-review"
STAGE_MAX_AGE = 24 * 3600  # a review left open overnight must be uploaded again
EDITABLE_KEYS = tuple(key for key in CONTRACT_KEYS if key not in ("file", "communications"))
MODE_LABELS = {"face_to_face": "当面", "phone": "电话", "letter": "书面", "online": "网络", "other": "方式未注明"}
# Fields a reply is expected to state; an empty one is worth a look.
EXPECTED_IN_A_LETTER = ("kind", "meeting", "number", "title", "proposers", "lead_agency", "signed_on")


class StageError(ValueError):
    """An upload that cannot be reviewed, or a review page that was tampered with or is too old."""


@dataclass(frozen=True)
class StagedDocument:
    """One uploaded document waiting for the clerk's confirmation."""

    file_name: str
    checksum: str
    text: str

    @property
    def token(self) -> str:
        return signing.dumps(
            {"name": self.file_name, "sha": self.checksum, "text": self.text}, salt=_SALT, compress=True
        )

    def parse(self) -> ParsedDocument:
        return parse_document(self.text, filename=self.file_name)


def stage_upload(*, file_name: str, data: bytes) -> tuple[StagedDocument, ParsedDocument]:
    """Read an upload; raises StageError (naming the file) when it is not a readable document."""
    try:
        parsed = parse_document(data, filename=file_name)
    except UnreadableDocument as error:
        raise StageError(f"{file_name}:{error}") from error
    staged = StagedDocument(file_name, hashlib.sha256(data).hexdigest(), parsed.original_text)
    return staged, staged.parse()


def unstage(token: str) -> StagedDocument:
    """The document a review page carries; StageError when the token was altered or is stale."""
    try:
        payload = signing.loads(token, salt=_SALT, max_age=STAGE_MAX_AGE)
    except signing.SignatureExpired as error:
        raise StageError("审核页面已过期,请重新上传 / the review page expired; upload again") from error
    except signing.BadSignature as error:
        raise StageError("上传内容校验失败,请重新上传 / the upload could not be verified; upload again") from error
    return StagedDocument(payload["name"], payload["sha"], payload["text"])


def unsure_fields(parsed: ParsedDocument) -> dict[str, str]:
    """{field: why} for the fields a clerk should check, in Chinese."""
    record = parsed.record
    unsure: dict[str, str] = {}
    if parsed.doc_type in ("reply", "assisting_opinion"):
        for key in EXPECTED_IN_A_LETTER:
            value = record[key]
            if key == "meeting":
                if not value["body"] or not value["term"] or not value["region"]:
                    unsure[key] = "原文未读出完整的会议(届次或地区)"
            elif value in (None, "", []):
                unsure[key] = "原文未读出"
    elif parsed.doc_type == "unknown":
        unsure["doc_type"] = "无法识别文书类型(不是答复函、会办意见或政策文件?)"
    for key, values in parsed.readings.items():
        if _disagree(key, values):
            unsure[key] = "两处读法不一:" + " / ".join(str(v) for v in values)
    kind, body = record["kind"], record["meeting"]["body"]
    if kind and body and {"proposal": "cppcc", "suggestion": "npc"}[kind] != body:
        unsure["kind"] = "类型与会议不符(提案对应政协,建议对应人大)"
    for doubt in parsed.doubts:
        reason = doubt.reason + "，未填入"
        unsure[doubt.field] = f"{unsure[doubt.field]}；{reason}" if doubt.field in unsure else reason
    return unsure


# The form field a doubt's candidate would go into (a meeting's doubt is about its region).
_DOUBT_FORM_FIELD = {"meeting": "meeting_region"}


def doubt_candidates(parsed: ParsedDocument) -> dict[str, list[str]]:
    """{form field: [rejected candidates]} for the fields left empty by a check."""
    candidates: dict[str, list[str]] = {}
    for doubt in parsed.doubts:
        if doubt.field == "communications":
            continue  # not edited on the review page
        names = candidates.setdefault(_DOUBT_FORM_FIELD.get(doubt.field, doubt.field), [])
        if doubt.candidate not in names:
            names.append(doubt.candidate)
    return candidates


def _disagree(key: str, values: list) -> bool:
    if len(values) < 2:
        return False
    if key == "lead_agency":
        return not all(same_agency(values[0], other) for other in values[1:])
    return len(set(values)) > 1


def apply_record(parsed: ParsedDocument, record: dict) -> None:
    """Put a (corrected) contract record onto the parsed document the loader reads."""
    for key in EDITABLE_KEYS:
        if key not in record:
            continue
        value = record[key]
        if key == "meeting":
            value = Meeting(**{name: value.get(name) for name in ("body", "region", "term", "session", "name")})
        elif key in ("signed_on", "published_on"):
            value = dt.date.fromisoformat(value) if value else None
        elif key in ("proposers", "assisting_agencies"):
            value = list(value or [])
        setattr(parsed, key, value)


def corrections(parsed_record: dict, corrected: dict) -> dict:
    """{field: {"parsed": …, "corrected": …}} for every field the clerk changed."""
    changes = {}
    for key in EDITABLE_KEYS:
        if key in corrected and corrected[key] != parsed_record.get(key):
            changes[key] = {"parsed": parsed_record.get(key), "corrected": corrected[key]}
    return changes
