"""The office's side of the front door: submission windows and the 议案 count per meeting, and what a
proposal submitted online brings to its page (the 提案表, attachments, the private contacts)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from proposals.forms import TransitionForm
from submissions import services
from submissions.models import MotionRule, Window


@admin.register(Window)
class WindowAdmin(admin.ModelAdmin):
    list_display = ["meeting", "kind", "opens_on", "closes_on"]
    list_filter = ["kind"]
    list_select_related = ["meeting"]


@admin.register(MotionRule)
class MotionRuleAdmin(admin.ModelAdmin):
    list_display = ["meeting", "min_deputies"]
    list_select_related = ["meeting"]


def online_submission(proposal) -> str:
    """网上提交: the 提案表, the attachments and the contacts the proposer gave (the office's only)."""
    draft = getattr(proposal, "online_draft", None) if proposal and proposal.pk else None
    if draft is None:
        return "—"
    files = format_html_join("、", '<a href="{}">{}</a>', (
        (reverse("submissions:attachment", args=[item.pk]), item.name) for item in draft.attachments.all()))
    return format_html(
        '网上提交于{}；<a href="{}">提案表（.docx）</a>；附件：{}；联系电话：{}；通信地址：{}',
        draft.submitted_at.strftime("%Y-%m-%d %H:%M") if draft.submitted_at else "—",
        reverse("submissions:docx", args=[draft.pk]), files or "无", draft.phone or "—", draft.address or "—",
    )


online_submission.short_description = "网上提交"


class ReturnForRevisionForm(TransitionForm):
    title = "退回修改"
    submit_label = "退回提出人修改"
    note = forms.CharField(label="退回意见", widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="如：一事一案，请分为两件；缺少具体数据；承办对象不明确",
                           error_messages={"required": "请填写退回修改的意见"})

    def perform(self, user):
        return services.return_for_revision(proposal=self.target, note=self.cleaned_data["note"], by=user)


def offer_return_for_revision(proposal, user, names: list[str]) -> list[str]:
    return [*names, "return_for_revision"] if services.may_return(proposal) else names
