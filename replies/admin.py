"""The agencies' admin for replies and assisting opinions, and the office's view of ratings.

Every row comes through the access helpers (replies.access for letters, opinions and ratings), so
another agency's letter answers as if it did not exist; every write goes through replies.workflow.
The proposal and assignment pages get the reply steps and the letter column from here, through
the hooks of tracker/extensions.py (replies/apps.py contributes them).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import IntegerField, Q, Value
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _

from proposals import access
from proposals.admin import deadline_html
from proposals.models import Agency, Assignment, Proposer
from replies import access as reply_access
from replies import documents, selectors, steps, workflow
from replies.forms import (
    OPINION_STEPS,
    REPLY_STEPS,
    OpinionDraftForm,
    ReplyDraftForm,
)
from replies.models import (
    AssistingOpinion,
    CommunicationWaiver,
    Feedback,
    LetterSettings,
    OpinionWaiver,
    Reply,
    ReplyCategory,
)
from tracker.admin_exports import ContributedExportMixin
from tracker.admin_readonly import ReadOnlyAdmin
from tracker.admin_site import SearchCountMixin
from tracker.admin_steps import WorkflowStepsMixin
from tracker.errors import WorkflowError
from tracker.people import person_column
from tracker.search import keyword_search_or

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class ReplyAgencyFilter(admin.SimpleListFilter):
    """For clerks only: agency users see their own agency's rows anyway."""

    title = _("承办单位")
    parameter_name = "agency"
    field_path = "assignment__agency"

    def lookups(self, request, model_admin):
        return list(Agency.objects.values_list("pk", "name"))

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(**{self.field_path: int(self.value())})
        return queryset


class DraftAdminMixin(WorkflowStepsMixin):
    """Shared by replies and opinions: forms built per request with the user, drafts written by the
    workflow, a refusal that slips past form validation shown as a message with nothing written."""

    context_template = "admin/replies/handling_panel.html"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.current_user = request.user
        return form

    def has_delete_permission(self, request, obj=None):
        return False

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except WorkflowError as error:
            # Raised inside the admin's transaction, so nothing of this request was kept.
            self.message_user(request, error.zh, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def _assignment_from_request(self, request) -> Assignment | None:
        value = request.GET.get("assignment", "")
        if not value.isdigit():
            return None
        return access.assignments_visible_to(request.user).select_related("proposal__meeting", "agency").filter(
            pk=int(value)
        ).first()

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        assignment = obj.assignment if obj is not None else self._assignment_from_request(request)
        if assignment is not None:
            context["handling"] = selectors.reply_context(
                assignment=assignment, user=request.user, today=timezone.localdate()
            )
            context["handling_deadline"] = (
                deadline_html(assignment.due_on, assignment.due_provisional, timezone.localdate())
                if assignment.is_open
                # Historical records imported from published letters have no due date.
                else date_format(assignment.due_on) if assignment.due_on else "—"
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _own(self, request, assignment_agency_id) -> bool:
        agency = access.agency_of(request.user)
        return agency is not None and agency.pk == assignment_agency_id

    # What a new draft may be written for, and what its form starts with: set per admin.
    awaiting = staticmethod(lambda assignments: assignments)

    def initial_for(self, request, assignment: Assignment) -> dict:
        return {}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assignment":
            # Only this agency's signed-for assignments still waiting for this kind of document.
            kwargs["queryset"] = self.awaiting(access.assignments_visible_to(request.user)).select_related(
                "proposal__meeting", "agency"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        assignment = self._assignment_from_request(request)
        if assignment is not None:
            initial.update(self.initial_for(request, assignment))
        else:
            initial.pop("assignment", None)
        return initial


@admin.register(Reply)
class ReplyAdmin(SearchCountMixin, ContributedExportMixin, DraftAdminMixin, admin.ModelAdmin):
    steps = REPLY_STEPS
    form = ReplyDraftForm
    change_form_template = "admin/replies/reply/change_form.html"
    list_display = ["proposal_number", "title", "agency", "round", "state", "document_number", "signed_on",
                    "deadline", "published_on"]
    list_display_links = ["proposal_number", "title"]
    list_filter = ["state", "round", "disclosure", "category"]
    search_fields = ["title", "body", "document_number", "addressee", "assignment__proposal__number",
                     "assignment__proposal__proposers__member__name"]
    list_per_page = 50
    show_full_result_count = False  # a filtered list would count every letter a second time
    date_hierarchy = None
    handling_fields = ["state", "round", "drafted_by_name", "last_edited_by_name", "signed_off_by_name", "review_comment",
                       "sent_at", "due_on", "published_on", "index_number", "follow_up_done_on"]

    drafted_by_name = person_column("drafted_by", _("起草人"))
    last_edited_by_name = person_column("last_edited_by", _("最后修改人"))
    signed_off_by_name = person_column("signed_off_by", _("签发人"))

    def get_queryset(self, request):
        return selectors.for_list(reply_access.replies_visible_to(request.user))

    def get_list_filter(self, request):
        return [ReplyAgencyFilter, *self.list_filter] if access.is_clerk(request.user) else self.list_filter

    def get_search_results(self, request, queryset, search_term):
        # search_fields, the letters' text through the bigram index: a LIKE over every body is a scan.
        def outside_index(term):
            signers = Proposer.objects.filter(member__name__icontains=term).values("proposal_id")
            return (Q(addressee__icontains=term) | Q(assignment__proposal__number__icontains=term)
                    | Q(assignment__proposal_id__in=signers))

        return keyword_search_or(queryset, search_term, outside_index), False

    def has_add_permission(self, request):
        return super().has_add_permission(request) and access.agency_of(request.user) is not None

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None:
            return access.agency_of(request.user) is not None
        return (obj.state in (Reply.State.DRAFT, Reply.State.RETURNED) and not obj.is_historical
                and self._own(request, obj.assignment.agency_id))

    def get_fieldsets(self, request, obj=None):
        letter = ["title", "addressee", "body"]
        signing = ["document_number", "signed_on", "contact_person", "contact_phone"]
        kind = ["category", "disclosure", "nondisclosure_reason"]
        if obj is None:
            return [(None, {"fields": ["assignment", *letter]}), (_("落款"), {"fields": signing}),
                    (_("类别与公开"), {"fields": kind})]
        editable = self.has_change_permission(request, obj)
        return [
            (None, {"fields": ["assignment", *letter, *(["version"] if editable else [])]}),
            (_("落款"), {"fields": signing}),
            (_("类别与公开"), {"fields": kind}),
            (_("办理情况"), {"fields": self.handling_fields}),
        ]

    def get_readonly_fields(self, request, obj=None):
        return ["assignment", *self.handling_fields] if obj is not None else []

    awaiting = staticmethod(selectors.awaiting_reply)

    def initial_for(self, request, assignment):
        return {
            "title": selectors.suggested_title(assignment),
            "addressee": selectors.suggested_addressee(assignment.proposal),
            **selectors.contact_defaults(assignment=assignment, user=request.user),
        }

    def save_model(self, request, obj, form, change):
        values = form.draft_values()
        if change:
            workflow.save_reply_draft(reply=obj, by=request.user, version=form.cleaned_data["version"], **values)
        else:
            reply = workflow.draft_reply(assignment=form.cleaned_data["assignment"], by=request.user, **values)
            obj.pk, obj._state.adding = reply.pk, False

    def save_related(self, request, form, formsets, change):
        """Nothing related to save; the workflow wrote the reply."""

    def step_permitted(self, request, obj, step):
        return steps.reply_step_permitted(obj, request.user, step)

    def steps_for(self, request, obj):
        return steps.reply_steps(obj, request.user)

    # --- documents ---

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path("<path:object_id>/docx/", self.admin_site.admin_view(self.docx_view), name="%s_%s_docx" % info),
            path("<path:object_id>/text/", self.admin_site.admin_view(self.text_view), name="%s_%s_text" % info),
        ] + super().get_urls()

    def _signed_reply(self, request, object_id) -> Reply:
        reply = self.get_object(request, object_id)
        if reply is None:
            raise Http404
        if not self.has_view_permission(request, reply):
            raise PermissionDenied
        return reply

    def docx_view(self, request, object_id):
        """The signed letter as .docx, laid out per GB/T 9704 for printing and sealing."""
        reply = self._signed_reply(request, object_id)
        try:
            content = documents.reply_docx(reply)
        except documents.NotSigned:
            return self._not_signed(request, reply)
        response = HttpResponse(content, content_type=DOCX_TYPE)
        response["Content-Disposition"] = content_disposition_header(True, documents.document_filename(reply, "docx"))
        return response

    def text_view(self, request, object_id):
        """The letter as plain text, as published letters read."""
        reply = self._signed_reply(request, object_id)
        try:
            content = documents.reply_text(reply)
        except documents.NotSigned:
            return self._not_signed(request, reply)
        response = HttpResponse(content, content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(
            bool(request.GET.get("download")), documents.document_filename(reply, "txt")
        )
        return response

    def _not_signed(self, request, reply):
        self.message_user(request, "答复函签发后方可导出", messages.WARNING)
        return HttpResponseRedirect(reverse("admin:replies_reply_change", args=[reply.pk]))

    # --- columns ---

    @admin.display(description=_("编号"), ordering="assignment__proposal__number")
    def proposal_number(self, obj):
        return obj.assignment.proposal.number

    @admin.display(description=_("承办单位"), ordering="assignment__agency__name")
    def agency(self, obj):
        return f"{obj.assignment.agency.name}（{obj.assignment.get_role_display()}）"

    @admin.display(description=_("答复期限"), ordering="assignment__due_on")
    def deadline(self, obj):
        assignment = obj.assignment
        if obj.state == Reply.State.SENT or not assignment.is_open:
            return obj.due_on or assignment.due_on or "—"
        return deadline_html(assignment.due_on, assignment.due_provisional, timezone.localdate())


@admin.register(AssistingOpinion)
class AssistingOpinionAdmin(DraftAdminMixin, admin.ModelAdmin):
    steps = OPINION_STEPS
    form = OpinionDraftForm
    change_form_template = "admin/replies/assistingopinion/change_form.html"
    list_display = ["proposal_number", "agency", "title", "document_number", "state", "sent_at"]
    list_filter = ["state"]
    search_fields = ["title", "document_number", "assignment__proposal__number"]
    list_per_page = 50

    def get_queryset(self, request):
        return reply_access.opinions_visible_to(request.user).select_related(
            "assignment__proposal__meeting", "assignment__agency"
        )

    def has_add_permission(self, request):
        return super().has_add_permission(request) and access.agency_of(request.user) is not None

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None:
            return access.agency_of(request.user) is not None
        return obj.state == AssistingOpinion.State.DRAFT and self._own(request, obj.assignment.agency_id)

    def get_fieldsets(self, request, obj=None):
        fields = ["assignment", "title", "document_number", "body", "contact_person", "contact_phone", "signed_on"]
        if obj is not None and self.has_change_permission(request, obj):
            fields.append("version")
        sets = [(None, {"fields": fields})]
        if obj is not None:
            sets.append((_("办理情况"), {"fields": ["state", "sent_at"]}))
        return sets

    def get_readonly_fields(self, request, obj=None):
        return ["assignment", "state", "sent_at"] if obj is not None else []

    awaiting = staticmethod(selectors.awaiting_opinion)

    def initial_for(self, request, assignment):
        return {
            "title": f"{assignment.agency.name}关于{assignment.proposal.number_label}"
                     f"{assignment.proposal.get_kind_display()}的会办意见",
            **selectors.contact_defaults(assignment=assignment, user=request.user),
        }

    def save_model(self, request, obj, form, change):
        values = form.draft_values()
        if change:
            workflow.save_opinion_draft(opinion=obj, by=request.user, version=form.cleaned_data["version"], **values)
        else:
            opinion = workflow.draft_assisting_opinion(assignment=form.cleaned_data["assignment"], by=request.user,
                                                       **values)
            obj.pk, obj._state.adding = opinion.pk, False

    def save_related(self, request, form, formsets, change):
        """Nothing related to save; the workflow wrote the opinion."""

    def steps_for(self, request, obj):
        return steps.opinion_steps(obj, request.user)

    @admin.display(description=_("编号"), ordering="assignment__proposal__number")
    def proposal_number(self, obj):
        return obj.assignment.proposal.number

    @admin.display(description=_("会办单位"), ordering="assignment__agency__name")
    def agency(self, obj):
        return obj.assignment.agency.name


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyAdmin):
    """Ratings are recorded through the workflow: by members online, by clerks on the proposal page."""

    list_display = ["proposal", "member", "round", "attitude", "result", "channel", "recorded_at"]
    list_filter = ["attitude", "result", "channel", "round"]
    search_fields = ["proposal__number", "proposal__title", "member__name"]
    # 录入人 by real name: Django would print the login name and link it to the user admin.
    fields = ["proposal", "member", "round", "attitude", "result", "comments", "channel", "recorded_by_name",
              "recorded_at"]
    readonly_fields = ["recorded_by_name"]
    recorded_by_name = person_column("recorded_by", _("录入人"))

    def get_queryset(self, request):
        return reply_access.feedback_visible_to(request.user).select_related("proposal__meeting", "member", "recorded_by")


class WaiverAdmin(ReadOnlyAdmin):
    """A clerk's waiver (办前沟通 or 会办意见): who agreed and why, for the assignments one may see."""

    list_display = ["assignment", "reason", "waived_by_name", "waived_at"]
    fields = ["assignment", "reason", "waived_by"]  # the shared fields come first in the models
    waived_by_name = person_column("waived_by", _("同意人"))

    def get_queryset(self, request):
        visible = access.assignments_visible_to(request.user)
        return super().get_queryset(request).filter(assignment__in=visible).select_related(
            "assignment__proposal__meeting", "assignment__agency", "waived_by"
        )


admin.site.register(CommunicationWaiver, WaiverAdmin)
admin.site.register(OpinionWaiver, WaiverAdmin)


@admin.register(LetterSettings)
class LetterSettingsAdmin(admin.ModelAdmin):
    """The office sets each agency's 文号 series and contact line; an agency reads its own."""

    list_display = ["agency", "number_prefix", "contact_person", "contact_phone"]
    list_select_related = ["agency"]
    search_fields = ["agency__name", "number_prefix"]

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        if access.is_clerk(request.user):
            return rows
        agency = access.agency_of(request.user)
        return rows.filter(agency=agency) if agency is not None else rows.none()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReplyCategory)
class ReplyCategoryAdmin(admin.ModelAdmin):
    """The office picks its set (A-D, or A-C) and labels; the codes stay fixed."""

    list_display = ["code", "label", "needs_follow_up", "active"]
    list_editable = ["label", "needs_follow_up", "active"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- the proposal and assignment pages, extended with the reply work -----------------------------
# Contributed to their hooks by RepliesConfig.ready() (replies/apps.py); proposals/admin.py builds
# those pages and names none of this.


def with_reply_columns(request, queryset):
    """The assignment list's annotations for `reply_or_opinion`: the round's letter or opinion, and
    who may draft here: the agency's own staff with the right to add the document. A clerk or a
    reviewer is shown "—" rather than a 起草 button that answers 403."""
    agency = access.agency_of(request.user)
    agency_id = agency.pk if agency is not None else None
    return selectors.with_current_reply(queryset).annotate(
        reply_drafter_agency_id=Value(
            agency_id if request.user.has_perm("replies.add_reply") else None, output_field=IntegerField()
        ),
        opinion_drafter_agency_id=Value(
            agency_id if request.user.has_perm("replies.add_assistingopinion") else None,
            output_field=IntegerField(),
        ),
    )


@admin.display(description=_("答复/会办意见"))
def reply_or_opinion(obj):
    """The round's reply (or the opinion) with its state, or a link to draft it; from annotations."""
    if obj.role == Assignment.Role.ASSISTING:
        if obj.opinion_id:
            url = reverse("admin:replies_assistingopinion_change", args=[obj.opinion_id])
            return format_html('<a href="{}">会办意见（{}）</a>', url, AssistingOpinion.State(obj.opinion_state).label)
        if obj.state == Assignment.State.ACCEPTED and obj.opinion_drafter_agency_id == obj.agency_id:
            url = reverse("admin:replies_assistingopinion_add") + f"?assignment={obj.pk}"
            return format_html('<a class="button" href="{}">起草会办意见</a>', url)
        return "—"
    if obj.current_reply_id:
        url = reverse("admin:replies_reply_change", args=[obj.current_reply_id])
        return format_html('<a href="{}">答复函（{}）</a>', url, Reply.State(obj.current_reply_state).label)
    if (obj.state in (Assignment.State.ACCEPTED, Assignment.State.REASSIGNMENT_REQUESTED)
            and obj.reply_drafter_agency_id == obj.agency_id):
        url = reverse("admin:replies_reply_add") + f"?assignment={obj.pk}"
        return format_html('<a class="button" href="{}">起草答复</a>', url)
    return "—"


@admin.display(description=_("免于办前沟通"))
def communication_waiver(obj):
    waiver = CommunicationWaiver.objects.filter(assignment=obj).first()
    return f"已同意：{waiver.reason}" if waiver else "—"
