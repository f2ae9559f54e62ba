"""The agencies most likely to lead a proposal, each with its reason (智能交办; docs/domain.md, intake).

Three kinds of evidence, added up per agency:
- the office's history: lead agencies of the most similar earlier proposals, weighted by how
  similar, each named with its meeting (相似提案政协十四届一次会议第1002号由广州市科学技术局主办);
- the text names the agency, by full name or alias (正文提到“市交通运输局”);
- the text holds one of the agency's duty keywords, kept per agency in the admin
  (关键词“公交”属于广州市交通运输局职责), or names the same topic in other words (intake/topics.py:
  a title on 网约车 meets the keyword 出租车: 案由所涉“出租车”属于广州市交通运输局职责);
  genre words (高质量发展, 建设项目) are cut out first, so they never read as a duty.
Between agencies with the same evidence, the one that has led more proposals comes first.
A suggestion is only shown: the clerk chooses, and nothing here assigns.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count

from intake.agencies import AgencyNames
from intake.duty_defaults import starting_keywords
from intake.models import AgencyDuty
from intake.selectors import comparable_meetings, similar_proposal_scores
from intake.topics import topics_in, word_topics
from proposals.models import Agency, Assignment, Proposal

# How much each kind of evidence weighs: a similar proposal counts its similarity (0-1).
NAMED_IN_TITLE, NAMED_IN_BODY = 2.0, 1.0
KEYWORD_IN_TITLE, KEYWORD_IN_BODY = 0.6, 0.2
HISTORY_NEIGHBOURS = 8
# Lower than the similar list's threshold: a weak likeness still says something, weighted by it.
HISTORY_MIN_SCORE = 0.05
# Words of the genre, not of the matter: 高质量发展 is no quality inspection (质量), a 建设项目 no
# matter for the development commission (项目), 健康发展 no health bureau's (健康). Cut out before
# the duty keywords are read.
GENRE = re.compile("高质量发展|健康发展|创新发展|融合发展|建设项目|改造项目|工程项目|项目建设")
# A body is read this far: long enough for the request, short enough to stay quick.
BODY_READ = 3000


@dataclass
class Suggestion:
    label: object  # an Agency, or any label in the pure ranking
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)

    @property
    def agency(self):
        return self.label


@dataclass(frozen=True)
class Precedent:
    """An earlier proposal and its lead: (its number with the meeting, similarity, label, label's name)."""

    number_label: str
    similarity: float
    label: object
    name: str


def rank_labels(
    *, title: str, body: str, precedents: Iterable[Precedent], names: dict[object, Iterable[str]],
    keywords: dict[object, Iterable[str]], display: dict[object, str], limit: int = 3,
    leads: dict[object, int] | None = None,
) -> list[Suggestion]:
    """Pure ranking: labels (agencies, or agency kinds in the evaluation) with score and reasons."""
    found: dict[object, Suggestion] = {}

    def add(label, score: float, reason: str) -> None:
        suggestion = found.setdefault(label, Suggestion(label))
        suggestion.score += score
        if reason not in suggestion.reasons:
            suggestion.reasons.append(reason)

    for precedent in precedents:
        add(precedent.label, precedent.similarity, f"相似提案{precedent.number_label}由{precedent.name}主办")
    body = body[:BODY_READ]
    for label, forms in names.items():
        for form in sorted(forms, key=len, reverse=True):
            if len(form) >= 3 and (form in title or form in body):
                add(label, NAMED_IN_TITLE if form in title else NAMED_IN_BODY,
                    f"{'案由' if form in title else '正文'}提到“{form}”")
                break
    title, body = GENRE.sub(" ", title), GENRE.sub(" ", body)
    title_topics, body_topics = set(topics_in(title)[0]), set(topics_in(body)[0])
    for label, words in keywords.items():
        for word in words:
            topics = word_topics(word)
            if word in title:
                add(label, KEYWORD_IN_TITLE, f"关键词“{word}”属于{display[label]}职责")
            elif topics & title_topics:
                add(label, KEYWORD_IN_TITLE, f"案由所涉“{min(topics & title_topics)}”属于{display[label]}职责")
            elif word in body:
                add(label, KEYWORD_IN_BODY, f"关键词“{word}”属于{display[label]}职责")
            elif topics & body_topics:
                add(label, KEYWORD_IN_BODY, f"正文所涉“{min(topics & body_topics)}”属于{display[label]}职责")
    leads = leads or {}
    ranked = sorted(found.values(), key=lambda s: (-round(s.score, 6), -leads.get(s.label, 0), display.get(s.label, "")))
    return ranked[:limit]


class RegionEvidence:
    """What the suggestions read once per region: names, aliases and duty keywords of its agencies."""

    def __init__(self, region: str):
        self.names = AgencyNames(region)
        self.forms: dict[Agency, set[str]] = defaultdict(set)
        for written, ids in self.names.by_written.items():
            if len(ids) == 1:
                self.forms[self.names.agencies[next(iter(ids))]].add(written)
        self.keywords = starting_keywords(self.names.agencies.values())
        self.keywords.update({
            duty.agency: duty.keyword_list
            for duty in AgencyDuty.objects.filter(agency__region=region).select_related("agency")
        })
        self.display = {agency: agency.name for agency in self.names.agencies.values()}
        # How many proposals each agency has led (its experience): breaks ties between equal evidence.
        self.leads = {
            self.names.agencies[agency_id]: count
            for agency_id, count in Assignment.objects.filter(role=Assignment.Role.LEAD, agency__region=region)
            .exclude(state__in=[Assignment.State.REASSIGNED, Assignment.State.CANCELLED])
            .values_list("agency_id").annotate(count=Count("id")).values_list("agency_id", "count")
            if agency_id in self.names.agencies
        }
        # Other places' agencies named in a text (深圳市交通运输局) must not read as ours (市交通运输局).
        self.elsewhere = sorted(Agency.objects.exclude(region=region).values_list("name", flat=True), key=len,
                                reverse=True)

    def without_elsewhere(self, text: str) -> str:
        for name in self.elsewhere:
            if name in text:
                text = text.replace(name, "※")
        return text


def suggest_lead_agencies(proposal: Proposal, *, evidence: RegionEvidence | None = None,
                          meetings: list[int] | None = None, limit: int = 3) -> list[Suggestion]:
    """The `limit` most likely lead agencies of the proposal's region, each with its reasons."""
    evidence = evidence or RegionEvidence(proposal.meeting.region)
    return rank_labels(
        title=evidence.without_elsewhere(proposal.title),
        body=evidence.without_elsewhere(proposal.body[:BODY_READ]), precedents=_precedents(proposal, evidence, meetings),
        names=evidence.forms, keywords=evidence.keywords, display=evidence.display, limit=limit, leads=evidence.leads,
    )


def suggest_lead_agencies_for_many(proposals: list[Proposal]) -> dict[int, list[Suggestion]]:
    """Suggestions for a batch (the 交办 preview): region evidence read once per region."""
    evidence: dict[str, RegionEvidence] = {}
    meetings: dict[int, list[int]] = {}
    result = {}
    for proposal in proposals:
        region = proposal.meeting.region
        if region not in evidence:
            evidence[region] = RegionEvidence(region)
        if proposal.meeting_id not in meetings:
            meetings[proposal.meeting_id] = comparable_meetings(proposal.meeting)
        result[proposal.pk] = suggest_lead_agencies(proposal, evidence=evidence[region],
                                                    meetings=meetings[proposal.meeting_id])
    return result


def _precedents(proposal: Proposal, evidence: RegionEvidence, meetings: list[int] | None) -> list[Precedent]:
    scores = similar_proposal_scores(proposal, limit=HISTORY_NEIGHBOURS, meetings=meetings,
                                     min_score=HISTORY_MIN_SCORE)
    similarity = dict(scores)
    leads = (
        Assignment.objects.filter(proposal_id__in=similarity, role=Assignment.Role.LEAD)
        .current()
        .select_related("proposal__meeting")
    )
    precedents = [
        Precedent(lead.proposal.number_label, similarity[lead.proposal_id], evidence.names.agencies[lead.agency_id],
                  evidence.names.agencies[lead.agency_id].name)
        for lead in leads
        if lead.agency_id in evidence.names.agencies
    ]
    return sorted(precedents, key=lambda p: -p.similarity)
