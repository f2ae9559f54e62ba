"""Read-only queries for the member's list and the draft's page, each a fixed number of queries."""

from __future__ import annotations

from django.db.models import Count, F, Q, QuerySet

from proposals import access
from proposals.models import Member, Proposal
from submissions.models import CoSigner, Draft

DRAFT_ROW_FIELDS = ("id", "title", "kind", "state", "updated_at", "submitted_at", "proposal_id")


def my_drafts(user) -> QuerySet:
    """The author's drafts and submissions as rows, with the registered proposal's number and state
    and how many invitations stand where: one query."""
    member = access.member_of(user)
    return (Draft.objects.filter(author=member)
            .values(*DRAFT_ROW_FIELDS, meeting_name=F("meeting__name"), number=F("proposal__number"),
                    status=F("proposal__status"))
            .annotate(invited=Count("cosigners", filter=Q(cosigners__state=CoSigner.State.INVITED)),
                      confirmed=Count("cosigners", filter=Q(cosigners__state=CoSigner.State.CONFIRMED)))
            .order_by("-updated_at", "-id"))


def invitations_to(user) -> QuerySet:
    """Invitations to the member not cancelled, on drafts still open or submitted: one query."""
    member = access.member_of(user)
    return (CoSigner.objects.filter(member=member).exclude(state=CoSigner.State.CANCELLED)
            .values("id", "state", "draft_id", title=F("draft__title"), author=F("draft__author__name"),
                    draft_state=F("draft__state"), meeting_name=F("draft__meeting__name"))
            .order_by("-invited_at", "-id"))


def status_label(status: str | None) -> str:
    return Proposal.Status(status).label if status else ""


def invite_candidates(draft: Draft) -> QuerySet[Member]:
    """Members of the meeting's body with an account, not the author, not invited already."""
    taken = draft.cosigners.exclude(state=CoSigner.State.CANCELLED).values("member_id")
    return (Member.objects.filter(body=draft.meeting.body, region=draft.meeting.region, user__isnull=False,
                                  kind=Member.Kind.PERSON)
            .exclude(pk=draft.author_id).exclude(pk__in=taken).order_by("sector", "name"))
