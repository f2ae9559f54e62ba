"""The year-end 办理工作情况报告 as .docx: a summary paragraph with the counts, then the tables by
category, by agency, by result, satisfaction and the follow-up list, and what each figure counts.
Page and type after GB/T 9704 (tracker.docx_layout), as the reply letters."""

from __future__ import annotations

import io

from docx.enum.text import WD_ALIGN_PARAGRAPH

from reports.summary import NOT_RATED, summary
from reports.tables import TABLES, Column, cell_text, columns_of, rows_of
from tracker import docx_layout as layout
from tracker import extensions

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

CATEGORY_COLUMNS = ("category", "received", "accepted", "assigned", "replied", "replied_rate", "on_time_rate",
                    "satisfied_result_rate")
AGENCY_COLUMNS = ("agency", "role", "assigned", "replied", "replied_rate", "on_time_rate", "met_in_person_rate",
                  "satisfied_result_rate", "overdue")


def _table(document, columns: list[Column], rows: list[dict]) -> None:
    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    for cell, column in zip(table.rows[0].cells, columns):
        _cell(cell, column.heading, bold=True)
    for row in rows:
        cells = table.add_row().cells
        for cell, column in zip(cells, columns):
            _cell(cell, cell_text(row, column))
    layout.paragraph(document)


def _cell(cell, text: str, *, bold: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    layout.set_font(paragraph.add_run(text), layout.BODY_FONT, layout.SIZE_5, bold=bold)


def _pick(figures: dict, slug: str, keys) -> list[Column]:
    by_key = {c.key: c for c in columns_of(figures, slug)}
    return [by_key[key] for key in keys]


def _satisfaction_rows(totals: dict) -> list[dict]:
    rows = []
    for side, name in (("办理态度", "attitude"), ("办理结果", "result")):
        row = {"side": side, **{key: totals[f"{prefix}_{suffix}"] for key, (prefix, suffix) in {
            "rated": ("rated", name), "satisfied": ("satisfied", f"{name}_rate"),
            "fully": ("fully_satisfied", f"{name}_rate"), "first": ("first_round_satisfied", f"{name}_rate"),
            "unsatisfied": ("unsatisfied", name)}.items()}}
        if not row["rated"]:  # nobody rated yet: say so rather than print a bare "—"
            row.update(satisfied=NOT_RATED, fully=NOT_RATED, first=NOT_RATED)
        rows.append(row)
    return rows


SATISFACTION_COLUMNS = [Column("side", "评价项目", "text"), Column("rated", "表态人次"),
                        Column("satisfied", "满意率（含基本满意）", "rate"), Column("fully", "满意率（不含基本满意）", "rate"),
                        Column("first", "初次满意率", "rate"), Column("unsatisfied", "不满意人次")]


CHAPTER_NUMERALS = "一二三四五六七八九十"


def office_report_docx(figures: dict, filters: str, *, scope=None) -> bytes:
    document = layout.official_document()
    layout.title(document, f"{filters}提案/建议办理工作情况报告")
    layout.paragraph(document)
    layout.body(document, summary(figures, filters))
    layout.heading(document, "一、按类别办理情况")
    _table(document, _pick(figures, "categories", CATEGORY_COLUMNS), rows_of(figures, "categories"))
    layout.heading(document, "二、承办单位办理情况")
    _table(document, _pick(figures, "agencies", AGENCY_COLUMNS), rows_of(figures, "agencies"))
    layout.heading(document, "三、办理结果(答复类别)")
    categories = [c for c in figures["reply_categories"] if c["active"]]
    split = figures["totals"]["category_split"]
    _table(document, [Column("label", "答复类别", "text"), Column("n", "项数")],
           [{"label": f"{c['code']}类 {c['label']}", "n": split.get(c["code"], 0)} for c in categories])
    layout.heading(document, "四、满意度测评")
    _table(document, SATISFACTION_COLUMNS, _satisfaction_rows(figures["totals"]))
    layout.heading(document, "五、跟踪办理中的答复")
    _table(document, list(TABLES["follow_up"].columns), figures["follow_up"])
    chapters = [contribute(scope) for contribute in extensions.contributions("report_sections")] if scope else []
    chapters = [chapter for chapter in chapters if chapter]
    for number, chapter in zip(CHAPTER_NUMERALS[5:], chapters):
        layout.heading(document, f"{number}、{chapter.title}")
        for text in chapter.paragraphs:
            layout.body(document, text)
    layout.heading(document, f"{CHAPTER_NUMERALS[5 + len(chapters)]}、指标口径")
    _table(document, [Column("label", "指标", "text"), Column("definition", "口径", "text")],
           list(figures["definitions"].values()))
    layout.page_numbers(document.sections[0])
    properties = document.core_properties
    properties.title, properties.language = f"{filters}提案/建议办理工作情况报告", "zh-CN"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def report_filename(figures: dict, filters: str) -> str:
    return f"{filters}办理工作情况报告_{figures['scope']['as_of']}.docx"
