"""Read a spreadsheet the submission system exported into rows of text, whatever its format.

.xlsx through openpyxl, .xls through xlrd, .csv in UTF-8 (with or without BOM) or GB18030.
A merged range gives its value to every cell it covers: offices merge 界别 over the rows of one
sector, and titles over the whole width.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from tracker.errors import WorkflowError

SUPPORTED = (".xlsx", ".xls", ".csv")


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
    """Every row of the file's first sheet, empty ones included (their numbers stay right)."""
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


def _read_xlsx(data: bytes) -> list[SheetRow]:
    from openpyxl import load_workbook

    # Not read_only: merged ranges are only known to a fully loaded sheet.
    workbook = load_workbook(io.BytesIO(data), data_only=True)
    sheet = workbook.worksheets[0]
    grid = [list(row) for row in sheet.iter_rows(values_only=True)]
    for merged in sheet.merged_cells.ranges:
        _spread(grid, merged.min_row - 1, merged.max_row - 1, merged.min_col - 1, merged.max_col - 1)
    return [SheetRow(index, tuple(cells)) for index, cells in enumerate(grid, start=1)]


def _read_xls(data: bytes) -> list[SheetRow]:
    import xlrd

    book = xlrd.open_workbook(file_contents=data, formatting_info=True)
    sheet = book.sheet_by_index(0)
    grid = []
    for row_index in range(sheet.nrows):
        row = []
        for col_index in range(sheet.ncols):
            cell = sheet.cell(row_index, col_index)
            if cell.ctype == xlrd.XL_CELL_DATE:
                row.append(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
            else:
                row.append(cell.value)
        grid.append(row)
    for first_row, end_row, first_col, end_col in sheet.merged_cells:
        _spread(grid, first_row, end_row - 1, first_col, end_col - 1)
    return [SheetRow(index, tuple(cells)) for index, cells in enumerate(grid, start=1)]


def _spread(grid: list[list], top: int, bottom: int, left: int, right: int) -> None:
    value = grid[top][left]
    for row in grid[top:bottom + 1]:
        if len(row) <= right:
            row.extend([None] * (right + 1 - len(row)))
        for col in range(left, right + 1):
            row[col] = value


def decode_csv(data: bytes) -> str:
    """UTF-8 (a BOM is dropped) or, failing that, GB18030: what Chinese Excel saves as 'CSV'."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as error:
        raise WorkflowError(
            "csv_encoding", "CSV 文件编码无法识别,请另存为 UTF-8 或 GB18030 编码",
            "The CSV file is neither UTF-8 nor GB18030.", field="file",
        ) from error


def _read_csv(data: bytes) -> list[SheetRow]:
    text = decode_csv(data)
    rows = []
    reader = csv.reader(io.StringIO(text, newline=""))
    for cells in reader:
        # A quoted cell with line breaks spans lines: number by record as a spreadsheet program does.
        rows.append(SheetRow(len(rows) + 1, tuple(cells)))
    return rows
