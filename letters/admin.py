from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from letters.models import ImportedDocument, PolicyArticle, PolicyDocument


class PolicyArticleInline(admin.TabularInline):
    model = PolicyArticle
    extra = 0
    fields = ["chapter_number", "chapter_title", "number", "heading", "text"]


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
    list_display = ["file_name", "doc_type", "proposal", "policy_document", "imported_at"]
    list_filter = ["doc_type"]
    list_select_related = ["proposal", "policy_document"]
    search_fields = ["file_name", "checksum"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
