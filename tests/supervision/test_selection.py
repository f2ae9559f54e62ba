"""遴选: nominations with their reason, the committee's decision with its date and meeting, topics
grouping proposals; what cannot be selected; removal as a recorded step with a reason."""

from __future__ import annotations

import pytest

from proposals import workflow as proposal_workflow
from proposals.models import Event, Proposal
from supervision import workflow
from supervision.models import KeyProposal, Nomination, TopicEvent
from tests.factories import AgencyFactory, MemberFactory, accepted_proposal, assigned_proposal, registered_proposal
from tests.supervision.builders import DECIDED_ON, key_proposals, topic
from tracker.errors import PermissionRefused, WorkflowError

pytestmark = pytest.mark.django_db


def test_three_proposals_become_one_topic_with_the_decision_recorded(clerk, meeting):
    lead = AgencyFactory()
    topic_, keys = key_proposals(clerk=clerk, meeting=meeting, lead=lead)
    assert [k.topic_id for k in keys] == [topic_.pk] * 3
    assert {(k.decision_body, k.decision_meeting, k.decided_on) for k in keys} == {
        ("chairs", "十四届第十次主席会议", DECIDED_ON)}
    proposals = Proposal.objects.filter(pk__in=[k.proposal_id for k in keys])
    assert all(p.is_key for p in proposals)
    # The proposal's own timeline says so, through the proposals workflow.
    assert Event.objects.filter(proposal__in=proposals, action=Event.Action.EDIT, note="修改：重点提案/建议").count() == 3
    assert TopicEvent.objects.filter(topic=topic_, action=TopicEvent.Action.SELECT).count() == 3
    assert all(k.nomination.source == Nomination.Source.OFFICE and k.nomination.reason == "事关全市发展大局"
               for k in keys)


def test_a_pending_nomination_is_the_one_decided(clerk, meeting):
    proposal = accepted_proposal(by=clerk, meeting=meeting)
    nomination = workflow.nominate(proposal=proposal, source="committee", nominator="经济委员会",
                                   reason="群众关注度高", by=clerk)
    [key] = workflow.select_key_proposals(topic=topic(clerk=clerk, meeting=meeting), proposals=[proposal],
                                          decision_body="chairs", decision_meeting="第十次主席会议",
                                          decided_on=DECIDED_ON, by=clerk)
    nomination.refresh_from_db()
    assert key.nomination == nomination and nomination.state == Nomination.State.SELECTED


def test_a_nomination_needs_its_reason_and_a_selection_without_one_needs_the_offices(clerk, meeting):
    proposal = accepted_proposal(by=clerk, meeting=meeting)
    with pytest.raises(WorkflowError) as refused:
        workflow.nominate(proposal=proposal, source="agency", nominator="市科技局", reason="  ", by=clerk)
    assert refused.value.zh == "请填写推荐理由"
    with pytest.raises(WorkflowError) as refused:
        workflow.select_key_proposals(topic=topic(clerk=clerk, meeting=meeting), proposals=[proposal],
                                      decision_body="chairs", decision_meeting="第十次主席会议",
                                      decided_on=DECIDED_ON, by=clerk)
    assert "尚无推荐，请填写遴选理由" in refused.value.zh
    assert not Nomination.objects.exists() and not KeyProposal.objects.exists()


@pytest.mark.parametrize("ending", ["withdrawn", "merged", "not_accepted", "submitted"])
def test_withdrawn_merged_or_not_accepted_cannot_be_selected_and_nothing_is_written(clerk, meeting, ground, ending):
    good = accepted_proposal(by=clerk, meeting=meeting)
    member = MemberFactory(body=meeting.body, region=meeting.region)
    bad = registered_proposal(by=clerk, meeting=meeting, proposers=[member])
    if ending == "withdrawn":
        proposal_workflow.withdraw_proposal(proposal=bad, consenting=[member], by=clerk, reason="本人撤回")
    elif ending == "merged":
        proposal_workflow.merge_proposal(proposal=bad, into=good, by=clerk)
    elif ending == "not_accepted":
        proposal_workflow.not_accept_proposal(proposal=bad, ground=ground, reason="内容空泛", by=clerk)
    topic_ = topic(clerk=clerk, meeting=meeting)
    with pytest.raises(WorkflowError) as refused:
        workflow.select_key_proposals(topic=topic_, proposals=[good, bad], decision_body="chairs",
                                      decision_meeting="第十次主席会议", decided_on=DECIDED_ON, reason="理由", by=clerk)
    assert "不能确定为重点提案" in refused.value.zh
    assert not KeyProposal.objects.exists()
    assert not Proposal.objects.filter(is_key=True).exists()
    with pytest.raises(WorkflowError):
        workflow.nominate(proposal=bad, source="office", nominator="提案委", reason="理由", by=clerk)


def test_only_the_office_selects(clerk, meeting, agency_staff, agency):
    proposal = assigned_proposal(by=clerk, meeting=meeting, lead=agency)
    topic_ = topic(clerk=clerk, meeting=meeting)
    with pytest.raises(PermissionRefused):
        workflow.select_key_proposals(topic=topic_, proposals=[proposal], decision_body="chairs",
                                      decision_meeting="第十次主席会议", decided_on=DECIDED_ON, reason="理由",
                                      by=agency_staff)
    with pytest.raises(PermissionRefused):
        workflow.nominate(proposal=proposal, source="agency", nominator="市科技局", reason="理由", by=agency_staff)


def test_a_proposal_of_another_meeting_or_already_key_is_refused(clerk, meeting, other_meeting):
    lead = AgencyFactory()
    topic_, [key, *_] = key_proposals(clerk=clerk, meeting=meeting, lead=lead)
    elsewhere = accepted_proposal(by=clerk, meeting=other_meeting)
    for proposals, words in (([key.proposal], "已是重点提案"), ([elsewhere], "不属于本专题的会议")):
        with pytest.raises(WorkflowError) as refused:
            workflow.select_key_proposals(topic=topic_, proposals=proposals, decision_body="directors",
                                          decision_meeting="第三次主任会议", decided_on=DECIDED_ON, reason="理由", by=clerk)
        assert words in refused.value.zh


def test_removal_is_a_step_with_its_reason_and_the_decision_stays_on_record(clerk, meeting):
    topic_, [key, *_] = key_proposals(clerk=clerk, meeting=meeting, lead=AgencyFactory())
    with pytest.raises(WorkflowError):
        workflow.remove_key_proposal(key=key, reason="", by=clerk)
    workflow.remove_key_proposal(key=key, reason="问题已在年内解决，不再列为重点", by=clerk)
    key.refresh_from_db()
    assert (key.state, key.removal_reason) == (KeyProposal.State.REMOVED, "问题已在年内解决，不再列为重点")
    assert key.decision_meeting == "十四届第十次主席会议"
    assert not Proposal.objects.get(pk=key.proposal_id).is_key
    assert TopicEvent.objects.filter(topic=topic_, action=TopicEvent.Action.REMOVE,
                                     note="问题已在年内解决，不再列为重点").exists()
    with pytest.raises(WorkflowError):
        workflow.remove_key_proposal(key=key, reason="再次移出", by=clerk)
    # Once removed it may be selected again later, by a new decision.
    [again] = workflow.select_key_proposals(topic=topic_, proposals=[key.proposal], decision_body="chairs",
                                            decision_meeting="第十二次主席会议", decided_on=DECIDED_ON,
                                            reason="情况变化", by=clerk)
    assert again.state == KeyProposal.State.SELECTED


def test_the_select_step_on_the_topic_page_reads_numbers_and_refuses_unknown_ones(client, clerk, meeting):
    proposals = [accepted_proposal(by=clerk, meeting=meeting) for _ in range(3)]
    topic_ = topic(clerk=clerk, meeting=meeting)
    client.force_login(clerk)
    url = f"/admin/supervision/keytopic/{topic_.pk}/step/select/"
    form = {"decision_body": "chairs", "decision_meeting": "十四届第十次主席会议", "decided_on": "2026-03-20",
            "reason": "事关全市发展大局"}
    response = client.post(url, {**form, "numbers": "99999、" + proposals[0].number})
    assert response.status_code == 200 and "本次会议没有这些编号：99999" in response.content.decode()
    assert not KeyProposal.objects.exists()
    numbers = "、".join(p.number for p in proposals)
    response = client.post(url, {**form, "numbers": numbers})
    assert response.status_code == 302
    assert KeyProposal.objects.filter(topic=topic_).count() == 3
