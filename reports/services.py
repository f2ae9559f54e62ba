"""The office's own writes about figures: publishing a meeting's headline figures."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from proposals import access
from proposals.models import Meeting
from reports.models import PublishedFigures
from tracker.errors import PermissionRefused, WorkflowError


def _require_clerk(user) -> None:
    if not access.is_clerk(user):
        raise PermissionRefused("not_clerk", "只有提案办工作人员可以公开统计数据", "Only clerks publish figures.")


@transaction.atomic
def publish_meeting_figures(*, meeting: Meeting, by) -> PublishedFigures:
    """公开: the meeting's headline counts and rates appear on the public pages and API."""
    _require_clerk(by)
    published, created = PublishedFigures.objects.get_or_create(
        meeting=meeting, defaults={"published_on": timezone.localdate(), "published_by": by}
    )
    if not created:
        raise WorkflowError("already_published", f"{meeting.name}的统计数据已公开", "These figures are already public.")
    return published


@transaction.atomic
def withdraw_meeting_figures(*, meeting: Meeting, by) -> None:
    """撤回公开: the figures leave the public pages."""
    _require_clerk(by)
    deleted, _ = PublishedFigures.objects.filter(meeting=meeting).delete()
    if not deleted:
        raise WorkflowError("not_published", f"{meeting.name}的统计数据未公开", "These figures are not public.")
