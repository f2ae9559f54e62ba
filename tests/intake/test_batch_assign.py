"""The 交办会 in batches: an admin action on selected proposals, and the imported 交办 list."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.admin import helpers
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.urls import reverse

from intake.services.assignment_import import import_assignments, preview_assignment_import
from proposals.models import AgencyAlias, Assignment, Event, Proposal
from proposals.workflow import assign_proposal
from tests.factories import ASSIGNED_ON, AgencyFactory, AgencyStaffUserFactory, accepted_proposal, registered_proposal
from tests.intake.sheets import xlsx
from tracker.errors import WorkflowError

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:proposals_proposal_changelist")
# Assigned Monday 2026-03-02: the reply is due 3 months on (Tue 2026-06-02), an assisting opinion
# 1 month on (Thu 2026-04-02), the window to ask for reassignment closes 7 working days on.
LEAD_DUE, ASSISTING_DUE, WINDOW_ENDS = dt.date(2026, 6, 2), dt.date(2026, 4, 2), dt.date(2026, 3, 11)


@pytest.fixture
def agencies(db):
    science = AgencyFactory(name="广州市科学技术局")
    AgencyAlias.objects.create(agency=science, region="广州市", alias="市科技局")
    return {
        "science": science,
        "education": AgencyFactory(name="广州市教育局"),
        "transport": AgencyFactory(name="广州市交通运输局"),
        "elsewhere": AgencyFactory(name="深圳市交通运输局", region="深圳市"),
    }


def batch_post(client, proposals, **data):
    return client.post(CHANGELIST, {
        "action": "assign_selected", helpers.ACTION_CHECKBOX_NAME: [p.pk for p in proposals], **data,
    })


def test_batch_assign_of_50_writes_every_assignment_with_deadlines_and_events(client, clerk, meeting, agencies):
    proposals = [accepted_proposal(by=clerk, meeting=meeting) for _ in range(50)]
    client.force_login(clerk)
    form_page = batch_post(client, proposals)
    assert form_page.status_code == 200 and "确认交办" in form_page.content.decode()
    # Only the meeting's region's agencies are offered.
    assert "深圳市交通运输局" not in form_page.content.decode()

    batch_post(client, proposals, apply="1", lead=agencies["science"].pk,
               assisting=[agencies["education"].pk, agencies["transport"].pk], on="2026-03-02")

    assignments = Assignment.objects.filter(proposal__in=proposals)
    assert assignments.count() == 150
    assert set(assignments.filter(role="lead").values_list("due_on", "reassignment_window_ends_on")) == {
        (LEAD_DUE, WINDOW_ENDS)}
    assert set(assignments.filter(role="assisting").values_list("due_on", flat=True)) == {ASSISTING_DUE}
    assert set(Proposal.objects.filter(pk__in=[p.pk for p in proposals]).values_list("status", flat=True)) == {"assigned"}
    assert Event.objects.filter(proposal__in=proposals, action=Event.Action.ASSIGN).count() == 50


def test_batch_assign_skips_proposals_not_accepted_and_says_so(client, clerk, meeting, agencies):
    ready = accepted_proposal(by=clerk, meeting=meeting)
    waiting = registered_proposal(by=clerk, meeting=meeting)
    client.force_login(clerk)
    page = batch_post(client, [ready, waiting]).content.decode()
    assert f"{waiting.number_label}（待审查）" in page

    batch_post(client, [ready, waiting], apply="1", lead=agencies["science"].pk, on="2026-03-02")
    assert ready.assignments.count() == 1 and not waiting.assignments.exists()


def test_lead_also_named_assisting_is_refused_and_nothing_is_assigned(client, clerk, meeting, agencies):
    proposal = accepted_proposal(by=clerk, meeting=meeting)
    client.force_login(clerk)
    page = batch_post(client, [proposal], apply="1", lead=agencies["science"].pk,
                      assisting=[agencies["science"].pk], on="2026-03-02")
    assert "主办单位不能同时作为会办单位" in page.content.decode()
    assert not proposal.assignments.exists()


def test_agency_staff_are_not_offered_the_batch_actions(client, meeting):
    client.force_login(AgencyStaffUserFactory())
    response = client.get(CHANGELIST)
    assert "批量交办" not in response.content.decode()


def test_batch_not_accept_needs_a_ground_and_reason_for_each(client, clerk, meeting, ground):
    first, second = registered_proposal(by=clerk, meeting=meeting), registered_proposal(by=clerk, meeting=meeting)
    client.force_login(clerk)
    post = {"action": "not_accept_selected", helpers.ACTION_CHECKBOX_NAME: [first.pk, second.pk], "apply": "1",
            f"p{first.pk}-ground": ground.pk, f"p{first.pk}-reason": "内容空泛", f"p{second.pk}-ground": ground.pk}
    page = client.post(CHANGELIST, post)
    assert page.status_code == 200 and "该字段是必填项" in page.content.decode()
    assert set(Proposal.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)) == {"submitted"}

    client.post(CHANGELIST, {**post, f"p{second.pk}-reason": "属个人事务"})
    second.refresh_from_db()
    assert (second.status, second.not_accept_ground, second.review_note) == ("not_accepted", ground, "属个人事务")


# --- the imported 交办 list --------------------------------------------------------------------


def assignment_sheet(rows, header=("编号", "主办单位", "会办单位", "分办单位")):
    return xlsx([list(header), *rows], title_rows=["第五次会议提案交办清单"])


def test_imported_list_assigns_each_proposal_by_name_or_alias(clerk, meeting, agencies):
    proposals = [accepted_proposal(by=clerk, meeting=meeting, number=str(n)) for n in range(1, 51)]
    rows = [[p.number, "市科技局", "广州市教育局、交通运输局", ""] for p in proposals]
    result = import_assignments(meeting=meeting, name="交办.xlsx", data=assignment_sheet(rows), by=clerk, on=ASSIGNED_ON)

    assert (result.assigned, result.assignments) == (50, 150)
    lead = Assignment.objects.filter(proposal__in=proposals, role="lead")
    assert set(lead.values_list("agency", "due_on")) == {(agencies["science"].pk, LEAD_DUE)}
    assert Event.objects.filter(proposal__in=proposals, action=Event.Action.ASSIGN).count() == 50


def test_a_row_naming_an_unknown_agency_writes_nothing_for_that_row_and_says_why(clerk, meeting, agencies):
    good, bad = accepted_proposal(by=clerk, meeting=meeting, number="1"), accepted_proposal(by=clerk, meeting=meeting, number="2")
    data = assignment_sheet([["1", "广州市科学技术局", "", ""], ["2", "广州市教育局", "市火星局", ""],
                             ["3", "深圳市交通运输局", "", ""]])
    preview = preview_assignment_import(meeting=meeting, name="a.xlsx", data=data, on=ASSIGNED_ON)
    assert [(row.row, [(p.column, p.reason) for p in row.problems]) for row in preview.bad_rows] == [
        (4, [("会办单位", "未找到承办单位“市火星局”（本地区无此名称或简称；请先在“承办单位”中添加或补充简称）")]),
        (5, [("主办单位", "未找到承办单位“深圳市交通运输局”（本地区无此名称或简称；请先在“承办单位”中添加或补充简称）"),
             ("编号", "本次会议没有第3号")]),
    ]
    with pytest.raises(WorkflowError):
        import_assignments(meeting=meeting, name="a.xlsx", data=data, by=clerk, on=ASSIGNED_ON)
    assert not Assignment.objects.exists()

    import_assignments(meeting=meeting, name="a.xlsx", data=data, by=clerk, on=ASSIGNED_ON, valid_rows_only=True)
    assert good.assignments.count() == 1
    assert not bad.assignments.exists()  # its lead was fine: the proposal is still not half-assigned
    bad.refresh_from_db()
    assert bad.status == "accepted"


def test_importing_the_list_again_changes_nothing_and_a_different_agency_is_a_conflict(clerk, meeting, agencies):
    accepted_proposal(by=clerk, meeting=meeting, number="1")
    data = assignment_sheet([["1", "广州市科学技术局", "广州市教育局", ""]])
    import_assignments(meeting=meeting, name="a.xlsx", data=data, by=clerk, on=ASSIGNED_ON)
    again = import_assignments(meeting=meeting, name="a.xlsx", data=data, by=clerk, on=ASSIGNED_ON)
    assert (again.assigned, again.unchanged) == (0, 1)
    assert Assignment.objects.count() == 2 and Event.objects.filter(action="assign").count() == 1

    other = preview_assignment_import(meeting=meeting, name="a.xlsx", on=ASSIGNED_ON,
                                      data=assignment_sheet([["1", "广州市交通运输局", "", ""]]))
    assert other.rows[0].outcome == "conflict"


def test_joint_agencies_and_rows_not_ready(clerk, meeting, agencies):
    accepted_proposal(by=clerk, meeting=meeting, number="1")
    registered_proposal(by=clerk, meeting=meeting, number="2")
    data = assignment_sheet([["1", "", "", "广州市教育局,广州市交通运输局"], ["2", "广州市教育局", "", ""],
                             ["1", "广州市教育局", "", ""], ["", "", "", ""], ["4", "广州市教育局;市科技局", "", ""]])
    preview = preview_assignment_import(meeting=meeting, name="a.xlsx", data=data)
    reasons = {row.row: [p.reason for p in row.problems] for row in preview.bad_rows}
    assert reasons == {
        4: ["第2号当前为“待审查”,须先立案才能交办"],
        5: ["编号1与第3行重复"],
        7: ["主办单位只能有一个;多个单位共同答复请填入“分办单位”", "本次会议没有第4号"],
    }
    assert {a.name for a in preview.rows[0].joint} == {"广州市教育局", "广州市交通运输局"}


def test_command_assigns_on_the_given_date_and_exits_1_on_bad_rows(tmp_path, clerk, meeting, agencies, capsys):
    accepted_proposal(by=clerk, meeting=meeting, number="1")
    path = tmp_path / "交办.xlsx"
    path.write_bytes(assignment_sheet([["1", "市科技局", "", ""], ["9", "市科技局", "", ""]]))
    with pytest.raises(SystemExit) as exited:
        call_command("import_assignments", str(path), meeting=meeting.pk, on=ASSIGNED_ON, dry_run=True)
    assert exited.value.code == 1 and "本次会议没有第9号" in capsys.readouterr().out

    with pytest.raises(SystemExit):
        call_command("import_assignments", str(path), meeting=meeting.pk, on=ASSIGNED_ON, valid_only=True,
                     user=clerk.username)
    assert Assignment.objects.get().due_on == LEAD_DUE


# --- the 交办 list through the batch verb (issue 12) ------------------------------------------------


def queries_of(call) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


def test_importing_the_list_costs_the_same_queries_for_50_rows_as_for_5(clerk, agencies):
    from tests.factories import MeetingFactory

    def importing(count):
        meeting = MeetingFactory()
        proposals = [accepted_proposal(by=clerk, meeting=meeting, number=str(n)) for n in range(1, count + 1)]
        data = assignment_sheet([[p.number, "市科技局", "广州市教育局、交通运输局", ""] for p in proposals])
        return lambda: import_assignments(meeting=meeting, name="交办.xlsx", data=data, by=clerk, on=ASSIGNED_ON)

    few, many = importing(5), importing(50)
    few_queries, many_queries = queries_of(few), queries_of(many)
    print(f"import_assignments: {few_queries} queries for 5 rows, {many_queries} for 50")
    assert many_queries == few_queries <= 25
    assert Assignment.objects.count() == 55 * 3


def test_every_imported_assignment_has_its_new_assignment_notice(clerk, meeting, agencies,
                                                                 django_capture_on_commit_callbacks):
    from notifications.models import Kind, Notification

    staff = {key: AgencyStaffUserFactory(agency=agencies[key]) for key in ("science", "education", "transport")}
    proposals = [accepted_proposal(by=clerk, meeting=meeting, number=str(n)) for n in range(1, 6)]
    data = assignment_sheet([[p.number, "市科技局", "广州市教育局", ""] for p in proposals]
                            + [["9", "", "广州市交通运输局", "广州市教育局、市科技局"]])
    joint = accepted_proposal(by=clerk, meeting=meeting, number="9")
    with django_capture_on_commit_callbacks(execute=True):
        import_assignments(meeting=meeting, name="交办.xlsx", data=data, by=clerk, on=ASSIGNED_ON)

    made = Assignment.objects.filter(proposal__in=[*proposals, joint])
    assert made.count() == 13
    in_app = Notification.objects.filter(kind=Kind.NEW_ASSIGNMENT, channel="in_app")
    assert sorted(in_app.values_list("object_id", "recipient_id")) == sorted(
        (assignment.pk, staff[key].pk) for assignment in made
        for key in ("science", "education", "transport") if assignment.agency_id == agencies[key].pk)
    assert Notification.objects.filter(kind=Kind.NEW_ASSIGNMENT, channel="email").count() == 13


def test_a_row_the_workflow_refuses_after_the_preview_ends_the_import_naming_the_row(clerk, meeting, agencies,
                                                                                     monkeypatch):
    from intake.services import assignment_import

    first, second = (accepted_proposal(by=clerk, meeting=meeting, number=n) for n in ("1", "2"))
    previewed = assignment_import.preview_assignment_import

    def another_clerk_steps_in(**kwargs):
        preview = previewed(**kwargs)
        # Between the preview and the 交办, another clerk assigns the second proposal.
        assign_proposal(proposal=second, by=clerk, lead=agencies["transport"], on=ASSIGNED_ON)
        return preview

    monkeypatch.setattr(assignment_import, "preview_assignment_import", another_clerk_steps_in)
    data = assignment_sheet([["1", "市科技局", "", ""], ["2", "广州市教育局", "", ""]])
    with pytest.raises(WorkflowError) as refused:
        import_assignments(meeting=meeting, name="a.xlsx", data=data, by=clerk, on=ASSIGNED_ON, valid_rows_only=True)
    assert refused.value.code == "invalid_state"
    assert refused.value.zh.startswith("第4行(编号2):") and "已交办" in refused.value.zh
    assert not first.assignments.exists()  # the import's one transaction: no row of it stays


def test_the_batch_action_reports_each_refused_proposal_and_assigns_the_rest(client, clerk, meeting, agencies,
                                                                            monkeypatch):
    from intake import batch

    ready, raced = accepted_proposal(by=clerk, meeting=meeting), accepted_proposal(by=clerk, meeting=meeting)
    assigning = batch.assign_proposals

    def another_clerk_first(*, plans, by, on):
        assign_proposal(proposal=raced, by=clerk, lead=agencies["transport"], on=on)
        return assigning(plans=plans, by=by, on=on)

    monkeypatch.setattr(batch, "assign_proposals", another_clerk_first)
    client.force_login(clerk)
    page = batch_post(client, [ready, raced], apply="1", lead=agencies["science"].pk, on="2026-03-02")
    assert [m.message for m in get_messages(page.wsgi_request)] == [
        f"{raced.number_label}未交办：当前状态为“已交办”，不能办理此操作", "已交办 1 件：主办 广州市科学技术局"]
    assert list(ready.assignments.values_list("agency", flat=True)) == [agencies["science"].pk]
    assert list(raced.assignments.values_list("agency", flat=True)) == [agencies["transport"].pk]


def test_provisional_deadline_warning_shows_once_with_the_count_after_a_batch_assign(client, clerk, meeting, agencies):
    """Assigned in November 2026, the replies fall due in 2027, whose holidays nobody has entered."""
    proposals = [accepted_proposal(by=clerk, meeting=meeting) for _ in range(3)]
    client.force_login(clerk)

    page = client.post(CHANGELIST, {"action": "assign_selected", helpers.ACTION_CHECKBOX_NAME: [p.pk for p in proposals],
                                    "apply": "1", "lead": agencies["science"].pk, "on": "2026-11-02"}, follow=True)

    warnings = re.findall(r"注意[:：](\d+) 件交办的期限为暂定", page.content.decode())
    assert warnings == ["3"]
    assert not [m for m in get_messages(page.wsgi_request) if "暂定" in str(m)]


def test_provisional_deadline_warning_is_not_carried_to_the_next_page(client, clerk, meeting, agencies):
    assigned = accepted_proposal(by=clerk, meeting=meeting)
    client.force_login(clerk)
    batch_post(client, [assigned], apply="1", lead=agencies["science"].pk, on="2026-11-02")

    # A post to the list that answers with a redirect (a batch step with nothing selected) queues
    # nothing for whichever page the clerk opens next.
    client.post(CHANGELIST, {"action": "assign_selected", "index": "0"})
    upload_page = client.get(reverse("admin:intake_meetingintake_changelist")).content.decode()

    assert "期限为暂定" not in upload_page
