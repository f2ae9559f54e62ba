"""Letters as offices publish them and clerks save them: a web page saved by the browser (GB2312 or
GBK pages too), a .docx, a PDF with a text layer; a scanned PDF is refused with a clear error
that names the file. Every fixture is built here, small."""

import io
from pathlib import Path

import docx
import pytest
from django.core.management import CommandError, call_command
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from letters.normalize import UnreadableDocument
from letters.parser import parse_document
from letters.services import load_document

LINES = [
    "某某市民政局关于市政协五届二次会议第31号提案的答复",
    "张三委员:",
    "您提出的《关于发展社区养老服务的提案》收悉,现答复如下:",
    "我局已在全市建成社区养老服务站120个,下一步将加快建设。",
    "某某市民政局",
    "2023年5月6日",
    "(联系人:李四,联系电话:0123-4567890)",
]


def assert_read_right(record: dict) -> None:
    assert record["doc_type"] == "reply"
    assert record["number"] == "31"
    assert record["title"] == "关于发展社区养老服务的提案"
    assert record["proposers"] == ["张三"]
    assert record["lead_agency"] == "某某市民政局"
    assert record["signed_on"] == "2023-05-06"
    assert (record["contact_person"], record["contact_phone"]) == ("李四", "0123-4567890")


def saved_page(charset: str, declaration: str) -> str:
    paragraphs = "".join(f"<p>{line}</p>" for line in LINES)
    return (
        "<!-- saved from url=(0042)http://www.example.gov.cn/art/2023/31.html -->\n"
        f"<html><head>{declaration.format(charset=charset)}<title>{LINES[0]}</title>"
        "<script>var a = '<p>不是正文</p>';</script></head><body>"
        "<div>您当前的位置:首页 &gt; 建议提案办理</div>"
        f"<div class=\"content\">{paragraphs}</div><div>版权所有 某某市人民政府</div></body></html>"
    )


@pytest.mark.parametrize("charset", ["gb2312", "GBK", "utf-8"])
@pytest.mark.parametrize("declaration", [
    '<meta charset="{charset}">',
    '<meta http-equiv="Content-Type" content="text/html; charset={charset}">',
])
def test_a_web_page_saved_by_the_browser(charset, declaration):
    encoding = "gb18030" if charset.lower() in ("gb2312", "gbk") else "utf-8"
    data = saved_page(charset, declaration).encode(encoding)

    document = parse_document(data, filename="31.html")

    assert_read_right(document.as_dict())
    assert "不是正文" not in document.text and "&gt;" not in document.text


def test_a_page_that_declares_the_wrong_charset_is_still_read():
    data = saved_page("utf-8", '<meta charset="{charset}">').encode("gb18030")  # saved as GBK after all

    assert_read_right(parse_document(data, filename="31.html").as_dict())


def test_a_docx_letter():
    word = docx.Document()
    for line in LINES:
        word.add_paragraph(line)
    buffer = io.BytesIO()
    word.save(buffer)

    assert_read_right(parse_document(buffer.getvalue(), filename="31.docx").as_dict())


def pdf_with_text(lines: list[str]) -> bytes:
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.setFont("STSong-Light", 11)
    for index, line in enumerate(lines):
        page.drawString(40, 800 - 20 * index, line)
    page.save()
    return buffer.getvalue()


def scanned_pdf() -> bytes:
    """A page with only drawn shapes, as a scan is only an image: no text layer."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.rect(40, 400, 300, 300, fill=1)
    page.save()
    return buffer.getvalue()


def test_a_pdf_with_a_text_layer():
    assert_read_right(parse_document(pdf_with_text(LINES), filename="31.pdf").as_dict())


def test_a_scanned_pdf_is_refused_naming_the_file(tmp_path, db):
    scan = tmp_path / "扫描件31.pdf"
    scan.write_bytes(scanned_pdf())

    with pytest.raises(UnreadableDocument) as caught:
        parse_document(scan.read_bytes(), filename=scan.name)
    outcome = load_document(scan)

    assert caught.value.code == "scanned_pdf"
    assert outcome.status == "failed"
    assert outcome.message.startswith("扫描件31.pdf:") and "扫描件 PDF,没有可提取的文字" in outcome.message


def test_parse_letter_names_the_scanned_file_and_reads_the_others(tmp_path):
    scan, text_pdf = tmp_path / "scan.pdf", tmp_path / "text.pdf"
    scan.write_bytes(scanned_pdf())
    text_pdf.write_bytes(pdf_with_text(LINES))
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(CommandError):
        call_command("parse_letter", str(scan), str(text_pdf), "--json", stdout=out, stderr=err)

    assert err.getvalue().startswith(f"{scan}: 这是扫描件 PDF")
    assert '"number": "31"' in out.getvalue()


def test_load_seed_letters_takes_pdf_files(tmp_path, db):
    (tmp_path / "31.pdf").write_bytes(pdf_with_text(LINES))

    call_command("load_seed_letters", str(tmp_path), stdout=io.StringIO(), stderr=io.StringIO())

    from proposals.models import Proposal

    assert Proposal.objects.get(number="31").title == "关于发展社区养老服务的提案"


def test_the_fixture_letter_is_what_the_formats_carry():
    assert_read_right(parse_document("\n".join(LINES), filename="31.txt").as_dict())
    assert Path(__file__).name == "test_input_formats.py"
