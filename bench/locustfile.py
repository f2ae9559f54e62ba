"""The load of `make bench-load` (locust, run headless by bench/load.py on loopback).

Members list and read their proposals and notifications through the API with a token and mark
notifications read (the writes checked afterwards); the public reads replies (API and pages);
clerks and agency staff open their admin lists. BaselineMember, run alone, asks the bare values()
view of bench/stack_urls.py for the same list: the ceiling the mix is compared with.
"""

from __future__ import annotations

import itertools
import json
import os
import random

from locust import HttpUser, constant, constant_throughput, events, task

TOKENS = json.loads(os.environ["LOAD_MEMBER_TOKENS"])
CLERK_SESSION, STAFF_SESSION = os.environ["LOAD_CLERK_SESSION"], os.environ["LOAD_STAFF_SESSION"]
WRITES_FILE = os.environ["LOAD_WRITES_FILE"]

# Open loop (bench/load.py): each user starts a task at a fixed rate whatever the answers take, so
# the whole arrives at users × rate; 0 runs closed, at full speed, for the saturation point.
RATE_PER_USER = float(os.environ.get("LOAD_RATE_PER_USER", "0"))
WAIT = constant_throughput(RATE_PER_USER) if RATE_PER_USER else constant(0)

_tokens = itertools.cycle(TOKENS)
_marked_read: set[int] = set()


@events.test_stop.add_listener
def _record_writes(**_kwargs):
    with open(WRITES_FILE, "w") as out:
        json.dump(sorted(_marked_read), out)


class Member(HttpUser):
    """A member's app with its token: list, detail, notifications, mark one read."""

    weight = 6
    wait_time = WAIT

    def on_start(self):
        self.client.headers["Authorization"] = f"Token {next(_tokens)}"
        self.proposal_ids = [row["id"] for row in self.client.get("/api/v1/proposals/").json()["results"]]
        self.notification_ids = [row["id"] for row in self.client.get("/api/v1/notifications/").json()["results"]]

    @task(5)
    def list_proposals(self):
        self.client.get("/api/v1/proposals/")

    @task(3)
    def read_proposal(self):
        self.client.get(f"/api/v1/proposals/{random.choice(self.proposal_ids)}/", name="/api/v1/proposals/{id}/")

    @task(1)
    def notifications(self):
        self.client.get("/api/v1/notifications/")

    @task(1)
    def mark_read(self):
        notification = random.choice(self.notification_ids)
        response = self.client.post(f"/api/v1/notifications/{notification}/read/", name="/api/v1/notifications/{id}/read/")
        if response.status_code == 200:
            _marked_read.add(notification)


class BaselineMember(HttpUser):
    """The same member list from the bare view (run on its own: `locust … BaselineMember`)."""

    wait_time = WAIT

    def on_start(self):
        self.client.headers["Authorization"] = f"Token {next(_tokens)}"

    @task
    def list_proposals(self):
        self.client.get("/bench/members-baseline/")


class PublicReader(HttpUser):
    weight = 3
    wait_time = WAIT

    def on_start(self):
        self.reply_ids = [row["id"] for row in self.client.get("/api/v1/public/replies/").json()["results"]]

    @task(2)
    def api_list(self):
        self.client.get("/api/v1/public/replies/")

    @task(2)
    def page_list(self):
        self.client.get("/public/replies/")

    @task(1)
    def page_detail(self):
        self.client.get(f"/public/replies/{random.choice(self.reply_ids)}/", name="/public/replies/{id}/")


class _AdminUser(HttpUser):
    """Signed in already (bench/load_seed.credentials). The session cookie is Secure (DEBUG off) and
    this runs on plain loopback HTTP, so it is sent by hand, as a browser on https would."""

    abstract = True
    wait_time = WAIT
    session = ""
    pages: list[str] = []

    def on_start(self):
        self.client.headers["Cookie"] = f"sessionid={self.session}"

    @task
    def open_lists(self):
        for page in self.pages:
            with self.client.get(page, catch_response=True, allow_redirects=False) as response:
                if response.status_code != 200:
                    response.failure(f"{response.status_code} instead of the list")


class Clerk(_AdminUser):
    weight = 1
    session = CLERK_SESSION
    pages = ["/admin/proposals/proposal/", "/admin/notifications/notification/"]


class AgencyStaff(_AdminUser):
    weight = 1
    session = STAFF_SESSION
    pages = ["/admin/proposals/assignment/", "/admin/replies/reply/"]
