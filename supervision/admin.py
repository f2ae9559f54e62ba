"""重点提案督办 in the admin: topics with their supervisors, rounds and timeline; the committee's
decision and removal as steps; nominations, activities, progress reports; the key list export.

Thin: every write goes through supervision.workflow. Clerks see and record everything; an
agency's staff see only their own key proposals and report progress on them; supervisors'
contact details are on the office's pages only.
"""

from __future__ import annotations

import io

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.encoding import escape_uri_path
from django.utils.html import format_html, format_html_join
from openpyxl import Workbook

from proposals import access
from tracker.admin_steps import WorkflowStepsMixin
from tracker.errors import WorkflowError
from tracker.exports import append_xlsx_row
from supervision import forms, selectors, workflow
from supervision.access import key_proposals_visible_to
from supervision.models import (
    Activity,
    ActivityAttachment,
    KeyProposal,
    KeyTopic,
    Nomination,
    ProgressReport,
    ProgressRound,
    ReplyReview,
    Supervisor,
    SupervisionSettings,
    TopicEvent,
    TopicSupervisor,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ClerksOnly:
    def has_module_permission(self, request):
        return access.is_clerk(request.user)

    def has_view_permission(self, request, obj=None):
        return access.is_clerk(request.user)

    def has_add_permission(self, request, *args):
        return access.is_clerk(request.user)

    def has_change_permission(self, request, obj=None):
        return access.is_clerk(request.user)

    def has_delete_permission(self, request, obj=None):
        return False


class ClerksOnlyInline:
    """Rows inside a clerk's page: by the office role, as the page itself (not Django's per-model rights)."""

    def has_view_permission(self, request, obj=None):
        return access.is_clerk(request.user)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


class RefusalAsMessage:
    """A save the workflow refuses rolls back whole (the admin's form view is one transaction) and
    comes back to the same form with the refusal in Chinese: nothing saved, never an error page."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except WorkflowError as error:
            messages.error(request, error.zh)
            return HttpResponseRedirect(request.get_full_path())


@admin.register(Supervisor)
class SupervisorAdmin(ClerksOnly, admin.ModelAdmin):
    list_display = ["name", "post", "phone", "email"]
    search_fields = ["name", "post"]


class SupervisorInline(ClerksOnlyInline, admin.TabularInline):
    model = TopicSupervisor
    extra = 1
    verbose_name_plural = "督办领导（领衔督办的主席会议成员/主任会议成员）"


class RoundInline(ClerksOnlyInline, admin.TabularInline):
    model = ProgressRound
    extra = 1
    verbose_name_plural = "进展报送节点（主办单位按节点报送办理进展）"


@admin.register(KeyTopic)
class KeyTopicAdmin(RefusalAsMessage, ClerksOnly, WorkflowStepsMixin, admin.ModelAdmin):
    list_display = ["title", "meeting", "committee", "proposal_count", "activity_count"]
    list_filter = ["meeting"]
    search_fields = ["title"]
    list_select_related = ["meeting"]
    inlines = [SupervisorInline, RoundInline]
    steps = {"select": forms.SelectForm}
    readonly_fields = ["proposals_html", "activities_html", "timeline_html"]

    def get_fieldsets(self, request, obj=None):
        main = (None, {"fields": ["meeting", "title", "summary", "committee", "plan"]})
        if obj is None:
            return [main]
        return [main, ("重点提案", {"fields": ["proposals_html"]}), ("督办活动", {"fields": ["activities_html"]}),
                ("督办过程", {"fields": ["timeline_html"]})]

    def get_queryset(self, request):
        from django.db.models import Count, Q

        return super().get_queryset(request).annotate(
            n_proposals=Count("key_proposals", filter=Q(key_proposals__state=KeyProposal.State.SELECTED), distinct=True),
            n_activities=Count("activities", distinct=True))

    @admin.display(description="重点提案数")
    def proposal_count(self, topic):
        return topic.n_proposals

    @admin.display(description="督办活动次数")
    def activity_count(self, topic):
        return topic.n_activities

    def steps_for(self, request, obj):
        return ["select"] if access.is_clerk(request.user) else []

    @admin.display(description="本专题的重点提案")
    def proposals_html(self, topic):
        keys = topic.key_proposals.select_related("proposal__meeting").order_by("state", "proposal__number")
        return format_html_join("", '<div><a href="{}">{}</a> {}（{}）</div>', (
            (reverse("admin:supervision_keyproposal_change", args=[k.pk]), k.proposal.number_label, k.proposal.title,
             k.get_state_display()) for k in keys)) or "尚未确定"

    @admin.display(description="已开展的督办活动")
    def activities_html(self, topic):
        add = reverse("admin:supervision_activity_add") + f"?topic={topic.pk}"
        rows = format_html_join("", '<div><a href="{}">{} {}</a> {}</div>', (
            (reverse("admin:supervision_activity_change", args=[a.pk]), a.date.strftime("%Y-%m-%d"),
             a.get_kind_display(), a.place) for a in topic.activities.order_by("date", "id")))
        return format_html('{}<p><a class="button" href="{}">记录督办活动</a></p>', rows, add)

    @admin.display(description="督办过程")
    def timeline_html(self, topic):
        events = topic.events.select_related("actor").order_by("at", "id")
        return format_html_join("", "<div>{} {}：{}</div>", (
            ((e.on or e.at.date()).strftime("%Y-%m-%d"), e.get_action_display(), e.note) for e in events)) or "—"

    def save_model(self, request, obj, form, change):
        if change:
            obj.save()
            return
        topic = workflow.create_topic(meeting=obj.meeting, title=obj.title, summary=obj.summary,
                                      committee=obj.committee, plan=obj.plan, by=request.user)
        obj.pk, obj.created_at = topic.pk, topic.created_at
        obj._state.adding = False

    def save_formset(self, request, form, formset, change):
        if formset.model is not TopicSupervisor:
            return super().save_formset(request, form, formset, change)
        # The workflow replaces the list; the admin's history names no rows of its own.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if not formset.has_changed():
            return None
        kept = [f.cleaned_data for f in formset.forms
                if f.cleaned_data and f.cleaned_data.get("supervisor") and not f.cleaned_data.get("DELETE")]
        try:
            workflow.set_supervisors(topic=form.instance, by=request.user,
                                     leads=[row["supervisor"] for row in kept if row.get("is_lead")],
                                     others=[row["supervisor"] for row in kept if not row.get("is_lead")])
        except WorkflowError as error:
            messages.error(request, error.zh)
        return None


@admin.register(Nomination)
class NominationAdmin(RefusalAsMessage, ClerksOnly, WorkflowStepsMixin, admin.ModelAdmin):
    list_display = ["proposal_label", "source", "nominator", "state", "recorded_at"]
    list_filter = ["state", "source"]
    list_select_related = ["proposal__meeting"]
    raw_id_fields = ["proposal"]
    fields = ["proposal", "source", "nominator", "reason"]
    steps = {"decline": forms.DeclineForm}

    @admin.display(description="提案/建议")
    def proposal_label(self, nomination):
        return f"{nomination.proposal.number_label} {nomination.proposal.title}"

    def steps_for(self, request, obj):
        return ["decline"] if obj.state == Nomination.State.PENDING and access.is_clerk(request.user) else []

    def get_readonly_fields(self, request, obj=None):
        return self.fields if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            return
        saved = workflow.nominate(proposal=obj.proposal, source=obj.source, nominator=obj.nominator,
                                  reason=obj.reason, by=request.user)
        obj.pk, obj.recorded_by, obj.recorded_at = saved.pk, saved.recorded_by, saved.recorded_at
        obj._state.adding = False


@admin.register(KeyProposal)
class KeyProposalAdmin(RefusalAsMessage, WorkflowStepsMixin, admin.ModelAdmin):
    """The key list: the office's whole list, an agency's own; removal is a step with its reason."""

    list_display = ["number", "proposal_title", "topic", "lead", "decision", "state"]
    list_filter = ["state", "topic__meeting", "decision_body"]
    search_fields = ["proposal__title", "proposal__number", "topic__title"]
    steps = {"remove": forms.RemoveForm}
    fields = ["proposal_link", "topic", "decision", "state", "removed_on", "removal_reason", "supervisors_html",
              "reports_html"]
    readonly_fields = fields
    change_list_template = "admin/supervision/keyproposal/change_list.html"

    def has_module_permission(self, request):
        return access.is_clerk(request.user) or access.agency_of(request.user) is not None

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return selectors.with_lead_agency(key_proposals_visible_to(request.user)).select_related(
            "proposal__meeting", "topic")

    def steps_for(self, request, obj):
        return ["remove"] if obj.state == KeyProposal.State.SELECTED and access.is_clerk(request.user) else []

    @admin.display(description="编号", ordering="proposal__number")
    def number(self, key):
        return key.proposal.number_label

    @admin.display(description="案由")
    def proposal_title(self, key):
        return key.proposal.title

    @admin.display(description="主办单位")
    def lead(self, key):
        return key.lead_agency or "—"

    @admin.display(description="决定")
    def decision(self, key):
        return f"{key.decided_on:%Y-%m-%d} {key.decision_meeting}"

    @admin.display(description="提案/建议")
    def proposal_link(self, key):
        url = reverse("admin:proposals_proposal_change", args=[key.proposal_id])
        return format_html('<a href="{}">{} {}</a>', url, key.proposal.number_label, key.proposal.title)

    @admin.display(description="督办领导")
    def supervisors_html(self, key):
        rows = key.topic.supervisors.select_related("supervisor")
        return "、".join(f"{ts.supervisor.name}（{ts.supervisor.post}）{'领衔' if ts.is_lead else ''}"
                        for ts in rows) or "尚未确定"

    @admin.display(description="办理进展")
    def reports_html(self, key):
        rows = key.reports.select_related("round", "agency").order_by("round__due_on")
        return format_html_join("", "<div><b>{}</b>（{} {}报送）：{}</div>", (
            (r.round.title, r.reported_on.strftime("%Y-%m-%d"), r.agency.name, r.text) for r in rows)) or "尚未报送"

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {**(extra_context or {}), "is_clerk": access.is_clerk(request.user)})

    def get_urls(self):
        return [path("export.xlsx", self.admin_site.admin_view(self.export_view),
                     name="supervision_keyproposal_export"), *super().get_urls()]

    def export_view(self, request):
        """重点提案清单 for the leadership: topic, proposal, lead agency, supervisors, activities (inert xlsx)."""
        if not access.is_clerk(request.user):
            raise PermissionDenied
        meeting = request.GET.get("meeting")
        rows = selectors.key_list(request.user, meeting_id=int(meeting) if meeting and meeting.isdigit() else None)
        content = key_list_xlsx(rows)
        response = HttpResponse(content, content_type=XLSX)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path('重点提案清单.xlsx')}"
        return response


KEY_LIST_HEADINGS = ["专题", "编号", "案由", "主办单位", "决定会议", "决定日期", "领衔督办", "督办活动"]


def key_list_xlsx(keys) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "重点提案清单"
    append_xlsx_row(sheet, KEY_LIST_HEADINGS)
    for key in keys:
        supervisors = "、".join(f"{ts.supervisor.name}（{ts.supervisor.post}）"
                                for ts in key.topic.supervisors.all() if ts.is_lead)
        activities = "；".join(f"{a.date:%Y-%m-%d}{a.get_kind_display()}（{a.place}）" for a in key.topic.activities.all())
        append_xlsx_row(sheet, [key.topic.title, key.proposal.number_label, key.proposal.title, key.lead_agency or "",
                                key.decision_meeting, key.decided_on.strftime("%Y-%m-%d"), supervisors, activities])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class AttachmentInline(ClerksOnlyInline, admin.TabularInline):
    model = ActivityAttachment
    form = forms.AttachmentForm
    extra = 1


@admin.register(Activity)
class ActivityAdmin(RefusalAsMessage, ClerksOnly, admin.ModelAdmin):
    form = forms.ActivityForm
    list_display = ["date", "kind", "topic", "place"]
    list_filter = ["kind", "topic__meeting"]
    list_select_related = ["topic"]
    inlines = [AttachmentInline]

    def save_model(self, request, obj, form, change):
        if change:
            obj.save()
            return
        data = form.cleaned_data
        saved = workflow.record_activity(
            topic=data["topic"], kind=data["kind"], date=data["date"], place=data["place"],
            supervisors=data["supervisors"], agencies=data["agencies"], participants=data["participants"],
            minutes=data["minutes"], by=request.user)
        obj.pk, obj.recorded_by, obj.recorded_at = saved.pk, saved.recorded_by, saved.recorded_at
        obj._state.adding = False


@admin.register(ProgressReport)
class ProgressReportAdmin(RefusalAsMessage, admin.ModelAdmin):
    """Reports: the lead agency adds its own; the office reads them all."""

    list_display = ["round", "key_label", "agency", "reported_on"]
    list_select_related = ["round", "agency", "key_proposal__proposal__meeting"]

    def has_module_permission(self, request):
        return access.is_clerk(request.user) or access.is_agency_staff(request.user)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return access.is_agency_staff(request.user)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="重点提案")
    def key_label(self, report):
        return report.key_proposal.proposal.number_label

    def get_queryset(self, request):
        if access.is_clerk(request.user):
            return super().get_queryset(request)
        agency = access.agency_of(request.user)
        return super().get_queryset(request).filter(agency=agency) if agency else ProgressReport.objects.none()

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:
            return super().get_form(request, obj, change=change, **kwargs)
        agency = access.agency_of(request.user)
        keys = selectors.progress_owed_by(agency.pk).values("pk") if agency else KeyProposal.objects.none()
        own = KeyProposal.objects.filter(pk__in=keys)

        class Form(forms.ProgressReportForm):
            def __init__(self, *args, **inner):
                super().__init__(*args, keys=own, **inner)

        return Form

    def get_fields(self, request, obj=None):
        return ["key_proposal", "round", "text"] if obj is None else ["key_proposal", "round", "agency", "text",
                                                                       "reported_on", "reported_by"]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj) if obj else []

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = workflow.report_progress(key=data["key_proposal"], round=data["round"], text=data["text"],
                                         by=request.user)
        obj.pk, obj.agency, obj.reported_on, obj.reported_by = saved.pk, saved.agency, saved.reported_on, saved.reported_by
        obj._state.adding = False


@admin.register(ReplyReview)
class ReplyReviewAdmin(RefusalAsMessage, ClerksOnly, admin.ModelAdmin):
    """提案办审核 of a key proposal's signed-off letter before the agency sends it."""

    form = forms.ReplyReviewForm
    list_display = ["reply", "version", "state", "reviewed_by", "reviewed_at"]
    list_select_related = ["reply", "reviewed_by"]

    def get_fields(self, request, obj=None):
        return ["reply", "note"] if obj is None else ["reply", "version", "state", "note", "reviewed_by", "reviewed_at"]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj) if obj else []

    def save_model(self, request, obj, form, change):
        saved = workflow.approve_reply(reply=form.cleaned_data["reply"], note=form.cleaned_data["note"], by=request.user)
        obj.pk, obj.version, obj.state = saved.pk, saved.version, saved.state
        obj.reviewed_by, obj.reviewed_at = saved.reviewed_by, saved.reviewed_at
        obj._state.adding = False


@admin.register(SupervisionSettings)
class SupervisionSettingsAdmin(ClerksOnly, admin.ModelAdmin):
    list_display = ["__str__", "reply_review_required", "progress_reminder_days"]

    # One row, made on first use (SupervisionSettings.current): the list opens it, and no page asks the
    # database whether it may add one (the sidebar asks on every admin page).
    def has_add_permission(self, request, *args):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return redirect("admin:supervision_supervisionsettings_change", SupervisionSettings.current().pk)


@admin.register(TopicEvent)
class TopicEventAdmin(ClerksOnly, admin.ModelAdmin):
    list_display = ["at", "topic", "action", "note"]
    list_select_related = ["topic"]
    list_filter = ["action"]

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_module_permission(self, request):
        return False

