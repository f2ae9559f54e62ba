"""What must never reach the public pages: people's mobile numbers, ID numbers and e-mail addresses.

A published letter shows the signing agency's own contact line and nothing else that reaches a
person (国办发〔2014〕46号; 《个人信息保护法》). The check reads the text as a reader would: width and
case are folded (NFKC, lower case), so １３８１２３４５６７８, ＡＢＣ＠ＥＸＡＭＰＬＥ．ＣＮ and
138-1234-5678 are found like their plain forms.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from proposals.models import Member
from replies.models import Reply

# Digits may be split by spaces or dashes as people type them: 138 1234 5678, 138-1234-5678.
_SEPARATOR = r"[\s\-‐‑–—]?"
MOBILE = re.compile(r"(?<!\d)1[3-9](?:" + _SEPARATOR + r"\d){9}(?!\d)")
# 18-character 居民身份证号码 (GB 11643): region, birth date, sequence, check digit (0-9 or X).
ID_NUMBER = re.compile(
    r"(?<![\dx])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dx](?![\dx])"
)
EMAIL = re.compile(r"[a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)+")

# The parts of a letter the public pages print, with the names a clerk reads.
CHECKED_PARTS = (("title", "标题"), ("addressee", "主送"), ("body", "正文"))


@dataclass(frozen=True)
class Finding:
    value: str  # as written in the letter
    where: str  # 标题 / 主送 / 正文

    def __str__(self) -> str:
        return f"{self.where}中的“{self.value}”"


def fold(text: str) -> str:
    """Full-width to half-width, upper to lower case: how the check reads every text."""
    return unicodedata.normalize("NFKC", text or "").lower()


def _digits(text: str) -> str:
    return re.sub(r"\D", "", fold(text))


def agency_contact_values(reply: Reply) -> set[str]:
    """The signing agency's own contact line (its phone and mail), which a letter may print."""
    values = {_digits(reply.contact_phone)} - {""}
    if reply.signing_agency.email:
        values.add(fold(reply.signing_agency.email))
    return values


def _proposer_contacts(reply: Reply) -> list[str]:
    """The proposers' phones and mail as entered, including landlines the patterns do not know."""
    pairs = Member.objects.filter(proposals_signed__proposal=reply.assignment.proposal_id).values_list("phone", "email")
    return [value.strip() for pair in pairs for value in pair if value and len(value.strip()) >= 5]


def _key(value: str) -> str:
    """One key per contact however it is written: its digits for a number, else the folded text."""
    return _digits(value) if "@" not in value else fold(value)


def _pattern_findings(text: str, allowed: set[str]) -> list[str]:
    folded = fold(text)
    found = []
    for pattern in (MOBILE, ID_NUMBER, EMAIL):
        for match in pattern.finditer(folded):
            value = match.group(0)
            if _key(value) not in allowed:
                found.append(value)
    return found


def _contact_in(text: str, contact: str) -> bool:
    folded, wanted = fold(text), fold(contact)
    if wanted in folded:
        return True
    digits = _digits(contact)
    # A phone written with other separators: compare digits, but only for a value that is a number.
    return len(digits) >= 7 and re.fullmatch(r"[\d\s\-()+]+", wanted) is not None and digits in _digits(text)


def personal_details_in(reply: Reply) -> list[Finding]:
    """Every mobile number, ID number and e-mail address in the letter's printed parts that is not
    the agency's own contact line, and any proposer's contact detail, with where each stands."""
    allowed = agency_contact_values(reply)
    contacts = _proposer_contacts(reply)
    findings: list[Finding] = []
    for field, label in CHECKED_PARTS:
        text = getattr(reply, field) or ""
        values = _pattern_findings(text, allowed)
        seen = {_key(value) for value in values}
        values += [contact for contact in contacts if _contact_in(text, contact) and _key(contact) not in seen]
        findings += [Finding(value=value, where=label) for value in dict.fromkeys(values)]
    return findings
