"""The admin site every app registers with (settings name TrackerAdminConfig instead of Django's).

It refuses an action whose selection holds anything but plain ids: Django would filter
`pk__in=['abc']` and fail with a 500, or act on the valid half of a forged selection.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.http import HttpResponseRedirect

LARGEST_ID = 2**63 - 1  # a bigint primary key


def is_plain_id(value: str) -> bool:
    """A positive decimal id in ASCII digits ('１２', '1.5', '-1', 'abc' are not)."""
    return value.isascii() and value.isdigit() and 0 < int(value) <= LARGEST_ID


class TrackerAdminSite(admin.AdminSite):
    def admin_view(self, view, cacheable=False):
        @wraps(view)
        def refuse_bad_selection(request, *args, **kwargs):
            selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME) if request.method == "POST" else []
            if not all(is_plain_id(value) for value in selected):
                messages.error(request, "所选对象的编号无效,未执行任何操作。")
                return HttpResponseRedirect(request.get_full_path())
            return view(request, *args, **kwargs)

        return super().admin_view(refuse_bad_selection, cacheable)


class ValidChoicesOnly:
    """For an autocomplete widget: re-renders a refused form without querying a value the key cannot
    hold ('abc' → ValueError)."""

    def optgroups(self, name, value, attr=None):
        target = self.field.remote_field.model._meta.get_field(self.field.remote_field.field_name)
        return super().optgroups(name, [item for item in value if _parses(target, item)], attr)


class ValidChoicesAutocompleteSelect(ValidChoicesOnly, AutocompleteSelect):
    pass


class ValidChoicesAutocompleteSelectMultiple(ValidChoicesOnly, AutocompleteSelectMultiple):
    pass


def _parses(field, value) -> bool:
    try:
        field.get_prep_value(value)
    except (TypeError, ValueError):
        return False
    return True


class ValidChoicesAutocompleteMixin:
    """For a ModelAdmin or inline with autocomplete_fields: see ValidChoicesAutocompleteSelect."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = ValidChoicesAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
