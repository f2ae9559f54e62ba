"""GET /api/v1/public/replies/ and /{id}/: published public letters only, no authentication."""

from __future__ import annotations

import pytest

from replies import workflow as reply_workflow
from replies.models import Reply
from tests.api.conftest import client_for
from tests.factories import AgencyReviewerUserFactory, AgencyStaffUserFactory, signed_assignment
from tests.replies.builders import walk_reply

pytestmark = pytest.mark.django_db


@pytest.fixture
def anonymous():
    return client_for()


def test_published_replies_are_listed_without_authentication(anonymous, published_reply, proposal):
    body = anonymous.get("/api/v1/public/replies/").json()
    assert body["count"] == 1
    [row] = body["results"]
    assert row["id"] == published_reply.pk and row["document_number"] == "穗科函〔2022〕123号"
    assert (row["agency"], row["proposal_number"], row["year"]) == ("广州市科学技术局", proposal.number, 2026)
    assert row["index_number"] == "007482903/2022-00123"


def test_a_bad_token_does_not_stop_the_public(published_reply):
    client = client_for()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert client.get("/api/v1/public/replies/").status_code == 200


def test_the_detail_has_the_letter_but_never_the_proposers_contact_details(anonymous, published_reply, member_user):
    member = member_user.member
    member.phone, member.email = "13800138000", "zhang@example.org"
    member.save(update_fields=["phone", "email"])
    response = anonymous.get(f"/api/v1/public/replies/{published_reply.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["addressee"] == "张建山委员" and body["paragraphs"][0].startswith("您提出的")
    assert (body["contact_person"], body["contact_phone"]) == ("杨欣卉", "83124132")  # the agency's contact
    assert "张建山委员：" in body["text"]
    assert b"13800138000" not in response.content and b"zhang@example.org" not in response.content


def test_sent_but_unpublished_replies_are_never_public(anonymous, sent_reply):
    assert anonymous.get("/api/v1/public/replies/").json()["count"] == 0
    assert anonymous.get(f"/api/v1/public/replies/{sent_reply.pk}/").status_code == 404


def test_a_withdrawn_publication_disappears(anonymous, published_reply, clerk):
    reply_workflow.withdraw_reply_publication(reply=published_reply, by=clerk, reason="涉及个人信息")
    assert anonymous.get("/api/v1/public/replies/").json()["count"] == 0
    assert anonymous.get(f"/api/v1/public/replies/{published_reply.pk}/").status_code == 404


def test_a_letter_not_marked_public_is_never_shown_even_with_a_publication_date(anonymous, published_reply):
    # Belt and braces: publish_reply refuses such a letter, but a row changed by hand must not leak.
    Reply.objects.filter(pk=published_reply.pk).update(disclosure="on_request", nondisclosure_reason="涉及商业秘密")
    assert anonymous.get("/api/v1/public/replies/").json()["count"] == 0
    assert anonymous.get(f"/api/v1/public/replies/{published_reply.pk}/").status_code == 404


def test_drafts_are_never_public(anonymous, assignment, agency_staff, agency_reviewer):
    draft = walk_reply(assignment, staff=agency_staff, reviewer=agency_reviewer, to="draft")
    assert anonymous.get(f"/api/v1/public/replies/{draft.pk}/").status_code == 404


def test_filters_and_keyword(anonymous, published_reply, clerk, proposal, other_agency):
    staff = AgencyStaffUserFactory(agency=other_agency)
    reviewer = AgencyReviewerUserFactory(agency=other_agency)
    assignment = signed_assignment(by_clerk=clerk, staff=staff, title="关于加强校园食品安全的提案")
    other = walk_reply(assignment, staff=staff, reviewer=reviewer, to="sent", title="关于校园食品安全提案的答复",
                       body="您提出的提案收悉。我局将加强校园食堂监管。")
    reply_workflow.publish_reply(reply=other, by=staff)

    def ids(query):
        response = anonymous.get(f"/api/v1/public/replies/?{query}")
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids("") == {published_reply.pk, other.pk}
    assert ids(f"agency={other_agency.pk}") == {other.pk}
    assert ids(f"meeting={proposal.meeting_id}") == {published_reply.pk}
    assert ids("year=2026") == {published_reply.pk, other.pk}
    assert ids("year=2020") == set()
    assert ids("q=食堂") == {other.pk}
    assert ids("q=人工智能") == {published_reply.pk}
    assert ids("q=穗科函") == {published_reply.pk}
    assert anonymous.get("/api/v1/public/replies/?agency=x").status_code == 400
