"""Two people doing the same step at the same moment, on the real PostgreSQL.

Each contender runs in its own thread with its own database connection and its own
transaction; a barrier releases them together. The row locks in proposals.workflow must let
exactly one win and give the other a clear WorkflowError, leaving one set of rows and Events.

These tests commit for real (transaction=True), so the database is flushed afterwards;
serialized_rollback restores the groups, rule set and grounds that migrations made.
"""

import datetime as dt
import threading
import time

import pytest
from django.db import connection, transaction

from proposals.models import Assignment, Event, Extension, Proposal
from proposals.workflow import (
    assign_proposal,
    decide_extension,
    register_proposal,
    request_extension,
    sign_for_assignment,
    withdraw_proposal,
)
from tests.factories import (
    ASSIGNED_ON,
    AgencyStaffUserFactory,
    accepted_proposal,
    assigned_proposal,
    assignment_of,
)
from tracker.errors import WorkflowError

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def run_at_once(*calls):
    """Run each call in its own thread, released together; return ("ok", value) or ("error", exc)."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def contender(index, call):
        try:
            connection.ensure_connection()  # connect before the barrier, so the race is the step itself
            barrier.wait(timeout=10)
            outcomes[index] = ("ok", call())
        except Exception as error:  # the outcome is what the test asserts on
            outcomes[index] = ("error", error)
        finally:
            connection.close()

    threads = [threading.Thread(target=contender, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a contender hung: a lock was never released"
    return outcomes


def in_thread(outcomes: dict, name: str, call) -> threading.Thread:
    """A thread that runs `call` on its own connection and stores ("ok", value) or ("error", exc)."""

    def target():
        try:
            outcomes[name] = ("ok", call())
        except Exception as error:
            outcomes[name] = ("error", error)
        finally:
            connection.close()

    return threading.Thread(target=target)


def wait_until_waiting_for_locks(count: int) -> None:
    """Block until `count` other sessions of the test database wait on a lock."""
    deadline = time.monotonic() + 10
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            # Inside a transaction the activity view is a snapshot: refresh it on every look.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0] >= count:
                return
            time.sleep(0.02)
    raise AssertionError(f"expected {count} sessions waiting on a lock")


def split(outcomes):
    wins = [value for kind, value in outcomes if kind == "ok"]
    losses = [value for kind, value in outcomes if kind == "error"]
    return wins, losses


def test_two_clerks_assigning_the_same_proposal_at_once_assign_it_once(
    clerk, other_clerk, agency, other_agency
):
    proposal = accepted_proposal(by=clerk)

    outcomes = run_at_once(
        lambda: assign_proposal(proposal=proposal, by=clerk, lead=agency, on=ASSIGNED_ON),
        lambda: assign_proposal(proposal=proposal, by=other_clerk, lead=other_agency, on=ASSIGNED_ON),
    )

    wins, losses = split(outcomes)
    assert len(wins) == 1 and len(losses) == 1, outcomes
    assert isinstance(losses[0], WorkflowError), repr(losses[0])
    assert losses[0].code in {"invalid_state", "already_assigned"}
    winning_agency = wins[0][0].agency
    leads = Assignment.objects.filter(proposal=proposal, role=Assignment.Role.LEAD)
    assert [lead.agency for lead in leads] == [winning_agency]
    assert Event.objects.filter(proposal=proposal, action=Event.Action.ASSIGN).count() == 1
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.ASSIGNED


def test_two_agency_users_signing_the_same_assignment_at_once_sign_it_once(clerk, agency, agency_staff):
    colleague = AgencyStaffUserFactory(agency=agency)
    proposal = assigned_proposal(by=clerk, lead=agency)
    assignment = assignment_of(proposal, agency)

    outcomes = run_at_once(
        lambda: sign_for_assignment(assignment=assignment, by=agency_staff),
        lambda: sign_for_assignment(assignment=assignment, by=colleague),
    )

    wins, losses = split(outcomes)
    assert len(wins) == 1 and len(losses) == 1, outcomes
    assert isinstance(losses[0], WorkflowError), repr(losses[0])
    assert losses[0].code == "invalid_state"
    assignment.refresh_from_db()
    assert assignment.state == Assignment.State.ACCEPTED
    assert assignment.signed_by == wins[0].signed_by
    signed = Event.objects.filter(proposal=proposal, action=Event.Action.SIGN_FOR)
    # One for the assignment (pending -> accepted), one for the proposal (assigned -> in progress).
    assert sorted(signed.values_list("from_state", "to_state")) == [
        (Proposal.Status.ASSIGNED, Proposal.Status.IN_PROGRESS),
        (Assignment.State.PENDING, Assignment.State.ACCEPTED),
    ]
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.IN_PROGRESS


def test_two_clerks_registering_the_same_number_at_once_register_it_once(
    clerk, other_clerk, meeting, members
):
    outcomes = run_at_once(
        lambda: register_proposal(
            meeting=meeting, number="2053", title="关于甲的提案", proposers=members[:1], by=clerk
        ),
        lambda: register_proposal(
            meeting=meeting, number="2053", title="关于乙的提案", proposers=members[1:2], by=other_clerk
        ),
    )

    wins, losses = split(outcomes)
    assert len(wins) == 1 and len(losses) == 1, outcomes
    assert isinstance(losses[0], WorkflowError), repr(losses[0])
    assert losses[0].code == "duplicate_number"
    registered = Proposal.objects.get(meeting=meeting, number="2053")
    assert registered.title == wins[0].title
    assert registered.proposers.count() == 1
    assert Event.objects.filter(action=Event.Action.REGISTER).count() == 1


def test_two_clerks_deciding_the_same_extension_at_once_decide_it_once(
    clerk, other_clerk, agency, agency_staff
):
    proposal = assigned_proposal(by=clerk, lead=agency)
    assignment = assignment_of(proposal, agency)
    extension = request_extension(
        assignment=assignment, until=dt.date(2026, 7, 2), reason="需跨部门协调", by=agency_staff
    )

    outcomes = run_at_once(
        lambda: decide_extension(extension=extension, approve=True, by=clerk),
        lambda: decide_extension(extension=extension, approve=False, by=other_clerk),
    )

    wins, losses = split(outcomes)
    assert len(wins) == 1 and len(losses) == 1, outcomes
    assert isinstance(losses[0], WorkflowError), repr(losses[0])
    assert losses[0].code == "extension_decided"
    extension.refresh_from_db()
    assignment.refresh_from_db()
    assert extension.state == wins[0].state
    # The due date agrees with the decision that won.
    expected_due = dt.date(2026, 7, 2) if extension.state == Extension.State.APPROVED else dt.date(2026, 6, 2)
    assert assignment.due_on == expected_due
    decisions = Event.objects.filter(
        proposal=proposal, action__in=[Event.Action.APPROVE_EXTENSION, Event.Action.REFUSE_EXTENSION]
    )
    assert decisions.count() == 1


def test_clerk_withdrawing_while_the_agency_signs_ends_cleanly_not_in_a_deadlock(
    clerk, agency, agency_staff, members
):
    proposal = assigned_proposal(by=clerk, lead=agency, proposers=members[:1])
    assignment = assignment_of(proposal, agency)
    outcomes = {}
    signing = in_thread(outcomes, "sign", lambda: sign_for_assignment(assignment=assignment, by=agency_staff))
    withdrawing = in_thread(
        outcomes, "withdraw", lambda: withdraw_proposal(proposal=proposal, consenting=members[:1], by=clerk)
    )

    # Another session (say, an admin save) holds the assignment row for a moment. The agency's
    # signature queues behind it first, then the clerk's withdrawal, which has already locked
    # the proposal. Whatever the order, each must end in success or a WorkflowError.
    with transaction.atomic():
        Assignment.objects.select_for_update().get(pk=assignment.pk)
        signing.start()
        wait_until_waiting_for_locks(1)
        withdrawing.start()
        wait_until_waiting_for_locks(2)
    signing.join(timeout=30)
    withdrawing.join(timeout=30)

    assert not signing.is_alive() and not withdrawing.is_alive()
    errors = {name: value for name, (kind, value) in outcomes.items() if kind == "error"}
    assert all(isinstance(error, WorkflowError) for error in errors.values()), errors
    # Withdrawing is allowed whether or not the agency signed first, so it must have happened.
    assert outcomes["withdraw"][0] == "ok"
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.WITHDRAWN
    assert Assignment.objects.get(pk=assignment.pk).state == Assignment.State.CANCELLED


# --- batch verbs (issue 12) ------------------------------------------------------------------------


def test_two_clerks_registering_overlapping_batches_at_once_register_each_number_once(
    clerk, other_clerk, meeting, members
):
    from proposals.workflow import NewProposal, register_proposals

    def batch(by, numbers, member):
        rows = [NewProposal(Proposal(meeting=meeting, number=n, title=f"关于第{n}号的提案"), [member]) for n in numbers]
        return lambda: register_proposals(rows=rows, by=by)

    outcomes = run_at_once(batch(clerk, ["1", "2"], members[0]), batch(other_clerk, ["2", "3"], members[1]))

    wins, losses = split(outcomes)
    assert not losses, losses
    refused = [(refusal.code, refusal.zh) for outcome in wins for refusal in outcome.refused.values()]
    assert refused == [("duplicate_number", "本次会议已有第2号")]
    assert sorted(Proposal.objects.filter(meeting=meeting).values_list("number", flat=True)) == ["1", "2", "3"]
    assert Event.objects.filter(action=Event.Action.REGISTER).count() == 3
    # The second "2" left nothing behind: one proposer on it, the one of the batch that won it.
    assert Proposal.objects.get(meeting=meeting, number="2").proposers.count() == 1


def test_two_clerks_assigning_overlapping_batches_at_once_assign_each_proposal_once(
    clerk, other_clerk, agency, other_agency
):
    from proposals.workflow import AssignmentPlan, assign_proposals

    first, shared, last = (accepted_proposal(by=clerk) for _ in range(3))

    def batch(by, proposals, lead):
        return lambda: assign_proposals(plans=[AssignmentPlan(p, lead=lead) for p in proposals], by=by, on=ASSIGNED_ON)

    outcomes = run_at_once(batch(clerk, [first, shared], agency), batch(other_clerk, [last, shared], other_agency))

    wins, losses = split(outcomes)
    assert not losses, losses
    assert [refusal.code for outcome in wins for refusal in outcome.refused.values()] == ["invalid_state"]
    for proposal in (first, shared, last):
        assert Assignment.objects.filter(proposal=proposal).count() == 1
        assert Event.objects.filter(proposal=proposal, action=Event.Action.ASSIGN).count() == 1
