"""Reads that the admin, the API and the reminders share, with their joins already applied."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, QuerySet, Subquery

from proposals.models import Assignment, Event, Proposal, Proposer


def _open_assignments(agency=None, *, replies_only: bool = False):
    """Open assignments of the outer proposal; an agency's own only, when given (an agency is not
    shown, nor filtered by, another agency's deadlines); the lead and joint agencies' only, when
    `replies_only` (the reply deadline, not an assisting agency's opinion date)."""
    open_work = Assignment.objects.filter(proposal=OuterRef("pk")).open()
    if replies_only:
        open_work = open_work.filter(role__in=[Assignment.Role.LEAD, Assignment.Role.JOINT])
    return open_work.filter(agency=agency) if agency is not None else open_work


def with_handling_summary(queryset: QuerySet[Proposal], *, agency=None, replies_only: bool = False) -> QuerySet[Proposal]:
    """Annotate each proposal with its lead proposer, lead agency and nearest open due date
    (of `agency`'s work only, when given; of the reply only, when `replies_only`: what a member
    waits for is the reply, and a 会办 opinion still open after it was sent is not theirs to chase).

    Subqueries rather than joins, so a page of N proposals costs one query, not N.
    """
    lead_agency = Assignment.objects.filter(proposal=OuterRef("pk"), role=Assignment.Role.LEAD).current()
    def open_work():
        return _open_assignments(agency, replies_only=replies_only)

    return queryset.select_related("meeting").annotate(
        lead_proposer_name=Subquery(
            Proposer.objects.filter(proposal=OuterRef("pk"), is_lead=True).values("member__name")[:1]
        ),
        lead_agency_name=Subquery(lead_agency.values("agency__name")[:1]),
        next_due_on=Subquery(open_work().order_by("due_on").values("due_on")[:1]),
        # Whose that nearest date is, and in which role: an overdue 会办 opinion names its agency.
        next_due_agency=Subquery(open_work().order_by("due_on").values("agency__name")[:1]),
        next_due_role=Subquery(open_work().order_by("due_on").values("role")[:1]),
        # Whether that nearest date itself is provisional, not some later one.
        next_due_provisional=Subquery(open_work().order_by("due_on").values("due_provisional")[:1]),
        has_provisional_due=Exists(open_work().filter(due_provisional=True)),
    )


def overdue(queryset: QuerySet[Proposal], today: dt.date, *, agency=None) -> QuerySet[Proposal]:
    """Proposals with an open assignment (of `agency`, when given) past its due date."""
    return queryset.filter(Exists(_open_assignments(agency).filter(due_on__lt=today)))


def due_within(queryset: QuerySet[Proposal], today: dt.date, days: int, *, agency=None) -> QuerySet[Proposal]:
    """Proposals with an open assignment due from today to `days` ahead."""
    return queryset.filter(
        Exists(_open_assignments(agency).filter(due_on__gte=today, due_on__lte=today + dt.timedelta(days=days)))
    )


def handled_by(queryset: QuerySet[Proposal], agency_id: int) -> QuerySet[Proposal]:
    return queryset.filter(Exists(Assignment.objects.filter(proposal=OuterRef("pk"), agency_id=agency_id)))


def timeline(proposal: Proposal) -> QuerySet[Event]:
    return proposal.events.select_related("actor", "assignment__agency").order_by("at", "id")


def provisional_open_assignments() -> QuerySet[Assignment]:
    return Assignment.objects.filter(state__in=Assignment.OPEN_STATES, due_provisional=True)
