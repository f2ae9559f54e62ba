"""Brute force on the admin login: a username + address pair is locked after repeated failures
(django-axes), the right password is refused while locked, and clerks see the record."""

from __future__ import annotations

import json

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.factories import AgencyStaffUserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
PASSWORD = "正确的密码-Correct-horse-42"
ELSEWHERE = "203.0.113.9"


@pytest.fixture
def staff_user(agency):
    user = AgencyStaffUserFactory(agency=agency)
    user.set_password(PASSWORD)
    user.save()
    return user


def log_in(client, username, password, address="127.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"},
                       REMOTE_ADDR=address)


def fail_until_locked(client, username):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, username, "wrong-password")


def test_the_right_password_is_refused_after_repeated_failures(client, staff_user):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, staff_user.username, "wrong-password").status_code == 200  # the form again
    locked = log_in(client, staff_user.username, "wrong-password")
    assert locked.status_code == 429

    response = log_in(client, staff_user.username, PASSWORD)

    assert response.status_code == 429
    page = response.content.decode()
    assert "登录失败次数过多" in page and f"{settings.AXES_COOLOFF_TIME.seconds // 60}分钟" in page
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302  # still sent to the login page


def test_the_lock_holds_only_for_that_username_and_address(client, staff_user, clerk):
    fail_until_locked(client, staff_user.username)
    # The same account from another address, and another account from the same address, still log in.
    assert log_in(client, staff_user.username, PASSWORD, address=ELSEWHERE).status_code == 302
    client.logout()
    clerk.set_password(PASSWORD)
    clerk.save()
    assert log_in(client, clerk.username, PASSWORD).status_code == 302


def test_a_success_before_the_limit_starts_the_count_again(client, staff_user):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, staff_user.username, "wrong-password")
    assert log_in(client, staff_user.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, staff_user.username, "wrong-password")
    assert log_in(client, staff_user.username, PASSWORD).status_code == 302


def test_clerk_sees_the_lock_and_lifts_it(client, staff_user, clerk):
    fail_until_locked(client, staff_user.username)
    attempt = AccessAttempt.objects.get(username=staff_user.username)
    assert attempt.failures_since_start == settings.AXES_FAILURE_LIMIT and attempt.ip_address == "127.0.0.1"

    client.force_login(clerk)
    page = client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    assert staff_user.username in page and "登录失败记录" in page
    client.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    client.logout()

    assert log_in(client, staff_user.username, PASSWORD).status_code == 302


def test_agency_staff_do_not_see_login_records(client, agency_staff):
    client.force_login(agency_staff)
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403


def test_a_locked_pair_gets_the_apis_json_error_too(client, staff_user):
    fail_until_locked(client, staff_user.username)
    response = client.post("/api/v1/auth/token/", json.dumps({"username": staff_user.username, "password": PASSWORD}),
                           content_type="application/json")
    assert response.status_code == 429
    assert response.json()["code"] == "locked_out" and "暂停登录" in response.json()["detail"]


def test_failed_logins_survive_in_the_shared_store(client, staff_user):
    """Attempts are rows in the database every web process reads, not a per-process counter."""
    log_in(client, staff_user.username, "wrong-password")
    assert AccessAttempt.objects.filter(username=staff_user.username).count() == 1
    assert get_user_model().objects.filter(username=staff_user.username).exists()
