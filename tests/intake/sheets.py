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
