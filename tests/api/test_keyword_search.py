"""tracker.search.keyword_search: Chinese words of any length, found through the bigram GIN index."""

from __future__ import annotations

import pytest
from django.db import connection

from proposals.models import Proposal
from tests.factories import registered_proposal
from tracker.search import keyword_search

pytestmark = pytest.mark.django_db

TEXTS = {
    "人工智能": ("关于促进人工智能产业发展的提案", "加快AI与制造融合。"),
    "教育": ("关于义务教育阶段课后服务的提案", "延长课后服务时间"),
    "交通": ("关于缓解早高峰交通拥堵的提案", "优化信号灯配时,发展公共交通"),
    "养老": ("关于社区养老的提案", "社区食堂服务老人,兼顾教"),
}


@pytest.fixture
def proposals(clerk):
    return {key: registered_proposal(by=clerk, title=title, body=body) for key, (title, body) in TEXTS.items()}


def found(q) -> set[str]:
    return set(keyword_search(Proposal.objects.all(), q).values_list("title", flat=True))


def like(q) -> set[str]:
    words = q.split()
    rows = Proposal.objects.all()
    for word in words:
        rows = [p for p in rows if any(word.lower() in text.lower() for text in (p.number, p.title, p.body))]
    return {p.title for p in rows}


@pytest.mark.parametrize("q", ["人工智能", "教育", "交通", "课后服务", "智", "教", "ai", "AI与", "交通 信号", "养老 教",
                               "不存在", "‘引号’", "a'b\\c", "服务%", "_"])
def test_the_results_are_those_of_like(proposals, q):
    assert found(q) == like(q)


def test_a_two_character_word_needs_both_characters_together(proposals):
    # 教 and 育 both occur in 养老's text only apart ("兼顾教"); 教育 must not match it.
    assert found("教育") == {TEXTS["教育"][0]}


def test_an_empty_query_filters_nothing(proposals):
    assert found("") == found("   ") == set(TEXTS[k][0] for k in TEXTS)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the index exists on PostgreSQL only")
@pytest.mark.parametrize("q", ["教育", "人工智能", "智"])
def test_postgresql_answers_from_the_gin_index(proposals, q):
    queryset = keyword_search(Proposal.objects.order_by(), q)
    with connection.cursor() as cursor:
        # A table this small would be scanned anyway: leave the planner only index conditions, so
        # the plan shows whether the query's expression matches the index's.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = queryset.explain()
    assert "proposal_search_bigrams" in plan


def python_bigrams(text: str) -> set[str]:
    """What tracker_bigrams indexes: every character with the next (the last alone), lower-cased,
    none starting with white space."""
    text = text.lower()
    return {text[i:i + 2] for i in range(len(text)) if not text[i].isspace()}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the function exists on PostgreSQL only")
@pytest.mark.parametrize("text", ["关于加强老旧小区加装电梯工作的建议", "AI 与 5G  融合", "教", "  空格 在前 ", "",
                                  "第一段。\n第二段:内容" * 400])
def test_the_indexed_tokens_are_each_character_with_the_next(text):
    with connection.cursor() as cursor:
        cursor.execute("SELECT tsvector_to_array(tracker_bigrams(%s))", [text])
        (tokens,) = cursor.fetchone()
    assert set(tokens) == python_bigrams(text)
