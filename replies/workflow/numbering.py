"""文号: tidying a document number, reading its year, keeping it unique per agency and year, and
the agency's own series.
"""

from __future__ import annotations

import datetime as dt
import re

from proposals.transitions import today
from replies.models import (
    LetterSettings,
    Reply,
)
from tracker.errors import WorkflowError

# 〔2022〕 is the bracket GB/T 9704 prescribes for the year in a document number; people type
# [2022], (2022) or 【2022】 too.
_YEAR_IN_NUMBER = re.compile(r"[〔\[［(（【]\s*((?:19|20)\d\d)\s*[〕\]］)）】]")


def normalize_document_number(number: str) -> tuple[str, int | None]:
    """Tidy a 文号 and read its year: '穗科函[2022] 123号' → ('穗科函〔2022〕123号', 2022)."""
    number = re.sub(r"\s+", "", number or "")
    match = _YEAR_IN_NUMBER.search(number)
    if not match:
        return number, None
    number = number[: match.start()] + f"〔{match.group(1)}〕" + number[match.end():]
    return number, int(match.group(1))


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
