"""GB/T 9704-2012 (党政机关公文格式) page and type for .docx files any app writes: A4, margins
top 37 mm / binding side 28 mm, body 3号仿宋 on a fixed 28.95 pt line (22 lines of 28
characters), titles 2号小标宋, headings 黑体, page numbers "— 1 —" in 4号宋体.

Fonts are named, not embedded. python-docx's font.name sets only the Latin slots: Chinese glyphs
take their font from w:eastAsia on each run.
"""

from __future__ import annotations

import datetime as dt

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"
SIZE_2, SIZE_3, SIZE_4, SIZE_5 = Pt(22), Pt(16), Pt(14), Pt(10.5)  # 二号, 三号, 四号, 五号
LINE_PITCH = Pt(28.95)


def chinese_date(day: dt.date) -> str:
    """成文日期 in Arabic numerals without leading zeros (GB/T 9704-2012 7.3.5.1): 2022年5月27日."""
    return f"{day.year}年{day.month}月{day.day}日"


def official_document():
    """A blank A4 document with the standard margins and the body type as its Normal style."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(20)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = LATIN_FONT, SIZE_3
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    return document


def set_font(run, east_asian: str, size, *, bold: bool = False, latin: str = LATIN_FONT):
    run.font.name, run.font.size, run.font.bold = latin, size, bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)
    return run


def paragraph(document, text: str = "", *, font: str = BODY_FONT, size=SIZE_3, align=None, first_line=None,
              bold: bool = False):
    """A paragraph on the fixed line pitch, no space before or after."""
    added = document.add_paragraph()
    layout = added.paragraph_format
    layout.line_spacing_rule, layout.line_spacing = WD_LINE_SPACING.EXACTLY, LINE_PITCH
    layout.space_before = layout.space_after = Pt(0)
    if align is not None:
        added.alignment = align
    if first_line is not None:
        layout.first_line_indent = first_line
    if text:
        set_font(added.add_run(text), font, size, bold=bold)
    return added


def title(document, text: str):
    return paragraph(document, text, font=TITLE_FONT, size=SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER)


def body(document, text: str):
    """A body paragraph indented two characters."""
    return paragraph(document, text, first_line=Pt(32))


def heading(document, text: str):
    return paragraph(document, text, font=HEADING_FONT, first_line=Pt(32))


def page_numbers(section) -> None:
    """"— 1 —" centred in the footer."""
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(footer.add_run("— "), NUMBER_FONT, SIZE_4, latin=NUMBER_FONT)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = set_font(footer.add_run("1"), NUMBER_FONT, SIZE_4, latin=NUMBER_FONT)
    run._r.addprevious(field)
    field.append(run._r)
    set_font(footer.add_run(" —"), NUMBER_FONT, SIZE_4, latin=NUMBER_FONT)
