from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackupsConfig(AppConfig):
    name = "backups"
    verbose_name = _("数据备份")

    def ready(self):
        from backups.alerts import backup_alert
        from tracker import extensions

        extensions.register("admin_alerts", backup_alert, order=1)  # shown below the outbox's
