"""Thin forms: read the office's input, call supervision.workflow, show its refusal."""

from __future__ import annotations

import re

from django import forms
from django.core.validators import FileExtensionValidator

from proposals.forms import TransitionForm
from proposals.models import Agency, Assignment, Proposal
from supervision.access import INACTIVE
from supervision import selectors, workflow
from supervision.models import (
    Activity,
    ActivityAttachment,
    DecisionBody,
    KeyProposal,
    ProgressReport,
    ProgressRound,
    ReplyReview,
)

_SEPARATORS = re.compile(r"[\s,，、;；]+")
ATTACHMENT_TYPES = ("pdf", "jpg", "jpeg", "png", "doc", "docx", "xls", "xlsx")
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024


class SelectForm(TransitionForm):
    """The committee's decision: which proposals of the topic's meeting become key, in this topic."""

    title = "确定重点提案"
    submit_label = "确定为重点"
    numbers = forms.CharField(label="提案/建议编号", help_text="本次会议的编号，多件以顿号、逗号或空格分隔，如：1001、1002",
                              widget=forms.TextInput(attrs={"size": 60}))
    decision_body = forms.ChoiceField(label="决定会议", choices=DecisionBody.choices)
    decision_meeting = forms.CharField(label="会议届次", max_length=100, help_text="如：十四届第十次主席会议")
    decided_on = forms.DateField(label="决定日期", help_text="如：2026-03-20")
    reason = forms.CharField(label="遴选理由", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="未经推荐的提案须填写；已有推荐的沿用推荐理由")

    def clean_numbers(self):
        numbers = [n for n in _SEPARATORS.split(self.cleaned_data["numbers"]) if n]
        numbers = [n[1:-1] if n.startswith("第") and n.endswith("号") else n for n in numbers]
        found = {p.number: p for p in Proposal.objects.filter(meeting_id=self.target.meeting_id, number__in=numbers)
                 .select_related("meeting")}
        missing = [n for n in numbers if n not in found]
        if missing:
            raise forms.ValidationError(f"本次会议没有这些编号：{'、'.join(missing)}")
        if not numbers:
            raise forms.ValidationError("请填写至少一个编号")
        return [found[n] for n in dict.fromkeys(numbers)]

    def perform(self, user):
        data = self.cleaned_data
        return workflow.select_key_proposals(
            topic=self.target, proposals=data["numbers"], decision_body=data["decision_body"],
            decision_meeting=data["decision_meeting"], decided_on=data["decided_on"], reason=data["reason"], by=user)


class RemoveForm(TransitionForm):
    title = "移出重点"
    submit_label = "移出"
    reason = forms.CharField(label="移出理由", widget=forms.Textarea(attrs={"rows": 3}))

    def perform(self, user):
        return workflow.remove_key_proposal(key=self.target, reason=self.cleaned_data["reason"], by=user)


class DeclineForm(TransitionForm):
    title = "未确定为重点"
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def perform(self, user):
        return workflow.decline_nomination(nomination=self.target, note=self.cleaned_data["note"], by=user)


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = ["topic", "kind", "date", "place", "supervisors", "participants", "agencies", "minutes"]
        # A topic has a few leaders: each a checkbox, so a name is one click.
        widgets = {"participants": forms.Textarea(attrs={"rows": 2}), "minutes": forms.Textarea(attrs={"rows": 6}),
                   "supervisors": forms.CheckboxSelectMultiple, "agencies": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The agencies that may be present are those handling the topic's proposals, not all of them.
        topic_id = self.data.get("topic") or self.initial.get("topic") or getattr(self.instance, "topic_id", None)
        if topic_id and str(topic_id).isdigit():
            self.fields["agencies"].queryset = Agency.objects.filter(
                pk__in=Assignment.objects.filter(
                    proposal__key_selections__topic_id=int(topic_id), proposal__key_selections__state="selected",
                ).exclude(state__in=INACTIVE).values("agency_id"))


class AttachmentForm(forms.ModelForm):
    class Meta:
        model = ActivityAttachment
        fields = ["file", "title"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        FileExtensionValidator(ATTACHMENT_TYPES, message="附件只能是 PDF、图片、Word 或 Excel 文件")(upload)
        if upload.size > ATTACHMENT_MAX_BYTES:
            raise forms.ValidationError("附件不能超过20MB")
        return upload


class ProgressReportForm(forms.ModelForm):
    """The lead agency's report: only its own key proposals and their topics' rounds are offered."""

    class Meta:
        model = ProgressReport
        fields = ["key_proposal", "round", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, keys=None, **kwargs):
        super().__init__(*args, **kwargs)
        keys = keys if keys is not None else KeyProposal.objects.none()
        self.fields["key_proposal"].queryset = keys.select_related("proposal__meeting")
        self.fields["key_proposal"].label_from_instance = lambda k: f"{k.proposal.number_label} {k.proposal.title}"
        self.fields["round"].queryset = ProgressRound.objects.filter(topic__key_proposals__in=keys).distinct()


class ReplyReviewForm(forms.ModelForm):
    """The office approves a signed-off key reply; only letters waiting for it are offered."""

    class Meta:
        model = ReplyReview
        fields = ["reply", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reply"].queryset = selectors.replies_awaiting_review()
        self.fields["reply"].label_from_instance = lambda r: f"{r.assignment.proposal.number_label} {r.title}"


class UrgentForm(TransitionForm):
    """On the proposal's page at review: 列为时效性提案 (the office's short period applies at 交办)."""

    title = "列为时效性提案"
    submit_label = "列为时效性提案"
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="如：涉及当前防汛工作，需尽快办理")

    def perform(self, user):
        return workflow.mark_urgent(proposal=self.target, reason=self.cleaned_data["reason"], by=user)
