"""A signed reply as a document: a .docx laid out as a Chinese official letter, and plain text.

Layout follows the elements of GB/T 9704-2012 (党政机关公文格式): A4 with the standard margins
(top 37 mm, binding side 28 mm; a 156 × 225 mm type area of 22 lines of 28 characters), the
issuing agency's mark in red over a red rule, the document number (发文字号), the title in
2号小标宋, the addressee (主送机关) flush left, the body in 3号仿宋 with headings in 黑体 and
楷体, the signing agency (署名) and date (成文日期) at the right with room for the seal, the
notes line (附注: contact person and phone, disclosure) and page numbers as "— 1 —".

Fonts are named, not embedded: the reader's machine supplies them. Chinese glyphs take their
font from w:eastAsia on each run (python-docx's font.name sets only the Latin slots).
"""

from __future__ import annotations

import datetime as dt
import io
import re

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from replies.models import Reply
from tracker.docx_layout import (
    BODY_FONT,
    HEADING_FONT,
    LATIN_FONT,
    LINE_PITCH,
    SIZE_2,
    SIZE_3,
    TITLE_FONT,
    chinese_date,
    official_document,
    page_numbers,
)

HEADING_1_FONT = HEADING_FONT
HEADING_2_FONT = "楷体_GB2312"
RED = RGBColor(0xE6, 0x00, 0x12)

DISCLOSURE_NOTES = {
    Reply.Disclosure.PUBLIC: "此件公开发布",
    Reply.Disclosure.ON_REQUEST: "此件依申请公开",
    Reply.Disclosure.NOT_PUBLIC: "此件不予公开",
}

_HEADING_1 = re.compile(r"^[一二三四五六七八九十]+、")
_HEADING_2 = re.compile(r"^[(（][一二三四五六七八九十]+[)）]")


class NotSigned(Exception):
    """Only a signed (or sent) reply is a document; a draft is not."""


def body_paragraphs(body: str) -> list[str]:
    return [line.strip().lstrip("\u3000").strip() for line in body.splitlines() if line.strip()]


def contact_line(reply: Reply) -> str:
    parts = []
    if reply.contact_person:
        parts.append(f"联系人：{reply.contact_person}")
    if reply.contact_phone:
        parts.append(f"联系电话：{reply.contact_phone}")
    return f"（{'，'.join(parts)}）" if parts else ""


def addressee_line(reply: Reply) -> str:
    return reply.addressee.rstrip(":：: ") + "："


def _require_signed(reply: Reply) -> None:
    if reply.state not in (Reply.State.SIGNED, Reply.State.SENT) and not reply.is_historical:
        raise NotSigned(reply.pk)


def reply_text(reply: Reply) -> str:
    """The letter as plain text, in the order the published letters in seeds/ have it."""
    _require_signed(reply)
    lines = []
    if reply.document_number:
        lines.append(reply.document_number)
    lines += [reply.title, "", addressee_line(reply)]
    lines += [f"\u3000\u3000{paragraph}" for paragraph in body_paragraphs(reply.body)]
    lines += ["", reply.signing_agency.name]
    if reply.signed_on:
        lines.append(chinese_date(reply.signed_on))
    for note in (contact_line(reply), f"（{DISCLOSURE_NOTES[reply.disclosure]}）"):
        if note:
            lines.append(note)
    return "\n".join(lines) + "\n"


# --- .docx ------------------------------------------------------------------------------------


def _font(run, east_asian: str, size, *, bold: bool = False, color: RGBColor | None = None, latin=LATIN_FONT):
    run.font.name = latin
    run.font.size = size
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)
    return run


def _paragraph(document, text: str = "", *, font: str = BODY_FONT, size=SIZE_3, align=None, first_line=None,
               right_indent=None, left_indent=None, bold=False, color=None):
    paragraph = document.add_paragraph()
    layout = paragraph.paragraph_format
    layout.line_spacing_rule, layout.line_spacing = WD_LINE_SPACING.EXACTLY, LINE_PITCH
    layout.space_before = layout.space_after = Pt(0)
    if align is not None:
        paragraph.alignment = align
    if first_line is not None:
        layout.first_line_indent = first_line
    if right_indent is not None:
        layout.right_indent = right_indent
    if left_indent is not None:
        layout.left_indent = left_indent
    if text:
        _font(paragraph.add_run(text), font, size, bold=bold, color=color)
    return paragraph


def _red_rule(paragraph) -> None:
    """The red line under the issuing agency's mark (版头中的分隔线)."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "6"), ("w:color", "E60012")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _width_in_chars(text: str) -> float:
    # CJK characters take a full em; Latin letters and digits about half.
    return sum(1 if ord(char) > 0x2E80 else 0.5 for char in text)


def reply_docx(reply: Reply) -> bytes:
    """The signed letter as .docx bytes, ready to print and seal."""
    _require_signed(reply)
    document = official_document()
    section = document.sections[0]

    agency = reply.signing_agency.name
    mark = _paragraph(document, agency, font=TITLE_FONT, size=SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER, color=RED)
    _red_rule(mark)
    # 信函格式: the document number sits at the right edge under the rule.
    _paragraph(document, reply.document_number, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(document)
    _paragraph(document, reply.title, font=TITLE_FONT, size=SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document)
    _paragraph(document, addressee_line(reply))
    for text in body_paragraphs(reply.body):
        font = HEADING_1_FONT if _HEADING_1.match(text) else HEADING_2_FONT if _HEADING_2.match(text) else BODY_FONT
        _paragraph(document, text, font=font, first_line=Pt(32))

    # Signature and date: the date 4 characters in from the right, the agency centred over it,
    # three blank lines above for the seal (GB/T 9704-2012 7.3.5.1).
    # The block from the seal space to the last note is kept on one page: the contact line never
    # stands alone at the top of a second page.
    block = [_paragraph(document) for _ in range(3)]
    date_text = chinese_date(reply.signed_on) if reply.signed_on else ""
    date_indent = 4
    name_indent = max(0.0, date_indent + (_width_in_chars(date_text) - _width_in_chars(agency)) / 2)
    block.append(_paragraph(document, agency, align=WD_ALIGN_PARAGRAPH.RIGHT, right_indent=Pt(16 * name_indent)))
    block.append(_paragraph(document, date_text, align=WD_ALIGN_PARAGRAPH.RIGHT, right_indent=Pt(16 * date_indent)))
    # 附注: under the date, two characters in, in parentheses.
    for note in (contact_line(reply), f"（{DISCLOSURE_NOTES[reply.disclosure]}）"):
        if note:
            block.append(_paragraph(document, note, first_line=Pt(32)))
    for paragraph in block[:-1]:
        paragraph.paragraph_format.keep_with_next = True
    page_numbers(section)

    _set_properties(document.core_properties, reply)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _set_properties(properties, reply: Reply) -> None:
    """The file's own properties say what the letter says, not what python-docx's template carried
    (author "python-docx", created 2013): title, author = the signing agency, created = 落款日期."""
    agency = reply.signing_agency.name
    signed = dt.datetime.combine(reply.signed_on, dt.time(9)) if reply.signed_on else None
    properties.title = reply.title
    properties.subject = reply.document_number or f"{reply.proposal.number_label}{reply.proposal.get_kind_display()}答复"
    properties.author = properties.last_modified_by = agency
    properties.category = "答复函"
    properties.comments = properties.keywords = ""
    properties.language = "zh-CN"
    properties.revision = 1
    if signed is not None:
        properties.created = properties.modified = signed
        properties.last_printed = signed


def document_filename(reply: Reply, extension: str) -> str:
    """Named as the office files it: after its 文号 (穗科函〔2022〕123号.docx), else after the
    proposal it answers (政协十四届一次会议第2053号提案答复函.docx); never an internal id."""
    proposal = reply.proposal
    label = reply.document_number or f"{proposal.number_label}{proposal.get_kind_display()}答复函"
    return f"{label}.{extension}"
