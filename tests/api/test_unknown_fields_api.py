"""Every write of the API refuses a body field it does not take, with a 400 naming the field, and
changes nothing: "comment" for "comments" used to be dropped while the rating was recorded (201).
The schema says so (additionalProperties: false), so clients and the fuzzing know it too.
"""

from __future__ import annotations

import pytest
import yaml
from django.utils import timezone
from tracker.models import ApiToken

from notifications.models import Kind, Notification
from replies.models import Feedback
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db

RATING = {"attitude": "satisfied", "result": "basically_satisfied"}


@pytest.fixture
def notification(member_user, proposal):
    return Notification.objects.create(
        key="unknown-fields:1", kind=Kind.ASSIGNED, stage_text="交办通知", channel="in_app", recipient=member_user,
        subject="交办通知", body="请留意办理进度。", proposal=proposal, state="sent", sent_at=timezone.now(),
    )


def test_a_rating_with_comment_for_comments_is_refused_and_not_recorded(api, sent_reply, proposal):
    response = api.post(f"/api/v1/proposals/{proposal.pk}/feedback/", {**RATING, "comment": "答复具体"}, format="json")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid"
    assert body["fields"] == {"comment": ["字段“comment”：不支持，可用的字段为：attitude、comments、result"]}
    assert not Feedback.objects.exists()


def test_the_refusal_is_in_english_when_asked(member_user, sent_reply, proposal):
    response = client_for(member_user, language="en").post(
        f"/api/v1/proposals/{proposal.pk}/feedback/", {**RATING, "comment": "fine"}, format="json")
    assert response.json()["fields"]["comment"] == ["comment: unknown field; accepted: attitude, comments, result."]


def test_unknown_fields_are_named_beside_the_other_errors(api, sent_reply, proposal):
    response = api.post(f"/api/v1/proposals/{proposal.pk}/feedback/", {"attitude": "delighted", "comment": "x"},
                        format="json")
    assert set(response.json()["fields"]) == {"attitude", "result", "comment"}


def test_a_long_or_odd_field_name_is_named_short(api, sent_reply, proposal):
    response = api.post(f"/api/v1/proposals/{proposal.pk}/feedback/", {**RATING, "a\x00" + "x" * 5_000: 1},
                        format="json")
    [name] = response.json()["fields"]
    assert response.status_code == 400 and name.startswith("a�x") and len(name) <= 41
    assert not Feedback.objects.exists()


def test_a_login_with_an_unknown_field_is_refused(member_user):
    member_user.set_password("correct horse")
    member_user.save()
    response = client_for().post("/api/v1/auth/token/", {"username": member_user.username, "password": "correct horse",
                                                         "remember": True}, format="json")
    assert response.status_code == 400 and list(response.json()["fields"]) == ["remember"]
    assert not ApiToken.objects.filter(user=member_user).exists()


def test_marking_read_takes_no_fields(api, notification):
    response = api.post(f"/api/v1/notifications/{notification.pk}/read/", {"all": True}, format="json")
    assert response.status_code == 400 and list(response.json()["fields"]) == ["all"]
    notification.refresh_from_db()
    assert notification.read_at is None
    assert api.post(f"/api/v1/notifications/{notification.pk}/read/").json() == {"marked": 1}


def test_revoking_a_token_takes_no_fields(member_user):
    client = client_for(member_user)
    response = client.delete("/api/v1/auth/token/", {"everywhere": True}, format="json")
    assert response.status_code == 400 and list(response.json()["fields"]) == ["everywhere"]
    assert ApiToken.objects.filter(user=member_user).exists()
    assert client.delete("/api/v1/auth/token/").status_code == 204


def test_every_write_refuses_an_unknown_field(member_user, sent_reply, proposal, notification):
    """Driven by the schema: a write added later without the rule fails here."""
    schema = yaml.safe_load(client_for().get("/api/schema/").content)
    ids = {"{id}": {"feedback": proposal.pk, "notifications": notification.pk}}
    writes = [(path, method) for path, item in schema["paths"].items() for method in item
              if method in ("post", "put", "patch", "delete")]
    assert len(writes) >= 5
    for path, method in writes:
        url = path.replace("{id}", str(ids["{id}"]["notifications" if "notifications" in path else "feedback"]))
        client = client_for(member_user)
        response = getattr(client, method)(url, {"no_such_field": 1}, format="json")
        assert response.status_code == 400, (method, path, response.status_code)
        assert "no_such_field" in response.json()["fields"], (method, path)
        assert "400" in schema["paths"][path][method]["responses"], (method, path)
        body = schema["paths"][path][method].get("requestBody")
        if body:
            ref = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
            assert schema["components"]["schemas"][ref]["additionalProperties"] is False, ref
