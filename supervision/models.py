"""Key proposals (重点提案/重点督办建议): their selection, their supervision by the office's
leadership, and the lead agencies' progress reports.

Models hold data and what the database can keep; every step is supervision.workflow's, which
writes the topic's timeline entry (TopicEvent) and calls the proposals workflow for the
proposal's own record.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from proposals.models import Agency, Meeting, Proposal


class SupervisionSettings(models.Model):
    """The office's choices for key proposals; one row (pk 1), made on first use."""

    reply_review_required = models.BooleanField(
        _("重点提案答复须经提案办审核"), default=True,
        help_text=_("勾选后，重点提案的答复函签发后须经提案办审核同意方可送达"),
    )
    progress_reminder_days = models.PositiveSmallIntegerField(
        _("进展报送提前提醒天数"), default=7, help_text=_("报送截止日前几天提醒主办单位"),
    )
    urgent_reply_workdays = models.PositiveSmallIntegerField(
        _("时效性提案答复期限（工作日）"), default=10, help_text=_("自交办之日起计算；与常规期限取较早者"),
    )
    urgent_reminder_days = models.PositiveSmallIntegerField(
        _("时效性提案到期前提醒天数"), default=3, help_text=_("答复期限前几天提醒承办单位（仅一次）"),
    )

    class Meta:
        verbose_name = _("重点提案督办设置")
        verbose_name_plural = _("重点提案督办设置")

    def __str__(self):
        return "重点提案督办设置"

    @classmethod
    def current(cls) -> "SupervisionSettings":
        return cls.objects.get_or_create(pk=1)[0]


class DecisionBody(models.TextChoices):
    CHAIRS = "chairs", _("主席会议")
    DIRECTORS = "directors", _("主任会议")


class KeyTopic(models.Model):
    """重点提案专题: several key proposals on one theme, supervised together."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="key_topics", verbose_name=_("会议"))
    title = models.CharField(_("专题名称"), max_length=200, help_text=_("如：推动人工智能产业高质量发展"))
    summary = models.TextField(_("专题说明"), blank=True)
    committee = models.CharField(_("督办专委会"), max_length=100, blank=True, help_text=_("如：经济委员会"))
    plan = models.TextField(_("督办方案"), blank=True, help_text=_("督办方式、时间安排、责任分工等"))
    created_at = models.DateTimeField(_("建立时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("重点提案专题")
        verbose_name_plural = _("重点提案专题")
        ordering = ["-meeting__year", "title"]
        constraints = [models.UniqueConstraint(fields=["meeting", "title"], name="key_topic_title_per_meeting")]

    def __str__(self):
        return self.title


class Nomination(models.Model):
    """A proposal put forward for the key list (重点提案推荐), with its reason."""

    class Source(models.TextChoices):
        OFFICE = "office", _("提案委员会/代表工作机构")
        COMMITTEE = "committee", _("专门委员会")
        AGENCY = "agency", _("承办单位")
        PROPOSER = "proposer", _("提出人")

    class State(models.TextChoices):
        PENDING = "pending", _("待决定")
        SELECTED = "selected", _("已确定为重点")
        NOT_SELECTED = "not_selected", _("未确定为重点")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="key_nominations",
                                 verbose_name=_("提案/建议"))
    source = models.CharField(_("推荐方"), max_length=12, choices=Source.choices)
    nominator = models.CharField(_("推荐单位或个人"), max_length=100, help_text=_("如：经济委员会"))
    reason = models.TextField(_("推荐理由"))
    state = models.CharField(_("状态"), max_length=14, choices=State.choices, default=State.PENDING, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    editable=False, verbose_name=_("登记人"))
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("重点提案推荐")
        verbose_name_plural = _("重点提案推荐")
        ordering = ["-recorded_at"]
        indexes = [models.Index(fields=["state"], condition=Q(state="pending"), name="pending_key_nominations")]

    def __str__(self):
        return f"{self.proposal_id} · {self.nominator}"


class KeyProposal(models.Model):
    """A proposal on the key list: the committee's decision, its topic, and its removal if any."""

    class State(models.TextChoices):
        SELECTED = "selected", _("重点督办中")
        REMOVED = "removed", _("已移出")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="key_selections",
                                 verbose_name=_("提案/建议"))
    topic = models.ForeignKey(KeyTopic, on_delete=models.PROTECT, related_name="key_proposals", verbose_name=_("专题"))
    nomination = models.ForeignKey(Nomination, on_delete=models.PROTECT, related_name="+", verbose_name=_("推荐"))
    decision_body = models.CharField(_("决定会议"), max_length=10, choices=DecisionBody.choices)
    decision_meeting = models.CharField(_("会议届次"), max_length=100, help_text=_("如：十四届第十次主席会议"))
    decided_on = models.DateField(_("决定日期"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.SELECTED, editable=False)
    removed_on = models.DateField(_("移出日期"), null=True, blank=True, editable=False)
    removal_reason = models.TextField(_("移出理由"), blank=True, editable=False)

    class Meta:
        verbose_name = _("重点提案")
        verbose_name_plural = _("重点提案")
        ordering = ["topic", "proposal"]
        constraints = [
            models.UniqueConstraint(fields=["proposal"], condition=Q(state="selected"), name="one_key_selection"),
        ]

    def __str__(self):
        return f"{self.topic} · {self.proposal_id}"


class Supervisor(models.Model):
    """A leader who supervises (领衔督办的主席会议成员/主任会议成员); needs no account.

    The phone, e-mail and note stay inside the office: agencies and members see name and post only.
    """

    name = models.CharField(_("姓名"), max_length=50)
    post = models.CharField(_("职务"), max_length=100, help_text=_("如：市政协副主席"))
    phone = models.CharField(_("联系电话"), max_length=50, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    note = models.TextField(_("备注"), blank=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="supervisor", verbose_name=_("登录账号"))

    class Meta:
        verbose_name = _("督办领导")
        verbose_name_plural = _("督办领导")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}（{self.post}）"


class TopicSupervisor(models.Model):
    topic = models.ForeignKey(KeyTopic, on_delete=models.CASCADE, related_name="supervisors", verbose_name=_("专题"))
    supervisor = models.ForeignKey(Supervisor, on_delete=models.PROTECT, related_name="topics",
                                   verbose_name=_("督办领导"))
    is_lead = models.BooleanField(_("领衔督办"), default=True)

    class Meta:
        verbose_name = _("专题督办领导")
        verbose_name_plural = _("专题督办领导")
        ordering = ["-is_lead", "supervisor__name"]
        constraints = [models.UniqueConstraint(fields=["topic", "supervisor"], name="supervisor_once_per_topic")]

    def __str__(self):
        return str(self.supervisor)


class Activity(models.Model):
    """A supervision activity as it happened (督办调研、视察、座谈、协商会、走访)."""

    class Kind(models.TextChoices):
        SURVEY = "survey", _("调研")
        INSPECTION = "inspection", _("视察")
        SYMPOSIUM = "symposium", _("座谈")
        CONSULTATION = "consultation", _("协商会")
        VISIT = "visit", _("走访")

    topic = models.ForeignKey(KeyTopic, on_delete=models.PROTECT, related_name="activities", verbose_name=_("专题"))
    kind = models.CharField(_("形式"), max_length=14, choices=Kind.choices)
    date = models.DateField(_("日期"))
    place = models.CharField(_("地点"), max_length=200)
    supervisors = models.ManyToManyField(Supervisor, related_name="activities", blank=True, verbose_name=_("督办领导"))
    participants = models.TextField(_("参加人员"), blank=True, help_text=_("委员、专委会和有关方面人员"))
    agencies = models.ManyToManyField(Agency, related_name="supervision_activities", blank=True,
                                      verbose_name=_("到会承办单位"))
    minutes = models.TextField(_("纪要"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    editable=False, verbose_name=_("登记人"))
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("督办活动")
        verbose_name_plural = _("督办活动")
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()}"


class ActivityAttachment(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attachments",
                                 verbose_name=_("督办活动"))
    file = models.FileField(_("文件"), upload_to="supervision/%Y/")
    title = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self):
        return self.title or self.file.name


class ProgressRound(models.Model):
    """One report the office asks of every lead agency of a topic (如：第一季度、答复前), by a date."""

    topic = models.ForeignKey(KeyTopic, on_delete=models.CASCADE, related_name="rounds", verbose_name=_("专题"))
    title = models.CharField(_("报送节点"), max_length=50, help_text=_("如：第一季度、答复前"))
    due_on = models.DateField(_("报送截止日"))

    class Meta:
        verbose_name = _("进展报送节点")
        verbose_name_plural = _("进展报送节点")
        ordering = ["due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["topic", "title"], name="progress_round_title_per_topic")]
        indexes = [models.Index(fields=["due_on"], name="progress_round_due")]

    def __str__(self):
        return f"{self.title}（{self.due_on:%Y-%m-%d}前）"


class ProgressReport(models.Model):
    """The lead agency's progress on one key proposal for one round (办理进展)."""

    key_proposal = models.ForeignKey(KeyProposal, on_delete=models.CASCADE, related_name="reports",
                                     verbose_name=_("重点提案"))
    round = models.ForeignKey(ProgressRound, on_delete=models.CASCADE, related_name="reports",
                              verbose_name=_("报送节点"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("报送单位"))
    text = models.TextField(_("办理进展"))
    reported_on = models.DateField(_("报送日期"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("报送人"))

    class Meta:
        verbose_name = _("办理进展报告")
        verbose_name_plural = _("办理进展报告")
        ordering = ["-reported_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["key_proposal", "round"], name="one_report_per_round")]

    def __str__(self):
        return f"{self.round.title} · {self.agency}"


class ReplyReview(models.Model):
    """The office's review of a key proposal's reply before it is sent (the configurable extra step)."""

    class State(models.TextChoices):
        APPROVED = "approved", _("同意送达")
        RETURNED = "returned", _("退回修改")

    reply = models.ForeignKey("replies.Reply", on_delete=models.CASCADE, related_name="key_reviews",
                              verbose_name=_("答复函"))
    version = models.PositiveIntegerField(_("答复函版本"))
    state = models.CharField(_("审核结果"), max_length=10, choices=State.choices, editable=False)
    note = models.TextField(_("审核意见"), blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("审核人"))
    reviewed_at = models.DateTimeField(_("审核时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("重点提案答复审核")
        verbose_name_plural = _("重点提案答复审核")
        ordering = ["-reviewed_at"]


class UrgentMark(models.Model):
    """时效性提案快速通道: the office marks a proposal urgent at review; it is assigned at once, not
    held for the 交办会, and answered within a short period of working days."""

    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="urgent_mark",
                                    verbose_name=_("提案/建议"))
    reason = models.TextField(_("列为时效性提案的理由"))
    reply_workdays = models.PositiveSmallIntegerField(_("答复期限（工作日）"))
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("标记人"))
    marked_at = models.DateTimeField(_("标记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("时效性提案")
        verbose_name_plural = _("时效性提案")
        ordering = ["-marked_at"]

    def __str__(self):
        return f"{self.proposal_id} · {self.reply_workdays}个工作日"


class TopicEvent(models.Model):
    """The topic's timeline (督办过程): selections, removals, activities, reports, reviews. Append-only."""

    class Action(models.TextChoices):
        CREATE = "create", _("建立专题")
        NOMINATE = "nominate", _("推荐")
        SELECT = "select", _("确定为重点")
        DECLINE = "decline", _("未确定为重点")
        REMOVE = "remove", _("移出重点")
        SUPERVISORS = "supervisors", _("确定督办领导")
        ACTIVITY = "activity", _("督办活动")
        PROGRESS = "progress", _("报送办理进展")
        REVIEW = "review", _("审核答复函")
        URGENT = "urgent", _("列为时效性提案")

    topic = models.ForeignKey(KeyTopic, on_delete=models.CASCADE, null=True, blank=True, related_name="events",
                              verbose_name=_("专题"))
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                                 verbose_name=_("提案/建议"))
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    on = models.DateField(_("日期"), null=True, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("操作人"))
    action = models.CharField(_("事项"), max_length=14, choices=Action.choices)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("督办过程")
        verbose_name_plural = _("督办过程")
        ordering = ["at", "id"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Timeline entries are append-only / 督办过程记录不可修改")
        super().save(*args, **kwargs)
