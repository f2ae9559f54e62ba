"""Five years of a national office, built with bulk inserts: the data `make bench-pages` opens.

    build(scale=1.0)   # 5 meetings × 9,200 proposals, 213 agencies, 2,000 members, about a million
                       # notifications and 700,000 timeline events
    build(scale=0.01)  # the same office with 1% of the archive

People do not shrink with the archive: both sizes have the 213 agencies (each with a staff member
and a reviewer), the 2,000 members and the clerk, so every page shows the same office; only the
proposals and everything hanging off them are scaled. Four past meetings are mostly replied, rated
and closed; the current one is mid-way (pending, signed, overdue, due-soon, drafts in review).
Rows respect the constraints and the states the workflows keep (one lead assignment, an agency once
a proposal, dates on open work, one reply per round, one rating per member and round, unique
notification keys). Built once per database; the last meeting is the marker that it is whole.
"""

from __future__ import annotations

import datetime as dt
import random
import time

from bench.dataset import TOPICS, long_text, proposal_title

MEETINGS = 5
PROPOSALS_PER_MEETING = 9_200
AGENCIES = 213
MEMBERS = 2_000
MARK = "第十四届全国人民代表大会第{}次会议(页面基准)"
PASSWORD = "bench-pages-密码-2026"
CLERK = "pages-clerk"
BATCH = 5_000

PAST = (("not_accepted", .04), ("merged", .02), ("referred", .02), ("withdrawn", .01), ("replied", .03),
        ("evaluated", .30), ("rehandling", .0), ("closed", .58))
CURRENT = (("submitted", .02), ("accepted", .02), ("not_accepted", .03), ("merged", .02), ("referred", .01),
           ("withdrawn", .01), ("assigned", .08), ("in_progress", .50), ("replied", .25), ("rehandling", .01),
           ("evaluated", .05))
HANDLED = ("assigned", "in_progress", "replied", "rehandling", "evaluated", "closed")


def staff_name(n: int) -> str:
    return f"pages-staff-{n}"


def reviewer_name(n: int) -> str:
    return f"pages-reviewer-{n}"


def member_name(n: int) -> str:
    return f"pages-member-{n}"


def built() -> bool:
    from proposals.models import Meeting

    return Meeting.objects.filter(name=MARK.format(MEETINGS)).exists()


def build(scale: float) -> None:
    from django.db import connection, transaction

    if built():
        return
    started = time.perf_counter()
    rng = random.Random(20261207)
    from proposals.models import Meeting

    with transaction.atomic():  # all or nothing: a half-made office would pass for a whole one next time
        people = _people()
        per_meeting = max(1, round(PROPOSALS_PER_MEETING * scale))
        for session in range(1, MEETINGS + 1):
            _meeting(rng, people, session, per_meeting)
            if session < MEETINGS:  # past years' figures are published for the public
                from reports.models import PublishedFigures

                PublishedFigures.objects.create(meeting=Meeting.objects.get(name=MARK.format(session)),
                                                published_on=dt.date.today(), published_by=people["clerk"])
            print(f"  meeting {session}: {per_meeting} proposals ({time.perf_counter() - started:.0f} s)", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


class _Flush:
    """Rows of one model, written in batches so a million notifications never sit in memory."""

    def __init__(self, model):
        self.model, self.rows = model, []

    def add(self, row) -> None:
        self.rows.append(row)
        if len(self.rows) >= BATCH * 4:
            self.flush()

    def flush(self) -> None:
        self.model.objects.bulk_create(self.rows, batch_size=BATCH)
        self.rows = []


def _people() -> dict:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from proposals import access
    from proposals.models import Agency, AgencyStaff, Member

    User = get_user_model()
    password = make_password(PASSWORD)  # hashed once for everyone
    groups = {name: Group.objects.get(name=name).pk
              for name in (access.CLERK, access.AGENCY_STAFF, access.AGENCY_REVIEWER, access.MEMBER)}
    agencies = Agency.objects.bulk_create(
        Agency(name=f"国务院第{n + 1:03d}承办部门", region="全国", email=f"agency{n}@example.org") for n in range(AGENCIES))
    staff_users = [User(username=name, password=password, is_staff=True, email=f"{name}@example.org")
                   for n in range(AGENCIES) for name in (staff_name(n), reviewer_name(n))]
    member_users = [User(username=member_name(n), password=password, email=f"{member_name(n)}@example.org")
                    for n in range(MEMBERS)]
    clerk = User(username=CLERK, password=password, is_staff=True, email="clerk@example.org")
    User.objects.bulk_create([clerk, *staff_users, *member_users], batch_size=BATCH)
    AgencyStaff.objects.bulk_create(AgencyStaff(user=user, agency=agencies[index // 2])
                                    for index, user in enumerate(staff_users))
    members = Member.objects.bulk_create(
        Member(user=user, name=f"代表{n + 1:04d}", body="npc", region="全国", sector=f"{TOPICS[n % len(TOPICS)]}界",
               email=user.email, phone=f"139{n:08d}") for n, user in enumerate(member_users))
    memberships = [(clerk, groups[access.CLERK])]
    memberships += [(user, groups[access.AGENCY_STAFF if index % 2 == 0 else access.AGENCY_REVIEWER])
                    for index, user in enumerate(staff_users)]
    memberships += [(user, groups[access.MEMBER]) for user in member_users]
    User.groups.through.objects.bulk_create(User.groups.through(user=user, group_id=group) for user, group in memberships)
    return {"clerk": clerk, "agencies": agencies, "members": members,
            "staff": staff_users[0::2], "reviewers": staff_users[1::2]}


def _draw(rng, table) -> str:
    point, total = rng.random(), 0.0
    for status, share in table:
        total += share
        if point < total:
            return status
    return table[-1][0]


def _meeting(rng, people, session: int, size: int) -> None:  # noqa: C901 - one straight pass over a year
    from django.utils import timezone

    from notifications.models import Notification
    from proposals.models import Assignment, Communication, Event, Extension, Meeting, Proposal, Proposer
    from replies.models import Feedback, Reply

    today = timezone.localdate()
    current = session == MEETINGS
    year = today.year - MEETINGS + session
    tz = timezone.get_current_timezone()
    meeting = Meeting.objects.create(body="npc", region="全国", term=14, session=session, year=year,
                                     name=MARK.format(session), opened_on=dt.date(year, 3, 5))
    # The current year is mid-way: the 交办会 80 days ago, so lead replies fall due in the coming
    # days and the assisting opinions are overdue.
    assigned_on = today - dt.timedelta(days=80) if current else dt.date(year, 4, 10)
    clerk, agencies, members = people["clerk"], people["agencies"], people["members"]
    table = CURRENT if current else PAST
    target = Proposal.objects.create(meeting=meeting, number="1", kind="suggestion", title=proposal_title(rng),
                                     body=long_text(rng, 1200), status="closed" if not current else "in_progress",
                                     submitted_on=dt.date(year, 3, 8))
    proposals = [target]
    for n in range(1, size):
        status = _draw(rng, table)
        proposals.append(Proposal(
            meeting=meeting, number=str(n + 1), kind="suggestion", title=proposal_title(rng), body=long_text(rng, 1200),
            category=rng.choice(Proposal.Category.values), is_key=rng.random() < .02, status=status,
            submitted_on=dt.date(year, 3, 8), round=2 if status == "rehandling" else 1,
            merged_into=target if status == "merged" else None,
            closed_on=dt.date(year, 12, 20) if status == "closed" else None,
        ))
    Proposal.objects.bulk_create(proposals[1:], batch_size=BATCH)

    proposers, signers = [], {}
    for proposal in proposals:
        chosen = rng.sample(members, rng.choice((1, 1, 1, 2, 3)))
        signers[proposal.pk] = chosen
        proposers += [Proposer(proposal=proposal, member=m, order=i, is_lead=i == 1) for i, m in enumerate(chosen, 1)]
    Proposer.objects.bulk_create(proposers, batch_size=BATCH)

    assignments, plans, extensions = [], [], []
    for proposal in proposals:
        if proposal.status not in HANDLED:
            continue
        chosen = rng.sample(range(AGENCIES), 5)
        if rng.random() < .03:  # reassigned after the 交办会: the first lead handed back
            assignments.append(Assignment(
                proposal=proposal, agency=agencies[chosen[4]], role="lead", state="reassigned",
                assigned_on=assigned_on, due_on=assigned_on + dt.timedelta(days=91),
                reassignment_reason="不属于本单位职责范围。", reassignment_requested_on=assigned_on + dt.timedelta(days=3)))
            plans.append((proposal, "reassigned", None))
        roles = [("lead", chosen[0])] + ([("joint", chosen[1])] if rng.random() < .1 else [])
        roles += [("assisting", index) for index in chosen[2:2 + rng.choice((0, 1, 1, 2))]]
        for role, index in roles:
            due = assigned_on + dt.timedelta(days=30 if role == "assisting" else 91)
            state = _assignment_state(rng, proposal.status, role)
            extended = due + dt.timedelta(days=60) if role != "assisting" and rng.random() < .05 else None
            done_on = assigned_on + dt.timedelta(days=rng.randint(20, 85))
            assignments.append(Assignment(
                proposal=proposal, agency=agencies[index], role=role, state=state, assigned_on=assigned_on,
                due_on=extended or due, extended_to=extended, due_provisional=current and rng.random() < .01,
                reassignment_window_ends_on=assigned_on + dt.timedelta(days=9),
                communication_due_on=assigned_on + dt.timedelta(days=21),
                signed_at=None if state == "pending" else dt.datetime.combine(assigned_on, dt.time(15), tz),
                signed_by=None if state == "pending" else people["staff"][index],
                state_before_request="accepted" if state == "reassignment_requested" else "",
                reassignment_requested_on=assigned_on + dt.timedelta(days=4) if state == "reassignment_requested" else None,
                rehandling_started_on=today - dt.timedelta(days=10) if proposal.status == "rehandling" and role != "assisting" else None,
                completed_on=done_on if state in ("replied", "opinion_sent") else None,
            ))
            plans.append((proposal, state, done_on))
            if extended:
                extensions.append((len(assignments) - 1, extended))
    Assignment.objects.bulk_create(assignments, batch_size=BATCH)
    Extension.objects.bulk_create(
        Extension(assignment=assignments[i], reason="涉及多部门协调,需延期答复。", requested_until=until,
                  requested_by=people["staff"][agencies.index(assignments[i].agency)],
                  state="approved", decided_by=clerk, decided_at=dt.datetime.combine(until, dt.time(9), tz))
        for i, until in extensions)

    replies, contacts, events = _Flush(Reply), _Flush(Communication), _Flush(Event)
    notices, feedback = _Flush(Notification), _Flush(Feedback)
    agency_index = {agency.pk: n for n, agency in enumerate(agencies)}
    for assignment, (proposal, state, done_on) in zip(assignments, plans):
        n = agency_index[assignment.agency_id]
        staff, reviewer = people["staff"][n], people["reviewers"][n]
        events.add(Event(proposal=proposal, assignment=assignment, actor=clerk, action="assign", to_state="pending"))
        _notify(notices, f"new:{assignment.pk}", "new_assignment", staff, proposal, "新交办")
        if assignment.signed_at:
            events.add(Event(proposal=proposal, assignment=assignment, actor=staff, action="sign_for",
                             from_state="pending", to_state="accepted"))
        if state == "reassigned":
            events.add(Event(proposal=proposal, assignment=assignment, actor=clerk, action="reassign",
                             from_state="reassignment_requested", to_state="reassigned"))
            continue
        if assignment.role == "assisting":
            if state == "opinion_sent":
                events.add(Event(proposal=proposal, assignment=assignment, actor=staff, action="reply",
                                 note="提交会办意见", to_state="opinion_sent"))
            continue
        if state == "replied" or proposal.status == "rehandling":
            sent = dt.datetime.combine(done_on, dt.time(10), tz)
            public = rng.random() < .8
            replies.add(Reply(
                assignment=assignment, round=1, state="sent", title=f"对{proposal.title}的答复", addressee="代表",
                body=long_text(rng, 1500), signing_agency_id=assignment.agency_id, signed_on=done_on, sent_at=sent,
                due_on=assignment.due_on, category=rng.choices("ABCD", weights=(50, 30, 15, 5))[0],
                disclosure="public" if public else "not_public", nondisclosure_reason="" if public else "涉及内部事项。",
                published_on=done_on + dt.timedelta(days=20) if public and rng.random() < .9 else None,
                drafted_by=staff, last_edited_by=staff, signed_off_by=reviewer,
            ))
            events.add(Event(proposal=proposal, assignment=assignment, actor=staff, action="reply", to_state="replied"))
            contacts.add(Communication(proposal=proposal, agency_id=assignment.agency_id, state="held",
                                       mode="face_to_face" if rng.random() < .6 else "phone",
                                       date=done_on - dt.timedelta(days=rng.randint(3, 20)), outcome="已当面沟通,代表表示理解。"))
            events.add(Event(proposal=proposal, assignment=assignment, actor=staff, action="plan_communication"))
            events.add(Event(proposal=proposal, assignment=assignment, actor=staff, action="hold_communication"))
            for member in signers[proposal.pk]:
                _notify(notices, f"replied:{assignment.pk}:{member.pk}", "replied", member.user, proposal, "答复通知")
        elif state == "accepted" and rng.random() < .25:  # a draft on its way to the reviewer
            replies.add(Reply(
                assignment=assignment, round=1, state=rng.choice(("draft", "in_review")), title=f"对{proposal.title}的答复",
                addressee="代表", body=long_text(rng, 1500), signing_agency_id=assignment.agency_id, drafted_by=staff,
                last_edited_by=staff))
        if not current or state in ("accepted", "pending"):  # the month-ahead and week-ahead reminders
            for stage in ("month", "week"):
                _notify(notices, f"due:{stage}:{assignment.pk}", "due_soon", staff, proposal, "期限前提醒")
    for proposal in proposals:
        events.add(Event(proposal=proposal, actor=clerk, action="register", to_state="submitted"))
        if proposal.status in ("not_accepted", "merged", "referred", "withdrawn", "submitted"):
            if proposal.status != "submitted":
                events.add(Event(proposal=proposal, actor=clerk, action=proposal.status.replace("not_accepted", "not_accept")
                                 .replace("merged", "merge").replace("referred", "refer").replace("withdrawn", "withdraw"),
                                 from_state="submitted", to_state=proposal.status))
            continue
        events.add(Event(proposal=proposal, actor=clerk, action="accept", from_state="submitted", to_state="accepted"))
        for member in signers[proposal.pk]:
            _notify(notices, f"accepted:{proposal.pk}:{member.pk}", "accepted", member.user, proposal, "立案通知")
            if proposal.status in HANDLED:
                _notify(notices, f"assigned:{proposal.pk}:{member.pk}", "assigned", member.user, proposal, "交办通知")
        if proposal.status in ("evaluated", "closed", "rehandling"):
            for member in signers[proposal.pk][:2]:
                _notify(notices, f"feedback:{proposal.pk}:{member.pk}", "feedback_request", member.user, proposal, "评价邀请")
                for round_ in range(1, proposal.round + 1):
                    first_unhappy = proposal.status == "rehandling"
                    feedback.add(Feedback(proposal=proposal, member=member, round=round_, recorded_by=member.user,
                                          attitude=rng.choice(("satisfied", "satisfied", "basically_satisfied")),
                                          result="unsatisfied" if first_unhappy else rng.choice(("satisfied", "basically_satisfied")),
                                          comments="办理认真,答复具体。"))
                events.add(Event(proposal=proposal, actor=member.user, action="evaluate"))
        if proposal.status == "closed":
            events.add(Event(proposal=proposal, actor=clerk, action="close", from_state="evaluated", to_state="closed"))
    for rows in (replies, contacts, events, notices, feedback):
        rows.flush()


def _assignment_state(rng, status: str, role: str) -> str:
    if status == "assigned":
        return "pending"
    if status == "in_progress":
        if role == "assisting":
            return "opinion_sent" if rng.random() < .5 else "accepted"
        draw = rng.random()
        return "pending" if draw < .05 else "reassignment_requested" if draw < .07 else "accepted"
    if status == "rehandling" and role != "assisting":
        return "accepted"
    return "opinion_sent" if role == "assisting" else "replied"


def _notify(notices, key: str, kind: str, user, proposal, subject: str) -> None:
    """The in-app message and the e-mail of one notice; most long read."""
    from django.utils import timezone

    from notifications.models import Notification

    now = timezone.now()
    for channel in ("in_app", "email"):
        notices.add(Notification(
            key=f"pages:{key}:{channel}", kind=kind, stage_text=subject, channel=channel, recipient=user,
            address=user.email, subject=f"{subject}:第{proposal.number}号", body=f"{subject}。{proposal.title}",
            proposal=proposal, state="sent", sent_at=now, attempts=1,
            read_at=now if channel == "in_app" and random.random() < .85 else None,
        ))
