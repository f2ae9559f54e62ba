from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = _("收案与交办")

    def ready(self):
        from intake import signals  # noqa: F401  (connects the agencies' starting duty keywords)
