"""django-import-export's CSV and XLSX formats, writing every cell through tracker.exports: a
title that begins with "=" reaches the office as text, never as a formula."""

from __future__ import annotations

import csv
import io

from django.utils import timezone
from django.utils.encoding import escape_uri_path
from import_export.admin import ExportMixin
from import_export.formats.base_formats import CSV, XLSX
from openpyxl import Workbook
from openpyxl.styles import Font

from tracker.exports import append_xlsx_row, csv_row, sheet_title


class InertCSV(CSV):
    def export_data(self, dataset, **kwargs):
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        if dataset.headers:
            writer.writerow(csv_row(dataset.headers))
        writer.writerows(csv_row(row) for row in dataset)
        return out.getvalue()


class InertXLSX(XLSX):
    def export_data(self, dataset, **kwargs):
        book = Workbook()
        sheet = book.active
        if dataset.title:
            sheet.title = sheet_title(dataset.title)
        if dataset.headers:
            for cell in append_xlsx_row(sheet, dataset.headers):
                cell.font = Font(bold=True)
            sheet.freeze_panes = "A2"
        for row in dataset:
            append_xlsx_row(sheet, row)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()


class OfficeExportMixin(ExportMixin):
    """ExportMixin with the formats above and a file name the office reads: the list's Chinese
    name and today's date in Beijing (导出 at 07:00 is that day's list, not yesterday's in UTC)."""

    formats = [InertXLSX, InertCSV]
    to_encoding = "utf-8-sig"  # a BOM, so Excel and WPS read the CSV as UTF-8

    def get_export_filename(self, request, queryset, file_format):
        name = str(self.model._meta.verbose_name_plural).replace("/", "、")
        return f"{name}清单_{timezone.localdate():%Y-%m-%d}.{file_format.get_extension()}"

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        response = super()._do_file_export(file_format, request, queryset, export_form=export_form)
        # The library quotes the name as plain ASCII; a Chinese name needs RFC 6266's filename*.
        name = self.get_export_filename(request, queryset, file_format)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(name)}"
        return response
