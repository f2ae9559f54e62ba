from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("提醒通知")

    def ready(self):
        from notifications.alerts import outbox_paused_alert
        from tracker.alerts import register_alert_source

        register_alert_source(outbox_paused_alert)

        from notifications.work import plan_after_steps
        from proposals.transitions import listen_to_steps

        # Whoever must act next is told once a step commits (notifications.work).
        listen_to_steps(plan_after_steps)
