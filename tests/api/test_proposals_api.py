"""GET /api/v1/proposals/ and /api/v1/proposals/{id}/: a member's own proposals and nothing else."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from proposals import workflow as proposal_workflow
from proposals.models import Communication, Proposal
from replies.models import Rating
from replies import workflow as reply_workflow
from tests.api.conftest import AI_TITLE, client_for
from tests.factories import AgencyStaffUserFactory, MeetingFactory, registered_proposal

pytestmark = pytest.mark.django_db


def test_a_member_lists_the_proposals_they_proposed_or_cosigned(api, proposal, outsiders_proposal, cosigner_user):
    body = api.get("/api/v1/proposals/").json()
    assert body["count"] == 1
    [row] = body["results"]
    assert row["id"] == proposal.pk and row["title"] == AI_TITLE
    assert (row["status"], row["status_label"]) == ("assigned", "已交办")
    assert row["lead_agency"] == "广州市科学技术局" and row["lead_proposer"] == proposal.proposers.get(is_lead=True).member.name
    assert row["next_due_on"] == "2026-06-02" and isinstance(row["days_left"], int)
    # The co-signer sees the same proposal; the outsider only their own.
    assert [r["id"] for r in client_for(cosigner_user).get("/api/v1/proposals/").json()["results"]] == [proposal.pk]


def test_the_list_filters_by_meeting_kind_status_and_year(api, clerk, member_user, proposal):
    meeting_2025 = MeetingFactory(year=2025, body="npc", name="第十六届人大第五次会议")
    suggestion = registered_proposal(by=clerk, meeting=meeting_2025, proposers=[member_user.member],
                                     kind=Proposal.Kind.SUGGESTION, title="关于增加公共停车位的建议")

    def ids(query):
        response = api.get(f"/api/v1/proposals/?{query}")
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids("") == {proposal.pk, suggestion.pk}
    assert ids(f"meeting={meeting_2025.pk}") == {suggestion.pk}
    assert ids("kind=suggestion") == {suggestion.pk}
    assert ids("status=assigned") == {proposal.pk}
    assert ids("year=2026") == {proposal.pk}
    assert ids("year=2025&kind=proposal") == set()


def test_the_keyword_finds_two_character_chinese_words_in_title_or_body(api, clerk, member_user, proposal):
    other = registered_proposal(by=clerk, proposers=[member_user.member], title="关于加强社区养老服务的提案",
                                body="养老服务需要交通接驳。")

    def titles(q):
        return {row["title"] for row in api.get("/api/v1/proposals/", {"q": q}).json()["results"]}

    assert titles("人工智能") == {AI_TITLE}
    assert titles("教育") == {AI_TITLE}  # body only
    assert titles("交通") == {AI_TITLE, other.title}
    assert titles("交通 养老") == {other.title}  # every word must appear
    assert titles(proposal.number) == {AI_TITLE}
    assert titles("无此内容") == set()


def test_the_list_orders_as_asked(api, clerk, member_user, proposal):
    older = registered_proposal(by=clerk, proposers=[member_user.member], number="1")
    numbers = [row["number"] for row in api.get("/api/v1/proposals/?ordering=number").json()["results"]]
    assert numbers == sorted([proposal.number, older.number])
    assert api.get("/api/v1/proposals/").json()["results"][0]["id"] == older.pk  # newest first by default


@pytest.mark.parametrize("query", ["kind=motion", "year=abc", "meeting=1.5", "ordering=secret", "page_size=0",
                                   "page_size=101", "status=closed,replied", "page=0", "page=abc",
                                   # sent empty is not left out: the schema says integer or choice
                                   "page=", "page_size=", "year=", "meeting=", "kind=", "status="])
def test_bad_filters_are_refused_with_field_errors(api, proposal, query):
    response = api.get(f"/api/v1/proposals/?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and query.split("=")[0] in body["fields"]


def test_a_page_past_the_end_answers_404(api, proposal):
    response = api.get("/api/v1/proposals/?page=9")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_the_detail_shows_status_assignments_deadlines_and_timeline(api, proposal, clerk, other_agency):
    response = api.get(f"/api/v1/proposals/{proposal.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["status_label"], body["number"], body["title"]) == (
        "assigned", "已交办", proposal.number, AI_TITLE)
    assert body["meeting"]["name"] == proposal.meeting.name and body["meeting"]["year"] == 2026
    assert [p["is_lead"] for p in body["proposers"]] == [True, False]
    assert set(body["proposers"][0]) == {"name", "is_lead", "order"}  # names only, no contact details
    [lead] = body["assignments"]
    assert lead["agency"] == "广州市科学技术局" and (lead["role"], lead["role_label"]) == ("lead", "主办")
    assert (lead["state"], lead["due_on"], lead["due_provisional"]) == ("pending", "2026-06-02", False)
    expected_left = (dt.date(2026, 6, 2) - timezone.localdate()).days
    assert lead["days_left"] == expected_left and lead["is_overdue"] is (expected_left < 0)
    assert [event["action"] for event in body["timeline"]] == ["register", "accept", "assign"]
    assert body["replies"] == [] and body["feedback"] == [] and body["can_give_feedback"] is False


def test_the_detail_shows_communications_sent_replies_with_links_and_my_feedback(
    api, member_user, sent_reply, proposal,
):
    reply_workflow.record_feedback(proposal=proposal, member=member_user.member, attitude=Rating.SATISFIED,
                                   result=Rating.BASICALLY_SATISFIED, comments="答复具体", by=member_user)
    body = api.get(f"/api/v1/proposals/{proposal.pk}/").json()
    [held] = body["communications"]
    assert (held["mode"], held["state_label"], held["agency"]) == ("face_to_face", "已开展", "广州市科学技术局")
    [reply] = body["replies"]
    assert reply["document_number"] == "穗科函〔2022〕123号" and reply["agency"] == "广州市科学技术局"
    assert reply["text_url"].endswith(f"/api/v1/replies/{sent_reply.pk}/text/")
    assert reply["docx_url"].endswith(f"/api/v1/replies/{sent_reply.pk}/docx/")
    [mine] = body["feedback"]
    assert (mine["attitude_label"], mine["result_label"], mine["comments"]) == ("满意", "基本满意", "答复具体")
    assert body["can_give_feedback"] is False


def test_a_draft_reply_is_not_shown_to_the_member(api, assignment, agency_staff, agency_reviewer, proposal):
    from tests.replies.builders import walk_reply

    walk_reply(assignment, staff=agency_staff, reviewer=agency_reviewer, to="signed")
    assert api.get(f"/api/v1/proposals/{proposal.pk}/").json()["replies"] == []


def test_another_members_proposal_answers_404_exactly_like_a_missing_one(proposal, outsider, outsiders_proposal):
    client = client_for(outsider, "en")
    theirs = client.get(f"/api/v1/proposals/{proposal.pk}/")
    missing = client.get("/api/v1/proposals/999999999/")
    assert theirs.status_code == missing.status_code == 404
    assert theirs.content == missing.content
    assert str(proposal.pk) not in theirs.content.decode() and AI_TITLE not in theirs.content.decode()
    # Nor does the list count it.
    listed = client.get("/api/v1/proposals/").json()
    assert listed["count"] == 1 and AI_TITLE not in str(listed)


def test_staff_tokens_cannot_use_the_member_endpoints(agency, proposal):
    staff = AgencyStaffUserFactory(agency=agency)
    response = client_for(staff).get("/api/v1/proposals/")
    assert response.status_code == 403 and response.json()["code"] == "not_a_member"


@pytest.mark.parametrize("path", ["/api/v1/proposals/", "/api/v1/proposals/1/", "/api/v1/notifications/",
                                  "/api/v1/replies/1/text/", "/api/v1/replies/1/docx/"])
def test_anonymous_calls_answer_401(path, proposal):
    response = client_for().get(path)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["code"] == "not_authenticated"


def test_anonymous_feedback_answers_401(proposal):
    response = client_for().post(f"/api/v1/proposals/{proposal.pk}/feedback/", {}, format="json")
    assert response.status_code == 401


def test_a_planned_communication_shows_as_planned(api, assignment, agency_staff, proposal):
    proposal_workflow.plan_communication(assignment=assignment, by=agency_staff, mode=Communication.Mode.PHONE,
                                         date=dt.date(2026, 4, 20))
    [planned] = api.get(f"/api/v1/proposals/{proposal.pk}/").json()["communications"]
    assert (planned["mode_label"], planned["state"], planned["date"]) == ("电话", "planned", "2026-04-20")


def test_a_deadline_in_a_year_without_a_holiday_schedule_is_marked_provisional(api, clerk, member_user):
    from tests.factories import assigned_proposal

    # chinese-calendar knows up to 2026 and nobody entered 2027: weekends only, provisional.
    later = assigned_proposal(by=clerk, proposers=[member_user.member], on=dt.date(2027, 3, 1))
    [row] = api.get("/api/v1/proposals/").json()["results"]
    assert (row["id"], row["due_provisional"]) == (later.pk, True)
    [assignment] = api.get(f"/api/v1/proposals/{later.pk}/").json()["assignments"]
    assert assignment["due_provisional"] is True


def test_a_proposal_with_no_open_deadline_has_no_provisional_flag(api, clerk, member_user):
    registered_proposal(by=clerk, proposers=[member_user.member])
    [row] = api.get("/api/v1/proposals/").json()["results"]
    assert (row["next_due_on"], row["days_left"], row["due_provisional"]) == (None, None, None)


def test_timeline_shows_members_milestones_not_the_agencys_drafting(api, proposal, sent_reply):
    detail = api.get(f"/api/v1/proposals/{proposal.pk}/").json()

    shown = [event["action"] for event in detail["timeline"]]
    drafting = proposal.events.filter(action="reply", to_state__in=["draft", "in_review", "returned", "signed"])
    assert drafting.exists()  # the agency drafted, submitted and signed the letter...
    # ...but the member sees only that it was sent: once for the agency, once for the proposal.
    assert shown.count("reply") == proposal.events.filter(action="reply", to_state="replied").count() == 2
    assert shown[:3] == ["register", "accept", "assign"]


def test_member_sees_the_communications_about_their_proposal(api, proposal, assignment, agency_staff):
    proposal_workflow.plan_communication(
        assignment=assignment, by=agency_staff, mode=Communication.Mode.PHONE, date=dt.date(2026, 4, 14),
    )

    detail = api.get(f"/api/v1/proposals/{proposal.pk}/").json()

    assert [item["date"] for item in detail["communications"]] == ["2026-04-14"]
