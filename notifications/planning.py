"""Planning: read the open work and write the notifications that are due by today.

The sweep reads state, not events. For each active stage it works out which dates of the thing
it is measured from (a due date, a meeting date, the day a reply was sent) put the stage on a day
between `today - catch_up` and `today`, reads only those rows through indexed range scans, and
plans one Notification per recipient and channel under a natural key. A key already present is
left alone, so running the sweep twice, or twice at once, plans nothing new; a missed run is
caught up by the next within NOTIFICATION_CATCH_UP_DAYS.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from notifications import messages, preferences, selectors
from notifications.models import ASSIGNMENT_KINDS, Audience, Kind, Notification, Stage
from proposals import access
from proposals.deadlines import rules_for
from proposals.models import AgencyStaff, Assignment, Communication, Member, Proposal, Proposer, RuleSet
from replies.models import Feedback, Reply
from tracker.people import person_name
from tracker.workdays import WorkingCalendar

Channel = Notification.Channel


@dataclass(frozen=True)
class Recipient:
    label: str  # the "for whom" part of the natural key
    name: str
    user_id: int | None = None
    address: str = ""


def plan_notifications(*, today: dt.date | None = None) -> int:
    """Plan every notification due by `today` (default: today in Asia/Shanghai).

    Returns how many rows this run wrote (not those a parallel run wrote). Safe to run at any
    time, any number of times, in parallel: the unique natural key decides.
    """
    planner = _Planner(today=today or timezone.localdate())
    stages = list(Stage.objects.filter(Q(in_app=True) | Q(email=True), active=True))
    by_kind: dict[str, list[Stage]] = defaultdict(list)
    for stage in stages:
        by_kind[stage.kind].append(stage)
    created = planner.plan_deadlines([s for s in stages if s.kind in ASSIGNMENT_KINDS])
    created += planner.plan_accepted(by_kind[Kind.ACCEPTED])
    created += planner.plan_assigned(by_kind[Kind.ASSIGNED])
    created += planner.plan_replies(by_kind[Kind.REPLIED] + by_kind[Kind.FEEDBACK_REQUEST])
    created += planner.plan_feedback_reminders(by_kind[Kind.FEEDBACK_REMINDER])
    created += planner.plan_meetings(by_kind[Kind.MEETING_INVITATION] + by_kind[Kind.MEETING_REMINDER])
    return created


def reply_notices_at_step(reply_ids: list[int], *, now: dt.datetime) -> list[Notification]:
    """The members' 答复通知 and 评价邀请 of replies just sent, planned by the step that sent them
    (not the next sweep): the rows the sweep would plan today, under the same keys, so it finds them
    taken. Stages set to some days after the reply, or to working days on a rest day, stay the sweep's."""
    today = timezone.localdate(now)
    planner = _Planner(today=today)
    stages = [
        stage for stage in Stage.objects.filter(Q(in_app=True) | Q(email=True), active=True,
                                                kind__in=[Kind.REPLIED, Kind.FEEDBACK_REQUEST], offset_days=0)
        .order_by("pk")
        if planner.send_day(today, workdays_only=stage.workdays_only, before=False) == today
    ]
    replies = list(selectors.replies_sent_between(now - dt.timedelta(days=1), now + dt.timedelta(days=1))
                   .filter(pk__in=reply_ids)) if stages else []
    rows = planner.reply_drafts(replies, stages) if replies else []
    for row in rows:
        row.planned_at = now
        row.next_attempt_at = preferences.next_digest_at(now) if row.digest else now
    return rows


class _Planner:
    def __init__(self, *, today: dt.date):
        self.today = today
        self.catch_up = settings.NOTIFICATION_CATCH_UP_DAYS
        self.batch = settings.NOTIFICATION_BATCH_SIZE
        self.calendar = WorkingCalendar()
        self._send_day_cache: dict[tuple[dt.date, bool, bool], dt.date] = {}
        self._agency_recipients: dict[int, list[Recipient]] = {}
        self._clerks: list[Recipient] | None = None
        self._rules: dict[int, RuleSet] = {}
        self.digest_users = preferences.daily_digest_users()
        self._content_types = {
            model: ContentType.objects.get_for_model(model).pk for model in (Assignment, Communication, Reply, Proposal)
        }

    # --- calendar ----------------------------------------------------------------------------

    def send_day(self, stage_day: dt.date, *, workdays_only: bool, before: bool) -> dt.date:
        """The day a stage falling on `stage_day` is sent: a rest day moves to the last working
        day before it (reminders ahead of a date) or the first one after it (after a date)."""
        if not workdays_only:
            return stage_day
        cache_key = (stage_day, workdays_only, before)
        if cache_key not in self._send_day_cache:
            day = stage_day
            step = dt.timedelta(days=-1 if before else 1)
            while not self.calendar.is_workday(day):
                day += step
            self._send_day_cache[cache_key] = day
        return self._send_day_cache[cache_key]

    def stage_days(self, *, workdays_only: bool, before: bool) -> tuple[dt.date, dt.date]:
        """The range of stage days whose send day lies in [today - catch_up, today].

        The send day never decreases as the stage day grows, so the range is contiguous.
        """
        first_send, last_send = self.today - dt.timedelta(days=self.catch_up), self.today
        if not workdays_only:
            return first_send, last_send
        first = first_send
        while self.send_day(first - dt.timedelta(days=1), workdays_only=True, before=before) >= first_send:
            first -= dt.timedelta(days=1)
        while self.send_day(first, workdays_only=True, before=before) < first_send:
            first += dt.timedelta(days=1)
        last = last_send
        while self.send_day(last + dt.timedelta(days=1), workdays_only=True, before=before) <= last_send:
            last += dt.timedelta(days=1)
        while last >= first and self.send_day(last, workdays_only=True, before=before) > last_send:
            last -= dt.timedelta(days=1)
        return first, last

    def in_window(self, send_day: dt.date) -> bool:
        return self.today - dt.timedelta(days=self.catch_up) <= send_day <= self.today

    def rules(self, meeting) -> RuleSet:
        if meeting.pk not in self._rules:
            self._rules[meeting.pk] = rules_for(meeting)
        return self._rules[meeting.pk]

    # --- recipients --------------------------------------------------------------------------

    def agency_recipients(self, agencies) -> None:
        missing = {agency.pk: agency for agency in agencies if agency.pk not in self._agency_recipients}
        if not missing:
            return
        staff = defaultdict(list)
        for link in AgencyStaff.objects.filter(agency_id__in=missing, user__is_active=True).select_related("user"):
            staff[link.agency_id].append(Recipient(f"user:{link.user_id}", person_name(link.user), user_id=link.user_id))
        for agency_id, agency in missing.items():
            people = sorted(staff[agency_id], key=lambda r: r.label)
            if agency.email:
                people.append(Recipient(f"mail:{agency.email.lower()}", agency.name, address=agency.email))
            self._agency_recipients[agency_id] = people

    def clerks(self) -> list[Recipient]:
        if self._clerks is None:
            users = get_user_model().objects.filter(groups__name=access.CLERK, is_active=True).order_by("pk")
            people = []
            for user in users:
                people.append(Recipient(f"user:{user.pk}", person_name(user), user_id=user.pk,
                                        address=user.email or ""))
            self._clerks = people
        return self._clerks

    @staticmethod
    def member_recipients(member: Member) -> list[Recipient]:
        name = messages.member_salutation(member)
        user = member.user
        return [Recipient(f"member:{member.pk}", name, user_id=user.pk if user and user.is_active else None,
                          address=member.email)]

    def proposers_of(self, proposal_ids) -> dict[int, list[Member]]:
        result = defaultdict(list)
        rows = (Proposer.objects.filter(proposal_id__in=proposal_ids).select_related("member__user")
                .order_by("proposal_id", "order"))
        for row in rows:
            result[row.proposal_id].append(row.member)
        return result

    # --- writing -----------------------------------------------------------------------------

    def drafts(self, *, key: str, stage: Stage, stage_text: str, recipients: list[Recipient], subject: str,
               body: str, link: str, proposal_id: int, about) -> list[Notification]:
        """One row per recipient and channel the stage uses and the recipient can receive."""
        rows = []
        content_type = self._content_types[type(about)]
        for person in recipients:
            channels = []
            if stage.in_app and person.user_id:
                channels.append((Channel.IN_APP, ""))
            if stage.email and person.address:
                channels.append((Channel.EMAIL, person.address))
            for channel, address in channels:
                rows.append(Notification(
                    digest=channel == Channel.EMAIL and person.user_id in self.digest_users,
                    key=f"{key}:{person.label}:{channel}"[:500], kind=stage.kind, stage=stage, stage_text=stage_text,
                    channel=channel, recipient_id=person.user_id if channel == Channel.IN_APP else None,
                    address=address, recipient_name=person.name, subject=subject, body=body, link=link,
                    proposal_id=proposal_id, content_type_id=content_type, object_id=about.pk,
                ))
        return rows

    @staticmethod
    def store(rows: list[Notification]) -> int:
        """Insert the rows whose keys are new. Keys go in sorted order, so two sweeps inserting the
        same keys at once wait on each other instead of deadlocking; ON CONFLICT DO NOTHING
        settles the race."""
        if not rows:
            return 0
        keys = [row.key for row in rows]
        present = set(Notification.objects.filter(key__in=keys).values_list("key", flat=True))
        fresh = sorted((row for row in rows if row.key not in present), key=lambda row: row.key)
        if not fresh:
            return 0
        now = timezone.now()
        for row in fresh:
            row.planned_at = now
            row.next_attempt_at = preferences.next_digest_at(now) if row.digest else now
        with transaction.atomic():
            Notification.objects.bulk_create(fresh, ignore_conflicts=True)
        # ON CONFLICT DO NOTHING does not say which rows it wrote: ours carry our planned_at.
        return Notification.objects.filter(key__in=[row.key for row in fresh], planned_at=now).count()

    # --- agency deadlines --------------------------------------------------------------------

    def _occurrences(self, stage: Stage) -> list[int]:
        """Offsets in days from the due date of each occurrence of the stage."""
        offsets = [stage.offset_days]
        if stage.repeat_every_days:
            offsets += [stage.offset_days + stage.repeat_every_days * n for n in range(1, stage.repeat_times + 1)]
        return offsets

    def plan_deadlines(self, stages: list[Stage]) -> int:
        """Agencies before and after their due dates; clerks when an agency is late."""
        ranges = []
        for stage in stages:
            for offset in self._occurrences(stage):
                first, last = self.stage_days(workdays_only=stage.workdays_only, before=offset < 0)
                first, last = first - dt.timedelta(days=offset), last - dt.timedelta(days=offset)
                if stage.kind == Kind.DUE_SOON:
                    first = max(first, self.today)  # past the due date, "days left" no longer applies
                if first <= last:
                    ranges.append((first, last))
        created = 0
        for batch in selectors.in_batches(selectors.open_assignments_due_in(_merge(ranges)), self.batch):
            rows = []
            self.agency_recipients({item.agency for item in batch})
            for assignment in batch:
                for stage, occurrence in self._current(assignment, stages):
                    rows += self._deadline_drafts(assignment, stage, occurrence)
            created += self.store(rows)
        return created

    def _current(self, assignment: Assignment, stages: list[Stage]) -> list[tuple[Stage, int]]:
        """The stages due for this assignment now; of several of one kind and audience (the 7-day
        and the 1-day reminder after a holiday, two weeks of chasing after an outage) only the
        latest, so a catch-up does not send a pile of stale reminders."""
        latest: dict[tuple[str, str], tuple[dt.date, int, Stage, int]] = {}
        for stage in stages:
            for number, offset in enumerate(self._occurrences(stage)):
                stage_day = assignment.due_on + dt.timedelta(days=offset)
                sent_on = self.send_day(stage_day, workdays_only=stage.workdays_only, before=offset < 0)
                if not self.in_window(sent_on):
                    continue
                if stage.kind == Kind.DUE_SOON and assignment.due_on < self.today:
                    continue
                if stage.kind != Kind.DUE_SOON and self.today <= assignment.due_on:
                    continue  # not late (yet), whatever the offsets say
                group = (stage.kind, stage.audience)
                candidate = (stage_day, offset, stage, number)
                if group not in latest or candidate[:2] > latest[group][:2]:
                    latest[group] = candidate
        return [(stage, number) for _, _, stage, number in latest.values()]

    def _deadline_drafts(self, assignment: Assignment, stage: Stage, occurrence: int) -> list[Notification]:
        if stage.kind == Kind.DUE_SOON:
            subject, body = messages.due_soon(assignment=assignment, today=self.today)
        elif stage.kind == Kind.OVERDUE:
            subject, body = messages.overdue(assignment=assignment, today=self.today)
        else:
            subject, body = messages.escalation(assignment=assignment, today=self.today)
        recipients = self.clerks() if stage.audience == Audience.CLERKS else self._agency_recipients[assignment.agency_id]
        deadline = "会办意见期限" if assignment.role == Assignment.Role.ASSISTING else "答复期限"
        repeat = f"（第{occurrence + 1}次）" if occurrence else ""
        stage_text = f"{stage.name}{repeat}：{assignment.agency.name} 交办{assignment.pk} {deadline}{assignment.due_on}"
        return self.drafts(
            key=f"assignment:{assignment.pk}:{stage.code}:{assignment.due_on.isoformat()}:{occurrence}",
            stage=stage, stage_text=stage_text[:200], recipients=recipients, subject=subject, body=body,
            link=_admin_link("proposals", "assignment", assignment.pk), proposal_id=assignment.proposal_id,
            about=assignment,
        )

    # --- members -----------------------------------------------------------------------------

    def plan_accepted(self, stages: list[Stage]) -> int:
        created = 0
        for batch in selectors.in_batches(selectors.proposals_just_accepted(), self.batch):
            proposers = self.proposers_of([p.pk for p in batch])
            rows = []
            for proposal in batch:
                for stage in stages:
                    for member in proposers[proposal.pk]:
                        subject, body = messages.accepted(proposal=proposal, member=member)
                        rows += self.drafts(
                            key=f"proposal:{proposal.pk}:{stage.code}", stage=stage,
                            stage_text=f"{stage.name}:{messages.short_label(proposal)}", subject=subject, body=body,
                            recipients=self.member_recipients(member), link=_member_link(proposal),
                            proposal_id=proposal.pk, about=proposal,
                        )
            created += self.store(rows)
        return created

    def plan_assigned(self, stages: list[Stage]) -> int:
        created = 0
        for stage in stages:
            first, last = self.stage_days(workdays_only=stage.workdays_only, before=False)
            made = selectors.assignments_made_between(first - dt.timedelta(days=stage.offset_days),
                                                      last - dt.timedelta(days=stage.offset_days))
            # One notice per proposal and day of assignment, naming every agency that now holds it.
            for batch in selectors.in_batches(made, self.batch):
                proposal_days = {(item.proposal_id, item.assigned_on) for item in batch}
                proposal_ids = {proposal_id for proposal_id, _ in proposal_days}
                holders = defaultdict(list)
                for item in (Assignment.objects.filter(proposal_id__in=proposal_ids, state__in=list(Assignment.ACTIVE_STATES))
                             .select_related("agency", "proposal__meeting").order_by("role", "pk")):
                    holders[item.proposal_id].append(item)
                proposers = self.proposers_of(proposal_ids)
                rows = []
                for proposal_id, assigned_on in sorted(proposal_days):
                    if not holders[proposal_id]:
                        continue
                    proposal = holders[proposal_id][0].proposal
                    for member in proposers[proposal_id]:
                        subject, body = messages.assigned(proposal=proposal, member=member, assignments=holders[proposal_id])
                        rows += self.drafts(
                            key=f"proposal:{proposal_id}:{stage.code}:{assigned_on.isoformat()}", stage=stage,
                            stage_text=f"{stage.name}:{messages.short_label(proposal)} {assigned_on}",
                            recipients=self.member_recipients(member), subject=subject, body=body,
                            link=_member_link(proposal), proposal_id=proposal_id, about=proposal,
                        )
                created += self.store(rows)
        return created

    def _feedback_closes_on(self, reply: Reply) -> dt.date:
        sent_on = timezone.localdate(reply.sent_at)
        return self.calendar.add_workdays(sent_on, self.rules(reply.assignment.proposal.meeting).feedback_window_workdays)

    def plan_replies(self, stages: list[Stage]) -> int:
        """Members told of a reply, and asked to rate it."""
        created = 0
        for stage in stages:
            first, last = self.stage_days(workdays_only=stage.workdays_only, before=False)
            start, end = selectors.local_day_bounds(first - dt.timedelta(days=stage.offset_days),
                                                    last - dt.timedelta(days=stage.offset_days))
            for batch in selectors.in_batches(selectors.replies_sent_between(start, end), self.batch):
                created += self.store(self.reply_drafts(batch, [stage]))
        return created

    def reply_drafts(self, replies: list[Reply], stages: list[Stage]) -> list[Notification]:
        """Each proposer told of each reply (答复通知) and asked to rate it (评价邀请), per stage."""
        proposers = self.proposers_of({reply.assignment.proposal_id for reply in replies})
        rows = []
        for stage in stages:
            for reply in replies:
                proposal, agency = reply.assignment.proposal, reply.assignment.agency
                for member in proposers[proposal.pk]:
                    if stage.kind == Kind.REPLIED:
                        subject, body = messages.replied(
                            proposal=proposal, member=member, agency_name=agency.name,
                            sent_on=timezone.localdate(reply.sent_at), document_number=reply.document_number)
                    else:
                        subject, body = messages.feedback_request(
                            proposal=proposal, member=member, agency_name=agency.name,
                            closes_on=self._feedback_closes_on(reply))
                    rows += self.drafts(
                        key=f"reply:{reply.pk}:{stage.code}", stage=stage,
                        stage_text=f"{stage.name}：{messages.short_label(proposal)} {agency.name}答复{reply.pk}",
                        recipients=self.member_recipients(member), subject=subject, body=body,
                        link=_member_link(proposal), proposal_id=proposal.pk, about=reply,
                    )
        return rows

    def plan_feedback_reminders(self, stages: list[Stage]) -> int:
        """Members who have not rated yet, some days before their feedback window closes."""
        if not stages:
            return 0
        longest = max([15, *RuleSet.objects.values_list("feedback_window_workdays", flat=True)])
        # Working days never run faster than one per calendar day minus weekends and the longest
        # holiday (about a week): twice the days plus three weeks bounds any window.
        oldest = self.today - dt.timedelta(days=2 * longest + 21 + self.catch_up)
        start, end = selectors.local_day_bounds(oldest, self.today)
        created = 0
        for batch in selectors.in_batches(selectors.replies_sent_between(start, end), self.batch):
            proposal_ids = {reply.assignment.proposal_id for reply in batch}
            proposers = self.proposers_of(proposal_ids)
            rated = set(Feedback.objects.filter(proposal_id__in=proposal_ids).values_list("proposal_id", "member_id", "round"))
            rows = []
            for reply in batch:
                proposal, agency = reply.assignment.proposal, reply.assignment.agency
                closes_on = self._feedback_closes_on(reply)
                if closes_on < self.today:
                    continue
                for stage in stages:
                    stage_day = closes_on + dt.timedelta(days=stage.offset_days)
                    if not self.in_window(self.send_day(stage_day, workdays_only=stage.workdays_only,
                                                        before=stage.offset_days < 0)):
                        continue
                    for member in proposers[proposal.pk]:
                        if (proposal.pk, member.pk, reply.round) in rated:
                            continue
                        subject, body = messages.feedback_reminder(
                            proposal=proposal, member=member, agency_name=agency.name, closes_on=closes_on,
                            today=self.today)
                        rows += self.drafts(
                            key=f"reply:{reply.pk}:{stage.code}:{closes_on.isoformat()}", stage=stage,
                            stage_text=f"{stage.name}：{messages.short_label(proposal)} 评价期限{closes_on}",
                            recipients=self.member_recipients(member), subject=subject, body=body,
                            link=_member_link(proposal), proposal_id=proposal.pk, about=reply,
                        )
            created += self.store(rows)
        return created

    def plan_meetings(self, stages: list[Stage]) -> int:
        """Invitations to meetings the agencies planned, and a reminder before each."""
        created = 0
        for stage in stages:
            if stage.kind == Kind.MEETING_INVITATION:
                meetings = selectors.planned_communications_between(self.today, None)
            else:
                first, last = self.stage_days(workdays_only=stage.workdays_only, before=stage.offset_days < 0)
                first = max(first - dt.timedelta(days=stage.offset_days), self.today)
                meetings = selectors.planned_communications_between(first, last - dt.timedelta(days=stage.offset_days))
            for batch in selectors.in_batches(meetings, self.batch):
                proposers = self.proposers_of({c.proposal_id for c in batch})
                rows = []
                for communication in batch:
                    invited = list(communication.members.all()) or proposers[communication.proposal_id]
                    when = communication.date.isoformat() + (f"T{communication.time:%H:%M}" if communication.time else "")
                    for member in invited:
                        if stage.kind == Kind.MEETING_INVITATION:
                            subject, body = messages.meeting_invitation(communication=communication, member=member)
                        else:
                            subject, body = messages.meeting_reminder(communication=communication, member=member,
                                                                      today=self.today)
                        rows += self.drafts(
                            key=f"communication:{communication.pk}:{stage.code}:{when}", stage=stage,
                            stage_text=f"{stage.name}:{communication.agency.name} {when}",
                            recipients=self.member_recipients(member), subject=subject, body=body,
                            link=_member_link(communication.proposal), proposal_id=communication.proposal_id,
                            about=communication,
                        )
                created += self.store(rows)
        return created


def _merge(ranges: list[tuple[dt.date, dt.date]]) -> list[tuple[dt.date, dt.date]]:
    """Overlapping or touching date ranges as few ranges."""
    merged: list[tuple[dt.date, dt.date]] = []
    for first, last in sorted(ranges):
        if merged and first <= merged[-1][1] + dt.timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def _admin_link(app: str, model: str, pk: int) -> str:
    return f"{settings.SITE_URL.rstrip('/')}/admin/{app}/{model}/{pk}/change/"


def _member_link(proposal: Proposal) -> str:
    return settings.SITE_URL.rstrip("/") + settings.NOTIFICATION_MEMBER_LINK.format(proposal_id=proposal.pk)
