"""Every page that apps above extend, with every contribution it receives (tracker/extensions.py).

The list below is the whole answer to "what is on the proposal page, and who put it there"; a new
contribution shows up here first. The pages are the same whatever order the apps are installed in.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin

from proposals.admin import AssignmentAdmin, ProposalAdmin
from proposals.models import Assignment, Proposal
from tracker import extensions

CONTRIBUTIONS = {
    "proposal_page_sections": ["intake.admin.similar_at_review", "supervision.contributions.proposal_page_section"],
    "proposal_fieldsets": ["Fieldset:提醒通知", "Fieldset:相似提案与建议主办单位", "Fieldset:网上提交"],
    "proposal_list_actions": ["intake.batch.assign_selected", "intake.batch.not_accept_selected"],
    "proposal_step_forms": ["StepForm:close_feedback_window", "StepForm:mark_urgent", "StepForm:record_feedback",
                            "StepForm:return_for_revision"],
    "proposal_steps_offered": ["replies.steps._feedback_steps", "submissions.admin.offer_return_for_revision",
                               "supervision.contributions.urgent_step_offered"],
    "assignment_step_forms": ["StepForm:refuse_opinion_waiver", "StepForm:waive_communication", "StepForm:waive_opinion"],
    "assignment_steps_offered": ["replies.steps._opinion_waiver_step", "replies.steps._waiver_step"],
    "assignment_clerk_steps": ["refuse_opinion_waiver", "waive_communication", "waive_opinion"],
    "assignment_queryset": ["replies.admin.with_reply_columns"],
    "assignment_list_columns": ["replies.admin.reply_or_opinion"],
    "assignment_fields": ["replies.admin.reply_or_opinion", "replies.admin.communication_waiver"],
    "agency_inlines": ["intake.admin.AgencyDutyInline"],
    "list_exports": ["ListExport:proposals.Assignment", "ListExport:proposals.Proposal", "ListExport:replies.Reply"],
    "lead_hints": ["intake.admin.suggested_leads"],
    "timeline_assignment_states": ["replies.models.Reply.State"],
    "step_listeners": ["notifications.work.plan_after_steps", "submissions.notices.tell_proposers_of_review"],
    "admin_alerts": ["notifications.alerts.outbox_paused_alert", "backups.alerts.backup_alert"],
    "member_nav_links": ["NavLink:网上提交"],
    "workbench_sections": ["supervision.contributions.key_progress_sections"],
    "dashboard_sections": ["supervision.contributions.dashboard_section"],
    "report_sections": ["supervision.contributions.report_section"],
    "member_proposal_sections": ["supervision.contributions.member_section"],
    "answer_limits": ["supervision.workflow.urgent_answer_limits"],
    "reply_send_guards": ["supervision.workflow.require_office_review"],
    "sweep_planners": ["supervision.reminders.plan_reminders"],
}


def pages() -> dict:
    """What the proposal and assignment admins are built from, as a person would see it named."""
    proposal_admin, assignment_admin = admin.site.get_model_admin(Proposal), admin.site.get_model_admin(Assignment)
    return {
        "proposal steps": sorted(proposal_admin.steps),
        "proposal actions": list(proposal_admin.actions),
        "assignment steps": sorted(assignment_admin.steps),
        "assignment fields": [getattr(f, "__name__", f) for f in assignment_admin.get_readonly_fields(None, None)],
        "contributions": extensions.contribution_names(),
    }


def test_every_contribution_to_every_page_is_listed():
    assert extensions.contribution_names() == CONTRIBUTIONS


def test_each_admin_is_the_one_its_own_app_registered():
    assert admin.site.get_model_admin(Proposal).__class__ is ProposalAdmin
    assert admin.site.get_model_admin(Assignment).__class__ is AssignmentAdmin


def test_the_pages_are_the_same_whatever_order_the_apps_start_in(monkeypatch):
    before = pages()
    monkeypatch.setattr(extensions, "_registry", type(extensions._registry)(list))
    for config in reversed(list(apps.get_app_configs())):
        config.ready()
    assert pages() == before


def test_a_hook_that_does_not_exist_is_refused():
    with pytest.raises(KeyError):
        extensions.register("proposal_sidebar", print)
