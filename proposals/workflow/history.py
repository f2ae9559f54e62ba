"""Historical records: a proposal handled before the system, read from a published reply letter
(letters loads them). Born in their final state with an IMPORT event: nothing transitions, and
only these verbs write the status of such records."""

from __future__ import annotations

import datetime as dt

from proposals.models import Agency, Assignment, Communication, Event, Meeting, Proposal
from proposals.workflow._base import Action, Role, State, Status


def record_historical_proposal(
    *, meeting: Meeting, number: str, title: str, kind: str, closed_on: dt.date | None,
) -> Proposal:
    """A proposal of an earlier year, closed (已办结), with the IMPORT event that says where it came from."""
    proposal = Proposal.objects.create(
        meeting=meeting, number=number, title=title, kind=kind, is_historical=True, status=Status.CLOSED,
        closed_on=closed_on,
    )
    Event.objects.create(proposal=proposal, action=Action.IMPORT, to_state=Status.CLOSED, note="由公开答复函导入的历史记录")
    return proposal


def record_historical_assignment(*, proposal: Proposal, agency: Agency, role: str) -> tuple[Assignment, bool]:
    """The agency's finished work on a historical proposal (已答复, or 已提交会办意见 when assisting);
    the one it has already when a second letter names it again. Returns it and whether it is new."""
    final_state = State.OPINION_SENT if role == Role.ASSISTING else State.REPLIED
    return Assignment.objects.get_or_create(proposal=proposal, agency=agency, defaults={"role": role, "state": final_state})


def record_historical_communication(
    *, proposal: Proposal, agency: Agency, date: dt.date | None, mode: str, outcome: str,
) -> Communication:
    """A contact with the proposers that a historical letter says took place (已开展)."""
    return Communication.objects.create(
        proposal=proposal, agency=agency, state=Communication.State.HELD, date=date, mode=mode, outcome=outcome,
    )
