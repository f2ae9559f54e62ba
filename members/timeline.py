"""A member's timeline: one entry per step, every date written the same way.

One step often writes two timeline entries, the agency's (签收 of its assignment, its reply sent)
and the proposal's change of state that follows from it (办理中, 已答复, 已评价): a member reads
them as one milestone.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from proposals.models import Event

# Steps write ISO dates into their notes (2026-12-07); a member's page writes 2026年12月7日.
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_ONE_STEP = dt.timedelta(minutes=1)


@dataclass
class Milestone:
    at: dt.datetime
    label: str
    agency: str
    note: str


def chinese_dates(text: str) -> str:
    return _ISO_DATE.sub(lambda m: f"{int(m[1])}年{int(m[2])}月{int(m[3])}日", text)


def _proposal_change(event: Event) -> bool:
    return event.assignment_id is None and bool(event.to_state)


def _same_step(first: Event, second: Event) -> bool:
    """The agency's entry and the proposal's change of state it caused, written by one step."""
    return (first.action == second.action and first.actor_id == second.actor_id
            and second.at - first.at < _ONE_STEP and _proposal_change(first) != _proposal_change(second))


def milestones(events: list[Event]) -> list[Milestone]:
    """`events` in order (with assignment__agency loaded) as the member's milestones."""
    result: list[Milestone] = []
    previous: Event | None = None
    for event in events:
        agency = event.assignment.agency.name if event.assignment_id else ""
        note = chinese_dates(event.note)
        if previous is not None and _same_step(previous, event):
            merged = result[-1]
            merged.agency = merged.agency or agency
            # The proposal's entry often names the agency the milestone already shows.
            parts = [part for part in (merged.note, note) if part and part != merged.agency]
            merged.note = "；".join(dict.fromkeys(parts))
            previous = None  # a step's two entries make one milestone, never three
            continue
        result.append(Milestone(at=event.at, label=event.get_action_display(), agency=agency, note=note))
        previous = event
    return result
