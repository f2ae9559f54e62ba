from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("统计分析")

    def ready(self):
        from reports.list_exports import contribute_list_exports

        contribute_list_exports()
