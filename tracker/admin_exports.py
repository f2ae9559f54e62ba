"""The 导出 button of an admin list, for the models an app above offers an export of.

The admin that owns the model mixes this in; the export itself (the Chinese columns) is contributed
to the `list_exports` hook (tracker/extensions.py) by the app that knows what to export (reports).
Without a contribution the list shows no button. The file holds the rows the list shows: its
filters, its search, only what the user may see (the admin's own get_queryset).
"""

from __future__ import annotations

import csv
import io

from django.utils import timezone
from django.utils.encoding import escape_uri_path
from import_export.admin import ExportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ExportForm
from openpyxl import Workbook
from openpyxl.styles import Font

from tracker import extensions
from tracker.exports import append_xlsx_row, csv_row, sheet_title


class InertCSV(CSV):
    """django-import-export's CSV, every cell through tracker.exports: a title that begins with
    "=" reaches the office as text, never as a formula."""

    def export_data(self, dataset, **kwargs):
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        if dataset.headers:
            writer.writerow(csv_row(dataset.headers))
        writer.writerows(csv_row(row) for row in dataset)
        return out.getvalue()


class InertXLSX(XLSX):
    """django-import-export's XLSX with every text a string cell, never a formula."""

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


class ContributedExportMixin(ExportMixin):
    formats = [InertXLSX, InertCSV]
    # The plain form (format only): the selectable-fields form labels each column with its English
    # field name beside the Chinese header.
    export_form_class = ExportForm
    to_encoding = "utf-8-sig"  # a BOM, so Excel and WPS read the CSV as UTF-8

    def _contributed_export(self):
        return extensions.list_export_for(self.model)

    def has_export_permission(self, request):
        return self._contributed_export() is not None and super().has_export_permission(request)

    def get_export_resource_classes(self, request):
        return [self._contributed_export().resource]

    def get_export_filename(self, request, queryset, file_format):
        # The list's Chinese name and today's date in Beijing (导出 at 07:00 is that day's list).
        name = str(self.model._meta.verbose_name_plural).replace("/", "、")
        return f"{name}清单_{timezone.localdate():%Y-%m-%d}.{file_format.get_extension()}"

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        response = super()._do_file_export(file_format, request, queryset, export_form=export_form)
        # The library quotes the name as plain ASCII; a Chinese name needs RFC 6266's filename*.
        name = self.get_export_filename(request, queryset, file_format)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(name)}"
        return response

    def get_export_queryset(self, request):
        # One query for the file, not one per row for the meeting and agency names.
        return super().get_export_queryset(request).select_related(*self._contributed_export().select_related)
