"""A signed reply as a .docx (GB/T 9704 elements) and as plain text like the seed letters."""

from __future__ import annotations

import io

import pytest
from docx import Document
from docx.oxml.ns import qn

from replies import documents
from replies.models import Reply

pytestmark = pytest.mark.django_db


def read_back(reply: Reply):
    return Document(io.BytesIO(documents.reply_docx(reply)))


def texts(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.text.strip()]


def test_signed_reply_exports_to_a_docx_that_reads_back(signed):
    document = read_back(signed)
    lines = texts(document)
    assert document.core_properties.title == signed.title
    assert document.core_properties.subject == "穗科函〔2022〕123号"
    # The GB/T 9704 elements, in their order: agency mark, number, title, addressee, body,
    # signing agency, date, notes.
    assert lines[:4] == ["广州市科学技术局", "穗科函〔2022〕123号", signed.title, "张建山委员："]
    assert lines[4].startswith("您提出的《关于促进人工智能产业健康发展的提案》收悉")
    assert lines[-4:] == ["广州市科学技术局", "2022年5月27日", "（联系人：杨欣卉，联系电话：83124132）", "（此件公开发布）"]


def test_docx_layout_follows_the_standard(signed):
    document = read_back(signed)
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4
    assert (round(section.top_margin.mm), round(section.left_margin.mm)) == (37, 28)
    by_text = {p.text: p for p in document.paragraphs}
    title_run = by_text[signed.title].runs[0]
    assert title_run._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    assert title_run.font.size.pt == 22
    body_run = by_text["出台《广州市智能网联车辆道路测试指导意见》,明确测试主体的安全责任。"].runs[0]
    assert body_run._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312" and body_run.font.size.pt == 16
    assert by_text["一、有关工作开展情况"].runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    assert by_text["(一)完善智能驾驶法律法规制度体系。"].runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "楷体_GB2312"
    footer = section.footer.paragraphs[0]._p.xml
    assert 'w:instr="PAGE"' in footer  # page numbers — 1 —


def test_plain_text_reads_like_the_published_letters(signed):
    text = documents.reply_text(signed)
    lines = text.splitlines()
    assert lines[:4] == ["穗科函〔2022〕123号", signed.title, "", "张建山委员："]
    assert lines[4] == "\u3000\u3000您提出的《关于促进人工智能产业健康发展的提案》收悉。我局高度重视,会同有关单位认真研究办理,现答复如下:"
    assert lines[-4:] == ["广州市科学技术局", "2022年5月27日", "（联系人：杨欣卉，联系电话：83124132）", "（此件公开发布）"]


def test_a_letter_without_a_phone_leaves_it_out(assignment, agency_staff, agency_reviewer):
    from tests.replies.builders import walk_reply

    reply = walk_reply(assignment, staff=agency_staff, reviewer=agency_reviewer, to="signed", contact_phone="",
                       disclosure=Reply.Disclosure.ON_REQUEST, nondisclosure_reason="涉及商业信息")
    lines = documents.reply_text(reply).splitlines()
    assert lines[:2] == [reply.document_number, reply.title]
    assert lines[-2:] == ["（联系人：杨欣卉）", "（此件依申请公开）"]
    assert texts(read_back(reply))[2] == reply.title


def test_a_draft_is_not_a_document(draft):
    with pytest.raises(documents.NotSigned):
        documents.reply_docx(draft)
    with pytest.raises(documents.NotSigned):
        documents.reply_text(draft)


def test_chinese_date_has_no_leading_zeros():
    import datetime as dt

    assert documents.chinese_date(dt.date(2020, 9, 9)) == "2020年9月9日"


def test_a_seed_letter_redrafted_and_signed_round_trips(clerk, agency_staff, agency_reviewer, agency):
    """seeds/001 (穗工信函〔2020〕155号 to 叶君代表) drafted, signed and exported again."""
    import datetime as dt
    from pathlib import Path

    from django.conf import settings

    from proposals import workflow as proposal_workflow
    from tests.factories import MemberFactory, assigned_proposal, assignment_of
    from tests.replies.builders import walk_reply

    seed = (Path(settings.BASE_DIR) / "seeds" / "001_dd0c4446925ebb56.txt").read_text(encoding="utf-8").splitlines()
    body = seed[seed.index("叶君代表:") + 1: seed.index("此复")]
    proposal = assigned_proposal(by=clerk, lead=agency, proposers=[MemberFactory(name="叶君")])
    assignment = proposal_workflow.sign_for_assignment(assignment=assignment_of(proposal, agency), by=agency_staff)
    reply = walk_reply(assignment, staff=agency_staff, reviewer=agency_reviewer, to="in_review",
                       title="关于应用“智能+”,促进大数据、人工智能带动传统产业升级的建议的答复", addressee="叶君代表",
                       body="\n".join(body), contact_person="陈成", contact_phone="83123879")
    from replies import workflow

    reply = workflow.sign_off_reply(reply=reply, by=agency_reviewer, document_number="穗工信函[2020]155号",
                                    signed_on=dt.date(2020, 9, 9))
    document = read_back(reply)
    lines = texts(document)
    assert (document.core_properties.title, document.core_properties.subject) == (reply.title, "穗工信函〔2020〕155号")
    assert lines[1:4] == ["穗工信函〔2020〕155号", reply.title, "叶君代表："]
    assert "2020年9月9日" in lines and lines.count(body[0]) == 1
    text = documents.reply_text(reply)
    assert "（联系人：陈成，联系电话：83123879）" in text and text.count("\u3000\u3000") == len(body)


def test_a_typed_salutation_and_contact_line_appear_once(assignment, agency_staff, agency_reviewer):
    from tests.replies.builders import LETTER_BODY, walk_reply

    typed = f"张建山委员：\n{LETTER_BODY}\n（联系人：杨欣卉，联系电话：83124132）"
    reply = walk_reply(assignment, staff=agency_staff, reviewer=agency_reviewer, to="signed", body=typed)

    lines = texts(read_back(reply))
    assert lines.count("张建山委员：") == 1
    assert lines.count("（联系人：杨欣卉，联系电话：83124132）") == 1
    assert not reply.body.startswith("张建山委员") and "联系人" not in reply.body  # the member's and public pages too


def test_the_signature_date_and_notes_stay_on_one_page(signed):
    paragraphs = read_back(signed).paragraphs
    date = next(i for i, p in enumerate(paragraphs) if p.text == "2022年5月27日")
    block = paragraphs[date - 4:]  # three blank lines for the seal, the agency, the date, the notes

    assert [bool(p.paragraph_format.keep_with_next) for p in block] == [True] * (len(block) - 1) + [False]


def test_the_letter_form_says_what_it_adds_itself(client, assignment, held, agency_staff):
    from django.urls import reverse

    client.force_login(agency_staff)
    form = client.get(reverse("admin:replies_reply_add") + f"?assignment={assignment.pk}").content.decode()

    assert "称呼按“主送”、文末的联系人和联系电话按下方两栏自动加上" in form
