from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubmissionsConfig(AppConfig):
    name = "submissions"
    verbose_name = _("网上提交")

    def ready(self):
        from submissions.admin import ReturnForRevisionForm, offer_return_for_revision, online_submission
        from submissions.notices import tell_proposers_of_review
        from tracker import extensions

        # 立案, 不予立案, 并案, 转参考 of a proposal submitted online reach its author and co-proposers.
        extensions.register("step_listeners", tell_proposers_of_review)
        extensions.register("proposal_fieldsets", extensions.Fieldset("网上提交", (online_submission,), clerks_only=True))
        extensions.register("proposal_step_forms", extensions.StepForm("return_for_revision", ReturnForRevisionForm))
        extensions.register("proposal_steps_offered", offer_return_for_revision)
        extensions.register("member_nav_links", extensions.NavLink("网上提交", "submissions:list"))
