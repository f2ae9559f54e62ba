"""Similar proposals while a member drafts: intake's similarity, limited to what the member may see
(published ones, their own and those they co-signed); never a draft, never another's unpublished one."""

from __future__ import annotations

from dataclasses import dataclass


from intake.selectors import SimilarProposal, describe, similar_proposal_matches
from proposals import access
from proposals.models import Proposal
from replies.public import public_replies
from submissions.models import Draft

# Candidates scored before the member's view is applied; most proposals of a meeting are unpublished.
CANDIDATES = 40


@dataclass(frozen=True)
class Shown:
    similar: SimilarProposal
    public_reply_id: int | None
    is_own: bool


def similar_for(draft: Draft, user, *, limit: int = 5) -> list[Shown]:
    probe = Proposal(meeting=draft.meeting, title=draft.title, body=draft.body_text if
                     (draft.analysis or draft.suggestions) else "")
    matches = [m for m in similar_proposal_matches(probe, limit=CANDIDATES) if m.pk != draft.proposal_id]
    ids = [match.pk for match in matches]
    if not ids:
        return []
    published = dict(public_replies().filter(assignment__proposal_id__in=ids)
                     .values_list("assignment__proposal_id", "pk"))
    member = access.member_of(user)
    own = set(Proposal.objects.filter(pk__in=ids, proposers__member=member).values_list("pk", flat=True)) if member else set()
    shown = [match for match in matches if match.pk in published or match.pk in own][:limit]
    return [Shown(item, published.get(item.proposal.pk), item.proposal.pk in own) for item in describe(shown)]


def similar_to_text(*, meeting, title: str, body: str, user, limit: int = 5) -> list[Shown]:
    return similar_for(Draft(meeting=meeting, title=title, analysis=body), user, limit=limit)


