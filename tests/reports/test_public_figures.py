"""A meeting's headline figures, once the office publishes them: public pages and API."""

import pytest

from reports.models import PublishedFigures
from reports.services import publish_meeting_figures, withdraw_meeting_figures
from tracker.errors import PermissionRefused, WorkflowError

pytestmark = pytest.mark.django_db

API = "/api/v1/public/figures/"


def test_unpublished_figures_are_not_shown(client, counted):
    assert client.get(API, {"meeting": counted.meeting.pk}).status_code == 404
    assert client.get(f"/public/figures/{counted.meeting.pk}/").status_code == 404


def test_published_headline_has_counts_rates_and_definitions_but_no_names(client, clerk, counted):
    publish_meeting_figures(meeting=counted.meeting, by=clerk)
    response = client.get(API, {"meeting": counted.meeting.pk})
    assert response.status_code == 200
    body = response.json()
    assert body["meeting_name"] == counted.meeting.name
    assert body["figures"]["received"] == 8
    assert body["figures"]["on_time_rate"] == round(2 / 3, 4)
    assert [(item["code"], item["count"]) for item in body["category_split"]] == [("A", 1), ("B", 1), ("C", 1)]
    assert body["definitions"]["on_time_rate"]["label"] == "按期办复率"
    text = response.content.decode()
    for name in ("张建山", "李明华", "王晓红", "陈思远", "广州市教育局"):
        assert name not in text


def test_public_page_lists_and_shows_the_published_meeting(client, clerk, counted):
    publish_meeting_figures(meeting=counted.meeting, by=clerk)
    listing = client.get("/public/figures/").content.decode()
    assert counted.meeting.name in listing
    page = client.get(f"/public/figures/{counted.meeting.pk}/").content.decode()
    assert "按期办复率" in page and "66.7%" in page and "张建山" not in page


@pytest.mark.parametrize("query", [{}, {"meeting": "abc"}, {"meeting": "1.0"}, {"meeting": "99999999999999999999"}])
def test_bad_meeting_is_a_400_with_a_chinese_message(client, db, query):
    response = client.get(API, query, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] and "meeting" in body["fields"]


def test_only_clerks_publish_and_twice_is_refused(clerk, counted):
    with pytest.raises(PermissionRefused):
        publish_meeting_figures(meeting=counted.meeting, by=counted.staff[counted.science.pk])
    publish_meeting_figures(meeting=counted.meeting, by=clerk)
    with pytest.raises(WorkflowError, match="已公开"):
        publish_meeting_figures(meeting=counted.meeting, by=clerk)
    withdraw_meeting_figures(meeting=counted.meeting, by=clerk)
    assert not PublishedFigures.objects.exists()


def test_endpoint_is_in_the_openapi_schema(client, db):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"][API]["get"]
    (meeting,) = [p for p in operation["parameters"] if p["name"] == "meeting"]
    assert meeting["required"] and meeting["schema"] == {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}
    assert set(operation["responses"]) >= {"200", "400", "404"}
