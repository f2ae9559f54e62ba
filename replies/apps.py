from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RepliesConfig(AppConfig):
    name = "replies"
    verbose_name = _("答复")

    def ready(self):
        """The reply work on the proposal and assignment pages, contributed to their hooks."""
        from replies import admin as reply_admin
        from replies.forms import ASSIGNMENT_REPLY_STEPS, PROPOSAL_REPLY_STEPS
        from replies.models import Reply
        from replies.steps import offer_steps_on_proposals
        from tracker import extensions

        offer_steps_on_proposals()
        for name, form in PROPOSAL_REPLY_STEPS.items():
            extensions.register("proposal_step_forms", extensions.StepForm(name, form))
        for name, form in ASSIGNMENT_REPLY_STEPS.items():
            extensions.register("assignment_step_forms", extensions.StepForm(name, form))
        extensions.register("assignment_queryset", reply_admin.with_reply_columns)
        extensions.register("assignment_list_columns", reply_admin.reply_or_opinion)
        extensions.register("assignment_fields", reply_admin.reply_or_opinion)
        extensions.register("assignment_fields", reply_admin.communication_waiver, order=1)
        extensions.register("timeline_assignment_states", Reply.State)
