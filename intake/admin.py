"""Intake in the admin: each meeting's import pages, agencies' duty keywords, and what intake adds
to the proposal and agency pages: the batch 交办 actions, the similar proposals, the suggested lead
agencies, the duty keywords (contributed to their hooks by IntakeConfig.ready(), never edited there)."""

from __future__ import annotations

from django.contrib import admin
from django.urls import path, reverse
from django.utils.html import format_html

from intake import views
from intake.duty_defaults import default_keywords_for
from intake.models import AgencyDuty, MeetingIntake
from tracker import extensions
from tracker.admin_readonly import ReadOnlyAdmin


@admin.register(MeetingIntake)
class MeetingIntakeAdmin(ReadOnlyAdmin):
    """The list of meetings, each with its import pages: the office's intake desk."""

    list_display = ["name", "body", "region", "year", "proposal_count", "imports"]
    list_filter = ["body", "region", "year"]
    search_fields = ["name"]

    def has_module_permission(self, request):
        return request.user.has_perm("proposals.add_proposal")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("proposals.add_proposal")

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(proposal_total=Count("proposals"))

    @admin.display(description="提案/建议数", ordering="proposal_total")
    def proposal_count(self, obj):
        return obj.proposal_total

    @admin.display(description="导入")
    def imports(self, obj):
        return format_html(
            '<a class="button" href="{}">导入提案汇总表</a> <a class="button" href="{}">导入交办清单</a>',
            reverse("admin:intake_import", args=[obj.pk, "proposals"]),
            reverse("admin:intake_import", args=[obj.pk, "assignments"]),
        )

    def get_urls(self):
        return [
            path("<int:meeting_id>/import/<str:kind>/", self.admin_site.admin_view(self.import_view),
                 name="intake_import"),
            path("proposal/<int:proposal_id>/similar/", self.admin_site.admin_view(self.similar_view),
                 name="intake_similar"),
            path("proposal/<int:proposal_id>/merge/", self.admin_site.admin_view(views.merge_view),
                 name="intake_merge"),
            *super().get_urls(),
        ]

    def similar_view(self, request, proposal_id):
        return views.similar_page(request, proposal_id, {**self.admin_site.each_context(request), "opts": self.opts})

    def import_view(self, request, meeting_id, kind):
        from django.http import Http404

        if kind not in views.IMPORT_KINDS:
            raise Http404
        return views.import_view(request, meeting_id, kind, {**self.admin_site.each_context(request), "opts": self.opts})


@admin.register(AgencyDuty)
class AgencyDutyAdmin(admin.ModelAdmin):
    list_display = ["agency", "keywords"]
    search_fields = ["agency__name", "keywords"]
    autocomplete_fields = ["agency"]
    list_select_related = ["agency"]


class AgencyDutyInline(admin.StackedInline):
    model = AgencyDuty
    max_num = 1
    can_delete = False

    def get_formset(self, request, obj=None, **kwargs):
        """An agency with no keywords of the office's own shows the words of its kind, which the
        suggestions already read; once edited and saved they are the office's own."""
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None and not AgencyDuty.objects.filter(agency=obj).exists():
            formset.form.base_fields["keywords"].initial = "、".join(default_keywords_for(obj.name))
        return formset


def contribute_to_proposal_pages() -> None:
    """The batch steps on the proposal list (its get_actions keeps them for clerks only), the similar
    proposals (with 并案) and suggested agencies on the proposal's own page with a link to intake's
    fuller page for the one proposal, and the duty keywords on the agency's page."""
    from intake.batch import assign_selected, not_accept_selected

    extensions.register("agency_inlines", AgencyDutyInline)
    extensions.register("proposal_list_actions", assign_selected)
    extensions.register("proposal_list_actions", not_accept_selected)
    extensions.register("proposal_page_sections", similar_at_review)
    extensions.register("lead_hints", suggested_leads)
    extensions.register("proposal_fieldsets", extensions.Fieldset("相似提案与建议主办单位", (similar_proposals_link,)))


def suggested_leads(proposal) -> str:
    """The three likeliest lead agencies with their reasons, beside the 交办 form's lead field."""
    from intake.suggestions import suggest_lead_agencies

    suggestions = suggest_lead_agencies(proposal)[:3]
    if not suggestions:
        return ""
    return "建议主办单位（仅供参考）：" + ";".join(
        f"{item.agency.name}({'、'.join(str(reason) for reason in item.reasons)})" for item in suggestions
    )


def similar_at_review(request, proposal):
    """At review and 交办 (while 并案 is still possible), not on every page of the archive."""
    from intake.sections import MERGEABLE, similar_proposals_section

    return similar_proposals_section(request, proposal) if proposal.status in MERGEABLE else ""


@admin.display(description="相似提案")
def similar_proposals_link(obj):
    if obj is None or obj.pk is None:
        return "—"
    viewer = getattr(obj, "viewer", None)
    if viewer is None or not viewer.has_perm("proposals.change_proposal"):
        return "—"
    return format_html('<a class="button" href="{}">查看相似提案与建议主办单位</a>',
                       reverse("admin:intake_similar", args=[obj.pk]))

