"""Deadlines of an assignment, from the meeting's rules and the working-day calendar (docs/domain.md, deadlines)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from proposals.models import Assignment, Meeting, RuleSet
from tracker import extensions
from tracker.workdays import WorkingCalendar, add_months


@dataclass(frozen=True)
class AssignmentDeadlines:
    due_on: dt.date
    provisional: bool
    reassignment_window_ends_on: dt.date
    communication_due_on: dt.date


def rules_for(meeting: Meeting) -> RuleSet:
    """The meeting's own rule set, else the office default, else the built-in defaults."""
    if meeting.rules_id:
        return meeting.rules
    return RuleSet.objects.filter(is_default=True).first() or RuleSet(name="default")


def answer_limits(proposal_ids) -> dict[int, int]:
    """Shorter reply periods, in working days, that apps above set for some proposals (the
    `answer_limits` hook: a 时效性 proposal's fast track). One call per batch, not per row."""
    ids = list(proposal_ids)
    limits: dict[int, int] = {}
    for contribute in extensions.contributions("answer_limits") if ids else ():
        limits.update(contribute(ids))
    return limits


def compute_deadlines(
    *, meeting: Meeting, role: str, assigned_on: dt.date, extended_to: dt.date | None = None,
    paused_workdays: int = 0, rehandling_started_on: dt.date | None = None, rules: RuleSet | None = None,
    calendar: WorkingCalendar | None = None, answer_workdays: int | None = None,
) -> AssignmentDeadlines:
    """Every deadline that follows from an assignment made on `assigned_on`.

    Reply due N months after assignment (an assisting opinion: its own, shorter period); a
    calendar date the meeting fixes wins when earlier, unless it had passed before the item was
    assigned (then it cannot apply); an approved extension replaces the due date; working days
    the clock stood still are added; a due date on a rest day moves to the next working day.
    A re-handling round (after 不满意) runs its own, shorter period from the day it started.
    """
    rules = rules or rules_for(meeting)
    calendar = calendar or WorkingCalendar()
    start = calendar.roll_to_workday(assigned_on)
    if rehandling_started_on:
        due = add_months(calendar.roll_to_workday(rehandling_started_on), rules.rehandling_months)
    else:
        months = rules.assisting_months if role == Assignment.Role.ASSISTING else rules.reply_months
        due = add_months(start, months)
        if meeting.reply_by and assigned_on < meeting.reply_by < due:
            due = meeting.reply_by
        if answer_workdays and role != Assignment.Role.ASSISTING:
            due = min(due, calendar.add_workdays(assigned_on, answer_workdays))
    if extended_to:
        due = extended_to
    due = calendar.roll_to_workday(due)
    if paused_workdays:
        due = calendar.add_workdays(due, paused_workdays)
    return AssignmentDeadlines(
        due_on=due,
        reassignment_window_ends_on=calendar.add_workdays(assigned_on, rules.reassignment_window_workdays),
        communication_due_on=calendar.add_workdays(assigned_on, rules.communication_workdays),
        provisional=calendar.provisional,
    )


class NewAssignmentDeadlines:
    """The deadlines of assignments made now, one or thousands (a 交办会 assigns most items on one day).

    Each meeting's rule set and each year's schedule are read once, and one meeting, role and
    date are reckoned once: every assignment of a batch gets what `compute_deadlines` gives it
    alone, without a query per row.
    """

    def __init__(self):
        self._calendar = WorkingCalendar()
        self._rules: dict[int, RuleSet] = {}
        self._reckoned: dict[tuple, AssignmentDeadlines] = {}

    def rules(self, meeting: Meeting) -> RuleSet:
        if meeting.pk not in self._rules:
            self._rules[meeting.pk] = rules_for(meeting)
        return self._rules[meeting.pk]

    def of(self, *, meeting: Meeting, role: str, assigned_on: dt.date,
           answer_workdays: int | None = None) -> AssignmentDeadlines:
        key = (meeting.pk, role, assigned_on, answer_workdays)
        if key not in self._reckoned:
            self._reckoned[key] = compute_deadlines(
                meeting=meeting, role=role, assigned_on=assigned_on, rules=self.rules(meeting),
                calendar=self._calendar.sharing_schedules(), answer_workdays=answer_workdays,
            )
        return self._reckoned[key]


def extension_limit(assignment: Assignment, rules: RuleSet | None = None) -> dt.date:
    """The latest date an extension may reach: N more months, never past the hard limit."""
    rules = rules or rules_for(assignment.proposal.meeting)
    return min(
        add_months(assignment.due_on, rules.extension_max_months),
        add_months(assignment.assigned_on, rules.hard_limit_months),
    )


def days_left(due_on: dt.date, today: dt.date) -> int:
    """Calendar days until the due date; negative when overdue."""
    return (due_on - today).days
