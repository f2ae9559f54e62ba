"""Intake's own data: each agency's duty keywords (职责关键词), and the meetings as the admin's
entry to a meeting's intake (a proxy: no table of its own)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from intake.fields import NAME_SEPARATORS
from proposals.models import Agency, Meeting


class AgencyDuty(models.Model):
    """Words that fall within an agency's duties (公交、地铁 → 市交通运输局), for suggesting a lead."""

    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="duty", verbose_name=_("承办单位"))
    keywords = models.TextField(_("职责关键词"), blank=True, help_text=_("以顿号、逗号或空格分隔，如：公交、地铁、道路"))

    class Meta:
        verbose_name = _("职责关键词")
        verbose_name_plural = _("职责关键词")

    def __str__(self):
        return f"{self.agency}:{self.keywords[:30]}"

    @property
    def keyword_list(self) -> list[str]:
        return [word for word in NAME_SEPARATORS.split(self.keywords) if len(word) >= 2]


class MeetingIntake(Meeting):
    class Meta:
        proxy = True
        verbose_name = _("会议收案")
        verbose_name_plural = _("会议收案")
