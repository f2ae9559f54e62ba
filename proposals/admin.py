"""The clerks' admin: register, review, assign and watch deadlines. Every step calls the workflow."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from proposals import access, selectors, workflow
from proposals.forms import ASSIGNMENT_STEPS, ASSIGNMENT_STEPS_BY_STATE, PROPOSAL_STEPS, PROPOSAL_STEPS_BY_STATUS
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
from notifications.admin import proposal_notifications_link
from replies import selectors as reply_selectors
from replies.forms import ASSIGNMENT_REPLY_STEPS, PROPOSAL_REPLY_STEPS
from replies.models import AssistingOpinion, CommunicationWaiver, Reply
from tracker.admin_site import ValidChoicesAutocompleteMixin
from tracker.admin_steps import WorkflowStepsMixin
from tracker.errors import WorkflowError


def deadline_html(due_on, provisional: bool, today):
    """A due date with days left, red when overdue, marked when provisional."""
    if due_on is None:
        return "—"
    days = (due_on - today).days
    if days < 0:
        text, color = f"逾期{-days}天", "#ba2121"
    elif days <= 7:
        text, color = f"剩{days}天", "#c77700"
    else:
        text, color = f"剩{days}天", "#447e9b"
    mark = format_html(' <span title="{}">(暂定)</span>', "该年节假日安排尚未录入,按周末推算") if provisional else ""
    return format_html('{} <b style="color:{}">{}</b>{}', due_on.strftime("%Y-%m-%d"), color, text, mark)


def state_label(event) -> str:
    """The Chinese label of the state an event moved its subject to (proposal, assignment or letter)."""
    if not event.to_state:
        return ""
    kinds = (Assignment.State, Reply.State) if event.assignment_id else (Proposal.Status,)
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
            raise ValidationError("至少需要一位提出人 / At least one proposer is required.")
        if sum(1 for row in rows if row.get("is_lead")) != 1:
            raise ValidationError("须指定且只能指定一位领衔人 / Mark exactly one lead proposer.")


class ProposerInline(ValidChoicesAutocompleteMixin, admin.TabularInline):
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


class AssignmentInline(admin.TabularInline):
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
        return access.assignments_visible_to(request.user).select_related("agency", "proposal")

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("答复/意见期限"))
    def deadline(self, obj):
        if not obj.is_open:
            return obj.due_on
        return deadline_html(obj.due_on, obj.due_provisional, timezone.localdate())


class CommunicationInline(admin.TabularInline):
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
class ProposalAdmin(ClerkActionsMixin, WorkflowStepsMixin, admin.ModelAdmin):
    steps = {**PROPOSAL_STEPS, **PROPOSAL_REPLY_STEPS}
    list_display = ["number", "title", "kind", "status", "lead_proposer", "lead_agency", "next_deadline",
                    "is_key"]
    list_display_links = ["number", "title"]
    list_filter = ["meeting", "kind", "status", AgencyFilter, DeadlineFilter, "is_key", "category", "is_historical"]
    search_fields = ["number", "title", "body", "proposers__member__name"]
    list_per_page = 50
    inlines = [ProposerInline, AssignmentInline, CommunicationInline]
    readonly_fields = ["status", "round", "review_note", "not_accept_ground", "merged_into", "referred_to",
                       "closed_on", "timeline", "notifications_link"]
    actions = ["accept_selected"]
    fieldsets = [
        (None, {"fields": ["meeting", "kind", "number", "title", "body", "category", "is_key", "submitted_on"]}),
        (_("办理情况"), {"fields": ["status", "round", "review_note", "not_accept_ground", "merged_into",
                                   "referred_to", "closed_on"]}),
        (_("办理过程"), {"fields": ["timeline"]}),
    ]

    def get_queryset(self, request):
        agency = None if access.is_clerk(request.user) else access.agency_of(request.user)
        return selectors.with_handling_summary(access.proposals_visible_to(request.user), agency=agency)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.fieldsets[:1]
        if access.is_clerk(request.user):
            return [*self.fieldsets, (_("提醒通知"), {"fields": ["notifications_link"]})]
        return self.fieldsets

    @admin.display(description=_("关于本件的提醒"))
    def notifications_link(self, obj):
        return proposal_notifications_link(obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(self.readonly_fields)
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
        return access.is_clerk(request.user)  # every step on a proposal is the office's

    def steps_for(self, request, obj):
        if not access.is_clerk(request.user):
            return []
        names = list(PROPOSAL_STEPS_BY_STATUS.get(obj.status, []))
        if obj.status == Proposal.Status.REPLIED:
            # Ratings taken by phone or on paper (征询意见), and ending the rating period.
            names = ["record_feedback", "close_feedback_window", *names]
        return names

    def changelist_view(self, request, extra_context=None):
        provisional = selectors.provisional_open_assignments().filter(
            pk__in=access.assignments_visible_to(request.user).values("pk")
        ).count()
        if provisional:
            messages.warning(
                request,
                f"注意:{provisional} 件交办的期限为暂定——相关年度的节假日安排尚未录入,暂按周末推算。"
                f"请在“工作日历 › 年度节假日安排”中录入,期限将自动重新计算。",
            )
        return super().changelist_view(request, extra_context)

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
        return deadline_html(obj.next_due_on, bool(obj.next_due_provisional), timezone.localdate())

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
                 event.actor.get_full_name() or event.actor.username if event.actor_id else "系统",
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
                messages.error(request, f"第{proposal.number}号:{error.message}")
        if done:
            messages.success(request, f"已立案 {done} 件")


@admin.register(Assignment)
class AssignmentAdmin(WorkflowStepsMixin, admin.ModelAdmin):
    steps = {**ASSIGNMENT_STEPS, **ASSIGNMENT_REPLY_STEPS}
    list_display = ["proposal_number", "proposal_title", "agency", "role", "state", "assigned_on", "deadline",
                    "reassignment_window_ends_on", "reply_or_opinion"]
    list_filter = ["state", "role", AssignmentDeadlineFilter, "agency", "proposal__meeting"]
    search_fields = ["proposal__number", "proposal__title", "agency__name"]
    list_select_related = ["proposal", "agency"]
    readonly_fields = ["proposal", "agency", "role", "state", "assigned_on", "due_on", "due_provisional",
                       "extended_to", "reassignment_window_ends_on", "communication_due_on", "signed_at",
                       "signed_by", "reassignment_reason", "reply_or_opinion", "communications", "waiver"]
    fields = readonly_fields

    def get_queryset(self, request):
        queryset = access.assignments_visible_to(request.user).select_related("proposal", "agency")
        return reply_selectors.with_current_reply(queryset)

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

    CLERK_STEPS = {"decide_reassignment", "waive_communication"}

    def step_permitted(self, request, obj, step):
        if access.is_clerk(request.user):
            return step in self.CLERK_STEPS
        agency = access.agency_of(request.user)
        return agency is not None and agency.pk == obj.agency_id and step not in self.CLERK_STEPS

    def steps_for(self, request, obj):
        names = ASSIGNMENT_STEPS_BY_STATE.get(obj.state, [])
        answering = obj.role in (Assignment.Role.LEAD, Assignment.Role.JOINT)
        if access.is_clerk(request.user):
            names = [name for name in names if name == "decide_reassignment"]
            if answering and obj.is_open and not obj.communication_waived:
                names.append("waive_communication")
            return names
        names = [name for name in names if name != "decide_reassignment"]
        if answering and obj.is_open:
            # 办前沟通: schedule a contact with the proposers, then record how it went.
            names.append("plan_communication")
            planned = Communication.objects.filter(proposal_id=obj.proposal_id, agency_id=obj.agency_id,
                                                   state=Communication.State.PLANNED)
            if planned.exists():
                names.append("hold_communication")
        return names

    @admin.display(description=_("答复/会办意见"))
    def reply_or_opinion(self, obj):
        """The round's reply (or the opinion) with its state, or a link to draft it; from annotations."""
        if obj.role == Assignment.Role.ASSISTING:
            if obj.opinion_id:
                url = reverse("admin:replies_assistingopinion_change", args=[obj.opinion_id])
                return format_html('<a href="{}">会办意见({})</a>', url, AssistingOpinion.State(obj.opinion_state).label)
            if obj.state == Assignment.State.ACCEPTED:
                url = reverse("admin:replies_assistingopinion_add") + f"?assignment={obj.pk}"
                return format_html('<a class="button" href="{}">起草会办意见</a>', url)
            return "—"
        if obj.current_reply_id:
            url = reverse("admin:replies_reply_change", args=[obj.current_reply_id])
            return format_html('<a href="{}">答复函({})</a>', url, Reply.State(obj.current_reply_state).label)
        if obj.state in (Assignment.State.ACCEPTED, Assignment.State.REASSIGNMENT_REQUESTED):
            url = reverse("admin:replies_reply_add") + f"?assignment={obj.pk}"
            return format_html('<a class="button" href="{}">起草答复</a>', url)
        return "—"

    @admin.display(description=_("办前沟通"))
    def communications(self, obj):
        contacts = access.communications_visible_to(getattr(obj, "viewer", None)).filter(
            proposal_id=obj.proposal_id, agency_id=obj.agency_id
        ).order_by("date", "time")
        rows = format_html_join(
            "", "<li>{} {}({}){}</li>",
            ((c.date, c.get_mode_display(), c.get_state_display(), f":{c.outcome}" if c.outcome else "")
             for c in contacts),
        )
        return format_html("<ul>{}</ul>", rows) if rows else "—"

    @admin.display(description=_("免于办前沟通"))
    def waiver(self, obj):
        waiver = CommunicationWaiver.objects.filter(assignment=obj).first()
        return f"已同意:{waiver.reason}" if waiver else "—"

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
    list_display = ["assignment", "requested_until", "state", "requested_by", "requested_at", "decided_by"]
    list_filter = ["state"]
    list_select_related = ["assignment__proposal", "assignment__agency", "requested_by", "decided_by"]
    readonly_fields = ["assignment", "reason", "requested_until", "requested_by", "requested_at", "state",
                       "decided_by", "decided_at", "decision_note"]
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
                messages.error(request, f"{extension}:{error.message}")
            else:
                messages.success(request, f"{extension}:{'已批准' if approve else '未批准'}")

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
    inlines = [AgencyAliasInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("aliases")

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
