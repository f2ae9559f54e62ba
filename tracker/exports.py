"""Text written into the CSV and XLSX files the product hands out stays text.

A title or a name comes from outside (a member's spreadsheet, a form): one that begins with "="
would run as a formula in the program that opens the export. Every writer puts its cells through
here:

- CSV: a text that begins with = + - @, a tab or a carriage return gets a leading apostrophe
  (OWASP's advice on CSV injection); its other characters are unchanged. Numbers stay numbers.
- XLSX: text is always a string cell, never a formula, whatever it begins with; characters XML
  cannot hold (control characters) become U+FFFD instead of failing the whole file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters a sheet title may not contain in Excel (openpyxl refuses them).
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\\/*?:\[\]]")
SHEET_TITLE_MAX = 31


def csv_cell(value):
    """A value as a CSV cell no spreadsheet program evaluates."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_row(values: Iterable) -> list:
    return [csv_cell(value) for value in values]


def xlsx_text(value: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)


def set_xlsx_value(cell, value) -> None:
    """Put a value in an openpyxl cell; text stays a string cell even when it begins with "="."""
    if isinstance(value, str):
        cell.value = xlsx_text(value)
        cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
    else:
        cell.value = value


def append_xlsx_row(sheet, values: Iterable) -> list:
    """Append a row to a (normal, not write-only) worksheet; returns its cells."""
    values = list(values)
    sheet.append([xlsx_text(value) if isinstance(value, str) else value for value in values])
    cells = [sheet.cell(row=sheet.max_row, column=column) for column in range(1, len(values) + 1)]
    for cell, value in zip(cells, values):
        if isinstance(value, str):
            cell.data_type = "s"  # openpyxl stores a str beginning with "=" as a formula
    return cells


def sheet_title(text: str) -> str:
    """A sheet title Excel accepts: no / \\ * ? : [ ], at most 31 characters."""
    return _SHEET_TITLE_FORBIDDEN.sub("_", text.replace("/", "、"))[:SHEET_TITLE_MAX] or "工作表"
