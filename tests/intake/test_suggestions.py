"""Suggested lead agencies: from the office's history, the agency named in the text, and duty
keywords; each with its reason; never an assignment."""

from __future__ import annotations

import pytest
from django.contrib.admin import helpers
from django.urls import reverse

from intake.models import AgencyDuty
from intake.suggestions import suggest_lead_agencies
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
    assert first.reasons == [f"相似提案第{office['past'].number}号由广州市科学技术局主办"]


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
    proposal = accepted_proposal(by=clerk, meeting=office["current"], title="关于人工智能企业研发与道路小区改造的提案",
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
