"""登记: proposals logged one by one or a meeting's sheet at once, a clerk's corrections, and the
proposals members submit online (网上提交) with their revised text after 退回修改.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import IntegerField, Max
from django.db.models.functions import Cast

from proposals.models import (
    Meeting,
    Member,
    Proposal,
    Proposer,
)
from proposals.transitions import (
    lock_proposal,
    record,
    record_many,
    require_clerk,
    require_proposal_step,
    timeline_entry,
    today,
)
from proposals.workflow._base import INSERT_BATCH_SIZE, Action, BatchOutcome, Status
from tracker.errors import PermissionRefused, WorkflowError


@dataclass(frozen=True)
class NewProposal:
    """One proposal to register: the unsaved proposal (its meeting, number, title …) and its
    proposers in signing order; the first is the lead (领衔人)."""

    proposal: Proposal
    proposers: Sequence[Member]


@transaction.atomic
def register_proposal(
    *, meeting: Meeting, number: str, title: str, proposers: Sequence[Member], by,
    kind: str = Proposal.Kind.PROPOSAL, body: str = "", category: str = Proposal.Category.OTHER,
    is_key: bool = False, submitted_on: dt.date | None = None,
) -> Proposal:
    """Log a proposal filed at a meeting; the first proposer is the lead (领衔人)."""
    proposal = Proposal(meeting=meeting, number=number, title=title, kind=kind, body=body, category=category,
                        is_key=is_key, submitted_on=submitted_on)
    return register_proposals(rows=[NewProposal(proposal, list(proposers))], by=by).only()


@transaction.atomic
def register_proposals(*, rows: Sequence[NewProposal], by) -> BatchOutcome[Proposal]:
    """Log many proposals at once (a meeting's spreadsheet), each by the rules of `register_proposal`.

    One transaction and a fixed number of queries however many rows: the clerk is checked once,
    the numbers already taken are read together, proposals, proposers and REGISTER Events are
    written in bulk. A refused row (no proposer, a proposer twice, a number taken) gets the error
    `register_proposal` would raise, and nothing of it is written; the other rows are.
    """
    require_clerk(by)
    outcome: BatchOutcome[Proposal] = BatchOutcome()
    signed: dict[int, NewProposal] = {}
    for index, row in enumerate(rows):
        try:
            _require_proposers(row.proposers)
        except WorkflowError as refusal:
            outcome.refused[index] = refusal
        else:
            signed[index] = row
    _save_new_proposals({index: row.proposal for index, row in signed.items()}, by, outcome)
    Proposer.objects.bulk_create(
        [Proposer(proposal=signed[index].proposal, member=member, order=order, is_lead=order == 1)
         for index in sorted(outcome.done) for order, member in enumerate(signed[index].proposers, start=1)],
        batch_size=INSERT_BATCH_SIZE,
    )
    return outcome


@transaction.atomic
def save_registered_proposal(*, proposal: Proposal, by) -> Proposal:
    """Save a new proposal in `submitted` with its registration Event (the admin's add form)."""
    require_clerk(by)
    outcome: BatchOutcome[Proposal] = BatchOutcome()
    _save_new_proposals({0: proposal}, by, outcome)
    return outcome.only()


def _require_proposers(proposers: Sequence[Member]) -> None:
    if not proposers:
        raise WorkflowError("no_proposer", "至少需要一位提出人", "At least one proposer is required.", field="proposers")
    if len({member.pk for member in proposers}) != len(proposers):
        raise WorkflowError("duplicate_proposer", "提出人重复", "A proposer is listed twice.", field="proposers")


def _number_taken(number: str) -> WorkflowError:
    return WorkflowError(
        "duplicate_number", f"本次会议已有第{number}号", f"Number {number} already exists in this meeting.",
        field="number",
    )


def _save_new_proposals(proposals: dict[int, Proposal], by, outcome: BatchOutcome[Proposal]) -> None:
    """Save unsaved proposals in `submitted` with their REGISTER Events; a number its meeting
    already has (or an earlier row of the batch took) is refused, the rest are saved."""
    fresh: dict[int, Proposal] = {}
    claimed = _numbers_taken(proposals.values())
    for index, proposal in proposals.items():
        key = (proposal.meeting_id, proposal.number)
        if proposal.pk is not None:
            outcome.refused[index] = WorkflowError("already_registered", "该提案已登记", "The proposal is already registered.")
        elif key in claimed:
            outcome.refused[index] = _number_taken(proposal.number)
        else:
            claimed.add(key)
            proposal.status = Status.SUBMITTED
            proposal.submitted_on = proposal.submitted_on or today()
            fresh[index] = proposal
    _insert_proposals(fresh, outcome)
    outcome.done.update(fresh)
    record_many([timeline_entry(proposal, Action.REGISTER, by, to_state=Status.SUBMITTED) for proposal in fresh.values()])


def _numbers_taken(proposals: Iterable[Proposal]) -> set[tuple[int, str]]:
    """(meeting id, number) of these proposals that are registered already."""
    wanted = {(proposal.meeting_id, proposal.number) for proposal in proposals}
    if not wanted:
        return set()
    registered = Proposal.objects.filter(
        meeting_id__in={meeting_id for meeting_id, _ in wanted}, number__in={number for _, number in wanted}
    ).values_list("meeting_id", "number")
    return set(registered) & wanted


def _insert_proposals(fresh: dict[int, Proposal], outcome: BatchOutcome[Proposal]) -> None:
    """Insert the proposals; one whose number another clerk registered between the check and the
    insert is refused as taken, and the others are inserted again without it."""
    while fresh:
        try:
            with transaction.atomic():
                Proposal.objects.bulk_create(list(fresh.values()), batch_size=INSERT_BATCH_SIZE)
            return
        except IntegrityError:
            taken = _numbers_taken(fresh.values())
            if not taken:
                raise
            for index, proposal in list(fresh.items()):
                # The rolled-back insert may have given some of them an id: they are unsaved again.
                proposal.pk, proposal._state.adding = None, True
                if (proposal.meeting_id, proposal.number) in taken:
                    outcome.refused[index] = _number_taken(proposal.number)
                    del fresh[index]


@transaction.atomic
def save_proposal_details(*, proposal: Proposal, changed: Sequence[str], by) -> Proposal:
    """A clerk corrects what was registered (title, body, category …); the timeline says what.

    A reply may already quote the title, and a published page shows it: the change is recorded.
    """
    require_clerk(by)
    if not changed:
        return proposal
    lock_proposal(proposal)
    proposal.save(update_fields=list(changed))
    labels = "、".join(str(Proposal._meta.get_field(name).verbose_name) for name in changed)
    record(proposal, Action.EDIT, by, note=f"修改：{labels}")
    return proposal


# --- 网上提交: what a member submits online ------------------------------------------------------

ONLINE_CHANNEL = "网上提交"


def next_number(meeting: Meeting) -> str:
    """The office's next number in this meeting: one above the highest plain number given so far."""
    highest = (Proposal.objects.filter(meeting=meeting, number__regex=r"^[0-9]{1,9}$")
               .aggregate(top=Max(Cast("number", IntegerField())))["top"])
    return str((highest or 0) + 1)


def _require_lead(proposal: Proposal, by, zh: str) -> None:
    member = getattr(by, "member", None) if by is not None and by.is_authenticated else None
    if member is None or not proposal.proposers.filter(member=member, is_lead=True).exists():
        raise PermissionRefused("not_lead_proposer", zh, "Only the lead proposer may do this.")


@transaction.atomic
def register_online_proposal(*, meeting: Meeting, title: str, body: str, kind: str, category: str,
                             proposers: Sequence[Member], by) -> Proposal:
    """登记 a proposal its lead proposer submitted online: 待审查, numbered by the office (never by the
    member), the co-proposers after the lead in the order given; the timeline names the channel."""
    _require_proposers(proposers)
    if getattr(by, "member", None) != proposers[0]:
        raise PermissionRefused("not_lead_proposer", "只有领衔人本人可以提交", "Only the lead proposer may submit.")
    # Numbers are given one at a time per meeting: the meeting row is the queue.
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    proposal = Proposal.objects.create(
        meeting=meeting, number=next_number(meeting), title=title, body=body, kind=kind, category=category,
        status=Status.SUBMITTED, submitted_on=today(),
    )
    Proposer.objects.bulk_create([Proposer(proposal=proposal, member=member, order=order, is_lead=order == 1)
                                  for order, member in enumerate(proposers, start=1)])
    record(proposal, Action.REGISTER, by, to_state=Status.SUBMITTED, note=f"渠道：{ONLINE_CHANNEL}")
    return proposal


@transaction.atomic
def register_revision(*, proposal: Proposal, title: str, body: str, category: str, by) -> Proposal:
    """The lead proposer's revised text after 退回修改: the registered proposal keeps its number and takes
    the new text; the timeline keeps the record of the earlier one and says what changed."""
    proposal = lock_proposal(proposal)
    _require_lead(proposal, by, "只有领衔人本人可以重新提交")
    require_proposal_step(proposal, "resubmit")
    changed = [name for name, value in (("title", title), ("body", body), ("category", category))
               if getattr(proposal, name) != value]
    proposal.title, proposal.body, proposal.category = title, body, category
    if changed:
        proposal.save(update_fields=changed)
    labels = "、".join(str(Proposal._meta.get_field(name).verbose_name) for name in changed) or "无"
    record(proposal, Action.EDIT, by, note=f"提出人修改后重新提交（修改：{labels}）")
    return proposal
