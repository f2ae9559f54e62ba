"""A step locks each row it changes once: the rating that re-opens the work and the reply that
completes the round each take the proposal's row lock a single time, whatever verbs they chain."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from proposals.models import Proposal
from replies import workflow
from replies.models import Rating

pytestmark = pytest.mark.django_db


def proposal_row_locks(queries) -> int:
    """SELECT … FOR UPDATE statements that read the proposals table as their main table."""
    table = f'FROM "{Proposal._meta.db_table}"'
    return sum(1 for query in queries if "FOR UPDATE" in query["sql"] and table in query["sql"])


def test_the_last_rating_locks_the_proposal_once_while_evaluating_and_reopening_it(sent, proposer_users):
    proposal = sent.proposal
    for user in proposer_users[:-1]:
        workflow.record_feedback(proposal=proposal, member=user.member, attitude=Rating.SATISFIED,
                                 result=Rating.SATISFIED, by=user)
    last = proposer_users[-1]
    with CaptureQueriesContext(connection) as captured:
        workflow.record_feedback(proposal=proposal, member=last.member, attitude=Rating.SATISFIED,
                                 result=Rating.UNSATISFIED, by=last)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.round) == (Proposal.Status.REHANDLING, 2)  # evaluated, then re-opened
    assert proposal_row_locks(captured.captured_queries) == 1


def test_closing_the_rating_period_locks_the_proposal_once(sent, proposer_users, clerk):
    workflow.record_feedback(proposal=sent.proposal, member=proposer_users[0].member, attitude=Rating.SATISFIED,
                             result=Rating.UNSATISFIED, by=proposer_users[0])
    with CaptureQueriesContext(connection) as captured:
        proposal = workflow.close_feedback_window(proposal=sent.proposal, by=clerk)
    assert proposal.status == Proposal.Status.REHANDLING
    assert proposal_row_locks(captured.captured_queries) == 1


def test_sending_the_last_reply_locks_the_proposal_once_while_marking_it_replied(signed, agency_staff):
    with CaptureQueriesContext(connection) as captured:
        sent = workflow.send_reply(reply=signed, by=agency_staff)
    sent.assignment.proposal.refresh_from_db()
    assert sent.assignment.proposal.status == Proposal.Status.REPLIED
    assert proposal_row_locks(captured.captured_queries) == 1
