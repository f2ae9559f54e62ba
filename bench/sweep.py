"""Benchmark: the reminder sweep's cost follows what is due, not the size of the archive (docs/domain.md).

Builds two archives, of 20,000 and 200,000 assignments, each with the same 1,000 open assignments
that have a reminder due today (30/7/1 days before their due date, the day after, a week after,
escalation after 7 days), the rest answered long ago (most) or open with due dates months away.
Times the planning sweep on each (best of three, the notifications deleted between runs) and
ends with `sweep ratio R`, larger archive over smaller.

Run: `make bench-sweep` (DATABASE_URL names a scratch database; it is created when missing and
its proposal tables are emptied).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

TODAY = dt.date(2026, 6, 10)  # a plain Wednesday: every stage day below is a working day
DUE_TODAY = 1000
SIZES = (20_000, 200_000)
AGENCIES = 50
# Due dates that put one stage on TODAY: 30, 7 and 1 days ahead; 1 and 8 days late; 7 days late.
STAGE_DUE_DATES = [TODAY + dt.timedelta(days=n) for n in (30, 7, 1, -1, -8, -7)]


def ensure_database() -> None:
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(os.environ["DATABASE_URL"])
    with psycopg.connect(dbname="postgres", user=config["USER"], password=config["PASSWORD"] or None,
                         host=config["HOST"] or "127.0.0.1", port=config["PORT"] or 5432, autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone():
            admin.execute(f'CREATE DATABASE "{config["NAME"]}"')


def build_archive(size: int) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection

    from proposals import access
    from proposals.models import Agency, AgencyStaff, Assignment, Meeting, Proposal

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE notifications_notification, proposals_event, proposals_assignment, proposals_proposer, "
            "proposals_communication, proposals_proposal, proposals_meeting, proposals_agencystaff, "
            "proposals_agencyalias, proposals_agency RESTART IDENTITY CASCADE"
        )
    User = get_user_model()
    User.objects.filter(username__startswith="bench-").delete()
    agencies = Agency.objects.bulk_create(
        Agency(name=f"基准测试第{n}局", region="广州市", email=f"agency{n}@example.org") for n in range(AGENCIES)
    )
    users = User.objects.bulk_create(User(username=f"bench-staff-{n}", is_staff=True) for n in range(AGENCIES))
    AgencyStaff.objects.bulk_create(AgencyStaff(user=u, agency=a) for u, a in zip(users, agencies, strict=True))
    clerk = User.objects.create(username="bench-clerk", email="clerk@example.org", is_staff=True)
    clerk.groups.add(Group.objects.get(name=access.CLERK))
    meeting = Meeting.objects.create(body="cppcc", region="广州市", term=14, session=1, year=2026, name="基准测试会议")

    open_later = size // 10  # open, due months away: in the partial index, outside every stage range
    answered = size - DUE_TODAY - open_later
    chunk = 20_000
    made = 0
    while made < size:
        numbers = range(made, min(made + chunk, size))
        proposals = Proposal.objects.bulk_create(
            (Proposal(meeting=meeting, number=str(n), title=f"关于基准测试第{n}项工作的提案",
                      status="closed" if n < answered else "in_progress", is_historical=n < answered // 2)
             for n in numbers),
            batch_size=5000,
        )
        rows = []
        for n, proposal in zip(numbers, proposals, strict=True):
            if n < answered:  # replied years ago
                due_on = TODAY - dt.timedelta(days=400 + n % 1500)
                state = "replied"
            elif n < answered + open_later:
                due_on = TODAY + dt.timedelta(days=60 + n % 300)
                state = "accepted"
            else:
                due_on = STAGE_DUE_DATES[n % len(STAGE_DUE_DATES)]
                state = "accepted"
            rows.append(Assignment(
                proposal=proposal, agency=agencies[n % AGENCIES], role="lead", state=state,
                assigned_on=due_on - dt.timedelta(days=91), due_on=due_on, reassignment_window_ends_on=due_on,
            ))
        Assignment.objects.bulk_create(rows, batch_size=5000)
        made += len(numbers)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def time_sweep() -> tuple[float, int, float]:
    """Best of three first sweeps (rows deleted between) and one repeat sweep that finds it all done."""
    from notifications.models import Notification
    from notifications.planning import plan_notifications

    best, planned = float("inf"), 0
    for _ in range(3):
        Notification.objects.all().delete()
        started = time.perf_counter()
        planned = plan_notifications(today=TODAY)
        best = min(best, time.perf_counter() - started)
    started = time.perf_counter()
    assert plan_notifications(today=TODAY) == 0
    return best, planned, time.perf_counter() - started


def index_used() -> str:
    from django.db import connection

    from notifications import selectors

    queryset = selectors.open_assignments_due_in([(TODAY, TODAY + dt.timedelta(days=1))])
    with connection.cursor() as cursor:
        sql, params = queryset.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return "open_assignment_due" if "open_assignment_due" in plan else "NOT the partial index:\n" + plan


def main() -> int:
    ensure_database()
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    times = {}
    for size in SIZES:
        started = time.perf_counter()
        build_archive(size)
        built = time.perf_counter() - started
        seconds, planned, repeat = time_sweep()
        times[size] = seconds
        print(f"archive {size} assignments ({DUE_TODAY} with a reminder due today; built in {built:.0f} s): "
              f"sweep {seconds * 1000:.0f} ms, {planned} notifications planned; repeat sweep {repeat * 1000:.0f} ms; "
              f"index: {index_used()}", flush=True)
    ratio = times[max(SIZES)] / times[min(SIZES)]
    print(f"sweep ratio {ratio:.2f}")
    return 0 if ratio <= 2 else 1


if __name__ == "__main__":
    sys.exit(main())
