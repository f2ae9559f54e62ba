"""办前沟通: contacts with the proposers planned, held, corrected or cancelled.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from proposals import access
from proposals.models import (
    Assignment,
    Communication,
)
from proposals.transitions import (
    lock_assignment,
    record,
    require_agency_staff,
    require_assignment_step,
    today,
)
from proposals.workflow._base import Action
from tracker.errors import WorkflowError


@transaction.atomic
def plan_communication(*, assignment: Assignment, by, mode: str, date: dt.date, **details) -> Communication:
    """Schedule a meeting or contact with the proposers (办前沟通)."""
    assignment = lock_assignment(assignment)
    if not access.is_clerk(by):
        require_agency_staff(by, assignment.agency)
    require_assignment_step(assignment, "plan_communication")
    _require_not_before_assignment(assignment, date)
    members = details.pop("members", ())
    communication = Communication.objects.create(
        proposal=assignment.proposal, agency=assignment.agency, mode=mode, date=date, **details
    )
    communication.members.set(members)
    record(assignment.proposal, Action.PLAN_COMMUNICATION, by, assignment=assignment,
            note=f"{date:%Y-%m-%d} {communication.get_mode_display()}")
    return communication


@transaction.atomic
def record_communication_held(*, communication: Communication, by, outcome: str, on: dt.date | None = None) -> Communication:
    """The contact took place: keep what was said."""
    communication = Communication.objects.select_for_update().select_related("proposal", "agency").get(pk=communication.pk)
    if not access.is_clerk(by):
        require_agency_staff(by, communication.agency)
    if communication.state != Communication.State.PLANNED:
        raise WorkflowError("communication_not_planned", "该沟通不是待开展状态", "This contact is not planned.")
    if not outcome.strip():
        raise WorkflowError("outcome_required", "请填写沟通情况", "Describe how it went.", field="outcome")
    _require_held_date(communication, on or communication.date)
    communication.state, communication.outcome = Communication.State.HELD, outcome
    communication.date = on or communication.date
    communication.save(update_fields=["state", "outcome", "date"])
    record(communication.proposal, Action.HOLD_COMMUNICATION, by, assignment=_assignment_of_agency(communication),
            note=f"{communication.date:%Y-%m-%d} {communication.agency}")
    return communication


def _require_not_before_assignment(assignment: Assignment | None, date: dt.date) -> None:
    if assignment is not None and assignment.assigned_on and date < assignment.assigned_on:
        raise WorkflowError(
            "communication_before_assignment",
            f"沟通日期{date:%Y年%m月%d日}早于交办日期{assignment.assigned_on:%Y年%m月%d日}，请核对",
            f"The contact date {date} is before the assignment date {assignment.assigned_on}.", field="date",
        )


def _require_held_date(communication: Communication, date: dt.date) -> None:
    """A contact recorded as held took place: not in the future (its time too, when it has one, in
    Beijing time), not before the work was assigned."""
    if date > today():
        raise WorkflowError(
            "communication_in_future", f"沟通日期{date:%Y年%m月%d日}晚于今天，尚未开展的沟通不能登记为已开展",
            f"The contact date {date} is in the future; it cannot be recorded as held yet.", field="on",
        )
    now = timezone.localtime()
    if date == now.date() and communication.time is not None and communication.time > now.time():
        raise WorkflowError(
            "communication_in_future",
            f"沟通时间为今天{communication.time:%H:%M},现在是{now:%H:%M},尚未开展的沟通不能登记为已开展",
            f"The contact is at {communication.time:%H:%M} today and it is {now:%H:%M} now; it cannot be "
            f"recorded as held yet.", field="on",
        )
    _require_not_before_assignment(_assignment_of_agency(communication), date)


# What a held contact's correction may change; who took part stays as recorded.
CORRECTABLE_COMMUNICATION_FIELDS = ("date", "mode", "place", "outcome")


@transaction.atomic
def correct_communication(*, communication: Communication, by, **changes) -> Communication:
    """更正沟通记录: the agency that held a contact corrects how it was recorded (a wrong date or
    mode, a fuller account); the timeline keeps what was there before."""
    unknown = set(changes) - set(CORRECTABLE_COMMUNICATION_FIELDS)
    if unknown:
        raise TypeError(f"not correctable: {sorted(unknown)}")
    communication = Communication.objects.select_for_update().select_related("proposal", "agency").get(pk=communication.pk)
    require_agency_staff(by, communication.agency)
    if communication.state != Communication.State.HELD:
        raise WorkflowError("communication_not_held", "只有已开展的沟通可以更正，待开展的请直接登记或取消",
                            "Only a held contact can be corrected.")
    if "outcome" in changes and not (changes["outcome"] or "").strip():
        raise WorkflowError("outcome_required", "请填写沟通情况", "Describe how it went.", field="outcome")
    if "mode" in changes and changes["mode"] not in Communication.Mode.values:
        raise WorkflowError("unknown_mode", "沟通方式无效", "Unknown mode.", field="mode")
    if "date" in changes:
        _require_held_date(communication, changes["date"])
    changed = [name for name, value in changes.items() if getattr(communication, name) != value]
    if not changed:
        return communication
    before = {name: _shown(communication, name) for name in changed}
    for name in changed:
        setattr(communication, name, changes[name])
    communication.save(update_fields=changed)
    what = "；".join(
        f"{Communication._meta.get_field(name).verbose_name}由“{before[name]}”改为“{_shown(communication, name)}”"
        for name in changed
    )
    record(communication.proposal, Action.EDIT, by, assignment=_assignment_of_agency(communication),
           note=f"更正沟通记录：{what}")
    return communication


def _shown(communication: Communication, name: str) -> str:
    value = communication.get_mode_display() if name == "mode" else getattr(communication, name)
    return "" if value is None else str(value)


@transaction.atomic
def cancel_communication(*, communication: Communication, by, reason: str) -> Communication:
    communication = Communication.objects.select_for_update().select_related("proposal", "agency").get(pk=communication.pk)
    if not access.is_clerk(by):
        require_agency_staff(by, communication.agency)
    if communication.state != Communication.State.PLANNED:
        raise WorkflowError("communication_not_planned", "该沟通不是待开展状态", "This contact is not planned.")
    communication.state, communication.cancel_reason = Communication.State.CANCELLED, reason
    communication.save(update_fields=["state", "cancel_reason"])
    record(communication.proposal, Action.CANCEL_COMMUNICATION, by, assignment=_assignment_of_agency(communication),
            note=reason)
    return communication


def _assignment_of_agency(communication: Communication) -> Assignment | None:
    """The agency's current assignment on the proposal, so the timeline shows each agency its own
    contacts only."""
    return (
        communication.proposal.assignments.filter(agency=communication.agency_id)
        .current().first()
    )
