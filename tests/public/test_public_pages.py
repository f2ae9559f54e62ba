"""The public disclosure pages: a searchable list of published replies and a page per letter."""

from __future__ import annotations

import re

import pytest

from replies import workflow as reply_workflow
from tests.factories import AgencyReviewerUserFactory, AgencyStaffUserFactory, MeetingFactory, signed_assignment
from tests.replies.builders import walk_reply

pytestmark = pytest.mark.django_db


@pytest.fixture
def school_reply(clerk, other_agency):
    staff = AgencyStaffUserFactory(agency=other_agency)
    reviewer = AgencyReviewerUserFactory(agency=other_agency)
    meeting = MeetingFactory(year=2025, body="npc", name="广州市第十六届人民代表大会第五次会议")
    assignment = signed_assignment(by_clerk=clerk, staff=staff, meeting=meeting, title="关于加强校园食品安全的建议",
                                   kind="suggestion")
    reply = walk_reply(assignment, staff=staff, reviewer=reviewer, to="sent", title="广州市教育局关于校园食品安全建议的答复",
                       addressee="叶君代表", body="您提出的建议收悉。\n我局将加强校园食堂监管。", document_number="穗教函〔2025〕8号")
    return reply_workflow.publish_reply(reply=reply, by=staff, index_number="007482903/2025-00008")


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_list_shows_published_replies_only(client, published_reply, school_reply, assignment, proposal):
    response = client.get("/public/replies/")
    assert response.status_code == 200
    page = text_of(response)
    assert published_reply.title in page and school_reply.title in page
    assert "共 2 件" in page
    assert "<script" not in response.content.decode()  # no JavaScript needed


def test_the_list_searches_and_filters(client, published_reply, school_reply, other_agency):
    assert school_reply.title in text_of(client.get("/public/replies/", {"q": "食堂"}))
    assert published_reply.title not in text_of(client.get("/public/replies/", {"q": "食堂"}))
    by_year = text_of(client.get("/public/replies/", {"year": "2025"}))
    assert school_reply.title in by_year and published_reply.title not in by_year
    by_agency = text_of(client.get("/public/replies/", {"agency": other_agency.pk}))
    assert school_reply.title in by_agency and published_reply.title not in by_agency
    bad = text_of(client.get("/public/replies/", {"year": "abc"}))
    assert "检索条件有误" in bad and "共 0 件" in bad


def test_the_form_sent_with_every_field_blank_shows_everything(client, published_reply, school_reply):
    page = text_of(client.get("/public/replies/", {"q": "", "meeting": "", "agency": "", "year": ""}))
    assert "共 2 件" in page and "检索条件有误" not in page


def test_the_filters_offer_only_what_has_published_letters(client, published_reply, school_reply):
    page = text_of(client.get("/public/replies/"))
    assert "2025年" in page and "2026年" in page
    assert "广州市第十六届人民代表大会第五次会议" in page and "广州市教育局" in page


def test_a_reply_page_is_laid_out_like_the_disclosure_pages(client, school_reply):
    response = client.get(f"/public/replies/{school_reply.pk}/")
    assert response.status_code == 200
    page = text_of(response)
    assert "建议提案办理情况公开</a> &gt; 人大代表建议" in page
    assert "来源：广州市教育局 发布时间：" in page
    for label, value in (("索引号", "007482903/2025-00008"), ("文号", "穗教函〔2025〕8号")):
        assert re.search(rf"<th>{label}</th><td>{re.escape(value)}</td>", page.replace("> <", "><"))
    assert "叶君代表：" in page and "我局将加强校园食堂监管。" in page
    assert "广州市教育局<br>2022年5月27日" in page
    assert "（联系人：杨欣卉，联系电话：83124132）" in page
    assert 'name="viewport"' in page


def test_unpublished_and_draft_replies_have_no_page(client, sent_reply):
    assert client.get(f"/public/replies/{sent_reply.pk}/").status_code == 404
    assert sent_reply.title not in text_of(client.get("/public/replies/"))


def test_the_pages_never_show_the_proposers_contact_details(client, published_reply, member_user):
    member_user.member.phone, member_user.member.email = "13800138000", "zhang@example.org"
    member_user.member.save(update_fields=["phone", "email"])
    for url in ("/public/replies/", f"/public/replies/{published_reply.pk}/", "/public/replies/?q=人工智能"):
        content = client.get(url).content.decode()
        assert "13800138000" not in content and "zhang@example.org" not in content


def test_the_list_page_costs_a_fixed_number_of_queries(client, published_reply, school_reply,
                                                       django_assert_max_num_queries):
    with django_assert_max_num_queries(5):  # count, page, meetings, agencies (+ session-free)
        client.get("/public/replies/?q=答复")


def test_a_search_matching_more_than_the_limit_reads_more_than(client, published_reply, school_reply, monkeypatch):
    """A word found in most letters is counted up to a limit, not through every body of the archive."""
    from tracker.paginators import SearchCountPaginator

    monkeypatch.setattr(SearchCountPaginator, "limit", 1)
    both = text_of(client.get("/public/replies/", {"q": "答复"}))
    assert "超过 1 件" in both and (published_reply.title in both or school_reply.title in both)
    one = text_of(client.get("/public/replies/", {"q": "食堂"}))
    assert "共 1 件" in one and school_reply.title in one
