from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from letters import review
from letters.forms import FIELD_LABELS
from letters.forms import ReviewForm, UploadForm
from letters.input_limits import MAX_BINARY_BYTES
from letters.models import ImportedDocument, PolicyArticle, PolicyDocument
from letters.services import load_parsed


class PolicyArticleInline(admin.TabularInline):
    model = PolicyArticle
    extra = 0
    fields = ["chapter_number", "chapter_title", "number", "heading", "text"]
    # The admin's 48em text box made the five columns 1,500 px wide: the page must fit 1366 px.
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 4, "cols": 48})}}


@admin.register(PolicyDocument)
class PolicyDocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "issuing_body", "region", "is_draft", "published_on", "article_count"]
    list_filter = ["is_draft", "region"]
    search_fields = ["title", "issuing_body", "text"]
    inlines = [PolicyArticleInline]
    readonly_fields = ["original_text"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(articles_total=Count("articles"))

    @admin.display(description=_("条数"), ordering="articles_total")
    def article_count(self, obj):
        return obj.articles_total


@admin.register(ImportedDocument)
class ImportedDocumentAdmin(admin.ModelAdmin):
    list_display = ["file_name", "doc_type", "proposal", "policy_document", "corrected_fields", "imported_by",
                    "imported_at"]
    list_filter = ["doc_type"]
    list_select_related = ["proposal", "proposal__meeting", "policy_document", "imported_by"]
    search_fields = ["file_name", "checksum"]
    change_list_template = "admin/letters/importeddocument/change_list.html"
    fields = readonly_fields = ["file_name", "doc_type", "checksum", "proposal", "policy_document", "imported_by",
                                "imported_at", "corrections_made", "parsed_values"]

    @admin.display(description=_("人工更正"))
    def corrected_fields(self, obj):
        return "、".join(FIELD_LABELS.get(key, key) for key in obj.corrections) if obj.corrections else "—"

    @admin.display(description=_("人工更正(原解析 → 更正为)"))
    def corrections_made(self, obj):
        if not obj.corrections:
            return "—"
        return format_html_join(
            mark_safe("<br>"), "{}:{} → {}",
            ((FIELD_LABELS.get(key, key), _shown(change.get("parsed")), _shown(change.get("corrected")))
             for key, change in obj.corrections.items()),
        )

    @admin.display(description=_("解析结果"))
    def parsed_values(self, obj):
        if not obj.parsed_record:
            return "—"
        return format_html_join(
            mark_safe("<br>"), "{}:{}",
            ((FIELD_LABELS.get(key, key), _shown(value)) for key, value in obj.parsed_record.items() if key != "file"),
        )

    # --- import with review (公开文书 › 导入) ---

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="%s_%s_import" % info),
        ] + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "may_import": request.user.has_perm("letters.add_importeddocument")}
        return super().changelist_view(request, extra_context)

    def import_view(self, request):
        """Upload → review (parsed record beside the text, unsure fields marked) → confirm. Nothing
        is written before the confirm; then each document loads in its own transaction."""
        if not request.user.has_perm("letters.add_importeddocument"):
            raise PermissionDenied
        if request.method == "POST" and request.POST.get("step") == "confirm":
            return self._confirm(request)
        upload = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and upload.is_valid():
            items, errors = [], []
            for index, uploaded in enumerate(upload.cleaned_data["files"]):
                try:
                    # Past the largest document allowed nothing more is read (input_limits refuses it).
                    data = uploaded.read(MAX_BINARY_BYTES + 1)
                    staged, parsed = review.stage_upload(file_name=uploaded.name, data=data)
                except review.StageError as error:
                    errors.append(str(error))
                    continue
                form = ReviewForm(prefix=f"d{index}", initial=ReviewForm.initial_from(parsed.record, staged.token))
                items.append(self._item(form, staged, parsed))
            if items:
                return self._render_review(request, items, errors)
            upload.add_error("files", errors or ["没有可导入的文件"])
        return render(request, "admin/letters/importeddocument/import_upload.html", {
            **self.admin_site.each_context(request), "opts": self.opts, "title": "导入公开文书", "form": upload,
        })

    def _item(self, form: ReviewForm, staged: review.StagedDocument, parsed) -> dict:
        unsure = review.unsure_fields(parsed)
        marks = {}
        for key, why in unsure.items():
            for name in ReviewForm.FIELDS_OF.get(key, (key,)):
                marks[name] = why
        candidates = review.doubt_candidates(parsed)
        rows = [(form[name], marks.get(name), candidates.get(name, []))
                for name in form.fields if name not in ("token", "include")]
        communications = [
            f"{item['date'] or '日期未注明'}({review.MODE_LABELS.get(item['mode'], item['mode'])})"
            for item in parsed.record["communications"]
        ]
        return {"form": form, "file_name": staged.file_name, "text": parsed.original_text, "rows": rows,
                "unsure_count": len(unsure), "communications": communications, "warnings": parsed.warnings}

    def _render_review(self, request, items: list[dict], errors: list[str]):
        return render(request, "admin/letters/importeddocument/import_review.html", {
            **self.admin_site.each_context(request), "opts": self.opts, "title": "核对并确认导入",
            "items": items, "errors": errors, "count": len(items),
        })

    def _confirm(self, request):
        count = int(request.POST.get("count", "0") or 0)
        forms = [ReviewForm(request.POST, prefix=f"d{index}") for index in range(min(count, 200))]
        staged_parsed, items, errors = [], [], []
        for form in forms:
            try:
                staged = review.unstage(form.data.get(form.add_prefix("token"), ""))
            except review.StageError as error:
                errors.append(str(error))
                continue
            parsed = staged.parse()
            staged_parsed.append((form, staged, parsed))
            items.append(self._item(form, staged, parsed))
        if errors or not all(form.is_valid() for form, _, _ in staged_parsed):
            # Nothing is written until every form is right: the clerk sees the errors in place.
            return self._render_review(request, items, errors or ["请更正标红的字段后再确认"])
        for form, staged, parsed in staged_parsed:
            if not form.cleaned_data["include"]:
                continue
            parsed_record = parsed.record
            corrected = form.record()
            review.apply_record(parsed, corrected)
            outcome = load_parsed(
                parsed, checksum=staged.checksum, file_name=staged.file_name,
                corrections=review.corrections(parsed_record, corrected), imported_by=request.user,
            )
            self._report(request, outcome)
        return HttpResponseRedirect(reverse("admin:letters_importeddocument_changelist"))

    def _report(self, request, outcome) -> None:
        # Each message starts in Chinese: the admin capitalises a message's first letter, which
        # would change a file name that starts one.
        if outcome.status == "created":
            messages.success(request, f"已导入 {outcome.file}")
        elif outcome.status == "exists":
            messages.info(request, f"未重复导入 {outcome.file}:此前已导入过同一文件")
        else:
            messages.error(request, f"未导入 {outcome.message}")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def _shown(value) -> str:
    """A parsed value as a clerk reads it: names with 、, a meeting by its parts, — for nothing."""
    if value in (None, "", [], {}):
        return "—"
    if isinstance(value, list):
        return "、".join(
            f"{item.get('date') or '日期未注明'}({review.MODE_LABELS.get(item.get('mode'), item.get('mode'))})"
            if isinstance(item, dict) else str(item)
            for item in value
        )
    if isinstance(value, dict):
        body = {"cppcc": "政协", "npc": "人大"}.get(value.get("body"), "—")
        return f"{value.get('name') or '—'}({body},{value.get('region') or '—'},{value.get('term') or '—'}届{value.get('session') or '—'}次)"
    return str(value)
