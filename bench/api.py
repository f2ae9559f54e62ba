"""Benchmark: GET /api/v1/proposals/ (a page of 20, a member with 50 proposals, 100,000 in all)
against a baseline that runs the same queries and returns plain JSON without DRF.

    make bench-api            # BENCH_API_DATABASE_URL, default postgres://…/tracker_bench_api

Builds its own database afresh each run (migrations, then bulk_create: about a minute), then
times both endpoints in-process through Django's test client, interleaved, and prints their
median latencies. The last line is `api ratio R` (DRF median / baseline median; aim: R ≤ 2).
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

PROPOSALS = 100_000
MEMBERS = 20_000
MEMBER_PROPOSALS = 50
AGENCIES = 60
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "300"))

from bench.dataset import TOPICS, VERBS  # noqa: E402


def recreate_database(url: str) -> None:
    """Drop and create the benchmark's own database: migrations elsewhere in the tree change while
    people work, and a fresh database always matches them."""
    import psycopg

    name = url.rsplit("/", 1)[-1]
    if "bench" not in name:
        sys.exit(f"refusing to drop {name!r}: the benchmark's database name must contain 'bench'")
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def populate() -> None:
    """100,000 proposals over 20 meetings, 1-3 proposers each, a lead agency on most; the bench
    member proposed 30 and co-signed 20."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from proposals.models import Agency, Assignment, Meeting, Member, Proposal, Proposer

    started = time.perf_counter()
    rng = random.Random(20261123)
    with transaction.atomic():
        meetings = Meeting.objects.bulk_create(
            Meeting(body=body, region="广州市", term=14, session=year - 2016, year=year,
                    name=f"{'政协' if body == 'cppcc' else '人大'}{year}年广州市会议")
            for year in range(2017, 2027) for body in ("cppcc", "npc")
        )
        agencies = Agency.objects.bulk_create(Agency(name=f"广州市第{n}局", region="广州市") for n in range(AGENCIES))
        members = Member.objects.bulk_create(
            Member(name=f"委员{n}", body="cppcc", region="广州市", phone=f"138{n:08d}") for n in range(MEMBERS)
        )
        user = get_user_model().objects.create_user("bench-member", password=None)
        bench_member = Member.objects.create(user=user, name="测试委员", body="cppcc", region="广州市")

        statuses = ["submitted", "accepted", "assigned", "in_progress", "replied", "evaluated", "closed"]
        proposals = []
        for n in range(PROPOSALS):
            topic = rng.choice(TOPICS)
            proposals.append(Proposal(
                meeting=meetings[n % len(meetings)], number=str(1000 + n // len(meetings)),
                title=f"关于{rng.choice(VERBS)}{topic}工作的提案", kind="proposal",
                body=f"近年来我市{topic}取得进展,但仍存在{rng.choice(TOPICS)}等方面的问题。建议{rng.choice(VERBS)}统筹,"
                     f"{rng.choice(VERBS)}{rng.choice(TOPICS)}。",
                status=rng.choice(statuses), submitted_on=dt.date(2026, 1, 12),
            ))
        proposals = Proposal.objects.bulk_create(proposals, batch_size=5000)
        print(f"  proposals: {time.perf_counter() - started:.0f} s", flush=True)

        # The bench member leads 30 of their 50 and co-signs the other 20.
        mine = {n: i < 30 for i, n in enumerate(rng.sample(range(PROPOSALS), MEMBER_PROPOSALS))}
        signers = []
        for n, proposal in enumerate(proposals):
            chosen = rng.sample(members, rng.randint(1, 3))
            if n in mine:
                chosen = [bench_member, *chosen[:2]] if mine[n] else [*chosen[:2], bench_member]
            signers += [Proposer(proposal=proposal, member=member, order=i, is_lead=i == 1)
                        for i, member in enumerate(chosen, start=1)]
        Proposer.objects.bulk_create(signers, batch_size=10000)

        today = dt.date(2026, 11, 23)
        assignments = []
        for proposal in proposals:
            if proposal.status in ("submitted", "accepted"):
                continue
            assigned_on = today - dt.timedelta(days=rng.randint(0, 200))
            state = "accepted" if proposal.status in ("assigned", "in_progress") else "replied"
            for role, agency in (("lead", rng.choice(agencies)), ("assisting", rng.choice(agencies))):
                if role == "assisting" and rng.random() < 0.6:
                    continue
                assignments.append(Assignment(
                    proposal=proposal, agency=agency, role=role, state=state, assigned_on=assigned_on,
                    due_on=assigned_on + dt.timedelta(days=92 if role == "lead" else 31),
                    due_provisional=rng.random() < 0.05,
                ))
        Assignment.objects.bulk_create(assignments, batch_size=10000, ignore_conflicts=True)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"database built in {time.perf_counter() - started:.0f} s: {PROPOSALS} proposals, "
          f"{len(signers)} proposers, {len(assignments)} assignments", flush=True)


# --- the baseline: the same selector and queries, plain Django, orjson -------------------------


def baseline(request):
    """What the DRF view does, by hand: token, the same rows, count and page, the same JSON."""
    from django.http import HttpResponse
    from django.utils import timezone

    from proposals.api import member_proposal_rows
    from proposals.deadlines import days_left
    from proposals.models import Proposal
    from tracker.api import dumps, error_body
    from tracker.tokens import token_for_key

    key = request.headers.get("Authorization", "").removeprefix("Token ")
    token = token_for_key(key)
    if token is None or getattr(token.user, "member", None) is None:
        return HttpResponse(dumps(error_body("not_authenticated")), status=401, content_type="application/json")
    rows = member_proposal_rows(token.user)
    count = rows.count()
    page = list(rows[:20])
    today = timezone.localdate()
    kinds, statuses, categories = (dict(c.choices) for c in (Proposal.Kind, Proposal.Status, Proposal.Category))
    results = [{
        "id": row["id"], "meeting": row["meeting_id"], "meeting_name": row["meeting_name"], "year": row["year"],
        "kind": row["kind"], "kind_label": str(kinds[row["kind"]]), "number": row["number"], "title": row["title"],
        "category": row["category"], "category_label": str(categories[row["category"]]), "is_key": row["is_key"],
        "status": row["status"], "status_label": str(statuses[row["status"]]),
        "submitted_on": row["submitted_on"].isoformat() if row["submitted_on"] else None,
        "lead_proposer": row["lead_proposer_name"], "lead_agency": row["lead_agency_name"],
        "next_due_on": row["next_due_on"].isoformat() if row["next_due_on"] else None,
        "days_left": days_left(row["next_due_on"], today) if row["next_due_on"] else None,
        "due_provisional": row["next_due_provisional"],
    } for row in page]
    next_url = request.build_absolute_uri("/api/v1/proposals/?page=2") if count > 20 else None
    body = {"count": count, "next": next_url, "previous": None, "results": results}
    return HttpResponse(dumps(body), content_type="application/json")


def measure() -> tuple[float, float]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.urls import path

    import tracker.urls
    from proposals.models import Proposer
    from tracker.tokens import issue_token

    module = sys.modules[__name__]
    module.urlpatterns = [path("bench/baseline/proposals/", baseline), *tracker.urls.urlpatterns]
    user = get_user_model().objects.get(username="bench-member")
    key = issue_token(user=user)
    assert Proposer.objects.filter(member__user=user).count() == MEMBER_PROPOSALS
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    urls = {"drf": "/api/v1/proposals/", "baseline": "/bench/baseline/proposals/"}
    timings = {name: [] for name in urls}
    with override_settings(ROOT_URLCONF=module):
        bodies = {}
        for name, url in urls.items():
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200, response.content[:500]
            bodies[name] = response.json()
            print(f"{name:>8}: {len(queries)} queries, {len(response.content)} bytes", flush=True)
        assert bodies["drf"] == bodies["baseline"], "the baseline must return what the API returns"
        assert bodies["drf"]["count"] == MEMBER_PROPOSALS and len(bodies["drf"]["results"]) == 20
        for _ in range(30):  # warm up
            for url in urls.values():
                client.get(url)
        for _ in range(ROUNDS):
            for name, url in urls.items():
                started = time.perf_counter()
                client.get(url)
                timings[name].append(time.perf_counter() - started)
    return statistics.median(timings["drf"]), statistics.median(timings["baseline"])


def main() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("bench/api.py needs DATABASE_URL=postgres://…/tracker_bench_api (make bench-api sets it)")
    recreate_database(url)
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise: no collectstatic here
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    populate()
    drf, plain = measure()
    print(f"GET /api/v1/proposals/ (page of 20, member with {MEMBER_PROPOSALS} of {PROPOSALS} proposals), "
          f"median of {ROUNDS}:")
    print(f"  DRF:      {drf * 1000:.2f} ms")
    print(f"  baseline: {plain * 1000:.2f} ms (same queries, plain Django + orjson)")
    print(f"api ratio {drf / plain:.2f}")


if __name__ == "__main__":
    main()
