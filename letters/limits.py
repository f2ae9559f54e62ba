"""Whether a parsed record fits the database before anything of it is written.

Each contract field is stored in a column with a length limit; a value over it (a 400-character
title read from a page that lost its line breaks) would stop the whole transaction with a
database error that names no file. `over_limit` says which field is too long, in Chinese and
English, so the loader can refuse that one file with a message a clerk can act on.
"""

from __future__ import annotations

from django.db import models

from letters.models import PolicyArticle, PolicyDocument
from proposals.models import Agency, Meeting, Member, Proposal
from replies.models import Reply

# contract field → (label a clerk reads, the column that stores it)
LETTER_COLUMNS: dict[str, tuple[str, type[models.Model], str]] = {
    "title": ("案由", Proposal, "title"),
    "number": ("编号", Proposal, "number"),
    "proposers": ("提案人/代表", Member, "name"),
    "lead_agency": ("承办单位", Agency, "name"),
    "assisting_agencies": ("会办单位", Agency, "name"),
    "document_number": ("文号", Reply, "document_number"),
    "index_number": ("索引号", Reply, "index_number"),
    "contact_person": ("联系人", Reply, "contact_person"),
    "contact_phone": ("联系电话", Reply, "contact_phone"),
    "meeting.region": ("会议地区", Meeting, "region"),
    "meeting.name": ("会议名称", Meeting, "name"),
}
POLICY_COLUMNS: dict[str, tuple[str, type[models.Model], str]] = {
    "title": ("标题", PolicyDocument, "title"),
    "lead_agency": ("发布机构", PolicyDocument, "issuing_body"),
}
EXTRA_COLUMNS: dict[str, tuple[str, type[models.Model], str]] = {
    "heading": ("答复函标题", Reply, "title"),
    "addressee": ("主送", Reply, "addressee"),
    "article_heading": ("条旨", PolicyArticle, "heading"),
    "chapter_title": ("章名", PolicyArticle, "chapter_title"),
}


def _limit(model: type[models.Model], column: str) -> int | None:
    return model._meta.get_field(column).max_length


def _values(record: dict, key: str) -> list[str]:
    if key.startswith("meeting."):
        value = (record.get("meeting") or {}).get(key.split(".", 1)[1])
    else:
        value = record.get(key)
    values = value if isinstance(value, list) else [value]
    return [str(v) for v in values if v not in (None, "")]


def over_limit(record: dict, extra: dict[str, list[str]] | None = None) -> list[tuple[str, str]]:
    """[(field, message)] for every value longer than its column allows; [] when all fit.
    `extra` holds values outside the contract (the heading, the addressee, article headings)."""
    columns = POLICY_COLUMNS if record.get("doc_type") == "policy_document" else LETTER_COLUMNS
    problems: list[tuple[str, str]] = []
    checks = [(key, label, model, column, _values(record, key)) for key, (label, model, column) in columns.items()]
    for key, values in (extra or {}).items():
        label, model, column = EXTRA_COLUMNS[key]
        checks.append((key, label, model, column, [v for v in values if v]))
    for key, label, model, column, values in checks:
        limit = _limit(model, column)
        for value in values:
            if limit and len(value) > limit:
                problems.append((key, (
                    f"「{label}」({key})有 {len(value)} 个字,超过上限 {limit} 个字 / "
                    f"{key} has {len(value)} characters, over the limit of {limit}"
                )))
                break
    return problems
