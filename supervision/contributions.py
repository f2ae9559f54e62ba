"""What key proposals add to the pages of the apps below (tracker/extensions.py), registered from
SupervisionConfig.ready(): the 工作台's lists, the dashboard's and the year-end report's section,
the proposal's page, the member's page, and the progress reminders planned at each sweep."""

from __future__ import annotations

import datetime as dt

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html

from proposals import access
from proposals.admin import deadline_html
from supervision import reminders, selectors, workflow
from supervision.figures import DEFINITIONS, key_figures
from supervision.forms import UrgentForm
from supervision.models import SupervisionSettings
from tracker import extensions
from workbench.sections import ROWS_SHOWN, Row, Section


def _report_url(key) -> str:
    return (reverse("admin:supervision_progressreport_add")
            + f"?key_proposal={key.pk}&round={key.round_id}")


def _rows(queryset) -> tuple[list, int]:
    return list(queryset[:ROWS_SHOWN]), queryset.count()


def _review_section(today: dt.date) -> Section:
    rows, count = _rows(selectors.replies_awaiting_review())
    add = reverse("admin:supervision_replyreview_add")
    return Section(
        "key_replies_to_review", "重点提案答复函待审核", ["编号", "答复函", "承办单位", "期限"], count,
        [Row(f"{add}?reply={r.pk}", [r.assignment.proposal.number_label, r.title, r.assignment.agency.name,
                                     deadline_html(r.assignment.due_on, False, today, iso=True)]) for r in rows],
        empty="没有待审核的重点提案答复函",
    )


def _urgent_section() -> Section:
    rows, count = _rows(selectors.urgent_to_assign())
    return Section(
        "urgent_to_assign", "时效性提案待交办（不待交办会）", ["编号", "案由", "状态", "答复期限"], count,
        [Row(reverse("admin:proposals_proposal_change", args=[m.proposal_id]),
             [m.proposal.number_label, m.proposal.title, m.proposal.get_status_display(),
              f"交办后{m.reply_workdays}个工作日"]) for m in rows],
        empty="没有待交办的时效性提案",
    )


def key_progress_sections(user, today: dt.date) -> list[Section]:
    """The clerk: key replies to review and late progress reports; the lead agency's staff: the
    reports it owes."""
    if access.is_clerk(user):
        rows, count = _rows(selectors.progress_late(today))
        review = [_review_section(today)] if SupervisionSettings.current().reply_review_required else []
        return [_urgent_section(), *review, Section(
            "key_progress_late", "重点提案进展逾期未报", ["编号", "案由", "专题", "主办单位", "报送节点", "截止日"], count,
            [Row(reverse("admin:supervision_keyproposal_change", args=[k.pk]),
                 [k.proposal.number_label, k.proposal.title, k.topic.title, k.lead_agency or "—", k.round_title,
                  deadline_html(k.round_due_on, False, today, iso=True)]) for k in rows],
            reverse("admin:supervision_keyproposal_changelist"), empty="没有逾期未报的重点提案进展",
        )]
    agency = access.agency_of(user)
    if agency is None or not access.is_agency_staff(user):
        return []
    rows, count = _rows(selectors.progress_owed_by(agency.pk))
    return [Section(
        "key_progress_owed", "重点提案进展待报送", ["编号", "案由", "专题", "报送节点", "截止日"], count,
        [Row(_report_url(k), [k.proposal.number_label, k.proposal.title, k.topic.title, k.round_title,
                              deadline_html(k.round_due_on, False, today, iso=True)]) for k in rows],
        reverse("admin:supervision_keyproposal_changelist"), empty="没有待报送的重点提案进展",
    )]


def dashboard_section(request, scope) -> str:
    figures = key_figures(scope)
    return render_to_string("admin/supervision/dashboard_section.html",
                            {"figures": figures, "definitions": DEFINITIONS, "is_clerk": access.is_clerk(request.user),
                             "export_url": reverse("admin:supervision_keyproposal_export")
                             + (f"?meeting={scope.meeting_id}" if scope.meeting_id else "")}, request=request)


def report_section(scope) -> extensions.ReportSection:
    figures = key_figures(scope)
    return extensions.ReportSection("重点提案/建议办理情况", (*figures.sentences(), *DEFINITIONS.values()))


def member_section(proposal) -> str:
    """On the member's page: the proposal is key, in which topic, supervised by whom (name and post only)."""
    key = selectors.topic_of(proposal.pk)
    if key is None:
        return ""
    leads = [ts.supervisor for ts in selectors.supervisors_of(proposal.pk) if ts.is_lead]
    return render_to_string("supervision/member_section.html", {"key": key, "leads": leads})


def proposal_page_section(request, proposal) -> str:
    """On the proposal's admin page, for whoever may see it: its topic and supervisors."""
    key = selectors.topic_of(proposal.pk)
    if key is None:
        return ""
    url = reverse("admin:supervision_keytopic_change", args=[key.topic_id]) if access.is_clerk(request.user) else ""
    leads = "、".join(f"{ts.supervisor.name}（{ts.supervisor.post}）"
                      for ts in selectors.supervisors_of(proposal.pk) if ts.is_lead) or "尚未确定"
    topic = format_html('<a href="{}">{}</a>', url, key.topic.title) if url else key.topic.title
    return format_html('<fieldset class="module"><h2>重点提案督办</h2><p>专题：{}；领衔督办：{}；'
                       '{}（{}）{}确定。</p></fieldset>', topic, leads, key.decision_meeting,
                       key.get_decision_body_display(), key.decided_on.strftime("%Y年%m月%d日"))


def urgent_step_offered(proposal, user, names: list[str]) -> list[str]:
    if access.is_clerk(user) and proposal.status in workflow.URGENT_FROM and not selectors.is_urgent(proposal.pk):
        return [*names, "mark_urgent"]
    return names


def register_all() -> None:
    extensions.register("workbench_sections", key_progress_sections)
    extensions.register("dashboard_sections", dashboard_section)
    extensions.register("report_sections", report_section)
    extensions.register("member_proposal_sections", member_section)
    extensions.register("proposal_page_sections", proposal_page_section, order=1)
    extensions.register("sweep_planners", reminders.plan_reminders)
    extensions.register("answer_limits", workflow.urgent_answer_limits)
    extensions.register("proposal_step_forms", extensions.StepForm("mark_urgent", UrgentForm))
    extensions.register("proposal_steps_offered", urgent_step_offered)
    extensions.register("reply_send_guards", workflow.require_office_review)
