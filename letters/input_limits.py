"""How much of a document the letter importer reads, checked before anything parses it.

A reply letter is a few pages; a policy document some dozens. A file far past that (a 200 MB
PDF, a PDF of 10,000 pages, a saved page with 100 MB of text, a .docx that inflates to
gigabytes) is refused at once with a message naming the limit, before python-docx, pdfminer or
the HTML reader sees it: each of them would take minutes and gigabytes on such a file.

Each check returns the refusal as (code, Chinese, English), or None; letters.normalize raises it as
its UnreadableDocument, so every reader of letters reports it as any unreadable file.
"""

from __future__ import annotations

import io
from pathlib import Path

from tracker.errors import WorkflowError
from tracker.untrusted import check_zip_archive

MAX_BINARY_BYTES = 20 * 1024 * 1024  # .docx and .pdf: photos and fonts inside
MAX_TEXT_BYTES = 5 * 1024 * 1024  # .txt and saved web pages
MAX_DOCX_INFLATED_BYTES = 50 * 1024 * 1024
MAX_PDF_PAGES = 200
MAX_TEXT_CHARS = 1_000_000


def _mb(size: int) -> int:
    return size // (1024 * 1024)


def read_document(path: Path) -> bytes:
    """A file's bytes, never more than the largest document allowed (and one byte to tell)."""
    with open(path, "rb") as handle:
        return handle.read(MAX_BINARY_BYTES + 1)


Refusal = tuple[str, str, str] | None


def document_refusal(data: bytes) -> Refusal:
    """Why the file is past a limit, or None; looks at no more than it must."""
    is_pdf = data[:1024].lstrip()[:5] == b"%PDF-"
    binary = is_pdf or data.startswith(b"PK\x03\x04")
    limit = MAX_BINARY_BYTES if binary else MAX_TEXT_BYTES
    if len(data) > limit:
        return ("too_large", f"文件超过 {_mb(limit)} MB（{'Word、PDF' if binary else '文本、网页'}文件的上限），未读取",
                f"the file is over {_mb(limit)} MB; it was not read")
    if data.startswith(b"PK\x03\x04"):
        return _docx_refusal(data)
    if is_pdf:
        return _pdf_pages_refusal(data)
    return None


def text_refusal(text: str) -> Refusal:
    if len(text) > MAX_TEXT_CHARS:
        return ("too_long", f"文件的文字超过 {MAX_TEXT_CHARS // 10000} 万字，不是一份公开文书，未读取",
                f"the text is over {MAX_TEXT_CHARS} characters; it was not read")
    return None


def _docx_refusal(data: bytes) -> Refusal:
    try:
        check_zip_archive(data, what="该 Word 文件", max_inflated=MAX_DOCX_INFLATED_BYTES)
    except WorkflowError as error:
        return (error.code, error.zh, error.en)
    return None


def _pdf_pages_refusal(data: bytes) -> Refusal:
    """The page count the PDF's page tree declares; a damaged file is left to the reader, which
    says so (and reads at most MAX_PDF_PAGES pages whatever the tree says)."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
        count = int(resolve1(resolve1(document.catalog.get("Pages")).get("Count")))
    except Exception:  # noqa: BLE001 - pdfminer raises many kinds for damaged files; the reader reports them
        return None
    if count > MAX_PDF_PAGES:
        return ("too_many_pages", f"PDF 共 {count} 页，超过 {MAX_PDF_PAGES} 页的上限，未读取",
                f"the PDF has {count} pages, over the limit of {MAX_PDF_PAGES}")
    return None
