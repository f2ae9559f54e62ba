"""Checks on files and text from outside, made before anything parses them.

An .xlsx or .docx is a zip archive: a 1 MB file may inflate to gigabytes (a zip bomb) and take the
process with it. `check_zip_archive` reads only the archive's directory, then inflates each member
in small chunks counting the bytes, and refuses past a total size or a compression ratio no
spreadsheet or letter has. `control_character` finds the characters (NUL and the other C0/C1
controls) that no title or name holds and that PostgreSQL or an XLSX file cannot store.
"""

from __future__ import annotations

import io
import re
import zipfile

from tracker.errors import WorkflowError

# A meeting's sheet with every body in it inflates to some tens of MB; letters to a few.
MAX_INFLATED_BYTES = 100 * 1024 * 1024
# XML compresses some ten times; a member inflating over a hundred times its stored size is built
# to do so. Small members are let through whatever their ratio (an empty styles part).
MAX_RATIO = 100
RATIO_FROM_BYTES = 1024 * 1024
_CHUNK = 1024 * 1024

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _refuse(what: str, why: str, why_en: str) -> WorkflowError:
    return WorkflowError("archive_refused", f"{what}{why}，未读取", f"{why_en}; the file was not read.",
                         field="file")


def check_zip_archive(data: bytes, *, what: str = "该文件", max_inflated: int = MAX_INFLATED_BYTES) -> None:
    """Refuse a zip-based file (.xlsx, .docx) that inflates past the limits; reads no content."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as error:
        raise WorkflowError("unreadable_file", f"无法读取{what}：已损坏，或不是有效的 Office 文件",
                            "The file is damaged or not an Office file.", field="file") from error
    limit_mb = max_inflated // (1024 * 1024)
    declared = sum(member.file_size for member in members)
    if declared > max_inflated:
        raise _refuse(what, f"解压后达 {declared // (1024 * 1024)} MB，超过 {limit_mb} MB 的上限（疑为压缩炸弹）",
                      f"It would inflate to {declared} bytes, over the limit")
    for member in members:
        if member.file_size > RATIO_FROM_BYTES and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise _refuse(what, f"中的 {member.filename} 压缩比超过 {MAX_RATIO} 倍（疑为压缩炸弹）",
                          f"{member.filename} is compressed over {MAX_RATIO} times")
    _check_actual_sizes(archive, members, what, max_inflated)


def _check_actual_sizes(archive: zipfile.ZipFile, members, what: str, max_inflated: int) -> None:
    # The directory may lie: inflate each member in chunks and count what actually comes out.
    total = 0
    try:
        for member in members:
            with archive.open(member) as stream:
                while chunk := stream.read(_CHUNK):
                    total += len(chunk)
                    if total > max_inflated:
                        raise _refuse(what, f"解压后超过 {max_inflated // (1024 * 1024)} MB 的上限（疑为压缩炸弹）",
                                      "It inflates over the limit")
    except WorkflowError:
        raise
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError, ValueError) as error:
        # A CRC mismatch, an unknown compression method, an encrypted member, a cut-off stream.
        raise WorkflowError("unreadable_file", f"无法读取{what}：已损坏或已加密",
                            "The file is damaged or encrypted.", field="file") from error


def control_character(text: str) -> str | None:
    """The first control character in `text` as U+XXXX, or None. Tabs and line breaks are text."""
    match = CONTROL_CHARACTERS.search(text)
    return f"U+{ord(match.group()):04X}" if match else None
