"""Proposals written online before the office registers them (docs/domain.md, the front door).

A Draft is the member's own until it is submitted: then the proposals workflow registers it as a
Proposal (待审查, channel 网上提交) and the draft keeps the link. Nothing here is a Proposal until
then, so no list, search or figure of the office counts a draft.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from proposals.models import Meeting, Member, Proposal

# The body's official parts together may hold this many characters (a long proposal runs to ~6,000).
BODY_LIMIT = 20_000


class Window(models.Model):
    """A period a meeting takes submissions: the session itself (大会期间) or between sessions (平时提案)."""

    class Kind(models.TextChoices):
        SESSION = "session", _("大会期间")
        BETWEEN = "between", _("平时提案")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="submission_windows",
                                verbose_name=_("会议"))
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices, default=Kind.SESSION)
    opens_on = models.DateField(_("开始日期"))
    closes_on = models.DateField(_("截止日期"))

    class Meta:
        verbose_name = _("提交期间")
        verbose_name_plural = _("提交期间")
        ordering = ["meeting", "opens_on"]
        constraints = [models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")),
                                              name="window_closes_after_it_opens")]

    def __str__(self):
        return f"{self.meeting.short_name}{self.get_kind_display()}（{self.opens_on}至{self.closes_on}）"


class MotionRule(models.Model):
    """How many deputies a 议案 of this meeting needs (a delegation counts as enough)."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="motion_rule",
                                   verbose_name=_("会议"))
    min_deputies = models.PositiveSmallIntegerField(
        _("议案法定人数"), default=10, help_text=_("全国人大30名，县级以上地方10名，乡镇5名（含领衔人）"))

    class Meta:
        verbose_name = _("议案联名人数")
        verbose_name_plural = _("议案联名人数")

    def __str__(self):
        return f"{self.meeting.short_name}：{self.min_deputies}名"


class Draft(models.Model):
    class Kind(models.TextChoices):
        PROPOSAL = "proposal", _("提案")
        SUGGESTION = "suggestion", _("建议")
        MOTION = "motion", _("议案")

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交")
        RETURNED = "returned", _("退回修改")

    author = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="drafts", verbose_name=_("提出人"))
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="drafts", verbose_name=_("会议"))
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices, default=Kind.PROPOSAL)
    title = models.CharField(_("案由"), max_length=300, blank=True)
    category = models.CharField(_("类别"), max_length=16, choices=Proposal.Category.choices,
                                default=Proposal.Category.OTHER)
    analysis = models.TextField(_("情况分析"), blank=True)
    suggestions = models.TextField(_("具体建议"), blank=True)
    # Private: shown to the office only, never on public pages, the public API or exports outside the office.
    phone = models.CharField(_("联系电话"), max_length=50, blank=True)
    address = models.CharField(_("通信地址"), max_length=200, blank=True)
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.DRAFT, editable=False)
    proposal = models.OneToOneField(Proposal, on_delete=models.SET_NULL, null=True, blank=True, editable=False,
                                    related_name="online_draft", verbose_name=_("登记的提案/建议"))
    return_note = models.TextField(_("退回意见"), blank=True, editable=False)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("网上提交的提案/建议")
        verbose_name_plural = _("网上提交的提案/建议")
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["author", "-updated_at"], name="draft_by_author")]

    def __str__(self):
        return self.title or "（未填写案由）"

    @property
    def part_labels(self) -> tuple[str, str]:
        """The body's two parts as the body's own form names them."""
        return ("案据", "办法建议") if self.meeting.body == "npc" else ("情况分析", "具体建议")

    @property
    def body_text(self) -> str:
        first, second = self.part_labels
        return f"一、{first}\n{self.analysis.strip()}\n二、{second}\n{self.suggestions.strip()}"


class CoSigner(models.Model):
    """An invited co-proposer (联名 for CPPCC, 附议 for NPC), in the order invited."""

    class State(models.TextChoices):
        INVITED = "invited", _("待确认")
        CONFIRMED = "confirmed", _("已确认")
        DECLINED = "declined", _("已谢绝")
        CANCELLED = "cancelled", _("已撤销邀请")

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="cosigners", verbose_name=_("提案/建议"))
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="cosign_invitations",
                               verbose_name=_("联名人"))
    order = models.PositiveSmallIntegerField(_("顺序"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.INVITED, editable=False)
    invited_at = models.DateTimeField(_("邀请时间"), auto_now_add=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("联名/附议")
        verbose_name_plural = _("联名/附议")
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["draft", "member"], name="cosigner_invited_once")]
        indexes = [models.Index(fields=["member", "state"], name="cosigner_by_member")]

    def __str__(self):
        return self.member.name


class Attachment(models.Model):
    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("提案/建议"))
    file = models.FileField(_("文件"), upload_to="submissions/%Y/")
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["pk"]

    def __str__(self):
        return self.name


class SubmitAttempt(models.Model):
    """The draft's version as submitted, each time (the timeline keeps both versions after 退回修改)."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="versions", verbose_name=_("提案/建议"))
    title = models.CharField(_("案由"), max_length=300)
    body = models.TextField(_("正文"))
    at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("提交版本")
        verbose_name_plural = _("提交版本")
        ordering = ["at", "pk"]
