"""What the office keeps about its figures: the ranking weights and which meetings' headline
figures are public. The figures themselves are computed, never stored."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from proposals.models import Meeting


class Dashboard(models.Model):
    """No table: the admin's 统计分析 entry (a page, not a list of rows)."""

    class Meta:
        managed = False
        default_permissions = ()
        verbose_name = _("统计分析")
        verbose_name_plural = _("统计分析")


class ScoreWeights(models.Model):
    """考评权重: how much each rate counts in an agency's score (0-100 each; the score divides by
    the weights of the rates it could compute). Defaults: 办复率 20, 按期办复率 30, 见面率 15,
    办理结果满意率 25, 办理态度满意率 10 — the weighting most city offices' 考评办法 lean to: the
    result the members judge and the deadline the law sets weigh most."""

    name = models.CharField(_("名称"), max_length=100, default="本办考评权重")
    in_use = models.BooleanField(_("当前使用"), default=True)
    replied_rate = models.PositiveSmallIntegerField(_("办复率权重"), default=20, validators=[MaxValueValidator(100)])
    on_time_rate = models.PositiveSmallIntegerField(_("按期办复率权重"), default=30, validators=[MaxValueValidator(100)])
    met_in_person_rate = models.PositiveSmallIntegerField(_("见面率权重"), default=15, validators=[MaxValueValidator(100)])
    satisfied_result_rate = models.PositiveSmallIntegerField(
        _("办理结果满意率权重"), default=25, validators=[MaxValueValidator(100)])
    satisfied_attitude_rate = models.PositiveSmallIntegerField(
        _("办理态度满意率权重"), default=10, validators=[MaxValueValidator(100)])

    class Meta:
        verbose_name = _("考评权重")
        verbose_name_plural = _("考评权重")
        constraints = [
            models.UniqueConstraint(fields=["in_use"], condition=Q(in_use=True), name="one_score_weights_in_use"),
            models.CheckConstraint(
                condition=Q(replied_rate__gt=0) | Q(on_time_rate__gt=0) | Q(met_in_person_rate__gt=0)
                | Q(satisfied_result_rate__gt=0) | Q(satisfied_attitude_rate__gt=0),
                name="score_weights_not_all_zero",
                violation_error_message=_("至少一项权重须大于0"),
            ),
        ]

    def __str__(self):
        return self.name

    WEIGHTED = ("replied_rate", "on_time_rate", "met_in_person_rate", "satisfied_result_rate", "satisfied_attitude_rate")

    def as_dict(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in self.WEIGHTED}


class PublishedFigures(models.Model):
    """A meeting whose headline figures (counts and rates, no names) the office made public."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="published_figures",
                                   verbose_name=_("会议"))
    published_on = models.DateField(_("公开日期"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("公开人"))

    class Meta:
        verbose_name = _("公开的统计数据")
        verbose_name_plural = _("公开的统计数据")
        ordering = ["-published_on"]

    def __str__(self):
        return f"{self.meeting} 办理情况统计"
