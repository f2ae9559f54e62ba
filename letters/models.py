"""Published documents the office keeps: policy documents, and the log of imported files."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PolicyDocument(models.Model):
    """A regulation or a draft published for comment (政策文件 / 征求意见稿) that replies cite."""

    title = models.CharField(_("标题"), max_length=300)
    issuing_body = models.CharField(_("发布机构"), max_length=200, blank=True)
    region = models.CharField(_("地区"), max_length=50, blank=True)
    is_draft = models.BooleanField(_("征求意见稿"), default=False)
    published_on = models.DateField(_("发布日期"), null=True, blank=True)
    text = models.TextField(_("正文（规范化）"))
    original_text = models.TextField(_("原文"))

    class Meta:
        verbose_name = _("政策文件")
        verbose_name_plural = _("政策文件")
        ordering = ["-published_on", "title"]

    def __str__(self):
        return self.title


class PolicyArticle(models.Model):
    document = models.ForeignKey(PolicyDocument, on_delete=models.CASCADE, related_name="articles", verbose_name=_("文件"))
    chapter_number = models.PositiveSmallIntegerField(_("章"), null=True, blank=True)
    chapter_title = models.CharField(_("章名"), max_length=200, blank=True)
    number = models.PositiveSmallIntegerField(_("条"))
    heading = models.CharField(_("条旨"), max_length=200, blank=True)
    text = models.TextField(_("条文"))

    class Meta:
        verbose_name = _("条文")
        verbose_name_plural = _("条文")
        ordering = ["document", "number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="article_number_once")]

    def __str__(self):
        return f"第{self.number}条 {self.heading}"


class ImportedDocument(models.Model):
    """One imported file, identified by its content, so loading twice changes nothing."""

    class DocType(models.TextChoices):
        REPLY = "reply", _("答复函")
        ASSISTING_OPINION = "assisting_opinion", _("会办（协办）意见")
        POLICY_DOCUMENT = "policy_document", _("政策文件")
        UNKNOWN = "unknown", _("无法识别")

    checksum = models.CharField(_("SHA-256"), max_length=64, unique=True)
    file_name = models.CharField(_("文件名"), max_length=255)
    doc_type = models.CharField(_("文书类型"), max_length=20, choices=DocType.choices)
    imported_at = models.DateTimeField(_("导入时间"), auto_now_add=True)
    proposal = models.ForeignKey(
        "proposals.Proposal", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("提案/建议")
    )
    policy_document = models.ForeignKey(
        PolicyDocument, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("政策文件")
    )
    # Imported through the admin's review: what the parser read, and what the clerk changed
    # ({field: {"parsed": …, "corrected": …}}); both empty for files loaded by command.
    parsed_record = models.JSONField(_("解析结果"), default=dict, blank=True)
    corrections = models.JSONField(_("人工更正"), default=dict, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("导入人"),
    )

    class Meta:
        verbose_name = _("导入记录")
        verbose_name_plural = _("导入记录")
        ordering = ["-imported_at"]

    def __str__(self):
        return self.file_name
