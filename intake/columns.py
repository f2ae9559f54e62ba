"""Columns found by their header, under the spellings offices use, on whichever row it sits."""

from __future__ import annotations

import re
from dataclasses import dataclass

from intake.spreadsheet import SheetRow, cell_text
from tracker.errors import WorkflowError
from tracker.untrusted import CONTROL_CHARACTERS, control_character

# Field → (label shown to the clerk, header spellings). Checked in this order when a header only
# contains a spelling (联名委员 contains 委员, 代表团 contains 代表): the narrower fields first.
PROPOSAL_COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "cosigners": ("联名人", ("联名人", "附议人", "联名委员", "联名代表", "联名")),
    "sector": ("界别/代表团", ("界别", "代表团", "党派团体")),
    "is_key": ("重点提案", ("重点提案", "重点建议", "是否重点")),
    "submitted_on": ("提交日期", ("提交日期", "提出日期", "提交时间", "提出时间")),
    "number": ("编号", ("编号", "案号", "提案号", "建议号")),
    "title": ("案由", ("案由", "标题", "题目")),
    "lead": ("提案人", ("提案人", "领衔人", "提出人", "代表", "委员")),
    "category": ("类别", ("类别", "分类", "类型")),
    "body": ("内容", ("内容", "正文", "案据")),
}
PROPOSAL_REQUIRED = ("number", "title", "lead")

ASSIGNMENT_COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "assisting": ("会办单位", ("会办单位", "协办单位", "会办", "协办")),
    "joint": ("分办单位", ("分办单位", "分办")),
    "lead": ("主办单位", ("主办单位", "主办", "承办单位")),
    "number": ("编号", ("编号", "案号", "提案号", "建议号")),
    "title": ("案由", ("案由", "标题", "题目")),
}
ASSIGNMENT_REQUIRED = ("number",)

# How far down a header may sit below the sheet's title rows.
HEADER_SEARCH_ROWS = 15


def normalize_header(text: str) -> str:
    """Drop spaces, required-marks and bracketed notes: “* 案 由(必填)” → 案由."""
    text = re.sub(r"[（(【\[].*?[)）】\]]", "", text)
    return re.sub(r"[\s*＊:：]", "", text)


def field_of(header: str, columns: dict) -> str | None:
    text = normalize_header(header)
    if not text:
        return None
    for field, (_, spellings) in columns.items():
        if text in spellings:
            return field
    for field, (_, spellings) in columns.items():
        if any(spelling in text for spelling in spellings):
            return field
    return None


@dataclass(frozen=True)
class Layout:
    """Where the header is and which column holds which field (0-based column indexes)."""

    header_row: int
    columns: dict[str, int]


def find_layout(rows: list[SheetRow], columns: dict, required: tuple[str, ...]) -> Layout:
    """The first row, among the first few, that names every required column."""
    best: Layout | None = None
    for row in rows:
        if row.number > HEADER_SEARCH_ROWS:
            break
        found: dict[str, int] = {}
        for index, cell in enumerate(row.cells):
            field = field_of(cell_text(cell), columns)
            if field and field not in found:
                found[field] = index
        if all(field in found for field in required):
            return Layout(row.number, found)
        if best is None or len(found) > len(best.columns):
            best = Layout(row.number, found)
    missing = [columns[field][0] for field in required if best is None or field not in best.columns]
    raise WorkflowError(
        "header_not_found",
        f"未找到表头:前{HEADER_SEARCH_ROWS}行中没有同时包含{'、'.join(columns[f][0] for f in required)}的一行"
        f"(缺少:{'、'.join(missing)})",
        "No header row names every required column.", field="file",
    )


def values_of(row: SheetRow, layout: Layout) -> dict[str, str]:
    return {
        field: cell_text(row.cells[index]) if index < len(row.cells) else ""
        for field, index in layout.columns.items()
    }


def without_control_characters(values: dict[str, str], columns: dict) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """The values with control characters (NUL and the like) taken out, and (column label, reason)
    for each cell that held one: the row is refused for it, and the rest of the preview reads the
    cleaned text (PostgreSQL cannot even look up a text holding NUL)."""
    cleaned, problems = dict(values), []
    for field, text in values.items():
        code = control_character(text)
        if code:
            cleaned[field] = CONTROL_CHARACTERS.sub("", text)
            problems.append((columns[field][0], f"含有不可见的控制字符（{code}），请在原表中删除后重新上传"))
    return cleaned, problems
