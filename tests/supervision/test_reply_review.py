"""The configurable extra step: a key proposal's signed-off reply waits for the office's approval
before the agency sends it; other letters, or an office that switched it off, go as before."""

from __future__ import annotations

import pytest

from proposals import workflow as proposal_workflow
from replies import workflow as reply_workflow
from replies.models import Reply
from supervision import workflow
from supervision.models import ReplyReview, SupervisionSettings
from tests.factories import AgencyReviewerUserFactory, assigned_proposal, assignment_of
from tests.replies.builders import walk_reply
from tests.supervision.builders import key_proposals
from tracker.errors import PermissionRefused, WorkflowError

pytestmark = pytest.mark.django_db


def signed_letter(proposal, agency, staff):
    assignment = proposal_workflow.sign_for_assignment(assignment=assignment_of(proposal, agency), by=staff)
    return walk_reply(assignment, staff=staff, reviewer=AgencyReviewerUserFactory(agency=agency), to="signed")


def test_a_key_reply_is_not_sent_before_the_office_approves_it(client, clerk, meeting, agency, agency_staff):
    _topic, [key] = key_proposals(clerk=clerk, meeting=meeting, lead=agency, n=1)
    reply = signed_letter(key.proposal, agency, agency_staff)
    with pytest.raises(WorkflowError) as refused:
        reply_workflow.send_reply(reply=reply, by=agency_staff)
    assert refused.value.zh == "重点提案的答复函须经提案办审核同意后方可送达"
    assert Reply.objects.get(pk=reply.pk).state == Reply.State.SIGNED

    client.force_login(clerk)
    start = client.get("/admin/").content.decode()
    assert 'id="wb-key_replies_to_review"' in start and f"/admin/supervision/replyreview/add/?reply={reply.pk}" in start
    response = client.post(f"/admin/supervision/replyreview/add/?reply={reply.pk}", {"reply": reply.pk,
                                                                                     "note": "同意送达"})
    assert response.status_code == 302
    assert ReplyReview.objects.get().version == reply.version
    sent = reply_workflow.send_reply(reply=Reply.objects.get(pk=reply.pk), by=agency_staff)
    assert sent.state == Reply.State.SENT


def test_other_letters_and_an_office_without_the_step_send_as_before(clerk, meeting, agency, agency_staff):
    plain = assigned_proposal(by=clerk, meeting=meeting, lead=agency)
    assert reply_workflow.send_reply(reply=signed_letter(plain, agency, agency_staff), by=agency_staff).state == "sent"
    SupervisionSettings.objects.update_or_create(pk=1, defaults={"reply_review_required": False})
    _topic, [key] = key_proposals(clerk=clerk, meeting=meeting, lead=agency, n=1)
    assert reply_workflow.send_reply(reply=signed_letter(key.proposal, agency, agency_staff),
                                     by=agency_staff).state == "sent"


def test_only_the_office_approves_and_only_a_signed_key_letter(clerk, meeting, agency, agency_staff):
    _topic, [key] = key_proposals(clerk=clerk, meeting=meeting, lead=agency, n=1)
    reply = signed_letter(key.proposal, agency, agency_staff)
    with pytest.raises(PermissionRefused):
        workflow.approve_reply(reply=reply, by=agency_staff)
    plain = assigned_proposal(by=clerk, meeting=meeting, lead=agency)
    with pytest.raises(WorkflowError) as refused:
        workflow.approve_reply(reply=signed_letter(plain, agency, agency_staff), by=clerk)
    assert refused.value.zh == "该答复函不属于重点提案，无需审核"
    workflow.approve_reply(reply=reply, by=clerk)
    with pytest.raises(WorkflowError):
        workflow.approve_reply(reply=reply, by=clerk)
    assert ReplyReview.objects.count() == 1
