"""The reads behind the office figures: a fixed number of aggregate queries whatever the rows.

Each function returns grouped counts (GROUP BY through values().annotate() with conditional
counts); figures.py turns them into rows and rates. Nothing here writes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate, TruncWeek

from proposals.models import Agency, Assignment, Communication, Proposal
from replies.models import Feedback, Rating, Reply, ReplyCategory
from reports.models import PublishedFigures, ScoreWeights

ANSWERING = "answering"
ASSISTING = "assisting"
INACTIVE_STATES = (Assignment.State.REASSIGNED, Assignment.State.CANCELLED)
ANSWERING_ROLES = (Assignment.Role.LEAD, Assignment.Role.JOINT)
SATISFIED = (Rating.SATISFIED, Rating.BASICALLY_SATISFIED)
EXPRESSED = (Rating.SATISFIED, Rating.BASICALLY_SATISFIED, Rating.UNSATISFIED)


@dataclass(frozen=True)
class Scope:
    """Which proposals the figures cover, and the day they are counted on."""

    as_of: dt.date
    meeting_id: int | None = None
    year: int | None = None
    term: int | None = None
    kind: str | None = None
    category: str | None = None
    agency_id: int | None = None

    def proposal_q(self, prefix: str = "") -> Q:
        pairs = {
            "meeting_id": self.meeting_id, "meeting__year": self.year, "meeting__term": self.term,
            "kind": self.kind, "category": self.category,
        }
        return Q(**{prefix + name: value for name, value in pairs.items() if value is not None})


def role_group(prefix: str = "") -> Case:
    """主办/分办 answer the proposers; 会办 write to the lead agency: two rows per agency."""
    return Case(When(**{prefix + "role": Assignment.Role.ASSISTING}, then=Value(ASSISTING)),
                default=Value(ANSWERING), output_field=CharField())


# --- proposals ----------------------------------------------------------------------------------


def proposals_in(scope: Scope) -> QuerySet[Proposal]:
    proposals = Proposal.objects.filter(scope.proposal_q())
    if scope.agency_id is not None:
        proposals = proposals.filter(
            Exists(Assignment.objects.filter(proposal=OuterRef("pk"), agency_id=scope.agency_id).current())
        )
    return proposals


def proposal_counts(scope: Scope) -> list[dict]:
    """Proposals by category, kind, status and key flag, with the re-handled among them."""
    return list(
        proposals_in(scope).order_by().values("category", "kind", "status", "is_key")
        .annotate(n=Count("pk"), rehandled=Count("pk", filter=Q(round__gt=1)))
    )


def not_accepted_by_ground(scope: Scope) -> list[dict]:
    return list(
        proposals_in(scope).filter(status=Proposal.Status.NOT_ACCEPTED).order_by()
        .values("category", "kind", "not_accept_ground__text").annotate(n=Count("pk"))
    )


# --- assignments ---------------------------------------------------------------------------------


def assignments_in(scope: Scope) -> QuerySet[Assignment]:
    assignments = Assignment.objects.filter(scope.proposal_q("proposal__")).current()
    if scope.agency_id is not None:
        assignments = assignments.filter(agency_id=scope.agency_id)
    return assignments


def _contact_before_reply(*, face_to_face: bool) -> Exists:
    held = Communication.objects.of_work().held().filter(date__lte=OuterRef("done_on"))
    return Exists(held.filter(mode=Communication.Mode.FACE_TO_FACE) if face_to_face else held)


def assignment_counts(scope: Scope, group_by: tuple[str, ...]) -> list[dict]:
    """Assignment figures grouped by `group_by` (e.g. agency and role, or category and kind).

    The first round's sent reply is joined once per assignment (one reply per round), so no row
    is counted twice; an assisting agency's work is done when its opinion is sent.
    """
    today = scope.as_of
    answering, assisting = ~Q(role=Assignment.Role.ASSISTING), Q(role=Assignment.Role.ASSISTING)
    open_ = Q(state__in=Assignment.OPEN_STATES)
    done = (answering & Q(first_reply__isnull=False)) | (assisting & Q(state=Assignment.State.OPINION_SENT))
    answered = answering & Q(first_reply__isnull=False)
    queryset = (
        assignments_in(scope)
        .annotate(
            first_reply=FilteredRelation("replies", condition=Q(replies__round=1, replies__state=Reply.State.SENT)),
            role_group=role_group(),
            category=F("proposal__category"), kind=F("proposal__kind"),
        )
        .annotate(
            done_on=Case(When(assisting, then=F("completed_on")), default=TruncDate("first_reply__sent_at"),
                         output_field=DateField()),
            done_due=Case(When(assisting, then=F("due_on")), default=F("first_reply__due_on"), output_field=DateField()),
        )
        .annotate(
            days=ExpressionWrapper(F("done_on") - F("assigned_on"), output_field=DurationField()),
            met=_contact_before_reply(face_to_face=True),
            talked=_contact_before_reply(face_to_face=False),
        )
    )
    return list(
        queryset.order_by().values(*group_by).annotate(
            assigned=Count("pk"),
            replied=Count("pk", filter=done),
            replied_with_due=Count("pk", filter=done & Q(done_due__isnull=False)),
            replied_on_time=Count("pk", filter=done & Q(done_on__lte=F("done_due"))),
            days_counted=Count("pk", filter=done & Q(assigned_on__isnull=False, done_on__isnull=False)),
            days_total=Sum("days", filter=done),
            days_max=Max("days", filter=done),
            answered=Count("pk", filter=answered),
            met_in_person=Count("pk", filter=answered & Q(met=True)),
            communicated=Count("pk", filter=answered & Q(talked=True)),
            extended=Count("pk", filter=Q(extended_to__isnull=False)),
            rehandled=Count("pk", filter=answering & Q(proposal__round__gt=1)),
            overdue_1_7=Count("pk", filter=open_ & Q(due_on__lt=today, due_on__gte=today - dt.timedelta(days=7))),
            overdue_8_30=Count("pk", filter=open_ & Q(due_on__lt=today - dt.timedelta(days=7),
                                                      due_on__gte=today - dt.timedelta(days=30))),
            overdue_over_30=Count("pk", filter=open_ & Q(due_on__lt=today - dt.timedelta(days=30))),
            due_within_7=Count("pk", filter=open_ & Q(due_on__gte=today, due_on__lte=today + dt.timedelta(days=7))),
            provisional_open=Count("pk", filter=open_ & Q(due_provisional=True)),
        )
    )


def latest_reply_categories(scope: Scope, group_by: tuple[str, ...]) -> list[dict]:
    """The category of each answering assignment's latest sent reply, counted per group."""
    later = Reply.objects.filter(assignment_id=OuterRef("assignment_id"), state=Reply.State.SENT,
                                 round__gt=OuterRef("round"))
    replies = Reply.objects.filter(
        assignment__in=assignments_in(scope).filter(role__in=ANSWERING_ROLES), state=Reply.State.SENT
    ).exclude(Exists(later))
    return list(
        replies.annotate(
            agency_id=F("assignment__agency_id"), role_group=role_group("assignment__"),
            category_code=F("category"), proposal_category=F("assignment__proposal__category"),
            kind=F("assignment__proposal__kind"),
        ).order_by().values(*(_reply_group(name) for name in group_by), "category_code").annotate(n=Count("pk"))
    )


def _reply_group(name: str) -> str:
    return "proposal_category" if name == "category" else name


# --- ratings ------------------------------------------------------------------------------------


def _rating_counts() -> dict:
    counts = {}
    for side in ("attitude", "result"):
        for name, value in (("satisfied", Rating.SATISFIED), ("basic", Rating.BASICALLY_SATISFIED),
                            ("unsatisfied", Rating.UNSATISFIED)):
            counts[f"{side}_{name}"] = Count("pk", filter=Q(**{side: value}))
    return counts


def feedback_counts(scope: Scope, group_by: tuple[str, ...]) -> list[dict]:
    """Ratings by group: each proposer's latest round, and the first round on its own.

    Two grouped queries, so that "no later round by the same proposer" is tested once per rating
    (in WHERE) rather than once per counted column. Grouped by agency, a rating counts for every
    lead and joint agency of the proposal (they answer together and re-handle together); grouped
    by category or kind, once.
    """
    later = Feedback.objects.filter(proposal_id=OuterRef("proposal_id"), member_id=OuterRef("member_id"),
                                    round__gt=OuterRef("round"))
    feedback = Feedback.objects.filter(scope.proposal_q("proposal__"))
    if "agency_id" in group_by or scope.agency_id is not None:
        answering = Q(proposal__assignments__role__in=ANSWERING_ROLES) & ~Q(
            proposal__assignments__state__in=INACTIVE_STATES)
        if scope.agency_id is not None:
            answering &= Q(proposal__assignments__agency_id=scope.agency_id)
        feedback = feedback.filter(answering)
    names = {"agency_id": F("proposal__assignments__agency_id"), "role_group": Value(ANSWERING),
             "category": F("proposal__category"), "kind": F("proposal__kind")}
    grouped = feedback.annotate(**{name: names[name] for name in group_by}).order_by().values(*group_by)
    rows: dict = {}
    for prefix, subset in (("", grouped.exclude(Exists(later))), ("first_", grouped.filter(round=1))):
        for row in subset.annotate(**_rating_counts()):
            key = tuple(row[name] for name in group_by)
            target = rows.setdefault(key, {name: row[name] for name in group_by})
            target.update({prefix + name: value for name, value in row.items() if name not in group_by})
    return list(rows.values())


# --- lists and curves ---------------------------------------------------------------------------


def follow_up_open(scope: Scope) -> QuerySet[Reply]:
    """B-class (needs follow-up) letters sent and not yet recorded as done (跟踪办理)."""
    codes = ReplyCategory.objects.filter(needs_follow_up=True).values("code")
    return (
        Reply.objects.filter(assignment__in=assignments_in(scope), state=Reply.State.SENT,
                             follow_up_done_on__isnull=True, category__in=codes)
        .select_related("assignment__agency", "assignment__proposal__meeting")
        .order_by("sent_at", "pk")
    )


def replies_by_week(scope: Scope) -> list[dict]:
    """First-round replies of answering agencies per week sent."""
    replies = Reply.objects.filter(
        assignment__in=assignments_in(scope).filter(role__in=ANSWERING_ROLES), state=Reply.State.SENT, round=1
    )
    return list(
        replies.annotate(week=TruncWeek(Coalesce(TruncDate("sent_at"), "signed_on")))
        .order_by().values("week").annotate(n=Count("pk")).order_by("week")
    )


def due_by_week(scope: Scope) -> list[dict]:
    """Answering assignments per week of their due date (the deadline curve)."""
    return list(
        assignments_in(scope).filter(role__in=ANSWERING_ROLES, due_on__isnull=False)
        .annotate(week=TruncWeek("due_on")).order_by().values("week").annotate(n=Count("pk")).order_by("week")
    )


def reply_categories() -> list[ReplyCategory]:
    return list(ReplyCategory.objects.order_by("code"))


def agency_names(ids) -> dict[int, str]:
    return dict(Agency.objects.filter(pk__in=list(ids)).values_list("pk", "name"))


def score_weights() -> dict[str, int]:
    """The weights in use, or the model's defaults when the office has set none."""
    weights = ScoreWeights.objects.filter(in_use=True).first()
    return (weights or ScoreWeights()).as_dict()


def published_figures() -> QuerySet:
    """Meetings whose headline figures the office made public, newest first."""
    return PublishedFigures.objects.select_related("meeting").order_by("-published_on", "-meeting__year", "pk")
