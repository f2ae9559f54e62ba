"""The printed 提案表 (.docx) of a submitted proposal, laid out like the paper form, for the office's
files. It carries the proposer's contacts: only the office and the proposers themselves get it."""

from __future__ import annotations

import io

from django.utils import timezone
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from submissions.models import CoSigner, Draft
from tracker import docx_layout as layout


def form_title(draft: Draft) -> str:
    noun = {"proposal": "提案", "suggestion": "建议", "motion": "议案"}[draft.kind]
    return f"{draft.meeting.name}{noun}表" if draft.meeting.body != "npc" else f"{draft.meeting.name}代表{noun}"


def _cell(cell, text: str, *, bold: bool = False) -> None:
    cell.text = ""
    run = cell.paragraphs[0].add_run(text)
    layout.set_font(run, layout.HEADING_FONT if bold else layout.BODY_FONT, Pt(12), bold=False)


def draft_docx(draft: Draft) -> bytes:
    document = layout.official_document()
    layout.title(document, form_title(draft))
    number = draft.proposal.number if draft.proposal_id else "（待编号）"
    layout.paragraph(document, f"编号：第{number}号", align=WD_ALIGN_PARAGRAPH.RIGHT, size=Pt(12))
    cosigners = [row.member for row in draft.cosigners.filter(state=CoSigner.State.CONFIRMED)
                 .select_related("member").order_by("order")]
    submitted = timezone.localtime(draft.submitted_at) if draft.submitted_at else None
    rows = [
        ("案由", draft.title),
        ("提案人" if draft.meeting.body != "npc" else "领衔代表",
         f"{draft.author.name}（{draft.author.sector or '—'}）"),
        ("联名人" if draft.meeting.body != "npc" else "附议代表",
         "；".join(f"{m.name}（{m.sector or '—'}）" for m in cosigners) or "无"),
        ("类别", draft.get_category_display()),
        ("联系电话", draft.phone or "—"),
        ("通信地址", draft.address or "—"),
        ("提交时间", f"{layout.chinese_date(submitted.date())} {submitted:%H:%M}" if submitted else "未提交"),
    ]
    table = document.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    for index, (label, value) in enumerate(rows):
        _cell(table.rows[index].cells[0], label, bold=True)
        _cell(table.rows[index].cells[1], value)
    first, second = draft.part_labels
    for heading, text in ((first, draft.analysis), (second, draft.suggestions)):
        layout.heading(document, heading)
        for line in text.splitlines():
            if line.strip():
                layout.body(document, line.strip())
    layout.page_numbers(document.sections[0])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_filename(draft: Draft) -> str:
    return f"提案表-{draft.title[:40] or draft.pk}.docx"
