"""Reply letters (答复函), assisting opinions (会办意见) and the proposers' ratings (征询意见).

States change only through replies.workflow.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from proposals.models import Agency, Assignment, Member, Proposal


class ReplyCategory(models.Model):
    """The office's set of reply categories (答复类别): the codes stay A-D, labels are the office's.

    National NPC practice uses A-D, many offices A-C or 甲/乙/丙: deactivate or relabel here.
    """

    code = models.CharField(_("代码"), max_length=1, unique=True, choices=[(c, c) for c in "ABCD"])
    label = models.CharField(_("名称"), max_length=100)
    needs_follow_up = models.BooleanField(_("需跟踪办理"), default=False, help_text=_("如B类：正在解决或已列入计划"))
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("答复类别")
        verbose_name_plural = _("答复类别")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code}类 {self.label}"


class Reply(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        IN_REVIEW = "in_review", _("待签发")
        RETURNED = "returned", _("退回修改")
        SIGNED = "signed", _("已签发")
        SENT = "sent", _("已答复")

    class Disclosure(models.TextChoices):
        PUBLIC = "public", _("公开")
        ON_REQUEST = "on_request", _("依申请公开")
        NOT_PUBLIC = "not_public", _("不公开")

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="replies", verbose_name=_("交办"))
    round = models.PositiveSmallIntegerField(_("办理轮次"), default=1)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.DRAFT, editable=False)
    document_number = models.CharField(_("文号"), max_length=60, blank=True, help_text=_("如：穗科函〔2022〕123号"))
    document_year = models.PositiveSmallIntegerField(_("文号年份"), null=True, blank=True)
    title = models.CharField(_("标题"), max_length=300)
    addressee = models.CharField(_("主送"), max_length=200, help_text=_("如：张建山委员"))
    body = models.TextField(_("正文"))
    signing_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("落款单位"))
    signed_on = models.DateField(_("落款日期"), null=True, blank=True)
    contact_person = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=50, blank=True)
    category = models.CharField(_("答复类别"), max_length=1, blank=True)
    follow_up_done_on = models.DateField(_("跟踪办理完成日期"), null=True, blank=True)
    disclosure = models.CharField(_("公开属性"), max_length=12, choices=Disclosure.choices, default=Disclosure.PUBLIC)
    nondisclosure_reason = models.CharField(_("不公开理由"), max_length=300, blank=True)
    published_on = models.DateField(_("公开日期"), null=True, blank=True, editable=False)
    index_number = models.CharField(_("索引号"), max_length=80, blank=True)
    review_comment = models.TextField(_("审核意见"), blank=True, editable=False)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("起草人"),
    )
    # Whoever last changed the text may not sign it off either (a reviewer who rewrote a draft
    # would otherwise approve their own words).
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        editable=False, verbose_name=_("最后修改人"),
    )
    # Everyone who wrote or edited any version: none of them may sign it off (separation of duties).
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", blank=True, editable=False, verbose_name=_("起草和修改人"),
    )
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        editable=False, verbose_name=_("签发人"),
    )
    sent_at = models.DateTimeField(_("答复时间"), null=True, blank=True, editable=False)
    # The deadline this round was held to, kept when sent: re-handling moves the assignment's
    # due date, and 按期办复率 needs the one that applied to this letter.
    due_on = models.DateField(_("本轮答复期限"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    original_text = models.TextField(_("原文"), blank=True, help_text=_("导入的公开文本"))
    is_historical = models.BooleanField(_("历史记录"), default=False, editable=False)

    class Meta:
        verbose_name = _("答复函")
        verbose_name_plural = _("答复函")
        ordering = ["-signed_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["signing_agency", "document_year", "document_number"],
                condition=~Q(document_number=""),
                name="document_number_unique_per_agency_year",
            ),
            models.UniqueConstraint(fields=["assignment", "round"], name="one_reply_per_assignment_round"),
            models.CheckConstraint(
                condition=Q(disclosure="public") | ~Q(nondisclosure_reason=""), name="nondisclosure_needs_reason",
                violation_error_message=_("不公开或依申请公开的答复须说明理由"),
            ),
        ]
        indexes = [
            models.Index(fields=["-published_on"], condition=Q(published_on__isnull=False), name="published_replies"),
            # The public list: exactly the letters anyone may read, newest first, and their number
            # counted from the index alone (the rows carry whole letters).
            models.Index(fields=["-published_on", "-id"],
                         condition=Q(state="sent", published_on__isnull=False, disclosure="public"),
                         name="public_replies"),
            # Reply notices, feedback requests and their reminders: sent replies by time sent.
            models.Index(fields=["sent_at"], condition=Q(state="sent"), name="notif_reply_sent"),
            # B-class promises still under follow-up (跟踪办理): a short list however large the archive.
            models.Index(
                fields=["category"], condition=Q(state="sent", follow_up_done_on__isnull=True),
                name="reply_follow_up_open",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def proposal(self) -> Proposal:
        return self.assignment.proposal


class Waiver(models.Model):
    """What the office's two waivers share: who gave leave, when, and why (each names its own
    reason). Two tables, one per kind, because each is one-to-one with a different kind of work
    (the answering agency's contact, the assisting agency's opinion) and is read under its own name."""

    waived_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("同意人"))
    waived_at = models.DateTimeField(_("同意时间"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.assignment}:{self.reason}"


class CommunicationWaiver(Waiver):
    """The office's leave to reply without a prior communication (免于办前沟通), with its reason.

    Offices require the agency to meet or talk with the proposers before replying (办前沟通); a
    clerk may waive it, e.g. when the proposer is abroad or asked for a written reply only.
    """

    assignment = models.OneToOneField(
        Assignment, on_delete=models.CASCADE, related_name="communication_waiver", verbose_name=_("交办")
    )
    reason = models.TextField(_("免于沟通的理由"))

    class Meta:
        verbose_name = _("免于办前沟通")
        verbose_name_plural = _("免于办前沟通")


class LetterSettings(models.Model):
    """An agency's letter settings (答复函设置): its document-number series and the contact line its
    letters print. The series 穗科函〔2026〕N号 numbers the agency's replies per year when the
    reviewer signs off without a 文号."""

    agency = models.OneToOneField(
        Agency, on_delete=models.CASCADE, related_name="letter_settings", verbose_name=_("承办单位")
    )
    number_prefix = models.CharField(
        _("文号字头"), max_length=30, blank=True,
        help_text=_("如：穗科函。签发时未填文号的，按“字头〔年份〕序号号”顺序编号，每年从1号起"),
    )
    contact_person = models.CharField(_("联系人"), max_length=50, blank=True, help_text=_("答复函附注中的联系人姓名"))
    contact_phone = models.CharField(_("联系电话"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("答复函设置")
        verbose_name_plural = _("答复函设置")

    def __str__(self):
        return f"{self.agency}:{self.number_prefix or '未设文号字头'}"


class OpinionWaiver(Waiver):
    """The office's leave for the lead agency to submit its reply without one assisting agency's
    opinion (不待会办意见), with its reason: the opinion is late, or the assisting agency has said it
    has nothing to add."""

    assignment = models.OneToOneField(
        Assignment, on_delete=models.CASCADE, related_name="opinion_waiver", verbose_name=_("会办交办")
    )
    reason = models.TextField(_("理由"))

    class Meta:
        verbose_name = _("不待会办意见")
        verbose_name_plural = _("不待会办意见")


class OpinionWaiverRequest(models.Model):
    """The lead agency's request to the office for 不待会办意见: one per assisting assignment still
    owing its opinion, asked in the same step as the reminder to that agency. The office grants it
    (an OpinionWaiver, through replies.workflow.waive_opinion) or refuses it with a reason."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("待决定")
        GRANTED = "granted", _("已同意")
        REFUSED = "refused", _("不同意")

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="opinion_waiver_requests", verbose_name=_("会办交办")
    )
    lead = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="+", verbose_name=_("主办交办"))
    reason = models.TextField(_("申请理由"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.REQUESTED, editable=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("申请人"))
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("决定人"))
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    decision_note = models.TextField(_("决定理由"), blank=True)

    class Meta:
        verbose_name = _("不待会办意见申请")
        verbose_name_plural = _("不待会办意见申请")
        constraints = [
            models.UniqueConstraint(fields=["assignment"], condition=Q(state="requested"),
                                    name="one_open_opinion_waiver_request"),
        ]

    def __str__(self):
        return f"{self.assignment}：{self.get_state_display()}"


class AssistingOpinion(models.Model):
    """An assisting agency's written input to the lead agency (会办意见)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SENT = "sent", _("已提交")

    assignment = models.OneToOneField(
        Assignment, on_delete=models.PROTECT, related_name="opinion", verbose_name=_("会办交办")
    )
    state = models.CharField(_("状态"), max_length=8, choices=State.choices, default=State.DRAFT, editable=False)
    document_number = models.CharField(_("文号"), max_length=60, blank=True)
    title = models.CharField(_("标题"), max_length=300, blank=True)
    body = models.TextField(_("意见"))
    contact_person = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=50, blank=True)
    signed_on = models.DateField(_("落款日期"), null=True, blank=True)
    sent_at = models.DateTimeField(_("提交时间"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("会办意见")
        verbose_name_plural = _("会办意见")

    def __str__(self):
        return self.title or f"{self.assignment.agency} 会办意见"


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY_SATISFIED = "basically_satisfied", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")
    NO_OPINION = "no_opinion", _("未表态")


class Feedback(models.Model):
    """One proposer's own rating of one round (joint proposers rate separately)."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("本人在线")
        PHONE = "phone", _("电话")
        PAPER = "paper", _("书面")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("提案/建议"))
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="feedback", verbose_name=_("评价人"))
    round = models.PositiveSmallIntegerField(_("办理轮次"))
    attitude = models.CharField(_("办理态度"), max_length=20, choices=Rating.choices)
    result = models.CharField(_("办理结果"), max_length=20, choices=Rating.choices)
    comments = models.TextField(_("意见建议"), blank=True)
    channel = models.CharField(_("方式"), max_length=8, choices=Channel.choices, default=Channel.ONLINE)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("录入人")
    )
    recorded_at = models.DateTimeField(_("评价时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("征询意见")
        verbose_name_plural = _("征询意见")
        ordering = ["-recorded_at"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "member", "round"], name="one_rating_per_member_round"),
        ]

    def __str__(self):
        return f"{self.member} · {self.get_result_display()}"
