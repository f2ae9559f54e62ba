from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    """重点提案督办: selection, the leaders' supervision, progress reports and the extra review."""

    name = "supervision"
    verbose_name = _("重点提案督办")

    def ready(self):
        from supervision import contributions

        contributions.register_all()
