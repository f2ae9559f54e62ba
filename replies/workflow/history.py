"""Historical letters: a reply or an assisting opinion read from a published document (letters
loads them), born sent, on a historical proposal's finished assignment (proposals.workflow.history)."""

from __future__ import annotations

from typing import Any

from proposals.models import Assignment
from replies.models import AssistingOpinion, Reply


def record_historical_reply(*, assignment: Assignment, **letter: Any) -> Reply:
    """The lead agency's reply of the first round, sent and published as the document says."""
    return Reply.objects.create(
        assignment=assignment, round=1, state=Reply.State.SENT, is_historical=True, signing_agency=assignment.agency,
        disclosure=Reply.Disclosure.PUBLIC, **letter,
    )


def record_historical_opinion(*, assignment: Assignment, **letter: Any) -> AssistingOpinion:
    """An assisting agency's opinion, sent to the lead agency."""
    return AssistingOpinion.objects.create(assignment=assignment, state=AssistingOpinion.State.SENT, **letter)
