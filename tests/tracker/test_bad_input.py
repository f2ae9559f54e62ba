"""No input answers 5xx: huge or malformed ids in query strings, forms and admin actions, and JSON
bodies that cannot be stored or that nest too deep. Each answers 4xx (or, for a filter, an empty
result) and writes nothing.

Run on PostgreSQL by `make test`; run once with DATABASE_URL unset to check SQLite, where a 20-digit
id used to overflow the driver (OverflowError, a 500).
"""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Kind, Notification
from proposals.models import Assignment, Event, Proposal
from tests.api.conftest import client_for
from tests.factories import MemberFactory, accepted_proposal, assigned_proposal, registered_proposal

pytestmark = pytest.mark.django_db

HUGE_IDS = [
    "99999999999999999999999",
    "9223372036854775808",  # one past the largest 64-bit integer
    "-99999999999999999999999",
    "9" * 40,
]
NOT_IDS = ["abc", "1.5", "", "１２"]


# --- API filters: an id no row can have finds nothing ------------------------------------------


@pytest.mark.parametrize("value", HUGE_IDS)
@pytest.mark.parametrize("name", ["meeting", "agency", "year"])
def test_public_api_filter_with_a_huge_id_finds_nothing(client, value, name):
    response = client.get(f"/api/v1/public/replies/?{name}={value}")
    assert response.status_code == 200, response.content
    assert response.json()["results"] == []


@pytest.mark.parametrize("value", HUGE_IDS)
def test_members_api_filter_with_a_huge_meeting_finds_nothing(member_user, clerk, value):
    registered_proposal(by=clerk, proposers=[member_user.member])
    response = client_for(member_user).get(f"/api/v1/proposals/?meeting={value}")
    assert response.status_code == 200, response.content
    assert response.json()["results"] == []


@pytest.mark.parametrize("value", HUGE_IDS)
def test_public_page_filter_with_a_huge_id_finds_nothing(client, value):
    for name in ("meeting", "agency", "year"):
        response = client.get(f"/public/replies/?{name}={value}")
        assert response.status_code in (200, 400), (name, response.status_code)


# --- JSON bodies ------------------------------------------------------------------------------


def test_lone_surrogate_in_json_is_refused_without_echoing_it(member_user, clerk):
    proposal = assigned_proposal(by=clerk, proposers=[member_user.member])
    body = '{"attitude": "\\ud800", "result": "satisfied", "comments": "\\udfff"}'
    response = client_for(member_user).post(f"/api/v1/proposals/{proposal.pk}/feedback/", body,
                                            content_type="application/json")
    assert response.status_code == 400, response.content
    assert "ud800" not in response.content.decode().lower()
    assert response.json()["code"] == "parse_error"
    assert not proposal.feedback.exists()


def test_lone_surrogate_in_a_login_is_refused(client):
    response = client.post("/api/v1/auth/token/", '{"username": "\\ud800", "password": "x"}',
                           content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "parse_error"


@pytest.mark.parametrize("depth", [1_100, 100_000])
def test_deeply_nested_json_is_refused(client, depth):
    body = '{"username": ' + "[" * depth + "]" * depth + ', "password": "x"}'
    response = client.post("/api/v1/auth/token/", body, content_type="application/json")
    assert response.status_code == 400, response.content[:200]
    assert response.json()["code"] == "parse_error"


def test_ordinary_nesting_still_parses(client):
    response = client.post("/api/v1/auth/token/", json.dumps({"username": "无此人", "password": "x"}),
                           content_type="application/json")
    assert response.status_code == 401


# --- admin ------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", HUGE_IDS[:2] + NOT_IDS)
def test_admin_list_filters_with_a_bad_id_do_not_fail(client, clerk, value):
    client.force_login(clerk)
    urls = [
        reverse("admin:proposals_proposal_changelist") + f"?agency={value}",
        reverse("admin:proposals_proposal_changelist") + f"?meeting__id__exact={value}",
        reverse("admin:proposals_assignment_changelist") + f"?agency={value}",
        reverse("admin:proposals_assignment_changelist") + f"?agency__id__exact={value}",
        reverse("admin:replies_reply_changelist") + f"?agency={value}",
        reverse("admin:notifications_notification_changelist") + f"?proposal={value}",
        reverse("admin:notifications_mynotification_changelist") + f"?proposal={value}",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 302, 400), (url, response.status_code)


@pytest.mark.parametrize("value", HUGE_IDS + NOT_IDS)
def test_admin_action_on_a_bad_selection_changes_nothing(client, clerk, value):
    """A forged selection is refused whole: not even the valid id next to the bad one is acted on."""
    proposal = registered_proposal(by=clerk)
    client.force_login(clerk)
    response = client.post(reverse("admin:proposals_proposal_changelist"),
                           {"action": "accept_selected", "_selected_action": [value, str(proposal.pk)]}, follow=True)
    assert response.status_code == 200
    assert "所选对象的编号无效，未执行任何操作" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED


@pytest.mark.parametrize("value", HUGE_IDS)
def test_opening_a_notification_with_a_huge_id_is_not_found(client, agency_staff, value):
    client.force_login(agency_staff)
    url = f"/admin/notifications/mynotification/{value}/change/"
    assert client.get(url).status_code in (302, 404)


@pytest.mark.parametrize("value", HUGE_IDS + NOT_IDS[:2])
def test_step_form_with_a_bad_agency_id_is_a_form_error(client, clerk, value):
    proposal = accepted_proposal(by=clerk)
    client.force_login(clerk)
    url = reverse("admin:proposals_proposal_step", args=[proposal.pk, "assign"])
    response = client.post(url, {"lead": value, "joint": [value], "assisting": [value], "on": "2026-03-02"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not Assignment.objects.filter(proposal=proposal).exists()


@pytest.mark.parametrize("value", HUGE_IDS + NOT_IDS[:2])
def test_step_form_with_a_bad_member_id_is_a_form_error(client, clerk, value):
    proposal = registered_proposal(by=clerk)
    client.force_login(clerk)
    url = reverse("admin:proposals_proposal_step", args=[proposal.pk, "withdraw"])
    events = Event.objects.count()
    response = client.post(url, {"consenting": [value], "reason": "测试"})
    assert response.status_code in (200, 404)
    assert Event.objects.count() == events


@pytest.mark.parametrize("value", HUGE_IDS + NOT_IDS[:2])
def test_proposal_add_form_with_a_bad_member_is_a_form_error(client, clerk, meeting, value):
    client.force_login(clerk)
    data = {"meeting": meeting.pk, "kind": "proposal", "number": "3001", "title": "关于发展自动驾驶产业的提案",
            "body": "建议。", "category": "science", "submitted_on": "2026-01-12"}
    for prefix, total in (("proposers", 2), ("assignments", 0), ("communications", 0)):
        data.update({f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": "0",
                     f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"})
    data.update({"proposers-0-order": "1", "proposers-0-member": value, "proposers-0-is_lead": "on",
                 "proposers-1-order": "2", "proposers-1-member": str(MemberFactory().pk)})
    response = client.post(reverse("admin:proposals_proposal_add"), data)
    assert response.status_code == 200
    assert not Proposal.objects.filter(number="3001").exists()


@pytest.mark.parametrize("value", HUGE_IDS[:2])
def test_my_notification_actions_on_a_huge_id_change_nothing(client, agency_staff, clerk, value):
    proposal = registered_proposal(by=clerk)
    mine = Notification.objects.create(
        key="bad-input:1", kind=Kind.ASSIGNED, stage_text="交办通知", channel="in_app", recipient=agency_staff,
        subject="交办通知", body="请留意。", proposal=proposal, state="sent", sent_at=timezone.now(),
    )
    client.force_login(agency_staff)
    response = client.post(reverse("admin:notifications_mynotification_changelist"),
                           {"action": "mark_read", "_selected_action": [value]})
    assert response.status_code in (200, 302)
    mine.refresh_from_db()
    assert mine.read_at is None
