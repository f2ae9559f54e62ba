"""POST /api/v1/proposals/{id}/feedback/: a proposer's own rating, through replies.workflow.record_feedback."""

from __future__ import annotations

import pytest

from proposals.models import Event, Proposal
from replies.models import Feedback
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db

RATING = {"attitude": "satisfied", "result": "basically_satisfied", "comments": "答复具体,措施可行"}


def feedback_url(proposal) -> str:
    return f"/api/v1/proposals/{proposal.pk}/feedback/"


def test_a_proposer_rates_the_round_after_the_reply_was_sent(api, member_user, sent_reply, proposal):
    response = api.post(feedback_url(proposal), RATING, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["round"], body["attitude_label"], body["result_label"], body["channel"]) == (
        1, "满意", "基本满意", "online")
    feedback = Feedback.objects.get()
    assert (feedback.member, feedback.recorded_by, feedback.comments) == (member_user.member, member_user, RATING["comments"])
    assert Event.objects.filter(proposal=proposal, action=Event.Action.EVALUATE).exists()


def test_each_proposer_rates_once_per_round(api, sent_reply, proposal):
    assert api.post(feedback_url(proposal), RATING, format="json").status_code == 201
    again = api.post(feedback_url(proposal), RATING, format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "already_rated" and "fields" not in again.json()
    assert Feedback.objects.count() == 1


def test_the_cosigner_rates_separately_and_the_proposal_is_then_evaluated(
    api, cosigner_user, sent_reply, proposal,
):
    assert api.post(feedback_url(proposal), RATING, format="json").status_code == 201
    assert client_for(cosigner_user).post(feedback_url(proposal), RATING, format="json").status_code == 201
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.EVALUATED
    # Evaluated: the round is closed to ratings.
    assert api.post(feedback_url(proposal), RATING, format="json").json()["code"] in {"already_rated", "feedback_not_open"}


def test_ratings_open_only_after_a_reply_was_sent(api, assignment, proposal):
    response = api.post(feedback_url(proposal), RATING, format="json")
    assert response.status_code == 409 and response.json()["code"] == "feedback_not_open"
    assert not Feedback.objects.exists()


@pytest.mark.parametrize(("body", "field"), [
    ({"attitude": "delighted", "result": "satisfied"}, "attitude"),
    ({"attitude": "satisfied"}, "result"),
    ({"attitude": "satisfied", "result": "satisfied", "comments": "x" * 2001}, "comments"),
    ({"attitude": "satisfied", "result": "satisfied", "comments": "a\x00b"}, "comments"),
])
def test_bad_input_is_refused_with_field_errors_and_changes_nothing(api, sent_reply, proposal, body, field):
    response = api.post(feedback_url(proposal), body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and field in response.json()["fields"]
    assert not Feedback.objects.exists()


def test_a_body_that_is_not_json_is_refused(api, sent_reply, proposal):
    response = api.post(feedback_url(proposal), "{not json", content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "parse_error"
    form = api.post(feedback_url(proposal), "attitude=satisfied", content_type="application/x-www-form-urlencoded")
    assert form.status_code == 415 and form.json()["code"] == "unsupported_media_type"


def test_another_member_cannot_rate_and_learns_nothing(outsider, outsiders_proposal, sent_reply, proposal):
    client = client_for(outsider)
    theirs = client.post(feedback_url(proposal), RATING, format="json")
    missing = client.post("/api/v1/proposals/987654321/feedback/", RATING, format="json")
    assert theirs.status_code == missing.status_code == 404 and theirs.content == missing.content
    # Even with bad input: the 404 comes first, so the body's checks reveal nothing either.
    assert client.post(feedback_url(proposal), {}, format="json").status_code == 404
    assert not Feedback.objects.exists()


def test_unsatisfied_ratings_send_the_proposal_back_for_rehandling(api, cosigner_user, sent_reply, proposal):
    unsatisfied = {**RATING, "result": "unsatisfied", "comments": "未解决实际问题"}
    api.post(feedback_url(proposal), unsatisfied, format="json")
    client_for(cosigner_user).post(feedback_url(proposal), RATING, format="json")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.round) == (Proposal.Status.REHANDLING, 2)
    detail = api.get(f"/api/v1/proposals/{proposal.pk}/").json()
    assert detail["status_label"] == "重新办理" and detail["round"] == 2 and detail["can_give_feedback"] is False
