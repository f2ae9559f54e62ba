"""The office's side of the front door: submission windows and the 议案 count per meeting, and what a
proposal submitted online brings to its page (the 提案表, attachments, the private contacts)."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join

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
