"""The batch verbs (issue 12): register_proposals and assign_proposals apply the one-row verbs' rules
to thousands of rows in one transaction and a fixed number of queries.

Each is held against its one-row verb: the same rows, deadlines and Events for the same input, the
same refusal for a bad row (with nothing of that row written), and the step listeners told of
every Event written.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from proposals import access, transitions
from proposals.models import Assignment, Event, Proposal, Proposer
from proposals.workflow import (
    AssignmentPlan,
    NewProposal,
    assign_proposal,
    assign_proposals,
    register_proposal,
    register_proposals,
)
from tests.factories import (
    ASSIGNED_ON,
    AgencyFactory,
    MeetingFactory,
    accepted_proposal,
    assigned_proposal,
    registered_proposal,
)
from tracker.errors import PermissionRefused, WorkflowError

pytestmark = pytest.mark.django_db

Status = Proposal.Status
Action = Event.Action

# What an assignment carries that the rules compute; compared between the one-row and the batch verb.
ASSIGNMENT_FIELDS = ("agency_id", "role", "state", "assigned_on", "due_on", "due_provisional",
                     "reassignment_window_ends_on", "communication_due_on")
EVENT_FIELDS = ("action", "from_state", "to_state", "actor_id", "note", "assignment_id")


def events(proposal) -> list[tuple]:
    return list(Event.objects.filter(proposal=proposal).order_by("pk").values_list(*EVENT_FIELDS))


def assignments(proposal) -> list[tuple]:
    return list(Assignment.objects.filter(proposal=proposal).order_by("role", "agency_id").values_list(*ASSIGNMENT_FIELDS))


def queries_of(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


def new_proposal(meeting, number: str, proposers, **fields) -> NewProposal:
    return NewProposal(Proposal(meeting=meeting, number=number, title=f"关于第{number}号事项的提案", **fields), proposers)


@pytest.fixture
def heard(monkeypatch):
    """The event ids each step listener call was given (the real listeners stay out of it)."""
    calls: list[list[int]] = []
    monkeypatch.setattr(transitions, "step_listeners", lambda: [calls.append])
    return calls


# --- registering ----------------------------------------------------------------------------------


def test_a_batch_registers_each_row_as_register_proposal_does(clerk, meeting, members):
    single = register_proposal(meeting=meeting, number="1", title="关于甲的提案", proposers=members, by=clerk,
                               category=Proposal.Category.SCIENCE, is_key=True, submitted_on=dt.date(2026, 1, 12))
    outcome = register_proposals(rows=[new_proposal(meeting, "2", members, category=Proposal.Category.SCIENCE,
                                                    is_key=True, submitted_on=dt.date(2026, 1, 12))], by=clerk)

    batch = outcome.only()
    assert not outcome.refused
    for proposal in (single, batch):
        proposal.refresh_from_db()
    fields = ("status", "meeting_id", "kind", "category", "is_key", "submitted_on")
    assert [getattr(batch, name) for name in fields] == [getattr(single, name) for name in fields]
    signed = [list(p.proposers.order_by("order").values_list("member_id", "order", "is_lead")) for p in (single, batch)]
    assert signed[0] == signed[1] == [(members[0].pk, 1, True), (members[1].pk, 2, False), (members[2].pk, 3, False)]
    assert events(batch) == events(single) == [(Action.REGISTER, "", Status.SUBMITTED, clerk.pk, "", None)]


def test_a_refused_row_is_refused_as_register_proposal_refuses_it_and_nothing_of_it_is_written(clerk, meeting, members):
    registered_proposal(by=clerk, meeting=meeting, number="7", proposers=members[:1])
    rows = [
        new_proposal(meeting, "10", members[:2]),
        new_proposal(meeting, "11", []),  # no proposer
        new_proposal(meeting, "12", [members[0], members[1], members[0]]),  # a proposer twice
        new_proposal(meeting, "7", members[:1]),  # taken before
        new_proposal(meeting, "10", members[2:]),  # taken by an earlier row of the batch
        new_proposal(meeting, "13", members[1:]),
    ]
    outcome = register_proposals(rows=rows, by=clerk)

    assert {index: refusal.code for index, refusal in outcome.refused.items()} == {
        1: "no_proposer", 2: "duplicate_proposer", 3: "duplicate_number", 4: "duplicate_number"}
    for index, refusal in outcome.refused.items():
        row = rows[index]
        with pytest.raises(WorkflowError) as single:
            register_proposal(meeting=meeting, number=row.proposal.number, title="另一件", proposers=row.proposers, by=clerk)
        assert (single.value.code, single.value.zh) == (refusal.code, refusal.zh)
    assert sorted(outcome.done) == [0, 5]
    assert sorted(Proposal.objects.filter(meeting=meeting).values_list("number", flat=True)) == ["10", "13", "7"]
    assert list(Proposal.objects.get(meeting=meeting, number="10").proposers.values_list("member_id", flat=True)) == [
        members[0].pk, members[1].pk]
    assert Event.objects.filter(proposal__meeting=meeting, action=Action.REGISTER).count() == 3


def test_registering_is_for_clerks_the_whole_batch_is_refused_otherwise(agency_staff, meeting, members):
    with pytest.raises(PermissionRefused):
        register_proposals(rows=[new_proposal(meeting, "1", members)], by=agency_staff)
    assert not Proposal.objects.filter(meeting=meeting).exists()


def test_registering_costs_the_same_queries_for_50_rows_as_for_5(clerk, members):
    def batch(meeting, count):
        return lambda: register_proposals(rows=[new_proposal(meeting, str(n), members) for n in range(count)], by=clerk)

    access.is_clerk(clerk)  # the clerk's groups are read once and kept on the user for both runs
    few, many = queries_of(batch(MeetingFactory(), 5)), queries_of(batch(MeetingFactory(), 50))
    assert many == few <= 12
    assert Proposer.objects.count() == 55 * 3


def test_listeners_hear_once_of_every_registration_event(clerk, meeting, members, heard,
                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        register_proposals(rows=[new_proposal(meeting, str(n), members) for n in range(4)], by=clerk)
    assert heard == [list(Event.objects.filter(action=Action.REGISTER).order_by("pk").values_list("pk", flat=True))]


# --- 交办 -----------------------------------------------------------------------------------------


@pytest.fixture
def lead(db):
    return AgencyFactory(name="广州市发展和改革委员会")


@pytest.fixture
def helpers(db):
    return [AgencyFactory(name="广州市财政局"), AgencyFactory(name="广州市民政局")]


@pytest.mark.parametrize("on", [ASSIGNED_ON, dt.date(2026, 11, 30)], ids=["final", "reply-due-in-an-unpublished-year"])
def test_a_batch_assigns_with_the_deadlines_and_events_assign_proposal_gives(clerk, meeting, lead, helpers, on):
    fixed = MeetingFactory(reply_by=dt.date(2026, 5, 15))  # a meeting's own date wins when earlier
    singles = [accepted_proposal(by=clerk, meeting=m) for m in (meeting, fixed)]
    batched = [accepted_proposal(by=clerk, meeting=m) for m in (meeting, fixed)]
    for proposal in singles:
        assign_proposal(proposal=proposal, by=clerk, lead=lead, assisting=helpers, on=on)

    outcome = assign_proposals(plans=[AssignmentPlan(p, lead=lead, assisting=tuple(helpers)) for p in batched],
                               by=clerk, on=on)

    assert not outcome.refused and [len(made) for made in outcome.done.values()] == [3, 3]
    for single, batch in zip(singles, batched):
        assert assignments(batch) == assignments(single)
        assert [event[:5] for event in events(batch)] == [event[:5] for event in events(single)]
        assert Proposal.objects.get(pk=batch.pk).status == Status.ASSIGNED
    if on.month == 11:
        # The lead's reply falls due in 2027, whose schedule is not published; the assisting
        # opinion's month stays in 2026: one provisional deadline does not make the other so.
        assert {(role, provisional) for _, role, _, _, _, provisional, *_ in assignments(batched[0])} == {
            ("lead", True), ("assisting", False)}


def test_joint_agencies_are_assigned_in_a_batch_as_one_by_one(clerk, meeting, lead, helpers):
    single, batch = accepted_proposal(by=clerk, meeting=meeting), accepted_proposal(by=clerk, meeting=meeting)
    assign_proposal(proposal=single, by=clerk, joint=[lead, helpers[0]], assisting=helpers[1:], on=ASSIGNED_ON)
    assign_proposals(plans=[AssignmentPlan(batch, joint=(lead, helpers[0]), assisting=tuple(helpers[1:]))],
                     by=clerk, on=ASSIGNED_ON)
    assert assignments(batch) == assignments(single)


def test_a_refused_plan_is_refused_as_assign_proposal_refuses_it_and_nothing_of_it_is_written(
    clerk, meeting, lead, helpers
):
    ready, also_ready = accepted_proposal(by=clerk, meeting=meeting), accepted_proposal(by=clerk, meeting=meeting)
    waiting = registered_proposal(by=clerk, meeting=meeting)
    taken = assigned_proposal(by=clerk, meeting=meeting, lead=helpers[1])
    plans = [
        AssignmentPlan(ready, lead=lead, assisting=(helpers[0],)),
        AssignmentPlan(waiting, lead=lead),  # not 立案 yet
        AssignmentPlan(taken, lead=lead),  # assigned before
        AssignmentPlan(also_ready, assisting=(helpers[0],)),  # no lead
        AssignmentPlan(also_ready, lead=lead, assisting=(lead,)),  # one agency twice
        AssignmentPlan(ready, lead=helpers[1]),  # assigned by an earlier plan of the batch
    ]
    before = {p.pk: (events(p), assignments(p)) for p in (waiting, taken, also_ready)}

    outcome = assign_proposals(plans=plans, by=clerk, on=ASSIGNED_ON)

    assert {index: refusal.code for index, refusal in outcome.refused.items()} == {
        1: "invalid_state", 2: "invalid_state", 3: "lead_required", 4: "agency_twice", 5: "invalid_state"}
    assert "待审查" in outcome.refused[1].zh and "已交办" in outcome.refused[2].zh and "已交办" in outcome.refused[5].zh
    for index in (1, 2, 3, 4):
        plan = plans[index]
        with pytest.raises(WorkflowError) as single:
            assign_proposal(proposal=plan.proposal, by=clerk, lead=plan.lead, joint=plan.joint,
                            assisting=plan.assisting, on=ASSIGNED_ON)
        assert (single.value.code, single.value.zh) == (outcome.refused[index].code, outcome.refused[index].zh)
    assert {p.pk: (events(p), assignments(p)) for p in (waiting, taken, also_ready)} == before
    assert [(a.agency_id, a.role) for a in outcome.done[0]] == [(lead.pk, "lead"), (helpers[0].pk, "assisting")]
    assert Proposal.objects.get(pk=ready.pk).status == Status.ASSIGNED
    assert Event.objects.filter(proposal=ready, action=Action.ASSIGN).count() == 1


def test_assigning_is_for_clerks_the_whole_batch_is_refused_otherwise(clerk, agency_staff, meeting, lead):
    proposal = accepted_proposal(by=clerk, meeting=meeting)
    with pytest.raises(PermissionRefused):
        assign_proposals(plans=[AssignmentPlan(proposal, lead=lead)], by=agency_staff, on=ASSIGNED_ON)
    assert not proposal.assignments.exists()


def test_assigning_costs_the_same_queries_for_50_proposals_as_for_5(clerk, lead, helpers):
    def batch(count):
        meeting = MeetingFactory()
        plans = [AssignmentPlan(accepted_proposal(by=clerk, meeting=meeting), lead=lead, assisting=tuple(helpers))
                 for _ in range(count)]
        return lambda: assign_proposals(plans=plans, by=clerk, on=ASSIGNED_ON)

    few, many = batch(5), batch(50)
    few_queries, many_queries = queries_of(few), queries_of(many)
    print(f"assign_proposals: {few_queries} queries for 5 proposals, {many_queries} for 50")
    assert many_queries == few_queries <= 20
    assert Assignment.objects.count() == 55 * 3


def test_listeners_hear_once_of_every_assignment_event(clerk, meeting, lead, heard, django_capture_on_commit_callbacks):
    proposals = [accepted_proposal(by=clerk, meeting=meeting) for _ in range(3)]
    heard.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assign_proposals(plans=[AssignmentPlan(p, lead=lead) for p in proposals], by=clerk, on=ASSIGNED_ON)
    assert heard == [list(Event.objects.filter(action=Action.ASSIGN).order_by("pk").values_list("pk", flat=True))]
    assert len(heard[0]) == 3


def test_a_batch_rolled_back_tells_no_listener(clerk, meeting, lead, heard, django_capture_on_commit_callbacks):
    from django.db import transaction

    proposal = accepted_proposal(by=clerk, meeting=meeting)
    heard.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            assign_proposals(plans=[AssignmentPlan(proposal, lead=lead)], by=clerk, on=ASSIGNED_ON)
            transaction.set_rollback(True)
    assert callbacks == [] and heard == []
    assert not proposal.assignments.exists()
