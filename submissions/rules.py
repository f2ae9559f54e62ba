"""Checks on what a member writes: the title's official pattern, the body's size, attachments."""

from __future__ import annotations

import re

from submissions.models import BODY_LIMIT, Draft
from tracker.errors import WorkflowError
from tracker.untrusted import control_character

ENDINGS = {Draft.Kind.PROPOSAL: "提案", Draft.Kind.SUGGESTION: "建议", Draft.Kind.MOTION: "议案"}


def title_hint(title: str, kind: str) -> str:
    """A gentle word when the 案由 does not follow 关于……的提案/建议/议案; empty when it does."""
    ending = ENDINGS.get(kind, "提案")
    if not title.strip():
        return ""
    if re.fullmatch(rf"关于.+的{ending}", title.strip()):
        return ""
    return f"案由一般写作“关于……的{ending}”，请核对。"


def check_text(draft: Draft) -> None:
    """Refuse what may not be saved at all: no 案由, a body over the limit, invalid characters."""
    if not draft.title.strip():
        raise WorkflowError("title_required", "请填写案由", "A title is required.", field="title")
    if len(draft.analysis) + len(draft.suggestions) > BODY_LIMIT:
        raise WorkflowError("body_too_long", f"正文过长：情况分析与具体建议合计不超过{BODY_LIMIT}字",
                            f"The body may hold at most {BODY_LIMIT} characters.", field="analysis")
    for name in ("title", "analysis", "suggestions", "phone", "address"):
        if control_character(getattr(draft, name)):
            raise WorkflowError("invalid_character", f"{Draft._meta.get_field(name).verbose_name}中含有无效字符",
                                "The text holds an invalid character.", field=name)


def check_complete(draft: Draft) -> None:
    """What a submission needs beyond a saved draft: both parts of the body."""
    check_text(draft)
    first, second = draft.part_labels
    if not draft.analysis.strip():
        raise WorkflowError("body_required", f"请填写{first}", "The body is required.", field="analysis")
    if not draft.suggestions.strip():
        raise WorkflowError("body_required", f"请填写{second}", "The body is required.", field="suggestions")
