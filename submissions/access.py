"""Who sees a draft: its author edits it; an invited co-proposer reads it; nobody else sees it."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from proposals import access
from submissions.models import CoSigner, Draft


def drafts_visible_to(user) -> QuerySet[Draft]:
    """The author's own drafts and those the member is invited to co-sign (read-only). Clerks see
    what was submitted (a draft becomes the office's only then)."""
    member = access.member_of(user)
    if member is not None:
        invited = CoSigner.objects.filter(member=member).exclude(state=CoSigner.State.CANCELLED).values("draft_id")
        return Draft.objects.filter(Q(author=member) | Q(pk__in=invited))
    if access.is_clerk(user):
        return Draft.objects.filter(proposal__isnull=False)
    return Draft.objects.none()


def drafts_of_author(user) -> QuerySet[Draft]:
    member = access.member_of(user)
    return Draft.objects.filter(author=member) if member is not None else Draft.objects.none()
