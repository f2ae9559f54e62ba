"""Read a spreadsheet the submission system exported into rows of text, whatever its format.

.xlsx through openpyxl, .xls through xlrd, .csv in UTF-8 (with or without BOM) or GB18030.
A merged range gives its value to every cell it covers: offices merge 界别 over the rows of one
sector, and titles over the whole width.

The file comes from outside, so it is read as a stream and stops early: an .xlsx is checked for
its inflated size before openpyxl opens it (read-only mode, row by row), a .csv is decoded row by
row, and a sheet with more rows than any meeting has is refused as soon as the reader passes
them. Empty rows are not kept (the rows kept carry their numbers).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from xml.etree import ElementTree

from tracker.errors import WorkflowError
from tracker.untrusted import check_zip_archive

SUPPORTED = (".xlsx", ".xls", ".csv")
MAX_FILE_BYTES = 50 * 1024 * 1024
# A meeting has at most some ten thousand proposals; title rows and blank lines come on top.
MAX_PROPOSAL_ROWS = 10_000
ROW_LIMIT = MAX_PROPOSAL_ROWS + 100
CSV_ENCODINGS = "UTF-8、GB18030（含 GBK、GB2312）"


@dataclass(frozen=True)
class SheetRow:
    """One row as the clerk sees it in the program that opened the file (numbered from 1)."""

    number: int
    cells: tuple[object, ...]

    @property
    def is_empty(self) -> bool:
        return all(cell_text(cell) == "" for cell in self.cells)


def cell_text(value) -> str:
    """A cell as text: 1002.0 → 1002, a date as 2026-01-12, None as ''."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).replace("\u3000", " ").strip()


def read_rows(name: str, data: bytes) -> list[SheetRow]:
    """The non-empty rows of the file's first sheet, each with its row number."""
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    readers = {".xlsx": _read_xlsx, ".xls": _read_xls, ".csv": _read_csv}
    if suffix not in readers:
        raise WorkflowError(
            "unsupported_file", f"不支持的文件类型“{suffix or name}”,请上传 .xlsx、.xls 或 .csv 文件",
            "Upload an .xlsx, .xls or .csv file.", field="file",
        )
    try:
        return readers[suffix](data)
    except WorkflowError:
        raise
    except Exception as error:  # a corrupt or mislabelled file: each library raises its own kinds
        raise WorkflowError(
            "unreadable_file", f"无法读取该文件(可能已损坏或扩展名与内容不符):{error.__class__.__name__}",
            "The file cannot be read.", field="file",
        ) from error


class _Rows:
    """Collects the non-empty rows and refuses the sheet as soon as it passes the row limit."""

    def __init__(self) -> None:
        self.rows: list[SheetRow] = []

    def add(self, number: int, cells) -> None:
        row = SheetRow(number, tuple(cells))
        if row.is_empty:
            return
        if len(self.rows) >= ROW_LIMIT:
            raise WorkflowError(
                "too_many_rows",
                f"文件超过 {ROW_LIMIT} 行，未读取。一次会议的提案（建议）最多约 {MAX_PROPOSAL_ROWS} 件，"
                "请检查是否选错了文件，或删去多余的行后重新上传",
                f"The sheet has more than {ROW_LIMIT} rows; a meeting has at most about {MAX_PROPOSAL_ROWS}.",
                field="file",
            )
        self.rows.append(row)


def _read_xlsx(data: bytes) -> list[SheetRow]:
    check_zip_archive(data, what="该文件")
    reader = _first_sheet_reader()(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    reader.read()
    workbook = reader.wb
    try:
        sheet = workbook.worksheets[0]
        collected = _Rows()
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            collected.add(number, cells)
        merged = _merged_ranges(workbook, sheet)
    finally:
        workbook.close()
    return _with_merged_values(collected.rows, merged)


def _first_sheet_reader():
    """openpyxl's read-only workbook reader, opening the first worksheet only and without its
    size: to size a sheet, openpyxl parses it whole when <dimension> is missing (a forged file
    omits it), and a forged <dimension> would pad every row to 16,384 columns."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    class UnsizedSheet(ReadOnlyWorksheet):
        def _get_size(self):
            self._min_column, self._min_row, self._max_column, self._max_row = 1, 1, None, None

    class FirstSheetReader(ExcelReader):
        def read_worksheets(self):
            for sheet, rel in self.parser.find_sheets():
                if rel.target in self.valid_files and "chartsheet" not in rel.Type:
                    self.wb._sheets.append(UnsizedSheet(self.wb, sheet.name, rel.target, self.shared_strings))
                    return
            raise WorkflowError("no_sheet", "文件中没有工作表", "The workbook has no worksheet.", field="file")

    return FirstSheetReader


def _merged_ranges(workbook, sheet) -> list[tuple[int, int, int, int]]:
    """(top, bottom, left, right), 1-based: read-only sheets do not parse <mergeCells>, so the
    sheet's XML is streamed once more for them alone."""
    from openpyxl.utils.cell import range_boundaries

    ranges = []
    with workbook._archive.open(sheet._worksheet_path) as source:
        for _, element in ElementTree.iterparse(source):
            if element.tag.endswith("}mergeCell") and element.get("ref"):
                left, top, right, bottom = range_boundaries(element.get("ref"))
                ranges.append((top, bottom, left, right))
            element.clear()
    return ranges


def _with_merged_values(rows: list[SheetRow], merged) -> list[SheetRow]:
    if not merged:
        return rows
    by_number = {row.number: list(row.cells) for row in rows}
    last = max(by_number, default=0)  # a range merged down to the sheet's end stops at its data
    for top, bottom, left, right in merged:
        value = by_number.get(top, [])[left - 1] if left - 1 < len(by_number.get(top, [])) else None
        for number in range(top, min(bottom, last) + 1):
            cells = by_number.setdefault(number, [])
            if len(cells) < right:
                cells.extend([None] * (right - len(cells)))
            for col in range(left - 1, right):
                cells[col] = value
    collected = _Rows()
    for number in sorted(by_number):
        collected.add(number, by_number[number])
    return collected.rows


def _read_xls(data: bytes) -> list[SheetRow]:
    import xlrd

    book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
    sheet = book.sheet_by_index(0)
    collected = _Rows()
    for row_index in range(sheet.nrows):
        row = []
        for col_index in range(sheet.ncols):
            cell = sheet.cell(row_index, col_index)
            if cell.ctype == xlrd.XL_CELL_DATE:
                row.append(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
            else:
                row.append(cell.value)
        collected.add(row_index + 1, row)  # refuses past the limit before the next row is read
    merged = [(top + 1, bottom, left + 1, right) for top, bottom, left, right in sheet.merged_cells]
    book.release_resources()
    return _with_merged_values(collected.rows, merged)


def _read_csv(data: bytes) -> list[SheetRow]:
    """UTF-8 (a BOM is dropped) or, failing that, GB18030, what Chinese Excel saves as 'CSV';
    decoded and split row by row. Another encoding is refused by name."""
    try:
        return _csv_rows(data, "utf-8-sig")
    except UnicodeDecodeError:
        pass
    if _looks_like_big5(data):
        raise _encoding_refused("该文件似乎是繁体中文 Big5 编码")
    try:
        return _csv_rows(data, "gb18030")
    except UnicodeDecodeError as error:
        raise _encoding_refused("无法识别该文件的编码") from error


def _csv_rows(data: bytes, encoding: str) -> list[SheetRow]:
    collected = _Rows()
    with io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="") as text:
        # A quoted cell with line breaks spans lines: number by record as a spreadsheet program does.
        for number, cells in enumerate(csv.reader(text), start=1):
            collected.add(number, cells)
    return collected.rows


def _encoding_refused(what: str) -> WorkflowError:
    return WorkflowError(
        "csv_encoding", f"{what}，本导入只读取 {CSV_ENCODINGS}编码的 CSV。"
        "请在 Excel 或 WPS 中“另存为”CSV UTF-8 格式后重新上传",
        "The CSV is in an encoding the import does not read (it reads UTF-8 and GB18030).", field="file",
    )


def _looks_like_big5(data: bytes) -> bool:
    """Big5 bytes decode as GB18030 too, into characters a simplified Chinese sheet does not use
    (rare ideographs, kana): many of those, and a clean Big5 reading, say the file is Big5."""
    sample = data[:65536]
    try:
        sample.decode("big5hkscs")
    except UnicodeDecodeError as error:
        if error.start < len(sample) - 2:  # only a character cut at the sample's end is forgiven
            return False
    read_as_gb = [ch for ch in sample.decode("gb18030", errors="ignore") if ord(ch) > 0x7F]
    if len(read_as_gb) < 4:
        return False
    uncommon = sum(1 for ch in read_as_gb if not _in_gb2312(ch))
    return uncommon / len(read_as_gb) > 0.2


def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True
