"""The clerks' admin: register, review, assign and watch deadlines. Every step calls the workflow."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from proposals import access, selectors, steps, workflow
from proposals.forms import ASSIGNMENT_STEPS, PROPOSAL_STEPS
from proposals.models import (
    Agency,
    AgencyAlias,
    AgencyStaff,
    Assignment,
    Communication,
    Extension,
    Meeting,
    Member,
    NotAcceptGround,
    Proposal,
    Proposer,
    RuleSet,
)
from tracker import extensions, holidays
from tracker.admin_exports import ContributedExportMixin
from tracker.search import keyword_search_or
from tracker.admin_site import OpenableLinksMixin, SearchCountMixin, ValidChoicesAutocompleteMixin
from tracker.admin_steps import WorkflowStepsMixin
from tracker.errors import WorkflowError
from tracker.models import CalendarDay, CalendarYear
from tracker.people import person_column, person_name
from tracker.workdays import library_years, provisional_reason


def deadline_html(due_on, provisional: bool, today, *, iso: bool = False):
    """A due date with days left, red when overdue, marked when provisional.

    The date reads as the admin writes every other date (2026年9月1日); the start page's compact
    tables pass iso=True, as all their dates are 2026-09-01."""
    if due_on is None:
        return "—"
    days = (due_on - today).days
    if days < 0:
        text, color = f"逾期{-days}天", "#ba2121"
    elif days <= 7:
        text, color = f"剩{days}天", "#c77700"
    else:
        text, color = f"剩{days}天", "#447e9b"
    mark = format_html(' <span title="{}">（暂定）</span>', provisional_reason(due_on.year)) if provisional else ""
    day = due_on.strftime("%Y-%m-%d") if iso else date_format(due_on)
    return format_html('<span>{}</span> <b style="color:{}">{}</b>{}', day, color, text, mark)


# The choices that name the state an assignment's timeline entry moved to. Apps above add the
# states of their own documents (replies: the letter's) to the `timeline_assignment_states` hook.
def _assignment_event_states() -> list[type[models.TextChoices]]:
    return [Assignment.State, *extensions.contributions("timeline_assignment_states")]


def state_label(event) -> str:
    """The Chinese label of the state an event moved its subject to (proposal, assignment or letter)."""
    if not event.to_state:
        return ""
    kinds = _assignment_event_states() if event.assignment_id else (Proposal.Status,)
    for choices in kinds:
        if event.to_state in choices.values:
            return choices(event.to_state).label
    return event.to_state


class ClerkActionsMixin:
    """Bulk actions here are the office's; other users are not offered them."""

    def get_actions(self, request):
        return super().get_actions(request) if access.is_clerk(request.user) else {}


class DeadlineFilter(admin.SimpleListFilter):
    title = _("期限")
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [("overdue", _("已逾期")), ("week", _("7日内到期")), ("provisional", _("期限暂定"))]

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        # Agency users filter by their own deadlines only.
        self.agency = None if access.is_clerk(request.user) else access.agency_of(request.user)

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "overdue":
            return self._overdue(queryset, today)
        if self.value() == "week":
            return self._due_within(queryset, today, 7)
        if self.value() == "provisional":
            return self._provisional(queryset)
        return queryset

    def _overdue(self, queryset, today):
        return selectors.overdue(queryset, today, agency=self.agency)

    def _due_within(self, queryset, today, days):
        return selectors.due_within(queryset, today, days, agency=self.agency)

    def _provisional(self, queryset):
        return queryset.filter(has_provisional_due=True)


class AssignmentDeadlineFilter(DeadlineFilter):
    def _overdue(self, queryset, today):
        return queryset.filter(state__in=Assignment.OPEN_STATES, due_on__lt=today)

    def _due_within(self, queryset, today, days):
        return queryset.filter(state__in=Assignment.OPEN_STATES, due_on__gte=today,
                               due_on__lte=today + timezone.timedelta(days=days))

    def _provisional(self, queryset):
        return queryset.filter(state__in=Assignment.OPEN_STATES, due_provisional=True)


class AgencyFilter(admin.SimpleListFilter):
    title = _("承办单位")
    parameter_name = "agency"

    def lookups(self, request, model_admin):
        return list(Agency.objects.values_list("pk", "name"))

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return selectors.handled_by(queryset, int(self.value()))
        return queryset


class ProposerFormSet(BaseInlineFormSet):
    """Exactly one lead proposer (领衔人) and at least one proposer."""

    def save(self, commit=True):
        # The one-lead constraint is checked row by row: when the lead moves to another row, take
        # it off the old row first.
        if commit and self.instance.pk:
            staying = [form.instance.pk for form in self.forms
                       if form.cleaned_data.get("is_lead") and not form.cleaned_data.get("DELETE") and form.instance.pk]
            Proposer.objects.filter(proposal=self.instance, is_lead=True).exclude(pk__in=staying).update(is_lead=False)
        return super().save(commit)

    def clean(self):
        super().clean()
        if self.instance.pk and self.instance.status != Proposal.Status.SUBMITTED:
            return  # fixed after review (read-only inline): nothing here to check
        rows = [f.cleaned_data for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not rows:
            raise ValidationError("至少需要一位提出人")
        if sum(1 for row in rows if row.get("is_lead")) != 1:
            raise ValidationError("须指定且只能指定一位领衔人")


class ProposerInline(OpenableLinksMixin, ValidChoicesAutocompleteMixin, admin.TabularInline):
    model = Proposer
    formset = ProposerFormSet
    extra = 1
    autocomplete_fields = ["member"]
    fields = ["order", "member", "is_lead"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("member")

    def has_change_permission(self, request, obj=None):
        # Proposers are fixed once the proposal is reviewed; merges add them through the workflow.
        return super().has_change_permission(request, obj) and (obj is None or obj.status == Proposal.Status.SUBMITTED)

    has_add_permission = has_change_permission
    has_delete_permission = has_change_permission


class AssignmentInline(OpenableLinksMixin, admin.TabularInline):
    model = Assignment
    extra = 0
    fields = ["agency", "role", "state", "assigned_on", "deadline", "reassignment_window_ends_on",
              "communication_due_on"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def get_queryset(self, request):
        # The row title prints Assignment.__str__, which names the proposal. An agency sees its
        # own assignment here, not the other agencies' work.
        return access.assignments_visible_to(request.user).select_related("agency", "proposal__meeting")

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("答复/意见期限"))
    def deadline(self, obj):
        if not obj.is_open:
            return obj.due_on
        return deadline_html(obj.due_on, obj.due_provisional, timezone.localdate())


class CommunicationInline(OpenableLinksMixin, admin.TabularInline):
    model = Communication
    extra = 0
    fields = ["agency", "mode", "state", "date", "time", "place", "outcome"]
    readonly_fields = fields
    can_delete = False

    def get_queryset(self, request):
        return access.communications_visible_to(request.user).select_related("agency")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Proposal)
class ProposalAdmin(SearchCountMixin, OpenableLinksMixin, ClerkActionsMixin, ContributedExportMixin, WorkflowStepsMixin,
                    admin.ModelAdmin):
    """The office's proposal page. Apps above extend it through the hooks proposal_step_forms,
    proposal_fieldsets, proposal_page_sections, proposal_list_actions and list_exports
    (tracker/extensions.py); this module names none of them."""

    list_display = ["number", "title", "kind", "status", "lead_proposer", "lead_agency", "next_deadline",
                    "is_key"]
    list_display_links = ["number", "title"]
    list_filter = ["meeting", "kind", "status", AgencyFilter, DeadlineFilter, "is_key", "category", "is_historical"]
    search_fields = ["number", "title", "body", "proposers__member__name"]
    list_per_page = 50
    show_full_result_count = False  # a filtered list would count the whole archive a second time
    inlines = [ProposerInline, AssignmentInline, CommunicationInline]
    readonly_fields = ["status", "round", "review_note", "not_accept_ground", "merged_into", "referred_to",
                       "closed_on", "timeline"]
    fieldsets = [
        (None, {"fields": ["meeting", "kind", "number", "title", "body", "category", "is_key", "submitted_on"]}),
        (_("办理情况"), {"fields": ["status", "round", "review_note", "not_accept_ground", "merged_into",
                                   "referred_to", "closed_on"]}),
        (_("办理过程"), {"fields": ["timeline"]}),
    ]

    @property
    def steps(self):
        return {**PROPOSAL_STEPS, **extensions.step_forms("proposal_step_forms")}

    @property
    def actions(self):
        return ["accept_selected", *extensions.contributions("proposal_list_actions")]

    def page_sections(self, request, obj):
        return extensions.contributions("proposal_page_sections")

    def get_queryset(self, request):
        agency = None if access.is_clerk(request.user) else access.agency_of(request.user)
        return selectors.with_handling_summary(access.proposals_visible_to(request.user), agency=agency)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets[:1]
        clerk = access.is_clerk(request.user)
        return [*fieldsets, *((extra.title, {"fields": list(extra.fields)})
                              for extra in extensions.contributions("proposal_fieldsets")
                              if clerk or not extra.clerks_only)]

    def get_search_results(self, request, queryset, search_term):
        # search_fields, through the bigram index: a LIKE over 46,000 bodies takes seconds.
        def by_proposer(term):
            return Q(pk__in=Proposer.objects.filter(member__name__icontains=term).values("proposal_id"))

        return keyword_search_or(queryset, search_term, by_proposer), False

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        fields += [field for extra in extensions.contributions("proposal_fieldsets") for field in extra.fields]
        if obj is not None and obj.status != Proposal.Status.SUBMITTED:
            fields += ["meeting", "kind", "number", "submitted_on", "is_historical"]
        return fields

    def get_list_filter(self, request):
        if access.is_clerk(request.user):
            return self.list_filter
        return [item for item in self.list_filter if item is not AgencyFilter]

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            # The timeline is rendered from the object alone; it shows what this user may see.
            obj.viewer = request.user
        return obj

    def step_permitted(self, request, obj, step):
        return steps.proposal_step_permitted(obj, request.user, step)

    def steps_for(self, request, obj):
        return steps.proposal_steps(obj, request.user)

    def changelist_view(self, request, extra_context=None):
        # Part of the list as rendered, not a queued message: a message queued here would also show
        # on whatever page follows a batch step's redirect, counted again before and after it.
        if request.method == "GET":
            extra_context = {**(extra_context or {}), "list_note": self._provisional_note(request)}
        return super().changelist_view(request, extra_context)

    def _provisional_note(self, request) -> str:
        provisional = selectors.provisional_open_assignments().filter(
            pk__in=access.assignments_visible_to(request.user).values("pk")
        ).count()
        if not provisional:
            return ""
        return (f"注意：{provisional} 件交办的期限为暂定——{provisional_reason()}。"
                f"请在“工作日历 › 年度节假日安排”中录入，期限将自动重新计算。")

    def save_model(self, request, obj, form, change):
        if change:
            workflow.save_proposal_details(proposal=obj, changed=form.changed_data, by=request.user)
        else:
            workflow.save_registered_proposal(proposal=obj, by=request.user)

    @admin.display(description=_("领衔人"), ordering="lead_proposer_name")
    def lead_proposer(self, obj):
        return obj.lead_proposer_name or "—"

    @admin.display(description=_("主办单位"), ordering="lead_agency_name")
    def lead_agency(self, obj):
        return obj.lead_agency_name or "—"

    @admin.display(description=_("最近期限"), ordering="next_due_on")
    def next_deadline(self, obj):
        deadline = deadline_html(obj.next_due_on, bool(obj.next_due_provisional), timezone.localdate())
        if not obj.next_due_agency:
            return deadline
        role = Assignment.Role(obj.next_due_role).label
        return format_html('<span class="due-agency">{}（{}）</span><br>{}', obj.next_due_agency, role, deadline)

    @staticmethod
    def _visible_events(obj):
        # An agency reads the office's steps and its own, not another agency's notes.
        return access.events_visible_to(getattr(obj, "viewer", None)).values("pk")

    @admin.display(description=_("办理过程"))
    def timeline(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        rows = format_html_join(
            "", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M"), event.get_action_display(),
                 state_label(event), event.assignment.agency.name if event.assignment_id else "",
                 person_name(event.actor) if event.actor_id else "系统",
                 event.note)
                for event in selectors.timeline(obj).filter(pk__in=self._visible_events(obj))
            ),
        )
        return format_html(
            '<table><thead><tr><th>时间</th><th>操作</th><th>状态</th><th>单位</th><th>操作人</th><th>说明</th></tr></thead>'
            "<tbody>{}</tbody></table>", rows,
        )

    @admin.action(description=_("立案所选提案"))
    def accept_selected(self, request, queryset):
        done = 0
        for proposal in queryset:
            try:
                workflow.accept_proposal(proposal=proposal, by=request.user)
                done += 1
            except WorkflowError as error:
                messages.error(request, f"{proposal.number_label}：{error.zh}")
        if done:
            messages.success(request, f"已立案 {done} 件")


@admin.register(Assignment)
class AssignmentAdmin(SearchCountMixin, OpenableLinksMixin, ContributedExportMixin, WorkflowStepsMixin, admin.ModelAdmin):
    """An assignment's page. replies extends it with the letter column and the waiver through the
    hooks assignment_step_forms, assignment_list_columns, assignment_fields and assignment_queryset
    (tracker/extensions.py); this module names no app above it."""

    list_display = ["proposal_number", "proposal_title", "agency", "role", "state", "assigned_on", "deadline",
                    "reassignment_window_ends_on"]
    list_filter = ["state", "role", AssignmentDeadlineFilter, "agency", "proposal__meeting"]
    search_fields = ["proposal__number", "proposal__title", "agency__name"]
    list_select_related = ["proposal__meeting", "agency"]
    # Newest 交办 first, read off the primary key: ordering by the proposal sorted every assignment
    # of five years on each view. A filtered list does not count the whole table again.
    ordering = ["-pk"]
    show_full_result_count = False
    readonly_fields = ["proposal", "proposer_contacts", "agency", "role", "state", "assigned_on", "due_on", "provisional_text",
                       "extended_to", "reassignment_window_ends_on", "communication_due_on", "signed_at",
                       "signed_by_name", "reassignment_reason", "communications"]
    signed_by_name = person_column("signed_by", _("签收人"))

    @property
    def steps(self):
        return {**ASSIGNMENT_STEPS, **extensions.step_forms("assignment_step_forms")}

    def get_list_display(self, request):
        return [*self.list_display, *extensions.contributions("assignment_list_columns")]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *extensions.contributions("assignment_fields")]

    def get_fields(self, request, obj=None):
        # Every field is read-only; those contributed from above stand before the contacts.
        base = [name for name in self.readonly_fields if name != "communications"]
        return self._openable(request, obj, [*base, *extensions.contributions("assignment_fields"), "communications"])

    def get_queryset(self, request):
        queryset = access.assignments_visible_to(request.user).select_related("proposal__meeting", "agency")
        for annotate in extensions.contributions("assignment_queryset"):
            queryset = annotate(request, queryset)
        return queryset

    def get_list_filter(self, request):
        if access.is_clerk(request.user):
            return self.list_filter
        return [item for item in self.list_filter if item != "agency"]

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            obj.viewer = request.user  # the communications column shows what this user may see
        return obj

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Every field here is read-only and all work goes through the steps above the form:
        # a 保存 button would save nothing, so the page offers only 关闭.
        # Django titles it 修改 for anyone holding the change permission: nothing here is changed.
        extra_context = {"show_save": False, "show_save_and_continue": False,
                         "title": f"查看{self.opts.verbose_name}", **(extra_context or {})}
        return super().change_view(request, object_id, form_url, extra_context)

    def step_permitted(self, request, obj, step):
        return steps.assignment_step_permitted(obj, request.user, step)

    def steps_for(self, request, obj):
        return steps.assignment_steps(obj, request.user)

    @admin.display(description=_("提出人及联系方式"))
    def proposer_contacts(self, obj):
        """For arranging 办前沟通: the page is the agency's own assignment (access.assignments_visible_to),
        so an agency reads the contacts of the proposals assigned to it and no others."""
        proposers = obj.proposal.proposers.select_related("member").order_by("order")
        return format_html_join(
            "", "<div>{}{}{}{}</div>",
            ((p.member.name, "（领衔）" if p.is_lead else "", f" 电话：{p.member.phone}" if p.member.phone else "",
              f" 邮箱：{p.member.email}" if p.member.email else "") for p in proposers),
        ) or "—"

    @admin.display(description=_("办前沟通"))
    def communications(self, obj):
        contacts = access.communications_visible_to(getattr(obj, "viewer", None)).filter(
            proposal_id=obj.proposal_id, agency_id=obj.agency_id
        ).order_by("date", "time")
        rows = format_html_join(
            "", "<li>{} {}（{}）{}</li>",
            ((date_format(c.date), c.get_mode_display(), c.get_state_display(), f"：{c.outcome}" if c.outcome else "")
             for c in contacts),
        )
        return format_html("<ul>{}</ul>", rows) if rows else "—"

    @admin.display(description=_("期限暂定"))
    def provisional_text(self, obj):
        """Words, not Django's green ✓: a provisional deadline is a warning, not an approval."""
        if not obj.due_provisional or obj.due_on is None:
            return "否"
        return f"是（{provisional_reason(obj.due_on.year)}）"

    @admin.display(description=_("编号"), ordering="proposal__number")
    def proposal_number(self, obj):
        return obj.proposal.number

    @admin.display(description=_("案由"))
    def proposal_title(self, obj):
        return obj.proposal.title

    @admin.display(description=_("答复/意见期限"), ordering="due_on")
    def deadline(self, obj):
        if not obj.is_open:
            return obj.due_on
        return deadline_html(obj.due_on, obj.due_provisional, timezone.localdate())


@admin.register(Extension)
class ExtensionAdmin(ClerkActionsMixin, admin.ModelAdmin):
    list_display = ["assignment", "requested_until", "state", "requested_by_name", "requested_at", "decided_by_name"]
    list_filter = ["state"]
    list_select_related = ["assignment__proposal__meeting", "assignment__agency", "requested_by", "decided_by"]
    readonly_fields = ["assignment", "reason", "requested_until", "requested_by_name", "requested_at", "state",
                       "decided_by_name", "decided_at", "decision_note"]
    requested_by_name = person_column("requested_by", _("申请人"))
    decided_by_name = person_column("decided_by", _("审批人"))
    actions = ["approve", "refuse"]

    def get_queryset(self, request):
        visible = access.assignments_visible_to(request.user)
        return super().get_queryset(request).filter(assignment__in=visible)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _decide(self, request, queryset, approve):
        for extension in queryset:
            try:
                workflow.decide_extension(extension=extension, approve=approve, by=request.user)
            except WorkflowError as error:
                messages.error(request, f"{extension}:{error.zh}")
            else:
                messages.success(request, f"{extension}：{'已批准' if approve else '未批准'}")

    @admin.action(description=_("批准所选延期申请"))
    def approve(self, request, queryset):
        self._decide(request, queryset, True)

    @admin.action(description=_("不批准所选延期申请"))
    def refuse(self, request, queryset):
        self._decide(request, queryset, False)


class AgencyAliasInline(admin.TabularInline):
    model = AgencyAlias
    extra = 1


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "aliases_list"]
    list_filter = ["region"]
    search_fields = ["name", "aliases__alias"]

    def get_inlines(self, request, obj):
        # intake adds the agency's duty keywords (the `agency_inlines` hook).
        return [AgencyAliasInline, *extensions.contributions("agency_inlines")]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("aliases")

    def get_search_results(self, request, queryset, search_term):
        # The 交办 form's autocomplete asks for one region's agencies (?region=…).
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        region = request.GET.get("region", "") if request.path.endswith("/autocomplete/") else ""
        return (queryset.filter(region=region) if region else queryset), may_have_duplicates

    @admin.display(description=_("简称"))
    def aliases_list(self, obj):
        return "、".join(alias.alias for alias in obj.aliases.all())


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "body", "region", "sector", "user"]
    list_filter = ["body", "kind", "region"]
    search_fields = ["name", "sector"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["name", "body", "region", "term", "session", "year", "reply_by", "rules"]
    list_filter = ["body", "region", "year"]
    list_select_related = ["rules"]
    search_fields = ["name"]


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    list_display = ["name", "is_default", "reply_months", "assisting_months", "extension_max_months",
                    "hard_limit_months", "reassignment_window_workdays"]


@admin.register(NotAcceptGround)
class NotAcceptGroundAdmin(admin.ModelAdmin):
    list_display = ["text", "order", "active"]
    list_editable = ["order", "active"]


@admin.register(AgencyStaff)
class AgencyStaffAdmin(admin.ModelAdmin):
    list_display = ["user", "agency"]
    list_select_related = ["user", "agency"]
    raw_id_fields = ["user"]


# --- the office's holiday schedules (tracker's calendar); saving one recomputes the open deadlines
# it affects, which is this app's work.


class CalendarDayFormSet(BaseInlineFormSet):
    """Every day belongs to the year it is entered under (a new year has no id yet, so the
    model's own check cannot see the year)."""

    def clean(self):
        super().clean()
        year = self.instance.year
        for form in self.forms:
            day = form.cleaned_data.get("date") if form.cleaned_data and not form.cleaned_data.get("DELETE") else None
            if day and year and day.year != year:
                form.add_error("date", ValidationError(
                    f"{day:%Y-%m-%d}不在{year}年内"
                ))


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    formset = CalendarDayFormSet
    extra = 5
    fields = ["date", "is_workday", "name"]


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "source", "note", "updated_at"]
    inlines = [CalendarDayInline]

    @admin.display(description=_("来源"))
    def source(self, obj):
        return "本办录入（覆盖内置日历）" if obj.year in library_years() else "本办录入"

    def changelist_view(self, request, extra_context=None):
        # Tell the clerk what the deadlines of the coming unpublished years rest on, and what is missing.
        this_year = timezone.localdate().year
        entered = set(CalendarYear.objects.filter(year__in=[this_year, this_year + 1]).values_list("year", flat=True))
        for year in (this_year, this_year + 1):
            if year not in entered and year not in library_years() and holidays.covers(year):
                messages.warning(request, f"{provisional_reason(year)}({holidays.describe(year)})。"
                                          f"调休上班日须待国务院办公厅通知公布后在此录入，期限将自动重新计算。")
        return super().changelist_view(request, extra_context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The year as saved and, if it was changed, the year it was before.
        years = {form.instance.year, form.initial.get("year")} - {None}
        moved = workflow.recompute_open_deadlines(years=years, by=request.user)
        messages.info(request, f"已按新的节假日安排重新计算期限：{moved} 件交办的期限有变化。")
