"""Every transition in proposals.workflow: what the office sees after it, and what it refuses.

Dates: most items are assigned on Monday 2 March 2026 (factories.ASSIGNED_ON), with no holiday
for weeks around it, so the deadlines are plain to check: reply due 2 June, assisting opinion due
2 April, re-assignment window ends 11 March (7th working day after), 办前沟通 by 23 March (15th).
"""

import datetime as dt
from contextlib import contextmanager

import pytest
from django.utils import timezone, translation

from proposals.models import Assignment, Communication, Event, Extension, Proposal, Proposer
from proposals.workflow import (
    accept_proposal,
    assign_proposal,
    cancel_communication,
    close_proposal,
    decide_extension,
    decide_reassignment,
    merge_proposal,
    not_accept_proposal,
    plan_communication,
    recompute_open_deadlines,
    record_communication_held,
    refer_proposal,
    register_proposal,
    request_extension,
    request_reassignment,
    save_registered_proposal,
    sign_for_assignment,
    withdraw_proposal,
)
from tests.factories import (
    ASSIGNED_ON,
    AgencyFactory,
    AgencyStaffUserFactory,
    MeetingFactory,
    MemberFactory,
    ProposalFactory,
    RuleSetFactory,
    accepted_proposal,
    assigned_proposal,
    assignment_of,
    registered_proposal,
    signed_assignment,
)
from tracker.errors import PermissionRefused, WorkflowError
from tracker.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db

Status = Proposal.Status
State = Assignment.State
Role = Assignment.Role
Action = Event.Action


# --- helpers ----------------------------------------------------------------------------------


def _database_snapshot():
    return {
        "proposals": list(
            Proposal.objects.order_by("pk").values_list("pk", "status", "merged_into_id", "closed_on")
        ),
        "proposers": list(
            Proposer.objects.order_by("pk").values_list("proposal_id", "member_id", "order", "is_lead")
        ),
        "assignments": list(
            Assignment.objects.order_by("pk").values_list("pk", "agency_id", "state", "due_on", "extended_to")
        ),
        "extensions": list(Extension.objects.order_by("pk").values_list("pk", "state")),
        "communications": list(Communication.objects.order_by("pk").values_list("pk", "state", "outcome")),
        "events": Event.objects.count(),
    }


@contextmanager
def nothing_written():
    """The refused step left every row as it was: no status change, no Event, no Assignment."""
    before = _database_snapshot()
    yield
    assert _database_snapshot() == before


def assert_refused(excinfo, code: str, zh: str, en: str) -> None:
    """The error carries the stable code and says why, in Chinese and in English."""
    error = excinfo.value
    assert error.code == code
    assert zh in error.zh
    assert en in error.en


def events_of(proposal, **filters):
    return list(
        Event.objects.filter(proposal=proposal, **filters)
        .order_by("id")
        .values_list("action", "from_state", "to_state", "actor_id")
    )


def last_event(proposal) -> Event:
    return Event.objects.filter(proposal=proposal).latest("id")


# --- registration -----------------------------------------------------------------------------


def test_register_proposal_logs_submitted_proposal_with_first_proposer_as_lead(clerk, meeting, members):
    proposal = register_proposal(
        meeting=meeting,
        number="2053",
        title="关于加快建设科技创新平台的提案",
        proposers=members,
        by=clerk,
        category=Proposal.Category.SCIENCE,
        submitted_on=dt.date(2026, 1, 12),
    )

    proposal.refresh_from_db()
    assert proposal.status == Status.SUBMITTED
    assert (proposal.meeting, proposal.number, proposal.submitted_on) == (
        meeting,
        "2053",
        dt.date(2026, 1, 12),
    )
    assert list(proposal.proposers.order_by("order").values_list("member__name", "order", "is_lead")) == [
        ("张建山", 1, True),
        ("李明华", 2, False),
        ("王晓红", 3, False),
    ]
    assert events_of(proposal) == [(Action.REGISTER, "", Status.SUBMITTED, clerk.pk)]


def test_register_proposal_without_date_is_submitted_today(clerk, meeting, members):
    proposal = register_proposal(
        meeting=meeting, number="7", title="关于……的提案", proposers=members[:1], by=clerk
    )

    assert proposal.submitted_on == timezone.localdate()


def test_duplicate_number_in_a_meeting_is_refused(clerk, meeting, members):
    registered_proposal(by=clerk, meeting=meeting, number="2053", proposers=members[:1])

    with nothing_written(), pytest.raises(WorkflowError) as excinfo:
        register_proposal(
            meeting=meeting, number="2053", title="另一件提案", proposers=members[1:2], by=clerk
        )

    assert_refused(excinfo, "duplicate_number", "第2053号", "already exists")
    assert excinfo.value.field == "number"


def test_same_number_in_another_meeting_is_allowed(clerk, meeting, other_meeting, members):
    registered_proposal(by=clerk, meeting=meeting, number="2053", proposers=members[:1])

    proposal = register_proposal(
        meeting=other_meeting, number="2053", title="新一届的提案", proposers=members[:1], by=clerk
    )

    assert proposal.status == Status.SUBMITTED
    assert Proposal.objects.filter(number="2053").count() == 2


def test_agency_staff_cannot_register_proposal(agency_staff, meeting, members):
    with nothing_written(), pytest.raises(PermissionRefused) as excinfo:
        register_proposal(
            meeting=meeting, number="1", title="关于……的提案", proposers=members, by=agency_staff
        )

    assert_refused(excinfo, "not_clerk", "提案办工作人员", "Only a clerk")


def test_register_proposal_without_proposer_is_refused(clerk, meeting):
    with nothing_written(), pytest.raises(WorkflowError) as excinfo:
        register_proposal(meeting=meeting, number="1", title="关于……的提案", proposers=[], by=clerk)

    assert_refused(excinfo, "no_proposer", "至少需要一位提出人", "At least one proposer")


def test_register_proposal_with_a_member_listed_twice_is_refused(clerk, meeting, members):
    with nothing_written(), pytest.raises(WorkflowError) as excinfo:
        register_proposal(
            meeting=meeting,
            number="1",
            title="关于……的提案",
            proposers=[members[0], members[1], members[0]],
            by=clerk,
        )

    assert_refused(excinfo, "duplicate_proposer", "提出人重复", "listed twice")


def test_save_registered_proposal_saves_admin_form_proposal_as_submitted(clerk, meeting):
    proposal = Proposal(meeting=meeting, number="88", title="关于……的提案", submitted_on=dt.date(2026, 1, 15))

    save_registered_proposal(proposal=proposal, by=clerk)

    proposal.refresh_from_db()
    assert proposal.status == Status.SUBMITTED
    assert proposal.submitted_on == dt.date(2026, 1, 15)
    assert events_of(proposal) == [(Action.REGISTER, "", Status.SUBMITTED, clerk.pk)]


def test_save_registered_proposal_refuses_duplicate_number_with_clear_error(clerk, meeting):
    registered_proposal(by=clerk, meeting=meeting, number="88")
    duplicate = Proposal(meeting=meeting, number="88", title="重复编号")

    with nothing_written(), pytest.raises(WorkflowError) as excinfo:
        save_registered_proposal(proposal=duplicate, by=clerk)

    assert_refused(excinfo, "duplicate_number", "第88号", "already exists")


def test_save_registered_proposal_refuses_a_proposal_already_saved(clerk, meeting):
    proposal = registered_proposal(by=clerk, meeting=meeting)

    with nothing_written(), pytest.raises(WorkflowError) as excinfo:
        save_registered_proposal(proposal=proposal, by=clerk)

    assert_refused(excinfo, "already_registered", "已登记", "already registered")


# --- review -----------------------------------------------------------------------------------


def test_accept_proposal_moves_it_to_accepted_with_the_review_note(clerk):
    proposal = registered_proposal(by=clerk)

    accept_proposal(proposal=proposal, by=clerk, note="符合立案标准")

    proposal.refresh_from_db()
    assert proposal.status == Status.ACCEPTED
    assert proposal.review_note == "符合立案标准"
    assert events_of(proposal)[-1] == (Action.ACCEPT, Status.SUBMITTED, Status.ACCEPTED, clerk.pk)
    assert last_event(proposal).note == "符合立案标准"


def test_accepting_a_proposal_twice_is_refused(clerk, other_clerk):
    proposal = accepted_proposal(by=clerk)

    with nothing_written(), pytest.raises(WorkflowError) as excinfo:
        accept_proposal(proposal=proposal, by=other_clerk)

    assert_refused(excinfo, "invalid_state", "已立案", "accepted")


def test_agency_staff_cannot_accept_proposal(clerk, agency_staff):
    proposal = registered_proposal(by=clerk)

    with nothing_written(), pytest.raises(PermissionRefused) as excinfo:
        accept_proposal(proposal=proposal, by=agency_staff)

    assert_refused(excinfo, "not_clerk", "提案办工作人员", "Only a clerk")


def test_member_cannot_accept_own_proposal(clerk, member_user):
    proposal = registered_proposal(by=clerk, proposers=[member_user.member])

    with nothing_written(), pytest.raises(PermissionRefused) as excinfo:
        accept_proposal(proposal=proposal, by=member_user)

    assert excinfo.value.code == "not_clerk"


def test_deactivated_clerk_cannot_accept_proposal(clerk, other_clerk):
    proposal = registered_proposal(by=clerk)
    other_clerk.is_active = False
    other_clerk.save(update_fields=["is_active"])

    with nothing_written(), pytest.raises(PermissionRefused) as excinfo:
        accept_proposal(proposal=proposal, by=other_clerk)

    assert excinfo.value.code == "not_clerk"


def test_refusal_message_follows_the_active_language(clerk, agency_staff):
    proposal = registered_proposal(by=clerk)

    with pytest.raises(PermissionRefused) as excinfo:
        accept_proposal(proposal=proposal, by=agency_staff)

    with translation.override("zh-hans"):
        assert excinfo.value.message == "只有提案办工作人员可以办理此操作"
    with translation.override("en"):
        assert excinfo.value.message == "Only a clerk of the office may do this."
    assert str(excinfo.value) == "只有提案办工作人员可以办理此操作 / Only a clerk of the office may do this."


def test_not_accept_proposal_records_ground_and_reason(clerk, ground):
    proposal = registered_proposal(by=clerk)

    not_accept_proposal(proposal=proposal, ground=ground, reason="未提出具体建议", by=clerk)

    proposal.refresh_from_db()
    assert proposal.status == Status.NOT_ACCEPTED
    assert (proposal.not_accept_ground, proposal.review_note) == (ground, "未提出具体建议")
    assert events_of(proposal)[-1] == (Action.NOT_ACCEPT, Status.SUBMITTED, Status.NOT_ACCEPTED, clerk.pk)
    # The proposer is told the ground and the reason: both are on the timeline.
    assert last_event(proposal).note == "内容空泛、没有具体建议的：未提出具体建议"


def test_not_accept_without_ground_is_refused(clerk):
    proposal = registered_proposal(by=clerk)

    with nothing_written(), pytest.raises(WorkflowError) as excinfo:
        not_accept_proposal(proposal=proposal, ground=None, reason="未提出具体建议", by=clerk)

    assert_refused(excinfo, "ground_required", "不予立案的情形", "listed grounds")


def test_not_accept_without_reason_is_refused(clerk, ground):
    proposal = registered_proposal(by=clerk)

    with nothing_written(), pytest.raises(WorkflowError) as excinfo:
        not_accept_proposal(proposal=proposal, ground=ground, reason="   ", by=clerk)

    assert_refused(excinfo, "reason_required", "不予立案的理由", "reason is required")


def test_not_accept_on_a_ground_the_office_retired_is_refused(clerk, ground):
    ground.active = False
    ground.save(update_fields=["active"])
    proposal = registered_proposal(by=clerk)

    with nothing_written(), pytest.raises(WorkflowError) as excinfo:
        not_accept_proposal(proposal=proposal, ground=ground, reason="未提出具体建议", by=clerk)

    assert excinfo.value.code == "ground_required"


def test_not_accept_after_acceptance_is_refused(clerk, ground):
    proposal = accepted_proposal(by=clerk)

    with nothing_written(), pytest.raises(WorkflowError) as excinfo:
        not_accept_proposal(proposal=proposal, ground=ground, reason="未提出具体建议", by=clerk)

    assert_refused(excinfo, "invalid_state", "已立案", "accepted")


def test_merge_proposal_folds_it_into_another_of_the_same_meeting(clerk, meeting):
    target = registered_proposal(by=clerk, meeting=meeting, number="100")
    source = registered_proposal(by=clerk, meeting=meeting, number="101")

    merge_proposal(proposal=source, into=target, by=clerk, note="内容相近")

    source.refresh_from_db()
    target.refresh_from_db()
    assert (source.status, source.merged_into) == (Status.MERGED, target)
    assert target.status == Status.SUBMITTED
    assert events_of(source)[-1] == (Action.MERGE, Status.SUBMITTED, Status.MERGED, clerk.pk)
    assert last_event(source).note == "并入第100号。内容相近"
    assert events_of(target)[-1] == (Action.MERGED_IN, "", "", clerk.pk)
    assert last_event(target).note == "第101号并入本件"


def test_merge_keeps_every_proposer_of_both_once_in_order(clerk, meeting):
    a, b, c, d = (MemberFactory(name=name) for name in ("甲委员", "乙委员", "丙委员", "丁委员"))
    target = registered_proposal(by=clerk, meeting=meeting, proposers=[a, b])
    source = registered_proposal(by=clerk, meeting=meeting, proposers=[c, a, d])

    merge_proposal(proposal=source, into=target, by=clerk)

    # The target's own signers keep their places; the source's new ones follow in their order;
    # 甲委员, who signed both, appears once. Every one of them still gets the reply.
    assert list(target.proposers.order_by("order").values_list("member__name", "order", "is_lead")) == [
        ("甲委员", 1, True),
        ("乙委员", 2, False),
        ("丙委员", 3, False),
        ("丁委员", 4, False),
    ]
    assert list(source.proposers.order_by("order").values_list("member__name", flat=True)) == [
        "丙委员",
        "甲委员",
        "丁委员",
    ]


def test_merge_across_meetings_is_refused(clerk, meeting, other_meeting):
    target = registered_proposal(by=clerk, meeting=meeting)
    source = registered_proposal(by=clerk, meeting=other_meeting)

    with nothing_written(), pytest.raises(WorkflowError) as excinfo:
        merge_proposal(proposal=source, into=target, by=clerk)

    assert_refused(excinfo, "merge_other_meeting", "同一次会议", "same meeting")


def test_merge_into_itself_is_refused(clerk):
    proposal = registered_proposal(by=clerk)

    with nothing_written(), pytest.raises(WorkflowError) as excinfo:
        merge_proposal(proposal=proposal, into=proposal, by=clerk)

    assert_refused(excinfo, "merge_into_self", "不能并入自身", "into itself")


def test_merge_into_a_not_accepted_proposal_is_refused(clerk, meeting, ground):
    target = registered_proposal(by=clerk, meeting=meeting)
    not_accept_proposal(proposal=target, ground=ground, reason="未提出具体建议", by=clerk)
    source = registered_proposal(by=clerk, meeting=meeting)

    with nothing_written(), pytest.raises(WorkflowError) as excinfo:
        merge_proposal(proposal=source, into=target, by=clerk)

    assert_refused(excinfo, "merge_target_closed", "不予立案", "no longer takes merges")


def test_agency_staff_cannot_merge_proposals(clerk, agency_staff, meeting):
    target = registered_proposal(by=clerk, meeting=meeting)
    source = registered_proposal(by=clerk, meeting=meeting)

    with nothing_written(), pytest.raises(PermissionRefused) as excinfo:
        merge_proposal(proposal=source, into=target, by=agency_staff)

    assert excinfo.value.code == "not_clerk"


def test_refer_not_accepted_proposal_passes_it_on(clerk, ground):
    proposal = registered_proposal(by=clerk)
    not_accept_proposal(proposal=proposal, ground=ground, reason="未提出具体建议", by=clerk)

    refer_proposal(proposal=proposal, to="社情民意信息", by=clerk)

    proposal.refresh_from_db()
    assert (proposal.status, proposal.referred_to) == (Status.REFERRED, "社情民意信息")
    assert events_of(proposal)[-1] == (Action.REFER, Status.NOT_ACCEPTED, Status.REFERRED, clerk.pk)


def test_refer_without_saying_where_is_refused(clerk):
    proposal = registered_proposal(by=clerk)

    with nothing_written(), pytest.raises(WorkflowError) as excinfo:
        refer_proposal(proposal=proposal, to=" ", by=clerk)

    assert_refused(excinfo, "referral_target_required", "转交对象", "referred to")


def test_refer_accepted_proposal_is_refused(clerk):
    proposal = accepted_proposal(by=clerk)

    with nothing_written(), pytest.raises(WorkflowError) as excinfo:
        refer_proposal(proposal=proposal, to="社情民意信息", by=clerk)

    assert excinfo.value.code == "invalid_state"


def test_withdraw_proposal_with_every_signers_consent(clerk, members):
    proposal = registered_proposal(by=clerk, proposers=members)

    withdraw_proposal(proposal=proposal, consenting=members, by=clerk, reason="提出人书面申请撤回")

    proposal.refresh_from_db()
    assert proposal.status == Status.WITHDRAWN
    assert events_of(proposal)[-1] == (Action.WITHDRAW, Status.SUBMITTED, Status.WITHDRAWN, clerk.pk)


def test_withdraw_joint_proposal_without_all_signers_is_refused(clerk, members):
    proposal = registered_proposal(by=clerk, proposers=members)

    with nothing_written(), pytest.raises(WorkflowError) as excinfo:
        withdraw_proposal(proposal=proposal, consenting=members[:2], by=clerk)

    # The clerk is told whose consent is missing.
    assert_refused(excinfo, "all_signers_required", "尚缺：王晓红", "every signer")


def test_withdraw_assigned_proposal_cancels_its_open_assignments(clerk, agency, other_agency, members):
    proposal = assigned_proposal(by=clerk, lead=agency, assisting=[other_agency], proposers=members[:1])

    withdraw_proposal(proposal=proposal, consenting=members[:1], by=clerk, reason="已通过其他渠道解决")

    proposal.refresh_from_db()
    assert proposal.status == Status.WITHDRAWN
    assert set(proposal.assignments.values_list("state", flat=True)) == {State.CANCELLED}
    assert sorted(events_of(proposal, action=Action.WITHDRAW, assignment__isnull=False)) == [
        (Action.WITHDRAW, State.PENDING, State.CANCELLED, clerk.pk),
        (Action.WITHDRAW, State.PENDING, State.CANCELLED, clerk.pk),
    ]
    assert events_of(proposal)[-1] == (Action.WITHDRAW, Status.ASSIGNED, Status.WITHDRAWN, clerk.pk)


def test_withdraw_merged_proposal_is_refused(clerk, meeting, members):
    target = registered_proposal(by=clerk, meeting=meeting)
    source = registered_proposal(by=clerk, meeting=meeting, proposers=members[:1])
    merge_proposal(proposal=source, into=target, by=clerk)

    with nothing_written(), pytest.raises(WorkflowError) as excinfo:
        withdraw_proposal(proposal=source, consenting=members[:1], by=clerk)

    assert_refused(excinfo, "invalid_state", "已并案", "merged")


# --- assignment -------------------------------------------------------------------------------


def test_assign_proposal_creates_lead_and_assisting_duties_with_their_deadlines(clerk, agency, other_agency):
    proposal = accepted_proposal(by=clerk)

    assign_proposal(proposal=proposal, by=clerk, lead=agency, assisting=[other_agency], on=ASSIGNED_ON)

    proposal.refresh_from_db()
    assert proposal.status == Status.ASSIGNED
    lead, assisting = assignment_of(proposal, agency), assignment_of(proposal, other_agency)
    # 2 March 2026 + 3 months = 2 June (Tue); + 1 month = 2 April (Thu), before Qingming (4-6 April).
    assert (lead.role, lead.state, lead.assigned_on, lead.due_on) == (
        Role.LEAD,
        State.PENDING,
        ASSIGNED_ON,
        dt.date(2026, 6, 2),
    )
    assert (assisting.role, assisting.state, assisting.due_on) == (
        Role.ASSISTING,
        State.PENDING,
        dt.date(2026, 4, 2),
    )
    # 7 working days after Mon 2 March: 3,4,5,6,9,10,11 March. 15: ... 16-20 (14), 23 March.
    assert lead.reassignment_window_ends_on == dt.date(2026, 3, 11)
    assert lead.communication_due_on == dt.date(2026, 3, 23)
    assert lead.due_provisional is False
    assert events_of(proposal)[-1] == (Action.ASSIGN, Status.ACCEPTED, Status.ASSIGNED, clerk.pk)
    assert last_event(proposal).note == "主办：广州市科学技术局；会办：广州市教育局"


def test_assign_proposal_to_several_joint_agencies(clerk, agency, other_agency):
    proposal = accepted_proposal(by=clerk)

    assign_proposal(proposal=proposal, by=clerk, joint=[agency, other_agency], on=ASSIGNED_ON)

    assert sorted(proposal.assignments.values_list("agency__name", "role", "due_on")) == [
        ("广州市教育局", Role.JOINT, dt.date(2026, 6, 2)),
        ("广州市科学技术局", Role.JOINT, dt.date(2026, 6, 2)),
    ]


def test_assign_before_accept_is_refused(clerk, agency):
    proposal = registered_proposal(by=clerk)

    with nothing_written(), pytest.raises(WorkflowError) as excinfo:
        assign_proposal(proposal=proposal, by=clerk, lead=agency, on=ASSIGNED_ON)

    assert_refused(excinfo, "invalid_state", "待审查", "submitted")


def test_assigning_a_proposal_twice_is_refused(clerk, other_clerk, agency, other_agency):
    proposal = assigned_proposal(by=clerk, lead=agency)

    with nothing_written(), pytest.raises(WorkflowError) as excinfo:
        assign_proposal(proposal=proposal, by=other_clerk, lead=other_agency, on=ASSIGNED_ON)

    assert_refused(excinfo, "invalid_state", "已交办", "assigned")


def test_agency_staff_cannot_assign_proposal(clerk, agency_staff, agency):
    proposal = accepted_proposal(by=clerk)

    with nothing_written(), pytest.raises(PermissionRefused) as excinfo:
        assign_proposal(proposal=proposal, by=agency_staff, lead=agency, on=ASSIGNED_ON)

    assert_refused(excinfo, "not_clerk", "提案办工作人员", "Only a clerk")


def test_agency_reviewer_cannot_assign_proposal(clerk, agency_reviewer, agency):
    proposal = accepted_proposal(by=clerk)

    with nothing_written(), pytest.raises(PermissionRefused) as excinfo:
        assign_proposal(proposal=proposal, by=agency_reviewer, lead=agency, on=ASSIGNED_ON)

    assert excinfo.value.code == "not_clerk"


def test_assign_without_lead_or_joint_agency_is_refused(clerk, other_agency):
    proposal = accepted_proposal(by=clerk)

    with nothing_written(), pytest.raises(WorkflowError) as excinfo:
        assign_proposal(proposal=proposal, by=clerk, assisting=[other_agency], on=ASSIGNED_ON)

    assert_refused(excinfo, "lead_required", "主办单位", "lead agency")


def test_assign_same_agency_as_lead_and_assisting_is_refused(clerk, agency):
    proposal = accepted_proposal(by=clerk)

    with nothing_written(), pytest.raises(WorkflowError) as excinfo:
        assign_proposal(proposal=proposal, by=clerk, lead=agency, assisting=[agency], on=ASSIGNED_ON)

    assert_refused(excinfo, "agency_twice", "重复交办", "named twice")


# --- signing for an assignment ----------------------------------------------------------------


def test_lead_agency_signing_for_assignment_starts_handling(clerk, agency, agency_staff):
    proposal = assigned_proposal(by=clerk, lead=agency)
    assignment = assignment_of(proposal, agency)

    sign_for_assignment(assignment=assignment, by=agency_staff)

    assignment.refresh_from_db()
    proposal.refresh_from_db()
    assert (assignment.state, assignment.signed_by) == (State.ACCEPTED, agency_staff)
    assert assignment.signed_at is not None
    assert proposal.status == Status.IN_PROGRESS
    assert events_of(proposal, assignment=assignment, action=Action.SIGN_FOR) == [
        (Action.SIGN_FOR, State.PENDING, State.ACCEPTED, agency_staff.pk)
    ]
    assert events_of(proposal, assignment=None)[-1] == (
        Action.SIGN_FOR,
        Status.ASSIGNED,
        Status.IN_PROGRESS,
        agency_staff.pk,
    )


def test_assisting_agency_signing_leaves_proposal_waiting_for_the_lead(
    clerk, agency, other_agency, other_agency_staff
):
    proposal = assigned_proposal(by=clerk, lead=agency, assisting=[other_agency])

    sign_for_assignment(assignment=assignment_of(proposal, other_agency), by=other_agency_staff)

    proposal.refresh_from_db()
    assert assignment_of(proposal, other_agency).state == State.ACCEPTED
    assert proposal.status == Status.ASSIGNED


def test_another_agencys_staff_cannot_sign_for_assignment(clerk, agency, other_agency_staff):
    proposal = assigned_proposal(by=clerk, lead=agency)

    with nothing_written(), pytest.raises(PermissionRefused) as excinfo:
        sign_for_assignment(assignment=assignment_of(proposal, agency), by=other_agency_staff)

    assert_refused(excinfo, "not_your_agency", "不是本单位承办", "not assigned to your agency")


def test_clerk_cannot_sign_for_an_agency(clerk, agency):
    proposal = assigned_proposal(by=clerk, lead=agency)

    with nothing_written(), pytest.raises(PermissionRefused) as excinfo:
        sign_for_assignment(assignment=assignment_of(proposal, agency), by=clerk)

    assert excinfo.value.code == "not_your_agency"


def test_signing_for_an_assignment_twice_is_refused(clerk, agency, agency_staff):
    assignment = signed_assignment(by_clerk=clerk, staff=agency_staff)
    colleague = AgencyStaffUserFactory(agency=agency)

    with nothing_written(), pytest.raises(WorkflowError) as excinfo:
        sign_for_assignment(assignment=assignment, by=colleague)

    assert_refused(excinfo, "invalid_state", "已签收", "accepted")


# --- re-assignment ----------------------------------------------------------------------------


def test_agency_requests_reassignment_within_the_window(clerk, agency_staff):
    assignment = signed_assignment(by_clerk=clerk, staff=agency_staff)

    request_reassignment(
        assignment=assignment, reason="不属于本单位职责", by=agency_staff, on=dt.date(2026, 3, 4)
    )

    assignment.refresh_from_db()
    assert assignment.state == State.REASSIGNMENT_REQUESTED
    assert (
        assignment.reassignment_requested_on,
        assignment.reassignment_reason,
        assignment.state_before_request,
    ) == (dt.date(2026, 3, 4), "不属于本单位职责", State.ACCEPTED)
    assert events_of(assignment.proposal, assignment=assignment)[-1] == (
        Action.REQUEST_REASSIGNMENT,
        State.ACCEPTED,
        State.REASSIGNMENT_REQUESTED,
        agency_staff.pk,
    )


def test_reassignment_may_be_requested_on_the_last_day_of_the_window(clerk, agency_staff):
    assignment = signed_assignment(by_clerk=clerk, staff=agency_staff)

    # Assigned Mon 2 March: the 7th working day after is Wed 11 March.
    request_reassignment(
        assignment=assignment, reason="不属于本单位职责", by=agency_staff, on=dt.date(2026, 3, 11)
    )

    assignment.refresh_from_db()
    assert assignment.state == State.REASSIGNMENT_REQUESTED


def test_reassignment_after_the_window_is_refused(clerk, agency_staff):
    assignment = signed_assignment(by_clerk=clerk, staff=agency_staff)

    with nothing_written(), pytest.raises(WorkflowError) as excinfo:
        request_reassignment(
            assignment=assignment, reason="不属于本单位职责", by=agency_staff, on=dt.date(2026, 3, 12)
        )

    assert_refused(excinfo, "reassignment_window_closed", "2026年03月11日届满", "closed on 2026-03-11")


def test_reassignment_request_without_reason_is_refused(clerk, agency_staff):
    assignment = signed_assignment(by_clerk=clerk, staff=agency_staff)

    with nothing_written(), pytest.raises(WorkflowError) as excinfo:
        request_reassignment(assignment=assignment, reason="", by=agency_staff, on=dt.date(2026, 3, 4))

    assert_refused(excinfo, "reason_required", "申请调整的理由", "reason is required")


def test_another_agency_cannot_request_reassignment(clerk, agency, other_agency_staff):
    proposal = assigned_proposal(by=clerk, lead=agency)

    with nothing_written(), pytest.raises(PermissionRefused) as excinfo:
        request_reassignment(
            assignment=assignment_of(proposal, agency),
            reason="不属于本单位职责",
            by=other_agency_staff,
            on=dt.date(2026, 3, 4),
        )

    assert excinfo.value.code == "not_your_agency"


def test_approving_reassignment_hands_the_duty_to_the_new_agency_with_fresh_deadlines(
    clerk, agency, agency_staff, other_agency
):
    assignment = signed_assignment(by_clerk=clerk, staff=agency_staff)
    request_reassignment(
        assignment=assignment, reason="不属于本单位职责", by=agency_staff, on=dt.date(2026, 3, 4)
    )

    successor = decide_reassignment(
        assignment=assignment, approve=True, new_agency=other_agency, by=clerk, on=dt.date(2026, 3, 6)
    )

    assignment.refresh_from_db()
    assert assignment.state == State.REASSIGNED
    assert (successor.agency, successor.role, successor.state, successor.assigned_on) == (
        other_agency,
        Role.LEAD,
        State.PENDING,
        dt.date(2026, 3, 6),
    )
    # From Fri 6 March: + 3 months = Sat 6 June -> Mon 8 June; 7 working days = 9-13, 16, 17 March.
    assert successor.due_on == dt.date(2026, 6, 8)
    assert successor.reassignment_window_ends_on == dt.date(2026, 3, 17)
    proposal = assignment.proposal
    assert events_of(proposal, assignment=assignment)[-1] == (
        Action.REASSIGN,
        State.REASSIGNMENT_REQUESTED,
        State.REASSIGNED,
        clerk.pk,
    )
    assert events_of(proposal, assignment=successor) == [(Action.ASSIGN, "", State.PENDING, clerk.pk)]


def test_refusing_reassignment_returns_the_assignment_to_where_it_was(clerk, agency_staff):
    assignment = signed_assignment(by_clerk=clerk, staff=agency_staff)
    request_reassignment(
        assignment=assignment, reason="不属于本单位职责", by=agency_staff, on=dt.date(2026, 3, 4)
    )

    kept = decide_reassignment(
        assignment=assignment, approve=False, by=clerk, note="属于该局职责", on=dt.date(2026, 3, 10)
    )

    kept.refresh_from_db()
    assert kept.pk == assignment.pk
    assert kept.state == State.ACCEPTED
    # The office's default rules do not stop the clock: the due date stays.
    assert kept.due_on == dt.date(2026, 6, 2)
    assert events_of(kept.proposal, assignment=kept)[-1] == (
        Action.REFUSE_REASSIGNMENT,
        State.REASSIGNMENT_REQUESTED,
        State.ACCEPTED,
        clerk.pk,
    )
    assert Assignment.objects.filter(proposal=kept.proposal).count() == 1


def test_refusing_reassignment_gives_back_the_working_days_when_the_rules_stop_the_clock(clerk, agency_staff):
    meeting = MeetingFactory(rules=RuleSetFactory(reassignment_stops_clock=True))
    assignment = signed_assignment(by_clerk=clerk, staff=agency_staff, meeting=meeting)
    request_reassignment(
        assignment=assignment, reason="不属于本单位职责", by=agency_staff, on=dt.date(2026, 3, 4)
    )

    decide_reassignment(assignment=assignment, approve=False, by=clerk, on=dt.date(2026, 3, 10))

    assignment.refresh_from_db()
    # Waiting Wed 4 -> Tue 10 March took 4 working days (5, 6, 9, 10 March); due Tue 2 June + 4
    # working days = 3, 4, 5, 8 June.
    assert assignment.due_on == dt.date(2026, 6, 8)


def test_approving_reassignment_without_a_new_agency_is_refused(clerk, agency_staff):
    assignment = signed_assignment(by_clerk=clerk, staff=agency_staff)
    request_reassignment(
        assignment=assignment, reason="不属于本单位职责", by=agency_staff, on=dt.date(2026, 3, 4)
    )

    with nothing_written(), pytest.raises(WorkflowError) as excinfo:
        decide_reassignment(assignment=assignment, approve=True, by=clerk, on=dt.date(2026, 3, 6))

    assert_refused(excinfo, "new_agency_required", "调整后的承办单位", "Choose the agency")


def test_reassigning_to_an_agency_already_on_the_proposal_is_refused(
    clerk, agency, agency_staff, other_agency
):
    proposal = assigned_proposal(by=clerk, lead=agency, assisting=[other_agency])
    assignment = assignment_of(proposal, agency)
    request_reassignment(
        assignment=assignment, reason="不属于本单位职责", by=agency_staff, on=dt.date(2026, 3, 4)
    )

    with nothing_written(), pytest.raises(WorkflowError) as excinfo:
        decide_reassignment(
            assignment=assignment, approve=True, new_agency=other_agency, by=clerk, on=dt.date(2026, 3, 6)
        )

    assert_refused(excinfo, "agency_twice", "已承办本件", "already handles")


def test_agency_staff_cannot_decide_their_own_reassignment_request(clerk, agency_staff, other_agency):
    assignment = signed_assignment(by_clerk=clerk, staff=agency_staff)
    request_reassignment(
        assignment=assignment, reason="不属于本单位职责", by=agency_staff, on=dt.date(2026, 3, 4)
    )

    with nothing_written(), pytest.raises(PermissionRefused) as excinfo:
        decide_reassignment(assignment=assignment, approve=True, new_agency=other_agency, by=agency_staff)

    assert excinfo.value.code == "not_clerk"


def test_deciding_reassignment_nobody_asked_for_is_refused(clerk, agency_staff, other_agency):
    assignment = signed_assignment(by_clerk=clerk, staff=agency_staff)

    with nothing_written(), pytest.raises(WorkflowError) as excinfo:
        decide_reassignment(assignment=assignment, approve=True, new_agency=other_agency, by=clerk)

    assert_refused(excinfo, "invalid_state", "已签收", "accepted")


# --- extensions -------------------------------------------------------------------------------


def test_agency_requests_an_extension_with_a_reason(clerk, agency_staff):
    assignment = signed_assignment(by_clerk=clerk, staff=agency_staff)

    extension = request_extension(
        assignment=assignment, until=dt.date(2026, 7, 2), reason="需跨部门协调", by=agency_staff
    )

    assert (extension.state, extension.requested_until, extension.requested_by) == (
        Extension.State.REQUESTED,
        dt.date(2026, 7, 2),
        agency_staff,
    )
    assignment.refresh_from_db()
    assert assignment.due_on == dt.date(2026, 6, 2)  # nothing moves until the office approves
    event = last_event(assignment.proposal)
    assert (event.action, event.assignment, event.actor) == (
        Action.REQUEST_EXTENSION,
        assignment,
        agency_staff,
    )


def test_approving_an_extension_moves_the_due_date(clerk, agency_staff):
    assignment = signed_assignment(by_clerk=clerk, staff=agency_staff)
    extension = request_extension(
        assignment=assignment, until=dt.date(2026, 7, 2), reason="需跨部门协调", by=agency_staff
    )

    decide_extension(extension=extension, approve=True, by=clerk, note="同意")

    extension.refresh_from_db()
    assignment.refresh_from_db()
    assert (extension.state, extension.decided_by) == (Extension.State.APPROVED, clerk)
    assert (assignment.extended_to, assignment.due_on) == (dt.date(2026, 7, 2), dt.date(2026, 7, 2))
    event = last_event(assignment.proposal)
    assert (event.action, event.assignment, event.actor) == (Action.APPROVE_EXTENSION, assignment, clerk)
    assert event.note == "期限由2026-06-02延至2026-07-02。同意"


def test_approved_extension_to_a_saturday_is_due_the_next_monday(clerk, agency_staff):
    assignment = signed_assignment(by_clerk=clerk, staff=agency_staff)
    extension = request_extension(
        assignment=assignment, until=dt.date(2026, 7, 4), reason="需跨部门协调", by=agency_staff
    )

    decide_extension(extension=extension, approve=True, by=clerk)

    assignment.refresh_from_db()
    # Sat 4 July 2026 is a rest day: the due date moves to Mon 6 July.
    assert (assignment.extended_to, assignment.due_on) == (dt.date(2026, 7, 4), dt.date(2026, 7, 6))


def test_refusing_an_extension_keeps_the_due_date(clerk, agency_staff):
    assignment = signed_assignment(by_clerk=clerk, staff=agency_staff)
    extension = request_extension(
        assignment=assignment, until=dt.date(2026, 7, 2), reason="需跨部门协调", by=agency_staff
    )

    decide_extension(extension=extension, approve=False, by=clerk, note="理由不充分")

    extension.refresh_from_db()
    assignment.refresh_from_db()
    assert extension.state == Extension.State.REFUSED
    assert (assignment.due_on, assignment.extended_to) == (dt.date(2026, 6, 2), None)
    event = last_event(assignment.proposal)
    assert (event.action, event.actor, event.note) == (Action.REFUSE_EXTENSION, clerk, "理由不充分")


def test_extension_beyond_three_more_months_is_refused(clerk, agency_staff):
    # The meeting asks for replies by 30 April: due Thu 30 April 2026; 3 more months = 30 July,
    # well inside 6 months after assignment (2 September).
    meeting = MeetingFactory(reply_by=dt.date(2026, 4, 30))
    assignment = signed_assignment(by_clerk=clerk, staff=agency_staff, meeting=meeting)
    assert assignment.due_on == dt.date(2026, 4, 30)

    with nothing_written(), pytest.raises(WorkflowError) as excinfo:
        request_extension(
            assignment=assignment, until=dt.date(2026, 7, 31), reason="需跨部门协调", by=agency_staff
        )

    assert_refused(excinfo, "extension_beyond_limit", "2026年07月30日", "2026-07-30")


def test_extension_of_exactly_three_more_months_is_allowed(clerk, agency_staff):
    meeting = MeetingFactory(reply_by=dt.date(2026, 4, 30))
    assignment = signed_assignment(by_clerk=clerk, staff=agency_staff, meeting=meeting)

    extension = request_extension(
        assignment=assignment, until=dt.date(2026, 7, 30), reason="需跨部门协调", by=agency_staff
    )

    assert extension.state == Extension.State.REQUESTED


def test_extension_beyond_six_months_after_assignment_is_refused(clerk, agency_staff):
    assignment = signed_assignment(by_clerk=clerk, staff=agency_staff)
    first = request_extension(
        assignment=assignment, until=dt.date(2026, 7, 2), reason="需跨部门协调", by=agency_staff
    )
    decide_extension(extension=first, approve=True, by=clerk)

    # Due now 2 July; 3 more months would be 2 October, but 6 months after the 2 March
    # assignment is 2 September: that is the last date any extension may reach.
    with nothing_written(), pytest.raises(WorkflowError) as excinfo:
        request_extension(
            assignment=assignment, until=dt.date(2026, 9, 3), reason="仍需协调", by=agency_staff
        )

    assert_refused(excinfo, "extension_beyond_limit", "2026年09月02日", "2026-09-02")


def test_extension_not_later_than_the_current_due_date_is_refused(clerk, agency_staff):
    assignment = signed_assignment(by_clerk=clerk, staff=agency_staff)

    with nothing_written(), pytest.raises(WorkflowError) as excinfo:
        request_extension(
            assignment=assignment, until=dt.date(2026, 6, 2), reason="需跨部门协调", by=agency_staff
        )

    assert_refused(excinfo, "extension_not_later", "晚于现有期限", "after the current due date")


def test_second_extension_request_while_one_is_pending_is_refused(clerk, agency_staff):
    assignment = signed_assignment(by_clerk=clerk, staff=agency_staff)
    request_extension(
        assignment=assignment, until=dt.date(2026, 7, 2), reason="需跨部门协调", by=agency_staff
    )

    with nothing_written(), pytest.raises(WorkflowError) as excinfo:
        request_extension(
            assignment=assignment, until=dt.date(2026, 8, 3), reason="需更多时间", by=agency_staff
        )

    assert_refused(excinfo, "extension_pending", "待审批的延期申请", "already pending")


def test_extension_without_reason_is_refused(clerk, agency_staff):
    assignment = signed_assignment(by_clerk=clerk, staff=agency_staff)

    with nothing_written(), pytest.raises(WorkflowError) as excinfo:
        request_extension(assignment=assignment, until=dt.date(2026, 7, 2), reason=" ", by=agency_staff)

    assert_refused(excinfo, "reason_required", "延期理由", "reason is required")


def test_another_agency_cannot_request_an_extension(clerk, agency, other_agency_staff):
    proposal = assigned_proposal(by=clerk, lead=agency)

    with nothing_written(), pytest.raises(PermissionRefused) as excinfo:
        request_extension(
            assignment=assignment_of(proposal, agency),
            until=dt.date(2026, 7, 2),
            reason="需跨部门协调",
            by=other_agency_staff,
        )

    assert excinfo.value.code == "not_your_agency"


def test_agency_staff_cannot_approve_their_own_extension(clerk, agency_staff):
    assignment = signed_assignment(by_clerk=clerk, staff=agency_staff)
    extension = request_extension(
        assignment=assignment, until=dt.date(2026, 7, 2), reason="需跨部门协调", by=agency_staff
    )

    with nothing_written(), pytest.raises(PermissionRefused) as excinfo:
        decide_extension(extension=extension, approve=True, by=agency_staff)

    assert excinfo.value.code == "not_clerk"


def test_deciding_an_extension_twice_is_refused(clerk, other_clerk, agency_staff):
    assignment = signed_assignment(by_clerk=clerk, staff=agency_staff)
    extension = request_extension(
        assignment=assignment, until=dt.date(2026, 7, 2), reason="需跨部门协调", by=agency_staff
    )
    decide_extension(extension=extension, approve=False, by=clerk)

    with nothing_written(), pytest.raises(WorkflowError) as excinfo:
        decide_extension(extension=extension, approve=True, by=other_clerk)

    assert_refused(excinfo, "extension_decided", "已处理", "already decided")


def test_withdrawing_closes_open_extension_requests(clerk, agency_staff, members):
    assignment = signed_assignment(by_clerk=clerk, staff=agency_staff, proposers=members[:1])
    extension = request_extension(
        assignment=assignment, until=dt.date(2026, 7, 2), reason="需跨部门协调", by=agency_staff
    )

    withdraw_proposal(proposal=assignment.proposal, consenting=members[:1], by=clerk)

    extension.refresh_from_db()
    assert (extension.state, extension.decision_note) == (Extension.State.REFUSED, "提案已撤回")


def test_approving_an_extension_of_a_withdrawn_proposal_is_refused(clerk, agency_staff, members):
    assignment = signed_assignment(by_clerk=clerk, staff=agency_staff, proposers=members[:1])
    extension = request_extension(
        assignment=assignment, until=dt.date(2026, 7, 2), reason="需跨部门协调", by=agency_staff
    )
    withdraw_proposal(proposal=assignment.proposal, consenting=members[:1], by=clerk)

    with nothing_written(), pytest.raises(WorkflowError) as excinfo:
        decide_extension(extension=extension, approve=True, by=clerk)

    assert_refused(excinfo, "extension_decided", "已处理", "already decided")


# --- closing ----------------------------------------------------------------------------------


def test_close_replied_proposal(clerk, members):
    proposal = ProposalFactory(status=Status.REPLIED, proposers=members[:1])

    close_proposal(proposal=proposal, by=clerk, note="已答复，委员满意")

    proposal.refresh_from_db()
    assert (proposal.status, proposal.closed_on) == (Status.CLOSED, timezone.localdate())
    assert events_of(proposal) == [(Action.CLOSE, Status.REPLIED, Status.CLOSED, clerk.pk)]


def test_close_before_reply_is_refused(clerk, agency_staff):
    assignment = signed_assignment(by_clerk=clerk, staff=agency_staff)

    with nothing_written(), pytest.raises(WorkflowError) as excinfo:
        close_proposal(proposal=assignment.proposal, by=clerk)

    assert_refused(excinfo, "invalid_state", "办理中", "in_progress")


def test_agency_staff_cannot_close_proposal(agency_staff, members):
    proposal = ProposalFactory(status=Status.REPLIED, proposers=members[:1])

    with nothing_written(), pytest.raises(PermissionRefused) as excinfo:
        close_proposal(proposal=proposal, by=agency_staff)

    assert excinfo.value.code == "not_clerk"


# --- communications with the proposers --------------------------------------------------------


def test_agency_plans_a_meeting_with_the_proposer(clerk, agency_staff, members):
    assignment = signed_assignment(by_clerk=clerk, staff=agency_staff, proposers=members[:1])

    communication = plan_communication(
        assignment=assignment,
        by=agency_staff,
        mode=Communication.Mode.FACE_TO_FACE,
        date=dt.date(2026, 3, 10),
        place="市科技局三楼会议室",
        members=members[:1],
    )

    assert (communication.state, communication.proposal, communication.agency) == (
        Communication.State.PLANNED,
        assignment.proposal,
        assignment.agency,
    )
    assert list(communication.members.all()) == members[:1]
    event = last_event(assignment.proposal)
    assert (event.action, event.assignment, event.actor) == (
        Action.PLAN_COMMUNICATION,
        assignment,
        agency_staff,
    )
    assert event.note == "2026-03-10 当面沟通/座谈"


def test_clerk_may_plan_a_communication_for_the_agency(clerk, agency_staff):
    assignment = signed_assignment(by_clerk=clerk, staff=agency_staff)

    communication = plan_communication(
        assignment=assignment, by=clerk, mode=Communication.Mode.PHONE, date=dt.date(2026, 3, 9)
    )

    assert communication.agency == assignment.agency
    assert last_event(assignment.proposal).actor == clerk


def test_another_agency_cannot_plan_a_communication(clerk, agency_staff, other_agency_staff):
    assignment = signed_assignment(by_clerk=clerk, staff=agency_staff)

    with nothing_written(), pytest.raises(PermissionRefused) as excinfo:
        plan_communication(
            assignment=assignment,
            by=other_agency_staff,
            mode=Communication.Mode.PHONE,
            date=dt.date(2026, 3, 9),
        )

    assert excinfo.value.code == "not_your_agency"


def test_communication_on_a_cancelled_assignment_is_refused(clerk, agency_staff, members):
    assignment = signed_assignment(by_clerk=clerk, staff=agency_staff, proposers=members[:1])
    withdraw_proposal(proposal=assignment.proposal, consenting=members[:1], by=clerk)

    with nothing_written(), pytest.raises(WorkflowError) as excinfo:
        plan_communication(
            assignment=assignment, by=agency_staff, mode=Communication.Mode.PHONE, date=dt.date(2026, 3, 9)
        )

    assert excinfo.value.code == "invalid_state"


def test_record_communication_held_keeps_what_was_said(clerk, agency_staff):
    assignment = signed_assignment(by_clerk=clerk, staff=agency_staff)
    communication = plan_communication(
        assignment=assignment,
        by=agency_staff,
        mode=Communication.Mode.FACE_TO_FACE,
        date=dt.date(2026, 3, 10),
    )

    record_communication_held(
        communication=communication, by=agency_staff, outcome="委员同意办理方案", on=dt.date(2026, 3, 12)
    )

    communication.refresh_from_db()
    assert (communication.state, communication.outcome, communication.date) == (
        Communication.State.HELD,
        "委员同意办理方案",
        dt.date(2026, 3, 12),
    )
    event = last_event(assignment.proposal)
    assert (event.action, event.actor) == (Action.HOLD_COMMUNICATION, agency_staff)
    assert event.note == "2026-03-12 广州市科学技术局"


def test_communication_held_without_outcome_is_refused(clerk, agency_staff):
    assignment = signed_assignment(by_clerk=clerk, staff=agency_staff)
    communication = plan_communication(
        assignment=assignment, by=agency_staff, mode=Communication.Mode.PHONE, date=dt.date(2026, 3, 10)
    )

    with nothing_written(), pytest.raises(WorkflowError) as excinfo:
        record_communication_held(communication=communication, by=agency_staff, outcome="")

    assert_refused(excinfo, "outcome_required", "沟通情况", "Describe how it went")


def test_another_agency_cannot_record_a_communication(clerk, agency_staff, other_agency_staff):
    assignment = signed_assignment(by_clerk=clerk, staff=agency_staff)
    communication = plan_communication(
        assignment=assignment, by=agency_staff, mode=Communication.Mode.PHONE, date=dt.date(2026, 3, 10)
    )

    with nothing_written(), pytest.raises(PermissionRefused) as excinfo:
        record_communication_held(communication=communication, by=other_agency_staff, outcome="已沟通")

    assert excinfo.value.code == "not_your_agency"


def test_cancel_planned_communication(clerk, agency_staff):
    assignment = signed_assignment(by_clerk=clerk, staff=agency_staff)
    communication = plan_communication(
        assignment=assignment, by=agency_staff, mode=Communication.Mode.PHONE, date=dt.date(2026, 3, 10)
    )

    cancel_communication(communication=communication, by=agency_staff, reason="委员出差")

    communication.refresh_from_db()
    assert (communication.state, communication.cancel_reason) == (Communication.State.CANCELLED, "委员出差")
    event = last_event(assignment.proposal)
    assert (event.action, event.actor, event.note) == (Action.CANCEL_COMMUNICATION, agency_staff, "委员出差")


def test_held_communication_cannot_be_cancelled(clerk, agency_staff):
    assignment = signed_assignment(by_clerk=clerk, staff=agency_staff)
    communication = plan_communication(
        assignment=assignment, by=agency_staff, mode=Communication.Mode.PHONE, date=dt.date(2026, 3, 10)
    )
    record_communication_held(communication=communication, by=agency_staff, outcome="已沟通")

    with nothing_written(), pytest.raises(WorkflowError) as excinfo:
        cancel_communication(communication=communication, by=agency_staff, reason="误操作")

    assert_refused(excinfo, "communication_not_planned", "不是待开展状态", "not planned")


# --- recomputing deadlines --------------------------------------------------------------------


def _enter_2027_schedule(*rest_days):
    schedule = CalendarYear.objects.create(year=2027, note="国务院办公厅关于2027年部分节假日安排的通知")
    for day in rest_days:
        CalendarDay.objects.create(schedule=schedule, date=day, is_workday=False, name="清明节")


def test_recompute_open_deadlines_moves_provisional_deadline_and_records_it(clerk, agency):
    # Assigned Tue 1 Dec 2026: + 3 months = Mon 1 March 2027, provisional (2027 not published).
    proposal = assigned_proposal(by=clerk, lead=agency, on=dt.date(2026, 12, 1))
    assignment = assignment_of(proposal, agency)
    assert (assignment.due_on, assignment.due_provisional) == (dt.date(2027, 3, 1), True)
    _enter_2027_schedule(dt.date(2027, 3, 1))

    moved = recompute_open_deadlines(years=[2027], by=clerk)

    assignment.refresh_from_db()
    assert moved == 1
    assert (assignment.due_on, assignment.due_provisional) == (dt.date(2027, 3, 2), False)
    event = last_event(proposal)
    assert (event.action, event.assignment, event.actor) == (Action.RECOMPUTE_DEADLINE, assignment, clerk)
    assert event.note == "节假日安排更新，期限由2027-03-01调整为2027-03-02"


def test_recompute_leaves_closed_work_and_historical_records_alone(clerk, agency, other_agency, members):
    withdrawn = assigned_proposal(by=clerk, lead=agency, on=dt.date(2026, 12, 1), proposers=members[:1])
    withdraw_proposal(proposal=withdrawn, consenting=members[:1], by=clerk)
    historical = assigned_proposal(by=clerk, lead=other_agency, on=dt.date(2026, 12, 1))
    Proposal.objects.filter(pk=historical.pk).update(is_historical=True)  # as the letter import marks them
    _enter_2027_schedule(dt.date(2027, 3, 1))
    events_before = Event.objects.count()

    moved = recompute_open_deadlines(years=[2027], by=clerk)

    assert moved == 0
    assert Event.objects.count() == events_before
    assert set(Assignment.objects.values_list("due_on", flat=True)) == {dt.date(2027, 3, 1)}


def test_recompute_keeps_working_days_given_back_after_a_refused_reassignment(clerk, agency_staff):
    meeting = MeetingFactory(rules=RuleSetFactory(reassignment_stops_clock=True))
    assignment = signed_assignment(by_clerk=clerk, staff=agency_staff, meeting=meeting)
    request_reassignment(
        assignment=assignment, reason="不属于本单位职责", by=agency_staff, on=dt.date(2026, 3, 4)
    )
    decide_reassignment(assignment=assignment, approve=False, by=clerk, on=dt.date(2026, 3, 10))
    assignment.refresh_from_db()
    assert assignment.due_on == dt.date(2026, 6, 8)  # 2 June + the 4 working days the office took
    # The office corrects a day of 2026 far from this item's dates (a local rest day in November).
    schedule = CalendarYear.objects.create(year=2026)
    CalendarDay.objects.create(schedule=schedule, date=dt.date(2026, 11, 2), is_workday=False)

    recompute_open_deadlines(years=[2026], by=clerk)

    assignment.refresh_from_db()
    # Nothing in March-June changed, so the due date the office granted must stay 8 June.
    assert assignment.due_on == dt.date(2026, 6, 8)


def test_recompute_moves_the_communication_deadline_when_only_it_changes(clerk, agency):
    proposal = assigned_proposal(by=clerk, lead=agency)
    assignment = assignment_of(proposal, agency)
    assert assignment.communication_due_on == dt.date(2026, 3, 23)
    # The office marks Mon 16 March 2026 a rest day. The 7-day window (ends 11 March) and the
    # reply due (2 June) don't change, but 办前沟通 counts 3-6, 9-13, 17-20, 23, 24 March now.
    schedule = CalendarYear.objects.create(year=2026)
    CalendarDay.objects.create(schedule=schedule, date=dt.date(2026, 3, 16), is_workday=False)

    recompute_open_deadlines(years=[2026], by=clerk)

    assignment.refresh_from_db()
    assert (assignment.reassignment_window_ends_on, assignment.due_on) == (
        dt.date(2026, 3, 11),
        dt.date(2026, 6, 2),
    )
    assert assignment.communication_due_on == dt.date(2026, 3, 24)


def test_extension_to_the_hard_limit_on_a_rest_day_stays_within_it(clerk, agency_staff, members):
    # Assigned Thu 5 Mar 2026: due Fri 5 Jun; the 6-month limit, Sat 5 Sep, is a rest day.
    assignment = signed_assignment(by_clerk=clerk, staff=agency_staff, proposers=members[:1], on=dt.date(2026, 3, 5))
    extension = request_extension(assignment=assignment, until=dt.date(2026, 9, 5), reason="需跨年度预算", by=agency_staff)

    decide_extension(extension=extension, approve=True, by=clerk)

    assignment.refresh_from_db()
    # Rolling forward would give Mon 7 Sep, past the limit: the last working day before it is Fri 4 Sep.
    assert assignment.due_on == dt.date(2026, 9, 4)


def test_closing_cancels_an_assisting_opinion_still_outstanding(clerk, members):
    lead, assisting = AgencyFactory(), AgencyFactory()
    proposal = assigned_proposal(by=clerk, lead=lead, assisting=[assisting], proposers=members[:1])
    Proposal.objects.filter(pk=proposal.pk).update(status=Status.REPLIED)  # the lead's reply was sent

    close_proposal(proposal=proposal, by=clerk)

    opinion = proposal.assignments.get(agency=assisting)
    assert opinion.state == Assignment.State.CANCELLED
    assert opinion.events.filter(action=Event.Action.CLOSE).exists()
