"""Benchmark: the office figures of one meeting per agency and role (what 统计分析 shows) at
national scale, against hand-written SQL GROUP BY over the same tables.

    make bench-stats          # BENCH_STATS_DATABASE_URL, default postgres://…/tracker_reports_bench

Builds its own database once with bulk_create — 10 meetings of 10,000 proposals, 250 agencies,
about 3 assignments a proposal, replies (some late, some re-handled), contacts, ratings and events
— and reuses it on the next run (BENCH_STATS_REBUILD=1 builds afresh). Times
reports.figures.agency_rows (ORM) and the SQL baseline interleaved, asserts both give the same
rows, and ends with `stats ratio R` (ours / baseline, medians; aim R ≤ 1.5).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

from bench.dataset import ensure_database  # noqa: E402

MEETINGS = 10
PROPOSALS_PER_MEETING = 10_000
AGENCIES = 250
MEMBERS = 5_000
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "7"))
MARK = "全国人大第十四届第{}次会议(统计基准)"
BATCH = 5_000


def built() -> bool:
    from proposals.models import Proposal

    return Proposal.objects.filter(meeting__name=MARK.format(MEETINGS)).count() == PROPOSALS_PER_MEETING


def populate() -> None:  # noqa: C901 - one straight pass over the data it builds
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    from proposals.models import Agency, Assignment, Communication, Event, Meeting, Member, Proposal
    from replies.models import Feedback, Reply

    started = time.perf_counter()
    rng = random.Random(20261130)
    tz = timezone.get_current_timezone()
    with transaction.atomic():
        user = get_user_model().objects.create_user("bench-stats-clerk", password=None)
        agencies = Agency.objects.bulk_create(Agency(name=f"国务院第{n}部门", region="全国") for n in range(AGENCIES))
        members = Member.objects.bulk_create(
            Member(name=f"代表{n}", body="npc", region="全国") for n in range(MEMBERS))
        for session in range(1, MEETINGS + 1):
            year = 2016 + session
            meeting = Meeting.objects.create(body="npc", region="全国", term=14, session=session, year=year,
                                             name=MARK.format(session), opened_on=dt.date(year, 3, 5))
            assigned_on = dt.date(year, 4, 10)  # the 交办会: most assigned on one day
            # The item the merged ones fold into, saved first so they can name it.
            target = Proposal.objects.create(meeting=meeting, number="1", kind="suggestion", title="关于第1项工作的建议",
                                             status="evaluated")
            proposals = [target]
            for n in range(1, PROPOSALS_PER_MEETING):
                draw = rng.random()
                status = ("submitted" if draw < .02 else "not_accepted" if draw < .05 else "merged" if draw < .07
                          else "referred" if draw < .08 else "withdrawn" if draw < .09 else "in_progress" if draw < .25
                          else "replied" if draw < .45 else "rehandling" if draw < .48 else "evaluated" if draw < .8
                          else "closed")
                proposals.append(Proposal(
                    meeting=meeting, number=str(n + 1), kind="suggestion", title=f"关于第{n + 1}项工作的建议",
                    category=rng.choice(Proposal.Category.values), is_key=rng.random() < .02, status=status,
                    round=2 if status == "rehandling" or (status == "evaluated" and rng.random() < .05) else 1,
                    merged_into=target if status == "merged" else None,
                ))
            Proposal.objects.bulk_create(proposals[1:], batch_size=BATCH)

            assignments, plans = [], []
            for proposal in proposals:
                if proposal.status not in ("in_progress", "replied", "rehandling", "evaluated", "closed"):
                    continue
                chosen = rng.sample(agencies, 4)
                roles = [("lead", chosen[0])]
                if rng.random() < .2:
                    roles.append(("joint", chosen[1]))
                roles += [("assisting", agency) for agency in chosen[2:2 + rng.choice((1, 1, 2, 2, 2))]]
                for role, agency in roles:
                    days = 30 if role == "assisting" else 91
                    due = assigned_on + dt.timedelta(days=days)
                    extended = due + dt.timedelta(days=60) if role != "assisting" and rng.random() < .05 else None
                    open_ = proposal.status == "in_progress" and rng.random() < .6
                    state = (("pending" if rng.random() < .2 else "accepted") if open_
                             else "opinion_sent" if role == "assisting" else "replied")
                    if proposal.status == "rehandling" and role != "assisting":
                        state = "accepted"
                    done_on = assigned_on + dt.timedelta(days=max(5, int(rng.gauss(days * .8, days * .3))))
                    assignments.append(Assignment(
                        proposal=proposal, agency=agency, role=role, state=state, assigned_on=assigned_on,
                        due_on=extended or due, extended_to=extended, due_provisional=rng.random() < .02,
                        completed_on=done_on if state in ("replied", "opinion_sent") else None,
                    ))
                    plans.append((proposal, role, state, done_on))
            Assignment.objects.bulk_create(assignments, batch_size=BATCH)

            replies, contacts, feedback = [], [], []
            for assignment, (proposal, role, state, done_on) in zip(assignments, plans):
                if role == "assisting" or (state != "replied" and proposal.status != "rehandling"):
                    continue
                sent = dt.datetime.combine(done_on, dt.time(10), tz)
                replies.append(Reply(
                    assignment=assignment, round=1, state="sent", title="答复", addressee="代表", body="答复。",
                    signing_agency_id=assignment.agency_id, sent_at=sent, due_on=assignment.due_on,
                    category=rng.choices("ABCD", weights=(50, 30, 15, 5))[0], signed_on=done_on,
                ))
                if proposal.round == 2 and proposal.status != "rehandling":
                    second = done_on + dt.timedelta(days=25)
                    replies.append(Reply(
                        assignment=assignment, round=2, state="sent", title="再次答复", addressee="代表", body="答复。",
                        signing_agency_id=assignment.agency_id, sent_at=dt.datetime.combine(second, dt.time(10), tz),
                        due_on=done_on + dt.timedelta(days=30), category=rng.choice("AB"), signed_on=second,
                    ))
                if rng.random() < .8:
                    contacts.append(Communication(
                        proposal=proposal, agency_id=assignment.agency_id, state="held",
                        mode="face_to_face" if rng.random() < .6 else "phone",
                        date=done_on - dt.timedelta(days=rng.randint(-3, 20)), outcome="已沟通。",
                    ))
            Reply.objects.bulk_create(replies, batch_size=BATCH)
            Communication.objects.bulk_create(contacts, batch_size=BATCH)

            ratings = ("satisfied", "satisfied", "basically_satisfied", "unsatisfied", "no_opinion")
            for proposal in proposals:
                if proposal.status not in ("evaluated", "closed", "rehandling"):
                    continue
                for member in rng.sample(members, rng.choice((1, 1, 2, 3))):
                    for round_ in range(1, proposal.round + 1):
                        first_round_unhappy = proposal.round == 2 and round_ == 1
                        feedback.append(Feedback(
                            proposal=proposal, member=member, round=round_, recorded_by=user, channel="phone",
                            attitude=rng.choice(ratings), result="unsatisfied" if first_round_unhappy else rng.choice(ratings),
                        ))
            Feedback.objects.bulk_create(feedback, batch_size=BATCH)
            Event.objects.bulk_create(
                (Event(proposal=p, actor=user, action="register", to_state="submitted") for p in proposals),
                batch_size=BATCH)
            Event.objects.bulk_create(
                (Event(proposal_id=a.proposal_id, assignment=a, actor=user, action="assign", to_state=a.state)
                 for a in assignments), batch_size=BATCH)
            print(f"  meeting {session}: {len(proposals)} proposals, {len(assignments)} assignments, "
                  f"{len(replies)} replies, {len(feedback)} ratings ({time.perf_counter() - started:.0f} s)", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"built in {time.perf_counter() - started:.0f} s", flush=True)


# --- the baseline: the same figures in hand-written SQL ------------------------------------------

ASSIGNMENT_SQL = """
WITH a AS (
  SELECT a.id, a.agency_id, a.proposal_id, a.role, a.state, a.assigned_on, a.due_on, a.extended_to,
         a.due_provisional, p.round AS proposal_round,
         CASE WHEN a.role = 'assisting' THEN 'assisting' ELSE 'answering' END AS role_group,
         CASE WHEN a.role = 'assisting' THEN a.state = 'opinion_sent' ELSE r.id IS NOT NULL END AS done,
         (a.role <> 'assisting' AND r.id IS NOT NULL) AS answered,
         CASE WHEN a.role = 'assisting' THEN a.completed_on ELSE (r.sent_at AT TIME ZONE %(tz)s)::date END AS done_on,
         CASE WHEN a.role = 'assisting' THEN a.due_on ELSE r.due_on END AS done_due
  FROM proposals_assignment a
  JOIN proposals_proposal p ON p.id = a.proposal_id
  LEFT JOIN replies_reply r ON r.assignment_id = a.id AND r.round = 1 AND r.state = 'sent'
  WHERE p.meeting_id = %(meeting)s AND a.state NOT IN ('reassigned', 'cancelled')
)
SELECT agency_id, role_group,
  count(*) AS assigned,
  count(*) FILTER (WHERE done) AS replied,
  count(*) FILTER (WHERE done AND done_due IS NOT NULL) AS replied_with_due,
  count(*) FILTER (WHERE done AND done_on <= done_due) AS replied_on_time,
  count(*) FILTER (WHERE done AND assigned_on IS NOT NULL AND done_on IS NOT NULL) AS days_counted,
  sum(done_on - assigned_on) FILTER (WHERE done) AS days_total,
  max(done_on - assigned_on) FILTER (WHERE done) AS days_max,
  count(*) FILTER (WHERE answered) AS answered,
  count(*) FILTER (WHERE answered AND EXISTS (
    SELECT 1 FROM proposals_communication c WHERE c.proposal_id = a.proposal_id AND c.agency_id = a.agency_id
      AND c.state = 'held' AND c.mode = 'face_to_face' AND c.date <= a.done_on)) AS met_in_person,
  count(*) FILTER (WHERE answered AND EXISTS (
    SELECT 1 FROM proposals_communication c WHERE c.proposal_id = a.proposal_id AND c.agency_id = a.agency_id
      AND c.state = 'held' AND c.date <= a.done_on)) AS communicated,
  count(*) FILTER (WHERE extended_to IS NOT NULL) AS extended,
  count(*) FILTER (WHERE role <> 'assisting' AND proposal_round > 1) AS rehandled,
  count(*) FILTER (WHERE state IN ('pending', 'accepted', 'reassignment_requested')
                   AND due_on < %(today)s AND due_on >= %(today)s - 7) AS overdue_1_7,
  count(*) FILTER (WHERE state IN ('pending', 'accepted', 'reassignment_requested')
                   AND due_on < %(today)s - 7 AND due_on >= %(today)s - 30) AS overdue_8_30,
  count(*) FILTER (WHERE state IN ('pending', 'accepted', 'reassignment_requested')
                   AND due_on < %(today)s - 30) AS overdue_over_30,
  count(*) FILTER (WHERE state IN ('pending', 'accepted', 'reassignment_requested')
                   AND due_on >= %(today)s AND due_on <= %(today)s + 7) AS due_within_7,
  count(*) FILTER (WHERE state IN ('pending', 'accepted', 'reassignment_requested') AND due_provisional)
    AS provisional_open
FROM a GROUP BY agency_id, role_group
"""

RATING_SQL = """
WITH f AS MATERIALIZED (
  SELECT a.agency_id, f.round, f.attitude, f.result,
         NOT EXISTS (SELECT 1 FROM replies_feedback later WHERE later.proposal_id = f.proposal_id
                     AND later.member_id = f.member_id AND later.round > f.round) AS latest
  FROM replies_feedback f
  JOIN proposals_proposal p ON p.id = f.proposal_id
  JOIN proposals_assignment a ON a.proposal_id = f.proposal_id AND a.role IN ('lead', 'joint')
       AND a.state NOT IN ('reassigned', 'cancelled')
  WHERE p.meeting_id = %(meeting)s
)
SELECT agency_id, 'answering' AS role_group, {columns} FROM f GROUP BY agency_id
"""

CATEGORY_SQL = """
SELECT a.agency_id, 'answering' AS role_group, r.category AS category_code, count(*) AS n
FROM replies_reply r
JOIN proposals_assignment a ON a.id = r.assignment_id
JOIN proposals_proposal p ON p.id = a.proposal_id
WHERE p.meeting_id = %(meeting)s AND a.role IN ('lead', 'joint') AND a.state NOT IN ('reassigned', 'cancelled')
  AND r.state = 'sent'
  AND NOT EXISTS (SELECT 1 FROM replies_reply later WHERE later.assignment_id = r.assignment_id
                  AND later.state = 'sent' AND later.round > r.round)
GROUP BY a.agency_id, r.category
"""


def rating_columns() -> str:
    values = {"satisfied": "('satisfied')", "basic": "('basically_satisfied')", "unsatisfied": "('unsatisfied')"}
    columns = []
    for side in ("attitude", "result"):
        for name, value in values.items():
            columns.append(f"count(*) FILTER (WHERE latest AND {side} IN {value}) AS {side}_{name}")
            columns.append(f"count(*) FILTER (WHERE round = 1 AND {side} IN {value}) AS first_{side}_{name}")
    return ",\n  ".join(columns)


def fetch(cursor, sql: str, params: dict) -> list[dict]:
    cursor.execute(sql, params)
    names = [column.name for column in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def baseline_rows(meeting_id: int, today: dt.date) -> list[dict]:
    from django.conf import settings
    from django.db import connection

    from reports.figures import assemble_agency_rows

    params = {"meeting": meeting_id, "today": today, "tz": settings.TIME_ZONE}
    with connection.cursor() as cursor:
        assignments = fetch(cursor, ASSIGNMENT_SQL, params)
        for row in assignments:  # date - date is whole days in PostgreSQL
            for key in ("days_total", "days_max"):
                row[key] = dt.timedelta(days=row[key]) if row[key] is not None else None
        ratings = fetch(cursor, RATING_SQL.format(columns=rating_columns()), params)
        categories = fetch(cursor, CATEGORY_SQL, params)
        cursor.execute("SELECT id, name FROM proposals_agency WHERE id = ANY(%s)",
                       [list({row["agency_id"] for row in assignments})])
        names = dict(cursor.fetchall())
    return assemble_agency_rows(assignments, ratings, categories, names)


def measure(meeting_id: int, today: dt.date) -> tuple[float, float, int]:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from reports.figures import agency_rows
    from reports.selectors import Scope

    scope = Scope(as_of=today, meeting_id=meeting_id)
    ours_rows, theirs_rows = agency_rows(scope), baseline_rows(meeting_id, today)  # warm, and compare
    if ours_rows != theirs_rows:
        mismatched = next(a for a, b in zip(ours_rows, theirs_rows) if a != b)
        sys.exit(f"figures differ from the SQL baseline, e.g. {mismatched['agency']}")
    with CaptureQueriesContext(connection) as captured:
        agency_rows(scope)
    queries = len(captured.captured_queries)  # before reset_queries() empties the log it reads
    reset_queries()
    ours, theirs = [], []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        agency_rows(scope)
        ours.append(time.perf_counter() - started)
        started = time.perf_counter()
        baseline_rows(meeting_id, today)
        theirs.append(time.perf_counter() - started)
    print(f"  {len(ours_rows)} agency rows, equal to the baseline's", flush=True)
    return statistics.median(ours), statistics.median(theirs), queries


def main() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("bench/stats.py needs DATABASE_URL=postgres://…/tracker_reports_bench (make bench-stats sets it)")
    ensure_database(url, rebuild=os.environ.get("BENCH_STATS_REBUILD") == "1")
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise: no collectstatic here
    django.setup()
    from django.core.management import call_command

    from proposals.models import Assignment, Meeting, Proposal

    call_command("migrate", verbosity=0)
    if built():
        print("reusing the built database (BENCH_STATS_REBUILD=1 builds afresh)")
    else:
        if Proposal.objects.exists():
            sys.exit("the benchmark database holds other data: run with BENCH_STATS_REBUILD=1")
        populate()
    meeting = Meeting.objects.get(name=MARK.format(MEETINGS))
    today = dt.date(meeting.year, 6, 20)  # mid-handling: open, overdue and due-soon work all present
    print(f"{Proposal.objects.count()} proposals, {Assignment.objects.count()} assignments; "
          f"figures of one meeting ({PROPOSALS_PER_MEETING} proposals) per agency and role, median of {ROUNDS}:")
    ours, theirs, queries = measure(meeting.pk, today)
    print(f"  ours (ORM, {queries} queries): {ours * 1000:.1f} ms")
    print(f"  baseline (hand-written SQL GROUP BY, 4 queries): {theirs * 1000:.1f} ms")
    print(f"stats ratio {ours / theirs:.2f}")


if __name__ == "__main__":
    main()
