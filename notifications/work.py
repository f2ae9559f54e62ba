"""Work notices: whoever must act next is told right after the step that made it their turn (docs/domain.md).

They are planned from the timeline entry (proposals.models.Event) every step writes, so no workflow
function knows about notices: proposals.transitions calls `plan_after_steps` once the step's
transaction commits, and the sweep plans any recent step left without a StepNotices row (a web
process that died between the commit and the planning). Every notice is a Notification under a
natural key (step, kind, object, recipient, channel): planning a step twice plans it once. The
rows then take the reminders' road: claimed before sending, re-checked (notifications.relevance),
in-app exactly once, mail at most repeated once in doubt.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from notifications import messages, planning, preferences, selectors, sending
from notifications.models import Kind, Notification, StepNotices, WorkNoticeSetting
from notifications.planning import Recipient
from proposals import access
from proposals.models import AgencyStaff, Assignment, Event, Extension, Proposal
from proposals.transitions import ANSWERING_ROLES
from replies.models import OpinionWaiverRequest, Reply
from tracker.people import person_name

log = logging.getLogger(__name__)
Action = Event.Action
Channel = Notification.Channel
LIVE = Assignment.ACTIVE_STATES

# The steps that tell someone something; the sweep looks only at these.
NOTIFYING_ACTIONS = (
    Action.ASSIGN, Action.REQUEST_REASSIGNMENT, Action.REASSIGN, Action.REFUSE_REASSIGNMENT,
    Action.REQUEST_EXTENSION, Action.APPROVE_EXTENSION, Action.REFUSE_EXTENSION, Action.REPLY, Action.EVALUATE,
    Action.REMIND_OPINION, Action.REQUEST_OPINION_WAIVER, Action.WAIVE_OPINION, Action.REFUSE_OPINION_WAIVER,
)


@dataclass(frozen=True)
class WorkNotice:
    kind: str
    about: models.Model
    proposal_id: int | None
    recipients: list[Recipient]
    subject: str
    body: str
    link: str


# --- who -----------------------------------------------------------------------------------------


def _people(users: Iterable, *, with_mail: bool) -> list[Recipient]:
    return [Recipient(f"user:{user.pk}", person_name(user), user_id=user.pk, address=(user.email if with_mail else ""))
            for user in sorted(users, key=lambda user: user.pk)]


def agency_desk(agency) -> list[Recipient]:
    """The agency's staff (经办人) in-app, and the agency's own mailbox, as for the reminders."""
    return agency_desks([agency])[agency.pk]


def agency_desks(agencies: Iterable) -> dict[int, list[Recipient]]:
    """`agency_desk` of several agencies, read in one query (a 交办会 names hundreds)."""
    agencies = {agency.pk: agency for agency in agencies}
    staff: dict[int, list] = {pk: [] for pk in agencies}
    for link in AgencyStaff.objects.filter(agency__in=list(agencies), user__is_active=True,
                                           user__groups__name=access.AGENCY_STAFF).select_related("user"):
        staff[link.agency_id].append(link.user)
    desks = {}
    for pk, agency in agencies.items():
        desks[pk] = _people(staff[pk], with_mail=False)
        if agency.email:
            desks[pk].append(Recipient(f"mail:{agency.email.lower()}", agency.name, address=agency.email))
    return desks


def agency_reviewers(agency) -> list[Recipient]:
    links = AgencyStaff.objects.filter(agency=agency, user__is_active=True,
                                       user__groups__name=access.AGENCY_REVIEWER).select_related("user")
    return _people([link.user for link in links], with_mail=True)


def clerks() -> list[Recipient]:
    users = get_user_model().objects.filter(groups__name=access.CLERK, is_active=True)
    return _people(users, with_mail=True)


def person(user) -> list[Recipient]:
    return _people([user], with_mail=True) if user is not None and user.is_active else []


# --- what each step tells ------------------------------------------------------------------------


def admin_link(obj: models.Model) -> str:
    """The admin page of the object: where staff act on it."""
    path = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    return settings.SITE_URL.rstrip("/") + path


def _about_assignment(kind: str, assignment: Assignment, recipients, text: tuple[str, str]) -> WorkNotice:
    return WorkNotice(kind, assignment, assignment.proposal_id, recipients, *text, admin_link(assignment))


def _new_assignments(event: Event, named: list[Assignment] | None = None,
                     desks: dict[int, list[Recipient]] | None = None) -> list[WorkNotice]:
    """A notice to each agency a 交办 step named (or a reassignment's successor).

    `named` and `desks`: what planning many steps at once (a batch 交办) has read for all of them.
    """
    if event.assignment_id:  # a reassignment's successor
        assignments = [event.assignment]
    elif named is not None:
        assignments = named
    else:
        assignments = _named_at_assignment([event])[event.proposal_id]
    if desks is None:
        desks = agency_desks(item.agency for item in assignments)
    notices = []
    for item in assignments:
        recipients = desks[item.agency_id]
        if recipients:  # an agency with neither staff nor mailbox gets no row: its text is not written
            notices.append(_about_assignment(Kind.NEW_ASSIGNMENT, item, recipients, messages.new_assignment(assignment=item)))
    return notices


def _named_at_assignment(events: list[Event]) -> dict[int, list[Assignment]]:
    """Per proposal, the assignments its 交办 step named: every agency named at once; successors of
    later reassignments have their own step. One query for however many 交办 steps."""
    proposals = {event.proposal_id: event.proposal for event in events}
    successors = Event.objects.filter(proposal_id__in=list(proposals), action=Action.ASSIGN,
                                      assignment__isnull=False).values("assignment_id")
    named: dict[int, list[Assignment]] = {proposal_id: [] for proposal_id in proposals}
    for assignment in (Assignment.objects.filter(proposal_id__in=list(proposals)).exclude(pk__in=successors)
                       .select_related("agency").order_by("proposal_id", "role", "pk")):
        assignment.proposal = proposals[assignment.proposal_id]
        named[assignment.proposal_id].append(assignment)
    return named


def _extension_request(event: Event) -> list[WorkNotice]:
    extension = (Extension.objects.filter(assignment_id=event.assignment_id, requested_at__lte=event.at)
                 .select_related("assignment__agency", "assignment__proposal__meeting").order_by("-pk").first())
    if extension is None:
        return []
    return [WorkNotice(Kind.EXTENSION_REQUESTED, extension, event.proposal_id, clerks(),
                       *messages.extension_requested(extension=extension), admin_link(extension))]


def _current_reply(event: Event) -> Reply | None:
    return (Reply.objects.filter(assignment_id=event.assignment_id).select_related(
        "assignment__agency", "assignment__proposal__meeting", "drafted_by").order_by("-round").first())


def _reply_step(event: Event) -> list[WorkNotice]:
    assignment = event.assignment
    if event.to_state == Reply.State.IN_REVIEW:
        reply = _current_reply(event)
        return [WorkNotice(Kind.REVIEW_REQUESTED, reply, event.proposal_id, agency_reviewers(assignment.agency),
                           *messages.review_requested(reply=reply), admin_link(reply))] if reply else []
    if event.to_state == Reply.State.RETURNED:
        reply = _current_reply(event)
        return [WorkNotice(Kind.DRAFT_RETURNED, reply, event.proposal_id, person(reply.drafted_by),
                           *messages.draft_returned(reply=reply), admin_link(reply))] if reply else []
    if event.to_state == Assignment.State.REPLIED:
        return [_about_assignment(Kind.REPLY_SENT, assignment, agency_desk(assignment.agency),
                                  messages.reply_sent(assignment=assignment))]
    if event.to_state == Assignment.State.OPINION_SENT:
        return [_about_assignment(Kind.OPINION_RECEIVED, lead, agency_desk(lead.agency),
                                  messages.opinion_received(lead=lead, assisting=assignment))
                for lead in _answering(event.proposal)]
    return []


def _answering(proposal: Proposal) -> list[Assignment]:
    return list(proposal.assignments.filter(role__in=ANSWERING_ROLES, state__in=LIVE)
                .select_related("agency", "proposal__meeting").order_by("role", "pk"))


def notices_for(event: Event) -> list[WorkNotice]:
    """The work notices one step gives rise to (none for most steps)."""
    action, assignment = event.action, event.assignment
    if action == Action.ASSIGN:
        return _new_assignments(event)
    if action == Action.EVALUATE and assignment is None and not event.to_state:  # one rating came in
        return [_about_assignment(Kind.RATING_RECEIVED, item, agency_desk(item.agency),
                                  messages.rating_received(assignment=item)) for item in _answering(event.proposal)]
    if assignment is None:
        return []
    if action == Action.REQUEST_REASSIGNMENT:
        return [_about_assignment(Kind.REASSIGNMENT_REQUESTED, assignment, clerks(),
                                  messages.reassignment_requested(assignment=assignment))]
    if action in (Action.REASSIGN, Action.REFUSE_REASSIGNMENT):
        text = messages.reassignment_decided(assignment=assignment, approved=action == Action.REASSIGN, note=event.note)
        return [_about_assignment(Kind.REASSIGNMENT_DECIDED, assignment, agency_desk(assignment.agency), text)]
    if action == Action.REQUEST_EXTENSION:
        return _extension_request(event)
    if action in (Action.APPROVE_EXTENSION, Action.REFUSE_EXTENSION):
        text = messages.extension_decided(assignment=assignment, approved=action == Action.APPROVE_EXTENSION,
                                          note=event.note)
        return [_about_assignment(Kind.EXTENSION_DECIDED, assignment, agency_desk(assignment.agency), text)]
    if action == Action.REPLY:
        return _reply_step(event)
    if action in (Action.REMIND_OPINION, Action.REQUEST_OPINION_WAIVER, Action.WAIVE_OPINION,
                  Action.REFUSE_OPINION_WAIVER):
        return _opinion_waiver_step(event)
    return []


def _opinion_waiver_step(event: Event) -> list[WorkNotice]:
    """会办意见催办 to the assisting agency; the lead's request for 不待会办意见 to the clerks, who
    decide on their 工作台; the decision back to the lead agency."""
    assignment = event.assignment
    if event.action == Action.REMIND_OPINION:
        lead = _asking_lead(assignment)
        return [_about_assignment(Kind.OPINION_REMINDER, assignment, agency_desk(assignment.agency),
                                  messages.opinion_reminder(assisting=assignment, lead=lead))] if lead else []
    if event.action == Action.REQUEST_OPINION_WAIVER:
        asked = list(OpinionWaiverRequest.objects.filter(lead=assignment, state=OpinionWaiverRequest.State.REQUESTED,
                                                         requested_at__lte=event.at)
                     .select_related("assignment__agency").order_by("pk"))
        if not asked:
            return []
        workbench = settings.SITE_URL.rstrip("/") + reverse("admin:index") + "#wb-opinion_waiver_requests"
        return [WorkNotice(Kind.OPINION_WAIVER_REQUESTED, asked[0], event.proposal_id, clerks(),
                           *messages.opinion_waiver_requested(lead=assignment, requests=asked), workbench)]
    lead = _asking_lead(assignment, decided=True)
    if lead is None:  # the office waived it unasked: the lead agency is told all the same
        lead = (assignment.proposal.assignments.filter(role=Assignment.Role.LEAD, state__in=LIVE)
                .select_related("agency", "proposal__meeting").first())
    if lead is None:
        return []
    text = messages.opinion_waiver_decided(lead=lead, assisting=assignment,
                                           granted=event.action == Action.WAIVE_OPINION, note=event.note)
    return [_about_assignment(Kind.OPINION_WAIVER_DECIDED, lead, agency_desk(lead.agency), text)]


def _asking_lead(assisting: Assignment, *, decided: bool = False) -> Assignment | None:
    """The lead assignment whose request (pending, or the latest decided) names this assisting one."""
    requests = OpinionWaiverRequest.objects.filter(assignment=assisting)
    if not decided:
        requests = requests.filter(state=OpinionWaiverRequest.State.REQUESTED)
    request = requests.select_related("lead__agency", "lead__proposal__meeting").order_by("-pk").first()
    return request.lead if request else None


# --- writing -------------------------------------------------------------------------------------


def _rows(notice: WorkNotice, *, key: str, stage_text: str, digest_users: set[int],
          now: dt.datetime) -> list[Notification]:
    """One row per recipient and channel, under `key` (what caused it) + kind, object, recipient, channel."""
    content_type = ContentType.objects.get_for_model(type(notice.about))
    about = f"{notice.about._meta.model_name}:{notice.about.pk}"
    rows = []
    for who in notice.recipients:
        channels = ([(Channel.IN_APP, "")] if who.user_id else []) + ([(Channel.EMAIL, who.address)] if who.address else [])
        for channel, address in channels:
            digest = channel == Channel.EMAIL and who.user_id in digest_users
            rows.append(Notification(
                key=f"{key}:{notice.kind}:{about}:{who.label}:{channel}"[:500], kind=notice.kind,
                stage_text=f"{Kind(notice.kind).label}:{stage_text}"[:200], channel=channel,
                recipient_id=who.user_id if channel == Channel.IN_APP else None, address=address,
                recipient_name=who.name, subject=notice.subject[:300], body=notice.body, link=notice.link,
                proposal_id=notice.proposal_id, content_type_id=content_type.pk, object_id=notice.about.pk,
                digest=digest, planned_at=now,
                next_attempt_at=preferences.next_digest_at(now) if digest else now,
            ))
    return rows


def switched_off() -> set[tuple[str, str]]:
    """(kind, channel) pairs the office does not send (工作通知设置); a kind with no row is sent."""
    return {
        (kind, channel)
        for kind, in_app, email in WorkNoticeSetting.objects.filter(models.Q(in_app=False) | models.Q(email=False))
        .values_list("kind", "in_app", "email")
        for channel, on in ((Channel.IN_APP, in_app), (Channel.EMAIL, email)) if not on
    }


def _switched_on(rows: list[Notification]) -> list[Notification]:
    off = switched_off()
    return [row for row in rows if (row.kind, row.channel) not in off] if off else rows


# Rows per statement when many steps are planned at once.
PLANNING_BATCH_SIZE = 1000


def plan_step_notices(*, event_ids: Iterable[int]) -> list[int]:
    """Plan the work notices of these steps (those not planned yet); returns the new rows' ids.

    However many steps (a batch 交办 hands over thousands), what they share is read once: the
    assignments of the 交办 steps together, each agency's desk once. The steps are marked planned
    and their rows written in one transaction; a step another process planned meanwhile plans
    nothing twice, since every row's natural key is unique.
    """
    events = list(Event.objects.filter(pk__in=list(event_ids), action__in=NOTIFYING_ACTIONS)
                  .exclude(pk__in=StepNotices.objects.values("event_id"))
                  .select_related("proposal__meeting", "assignment__agency", "assignment__proposal__meeting")
                  .order_by("pk"))
    if not events:
        return []
    digest_users = preferences.daily_digest_users()
    now = timezone.now()
    rows = _switched_on([row for event, notices in _notices_of_steps(events)
                         for notice in notices
                         for row in _rows(notice, key=f"step:{event.pk}", stage_text=event.get_action_display(),
                                          digest_users=digest_users, now=now)])
    rows = sorted(rows + planning.reply_notices_at_step(_replies_sent_by(events), now=now), key=lambda row: row.key)
    with transaction.atomic():
        StepNotices.objects.bulk_create([StepNotices(event_id=event.pk) for event in events], ignore_conflicts=True,
                                        batch_size=PLANNING_BATCH_SIZE)
        Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=PLANNING_BATCH_SIZE)
        created: list[int] = []
        for start in range(0, len(rows), PLANNING_BATCH_SIZE):
            keys = [row.key for row in rows[start:start + PLANNING_BATCH_SIZE]]
            # Rows another process planned first keep their own planned_at: only ours are sent from here.
            created += Notification.objects.filter(key__in=keys, planned_at=now, digest=False).values_list("pk", flat=True)
    return created


def _replies_sent_by(events: list[Event]) -> list[int]:
    """The letters these steps sent to the proposers: each replied assignment's latest sent reply."""
    replied = [event.assignment_id for event in events
               if event.action == Action.REPLY and event.to_state == Assignment.State.REPLIED and event.assignment_id]
    if not replied:
        return []
    latest: dict[int, tuple[int, int]] = {}
    for pk, assignment_id, round_ in Reply.objects.filter(assignment_id__in=replied, state=Reply.State.SENT).values_list(
            "pk", "assignment_id", "round"):
        if assignment_id not in latest or round_ > latest[assignment_id][0]:
            latest[assignment_id] = (round_, pk)
    return [pk for _, pk in latest.values()]


def _notices_of_steps(events: list[Event]) -> Iterable[tuple[Event, list[WorkNotice]]]:
    """Each step with its notices; the 交办 steps' assignments and desks are read for all at once."""
    assigning = [event for event in events if event.action == Action.ASSIGN and not event.assignment_id]
    named = _named_at_assignment(assigning) if assigning else {}
    told = [item.agency for items in named.values() for item in items]
    told += [event.assignment.agency for event in events if event.action == Action.ASSIGN and event.assignment_id]
    desks = agency_desks(told)
    for event in events:
        if event.action == Action.ASSIGN:
            yield event, _new_assignments(event, named.get(event.proposal_id), desks)
        else:
            yield event, notices_for(event)


def plan_after_step(event_id: int) -> None:
    """Plan and send the notices of one committed step."""
    plan_after_steps([event_id])


def plan_after_steps(event_ids: list[int]) -> None:
    """Called once a step commits, with its timeline entries (one, or a batch step's every entry):
    plan their notices and send them now (in-app and each-notice mail)."""
    ids = plan_step_notices(event_ids=event_ids)
    if ids:
        with transaction.atomic():
            Notification.objects.filter(pk__in=ids).update(enqueued_at=timezone.now())
            sending.enqueue_sending(ids)


def plan_missed_steps(*, since: dt.datetime) -> int:
    """The sweep's share: steps since `since` whose notices were never planned (index on Event.at)."""
    missed = (Event.objects.filter(at__gte=since, action__in=NOTIFYING_ACTIONS)
              .exclude(pk__in=StepNotices.objects.values("event_id")).values_list("pk", flat=True))
    planned = plan_step_notices(event_ids=list(missed))
    if planned:
        log.info("notifications: %s work notices planned for steps the on-commit planning missed", len(planned))
    return len(planned)


def plan_overdue_opinions(*, today: dt.date) -> int:
    """会办意见逾期: clerks are told the day after an assisting agency's opinion fell due, once per due date."""
    catch_up = dt.timedelta(days=settings.NOTIFICATION_CATCH_UP_DAYS)
    late = selectors.open_assignments_due_in([(today - catch_up - dt.timedelta(days=1), today - dt.timedelta(days=1))])
    late = late.filter(role=Assignment.Role.ASSISTING).select_related("proposal__meeting", "agency")
    now = timezone.now()
    digest_users = preferences.daily_digest_users()
    people = clerks()
    rows = []
    for assignment in late:
        notice = _about_assignment(Kind.OPINION_OVERDUE, assignment, people,
                                   messages.opinion_overdue(assignment=assignment, today=today))
        rows += _rows(notice, key=f"due:{assignment.due_on.isoformat()}",
                      stage_text=f"{assignment.agency.name} 期限{assignment.due_on}", digest_users=digest_users, now=now)
    rows = _switched_on(rows) if rows else rows
    if not rows:
        return 0
    rows.sort(key=lambda row: row.key)
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return Notification.objects.filter(key__in=[row.key for row in rows], planned_at=now).count()


def tell(*, notice: WorkNotice, key: str, stage_text: str) -> list[int]:
    """A notice a higher app decides on (an invitation to co-sign, the office's review of an online
    submission), written under its natural key `key` like a work notice and sent now. Planning the
    same key twice plans it once. Returns the new rows' ids; call it inside the step's transaction:
    the rows are sent once it commits."""
    now = timezone.now()
    rows = _switched_on(_rows(notice, key=key, stage_text=stage_text,
                              digest_users=preferences.daily_digest_users(), now=now))
    if not rows:
        return []
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    ids = list(Notification.objects.filter(key__in=[row.key for row in rows], planned_at=now, digest=False)
               .values_list("pk", flat=True))
    if ids:
        Notification.objects.filter(pk__in=ids).update(enqueued_at=now)
        sending.enqueue_sending(ids)
    return ids
