"""What is to be sent, to whom, about what, and how far it got (docs/domain.md, notices and reminders).

A Notification row is the truth about one message: the sweep plans it under a natural key that a
unique constraint holds (so a sweep run twice, or by two beat processes, plans it once); a worker
claims it with a conditional UPDATE before sending and records the outcome. Broker messages are
only nudges. Stages are data the office edits; the defaults are in notifications.stages.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What a notification says; each kind reads one piece of state (see notifications.planning)."""

    DUE_SOON = "due_soon", _("期限前提醒")
    OVERDUE = "overdue", _("逾期提醒")
    ESCALATION = "escalation", _("逾期提请催办")
    ACCEPTED = "accepted", _("立案通知")
    ASSIGNED = "assigned", _("交办通知")
    REPLIED = "replied", _("答复通知")
    MEETING_INVITATION = "meeting_invitation", _("沟通邀请")
    MEETING_REMINDER = "meeting_reminder", _("沟通前提醒")
    FEEDBACK_REQUEST = "feedback_request", _("评价邀请")
    FEEDBACK_REMINDER = "feedback_reminder", _("评价截止提醒")
    # Work notices: whoever must act next, told right after the step (notifications.work).
    NEW_ASSIGNMENT = "new_assignment", _("新交办")
    REASSIGNMENT_REQUESTED = "reassignment_requested", _("调整申请待决定")
    REASSIGNMENT_DECIDED = "reassignment_decided", _("调整申请结果")
    EXTENSION_REQUESTED = "extension_requested", _("延期申请待审批")
    EXTENSION_DECIDED = "extension_decided", _("延期申请结果")
    REVIEW_REQUESTED = "review_requested", _("答复函待签发")
    DRAFT_RETURNED = "draft_returned", _("答复函退回修改")
    REPLY_SENT = "reply_sent", _("答复已送达")
    RATING_RECEIVED = "rating_received", _("收到评价")
    OPINION_RECEIVED = "opinion_received", _("收到会办意见")
    OPINION_OVERDUE = "opinion_overdue", _("会办意见逾期")
    OPINION_REMINDER = "opinion_reminder", _("会办意见催办")
    OPINION_WAIVER_REQUESTED = "opinion_waiver_requested", _("不待会办意见申请待决定")
    OPINION_WAIVER_DECIDED = "opinion_waiver_decided", _("不待会办意见申请结果")
    # Told by the front door (submissions): invitations to co-sign, answers, the office's review.
    COSIGN_INVITED = "cosign_invited", _("联名/附议邀请")
    COSIGN_ANSWERED = "cosign_answered", _("联名/附议答复")
    REVIEW_DECIDED = "review_decided", _("审查结果")
    # Planned by an app above through the `sweep_planners` hook (supervision: key proposals).
    PROGRESS_DUE = "progress_due", _("重点提案进展报送提醒")
    URGENT_DUE = "urgent_due", _("时效性提案到期提醒")


# Kinds measured from an assignment's due date; the others are told to members.
ASSIGNMENT_KINDS = (Kind.DUE_SOON, Kind.OVERDUE, Kind.ESCALATION)
# Kinds told right after a step (notifications.work), each switched on or off by the office.
WORK_KINDS = (
    Kind.NEW_ASSIGNMENT, Kind.REASSIGNMENT_REQUESTED, Kind.REASSIGNMENT_DECIDED, Kind.EXTENSION_REQUESTED,
    Kind.EXTENSION_DECIDED, Kind.REVIEW_REQUESTED, Kind.DRAFT_RETURNED, Kind.REPLY_SENT, Kind.RATING_RECEIVED,
    Kind.OPINION_RECEIVED, Kind.OPINION_OVERDUE, Kind.OPINION_REMINDER, Kind.OPINION_WAIVER_REQUESTED,
    Kind.OPINION_WAIVER_DECIDED,
)


class Audience(models.TextChoices):
    AGENCY = "agency", _("承办单位")
    CLERKS = "clerks", _("提案办工作人员")
    MEMBERS = "members", _("委员/代表")


class Stage(models.Model):
    """One step of the reminder plan, e.g. "7 days before the reply is due, to the agency".

    `offset_days` counts calendar days from the date the kind is measured from (negative: before):
    the due date for agency reminders, the meeting date, the close of the feedback window, the day
    the reply was sent. With `workdays_only`, a stage that falls on a rest day is sent on the last
    working day before it (reminders before a date) or the first one after it (after a date).
    """

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=24, choices=Kind.choices)
    audience = models.CharField(_("发送对象"), max_length=10, choices=Audience.choices)
    offset_days = models.SmallIntegerField(_("相对天数"), default=0, help_text=_("负数为之前，正数为之后"))
    repeat_every_days = models.PositiveSmallIntegerField(
        _("重复间隔（天）"), null=True, blank=True, help_text=_("如逾期后每周提醒一次填 7")
    )
    repeat_times = models.PositiveSmallIntegerField(_("最多重复次数"), default=0)
    workdays_only = models.BooleanField(_("只在工作日发送"), default=True)
    in_app = models.BooleanField(_("站内消息"), default=True)
    email = models.BooleanField(_("电子邮件"), default=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("提醒环节")
        verbose_name_plural = _("提醒环节")
        ordering = ["kind", "offset_days", "code"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind__in=["due_soon", "overdue", "escalation"]) | ~Q(audience="members"),
                name="deadline_stage_goes_to_agency_or_clerks",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["due_soon", "overdue", "escalation"]) | Q(audience="members"),
                name="member_stage_goes_to_members",
            ),
        ]

    def __str__(self):
        return self.name


class Notification(models.Model):
    class Channel(models.TextChoices):
        IN_APP = "in_app", _("站内消息")
        EMAIL = "email", _("电子邮件")

    class State(models.TextChoices):
        PLANNED = "planned", _("待发送")
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")
        DROPPED = "dropped", _("已取消发送")  # by a clerk after a restore, or its reason passed before sending

    key = models.CharField(_("唯一键"), max_length=500, editable=False,
                           help_text=_("事项、环节、对象与渠道：同一键只发一次"))
    kind = models.CharField(_("类型"), max_length=24, choices=Kind.choices)
    stage = models.ForeignKey(Stage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                              verbose_name=_("提醒环节"))
    stage_text = models.CharField(_("环节"), max_length=200)
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications",
        verbose_name=_("接收人"),
    )
    address = models.EmailField(_("邮箱"), blank=True)
    recipient_name = models.CharField(_("接收对象"), max_length=200, blank=True)
    subject = models.CharField(_("标题"), max_length=300)
    body = models.TextField(_("内容"))
    link = models.CharField(_("链接"), max_length=500, blank=True)
    # Empty only for a notice about a draft not yet registered (an invitation to co-sign).
    proposal = models.ForeignKey(
        "proposals.Proposal", on_delete=models.CASCADE, null=True, blank=True, related_name="notifications",
        verbose_name=_("提案/建议"),
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    about = GenericForeignKey("content_type", "object_id")
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PLANNED, editable=False)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0, editable=False)
    reclaims = models.PositiveSmallIntegerField(
        _("中断后重发次数"), default=0, editable=False,
        help_text=_("发送中断、认领超时后重新发送的次数；邮件可能因此重复（已在邮件服务器接收但未及记录）"),
    )
    last_error = models.TextField(_("最近错误"), blank=True, editable=False)
    planned_at = models.DateTimeField(_("计划时间"), default=timezone.now, editable=False)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), default=timezone.now, editable=False)
    enqueued_at = models.DateTimeField(_("入队时间"), null=True, blank=True, editable=False)
    claimed_at = models.DateTimeField(_("认领时间"), null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True, editable=False)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True, editable=False)
    message_id = models.CharField(_("邮件 Message-ID"), max_length=200, blank=True, editable=False)
    digest = models.BooleanField(
        _("并入每日汇总"), default=False, editable=False,
        help_text=_("接收人选择每天汇总一次的邮件：在汇总时间与其他通知合为一封发送"),
    )

    class Meta:
        verbose_name = _("提醒通知")
        verbose_name_plural = _("提醒通知")
        ordering = ["-planned_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["key"], name="one_notification_per_key"),
            models.CheckConstraint(
                condition=~Q(channel="in_app") | Q(recipient__isnull=False), name="in_app_notification_has_recipient"
            ),
            models.CheckConstraint(
                condition=~Q(channel="email") | ~Q(address=""), name="email_notification_has_address"
            ),
        ]
        indexes = [
            # Partial indexes stay as small as the work in flight, however large the history grows.
            models.Index(fields=["next_attempt_at"], condition=Q(state="planned", digest=False),
                         name="notification_to_dispatch"),
            models.Index(fields=["next_attempt_at"], condition=Q(state="planned", digest=True),
                         name="notification_digest_due"),
            models.Index(fields=["claimed_at"], condition=Q(state="sending"), name="notification_claimed"),
            models.Index(fields=["-planned_at"], condition=Q(state="failed"), name="notification_failed"),
            models.Index(
                fields=["recipient", "-sent_at"], condition=Q(channel="in_app", state="sent"), name="notification_inbox"
            ),
            # The admin list's default order (Meta.ordering) and its date hierarchy's first and last dates.
            models.Index(fields=["-planned_at", "-id"], name="notification_admin_list_order"),
        ]

    def __str__(self):
        return self.subject

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class SentNotification(Notification):
    class Meta:
        proxy = True
        verbose_name = _("已发送的通知")
        verbose_name_plural = _("已发送的通知")


class FailedNotification(Notification):
    class Meta:
        proxy = True
        verbose_name = _("发送失败的通知")
        verbose_name_plural = _("发送失败的通知")


class MyNotification(Notification):
    """The signed-in user's own in-app notifications (我的消息)."""

    class Meta:
        proxy = True
        verbose_name = _("我的消息")
        verbose_name_plural = _("我的消息")


class HeldNotification(Notification):
    """Planned notifications an open outbox pause holds back (恢复备份后待确认的通知)."""

    class Meta:
        proxy = True
        verbose_name = _("恢复后待确认的通知")
        verbose_name_plural = _("恢复后待确认的通知")


class OutboxPause(models.Model):
    """The outbox held after a database restore: nothing is sent until a clerk has looked.

    A restored database forgets what went out after its archive was taken, so the sweep would plan
    and send those notices again. While a pause is open only the rows a clerk released go out; the
    rest wait to be released or dropped, then the clerk resumes sending.
    """

    reason = models.CharField(_("原因"), max_length=300)
    archive_taken_at = models.DateTimeField(_("备份时间"), null=True, blank=True)
    started_at = models.DateTimeField(_("暂停时间"), default=timezone.now)
    ended_at = models.DateTimeField(_("恢复发送时间"), null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("恢复发送人"))
    is_open = models.BooleanField(_("暂停中"), default=True)

    class Meta:
        verbose_name = _("通知发送暂停")
        verbose_name_plural = _("通知发送暂停")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(fields=["is_open"], condition=Q(is_open=True), name="one_open_outbox_pause"),
        ]

    def __str__(self):
        return f"{timezone.localtime(self.started_at):%Y-%m-%d %H:%M} {self.reason}"


class OutboxRelease(models.Model):
    """One notification a clerk let out while the outbox was paused."""

    pause = models.ForeignKey(OutboxPause, on_delete=models.CASCADE, related_name="releases")
    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="+")
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    related_name="+")
    released_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pause", "notification"], name="one_release_per_pause"),
        ]


class StepNotices(models.Model):
    """A step (Event) whose work notices are planned: the sweep catches up the steps without one."""

    event = models.OneToOneField("proposals.Event", on_delete=models.CASCADE, primary_key=True, related_name="+")
    planned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("已计划通知的办理步骤")
        verbose_name_plural = _("已计划通知的办理步骤")


class Delivery(models.TextChoices):
    EACH = "each", _("每条通知即时发送")
    DAILY = "daily", _("每天汇总一封")


class WorkNoticeSetting(models.Model):
    """Whether the office sends one kind of work notice, in-app and by mail. Reminders have their
    stages (Stage); work notices have only this switch, since they follow the step at once."""

    kind = models.CharField(_("通知"), max_length=24, unique=True, choices=[(kind.value, kind.label) for kind in WORK_KINDS])
    in_app = models.BooleanField(_("站内消息"), default=True)
    email = models.BooleanField(_("电子邮件"), default=True)

    class Meta:
        verbose_name = _("工作通知设置")
        verbose_name_plural = _("工作通知设置")
        ordering = ["pk"]

    def __str__(self):
        return self.get_kind_display()


class NotificationPreference(models.Model):
    """How one person takes their notices by mail (站内消息 always arrive at once)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference",
                                verbose_name=_("用户"))
    email = models.CharField(_("电子邮件"), max_length=8, choices=Delivery.choices, default=Delivery.EACH)

    class Meta:
        verbose_name = _("我的通知设置")
        verbose_name_plural = _("我的通知设置")

    def __str__(self):
        return f"{self.user}:{self.get_email_display()}"
