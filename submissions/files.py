"""Attachments a member uploads: PDF, Word and images only, checked by content, not by name."""

from __future__ import annotations

import io
import os
import zipfile

from tracker.errors import WorkflowError
from tracker.untrusted import check_zip_archive

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 10
# What each allowed extension's content starts with; a .docx is a zip holding word/document.xml.
SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    ".docx": (b"PK\x03\x04",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
}
ALLOWED = "PDF、Word（.doc、.docx）、JPG、PNG"


def _refuse(code: str, zh: str, en: str) -> WorkflowError:
    return WorkflowError(code, zh, en, field="file")


def check_size(size: int) -> None:
    """Refuse an upload over the limit before reading it."""
    if size > MAX_BYTES:
        raise _refuse("file_too_large", f"附件不能超过{MAX_BYTES // 1024 // 1024}MB",
                      f"An attachment may be at most {MAX_BYTES} bytes.")


def check_upload(name: str, data: bytes) -> None:
    """Refuse a file of another type, over the size, or whose content is not what its name says."""
    extension = os.path.splitext(name)[1].lower()
    if extension not in SIGNATURES:
        raise _refuse("file_type", f"附件只能是{ALLOWED}文件", "Attachments are PDF, Word, JPG or PNG files.")
    check_size(len(data))
    if not data:
        raise _refuse("file_empty", "附件是空文件", "The attachment is empty.")
    if not data.startswith(SIGNATURES[extension]):
        raise _refuse("file_mismatch", f"附件内容与扩展名“{extension}”不符",
                      "The file's content does not match its extension.")
    if extension == ".docx":
        check_zip_archive(data, what="该附件")
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "word/document.xml" not in archive.namelist():
                raise _refuse("file_mismatch", "附件内容与扩展名“.docx”不符",
                              "The file's content does not match its extension.")
