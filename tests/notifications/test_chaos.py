"""The five faults the outbox must survive (docs/domain.md), each with real processes and servers and over a thousand notifications.

Every scenario: a throwaway redis-server, an SMTP server in this process that counts what it
accepted by Message-ID, real `celery worker` / `celery beat` / `manage.py` processes on the test
database, `CHAOS_ASSIGNMENTS` open assignments due in 7 days (each: one in-app row for the agency's
staff user, one email to the agency). Then the fault, then the count: every planned notification
sent exactly once or failed visibly, duplicates only where a send was interrupted (in doubt).

`make chaos` runs these and prints the report; CHAOS_REPORT names the file the figures go to.
"""

from __future__ import annotations

import datetime as dt
import os
import time

import pytest
import redis
from django.db import connection
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask, PeriodicTasks

from notifications import selectors
from notifications.backends import message_id_for
from tests.chaos import CeleryFleet, Figures, SmtpSink, ThrowawayRedis, database_url
from notifications.models import Notification, Stage
from tests.notifications.conftest import build_due_work

# One scenario at a time under xdist (one worker takes the group): each starts its own Celery
# workers, and two fleets at once on two cores would measure the machine, not the faults.
pytestmark = [pytest.mark.chaos, pytest.mark.django_db(transaction=True, serialized_rollback=True),
              pytest.mark.xdist_group("chaos")]

COUNT = int(os.environ.get("CHAOS_ASSIGNMENTS", "600"))  # ×2 notifications: in-app + email
LEASE = 15  # seconds: longer than any live send here, so only a dead worker's claim expires
SETTLE_TIMEOUT = 150


class Rig:
    def __init__(self, redis: ThrowawayRedis, smtp: SmtpSink, fleet: CeleryFleet):
        self.redis, self.smtp, self.fleet = redis, smtp, fleet
        self.kills = 0
        self.started = time.monotonic()
        self.work: dict = {}

    def build(self, **kwargs) -> None:
        self.work = build_due_work(count=COUNT, due_on=timezone.localdate() + dt.timedelta(days=7), **kwargs)

    @property
    def expected(self) -> int:
        return self.work["in_app"] + self.work["emails"]

    def beat_every(self, seconds: int) -> None:
        every, _ = IntervalSchedule.objects.get_or_create(every=seconds, period=IntervalSchedule.SECONDS)
        PeriodicTask.objects.update_or_create(
            task="notifications.sweep",
            defaults={"name": "chaos sweep", "interval": every, "enabled": True, "last_run_at": None,
                      "start_time": timezone.now() - dt.timedelta(hours=1)},
        )
        PeriodicTasks.update_changed()

    def wait_until(self, condition, *, timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            # A Celery worker can die of a kombu error while reconnecting to a restarted Redis
            # ("Unrecoverable error: AttributeError ... 'hostname'"); deployment restarts it, so do we.
            for name in self.fleet.revive():
                print(f"{name} had exited; started again")
            time.sleep(0.25)
        pytest.fail(f"timed out waiting for {what}; states: {self.states()}\n{self.fleet.logs()}")

    def states(self) -> dict:
        return {state: Notification.objects.filter(state=state).count() for state in Notification.State.values}

    def settle(self) -> None:
        """Wait until every expected notification is planned and none is still planned or being sent."""
        def done():
            states = self.states()
            return sum(states.values()) >= self.expected and not states["planned"] and not states["sending"]
        self.wait_until(done, timeout=SETTLE_TIMEOUT, what="every notification sent or failed")

    def figures(self, scenario: str) -> Figures:
        received = self.smtp.snapshot()
        rows = list(Notification.objects.values_list("channel", "state", "key", "reclaims"))
        email_ids = {message_id_for(key) for channel, _, key, _ in rows if channel == "email"}
        assert set(received) <= email_ids, "the SMTP server got a message nobody planned"
        sent = sum(
            1 for channel, state, key, _ in rows
            if state == "sent" and (channel == "in_app" or received[message_id_for(key)] >= 1)
        )
        failed_visible = selectors.failed_notifications().exclude(last_error="").count()
        figures = Figures(
            scenario=scenario, planned=len(rows), sent=sent,
            duplicates=sum(count - 1 for count in received.values() if count > 1),
            lost=len(rows) - sent - failed_visible, failed_visible=failed_visible,
            in_doubt=sum(1 for channel, _, _, reclaims in rows if channel == "email" and reclaims),
            kills=self.kills, seconds=round(time.monotonic() - self.started, 1), restarts=len(self.fleet.restarts),
        )
        figures.record(os.environ.get("CHAOS_REPORT"))
        print(figures.line(scenario))
        return figures

    def check(self, figures: Figures, *, failed: int = 0) -> None:
        assert figures.planned == self.expected, "planned more or fewer than once per natural key"
        assert figures.lost == 0
        assert figures.failed_visible == failed
        assert figures.duplicates <= figures.in_doubt <= figures.kills


@pytest.fixture
def rig(stages):
    # Stages on any day of the week, so the test means the same whenever it runs.
    Stage.objects.update(workdays_only=False)
    redis, smtp = ThrowawayRedis().start(), SmtpSink().start()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(), "REDIS_URL": redis.url,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp.port), "EMAIL_TIMEOUT": "5",
        "NOTIFICATION_CLAIM_LEASE": str(LEASE), "NOTIFICATION_NUDGE_AFTER": "8",
        "NOTIFICATION_RETRY_BASE": "1", "NOTIFICATION_RETRY_MAX": "4", "NOTIFICATION_MAX_ATTEMPTS": "12",
        "LOG_LEVEL": "WARNING",
    }
    fleet = CeleryFleet(env=env)
    rig = Rig(redis, smtp, fleet)
    try:
        yield rig
    finally:
        fleet.stop_all()
        redis.stop()
        smtp.stop()
        connection.close()  # the flush that follows must not wait on anything of ours


def test_sweep_run_twice_at_once_plans_and_sends_each_notification_once(rig):
    rig.build()
    rig.fleet.worker("worker", concurrency=2)
    first, second = rig.fleet.command("sweep-a", "sweep_notifications"), rig.fleet.command("sweep-b", "sweep_notifications")
    assert first.wait(timeout=120) == 0 and second.wait(timeout=120) == 0, rig.fleet.logs()
    rig.settle()
    rig.check(rig.figures("sweep twice at once"))
    # Each sweep wrote only what the other had not: together exactly one row per key.
    print(rig.fleet.log("sweep-a").strip(), "|", rig.fleet.log("sweep-b").strip())


def test_two_beat_processes_plan_and_send_each_notification_once(rig):
    rig.build()
    rig.beat_every(2)
    rig.fleet.worker("worker", concurrency=2)
    rig.fleet.beat("beat-a"), rig.fleet.beat("beat-b")
    rig.settle()
    rig.check(rig.figures("two beat processes"))
    for beat in ("beat-a", "beat-b"):
        assert "Sending due task chaos sweep" in rig.fleet.log(beat), f"{beat} never sent a sweep"


def test_worker_killed_while_sending_is_caught_up_after_restart(rig):
    rig.build()
    rig.beat_every(2)
    rig.fleet.beat("beat")
    rig.fleet.worker("worker", concurrency=2)
    rig.smtp.delay = 0.03  # each mail takes a moment on the server, as real ones do
    rig.wait_until(lambda: rig.smtp.total() >= rig.work["emails"] // 4, timeout=90, what="a quarter of the mail")
    rig.smtp.hold_next()  # one mail handed over, its "250" not yet back: the send is in doubt
    rig.wait_until(rig.smtp.holding.is_set, timeout=30, what="a mail being sent")
    rig.fleet.kill("worker")  # SIGKILL to the whole process group: the worker and both pool processes
    rig.smtp.release()
    rig.kills += 2
    time.sleep(1)
    rig.fleet.worker("worker-again", concurrency=2)
    rig.settle()
    figures = rig.figures("worker SIGKILL mid-sending")
    rig.check(figures)
    assert figures.in_doubt >= 1, "the kill hit no send in progress: the fault was not exercised"


def test_redis_restarted_empty_mid_run_loses_nothing(rig):
    rig.build()
    rig.beat_every(2)
    rig.fleet.beat("beat")
    rig.fleet.worker("worker", concurrency=2)
    rig.wait_until(lambda: rig.smtp.total() >= rig.work["emails"] // 4, timeout=90, what="a quarter of the mail")
    queued = redis.Redis.from_url(rig.redis.url).llen("celery")
    rig.redis.kill()  # every queued message is gone: Redis here keeps nothing on disk
    time.sleep(2)
    rig.redis.start()
    assert queued > 0, "nothing was queued when Redis went down: the fault was not exercised"
    rig.settle()
    rig.check(rig.figures("Redis restarted mid-run"))
    print(f"{queued} queued send tasks were lost with Redis and planned again from the database")


def test_smtp_server_refusing_for_a_while_is_retried_and_bad_addresses_fail_visibly(rig):
    rig.build(bounce_agencies=1)  # one agency in twenty has an address the server rejects for good
    rig.smtp.refuse_for(8)
    rig.beat_every(2)
    rig.fleet.beat("beat")
    rig.fleet.worker("worker", concurrency=2)
    rig.settle()
    figures = rig.figures("SMTP refusing for a while")
    assert rig.smtp.refused > 0, "the server never refused: the fault was not exercised"
    rig.check(figures, failed=rig.work["emails"] - rig.work["deliverable_emails"])
    failed = selectors.failed_notifications().first()
    assert "550" in failed.last_error and failed.address.startswith("bounce")
