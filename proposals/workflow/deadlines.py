"""Open deadlines recomputed when the year's schedule of working days is entered or corrected.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q

from proposals.models import (
    Assignment,
)
from proposals.transitions import (
    lock_assignment,
    record,
)
from proposals.workflow._base import Action, _deadlines_of


@transaction.atomic
def recompute_open_deadlines(*, years: Iterable[int] = (), by=None) -> int:
    """Recompute open deadlines after a year's schedule was entered or corrected.

    Touches provisional deadlines and those whose period crosses the changed years; records an
    Event for each assignment whose due date moved or became final. Returns how many changed.
    """
    touched = Q(due_provisional=True)
    for year in sorted(set(years)):
        touched |= Q(assigned_on__year__lte=year, due_on__year__gte=year)
    candidates = Assignment.objects.filter(touched, state__in=Assignment.OPEN_STATES, proposal__is_historical=False)
    changed = 0
    for assignment_id in candidates.order_by("proposal_id", "pk").values_list("pk", flat=True):
        # Proposal first, then the assignment, as every step does: no deadlock with a step in flight.
        assignment = lock_assignment(Assignment(pk=assignment_id))
        if assignment.state not in Assignment.OPEN_STATES:
            continue
        deadlines = _deadlines_of(assignment)
        before = (assignment.due_on, assignment.due_provisional)
        fields = {
            "due_on": deadlines.due_on, "due_provisional": deadlines.provisional,
            "reassignment_window_ends_on": deadlines.reassignment_window_ends_on,
            "communication_due_on": deadlines.communication_due_on,
        }
        if all(getattr(assignment, name) == value for name, value in fields.items()):
            continue
        for name, value in fields.items():
            setattr(assignment, name, value)
        assignment.save(update_fields=list(fields))
        if before == (deadlines.due_on, deadlines.provisional):
            continue
        changed += 1
        if before[0] == deadlines.due_on:
            note = f"节假日安排已录入，期限{deadlines.due_on:%Y-%m-%d}确定"
        else:
            note = f"节假日安排更新，期限由{before[0]:%Y-%m-%d}调整为{deadlines.due_on:%Y-%m-%d}"
        if deadlines.provisional:
            note += "（仍为暂定）"
        record(assignment.proposal, Action.RECOMPUTE_DEADLINE, by, assignment=assignment, note=note)
    return changed
