"""The agencies' admin: drafting in the form, review steps, the refused second save, and agency
isolation (another agency's object answers as if it did not exist; a forged POST changes nothing)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from proposals import workflow as proposal_workflow
from proposals.models import Communication, Proposal
from replies import workflow
from replies.models import AssistingOpinion, CommunicationWaiver, Feedback, Reply
from tests.factories import MeetingFactory, assigned_proposal, assignment_of
from tests.replies.builders import hold_communication, letter, walk_reply

pytestmark = pytest.mark.django_db


def form_data(reply: Reply | None = None, **overrides) -> dict:
    values = letter()
    data = {
        "title": values["title"], "addressee": values["addressee"], "body": values["body"],
        "document_number": "", "signed_on": "", "contact_person": values["contact_person"],
        "contact_phone": values["contact_phone"], "category": values["category"], "disclosure": "public",
        "nondisclosure_reason": "", "_save": "保存",
    }
    if reply is not None:
        data["version"] = reply.version
    data.update(overrides)
    return data


MISSING = 999999


def assert_not_found(response, *secrets: str) -> None:
    """What the admin answers for an object that does not exist: 404, or its redirect home."""
    assert response.status_code in (302, 404), response.status_code
    if response.status_code == 302:
        assert response["Location"] == reverse("admin:index")
    content = response.content.decode()
    for secret in secrets:
        assert secret not in content


def assert_as_if_missing(client, url: str, pk: int, *secrets: str, post: dict | None = None) -> None:
    """The URL of an object the user may not see answers exactly as the same URL of an id that
    does not exist (e.g. the delete page's 403 for anyone without delete rights), showing nothing."""
    missing_url = url.replace(f"/{pk}/", f"/{MISSING}/")
    send = (lambda u: client.post(u, post)) if post is not None else client.get
    response, missing = send(url), send(missing_url)
    assert response.status_code == missing.status_code, (url, response.status_code, missing.status_code)
    assert response.status_code in (302, 403, 404), (url, response.status_code)
    if response.status_code == 302:
        assert response["Location"] == missing["Location"] == reverse("admin:index")
    content = response.content.decode()
    for secret in secrets:
        assert secret not in content


# --- drafting in the admin ----------------------------------------------------------------------


def test_staff_drafts_a_reply_from_the_assignment_page(client, assignment, held, agency_staff):
    client.force_login(agency_staff)
    page = client.get(reverse("admin:proposals_assignment_change", args=[assignment.pk])).content.decode()
    add_url = reverse("admin:replies_reply_add") + f"?assignment={assignment.pk}"
    assert add_url in page
    form = client.get(add_url).content.decode()
    assert "关于促进人工智能产业健康发展的提案" in form  # the proposal
    assert "张建山" in form and "李明华" in form  # its proposers
    days = (assignment.due_on - timezone.localdate()).days
    assert (f"剩{days}天" if days >= 0 else f"逾期{-days}天") in form  # the deadline and days left
    assert "当面座谈交流" in form  # the contact held
    assert "广州市科学技术局关于" in form and "张建山、李明华、王晓红委员" in form  # suggested title, addressee
    response = client.post(add_url, form_data(assignment=assignment.pk))
    assert response.status_code == 302, response.content.decode()[:3000]
    reply = Reply.objects.get()
    assert (reply.assignment, reply.drafted_by, reply.state) == (assignment, agency_staff, Reply.State.DRAFT)


def test_the_reply_forms_assignment_list_names_each_numbers_meeting(client, clerk, agency, assignment, held,
                                                                    agency_staff):
    later = MeetingFactory(term=15, session=2)
    again = assigned_proposal(by=clerk, lead=agency, meeting=later, number=assignment.proposal.number)
    hold_communication(proposal_workflow.sign_for_assignment(assignment=assignment_of(again, agency), by=agency_staff),
                       agency_staff)
    client.force_login(agency_staff)

    form = client.get(reverse("admin:replies_reply_add")).content.decode()

    choices = re.findall(r'<option value="\d+">([^<]*)</option>', form)
    assert {choice.split(" ")[0] for choice in choices} == {assignment.proposal.number_label, again.number_label}
    assert again.number_label == f"政协十五届二次会议第{again.number}号"


def test_draft_form_refusal_keeps_the_input_and_writes_nothing(client, assignment, agency_staff):
    client.force_login(agency_staff)
    add_url = reverse("admin:replies_reply_add") + f"?assignment={assignment.pk}"
    response = client.post(add_url, form_data(assignment=assignment.pk, disclosure="not_public", body="保留的正文"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "须说明理由" in content and "保留的正文" in content
    assert not Reply.objects.exists()


def test_second_save_of_the_same_version_is_refused_in_the_admin(client, draft, agency, agency_staff):
    from tests.factories import AgencyStaffUserFactory

    url = reverse("admin:replies_reply_change", args=[draft.pk])
    colleague = AgencyStaffUserFactory(agency=agency)
    client.force_login(agency_staff)
    assert client.post(url, form_data(draft, body="甲的修改")).status_code == 302
    client.force_login(colleague)
    response = client.post(url, form_data(draft, body="乙的修改"))  # opened at version 1 too
    assert response.status_code == 200
    content = response.content.decode()
    assert "已被他人修改" in content and "changed by someone else" not in content  # Chinese only
    assert "乙的修改" in content  # their text is still in the form, not lost
    draft.refresh_from_db()
    assert (draft.body, draft.version) == ("甲的修改", 2)


def test_submit_sign_off_and_send_as_step_pages(client, draft, agency_staff, agency_reviewer):
    client.force_login(agency_staff)
    change = client.get(reverse("admin:replies_reply_change", args=[draft.pk])).content.decode()
    submit_url = reverse("admin:replies_reply_step", args=[draft.pk, "submit"])
    assert submit_url in change
    assert client.post(submit_url, {"version": draft.version}).status_code == 302
    draft.refresh_from_db()
    assert draft.state == Reply.State.IN_REVIEW

    sign_url = reverse("admin:replies_reply_step", args=[draft.pk, "sign_off"])
    assert sign_url not in client.get(reverse("admin:replies_reply_change", args=[draft.pk])).content.decode()
    response = client.post(sign_url, {"version": draft.version, "document_number": "穗科函〔2022〕5号"})
    assert response.status_code == 200 and "负责人" in response.content.decode()  # refused: staff do not sign
    draft.refresh_from_db()
    assert draft.state == Reply.State.IN_REVIEW

    client.force_login(agency_reviewer)
    assert sign_url in client.get(reverse("admin:replies_reply_change", args=[draft.pk])).content.decode()
    assert client.post(sign_url, {"version": draft.version, "document_number": "穗科函〔2022〕5号",
                                  "signed_on": "2022-05-27"}).status_code == 302
    draft.refresh_from_db()
    assert (draft.state, draft.document_number, draft.signed_off_by) == (Reply.State.SIGNED, "穗科函〔2022〕5号",
                                                                         agency_reviewer)
    client.force_login(agency_staff)
    assert client.post(reverse("admin:replies_reply_step", args=[draft.pk, "send"]),
                       {"version": draft.version}).status_code == 302
    proposal = Proposal.objects.get(pk=draft.assignment.proposal_id)
    assert proposal.status == Proposal.Status.REPLIED


def test_a_step_from_a_stale_page_is_refused(client, in_review, agency_reviewer):
    client.force_login(agency_reviewer)
    url = reverse("admin:replies_reply_step", args=[in_review.pk, "sign_off"])
    response = client.post(url, {"version": in_review.version - 1})
    assert response.status_code == 200 and "已被他人修改" in response.content.decode()
    in_review.refresh_from_db()
    assert in_review.state == Reply.State.IN_REVIEW


def test_the_reply_form_shows_opinions_communications_and_earlier_rounds(
    client, clerk, agency, other_agency, agency_staff, agency_reviewer, other_agency_staff, members, proposer_users
):
    proposal = assigned_proposal(by=clerk, lead=agency, assisting=[other_agency], proposers=members)
    lead = proposal_workflow.sign_for_assignment(assignment=assignment_of(proposal, agency), by=agency_staff)
    assisting = proposal_workflow.sign_for_assignment(assignment=assignment_of(proposal, other_agency),
                                                      by=other_agency_staff)
    opinion = workflow.draft_assisting_opinion(assignment=assisting, by=other_agency_staff, body="建议设立专项资金。",
                                               document_number="穗教办理〔2022〕2号")
    workflow.send_assisting_opinion(opinion=opinion, by=other_agency_staff)
    walk_reply(lead, staff=agency_staff, reviewer=agency_reviewer, to="sent", title="第一轮答复函")
    for user in proposer_users:
        workflow.record_feedback(proposal=proposal, member=user.member, attitude="satisfied", result="unsatisfied",
                                 comments="资金问题未落实", by=user)
    second = workflow.draft_reply(assignment=lead, by=agency_staff, **letter(title="第二轮答复函"))
    client.force_login(agency_staff)
    page = client.get(reverse("admin:replies_reply_change", args=[second.pk])).content.decode()
    assert "建议设立专项资金。" in page and "穗教办理〔2022〕2号" in page  # the assisting opinion
    assert "当面座谈交流" in page  # the communication
    assert "第一轮答复函" in page and "资金问题未落实" in page  # the earlier round and its rating
    assert "第2轮办理" in page


def test_agency_downloads_the_signed_letter(client, signed, agency_staff):
    client.force_login(agency_staff)
    response = client.get(reverse("admin:replies_reply_docx", args=[signed.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    text = client.get(reverse("admin:replies_reply_text", args=[signed.pk]))
    assert text.status_code == 200 and "穗科函〔2022〕123号" in text.content.decode()


def test_a_draft_is_not_exported(client, draft, agency_staff):
    client.force_login(agency_staff)
    response = client.get(reverse("admin:replies_reply_docx", args=[draft.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("admin:replies_reply_change", args=[draft.pk])


# --- steps on assignment and proposal pages -------------------------------------------------------


def test_staff_plan_and_record_a_communication_from_the_assignment_page(client, assignment, agency_staff, members):
    client.force_login(agency_staff)
    plan = reverse("admin:proposals_assignment_step", args=[assignment.pk, "plan_communication"])
    response = client.post(plan, {"mode": "face_to_face", "date": "2026-04-14", "place": "市科技局",
                                  "members": [members[0].pk]})
    assert response.status_code == 302
    communication = Communication.objects.get()
    hold = reverse("admin:proposals_assignment_step", args=[assignment.pk, "hold_communication"])
    assert hold in client.get(reverse("admin:proposals_assignment_change", args=[assignment.pk])).content.decode()
    assert client.post(hold, {"communication": communication.pk, "outcome": "面商一致"}).status_code == 302
    communication.refresh_from_db()
    assert communication.state == Communication.State.HELD


def test_clerk_waives_the_communication_from_the_assignment_page(client, assignment, clerk):
    client.force_login(clerk)
    url = reverse("admin:proposals_assignment_step", args=[assignment.pk, "waive_communication"])
    assert url in client.get(reverse("admin:proposals_assignment_change", args=[assignment.pk])).content.decode()
    assert client.post(url, {"reason": "提出人要求书面答复"}).status_code == 302
    assert CommunicationWaiver.objects.get().assignment == assignment


def test_clerk_records_a_phone_rating_on_the_proposal_page(client, sent, clerk, members):
    client.force_login(clerk)
    proposal = sent.proposal
    url = reverse("admin:proposals_proposal_step", args=[proposal.pk, "record_feedback"])
    assert url in client.get(reverse("admin:proposals_proposal_change", args=[proposal.pk])).content.decode()
    response = client.post(url, {"member": members[0].pk, "attitude": "satisfied", "result": "basically_satisfied",
                                 "channel": "phone", "comments": "电话回访"})
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert (feedback.member, feedback.channel, feedback.recorded_by) == (members[0], "phone", clerk)


def test_the_feedback_page_names_who_recorded_it_not_their_login(client, sent, clerk, members):
    clerk.last_name, clerk.first_name = "王", "敏"
    clerk.save()
    feedback = workflow.record_feedback(proposal=sent.proposal, member=members[0], attitude="satisfied",
                                        result="satisfied", channel="phone", by=clerk)
    client.force_login(clerk)
    page = client.get(reverse("admin:replies_feedback_change", args=[feedback.pk])).content.decode()
    assert "王敏" in page and "/admin/auth/user/" not in page


def test_only_the_agencys_own_staff_are_offered_the_draft_button(client, assignment, held, clerk, agency_reviewer,
                                                                  agency_staff):
    add_url = reverse("admin:replies_reply_add") + f"?assignment={assignment.pk}"
    change_url = reverse("admin:proposals_assignment_change", args=[assignment.pk])
    list_url = reverse("admin:proposals_assignment_changelist")
    for user in (clerk, agency_reviewer):  # the add page would answer them 403
        client.force_login(user)
        assert add_url not in client.get(change_url).content.decode()
        assert add_url not in client.get(list_url).content.decode()
    client.force_login(agency_staff)
    assert add_url in client.get(list_url).content.decode()


# --- agency isolation ---------------------------------------------------------------------------


def reply_urls(reply: Reply) -> list[str]:
    urls = [reverse(f"admin:replies_reply_{view}", args=[reply.pk]) for view in ("change", "history", "delete",
                                                                               "docx", "text")]
    urls += [reverse("admin:replies_reply_step", args=[reply.pk, step])
             for step in ("submit", "return", "sign_off", "send", "publish", "withdraw_publication", "follow_up_done")]
    return urls


def test_every_url_of_another_agencys_reply_answers_not_found(client, signed, other_agency_staff, other_reviewer):
    for user in (other_agency_staff, other_reviewer):
        client.force_login(user)
        for url in reply_urls(signed):
            assert_as_if_missing(client, url, signed.pk, signed.title, signed.document_number)


def test_forged_posts_on_another_agencys_reply_change_nothing(client, in_review, other_agency_staff, other_reviewer):
    before = Reply.objects.filter(pk=in_review.pk).values().get()
    client.force_login(other_agency_staff)
    assert_not_found(client.post(reverse("admin:replies_reply_change", args=[in_review.pk]),
                                 form_data(in_review, body="篡改")))
    client.force_login(other_reviewer)
    for step in ("sign_off", "return", "send", "submit"):
        url = reverse("admin:replies_reply_step", args=[in_review.pk, step])
        assert_not_found(client.post(url, {"version": in_review.version, "comment": "退回"}))
    assert_as_if_missing(client, reverse("admin:replies_reply_delete", args=[in_review.pk]), in_review.pk,
                         post={"post": "yes"})
    assert Reply.objects.filter(pk=in_review.pk).values().get() == before


def test_the_add_form_refuses_another_agencys_assignment(client, assignment, held, other_agency_staff):
    client.force_login(other_agency_staff)
    url = reverse("admin:replies_reply_add") + f"?assignment={assignment.pk}"
    page = client.get(url).content.decode()
    assert "关于促进人工智能产业健康发展的提案" not in page  # no context panel for an object not theirs
    response = client.post(url, form_data(assignment=assignment.pk))
    assert response.status_code == 200
    assert not Reply.objects.exists()


def test_every_url_of_another_agencys_assignment_answers_not_found(client, assignment, other_agency_staff):
    client.force_login(other_agency_staff)
    title = assignment.proposal.title
    urls = [reverse(f"admin:proposals_assignment_{view}", args=[assignment.pk]) for view in ("change", "history")]
    urls += [reverse("admin:proposals_assignment_step", args=[assignment.pk, step]) for step in (
        "sign_for", "request_reassignment", "request_extension", "plan_communication", "hold_communication",
        "waive_communication", "decide_reassignment",
    )]
    urls.append(reverse("admin:proposals_proposal_change", args=[assignment.proposal_id]))
    for url in urls:
        assert_not_found(client.get(url), title)
    state = assignment.state
    assert_not_found(client.post(reverse("admin:proposals_assignment_step", args=[assignment.pk, "plan_communication"]),
                                 {"mode": "phone", "date": "2026-04-01"}))
    assignment.refresh_from_db()
    assert assignment.state == state and not Communication.objects.filter(agency__staff__user=other_agency_staff)


def test_communication_choices_name_only_the_agencys_own_contacts(
    client, clerk, agency, other_agency, agency_staff, other_agency_staff, members
):
    proposal = assigned_proposal(by=clerk, joint=[agency, other_agency], proposers=members)
    ours = proposal_workflow.sign_for_assignment(assignment=assignment_of(proposal, agency), by=agency_staff)
    theirs = proposal_workflow.sign_for_assignment(assignment=assignment_of(proposal, other_agency),
                                                   by=other_agency_staff)
    their_contact = proposal_workflow.plan_communication(assignment=theirs, by=other_agency_staff, mode="phone",
                                                         date=dt.date(2026, 4, 1))
    client.force_login(agency_staff)
    url = reverse("admin:proposals_assignment_step", args=[ours.pk, "hold_communication"])
    response = client.post(url, {"communication": their_contact.pk, "outcome": "冒名登记"})
    assert response.status_code == 200  # not a valid choice
    their_contact.refresh_from_db()
    assert their_contact.state == Communication.State.PLANNED


def test_every_url_of_another_agencys_opinion_answers_not_found(client, clerk, agency, other_agency,
                                                                 other_agency_staff, third_agency_staff, third_agency):
    proposal = assigned_proposal(by=clerk, lead=third_agency, assisting=[other_agency])
    assisting = proposal_workflow.sign_for_assignment(assignment=assignment_of(proposal, other_agency),
                                                      by=other_agency_staff)
    opinion = workflow.draft_assisting_opinion(assignment=assisting, by=other_agency_staff, body="会办意见草稿",
                                               title="机密的会办意见")
    client.force_login(third_agency_staff)  # the lead agency: drafts are not theirs to read
    for view in ("change", "history", "delete"):
        url = reverse(f"admin:replies_assistingopinion_{view}", args=[opinion.pk])
        assert_as_if_missing(client, url, opinion.pk, "机密的会办意见")
    assert_not_found(client.post(reverse("admin:replies_assistingopinion_step", args=[opinion.pk, "send"]),
                                 {"version": opinion.version}))
    opinion.refresh_from_db()
    assert opinion.state == AssistingOpinion.State.DRAFT
    # Once sent, the lead reads it (read-only); an uninvolved agency still does not.
    workflow.send_assisting_opinion(opinion=opinion, by=other_agency_staff)
    assert client.get(reverse("admin:replies_assistingopinion_change", args=[opinion.pk])).status_code == 200
    from tests.factories import AgencyStaffUserFactory

    client.force_login(AgencyStaffUserFactory())
    assert_not_found(client.get(reverse("admin:replies_assistingopinion_change", args=[opinion.pk])), "机密的会办意见")


def test_changelists_show_only_the_agencys_own_rows(client, clerk, agency, other_agency, agency_staff,
                                                    agency_reviewer, other_agency_staff, other_reviewer):
    ours = walk_reply(
        proposal_workflow.sign_for_assignment(
            assignment=assignment_of(assigned_proposal(by=clerk, lead=agency), agency), by=agency_staff),
        staff=agency_staff, reviewer=agency_reviewer, to="draft", title="本单位的答复函")
    theirs = walk_reply(
        proposal_workflow.sign_for_assignment(
            assignment=assignment_of(assigned_proposal(by=clerk, lead=other_agency, title="其他单位的提案"),
                                     other_agency), by=other_agency_staff),
        staff=other_agency_staff, reviewer=other_reviewer, to="draft", title="其他单位的答复函")
    client.force_login(agency_staff)
    replies = client.get(reverse("admin:replies_reply_changelist")).content.decode()
    assert ours.title in replies and theirs.title not in replies
    assignments = client.get(reverse("admin:proposals_assignment_changelist")).content.decode()
    assert "其他单位的提案" not in assignments
    client.force_login(clerk)
    replies = client.get(reverse("admin:replies_reply_changelist")).content.decode()
    assert ours.title in replies and theirs.title in replies


def test_a_shared_proposal_page_shows_an_agency_only_its_own_work(
    client, clerk, agency, other_agency, agency_staff, agency_reviewer, other_agency_staff, other_reviewer, members
):
    proposal = assigned_proposal(by=clerk, joint=[agency, other_agency], proposers=members)
    ours = proposal_workflow.sign_for_assignment(assignment=assignment_of(proposal, agency), by=agency_staff)
    theirs = proposal_workflow.sign_for_assignment(assignment=assignment_of(proposal, other_agency),
                                                   by=other_agency_staff)
    hold_communication(theirs, other_agency_staff)
    walk_reply(theirs, staff=other_agency_staff, reviewer=other_reviewer, to="in_review", title="教育局的答复草稿")
    client.force_login(agency_staff)
    page = client.get(reverse("admin:proposals_proposal_change", args=[proposal.pk])).content.decode()
    assert "教育局的答复草稿" not in page  # their reply's Events are not in our timeline
    assert "当面座谈交流" not in page  # nor their contact with the proposers
    assert reverse("admin:proposals_assignment_change", args=[theirs.pk]) not in page
    assert reverse("admin:proposals_assignment_change", args=[ours.pk]) in page


# --- list pages cost the same whatever their length ------------------------------------------------


def _replies(n, *, clerk, agency, staff, reviewer):
    for index in range(n):
        assignment = proposal_workflow.sign_for_assignment(
            assignment=assignment_of(assigned_proposal(by=clerk, lead=agency), agency), by=staff)
        walk_reply(assignment, staff=staff, reviewer=reviewer, to=("draft", "in_review", "sent")[index % 3],
                   title=f"答复函{index}")


@pytest.mark.parametrize("rows", [3, 30])
def test_reply_changelist_queries_do_not_grow_with_rows(client, rows, clerk, agency, agency_staff, agency_reviewer,
                                                        django_assert_max_num_queries):
    _replies(rows, clerk=clerk, agency=agency, staff=agency_staff, reviewer=agency_reviewer)
    for user in (agency_staff, clerk):
        client.force_login(user)
        with django_assert_max_num_queries(REPLY_CHANGELIST_QUERIES):
            response = client.get(reverse("admin:replies_reply_changelist"))
        assert response.status_code == 200
        assert response.content.decode().count('class="field-state"') == rows


@pytest.mark.parametrize("rows", [3, 30])
def test_assignment_changelist_queries_do_not_grow_with_rows(client, rows, clerk, agency, agency_staff,
                                                             agency_reviewer, django_assert_max_num_queries):
    _replies(rows, clerk=clerk, agency=agency, staff=agency_staff, reviewer=agency_reviewer)
    for user in (agency_staff, clerk):
        client.force_login(user)
        with django_assert_max_num_queries(ASSIGNMENT_CHANGELIST_QUERIES):
            response = client.get(reverse("admin:proposals_assignment_changelist"))
        assert response.status_code == 200
        assert response.content.decode().count('class="field-reply_or_opinion"') == rows


# Measured with 3 and with 30 rows, the same either way: 12 for agency staff and 11 for a clerk
# on the replies; 11 and 10 on the assignments (session, user, groups, agency, savepoints, the
# two counts, the page itself, the clerk's agency filter).
REPLY_CHANGELIST_QUERIES = 12
ASSIGNMENT_CHANGELIST_QUERIES = 11
