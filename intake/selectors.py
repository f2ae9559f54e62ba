"""Reads of intake's pages: proposals similar to one under review, and the agencies that led them."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.postgres.search import TrigramDistance, TrigramSimilarity
from django.db import connections
from django.db.models import F, Func, TextField, Value

from intake.similarity import similarity, title_grams, trigrams
from proposals.models import Assignment, Meeting, Proposal
from replies.models import Reply

# Below this a title shares too little to be worth a clerk's look (an unrelated title scores 0-0.1).
MIN_SCORE = 0.12
# The index finds this many nearest titles; the exact score then ranks them.
CANDIDATES = 40


@dataclass(frozen=True)
class SimilarProposal:
    proposal: Proposal
    score: float
    lead_agency: str
    reply_id: int | None


class TitleGrams(Func):
    function = "intake_title_grams"
    output_field = TextField()


def comparable_meetings(meeting: Meeting) -> list[int]:
    """This meeting and the earlier ones of the same body and region."""
    return list(Meeting.objects.filter(body=meeting.body, region=meeting.region, year__lte=meeting.year)
                .values_list("pk", flat=True))


def similar_proposals(proposal: Proposal, *, limit: int = 5) -> list[SimilarProposal]:
    """The proposals of this and earlier meetings whose titles are most like this one's, best first."""
    return describe(similar_proposal_scores(proposal, limit=limit))


def similar_proposal_scores(proposal: Proposal, *, limit: int = 5, meetings: list[int] | None = None,
                            candidates: int = CANDIDATES, min_score: float = MIN_SCORE) -> list[tuple[int, float]]:
    """(id, score) of the nearest titles: a GiST index search on PostgreSQL, every row elsewhere."""
    meetings = comparable_meetings(proposal.meeting) if meetings is None else meetings
    scope = Proposal.objects.filter(meeting_id__in=meetings).exclude(pk=proposal.pk)
    grams = title_grams(proposal.title)
    if not grams:
        return []
    if connections[scope.db].vendor != "postgresql":
        return _brute_force(scope, proposal.title, limit, min_score)
    nearest = (
        scope.annotate(score=TrigramSimilarity(TitleGrams(F("title")), Value(grams)))
        .order_by(TrigramDistance(TitleGrams(F("title")), Value(grams)))
        .values_list("pk", "score")[:candidates]
    )
    ranked = sorted(nearest, key=lambda row: (-row[1], row[0]))
    return [(pk, score) for pk, score in ranked if score >= min_score][:limit]


def brute_force_scores(proposal: Proposal, *, limit: int = 5, meetings: list[int]) -> list[tuple[int, float]]:
    """The same score over every row of scope, computed by PostgreSQL without the index order (the
    benchmark's reference)."""
    grams = title_grams(proposal.title)
    scope = Proposal.objects.filter(meeting_id__in=meetings).exclude(pk=proposal.pk)
    rows = (scope.annotate(score=TrigramSimilarity(TitleGrams(F("title")), Value(grams)))
            .filter(score__gte=MIN_SCORE).order_by("-score", "pk").values_list("pk", "score")[:limit])
    return list(rows)


def _brute_force(scope, title: str, limit: int, min_score: float = MIN_SCORE) -> list[tuple[int, float]]:
    wanted = trigrams(title_grams(title))
    scored = [(pk, similarity(wanted, trigrams(title_grams(other)))) for pk, other in scope.values_list("pk", "title")]
    scored = [row for row in scored if row[1] >= min_score]
    return sorted(scored, key=lambda row: (-row[1], row[0]))[:limit]


def describe(scores: list[tuple[int, float]]) -> list[SimilarProposal]:
    """The scored proposals with meeting, state, lead agency and sent reply: three queries."""
    ids = [pk for pk, _ in scores]
    proposals = Proposal.objects.select_related("meeting").in_bulk(ids)
    leads = dict(
        Assignment.objects.filter(proposal_id__in=ids, role=Assignment.Role.LEAD)
        .exclude(state__in=[Assignment.State.REASSIGNED, Assignment.State.CANCELLED])
        .values_list("proposal_id", "agency__name")
    )
    # Ordered by round, so the dict keeps each proposal's latest sent reply.
    replies = dict(
        Reply.objects.filter(assignment__proposal_id__in=ids, assignment__role=Assignment.Role.LEAD,
                             state=Reply.State.SENT).order_by("assignment__proposal_id", "round")
        .values_list("assignment__proposal_id", "pk")
    )
    return [SimilarProposal(proposals[pk], round(score, 2), leads.get(pk, ""), replies.get(pk)) for pk, score in scores]

