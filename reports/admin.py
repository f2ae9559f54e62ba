"""统计分析 in the admin: the dashboard, its exports and the year-end report, the ranking
weights and the publication of a meeting's figures; and exports of the proposal, assignment and
reply lists (added to the admins of proposals and replies from here, without editing them)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.encoding import escape_uri_path
from django.utils.translation import gettext_lazy as _

from proposals import access
from reports import charts, exports, summary
from reports.documents import DOCX, office_report_docx, report_filename
from reports.cache import kept_figures
from reports.filters import describe, scope_from_options
from reports.forms import FiguresFilterForm
from reports.models import Dashboard, PublishedFigures, ScoreWeights
from reports.selectors import Scope
from reports.services import publish_meeting_figures, withdraw_meeting_figures
from reports.tables import TABLES, cell_text, columns_of, rows_of
from tracker import extensions
from tracker.errors import WorkflowError
from tracker.admin_readonly import ReadOnlyAdmin
from tracker.people import person_column

PAGE_TABLES = ("agencies", "ranking", "categories", "kinds", "status", "key", "grounds", "follow_up")


def can_see_figures(user) -> bool:
    """Clerks see every figure; agency staff their own agency's; nobody else any."""
    return access.is_clerk(user) or access.agency_of(user) is not None


def _own_agency(user):
    return None if access.is_clerk(user) else access.agency_of(user)


def _attachment(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(name)}"
    return response


@admin.register(Dashboard)
class DashboardAdmin(ReadOnlyAdmin):
    app_start = True  # 统计分析 in the sidebar opens the dashboard, not a bare list of the app's models

    def has_module_permission(self, request):
        return can_see_figures(request.user)

    def has_view_permission(self, request, obj=None):
        return can_see_figures(request.user)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("", view(self.dashboard_view), name="reports_dashboard_changelist"),
            path("export/<slug:slug>.<str:fmt>", view(self.export_view), name="reports_dashboard_export"),
            path("report.docx", view(self.report_view), name="reports_dashboard_report"),
        ]

    def _scope(self, request) -> tuple[FiguresFilterForm, Scope | None]:
        if not can_see_figures(request.user):
            raise PermissionDenied
        own = _own_agency(request.user)
        form = FiguresFilterForm(request.GET or {}, own_agency=own)
        if not form.is_valid():
            return form, None
        try:
            return form, scope_from_options(form.options(), agency_id=own.pk if own else None)
        except WorkflowError as error:
            form.add_error(None, error.zh)
            return form, None

    def dashboard_view(self, request):
        form, scope = self._scope(request)
        context = {**self.admin_site.each_context(request), "title": "统计分析", "form": form,
                   "opts": self.model._meta, "own_agency": _own_agency(request.user),
                   "is_clerk": access.is_clerk(request.user), "query": request.GET.urlencode()}
        if scope is not None:
            figures, filters = kept_figures(scope), describe(scope)
            context.update(
                figures=figures, filters=filters, charts=charts.all_charts(figures, style_nonce=str(getattr(request, "csp_nonce", ""))),
                totals=_totals_table(figures), tables=[_page_table(figures, slug) for slug in PAGE_TABLES],
                headline=summary.sentences(figures, filters),
                extra_sections=[html for contribute in extensions.contributions("dashboard_sections")
                                if (html := contribute(request, scope))],
                funnel=charts.funnel_stages(figures),
            )
        return TemplateResponse(request, "admin/reports/dashboard.html", context)

    def export_view(self, request, slug: str, fmt: str):
        if slug not in TABLES or fmt not in exports.FORMATS:
            raise Http404("没有这种导出")
        form, scope = self._scope(request)
        if scope is None:
            messages.error(request, "筛选条件有误,未导出:" + ";".join(e for errors in form.errors.values() for e in errors))
            return HttpResponse(status=400, content="筛选条件有误", content_type="text/plain; charset=utf-8")
        figures = kept_figures(scope)
        build = exports.xlsx_bytes if fmt == "xlsx" else exports.csv_bytes
        return _attachment(build(figures, slug, describe(scope)), exports.FORMATS[fmt],
                           exports.filename(figures, slug, fmt))

    def report_view(self, request):
        form, scope = self._scope(request)
        if scope is None or scope.meeting_id is None:
            return HttpResponse("请先选择会议再生成办理工作情况报告", status=400, content_type="text/plain; charset=utf-8")
        figures = kept_figures(scope)
        return _attachment(office_report_docx(figures, describe(scope), scope=scope), DOCX,
                           report_filename(figures, describe(scope)))


def _totals_table(figures: dict) -> list[dict]:
    """The totals as rows of 指标 · 数值 · 口径: the definition beside each figure."""
    totals = rows_of(figures, "totals")[0]
    return [{"heading": c.heading, "value": cell_text(totals, c), "definition": c.definition}
            for c in columns_of(figures, "totals")[1:] if not c.key.startswith("cat_")]


def _page_table(figures: dict, slug: str) -> dict:
    columns = columns_of(figures, slug)
    return {
        "slug": slug, "title": TABLES[slug].title, "columns": columns,
        "rows": [[cell_text(row, c) for c in columns]
                 for row in rows_of(figures, slug)],
    }


class ClerksOnly:
    def has_module_permission(self, request):
        return access.is_clerk(request.user)

    def has_view_permission(self, request, obj=None):
        return access.is_clerk(request.user)

    has_change_permission = has_add_permission = has_view_permission

    def has_delete_permission(self, request, obj=None):
        return access.is_clerk(request.user)


@admin.register(ScoreWeights)
class ScoreWeightsAdmin(ClerksOnly, admin.ModelAdmin):
    list_display = ("name", "in_use", *ScoreWeights.WEIGHTED)


@admin.register(PublishedFigures)
class PublishedFiguresAdmin(ClerksOnly, admin.ModelAdmin):
    list_display = ("meeting", "published_on", "published_by_name")
    list_select_related = ("meeting", "published_by")
    fields = ("meeting",)
    published_by_name = person_column("published_by", _("公开人"))

    def save_model(self, request, obj, form, change):
        try:
            published = publish_meeting_figures(meeting=obj.meeting, by=request.user)
        except WorkflowError as error:
            raise PermissionDenied(error.zh) from error
        obj.pk, obj.published_on, obj.published_by = published.pk, published.published_on, published.published_by

    def delete_model(self, request, obj):
        withdraw_meeting_figures(meeting=obj.meeting, by=request.user)

    def delete_queryset(self, request, queryset):
        for published in queryset.select_related("meeting"):
            withdraw_meeting_figures(meeting=published.meeting, by=request.user)

    def has_change_permission(self, request, obj=None):
        return obj is None and access.is_clerk(request.user)
