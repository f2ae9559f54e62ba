"""Spreadsheets made in the test, as the submission systems export them."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook

HEADER = ["案号", "案由", "提案人", "联名人", "界别", "类别", "提交日期", "内容", "重点提案"]


def xlsx(rows: list[list], *, title_rows: list[str] = (), merges: list[str] = ()) -> bytes:
    """An .xlsx whose first sheet has the title rows (merged across the width), then `rows`."""
    workbook = Workbook()
    sheet = workbook.active
    width = max(len(row) for row in rows)
    for index, title in enumerate(title_rows, start=1):
        sheet.cell(row=index, column=1, value=title)
        sheet.merge_cells(start_row=index, start_column=1, end_row=index, end_column=width)
    for row in rows:
        sheet.append(row)
    for cell_range in merges:
        sheet.merge_cells(cell_range)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list], encoding: str) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def proposal_row(number, title, lead, cosigners="", sector="", category="", date="2026-01-12", body="", key=""):
    return [number, title, lead, cosigners, sector, category, date, body, key]


def xls(rows: list[list], *, title: str = "", merge_rows: tuple[int, int, int] | None = None) -> bytes:
    """An old-format .xls: an optional title merged across the width, then `rows`; `merge_rows`
    (first data row, last data row, column), 0-based within `rows`, merges one column downwards."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("提案")
    offset = 0
    if title:
        sheet.write_merge(0, 0, 0, len(rows[0]) - 1, title)
        offset = 1
    merged = set()
    if merge_rows:
        first, last, column = merge_rows
        sheet.write_merge(first + offset, last + offset, column, column, rows[first][column])
        merged = {(r, column) for r in range(first, last + 1)}
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if (r, c) not in merged and value not in (None, ""):
                sheet.write(r + offset, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
