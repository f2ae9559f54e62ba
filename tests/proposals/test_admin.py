"""The clerks' admin: registering, workflow steps, deadlines at a glance, and fixed query counts."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from proposals.models import Assignment, Event, Proposal
from tests.factories import (
    AgencyFactory,
    MeetingFactory,
    MemberFactory,
    accepted_proposal,
    assigned_proposal,
    assignment_of,
    registered_proposal,
)
from tracker.models import CalendarYear

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:proposals_proposal_changelist")
ASSIGNMENT_PAGE_QUERIES = 14
# +1 since key proposals: the sidebar asks which agency the user works for (an agency sees its own)
EXTENSION_LIST_QUERIES = 9


def change_url(proposal):
    return reverse("admin:proposals_proposal_change", args=[proposal.pk])


def step_url(proposal, step):
    return reverse("admin:proposals_proposal_step", args=[proposal.pk, step])


def inline_management(prefix, total=0, initial=0):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}


def registration_post(meeting, members, leads):
    data = {"meeting": meeting.pk, "kind": "proposal", "number": "3001", "title": "关于发展自动驾驶产业的提案",
            "body": "建议加快自动驾驶道路测试。", "category": "science", "submitted_on": "2026-01-12",
            **inline_management("proposers", total=len(members)),
            **inline_management("assignments"), **inline_management("communications")}
    for index, member in enumerate(members):
        data[f"proposers-{index}-order"] = str(index + 1)
        data[f"proposers-{index}-member"] = str(member.pk)
        if index in leads:
            data[f"proposers-{index}-is_lead"] = "on"
    return data


def test_clerk_registers_joint_proposal_in_admin(client, clerk, meeting):
    members = [MemberFactory(name=name) for name in ("张建山", "李明华")]
    client.force_login(clerk)

    response = client.post(reverse("admin:proposals_proposal_add"), registration_post(meeting, members, leads={0}))

    assert response.status_code == 302
    proposal = Proposal.objects.get(meeting=meeting, number="3001")
    assert proposal.status == Proposal.Status.SUBMITTED
    assert [(p.member.name, p.is_lead) for p in proposal.proposers.all()] == [("张建山", True), ("李明华", False)]
    assert list(proposal.events.values_list("action", flat=True)) == [Event.Action.REGISTER]


def test_registration_with_two_lead_proposers_is_refused_and_writes_nothing(client, clerk, meeting):
    members = [MemberFactory(), MemberFactory()]
    client.force_login(clerk)

    response = client.post(reverse("admin:proposals_proposal_add"), registration_post(meeting, members, leads={0, 1}))

    assert response.status_code == 200
    assert "只能指定一位领衔人" in response.content.decode()
    assert not Proposal.objects.filter(number="3001").exists()


def test_assign_step_creates_assignments_with_deadlines(client, clerk):
    proposal = accepted_proposal(by=clerk)
    lead, assisting = AgencyFactory(), AgencyFactory()
    client.force_login(clerk)

    response = client.post(step_url(proposal, "assign"),
                           {"lead": lead.pk, "assisting": [assisting.pk], "on": "2026-03-02"})

    assert response.status_code == 302
    roles = dict(proposal.assignments.values_list("agency_id", "role"))
    assert roles == {lead.pk: "lead", assisting.pk: "assisting"}
    # 3 months after 2 March 2026 is 2 June 2026, a Tuesday and a working day.
    assert proposal.assignments.get(agency=lead).due_on == dt.date(2026, 6, 2)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ASSIGNED


def test_second_assign_shows_error_and_writes_nothing(client, clerk):
    proposal = assigned_proposal(by=clerk)
    client.force_login(clerk)
    events_before = Event.objects.count()

    response = client.post(step_url(proposal, "assign"), {"lead": AgencyFactory().pk}, follow=True)

    assert "不能办理此操作" in response.content.decode()
    assert proposal.assignments.count() == 1
    assert Event.objects.count() == events_before


def test_not_accept_step_requires_reason(client, clerk, ground):
    proposal = registered_proposal(by=clerk)
    client.force_login(clerk)

    response = client.post(step_url(proposal, "not_accept"), {"ground": ground.pk, "reason": ""})

    assert response.status_code == 200
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED


def test_proposal_page_shows_timeline_and_offered_steps(client, clerk):
    proposal = accepted_proposal(by=clerk, title="关于人工智能产业的提案")
    client.force_login(clerk)

    page = client.get(change_url(proposal)).content.decode()

    assert "登记" in page and "立案" in page  # timeline rows
    assert "<td>已立案</td>" in page  # the state it moved to, as the office names it
    assert f"/admin/notifications/notification/?proposal={proposal.pk}" in page
    assert step_url(proposal, "assign") in page
    assert step_url(proposal, "accept") not in page


def test_overdue_filter_lists_only_late_proposals(client, clerk):
    late = assigned_proposal(by=clerk, on=dt.date(2025, 1, 6), title="逾期的提案")
    on_time = assigned_proposal(by=clerk, on=dt.date.today(), title="未到期的提案")
    client.force_login(clerk)

    page = client.get(CHANGELIST, {"deadline": "overdue"}).content.decode()

    assert late.title in page
    assert on_time.title not in page
    assert "逾期" in page


def test_agency_staff_see_only_their_agencys_proposals(client, clerk, agency, agency_staff, other_agency):
    own = assigned_proposal(by=clerk, lead=agency, title="本单位主办的提案")
    other = assigned_proposal(by=clerk, lead=other_agency, title="其他单位主办的提案")
    client.force_login(agency_staff)

    page = client.get(CHANGELIST).content.decode()

    assert own.title in page and other.title not in page
    response = client.get(change_url(other))
    assert response.status_code in (302, 404)
    assert other.title not in client.get(change_url(other), follow=True).content.decode()


def test_saving_a_2027_schedule_makes_deadlines_final(client, clerk):
    proposal = assigned_proposal(by=clerk, on=dt.date(2026, 11, 2))  # due 2 Feb 2027: unknown year
    assignment = proposal.assignments.get()
    assert assignment.due_provisional
    client.force_login(clerk)

    response = client.post(reverse("admin:tracker_calendaryear_add"), {
        "year": "2027", "note": "2027年节假日安排",
        **inline_management("days", total=1),
        "days-0-date": "2027-02-02", "days-0-name": "春节",  # is_workday unticked: a holiday
    })

    assert response.status_code == 302
    assert CalendarYear.objects.filter(year=2027).exists()
    assignment.refresh_from_db()
    assert not assignment.due_provisional
    assert assignment.due_on == dt.date(2027, 2, 3)  # the holiday pushes it to the next working day
    assert proposal.events.filter(action=Event.Action.RECOMPUTE_DEADLINE).exists()


@pytest.mark.parametrize("rows", [3, 30])
def test_changelist_costs_fixed_queries(client, clerk, rows, django_assert_max_num_queries):
    agency = AgencyFactory()
    for _ in range(rows):
        assigned_proposal(by=clerk, lead=agency, assisting=[AgencyFactory()],
                          proposers=[MemberFactory(), MemberFactory()])
    client.force_login(clerk)

    with django_assert_max_num_queries(12):
        response = client.get(CHANGELIST)

    assert response.status_code == 200
    assert response.content.decode().count('class="field-lead_agency"') == rows


def test_search_finds_words_in_the_text_and_proposers_names_in_fixed_queries(
        client, clerk, django_assert_max_num_queries):
    """The search box reads the title, the body and the proposers' names; every word must be found
    in one of them (here 养老 in the text and 张建山 among the proposers)."""
    zhang = MemberFactory(name="张建山")
    both = registered_proposal(by=clerk, title="关于社区养老服务的提案", proposers=[zhang])
    text_only = registered_proposal(by=clerk, title="关于发展社区养老的提案", proposers=[MemberFactory()])
    registered_proposal(by=clerk, title="关于公共交通的提案", proposers=[MemberFactory(name="张建山之友")])
    client.force_login(clerk)

    with django_assert_max_num_queries(12):
        response = client.get(CHANGELIST, {"q": "养老 张建山"})

    page = response.content.decode()
    assert both.title in page and text_only.title not in page and "公共交通" not in page
    assert text_only.title in client.get(CHANGELIST, {"q": "养老"}).content.decode()


def test_a_search_matching_more_than_the_limit_reads_more_than(client, clerk, monkeypatch):
    """A common word is counted up to a limit (超过…), not through every body in the archive; the
    list still shows the matches."""
    from proposals.admin import ProposalAdmin
    from tracker.paginators import SearchCountPaginator

    monkeypatch.setattr(SearchCountPaginator, "limit", 2)
    monkeypatch.setattr(ProposalAdmin, "list_per_page", 1)
    titles = [registered_proposal(by=clerk, title=f"关于社区养老第{n}项的提案").title for n in range(3)]
    registered_proposal(by=clerk, title="关于公共交通的提案")
    client.force_login(clerk)

    page = client.get(CHANGELIST, {"q": "养老"}).content.decode()

    assert "超过2" in page and sum(title in page for title in titles) == 1 and "公共交通" not in page
    assert "超过" not in client.get(CHANGELIST, {"q": "交通"}).content.decode()


def test_an_agency_assignment_page_costs_the_same_before_and_after_its_contact(client, clerk, agency, agency_staff,
                                                                             django_assert_num_queries):
    """Signed-for lead work, without a contact, with one planned and with one held: what the page
    offers differs (安排沟通, 记录沟通, 更正沟通), the queries it costs do not."""
    from proposals import workflow as proposal_workflow
    from tests.replies.builders import hold_communication

    def signed():
        proposal = assigned_proposal(by=clerk, lead=agency)
        return proposal_workflow.sign_for_assignment(assignment=assignment_of(proposal, agency), by=agency_staff)

    bare, held = signed(), signed()
    hold_communication(held, agency_staff)
    client.force_login(agency_staff)
    for assignment in (bare, held):
        url = reverse("admin:proposals_assignment_change", args=[assignment.pk])
        client.get(url)
        with django_assert_num_queries(ASSIGNMENT_PAGE_QUERIES):
            assert client.get(url).status_code == 200


@pytest.mark.parametrize("n", [1, 4])
def test_the_extension_list_costs_the_same_for_one_request_as_for_many(client, clerk, agency, agency_staff, n,
                                                                       django_assert_num_queries):
    from proposals import workflow as proposal_workflow

    for _ in range(n):
        proposal = assigned_proposal(by=clerk, lead=agency, meeting=MeetingFactory())
        assignment = proposal_workflow.sign_for_assignment(assignment=assignment_of(proposal, agency), by=agency_staff)
        proposal_workflow.request_extension(assignment=assignment, until=assignment.due_on + dt.timedelta(days=30),
                                            reason="需跨部门协调", by=agency_staff)
    client.force_login(clerk)
    url = reverse("admin:proposals_extension_changelist")
    client.get(url)
    with django_assert_num_queries(EXTENSION_LIST_QUERIES):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("size", [1, 12])
def test_proposal_page_costs_fixed_queries(client, clerk, size, django_assert_max_num_queries):
    proposal = assigned_proposal(by=clerk, proposers=[MemberFactory() for _ in range(size)],
                                 assisting=[AgencyFactory() for _ in range(size)])
    client.force_login(clerk)

    with django_assert_max_num_queries(18):
        response = client.get(change_url(proposal))

    assert response.status_code == 200
    assert Assignment.objects.filter(proposal=proposal).count() == size + 1


def test_agency_staff_cannot_open_a_clerks_step_on_their_own_proposal(client, clerk, agency, agency_staff):
    own = assigned_proposal(by=clerk, lead=agency)
    registered_proposal(by=clerk, meeting=own.meeting, title="尚未交办的其他提案")
    client.force_login(agency_staff)

    response = client.get(step_url(own, "merge"))

    assert response.status_code == 404
    assert "尚未交办的其他提案" not in response.content.decode()


def test_moving_the_lead_to_another_proposer_saves(client, clerk, meeting):
    first, second = MemberFactory(name="甲委员"), MemberFactory(name="乙委员")
    proposal = registered_proposal(by=clerk, meeting=meeting, proposers=[first, second])
    rows = list(proposal.proposers.order_by("order"))
    client.force_login(clerk)
    data = {"meeting": meeting.pk, "kind": "proposal", "number": proposal.number, "title": proposal.title,
            "body": "", "category": "other", "submitted_on": "2026-01-12",
            **inline_management("proposers", total=2, initial=2),
            **inline_management("assignments"), **inline_management("communications")}
    for index, row in enumerate(rows):
        data.update({f"proposers-{index}-id": row.pk, f"proposers-{index}-proposal": proposal.pk,
                     f"proposers-{index}-order": row.order, f"proposers-{index}-member": row.member_id})
    data["proposers-1-is_lead"] = "on"  # the lead moves from 甲 to 乙

    response = client.post(change_url(proposal), data)

    assert response.status_code == 302
    assert proposal.proposers.get(is_lead=True).member == second


def test_refer_step_with_an_overlong_target_is_a_form_error(client, clerk):
    proposal = registered_proposal(by=clerk)
    client.force_login(clerk)

    response = client.post(step_url(proposal, "refer"), {"to": "转" * 201})

    assert response.status_code == 200
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED


def test_assign_step_refuses_an_impossible_date(client, clerk):
    proposal = accepted_proposal(by=clerk)
    client.force_login(clerk)

    response = client.post(step_url(proposal, "assign"), {"lead": AgencyFactory().pk, "on": "9999-12-31"})

    assert response.status_code == 200
    assert "交办日期" in response.content.decode()
    assert not proposal.assignments.exists()


def test_provisional_warning_counts_only_the_users_own_work(client, clerk, agency, agency_staff, other_agency):
    assigned_proposal(by=clerk, lead=other_agency, on=dt.date(2026, 11, 2))  # provisional, not theirs
    client.force_login(agency_staff)

    page = client.get(CHANGELIST).content.decode()

    assert "期限为暂定" not in page


def test_a_day_outside_the_year_is_refused(client, clerk):
    client.force_login(clerk)

    response = client.post(reverse("admin:tracker_calendaryear_add"), {
        "year": "2027", **inline_management("days", total=1), "days-0-date": "2028-01-03", "days-0-name": "元旦",
    })

    assert response.status_code == 200
    assert "不在2027年内" in response.content.decode()
    assert not CalendarYear.objects.exists()


def test_agency_sees_and_filters_by_its_own_deadlines_only(client, clerk, agency, agency_staff, other_agency):
    # 40 days after assignment: the assisting agency's 1-month opinion is late, the lead's reply is not.
    proposal = assigned_proposal(by=clerk, lead=agency, assisting=[other_agency],
                                 on=dt.date.today() - dt.timedelta(days=40), title="主办按期办理的提案")

    client.force_login(agency_staff)
    assert proposal.title not in client.get(CHANGELIST, {"deadline": "overdue"}).content.decode()
    deadline_cell = re.search(r'field-next_deadline">(.*?)</td>', client.get(CHANGELIST).content.decode()).group(1)
    assert "剩" in deadline_cell and "逾期" not in deadline_cell

    client.force_login(clerk)
    assert proposal.title in client.get(CHANGELIST, {"deadline": "overdue"}).content.decode()


def test_correcting_the_title_is_recorded_on_the_timeline(client, clerk, meeting):
    proposal = accepted_proposal(by=clerk, meeting=meeting, title="关于发展智能网联汽车的提按")
    client.force_login(clerk)
    data = {"title": "关于发展智能网联汽车的提案", "body": "", "category": "other",
            **inline_management("proposers", total=0, initial=0),
            **inline_management("assignments"), **inline_management("communications")}

    response = client.post(change_url(proposal), data)

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.title == "关于发展智能网联汽车的提案"
    assert proposal.events.get(action=Event.Action.EDIT).note == "修改：案由"


def test_assign_step_offers_and_accepts_only_the_meetings_regions_agencies(client, clerk):
    proposal = accepted_proposal(by=clerk)  # a 广州市 meeting
    own, elsewhere = AgencyFactory(name="广州市交通运输局"), AgencyFactory(name="成都市交通运输局", region="成都市")
    client.force_login(clerk)

    page = client.get(step_url(proposal, "assign")).content.decode()
    found = client.get(reverse("admin:autocomplete"), {
        "app_label": "proposals", "model_name": "assignment", "field_name": "agency", "term": "交通运输局",
        "region": "广州市",
    }).json()
    refused = client.post(step_url(proposal, "assign"), {"lead": elsewhere.pk, "on": "2026-03-02"})

    assert "region=%E5%B9%BF%E5%B7%9E%E5%B8%82" in page  # the autocomplete asks for 广州市's agencies
    assert [row["text"] for row in found["results"]] == [own.name]
    assert refused.status_code == 200 and "lead" in refused.context["form"].errors
    assert not proposal.assignments.exists()


def test_assignment_list_writes_the_deadline_as_it_writes_the_other_dates(client, clerk, agency):
    proposal = assigned_proposal(by=clerk, lead=agency)
    due = assignment_of(proposal, agency).due_on
    client.force_login(clerk)
    page = client.get(reverse("admin:proposals_assignment_changelist")).content.decode()
    assert f"{due.year}年{due.month}月{due.day}日" in page and due.isoformat() not in page


def test_read_only_assignment_page_offers_close_not_a_save_that_saves_nothing(client, clerk, agency):
    proposal = assigned_proposal(by=clerk, lead=agency)
    client.force_login(clerk)
    page = client.get(reverse("admin:proposals_assignment_change", args=[assignment_of(proposal, agency).pk]))
    content = page.content.decode()
    assert page.status_code == 200 and 'name="_save"' not in content and 'name="_continue"' not in content
    assert "关闭" in content


def test_the_assignment_page_is_titled_for_reading_and_says_a_deadline_is_provisional_in_words(
        client, clerk, agency, agency_staff):
    proposal = assigned_proposal(by=clerk, lead=agency, on=dt.date(2026, 11, 2))  # due in 2027: provisional
    assignment = proposal.assignments.get()
    client.force_login(agency_staff)

    page = client.get(reverse("admin:proposals_assignment_change", args=[assignment.pk])).content.decode()

    assert "<h1>查看交办</h1>" in page and "修改 交办" not in page
    provisional = re.search(r'field-provisional_text.*?<div class="readonly">(.*?)</div>', page, re.S).group(1)
    assert provisional.startswith("是（2027年节假日安排尚未公布") and "icon-yes" not in provisional
