from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = _("收案与交办")

    def ready(self):
        from intake.admin import contribute_to_proposal_pages

        contribute_to_proposal_pages()
