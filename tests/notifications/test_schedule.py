"""Beat drives the sweep from the database, where the office edits the schedule."""

import pytest
from django_celery_beat.models import PeriodicTask

from tracker.celery import app

pytestmark = pytest.mark.django_db


def test_sweep_runs_every_five_minutes_from_the_database_schedule(settings):
    task = PeriodicTask.objects.get(task="notifications.sweep")
    assert task.enabled and (task.interval.every, task.interval.period) == (5, "minutes")
    assert settings.CELERY_BEAT_SCHEDULER == "django_celery_beat.schedulers:DatabaseScheduler"


def test_the_workers_know_the_sweep_and_send_tasks():
    app.loader.import_default_modules()
    assert {"notifications.sweep", "notifications.send"} <= set(app.tasks)


def test_clerks_may_edit_the_schedule_and_the_stages(clerk):
    assert clerk.has_perms(["django_celery_beat.change_periodictask", "notifications.change_stage",
                            "notifications.view_failednotification"])


def test_the_clerks_schedule_page_opens_with_no_inline_script(client, clerk):
    """The CSP refuses inline scripts: the page must not carry one that the browser would block."""
    task = PeriodicTask.objects.get(task="notifications.sweep")
    client.force_login(clerk)
    page = client.get(f"/admin/django_celery_beat/periodictask/{task.pk}/change/")
    assert page.status_code == 200
    assert 'id="periodic-task-overrides"' not in page.content.decode()
