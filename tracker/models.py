"""The office's working-day calendar: year schedules entered or corrected in the admin.

The State Council publishes each year's holidays late in the year before, and has changed them
mid-year (2020); chinese-calendar only knows the years it shipped with. So an office can enter
a year (or correct single days of a known year) here, and that wins.

Also the API tokens, kept as digests only (tracker.tokens).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarYear(models.Model):
    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    note = models.CharField(_("依据"), max_length=200, blank=True, help_text=_("如：国务院办公厅关于2027年部分节假日安排的通知"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("年度节假日安排")
        verbose_name_plural = _("年度节假日安排")
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}"


class CalendarDay(models.Model):
    schedule = models.ForeignKey(CalendarYear, on_delete=models.CASCADE, related_name="days", verbose_name=_("年度"))
    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否上班"), help_text=_("勾选：调休上班日；不勾选：放假日"))
    name = models.CharField(_("名称"), max_length=50, blank=True, help_text=_("如：春节、国庆节调休"))

    class Meta:
        verbose_name = _("节假日或调休日")
        verbose_name_plural = _("节假日或调休日")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {'上班' if self.is_workday else '放假'} {self.name}"

    def clean(self):
        if self.date and self.schedule_id and self.date.year != self.schedule.year:
            raise ValidationError({"date": _("日期不在该年度内 / The date is outside this year.")})


class ApiToken(models.Model):
    """An API token, stored as the SHA-256 of its key: the key is shown once, when it is issued, and
    neither the database nor a backup of it can be used to call the API."""

    digest = models.CharField(_("令牌摘要"), max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens",
                             verbose_name=_("用户"))
    created = models.DateTimeField(_("签发时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")
        indexes = [models.Index(fields=["user", "created"], name="api_tokens_of_user")]

    def __str__(self):
        return f"{self.user} · {self.created:%Y-%m-%d}"
