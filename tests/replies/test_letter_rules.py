"""Rules the journey showed missing (issue 13, item 5), on the letter side: 签发 needs a 文号 or the
agency's series fills it; the lead waits for its 会办 opinions unless the office waives one; the
letter prints real names and the agency's contact line; the .docx is named and described."""

from __future__ import annotations

import datetime as dt
import io
from contextlib import contextmanager

import pytest
from django.urls import reverse
from docx import Document

from proposals import workflow as proposal_workflow
from proposals.models import Event
from replies import documents, workflow
from replies.models import LetterSettings, OpinionWaiver, Reply
from tests.factories import assigned_proposal, assignment_of
from tests.replies.builders import hold_communication, letter, walk_reply
from tracker.errors import WorkflowError

pytestmark = pytest.mark.django_db


@contextmanager
def refused(code: str):
    """Refused with a clear Chinese message, and nothing written."""
    events, replies = Event.objects.count(), list(Reply.objects.order_by("pk").values())
    with pytest.raises(WorkflowError) as caught:
        yield caught
    assert caught.value.code == code, caught.value
    assert caught.value.zh and not caught.value.zh.isascii()
    assert Event.objects.count() == events
    assert list(Reply.objects.order_by("pk").values()) == replies


# --- 签发 needs a 文号 -----------------------------------------------------------------------------


def test_sign_off_without_a_number_is_refused_when_the_agency_has_no_series(in_review, agency_reviewer):
    with refused("document_number_required") as caught:
        workflow.sign_off_reply(reply=in_review, by=agency_reviewer)
    assert "文号" in caught.value.zh
    assert Reply.objects.get(pk=in_review.pk).state == Reply.State.IN_REVIEW


def test_the_agencys_series_numbers_its_letters_per_year(clerk, agency, agency_staff, agency_reviewer, in_review):
    LetterSettings.objects.create(agency=agency, number_prefix="穗科函")
    first = workflow.sign_off_reply(reply=in_review, by=agency_reviewer, signed_on=dt.date(2026, 5, 6))
    second_proposal = assigned_proposal(by=clerk, lead=agency)
    second = proposal_workflow.sign_for_assignment(assignment=assignment_of(second_proposal, agency), by=agency_staff)
    second = walk_reply(second, staff=agency_staff, reviewer=agency_reviewer, to="in_review",
                        title="第二份答复函", document_number="")
    second = workflow.sign_off_reply(reply=second, by=agency_reviewer, signed_on=dt.date(2026, 5, 7))

    assert (first.document_number, first.document_year) == ("穗科函〔2026〕1号", 2026)
    assert (second.document_number, second.document_year) == ("穗科函〔2026〕2号", 2026)


def test_the_series_continues_after_a_number_typed_by_hand(clerk, agency, agency_staff, agency_reviewer, in_review):
    LetterSettings.objects.create(agency=agency, number_prefix="穗科函")
    other = assigned_proposal(by=clerk, lead=agency)
    other = proposal_workflow.sign_for_assignment(assignment=assignment_of(other, agency), by=agency_staff)
    walk_reply(other, staff=agency_staff, reviewer=agency_reviewer, to="signed", document_number="穗科函〔2026〕41号")

    signed = workflow.sign_off_reply(reply=in_review, by=agency_reviewer, signed_on=dt.date(2026, 6, 1))

    assert signed.document_number == "穗科函〔2026〕42号"


def test_a_sign_off_refusal_reads_in_chinese_only_on_the_step_page(client, in_review, agency_reviewer):
    client.force_login(agency_reviewer)
    url = reverse("admin:replies_reply_step", args=[in_review.pk, "sign_off"])
    response = client.post(url, {"version": in_review.version, "document_number": ""})
    content = response.content.decode()
    assert response.status_code == 200
    assert "签发须填写文号" in content and "A document number is required" not in content
    assert "Version" not in content


# --- the lead waits for its 会办 opinions ----------------------------------------------------------


@pytest.fixture
def lead_with_assisting(clerk, agency, agency_staff, other_agency, members):
    proposal = assigned_proposal(by=clerk, lead=agency, assisting=[other_agency], proposers=members)
    lead = proposal_workflow.sign_for_assignment(assignment=assignment_of(proposal, agency), by=agency_staff)
    hold_communication(lead, agency_staff)
    return lead


def test_lead_cannot_submit_while_an_assisting_opinion_is_outstanding(lead_with_assisting, agency_staff,
                                                                      other_agency):
    draft = workflow.draft_reply(assignment=lead_with_assisting, by=agency_staff, **letter())
    with refused("opinion_outstanding") as caught:
        workflow.submit_reply(reply=draft, by=agency_staff)
    assert other_agency.name in caught.value.zh and "提案办同意" in caught.value.zh


def test_the_clerks_waiver_lets_the_lead_submit(lead_with_assisting, agency_staff, clerk, other_agency):
    draft = workflow.draft_reply(assignment=lead_with_assisting, by=agency_staff, **letter())
    assisting = assignment_of(lead_with_assisting.proposal, other_agency)

    workflow.waive_opinion(assignment=assisting, by=clerk, reason="会办意见逾期,经催办仍未提交")

    assert workflow.submit_reply(reply=draft, by=agency_staff).state == Reply.State.IN_REVIEW
    assert "不待" in Event.objects.latest("pk").note or Event.objects.filter(note__contains="不待").exists()


def test_only_the_office_waives_an_opinion(lead_with_assisting, agency_staff, other_agency):
    assisting = assignment_of(lead_with_assisting.proposal, other_agency)
    with refused("not_clerk"):
        workflow.waive_opinion(assignment=assisting, by=agency_staff, reason="不等了")
    assert not OpinionWaiver.objects.exists()


def test_an_opinion_sent_lets_the_lead_submit(lead_with_assisting, agency_staff, other_agency, other_agency_staff):
    assisting = proposal_workflow.sign_for_assignment(
        assignment=assignment_of(lead_with_assisting.proposal, other_agency), by=other_agency_staff
    )
    opinion = workflow.draft_assisting_opinion(assignment=assisting, by=other_agency_staff, body="同意主办单位意见。")
    workflow.send_assisting_opinion(opinion=opinion, by=other_agency_staff)
    draft = workflow.draft_reply(assignment=lead_with_assisting, by=agency_staff, **letter())

    assert workflow.submit_reply(reply=draft, by=agency_staff).state == Reply.State.IN_REVIEW


# --- names and contact lines ------------------------------------------------------------------------


def test_a_new_letter_starts_with_the_agencys_contact_line(client, assignment, agency, agency_staff):
    LetterSettings.objects.create(agency=agency, contact_person="杨欣卉", contact_phone="83124132")
    client.force_login(agency_staff)
    page = client.get(reverse("admin:replies_reply_add") + f"?assignment={assignment.pk}").content.decode()
    assert 'value="杨欣卉"' in page and 'value="83124132"' in page


def test_without_settings_a_new_letter_names_the_drafter_not_the_account(client, assignment, agency_staff):
    agency_staff.last_name, agency_staff.first_name = "陈", "晓"
    agency_staff.save(update_fields=["last_name", "first_name"])
    client.force_login(agency_staff)
    page = client.get(reverse("admin:replies_reply_add") + f"?assignment={assignment.pk}").content.decode()
    assert 'name="contact_person" value="陈晓"' in page


def test_the_letter_page_shows_drafter_and_signer_by_name(client, signed, agency_staff, agency_reviewer):
    for user, (last, first) in ((agency_staff, ("陈", "晓")), (agency_reviewer, ("刘", "强"))):
        user.last_name, user.first_name = last, first
        user.save(update_fields=["last_name", "first_name"])
    client.force_login(agency_staff)
    page = client.get(reverse("admin:replies_reply_change", args=[signed.pk])).content.decode()
    assert "陈晓" in page and "刘强" in page
    assert agency_reviewer.username not in page


# --- the .docx ----------------------------------------------------------------------------------------


def test_the_docx_is_named_after_its_number_and_carries_the_letters_properties(client, signed, agency_staff, agency):
    client.force_login(agency_staff)
    response = client.get(reverse("admin:replies_reply_docx", args=[signed.pk]))
    assert "%E7%A9%97%E7%A7%91%E5%87%BD" in response["Content-Disposition"]  # 穗科函, UTF-8 encoded
    assert "答复函" + str(signed.pk) not in response["Content-Disposition"]
    properties = Document(io.BytesIO(response.content)).core_properties
    assert (properties.title, properties.author) == (signed.title, agency.name)
    assert properties.created.date() == signed.signed_on == dt.date(2022, 5, 27)
    assert properties.last_modified_by == agency.name


def test_a_letter_without_a_number_is_named_after_its_proposal(signed):
    signed.document_number = ""  # an imported historical letter may have none
    assert documents.document_filename(signed, "docx") == f"{signed.proposal.number_label}提案答复函.docx"
    assert signed.proposal.number_label.startswith("政协十四届")  # two meetings both have this number
