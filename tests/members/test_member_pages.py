"""A member's own pages: the list, one proposal in full, the letter, and the rating form."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from replies.models import Feedback
from tests.factories import MemberUserFactory, ProposalFactory, assigned_proposal

pytestmark = pytest.mark.django_db

LIST = reverse("members:proposal-list")


def detail_url(proposal) -> str:
    return reverse("members:proposal-detail", args=[proposal.pk])


def test_anonymous_visitor_is_sent_to_the_login_page_and_back(client, proposal):
    response = client.get(detail_url(proposal))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('members:login')}?next={detail_url(proposal)}"


def test_login_page_is_chinese_and_signs_a_member_in(client, proposer_users, proposal):
    user = proposer_users[0]
    user.set_password("s3cret-pass")
    user.save()
    page = client.get(reverse("members:login"))
    assert "委员/代表登录" in page.content.decode()
    response = client.post(reverse("members:login"), {"username": user.username, "password": "s3cret-pass",
                                                      "next": detail_url(proposal)})
    assert response.status_code == 302 and response["Location"] == detail_url(proposal)


def test_wrong_password_is_refused_in_chinese(client, proposer_users):
    response = client.post(reverse("members:login"), {"username": proposer_users[0].username, "password": "x"})
    assert response.status_code == 200 and "账号或密码不正确" in response.content.decode()


def test_staff_account_is_told_the_page_is_for_members(client, agency_staff):
    client.force_login(agency_staff)
    response = client.get(LIST)
    assert response.status_code == 403 and "本页面供委员/代表本人查阅" in response.content.decode()


def test_list_shows_the_members_proposals_with_state_and_lead_agency(client, proposer_users, proposal, agency):
    other = assigned_proposal(by=proposal.events.first().actor, title="关于别人的提案")
    client.force_login(proposer_users[1])
    page = client.get(LIST).content.decode()
    assert proposal.title in page and "已交办" in page and f"主办：{agency.name}" in page
    assert other.title not in page


def test_list_costs_the_same_queries_for_one_proposal_or_twenty(client, django_assert_max_num_queries, clerk):
    user = MemberUserFactory()
    ProposalFactory(proposers=[user.member])
    client.force_login(user)
    with django_assert_max_num_queries(8) as one:
        assert client.get(LIST).status_code == 200
    for _ in range(19):
        ProposalFactory(proposers=[user.member])
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(LIST)
    assert response.content.decode().count('class="title"') == 20


def test_detail_shows_agencies_deadlines_and_timeline(client, proposer_users, proposal, agency):
    client.force_login(proposer_users[0])
    page = client.get(detail_url(proposal)).content.decode()
    assert agency.name in page and "主办" in page and "待签收" in page and "已逾期" in page  # due in June 2026
    assert "交办" in page and "立案" in page  # the timeline


def test_another_members_proposal_answers_404(client, proposal):
    stranger = MemberUserFactory()
    client.force_login(stranger)
    assert client.get(detail_url(proposal)).status_code == 404
    assert client.post(detail_url(proposal), {"attitude": "satisfied", "result": "satisfied"}).status_code == 404


def test_sent_letter_shows_on_the_page_with_its_docx_and_text(client, proposer_users, sent):
    client.force_login(proposer_users[0])
    page = client.get(detail_url(sent.assignment.proposal)).content.decode()
    assert sent.title in page and "穗科函〔2022〕123号" in page and "下载答复函（Word）" in page
    docx = client.get(reverse("members:reply-docx", args=[sent.pk]))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    text = client.get(reverse("members:reply-text", args=[sent.pk]))
    assert text.status_code == 200 and "收悉" in text.content.decode()


def test_another_members_letter_answers_404(client, sent):
    client.force_login(MemberUserFactory())
    assert client.get(reverse("members:reply-docx", args=[sent.pk])).status_code == 404
    assert client.get(reverse("members:reply-text", args=[sent.pk])).status_code == 404


def test_member_rates_the_reply(client, proposer_users, sent):
    client.force_login(proposer_users[0])
    proposal = sent.assignment.proposal
    assert "提交评价" in client.get(detail_url(proposal)).content.decode()
    response = client.post(detail_url(proposal), {"attitude": "satisfied", "result": "basically_satisfied",
                                                  "comments": "感谢"})
    assert response.status_code == 302
    feedback = Feedback.objects.get(proposal=proposal, member=proposer_users[0].member)
    assert (feedback.attitude, feedback.result, feedback.comments) == ("satisfied", "basically_satisfied", "感谢")
    page = client.get(detail_url(proposal)).content.decode()
    assert "评价已提交" in page and "提交评价" not in page and "基本满意" in page


def test_rating_before_the_reply_is_refused_in_chinese_and_writes_nothing(client, proposer_users, proposal):
    client.force_login(proposer_users[0])
    response = client.post(detail_url(proposal), {"attitude": "satisfied", "result": "satisfied"})
    assert response.status_code == 400
    assert "本轮答复送达后方可评价" in response.content.decode()
    assert not Feedback.objects.exists()


def test_rating_twice_is_refused_and_keeps_the_first(client, proposer_users, sent):
    client.force_login(proposer_users[0])
    proposal = sent.assignment.proposal
    client.post(detail_url(proposal), {"attitude": "satisfied", "result": "satisfied"})
    response = client.post(detail_url(proposal), {"attitude": "unsatisfied", "result": "unsatisfied"})
    assert response.status_code == 400 and "已对第1轮办理作出评价" in response.content.decode()
    assert list(Feedback.objects.values_list("result", flat=True)) == ["satisfied"]


@pytest.mark.parametrize("data", [{}, {"attitude": "great", "result": "satisfied"}, {"attitude": "satisfied"}])
def test_incomplete_or_unknown_rating_is_refused_in_chinese(client, proposer_users, sent, data):
    client.force_login(proposer_users[0])
    response = client.post(detail_url(sent.assignment.proposal), data)
    assert response.status_code == 400
    text = response.content.decode()
    assert "请选择" in text or "选择一个有效的选项" in text
    assert not Feedback.objects.exists()


def test_member_chooses_a_daily_mail_digest(client, proposer_users):
    from notifications.preferences import email_delivery_of

    user = proposer_users[0]
    client.force_login(user)
    page = client.get(reverse("notice-settings"))
    assert page.status_code == 200 and "每天汇总一封" in page.content.decode()
    assert client.post(reverse("notice-settings"), {"email": "daily"}).status_code == 302
    assert email_delivery_of(user) == "daily"
    refused = client.post(reverse("notice-settings"), {"email": "weekly"})
    assert refused.status_code == 400 and "选择一个有效的选项" in refused.content.decode()
    assert email_delivery_of(user) == "daily"


def test_the_timeline_writes_its_times_as_chinese_dates_like_the_rest_of_the_page(client, proposer_users, proposal):
    client.force_login(proposer_users[0])
    page = client.get(detail_url(proposal)).content.decode()
    at = timezone.localtime(proposal.events.order_by("at").first().at)
    assert f"{at.year}年{at.month}月{at.day}日 {at:%H:%M}" in page and f"{at:%Y-%m-%d %H:%M}" not in page


# --- issue 23 items 9 and 10: deadlines and the timeline as a member reads them ----------------


@pytest.fixture
def rated_with_open_opinion(clerk, agency, agency_staff, agency_reviewer, other_agency, proposer_users):
    """Lead replied without the assisting agency's opinion (the office waived it); its one proposer rated."""
    from proposals import workflow as proposal_workflow
    from replies import workflow
    from tests.factories import assignment_of
    from tests.replies.builders import walk_reply

    proposal = assigned_proposal(by=clerk, lead=agency, assisting=[other_agency], proposers=[proposer_users[0].member])
    lead = proposal_workflow.sign_for_assignment(assignment=assignment_of(proposal, agency), by=agency_staff)
    workflow.waive_opinion(assignment=assignment_of(proposal, other_agency), by=clerk, reason="经催办仍未提交")
    walk_reply(lead, staff=agency_staff, reviewer=agency_reviewer, to="sent")
    workflow.record_feedback(proposal=proposal, member=proposer_users[0].member, attitude="satisfied",
                             result="satisfied", by=proposer_users[0])
    proposal.refresh_from_db()
    return proposal


def test_a_rated_proposal_shows_no_deadline_though_an_assisting_opinion_is_still_open(
        client, proposer_users, rated_with_open_opinion, other_agency):
    assert assignment_of_open(rated_with_open_opinion, other_agency)
    client.force_login(proposer_users[0])
    page = client.get(LIST).content.decode()
    assert "已评价" in page and "逾期" not in page and "期限：" not in page
    detail = client.get(detail_url(rated_with_open_opinion)).content.decode()
    assert "已逾期" not in detail


def test_the_list_and_the_api_give_the_reply_deadline_not_the_opinion_date(client, clerk, agency, other_agency,
                                                                           proposer_users):
    from rest_framework.test import APIClient

    from proposals.models import Assignment

    proposal = assigned_proposal(by=clerk, lead=agency, assisting=[other_agency],
                                 proposers=[user.member for user in proposer_users])
    lead = proposal.assignments.get(role=Assignment.Role.LEAD)
    opinion = proposal.assignments.get(role=Assignment.Role.ASSISTING)
    assert opinion.due_on < lead.due_on
    api = APIClient()
    api.force_authenticate(proposer_users[0])
    [row] = api.get("/api/v1/proposals/").json()["results"]
    assert row["next_due_on"] == lead.due_on.isoformat()
    client.force_login(proposer_users[0])
    page = client.get(LIST).content.decode()
    assert f"期限：{lead.due_on.year}年{lead.due_on.month}月{lead.due_on.day}日" in page


def test_the_timeline_shows_each_milestone_once_with_one_date_format(client, proposer_users, rated_with_open_opinion):
    import re

    client.force_login(proposer_users[0])
    page = client.get(detail_url(rated_with_open_opinion)).content.decode()
    timeline = page[page.index('<ol class="timeline">'):]
    entries = re.findall(r"</time>([^<·]+)", timeline)
    for label in ("签收", "答复", "评价"):
        assert sum(1 for entry in entries if entry.strip() == label) == 1, (label, entries)
    assert not re.search(r"\d{4}-\d\d-\d\d", re.sub(r'datetime="[^"]*"', "", timeline))
    assert "全体提出人已评价" in timeline  # the proposal's change of state is kept, inside its milestone


def assignment_of_open(proposal, agency) -> bool:
    return proposal.assignments.get(agency=agency).is_open


def test_the_proposal_page_names_its_meeting_with_the_number_and_marks_the_lead_in_full_width(
        client, proposer_users, proposal):
    """Every meeting numbers from 1 again: the number is never shown bare, and official Chinese
    brackets the lead proposer as （领衔）."""
    client.force_login(proposer_users[1])
    page = client.get(detail_url(proposal)).content.decode()
    label = f"{proposal.meeting.short_name}第{proposal.number}号"
    assert f"<h1>{label}提案《{proposal.title}》</h1>" in page
    assert f"<title>{label}提案" in page
    lead = proposal.proposers.get(is_lead=True).member.name
    assert f"{lead}（领衔）" in page and "(领衔)" not in page
