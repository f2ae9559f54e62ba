"""Notifications in the admin.

Clerks: every notification (filter `?proposal=<id>` lists those about one proposal), what was sent
to whom and when, what failed with its error, "send again", and the reminder stages. Every staff
user: "my notifications" (我的消息), only their own in-app rows, marked read by a button (a POST),
never by opening one.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from notifications import preferences, selectors, services
from notifications.models import (
    FailedNotification,
    HeldNotification,
    MyNotification,
    Notification,
    NotificationPreference,
    OutboxPause,
    SentNotification,
    Stage,
    WorkNoticeSetting,
)
from proposals.models import Proposal
from tracker.admin_readonly import ReadOnlyAdmin
from tracker.admin_site import is_plain_id
from tracker.errors import WorkflowError
from tracker.paginators import EstimatedCountPaginator


def proposal_notifications_link(proposal: Proposal):
    """A link to the notifications about one proposal, for the proposal's admin page."""
    url = reverse("admin:notifications_notification_changelist") + f"?proposal={proposal.pk}"
    return format_html('<a href="{}">{} 条提醒通知</a>', url, proposal.notifications.count())


# On the proposal's page, for clerks: NotificationsConfig.ready() contributes it to the
# `proposal_fieldsets` hook (tracker/extensions.py).
@admin.display(description=_("关于本件的提醒"))
def notifications_link(obj):
    return proposal_notifications_link(obj)


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "audience", "offset_days", "repeat_every_days", "repeat_times",
                    "workdays_only", "in_app", "email", "active"]
    list_editable = ["offset_days", "repeat_every_days", "repeat_times", "workdays_only", "in_app", "email", "active"]
    list_filter = ["kind", "audience", "active"]

    def get_readonly_fields(self, request, obj=None):
        # The code is part of every notification's natural key: changing it would plan them again.
        return ["code"] if obj else []

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WorkNoticeSetting)
class WorkNoticeSettingAdmin(admin.ModelAdmin):
    """工作通知设置: which work notices the office sends, in-app and by mail (clerks change it)."""

    list_display = ["kind", "in_app", "email"]
    list_editable = ["in_app", "email"]
    list_display_links = None
    fields = ["kind", "in_app", "email"]
    readonly_fields = ["kind"]

    def has_add_permission(self, request):
        return False  # one row per kind, made by the migration

    def has_delete_permission(self, request, obj=None):
        return False


class _NotificationAdminBase(admin.ModelAdmin):
    list_display = ["subject_short", "kind", "channel", "recipient_display", "state", "attempts", "planned_at",
                    "sent_at", "error_short"]
    list_filter = ["state", "channel", "kind", "stage"]
    list_select_related = ["recipient", "proposal__meeting"]
    search_fields = ["subject", "address", "recipient_name", "recipient__username", "proposal__number", "key"]
    date_hierarchy = "planned_at"
    # A million rows after a few years: the whole list's size is PostgreSQL's estimate, and a
    # filtered list does not count the whole table a second time.
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    readonly_fields = ["subject", "body", "link", "kind", "stage_text", "channel", "recipient", "address",
                       "recipient_name", "proposal", "state", "attempts", "reclaims", "last_error", "planned_at",
                       "next_attempt_at", "claimed_at", "sent_at", "read_at", "message_id", "key"]
    fields = readonly_fields
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recipient", "proposal__meeting", "stage")

    @admin.display(description=_("标题"), ordering="subject")
    def subject_short(self, obj):
        return Truncator(obj.subject).chars(48)

    @admin.display(description=_("接收对象"))
    def recipient_display(self, obj):
        who = obj.recipient_name or (obj.recipient.get_username() if obj.recipient else "")
        return f"{who} <{obj.address}>" if obj.address else who

    @admin.display(description=_("最近错误"))
    def error_short(self, obj):
        return Truncator(obj.last_error).chars(60) if obj.state != Notification.State.SENT else ""

    @admin.action(description=_("重新发送所选通知"), permissions=["change"])
    def send_again(self, request, queryset):
        try:
            count = services.resend_notifications(notification_ids=queryset.values_list("pk", flat=True),
                                                  by=request.user)
        except WorkflowError as error:
            self.message_user(request, error.message, messages.ERROR)
            return
        skipped = queryset.count() - count
        note = f";{skipped} 条尚在发送中，未重复安排" if skipped else ""
        self.message_user(request, f"已安排重新发送 {count} 条通知{note}。", messages.SUCCESS)

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        proposal_id = request.GET.get("proposal")
        if proposal_id and proposal_id.isdigit():
            proposal = Proposal.objects.select_related("meeting").filter(pk=proposal_id).first()
            if proposal is not None:
                extra_context["title"] = f"关于{proposal}的提醒通知"
        return super().changelist_view(request, extra_context=extra_context)


@admin.register(Notification)
class NotificationAdmin(_NotificationAdminBase):
    """Every notification; `?proposal=<id>` shows those about one proposal."""


@admin.register(SentNotification)
class SentNotificationAdmin(_NotificationAdminBase):
    list_display = ["subject_short", "kind", "channel", "recipient_display", "sent_at", "read_at", "message_id"]
    date_hierarchy = "sent_at"

    def get_queryset(self, request):
        return selectors.sent_notifications()


@admin.register(FailedNotification)
class FailedNotificationAdmin(_NotificationAdminBase):
    list_display = ["subject_short", "kind", "channel", "recipient_display", "attempts", "planned_at", "last_error"]

    def get_queryset(self, request):
        return selectors.failed_notifications()


@admin.register(MyNotification)
class MyNotificationAdmin(ReadOnlyAdmin):
    """我的消息: the signed-in user's own in-app notifications; nobody sees anyone else's."""

    list_display = ["unread_mark", "subject", "proposal_label", "sent_at"]
    list_display_links = ["subject"]
    list_filter = [("read_at", admin.EmptyFieldListFilter), "kind"]
    search_fields = ["subject", "body"]
    fields = ["subject", "body", "open_link", "proposal", "sent_at", "read_at"]
    readonly_fields = fields
    actions = ["mark_read", "mark_unread"]

    def get_queryset(self, request):
        return selectors.inbox_for(request.user)

    def _is_staff(self, request) -> bool:
        return bool(request.user.is_active and request.user.is_staff)

    def has_module_permission(self, request):
        return self._is_staff(request)

    def has_view_permission(self, request, obj=None):
        return self._is_staff(request) and (obj is None or obj.recipient_id == request.user.pk)

    @admin.display(description=_("未读"), boolean=True)
    def unread_mark(self, obj):
        return obj.read_at is None

    @admin.display(description=_("提案/建议"))
    def proposal_label(self, obj):
        if obj.proposal is None:  # an invitation to co-sign a draft
            return "—"
        return f"{obj.proposal.number_label} {Truncator(obj.proposal.title).chars(30)}"

    @admin.display(description=_("链接"))
    def open_link(self, obj):
        return format_html('<a href="{}">{}</a>', obj.link, obj.link) if obj.link else "—"

    @admin.action(description=_("标记为已读"))
    def mark_read(self, request, queryset):
        count = services.mark_read(user=request.user, notification_ids=queryset.values_list("pk", flat=True))
        self.message_user(request, f"已将 {count} 条消息标记为已读。", messages.SUCCESS)

    @admin.action(description=_("标记为未读"))
    def mark_unread(self, request, queryset):
        count = services.mark_unread(user=request.user, notification_ids=queryset.values_list("pk", flat=True))
        self.message_user(request, f"已将 {count} 条消息标记为未读。", messages.SUCCESS)

    change_form_template = "admin/notifications/mynotification/change_form.html"

    def get_urls(self):
        read = path("<path:object_id>/read/", self.admin_site.admin_view(self.read_view),
                    name="notifications_mynotification_read")
        return [read, *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Opening a message is reading it, as in any inbox; mark_read touches only the reader's own.
        if request.method == "GET" and is_plain_id(object_id):
            services.mark_read(user=request.user, notification_ids=[int(object_id)])
        return super().change_view(request, object_id, form_url, extra_context)

    def read_view(self, request, object_id):
        """The "标记为已读" button a page opened before still carries (a POST)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        notification = self.get_object(request, object_id)
        if notification is None or not self.has_view_permission(request, notification):
            raise Http404
        services.mark_read(user=request.user, notification_ids=[notification.pk])
        self.message_user(request, "已标记为已读。", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:notifications_mynotification_change", args=[notification.pk]))

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "title": f"我的消息（未读 {selectors.unread_count(request.user)} 条）"}
        return super().changelist_view(request, extra_context=extra_context)


@admin.register(HeldNotification)
class HeldNotificationAdmin(_NotificationAdminBase):
    """What a restore held back: the clerk sends or drops each (or all), then resumes sending."""

    list_display = ["subject_short", "kind", "channel", "recipient_display", "stage_text", "planned_at",
                    "error_short"]
    list_filter = ["channel", "kind"]  # every row here is 待发送
    actions = ["release_selected", "drop_selected"]

    def get_queryset(self, request):
        return selectors.held_notifications()

    @admin.action(description=_("发送所选通知"), permissions=["change"])
    def release_selected(self, request, queryset):
        self._decide(request, services.release_held_notifications, queryset, "已放行 {} 条通知，将立即发送。")

    @admin.action(description=_("取消发送所选通知"), permissions=["change"])
    def drop_selected(self, request, queryset):
        self._decide(request, services.drop_held_notifications, queryset, "已取消发送 {} 条通知。")

    def _decide(self, request, service, queryset, done: str) -> None:
        try:
            count = service(notification_ids=queryset.values_list("pk", flat=True), by=request.user)
        except WorkflowError as error:
            self.message_user(request, error.message, messages.ERROR)
            return
        self.message_user(request, done.format(count), messages.SUCCESS)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "title": "恢复备份后待确认的通知：逐条或全部“发送”或“取消发送”"}
        return super().changelist_view(request, extra_context=extra_context)


@admin.register(OutboxPause)
class OutboxPauseAdmin(admin.ModelAdmin):
    """Each pause of the outbox (after a restore) and who resumed sending."""

    list_display = ["started_at", "archive_taken_at", "reason", "is_open", "ended_at", "ended_by"]
    fields = list_display
    readonly_fields = list_display
    actions = ["resume"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("恢复发送（所有待确认的通知均已处理）"), permissions=["change"])
    def resume(self, request, queryset):
        try:
            services.resume_outbox(by=request.user)
        except WorkflowError as error:
            self.message_user(request, error.message, messages.ERROR)
            return
        self.message_user(request, "已恢复发送通知。", messages.SUCCESS)


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    """我的通知设置: each person chooses how mail reaches them; nobody sees anyone else's choice."""

    fields = ["email"]
    radio_fields = {"email": admin.VERTICAL}

    def get_queryset(self, request):
        return super().get_queryset(request).filter(user=request.user)

    def _is_staff(self, request) -> bool:
        return bool(request.user.is_active and request.user.is_staff)

    def has_module_permission(self, request):
        return self._is_staff(request)

    def has_view_permission(self, request, obj=None):
        return self._is_staff(request) and (obj is None or obj.user_id == request.user.pk)

    has_change_permission = has_view_permission

    def has_add_permission(self, request):
        # No query here: the admin's menu asks on every page. Saving goes through the service,
        # which updates the person's one row if it exists.
        return self._is_staff(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        own = NotificationPreference.objects.filter(user=request.user).first()
        if own is None:
            return HttpResponseRedirect(reverse("admin:notifications_notificationpreference_add"))
        return HttpResponseRedirect(reverse("admin:notifications_notificationpreference_change", args=[own.pk]))

    def render_change_form(self, request, context, *args, **kwargs):
        context["title"] = "我的通知设置（站内消息总是即时送达；邮件可选即时或每天汇总一封）"
        return super().render_change_form(request, context, *args, **kwargs)

    def save_model(self, request, obj, form, change):
        saved = preferences.choose_email_delivery(user=request.user, delivery=form.cleaned_data["email"])
        obj.pk, obj.user = saved.pk, saved.user

    def response_add(self, request, obj, post_url_continue=None):
        return self.response_change(request, obj)

    def response_change(self, request, obj):
        self.message_user(request, f"已保存：邮件通知{obj.get_email_display()}。", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:notifications_notificationpreference_change", args=[obj.pk]))
