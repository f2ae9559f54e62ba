"""Similar proposals at review: near-duplicates score high, unrelated ones are not listed; the
same cases hold on PostgreSQL (GiST index) and on SQLite (brute force in Python)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse

from intake.sections import similar_proposals_section
from intake.selectors import brute_force_scores, comparable_meetings, similar_proposal_scores, similar_proposals
from intake.similarity import title_grams, title_similarity, title_topics
from proposals.models import Proposal
from tests.factories import AgencyFactory, MeetingFactory, assigned_proposal, registered_proposal

pytestmark = pytest.mark.django_db

ELEVATOR = "关于加强老旧小区加装电梯的建议"
NEAR_DUPLICATE = "关于推进老旧小区加装电梯工作的提案"
SAME_TOPIC = "关于老旧住宅增设电梯的建议"
UNRELATED = ["关于发展低空经济的提案", "关于加强社区养老服务的建议", "关于规范校外培训机构管理的提案"]


def test_near_duplicates_score_high_and_unrelated_titles_low():
    assert title_similarity(ELEVATOR, NEAR_DUPLICATE) >= 0.5
    # 老旧住宅增设电梯 asks the same as 老旧小区加装电梯, in other words
    assert title_similarity(ELEVATOR, SAME_TOPIC) >= 0.5
    assert all(title_similarity(ELEVATOR, other) < 0.1 for other in UNRELATED)
    assert title_grams("《关于加强老旧小区加装电梯的建议》") == "老旧 旧小 小区 区加 加装 装电 电梯"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQL function exists on PostgreSQL only")
def test_the_sql_functions_agree_with_python():
    titles = [ELEVATOR, NEAR_DUPLICATE, SAME_TOPIC, *UNRELATED, "关于AI+教育的建议", "关于", "电",
              "关于规范网约车和出租汽车管理的提案", "关于公共停车场停车位收费的建议", "关于'小巷'的提案"]
    with connection.cursor() as cursor:
        for title in titles:
            cursor.execute("SELECT intake_title_grams(%s), intake_title_topics(%s)", [title, title])
            grams, topics = cursor.fetchone()
            assert grams == title_grams(title)
            assert sorted(topics.split()) == sorted(title_topics(title).split())


@pytest.fixture
def history(clerk):
    """An earlier meeting's proposals, one assigned to the housing bureau; this meeting's new one."""
    earlier = MeetingFactory(year=2025, session=1)
    current = MeetingFactory(year=2026, session=2)
    housing = AgencyFactory(name="广州市住房和城乡建设局")
    past = assigned_proposal(by=clerk, meeting=earlier, title=ELEVATOR, lead=housing)
    topic = registered_proposal(by=clerk, meeting=earlier, title=SAME_TOPIC)
    for title in UNRELATED:
        registered_proposal(by=clerk, meeting=earlier, title=title)
    registered_proposal(by=clerk, meeting=MeetingFactory(year=2027, session=3), title=ELEVATOR)  # later
    registered_proposal(by=clerk, meeting=MeetingFactory(region="深圳市"), title=ELEVATOR)  # elsewhere
    twin = registered_proposal(by=clerk, meeting=current, title=ELEVATOR.replace("加强", "加快"))
    new = registered_proposal(by=clerk, meeting=current, title=NEAR_DUPLICATE)
    return {"past": past, "topic": topic, "twin": twin, "new": new, "housing": housing}


def test_similar_lists_this_and_earlier_meetings_of_the_region_best_first(history):
    found = similar_proposals(history["new"])

    # 老旧住宅增设电梯 (the topic) asks the same as the others, in other words: all three come first
    assert {s.proposal.pk for s in found} == {history["twin"].pk, history["past"].pk, history["topic"].pk}
    past = next(s for s in found if s.proposal.pk == history["past"].pk)
    assert past.lead_agency == "广州市住房和城乡建设局" and past.score >= 0.5
    assert past.proposal.meeting.year == 2025


@pytest.mark.skipif(connection.vendor != "postgresql", reason="compares the index search with brute force")
def test_index_search_finds_what_brute_force_finds(history):
    proposal = history["new"]
    brute = brute_force_scores(proposal, meetings=comparable_meetings(proposal.meeting))
    found = similar_proposal_scores(proposal)
    assert [pk for pk, _ in found] == [pk for pk, _ in brute]
    assert [score for _, score in found] == pytest.approx([score for _, score in brute], abs=1e-6)


def test_section_offers_merge_only_within_the_meeting_and_costs_fixed_queries(history, clerk,
                                                                              django_assert_max_num_queries):
    request = RequestFactory().get("/")
    request.user = clerk
    with django_assert_max_num_queries(7):  # permissions 2, meetings 1, search 1, details 3
        html = similar_proposals_section(request, history["new"])
    assert "第{}号".format(history["past"].number) in html and "广州市住房和城乡建设局" in html
    assert html.count('name="into"') == 1 and f'value="{history["twin"].pk}"' in html


def test_merge_button_merges_through_the_workflow(client, clerk, history):
    client.force_login(clerk)
    page = client.get(reverse("admin:intake_similar", args=[history["new"].pk]))
    assert "并案" in page.content.decode()

    client.post(reverse("admin:intake_merge", args=[history["new"].pk]), {"into": history["twin"].pk})
    merged = Proposal.objects.get(pk=history["new"].pk)
    assert (merged.status, merged.merged_into_id) == ("merged", history["twin"].pk)


def test_merge_into_an_earlier_meeting_is_refused_plainly(client, clerk, history):
    client.force_login(clerk)
    response = client.post(reverse("admin:intake_merge", args=[history["new"].pk]), {"into": history["past"].pk},
                           follow=True)
    assert "只能并入同一次会议的提案" in response.content.decode()
    assert Proposal.objects.get(pk=history["new"].pk).status == "submitted"


def test_the_proposal_page_links_to_the_similar_list(client, clerk, history):
    client.force_login(clerk)
    page = client.get(reverse("admin:proposals_proposal_change", args=[history["new"].pk]))
    assert reverse("admin:intake_similar", args=[history["new"].pk]) in page.content.decode()
