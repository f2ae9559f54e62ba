"""Every figures table as XLSX (openpyxl) and CSV: the filters stated above the table, the
definitions beside it (a second sheet in XLSX, rows under the table in CSV). Agency names and
the filters are written through tracker.exports, so no cell runs as a formula."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from reports.tables import TABLES, columns_of, display, rows_of
from tracker.exports import append_xlsx_row, csv_row, sheet_title

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
FORMATS = {"xlsx": XLSX, "csv": CSV}


def filename(figures: dict, slug: str, fmt: str) -> str:
    # "/" would name a folder to the browser saving the file (重点提案/建议…).
    return f"{TABLES[slug].title.replace('/', '、')}_{figures['scope']['as_of']}.{fmt}"


def _definition_rows(figures: dict, slug: str) -> list[tuple[str, str]]:
    rows = [(c.heading, c.definition) for c in columns_of(figures, slug) if c.definition]
    if TABLES[slug].category_columns:
        rows.append(("答复类别各列", figures["definitions"]["category_split"]["definition"]))
    return rows


def xlsx_bytes(figures: dict, slug: str, filters: str) -> bytes:
    table, columns = TABLES[slug], columns_of(figures, slug)
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title(table.title)
    append_xlsx_row(sheet, [table.title])
    sheet["A1"].font = Font(bold=True, size=14)
    append_xlsx_row(sheet, [f"统计范围:{filters};统计日:{figures['scope']['as_of']}"])
    append_xlsx_row(sheet, [c.heading for c in columns])
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in rows_of(figures, slug):
        cells = append_xlsx_row(sheet, [row.get(c.key, 0 if c.key.startswith("cat_") else None) for c in columns])
        for column, cell in zip(columns, cells):
            if column.kind == "rate":
                cell.number_format = "0.0%"
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = 28 if column.kind == "text" else 12
    sheet.freeze_panes = "A4"
    notes = book.create_sheet("指标口径")
    append_xlsx_row(notes, ["指标", "口径(分子、分母、不计入的情形)"])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for heading, text in _definition_rows(figures, slug):
        append_xlsx_row(notes, [heading, text])
    notes.column_dimensions["A"].width = 26
    notes.column_dimensions["B"].width = 100
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(figures: dict, slug: str, filters: str) -> bytes:
    """UTF-8 with a BOM, so Excel and WPS open the Chinese text as Chinese."""
    table, columns = TABLES[slug], columns_of(figures, slug)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(csv_row([table.title, f"统计范围:{filters}", f"统计日:{figures['scope']['as_of']}"]))
    writer.writerow(csv_row(c.heading for c in columns))
    for row in rows_of(figures, slug):
        writer.writerow(csv_row(display(row.get(c.key, 0 if c.key.startswith("cat_") else None), c.kind)
                                for c in columns))
    writer.writerow([])
    writer.writerow(["指标", "口径"])
    writer.writerows(csv_row(row) for row in _definition_rows(figures, slug))
    return ("\ufeff" + out.getvalue()).encode("utf-8")
