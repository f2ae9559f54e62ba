"""Batch steps on the proposals' changelist (交办会): one form for many proposals. 交办 goes through the
workflow's batch verb, which refuses each proposal on its own, so one refusal never half-assigns
another proposal; 不予立案 takes each proposal's own ground and reason.

Standard admin intermediate pages: the form posts back to the changelist with the action name and
the selected ids; `apply` marks the second post.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.template.response import TemplateResponse
from django.utils import timezone

from intake.agencies import agencies_of_region
from intake.suggestions import suggest_lead_agencies_for_many
from proposals.models import NotAcceptGround, Proposal
from proposals.workflow import AssignmentPlan, assign_proposals, not_accept_proposal
from tracker.errors import WorkflowError


class BatchAssignForm(forms.Form):
    lead = forms.ModelChoiceField(label="主办单位", queryset=None)
    assisting = forms.ModelMultipleChoiceField(
        label="会办单位", queryset=None, required=False, widget=FilteredSelectMultiple("会办单位", is_stacked=False)
    )
    on = forms.DateField(label="交办日期", initial=timezone.localdate,
                         widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, region: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = agencies_of_region(region)
        self.fields["assisting"].queryset = agencies_of_region(region)

    def clean(self):
        data = super().clean()
        if data.get("lead") and data.get("lead") in data.get("assisting", []):
            self.add_error("assisting", "主办单位不能同时作为会办单位")
        return data


def _intermediate(modeladmin, request, queryset, action: str, title: str, template: str, **context):
    return TemplateResponse(request, template, {
        **modeladmin.admin_site.each_context(request), **context, "title": title, "queryset": queryset, "action": action,
        "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
        "opts": Proposal._meta, "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    })


def assign_selected(modeladmin, request, queryset):
    """交办 every selected accepted proposal to one lead (and the same assisting agencies)."""
    proposals = list(queryset.select_related("meeting").order_by("meeting", "number"))
    regions = {p.meeting.region for p in proposals}
    if len(regions) != 1:
        messages.error(request, "所选提案来自不同地区的会议，请按会议分别交办")
        return None
    not_ready = [p for p in proposals if p.status != Proposal.Status.ACCEPTED]
    form = BatchAssignForm(request.POST if "apply" in request.POST else None, region=regions.pop())
    if "apply" in request.POST and form.is_valid():
        _assign_each(request, [p for p in proposals if p not in not_ready], form.cleaned_data)
        return None
    ready = [p for p in proposals if p not in not_ready]
    suggestions = suggest_lead_agencies_for_many(ready)
    return _intermediate(
        modeladmin, request, proposals, "assign_selected", "批量交办", "admin/intake/batch_assign.html", form=form,
        media=modeladmin.media + form.media, not_ready=not_ready,
        rows=[(p, suggestions.get(p.pk, [])) for p in ready],
    )


def _assign_each(request, proposals, data) -> None:
    plans = [AssignmentPlan(proposal, lead=data["lead"], assisting=tuple(data["assisting"])) for proposal in proposals]
    try:
        outcome = assign_proposals(plans=plans, by=request.user, on=data["on"])
    except WorkflowError as error:  # refused for every proposal: not a clerk
        messages.error(request, f"未交办：{error.zh}")
        return
    for index, refusal in sorted(outcome.refused.items()):
        messages.error(request, f"{proposals[index].number_label}未交办：{refusal.zh}")
    done = len(outcome.done)
    if done:
        messages.success(request, f"已交办 {done} 件：主办 {data['lead'].name}"
                         + (f"，会办 {'、'.join(a.name for a in data['assisting'])}" if data["assisting"] else ""))


class NotAcceptRowForm(forms.Form):
    ground = forms.ModelChoiceField(label="不予立案情形", queryset=NotAcceptGround.objects.filter(active=True))
    reason = forms.CharField(label="理由（将告知提出人）", widget=forms.Textarea(attrs={"rows": 2, "cols": 50}))


def not_accept_selected(modeladmin, request, queryset):
    """不予立案 for each selected proposal, each with its own ground and reason."""
    proposals = list(queryset.select_related("meeting").order_by("meeting", "number"))
    applying = "apply" in request.POST
    forms_by_proposal = [
        (p, NotAcceptRowForm(request.POST if applying else None, prefix=f"p{p.pk}")) for p in proposals
    ]
    if applying and all(form.is_valid() for _, form in forms_by_proposal):
        done = 0
        for proposal, form in forms_by_proposal:
            try:
                not_accept_proposal(proposal=proposal, ground=form.cleaned_data["ground"],
                                    reason=form.cleaned_data["reason"], by=request.user)
                done += 1
            except WorkflowError as error:
                messages.error(request, f"{proposal.number_label}：{error.zh}")
        if done:
            messages.success(request, f"已不予立案 {done} 件")
        return None
    return _intermediate(modeladmin, request, proposals, "not_accept_selected", "批量不予立案",
                         "admin/intake/batch_not_accept.html", rows=forms_by_proposal)


assign_selected.short_description = "批量交办所选提案（同一主办、会办单位）"
not_accept_selected.short_description = "批量不予立案（逐件填写情形和理由）"
