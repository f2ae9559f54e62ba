"""Read-only queries of key proposals: the progress owed and late, the key list, the topic's page.
Each costs a fixed number of queries whatever the rows."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet, Subquery

from proposals.models import Assignment
from supervision.access import INACTIVE, key_proposals_visible_to
from supervision.models import Activity, KeyProposal, KeyTopic, ProgressReport, TopicSupervisor


def _lead_is(agency_id) -> Exists:
    return Exists(Assignment.objects.filter(proposal_id=OuterRef("proposal_id"), role=Assignment.Role.LEAD,
                                            agency_id=agency_id).exclude(state__in=INACTIVE))


def progress_owed() -> QuerySet[KeyProposal]:
    """One row per (key proposal in supervision, round of its topic) not yet reported, by due date;
    each row carries round_id, round_title and round_due_on."""
    return (
        KeyProposal.objects.filter(state=KeyProposal.State.SELECTED, topic__rounds__isnull=False)
        .annotate(round_id=F("topic__rounds__id"), round_title=F("topic__rounds__title"),
                  round_due_on=F("topic__rounds__due_on"))
        .exclude(Exists(ProgressReport.objects.filter(key_proposal_id=OuterRef("pk"), round_id=OuterRef("round_id"))))
        .select_related("proposal__meeting", "topic")
        .order_by("round_due_on", "proposal__meeting_id", "proposal__number")
    )


def progress_owed_by(agency_id: int) -> QuerySet[KeyProposal]:
    """What the agency, as lead, still owes (its 工作台)."""
    return progress_owed().filter(_lead_is(agency_id))


def progress_late(today: dt.date) -> QuerySet[KeyProposal]:
    """Owed past its date (the clerk's 工作台), with the lead agency's name as lead_agency."""
    return with_lead_agency(progress_owed().filter(round_due_on__lt=today))


def lead_agency_name() -> Subquery:
    return Subquery(Assignment.objects.filter(proposal_id=OuterRef("proposal_id"), role=Assignment.Role.LEAD)
                    .exclude(state__in=INACTIVE).values("agency__name")[:1])


def with_lead_agency(rows: QuerySet[KeyProposal]) -> QuerySet[KeyProposal]:
    return rows.annotate(lead_agency=lead_agency_name())


def key_list(user, *, meeting_id: int | None = None) -> QuerySet[KeyProposal]:
    """The key proposals `user` may see, with topic, supervisors and activities fetched in fixed queries."""
    rows = key_proposals_visible_to(user).filter(state=KeyProposal.State.SELECTED)
    if meeting_id is not None:
        rows = rows.filter(proposal__meeting_id=meeting_id)
    return (
        with_lead_agency(rows).select_related("proposal__meeting", "topic")
        .prefetch_related(
            Prefetch("topic__supervisors", queryset=TopicSupervisor.objects.select_related("supervisor")),
            Prefetch("topic__activities", queryset=Activity.objects.order_by("date", "id")),
        )
        .order_by("topic__title", "proposal__number")
    )


def supervisors_of(proposal_id: int) -> list[TopicSupervisor]:
    """The leaders supervising a proposal now (its topic's), leading ones first."""
    return list(
        TopicSupervisor.objects.filter(topic__key_proposals__proposal_id=proposal_id,
                                       topic__key_proposals__state=KeyProposal.State.SELECTED)
        .select_related("supervisor", "topic")
    )


def topic_of(proposal_id: int) -> KeyProposal | None:
    return (KeyProposal.objects.filter(proposal_id=proposal_id, state=KeyProposal.State.SELECTED)
            .select_related("topic").first())


def topics_for_page() -> QuerySet[KeyTopic]:
    return KeyTopic.objects.select_related("meeting")


def replies_awaiting_review() -> QuerySet:
    """Signed-off letters of key proposals the office has not yet approved (this version)."""
    from replies.models import Reply

    from supervision.models import ReplyReview

    return (
        Reply.objects.filter(state=Reply.State.SIGNED)
        .filter(Exists(KeyProposal.objects.filter(proposal_id=OuterRef("assignment__proposal_id"),
                                                  state=KeyProposal.State.SELECTED)))
        .exclude(Exists(ReplyReview.objects.filter(reply_id=OuterRef("pk"), version=OuterRef("version"),
                                                   state=ReplyReview.State.APPROVED)))
        .select_related("assignment__proposal__meeting", "assignment__agency")
        .order_by("assignment__due_on", "pk")
    )


def urgent_to_assign() -> QuerySet:
    """Urgent proposals not yet assigned (at review or 立案): the clerk assigns them at once."""
    from proposals.models import Proposal
    from supervision.models import UrgentMark

    return (UrgentMark.objects.filter(proposal__status__in=[Proposal.Status.SUBMITTED, Proposal.Status.ACCEPTED])
            .select_related("proposal__meeting").order_by("marked_at"))


def is_urgent(proposal_id: int) -> bool:
    from supervision.models import UrgentMark

    return UrgentMark.objects.filter(proposal_id=proposal_id).exists()
