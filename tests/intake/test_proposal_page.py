"""What the clerk sees of intake on the proposal's own pages: the similar proposals (with 并案) on
the page of a proposal under review, and the suggested lead agencies beside the 交办 form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import AgencyFactory, accepted_proposal, assigned_proposal, registered_proposal

pytestmark = pytest.mark.django_db


def test_a_proposal_under_review_shows_its_near_duplicate_with_a_merge_button(client, clerk):
    earlier = registered_proposal(by=clerk, title="关于推进老旧小区加装电梯工作的提案")
    proposal = registered_proposal(by=clerk, meeting=earlier.meeting, title="关于加强老旧小区加装电梯的建议")
    client.force_login(clerk)

    page = client.get(reverse("admin:proposals_proposal_change", args=[proposal.pk])).content.decode()

    assert earlier.title in page and "并案" in page


def test_an_assigned_proposal_does_not_search_for_similar_ones(client, clerk):
    proposal = assigned_proposal(by=clerk, title="关于加强老旧小区加装电梯的建议")
    registered_proposal(by=clerk, meeting=proposal.meeting, title="关于推进老旧小区加装电梯工作的提案")
    client.force_login(clerk)

    page = client.get(reverse("admin:proposals_proposal_change", args=[proposal.pk])).content.decode()

    assert "关于推进老旧小区加装电梯工作的提案" not in page


def test_the_assign_form_suggests_the_agency_the_proposal_names(client, clerk):
    transport = AgencyFactory(name="广州市交通运输局")
    proposal = accepted_proposal(by=clerk, title="关于优化公交线路的提案", body="建议广州市交通运输局优化公交线路。")
    client.force_login(clerk)

    page = client.get(reverse("admin:proposals_proposal_step", args=[proposal.pk, "assign"])).content.decode()

    assert "建议主办单位" in page and transport.name in page
