"""Similar proposals weigh the body too: a proposal titled otherwise but about the same matter is
found through its body (正文相近), a shared title word over an unrelated body stays low, and the
boilerplate every body writes counts for nothing. The same cases hold on PostgreSQL (the two GiST
indexes, then the combined score) and on SQLite (every row in Python)."""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse

from intake.sections import similar_proposals_section
from intake.selectors import brute_force_scores, comparable_meetings, similar_proposal_scores, similar_proposals
from intake.similarity import BODY_READ, body_digest, matched_parts, proposal_likeness
from tests.factories import MeetingFactory, registered_proposal

pytestmark = pytest.mark.django_db

BOILERPLATE = "近年来,我市各项工作取得积极进展,但仍存在一些问题。现提出如下建议:"
PARKING = ("关于解决城中村停车难的建议",
           BOILERPLATE + "城中村停车难日益突出,停车位严重不足,停车场建设滞后,车辆乱停乱放。一是挖潜增加停车位供给,"
           "利用边角地建设立体停车场;二是推行机关单位停车场错时共享停车;三是规范停车收费。")
PARKING_OTHER_WORDING = ("关于缓解老城区机动车停放压力的提案",
                         "老城区道路狭窄,机动车保有量快速增长,停车位缺口大,居民停车难。建议如下:一是规划公共停车场,"
                         "增加停车泊位;二是推动机关企事业单位停车位错时共享;三是发展智慧停车,实时发布停车位信息。")
PARKING_NEAR_DUPLICATE = ("关于进一步解决城中村停车难问题的提案",
                          "城中村停车位不足,停车场少,车辆乱停乱放严重。建议增加停车位供给,建设立体停车场,推行错时共享停车。")
# Shares 社区 with the parking title below, and nothing else: its body is about old people's meals.
CANTEEN = ("关于加强社区食堂建设的建议",
           BOILERPLATE + "社区食堂是老年人就餐的重要场所。一是扩大社区食堂覆盖面;二是给予老年人就餐补贴;三是保障社区食堂食品安全。")
COMMUNITY_PARKING = ("关于加强社区停车管理的建议",
                     BOILERPLATE + "社区停车位紧张,停车场收费混乱。一是增加社区停车位;二是规范停车场收费;三是鼓励错时共享停车。")
UNRELATED = [
    ("关于发展低空经济的提案", BOILERPLATE + "低空经济是新兴产业。一是规划低空航线;二是建设无人机起降点;三是培育低空经济企业。"),
    ("关于规范校外培训机构的建议", BOILERPLATE + "校外培训机构良莠不齐。一是严格校外培训机构审批;二是监管培训收费;三是查处无证培训机构。"),
]


def test_boilerplate_of_every_body_leaves_no_digest():
    assert body_digest(BOILERPLATE * 3) == ""
    assert body_digest("一是加强管理;二是完善机制;三是进一步推进工作。建议如下:加强管理,完善机制。") == ""


def test_the_digest_keeps_the_repeated_topic_words_most_frequent_first():
    assert body_digest(PARKING[1]).split()[:3] == ["停车", "车场", "车位"]


def test_a_long_body_is_read_only_to_its_bounded_head():
    long_body = PARKING[1] + "其他内容。" * 4000  # 20,000 characters and more
    started = time.perf_counter()
    digest = body_digest(long_body)
    assert time.perf_counter() - started < 0.05
    assert digest == body_digest(long_body[:BODY_READ])


def test_same_matter_under_other_wording_is_alike_by_body():
    alike = proposal_likeness(*PARKING, *PARKING_OTHER_WORDING)
    # 停车难 and 机动车停放 are one matter to the title's meaning too; the body says it more surely
    assert alike.body >= 0.5 and alike.score >= 0.3 and alike.body > alike.title >= 0.3
    assert alike.parts == ["标题相近", "正文相近"]


def test_near_duplicate_scores_high_on_both_parts():
    alike = proposal_likeness(*PARKING, *PARKING_NEAR_DUPLICATE)
    assert alike.score >= 0.5 and alike.parts == ["标题相近", "正文相近"]


def test_a_shared_title_word_over_an_unrelated_body_stays_low():
    shared_word = proposal_likeness(*COMMUNITY_PARKING, *CANTEEN)
    # the titles share 社区 only, a place word beside two other matters; the bodies share 社区 only
    assert shared_word.title < 0.12 and shared_word.score < 0.12
    assert proposal_likeness(*COMMUNITY_PARKING, *PARKING).score > 2 * shared_word.score
    assert all(proposal_likeness(*PARKING, *other).score < 0.05 for other in UNRELATED)


def test_without_a_body_the_title_alone_counts():
    alike = proposal_likeness(PARKING[0], "", PARKING_NEAR_DUPLICATE[0], PARKING_NEAR_DUPLICATE[1])
    assert alike.body is None and alike.score == alike.title
    assert matched_parts(alike.title, None) == ["标题相近"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQL functions exist on PostgreSQL only")
def test_the_sql_functions_agree_with_python():
    cases = [PARKING, PARKING_OTHER_WORDING, PARKING_NEAR_DUPLICATE, CANTEEN, COMMUNITY_PARKING, *UNRELATED,
             ("关于AI+教育的建议", "AI教育、AI课程:AI进课堂,ai教师培训,2024年AI教育试点。AI课程。"),
             ("关于", ""), ("电", "停车停车"), (PARKING[0], PARKING[1] * 40),
             # boilerplate words overlapping one another, cut in the same order on both sides
             ("关于停车的建议", "现提出如下建议建议如下有关部门关部门停车场停车场,有待加强待加强停车。" * 2)]
    with connection.cursor() as cursor:
        for _title, body in cases:
            cursor.execute("SELECT intake_body_digest(%s)", [body])
            assert cursor.fetchone()[0] == body_digest(body)


@pytest.fixture
def parking(clerk):
    """An earlier meeting's proposals: the same matter worded otherwise, a near-duplicate, a shared
    title word over another matter, unrelated ones; and this meeting's new proposal."""
    earlier = MeetingFactory(year=2025, session=1)
    current = MeetingFactory(year=2026, session=2)
    made = {
        "other_wording": registered_proposal(by=clerk, meeting=earlier, title=PARKING_OTHER_WORDING[0],
                                             body=PARKING_OTHER_WORDING[1]),
        "near_duplicate": registered_proposal(by=clerk, meeting=earlier, title=PARKING_NEAR_DUPLICATE[0],
                                              body=PARKING_NEAR_DUPLICATE[1]),
        "canteen": registered_proposal(by=clerk, meeting=earlier, title=CANTEEN[0], body=CANTEEN[1]),
    }
    for title, body in UNRELATED:
        registered_proposal(by=clerk, meeting=earlier, title=title, body=body)
    made["new"] = registered_proposal(by=clerk, meeting=current, title=COMMUNITY_PARKING[0].replace("社区", "城中村"),
                                      body=PARKING[1])
    return made


def test_the_list_finds_the_same_matter_by_body_and_leaves_out_the_unrelated(parking):
    found = similar_proposals(parking["new"])

    assert [s.proposal.pk for s in found] == [parking["near_duplicate"].pk, parking["other_wording"].pk]
    other_wording = found[1]
    assert "正文相近" in other_wording.parts and other_wording.score >= 0.3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="compares the index search with brute force")
def test_index_search_and_the_sql_score_over_every_row_agree(parking):
    proposal = parking["new"]
    brute = brute_force_scores(proposal, meetings=comparable_meetings(proposal.meeting))
    found = similar_proposal_scores(proposal)
    assert [pk for pk, _ in found] == [pk for pk, _ in brute]
    assert [score for _, score in found] == pytest.approx([score for _, score in brute], abs=1e-6)


def test_the_page_says_which_part_is_alike(client, clerk, parking):
    client.force_login(clerk)
    page = client.get(reverse("admin:proposals_proposal_change", args=[parking["new"].pk])).content.decode()

    row = page[page.index(PARKING_OTHER_WORDING[0]) - 400:page.index(PARKING_OTHER_WORDING[0])]
    assert "正文相近" in row and "相近之处" in page


def test_the_section_costs_the_same_queries_with_bodies(parking, clerk, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = clerk
    with django_assert_num_queries(7):  # permissions 2, meetings 1, search 1, details 3
        html = similar_proposals_section(request, parking["new"])
    assert html.count("正文相近") == 2 and html.count("标题相近") == 2
