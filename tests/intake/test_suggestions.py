"""Suggested lead agencies: from the office's history, the agency named in the text, and duty
keywords; each with its reason; never an assignment."""

from __future__ import annotations

import pytest
from django.contrib.admin import helpers
from django.urls import reverse

from intake.models import AgencyDuty
from intake.duty_defaults import default_keywords_for
from intake.suggestions import rank_labels, suggest_lead_agencies
from proposals.models import AgencyAlias, Assignment
from tests.factories import AgencyFactory, MeetingFactory, accepted_proposal, assigned_proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(clerk):
    earlier, current = MeetingFactory(year=2025, session=1), MeetingFactory(year=2026, session=2)
    science = AgencyFactory(name="广州市科学技术局")
    transport = AgencyFactory(name="广州市交通运输局")
    AgencyAlias.objects.create(agency=transport, region="广州市", alias="市交通局")
    AgencyDuty.objects.update_or_create(agency=transport, defaults={"keywords": "公交、地铁,道路"})
    housing = AgencyFactory(name="广州市住房和城乡建设局")
    AgencyFactory(name="深圳市交通运输局", region="深圳市")
    past = assigned_proposal(by=clerk, meeting=earlier, title="关于支持人工智能企业研发创新的提案", lead=science)
    return {"current": current, "science": science, "transport": transport, "housing": housing, "past": past}


def names(suggestions):
    return [s.agency.name for s in suggestions]


def test_history_suggests_the_lead_of_a_similar_earlier_proposal(clerk, office):
    proposal = accepted_proposal(by=clerk, meeting=office["current"], title="关于支持人工智能企业研发创新的建议")
    first = suggest_lead_agencies(proposal)[0]
    assert first.agency == office["science"]
    # Every meeting numbers from 1 again: the earlier proposal is named with its meeting.
    past = office["past"]
    assert first.reasons[0] == f"相似提案{past.meeting.short_name}第{past.number}号由广州市科学技术局主办"


def test_an_agency_named_in_the_body_by_alias(clerk, office):
    proposal = accepted_proposal(by=clerk, meeting=office["current"], title="关于改善出行条件的建议",
                                 body="建议市交通局会同各区优化线路。")
    first = suggest_lead_agencies(proposal)[0]
    assert (first.agency, first.reasons) == (office["transport"], ["正文提到“市交通局”"])


def test_a_duty_keyword_in_the_title(clerk, office):
    proposal = accepted_proposal(by=clerk, meeting=office["current"], title="关于增开夜间公交线路的提案")
    suggestions = suggest_lead_agencies(proposal)
    assert names(suggestions)[0] == "广州市交通运输局"
    assert suggestions[0].reasons == ["关键词“公交”属于广州市交通运输局职责"]


def test_unrelated_text_gets_no_suggestion_and_other_regions_never(clerk, office):
    proposal = accepted_proposal(by=clerk, meeting=office["current"], title="关于规范校外培训机构管理的提案",
                                 body="深圳市交通运输局的做法值得借鉴。")
    assert suggest_lead_agencies(proposal) == []


def test_reasons_add_up_and_at_most_three_are_offered(clerk, office):
    AgencyDuty.objects.update_or_create(agency=office["housing"], defaults={"keywords": "道路 小区"})
    proposal = accepted_proposal(by=clerk, meeting=office["current"], title="关于企业周边道路与小区改造的提案",
                                 body="请广州市交通运输局牵头,市科学技术局配合。")
    suggestions = suggest_lead_agencies(proposal)
    assert len(suggestions) == 3
    assert names(suggestions)[0] == "广州市交通运输局"
    assert suggestions[0].reasons == ["正文提到“广州市交通运输局”", "关键词“道路”属于广州市交通运输局职责"]


def test_batch_preview_shows_suggestions_and_assigns_nothing(client, clerk, office):
    proposal = accepted_proposal(by=clerk, meeting=office["current"], title="关于增开夜间公交线路的提案")
    client.force_login(clerk)
    page = client.post(reverse("admin:proposals_proposal_changelist"),
                       {"action": "assign_selected", helpers.ACTION_CHECKBOX_NAME: [proposal.pk]})
    assert "关键词“公交”属于广州市交通运输局职责" in page.content.decode()
    assert not Assignment.objects.filter(proposal=proposal).exists()


def test_clerk_edits_duty_keywords_on_the_agency_page(client, clerk, office):
    client.force_login(clerk)
    response = client.get(reverse("admin:proposals_agency_change", args=[office["transport"].pk]))
    assert "职责关键词" in response.content.decode() and "公交、地铁,道路" in response.content.decode()


def rank(title: str, keywords: dict, leads: dict | None = None) -> list[str]:
    return [s.label for s in rank_labels(title=title, body="", precedents=[], names={}, keywords=keywords,
                                         display={label: label for label in keywords}, leads=leads)]


def test_genre_words_are_no_duty():
    """高质量发展 is how titles speak, not a matter for quality inspection; 建设项目 is no project for the
    development commission."""
    keywords = {"市场监督管理局": default_keywords_for("市场监督管理局"),
                "发展和改革委员会": default_keywords_for("发展和改革委员会"),
                "商务局": default_keywords_for("商务局")}
    assert rank("关于推动跨境电商高质量发展的提案", keywords) == ["商务局"]
    assert rank("关于加快老旧小区改造项目的建议", keywords) == []


def test_between_equal_evidence_the_agency_that_led_more_comes_first():
    keywords = {"交通局": ["公交"], "交通运输局": ["公交"]}
    assert rank("关于改善公交站台附属设施的提案", keywords) == ["交通局", "交通运输局"]  # by name alone
    assert rank("关于改善公交站台附属设施的提案", keywords, leads={"交通运输局": 15, "交通局": 1}) == ["交通运输局", "交通局"]
    # Experience only orders equals: it never outweighs evidence.
    keywords["交通局"] = ["公交", "站台"]
    assert rank("关于改善公交站台附属设施的提案", keywords, leads={"交通运输局": 15}) == ["交通局", "交通运输局"]


@pytest.mark.parametrize("agency, word", [
    ("广州市科学技术局", "科技"), ("广州市工业和信息化局", "制造业"), ("莒南县建设局", "小区"),
    ("深圳市龙华区观澜街道办事处", "社区"), ("广州市商务局", "跨境电商"), ("盘锦市公安局", "养犬"),
])
def test_every_usual_kind_of_bureau_starts_with_duty_keywords(agency, word):
    assert word in default_keywords_for(agency)


def test_a_new_science_bureau_is_suggested_for_a_science_title_without_history(clerk):
    meeting = MeetingFactory()
    science = AgencyFactory(name="广州市科学技术局")
    AgencyFactory(name="广州市工业和信息化局")
    proposal = accepted_proposal(by=clerk, meeting=meeting, title="关于加快科技企业孵化器提质增效的提案")
    first = suggest_lead_agencies(proposal)[0]
    assert first.agency == science and "关键词“孵化器”属于广州市科学技术局职责" in first.reasons
