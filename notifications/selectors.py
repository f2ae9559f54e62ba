"""Reads the sweep, the admin and the API share.

The sweep's reads are range scans on partial indexes whose rows are the open work only
(open_assignment_due on proposals_assignment, and the notif_* indexes of migration 0003), so their
cost follows what is due, not the size of the archive (bench/sweep.py measures it). Historical records never get
reminders.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from notifications.models import Notification, OutboxPause, OutboxRelease
from proposals.models import Assignment, Communication, Proposal
from replies.models import Reply


def in_batches(queryset: QuerySet, size: int) -> Iterator[list]:
    """Walk a queryset by primary key, `size` rows at a time (keyset pagination, no OFFSET)."""
    last = 0
    while True:
        batch = list(queryset.filter(pk__gt=last).order_by("pk")[:size])
        if not batch:
            return
        yield batch
        last = batch[-1].pk
        if len(batch) < size:
            return


def open_assignments_due_in(ranges: Iterable[tuple[dt.date, dt.date]]) -> QuerySet[Assignment]:
    """Open, non-historical assignments whose due date falls in one of the (first, last) ranges.

    The state filter repeats the predicate of the partial index open_assignment_due word for word,
    so PostgreSQL can use it: each range is an index range scan over open rows only.
    """
    condition = Q()
    for first, last in ranges:
        condition |= Q(due_on__range=(first, last))
    if not condition:
        return Assignment.objects.none()
    return (
        Assignment.objects.filter(condition, state__in=list(Assignment.OPEN_STATES), proposal__is_historical=False)
        .select_related("proposal__meeting__rules", "agency")
    )


def assignments_made_between(first: dt.date, last: dt.date) -> QuerySet[Assignment]:
    """Assignments made in the window that still carry a duty (index notif_assignment_assigned_on)."""
    return Assignment.objects.filter(
        assigned_on__range=(first, last), state__in=list(Assignment.ACTIVE_STATES), proposal__is_historical=False
    )


def proposals_just_accepted() -> QuerySet[Proposal]:
    """Proposals standing at 立案, waiting to be assigned: a short-lived state (index proposal_by_status)."""
    return Proposal.objects.filter(status=Proposal.Status.ACCEPTED, is_historical=False).select_related("meeting")


def replies_sent_between(first: dt.datetime, last: dt.datetime) -> QuerySet[Reply]:
    """Replies sent in the window, not imported ones (index notif_reply_sent)."""
    return (
        Reply.objects.filter(state=Reply.State.SENT, sent_at__gte=first, sent_at__lt=last, is_historical=False,
                             assignment__proposal__is_historical=False)
        .select_related("assignment__proposal__meeting__rules", "assignment__agency", "signing_agency")
    )


def planned_communications_between(first: dt.date, last: dt.date | None) -> QuerySet[Communication]:
    """Meetings the agencies have planned in the window (index notif_planned_communication)."""
    queryset = Communication.objects.filter(state=Communication.State.PLANNED, date__gte=first,
                                            proposal__is_historical=False)
    if last is not None:
        queryset = queryset.filter(date__lte=last)
    return queryset.select_related("proposal__meeting", "agency").prefetch_related("members__user")


# --- sending ----------------------------------------------------------------------------------


def due_for_dispatch(*, now: dt.datetime, nudged_before: dt.datetime) -> QuerySet[Notification]:
    """Planned rows whose time has come and that no broker message is known to carry any more."""
    return Notification.objects.filter(state=Notification.State.PLANNED, digest=False, next_attempt_at__lte=now).filter(
        Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=nudged_before), not_held_by_pause()
    )


def not_held_by_pause() -> Q:
    """Rows the outbox may send: no pause is open, or a clerk released them from the open one.
    A condition rather than a check, so the claim's own UPDATE applies it."""
    return ~Q(Exists(OutboxPause.objects.filter(is_open=True))) | Q(
        Exists(OutboxRelease.objects.filter(pause__is_open=True, notification=OuterRef("pk")))
    )


def open_outbox_pause() -> OutboxPause | None:
    return OutboxPause.objects.filter(is_open=True).first()


def held_notifications() -> QuerySet[Notification]:
    """What a restore held back: planned rows the open pause has not released (empty when open)."""
    return (
        Notification.objects.filter(state=Notification.State.PLANNED).exclude(not_held_by_pause())
        .select_related("recipient", "proposal__meeting", "stage")
    )


def abandoned_claims(*, claimed_before: dt.datetime) -> QuerySet[Notification]:
    """Claims older than the lease: the worker holding them died or hung (index notification_claimed)."""
    return Notification.objects.filter(state=Notification.State.SENDING, claimed_at__lt=claimed_before)


# --- admin and API ----------------------------------------------------------------------------


def inbox_for(user) -> QuerySet[Notification]:
    """A user's own in-app notifications, newest first (index notification_inbox)."""
    if not (user and user.is_authenticated):
        return Notification.objects.none()
    return (
        Notification.objects.filter(recipient=user, channel=Notification.Channel.IN_APP, state=Notification.State.SENT)
        .select_related("proposal__meeting")
        .order_by("-sent_at", "-id")
    )


def unread_count(user) -> int:
    return inbox_for(user).filter(read_at__isnull=True).count()


def sent_notifications() -> QuerySet[Notification]:
    return Notification.objects.filter(state=Notification.State.SENT).select_related(
        "recipient", "proposal__meeting", "stage"
    )


def failed_notifications() -> QuerySet[Notification]:
    """What failed for good: the clerk sees each with its error and can send it again."""
    return Notification.objects.filter(state=Notification.State.FAILED).select_related(
        "recipient", "proposal__meeting", "stage"
    )


def local_day_bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start of `first`, start of the day after `last`) in the office's time zone."""
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(first, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return start, end
