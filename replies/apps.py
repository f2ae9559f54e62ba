from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RepliesConfig(AppConfig):
    name = "replies"
    verbose_name = _("答复")

    def ready(self):
        from replies.steps import offer_steps_on_proposals

        offer_steps_on_proposals()
