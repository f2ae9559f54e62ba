"""How much of a document the letter importer reads, checked before anything parses it.

A reply letter is a few pages; a policy document some dozens. A file far past that (a 200 MB
PDF, a PDF of 10,000 pages, a saved page with 100 MB of text, a .docx that inflates to
gigabytes) is refused at once with a message naming the limit, before python-docx, pdfminer or
the HTML reader sees it: each of them would take minutes and gigabytes on such a file.
"""

from __future__ import annotations

import io
from pathlib import Path

from letters.normalize import MAX_PDF_PAGES, UnreadableDocument
from tracker.errors import WorkflowError
from tracker.untrusted import check_zip_archive

MAX_BINARY_BYTES = 20 * 1024 * 1024  # .docx and .pdf: photos and fonts inside
MAX_TEXT_BYTES = 5 * 1024 * 1024  # .txt and saved web pages
MAX_DOCX_INFLATED_BYTES = 50 * 1024 * 1024
MAX_TEXT_CHARS = 1_000_000


def _mb(size: int) -> int:
    return size // (1024 * 1024)


def read_document(path: Path) -> bytes:
    """A file's bytes, never more than the largest document allowed (and one byte to tell)."""
    with open(path, "rb") as handle:
        return handle.read(MAX_BINARY_BYTES + 1)


def check_document(data: bytes) -> None:
    """Raise UnreadableDocument when the file is past a limit; reads no more than it must."""
    is_pdf = data[:1024].lstrip()[:5] == b"%PDF-"
    binary = is_pdf or data.startswith(b"PK\x03\x04")
    limit = MAX_BINARY_BYTES if binary else MAX_TEXT_BYTES
    if len(data) > limit:
        raise UnreadableDocument(
            "too_large", f"文件超过 {_mb(limit)} MB（{'Word、PDF' if binary else '文本、网页'}文件的上限），未读取",
            f"the file is over {_mb(limit)} MB; it was not read",
        )
    if data.startswith(b"PK\x03\x04"):
        _check_docx(data)
    elif is_pdf:
        _check_pdf_pages(data)


def check_text(text: str) -> None:
    if len(text) > MAX_TEXT_CHARS:
        raise UnreadableDocument(
            "too_long", f"文件的文字超过 {MAX_TEXT_CHARS // 10000} 万字，不是一份公开文书，未读取",
            f"the text is over {MAX_TEXT_CHARS} characters; it was not read",
        )


def _check_docx(data: bytes) -> None:
    try:
        check_zip_archive(data, what="该 Word 文件", max_inflated=MAX_DOCX_INFLATED_BYTES)
    except WorkflowError as error:
        raise UnreadableDocument(error.code, error.zh, error.en) from error


def _check_pdf_pages(data: bytes) -> None:
    """The page count the PDF's page tree declares; a damaged file is left to the reader, which
    says so (and reads at most MAX_PDF_PAGES pages whatever the tree says)."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
        count = int(resolve1(resolve1(document.catalog.get("Pages")).get("Count")))
    except Exception:  # noqa: BLE001 - pdfminer raises many kinds for damaged files; read_pdf reports them
        return
    if count > MAX_PDF_PAGES:
        raise UnreadableDocument(
            "too_many_pages", f"PDF 共 {count} 页，超过 {MAX_PDF_PAGES} 页的上限，未读取",
            f"the PDF has {count} pages, over the limit of {MAX_PDF_PAGES}",
        )
