from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("提醒通知")

    def ready(self):
        from notifications.admin import notifications_link
        from notifications.alerts import outbox_paused_alert
        from notifications.work import plan_after_steps
        from tracker import extensions

        extensions.register("admin_alerts", outbox_paused_alert)
        # Whoever must act next is told once a step commits (notifications.work).
        extensions.register("step_listeners", plan_after_steps)
        extensions.register("proposal_fieldsets",
                            extensions.Fieldset("提醒通知", (notifications_link,), clerks_only=True))
