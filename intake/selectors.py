"""Reads of intake's pages: proposals similar to one under review, and the agencies that led them."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.postgres.search import TrigramDistance
from django.db import connections
from django.db.models import F, Func, TextField, Value
from django.db.models.functions import Left

from intake.similarity import (BODY_READ, MIN_SCORE, Fingerprint, Likeness, body_digest, likeness, title_grams,
                               title_topics)
from proposals.models import Assignment, Meeting, Proposal
from replies.models import Reply

# The titles' character pairs, the topics titles name and the body digests each have an index that
# finds its nearest; the combined score then ranks them all. Most from the bodies: the body weighs
# more than the title, and titles asking the same in other words tie by the hundred at 100,000
# proposals, so the body decides among them (bench-intake: recall of the exact top five 0.75 with
# 40/40/20, 0.93 with 20/20/100, 0.985 with 20/10-40/150). Each body candidate costs PostgreSQL
# about 0.6 ms (it computes the digest of every row an index scan returns).
TITLE_CANDIDATES, TOPIC_CANDIDATES, BODY_CANDIDATES = 20, 20, 150


@dataclass(frozen=True)
class Match:
    """A proposal found alike, with how alike (the score and each part's own)."""

    pk: int
    likeness: Likeness

    @property
    def score(self) -> float:
        return self.likeness.score


@dataclass(frozen=True)
class SimilarProposal:
    proposal: Proposal
    score: float
    lead_agency: str
    reply_id: int | None
    parts: list[str] = field(default_factory=list)  # 标题相近 / 正文相近

    @property
    def alike(self) -> str:
        return "、".join(self.parts)


class TitleGrams(Func):
    function = "intake_title_grams"
    output_field = TextField()


class BodyDigest(Func):
    function = "intake_body_digest"
    output_field = TextField()


class TitleTopics(Func):
    """intake_title_topics(title): the topics a title names (migration intake/0005)."""

    function = "intake_title_topics"
    output_field = TextField()


def comparable_meetings(meeting: Meeting) -> list[int]:
    """This meeting and the earlier ones of the same body and region."""
    return list(Meeting.objects.filter(body=meeting.body, region=meeting.region, year__lte=meeting.year)
                .values_list("pk", flat=True))


def similar_proposals(proposal: Proposal, *, limit: int = 5) -> list[SimilarProposal]:
    """The proposals of this and earlier meetings most like this one by title and body, best first."""
    return describe(similar_proposal_matches(proposal, limit=limit))


def similar_proposal_scores(proposal: Proposal, *, limit: int = 5, meetings: list[int] | None = None,
                            min_score: float = MIN_SCORE) -> list[tuple[int, float]]:
    """(id, score) of the most similar proposals (see similar_proposal_matches)."""
    found = similar_proposal_matches(proposal, limit=limit, meetings=meetings, min_score=min_score)
    return [(match.pk, match.score) for match in found]


def similar_proposal_matches(proposal: Proposal, *, limit: int = 5, meetings: list[int] | None = None,
                             min_score: float = MIN_SCORE) -> list[Match]:
    """The most similar proposals, best first. On PostgreSQL the nearest titles (by characters and by
    topics) and the nearest body digests come from their GiST indexes in one query and the combined
    score ranks them; elsewhere every row is scored in Python. One query either way."""
    meetings = comparable_meetings(proposal.meeting) if meetings is None else meetings
    scope = Proposal.objects.filter(meeting_id__in=meetings).exclude(pk=proposal.pk)
    grams, digest = title_grams(proposal.title), body_digest(proposal.body)
    wanted = Fingerprint.from_digest(proposal.title, digest)
    if not wanted.title and not digest:
        return []
    if connections[scope.db].vendor == "postgresql":
        scope = scope.filter(pk__in=_nearest(scope, grams, title_topics(proposal.title), digest))
    return _ranked(scope, wanted, limit, min_score)


def _nearest(scope, grams: str, topics: str, digest: str):
    """The ids nearest by title characters, by title topics and by body digest, as one subquery (a
    union of index scans)."""
    searches = []
    if grams:
        by_title = TrigramDistance(TitleGrams(F("title")), Value(grams))
        searches.append(scope.order_by(by_title).values("pk")[:TITLE_CANDIDATES])
    if topics:
        by_topics = TrigramDistance(TitleTopics(F("title")), Value(topics))
        searches.append(scope.order_by(by_topics).values("pk")[:TOPIC_CANDIDATES])
    if digest:
        by_body = TrigramDistance(BodyDigest(F("body")), Value(digest))
        searches.append(scope.order_by(by_body).values("pk")[:BODY_CANDIDATES])
    if not searches:
        return scope.none().values("pk")
    return searches[0].union(*searches[1:]) if len(searches) > 1 else searches[0]


def _ranked(scope, wanted: Fingerprint, limit: int, min_score: float) -> list[Match]:
    """The rows of scope scored in Python (the body's head only is read: the digest reads no further)."""
    rows = scope.order_by().values_list("pk", "title", Left("body", BODY_READ))
    found = [Match(pk, likeness(wanted, Fingerprint.of(title, body))) for pk, title, body in rows]
    found = [match for match in found if match.score >= min_score]
    return sorted(found, key=lambda match: (-match.score, match.pk))[:limit]


def brute_force_scores(proposal: Proposal, *, limit: int = 5, meetings: list[int]) -> list[tuple[int, float]]:
    """The same score over every row of scope, without the indexes (the benchmark's reference)."""
    scope = Proposal.objects.filter(meeting_id__in=meetings).exclude(pk=proposal.pk)
    found = _ranked(scope, Fingerprint.of(proposal.title, proposal.body), limit, MIN_SCORE)
    return [(match.pk, match.score) for match in found]


def describe(matches: list[Match]) -> list[SimilarProposal]:
    """The matched proposals with meeting, state, lead agency and sent reply: three queries."""
    ids = [match.pk for match in matches]
    proposals = Proposal.objects.select_related("meeting").in_bulk(ids)
    leads = dict(
        Assignment.objects.filter(proposal_id__in=ids, role=Assignment.Role.LEAD)
        .current()
        .values_list("proposal_id", "agency__name")
    )
    # Ordered by round, so the dict keeps each proposal's latest sent reply.
    replies = dict(
        Reply.objects.filter(assignment__proposal_id__in=ids, assignment__role=Assignment.Role.LEAD,
                             state=Reply.State.SENT).order_by("assignment__proposal_id", "round")
        .values_list("assignment__proposal_id", "pk")
    )
    return [SimilarProposal(proposals[match.pk], round(match.score, 2), leads.get(match.pk, ""),
                            replies.get(match.pk), match.likeness.parts) for match in matches]
