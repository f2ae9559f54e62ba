"""The 导出 button of an admin list, for the models an app above offers an export of.

The admin that owns the model mixes this in; the export itself (the Chinese columns) is contributed
to the `list_exports` hook (tracker/extensions.py) by the app that knows what to export (reports).
Without a contribution the list shows no button. The file holds the rows the list shows: its
filters, its search, only what the user may see (the admin's own get_queryset).
"""

from __future__ import annotations

from import_export.admin import ExportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ExportForm

from tracker import extensions


class ContributedExportMixin(ExportMixin):
    formats = [XLSX, CSV]
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

    def get_export_queryset(self, request):
        # One query for the file, not one per row for the meeting and agency names.
        return super().get_export_queryset(request).select_related(*self._contributed_export().select_related)
