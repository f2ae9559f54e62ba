"""The admin site every app registers with (settings name TrackerAdminConfig instead of Django's).

It refuses an action whose selection holds anything but plain ids: Django would filter
`pk__in=['abc']` and fail with a 500, or act on the valid half of a forged selection.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.views.main import SEARCH_VAR
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import FieldDoesNotExist
from django.http import HttpResponseRedirect
from django.urls import reverse

from tracker.paginators import keyword_list_paginator

LARGEST_ID = 2**63 - 1  # a bigint primary key


def is_plain_id(value: str) -> bool:
    """A positive decimal id in ASCII digits ('１２', '1.5', '-1', 'abc' are not)."""
    return value.isascii() and value.isdigit() and 0 < int(value) <= LARGEST_ID


# The machinery's own tables (beat's 周期性任务, 计划任务, 间隔 …): for the system administrator, not
# in a clerk's sidebar or start page.
SYSTEM_APPS = {"django_celery_beat"}


class TrackerAdminSite(admin.AdminSite):
    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        if not request.user.is_superuser:
            apps = [app for app in apps if app["app_label"] not in SYSTEM_APPS]
        for app in apps:
            start = self._app_start(app["app_label"])
            if start is not None:
                app["app_url"] = start
        return apps

    def app_index(self, request, app_label, extra_context=None):
        start = self._app_start(app_label)
        if start is not None:
            return HttpResponseRedirect(start)
        return super().app_index(request, app_label, extra_context)

    def _app_start(self, app_label: str) -> str | None:
        """The changelist of the app's model whose admin says `app_start`: the app's real first page."""
        for model, model_admin in self._registry.items():
            if model._meta.app_label == app_label and getattr(model_admin, "app_start", False):
                return reverse(f"{self.name}:{app_label}_{model._meta.model_name}_changelist")
        return None

    def admin_view(self, view, cacheable=False):
        @wraps(view)
        def refuse_bad_selection(request, *args, **kwargs):
            selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME) if request.method == "POST" else []
            if not all(is_plain_id(value) for value in selected):
                messages.error(request, "所选对象的编号无效，未执行任何操作。")
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


AS_TEXT = "_as_text"


class SearchCountMixin:
    """For a ModelAdmin whose search reads long texts: a keyword search counts its matches up to
    tracker.paginators.SEARCH_COUNT_LIMIT, and the list reads 超过1000条 beyond, instead of counting
    every match in the archive on each view. Django's ChangeList keeps no paginator: the list's is
    left on the request, and the changelist told `count_capped` for templates/admin/search_form.html
    and pagination.html."""

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        searching = bool(request.GET.get(SEARCH_VAR, "").strip())
        paginator = keyword_list_paginator(searching, self.paginator)(queryset, per_page, orphans, allow_empty_first_page)
        request.list_paginator = paginator
        return paginator

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        changelist.count_capped = getattr(getattr(request, "list_paginator", None), "capped", False)
        return changelist


class OpenableLinksMixin:
    """For a ModelAdmin or inline: a read-only foreign key links to the related object's admin page
    only for a reader who may open it; anyone else reads the object's name as plain text.

    Django links every read-only foreign key without asking (an agency user clicking a proposal's
    会议 or its proposer got a 403 page). The swap is by field name: `meeting` → `meeting_as_text`.
    """

    def get_fields(self, request, obj=None):
        return self._openable(request, obj, super().get_fields(request, obj))

    def get_fieldsets(self, request, obj=None):
        return [(name, {**options, "fields": self._openable(request, obj, options["fields"])})
                for name, options in super().get_fieldsets(request, obj)]

    def get_readonly_fields(self, request, obj=None):
        # Every foreign key's text stand-in is read-only, whether or not this page shows it.
        linked = [field.name for field in self.model._meta.concrete_fields if field.is_relation]
        return [*super().get_readonly_fields(request, obj), *(name + AS_TEXT for name in linked)]

    def __getattr__(self, name):
        field = self._linked_field(name.removesuffix(AS_TEXT)) if name.endswith(AS_TEXT) else None
        if field is None:
            raise AttributeError(name)
        return admin.display(description=field.verbose_name)(lambda obj: str(getattr(obj, field.name) or "—"))

    def _openable(self, request, obj, names):
        # A page the reader may not change shows every field read-only, linked ones included.
        editable = self.has_change_permission(request, obj)
        readonly = set(self.get_readonly_fields(request, obj))
        return [tuple(self._openable(request, obj, name)) if isinstance(name, (list, tuple))
                else name + AS_TEXT if (name in readonly or not editable) and not self._may_open(request, name)
                else name
                for name in names]

    def _linked_field(self, name):
        try:
            field = self.model._meta.get_field(name)
        except FieldDoesNotExist:  # a method or another display
            return None
        return field if field.concrete and field.is_relation and not field.many_to_many else None

    def _may_open(self, request, name) -> bool:
        field = self._linked_field(name)
        if field is None:
            return True
        related_admin = self.admin_site._registry.get(field.related_model)
        return related_admin is not None and related_admin.has_view_permission(request)
