"""A record of every backup and restore, so the office sees when the last backup was taken and
whether it worked."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BackupRun(models.Model):
    class Kind(models.TextChoices):
        BACKUP = "backup", _("备份")
        RESTORE = "restore", _("恢复")

    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.BACKUP)
    started_at = models.DateTimeField(_("开始时间"), default=timezone.now)
    finished_at = models.DateTimeField(_("结束时间"))
    succeeded = models.BooleanField(_("成功"))
    archive = models.CharField(_("备份文件"), max_length=300, blank=True)
    size_bytes = models.BigIntegerField(_("文件大小（字节）"), null=True, blank=True)
    archive_taken_at = models.DateTimeField(_("备份制作时间"), null=True, blank=True,
                                            help_text=_("恢复时：所恢复的备份是何时制作的"))
    detail = models.TextField(_("说明"), blank=True, help_text=_("内容概要，或失败的原因"))

    class Meta:
        verbose_name = _("备份记录")
        verbose_name_plural = _("备份记录")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["kind", "-started_at"], name="backup_run_latest")]

    def __str__(self):
        outcome = "成功" if self.succeeded else "失败"
        return f"{self.get_kind_display()} {timezone.localtime(self.started_at):%Y-%m-%d %H:%M} {outcome}"

    @property
    def seconds(self) -> float:
        return (self.finished_at - self.started_at).total_seconds()
