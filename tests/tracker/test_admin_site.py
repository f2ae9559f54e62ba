"""What a clerk's sidebar and start page offer: the office's work, not the machinery's tables, and
each app's real first page."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from reports.models import PublishedFigures
from tests.factories import ClerkFactory

pytestmark = pytest.mark.django_db

START = reverse("admin:index")  # the 工作台, its side column lists the apps


def test_a_clerk_is_not_offered_the_beat_schedules_tables(client, clerk):
    client.force_login(clerk)

    page = client.get(START).content.decode()

    assert "/admin/django_celery_beat/" not in page and "周期任务" not in page


def test_the_system_administrator_still_finds_them(client):
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    client.force_login(admin)

    assert "/admin/django_celery_beat/" in client.get(START).content.decode()


def test_the_figures_app_opens_on_the_dashboard_not_a_bare_model_list(client, clerk):
    client.force_login(clerk)
    dashboard = reverse("admin:reports_dashboard_changelist")

    assert client.get("/admin/reports/").url == dashboard
    assert 'href="/admin/reports/"' not in client.get(START).content.decode()


def test_published_figures_name_the_clerk_who_published_them(client, meeting):
    clerk = ClerkFactory(last_name="王", first_name="敏")
    PublishedFigures.objects.create(meeting=meeting, published_by=clerk, published_on=dt.date(2026, 12, 7))
    client.force_login(clerk)

    page = client.get(reverse("admin:reports_publishedfigures_changelist")).content.decode()

    assert "王敏" in page and f">{clerk.username}<" not in page
