"""The lead agency is reminded, once, that a progress report on a key proposal is due; the agencies
answering an urgent proposal, once, that its short due date is near.

Planned into the notifications outbox at each sweep (the `sweep_planners` hook) under a natural
key per key proposal, round, recipient and channel: the outbox's unique key makes a second sweep,
or two at once, plan nothing more. The outbox sends it like every other notice.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import OuterRef
from django.utils import timezone

from notifications.models import Kind, Notification
from proposals.models import Agency, AgencyStaff, Assignment
from supervision import selectors
from supervision.access import INACTIVE
from supervision.models import KeyProposal, SupervisionSettings
from tracker.people import person_name

# A round first seen this long after its date (a topic set up late) is still reminded of once.
CATCH_UP_DAYS = 30


def _recipients(agency_ids: set[int]) -> dict[int, list[tuple[str, str, int | None, str]]]:
    """agency → (label, name, user id, address): its active staff in-app, its own mailbox by mail."""
    people: dict[int, list] = {agency_id: [] for agency_id in agency_ids}
    for link in (AgencyStaff.objects.filter(agency_id__in=agency_ids, user__is_active=True)
                 .select_related("user", "agency").order_by("user_id")):
        people[link.agency_id].append((f"user:{link.user_id}", person_name(link.user), link.user_id, ""))
    for agency in Agency.objects.filter(pk__in=agency_ids).exclude(email=""):
        people[agency.pk].append((f"mail:{agency.email.lower()}", agency.name, None, agency.email))
    return people


def _write(rows: list[Notification], now) -> int:
    with transaction.atomic():
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
    # ON CONFLICT DO NOTHING does not say which rows it wrote: ours carry our planned_at.
    return Notification.objects.filter(key__in=[row.key for row in rows], planned_at=now).count()


def plan_reminders(today: dt.date) -> int:
    """The `sweep_planners` contribution: progress reports due, urgent replies due."""
    return plan_progress_reminders(today) + plan_urgent_reminders(today)


def plan_urgent_reminders(today: dt.date) -> int:
    """An urgent proposal's answering agencies, once, some days before its short due date."""
    notice = SupervisionSettings.current().urgent_reminder_days
    due = (Assignment.objects.filter(proposal__urgent_mark__isnull=False, state__in=Assignment.OPEN_STATES,
                                     role__in=(Assignment.Role.LEAD, Assignment.Role.JOINT),
                                     due_on__gte=today, due_on__lte=today + dt.timedelta(days=notice))
           .select_related("proposal__meeting", "agency"))
    due = list(due)
    if not due:
        return 0
    people = _recipients({a.agency_id for a in due})
    now = timezone.now()
    content_type = ContentType.objects.get_for_model(Assignment).pk
    rows = []
    for assignment in due:
        number, day = assignment.proposal.number_label, assignment.due_on
        link = f"{settings.SITE_URL.rstrip('/')}/admin/proposals/assignment/{assignment.pk}/change/"
        for label, name, user_id, address in people[assignment.agency_id]:
            channel = Notification.Channel.EMAIL if address else Notification.Channel.IN_APP
            rows.append(Notification(
                key=f"urgent:{assignment.pk}:{day.isoformat()}:{label}:{channel}", kind=Kind.URGENT_DUE,
                stage_text="时效性提案到期前提醒", channel=channel, recipient_id=user_id, address=address,
                recipient_name=name, subject=f"时效性提案{number}须于{day:%Y年%m月%d日}前答复",
                body=f"{number}《{assignment.proposal.title}》是时效性提案，答复期限为{day:%Y年%m月%d日}，请抓紧办理。",
                link=link, proposal_id=assignment.proposal_id, content_type_id=content_type, object_id=assignment.pk,
                planned_at=now, next_attempt_at=now,
            ))
    return _write(rows, now)


def plan_progress_reminders(today: dt.date) -> int:
    """Plan the reminders of every round due within the office's notice days; returns rows written."""
    notice = SupervisionSettings.current().progress_reminder_days
    lead = (Assignment.objects.filter(proposal_id=OuterRef("proposal_id"), role=Assignment.Role.LEAD)
            .exclude(state__in=INACTIVE).values("agency_id")[:1])
    owed = list(selectors.progress_owed()
                .filter(round_due_on__lte=today + dt.timedelta(days=notice),
                        round_due_on__gte=today - dt.timedelta(days=CATCH_UP_DAYS))
                .annotate(lead_agency_id=lead).filter(lead_agency_id__isnull=False))
    if not owed:
        return 0
    people = _recipients({row.lead_agency_id for row in owed})
    now = timezone.now()
    content_type = ContentType.objects.get_for_model(KeyProposal)
    rows = [_row(key, person, now, content_type.pk) for key in owed for person in people[key.lead_agency_id]]
    return _write(rows, now)


def _row(key: KeyProposal, person, now, content_type_id: int) -> Notification:
    label, name, user_id, address = person
    channel = Notification.Channel.EMAIL if address else Notification.Channel.IN_APP
    due = key.round_due_on
    link = (f"{settings.SITE_URL.rstrip('/')}/admin/supervision/progressreport/add/"
            f"?key_proposal={key.pk}&round={key.round_id}")
    number = key.proposal.number_label
    return Notification(
        key=f"progress:{key.pk}:{key.round_id}:{label}:{channel}", kind=Kind.PROGRESS_DUE,
        stage_text=f"重点提案“{key.round_title}”进展报送", channel=channel, recipient_id=user_id, address=address,
        recipient_name=name, subject=f"请于{due:%Y年%m月%d日}前报送重点提案{number}的办理进展",
        body=(f"{number}《{key.proposal.title}》是重点提案（专题：{key.topic.title}）。"
              f"请于{due:%Y年%m月%d日}前在工作台报送“{key.round_title}”办理进展。"),
        link=link, proposal_id=key.proposal_id, content_type_id=content_type_id, object_id=key.pk,
        planned_at=now, next_attempt_at=now,
    )
