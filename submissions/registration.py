"""Registering an online submission as a proposal, and the author's 撤回 before review.

These are proposal steps (a status changes, an Event is written) built from proposals.transitions
like the proposals workflow's own verbs: the office's number is taken at registration, the author
is the lead proposer and the confirmed co-proposers follow in the order invited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.db.models import IntegerField, Max
from django.db.models.functions import Cast

from proposals.models import Event, Meeting, Member, Proposal, Proposer
from proposals.transitions import lock_proposal, record, require_clerk, require_status, today
from tracker.errors import PermissionRefused, WorkflowError

CHANNEL = "网上提交"


def next_number(meeting: Meeting) -> str:
    """The office's next number in this meeting: one above the highest plain number given so far."""
    highest = (Proposal.objects.filter(meeting=meeting, number__regex=r"^[0-9]{1,9}$")
               .aggregate(top=Max(Cast("number", IntegerField())))["top"])
    return str((highest or 0) + 1)


@transaction.atomic
def register_online_proposal(*, meeting: Meeting, title: str, body: str, kind: str, category: str,
                             proposers: Sequence[Member], by, submitted_on: dt.date | None = None) -> Proposal:
    """登记 a proposal the lead proposer submitted online: 待审查, numbered by the office."""
    if not proposers or getattr(by, "member", None) != proposers[0]:
        raise PermissionRefused("not_author", "只有领衔人本人可以提交", "Only the lead proposer may submit.")
    # Numbers are given one at a time per meeting: the meeting row is the queue.
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    proposal = Proposal.objects.create(
        meeting=meeting, number=next_number(meeting), title=title, body=body, kind=kind, category=category,
        status=Proposal.Status.SUBMITTED, submitted_on=submitted_on or today(),
    )
    Proposer.objects.bulk_create([Proposer(proposal=proposal, member=member, order=order, is_lead=order == 1)
                                  for order, member in enumerate(proposers, start=1)])
    record(proposal, Event.Action.REGISTER, by, to_state=Proposal.Status.SUBMITTED, note=f"渠道：{CHANNEL}")
    return proposal


@transaction.atomic
def withdraw_before_review(*, proposal: Proposal, by) -> Proposal:
    """撤回 by the lead proposer while the office has not reviewed it; afterwards only the office acts."""
    proposal = lock_proposal(proposal)
    member = getattr(by, "member", None)
    if member is None or not proposal.proposers.filter(member=member, is_lead=True).exists():
        raise PermissionRefused("not_author", "只有领衔人本人可以撤回", "Only the lead proposer may withdraw.")
    if proposal.status != Proposal.Status.SUBMITTED:
        raise WorkflowError("already_reviewed", "提案办已审查，不能再撤回；如需撤回请联系提案办",
                            "The office has reviewed it; ask the office to withdraw it.")
    require_status(proposal, Proposal.Status.SUBMITTED)
    proposal.status = Proposal.Status.WITHDRAWN
    proposal.save(update_fields=["status"])
    record(proposal, Event.Action.WITHDRAW, by, from_state=Proposal.Status.SUBMITTED,
           to_state=Proposal.Status.WITHDRAWN, note="提出人在审查前撤回")
    return proposal


@transaction.atomic
def return_for_revision(*, proposal: Proposal, note: str, by) -> Proposal:
    """退回修改: the office sends a proposal it has not reviewed back to its author with a note. It stays
    待审查 (nobody has reviewed it yet) and keeps its number; the timeline says why."""
    require_clerk(by)
    if not note.strip():
        raise WorkflowError("note_required", "请填写退回修改的意见", "Say what to revise.", field="note")
    proposal = lock_proposal(proposal)
    require_status(proposal, Proposal.Status.SUBMITTED)
    record(proposal, Event.Action.EDIT, by, note=f"退回修改：{note.strip()}")
    return proposal


@transaction.atomic
def register_revision(*, proposal: Proposal, title: str, body: str, category: str, by) -> Proposal:
    """The author's revised text after 退回修改: the registered proposal takes it, the timeline keeps
    the earlier version's record and says what changed."""
    proposal = lock_proposal(proposal)
    member = getattr(by, "member", None)
    if member is None or not proposal.proposers.filter(member=member, is_lead=True).exists():
        raise PermissionRefused("not_author", "只有领衔人本人可以重新提交", "Only the lead proposer may resubmit.")
    require_status(proposal, Proposal.Status.SUBMITTED)
    changed = [name for name, value in (("title", title), ("body", body), ("category", category))
               if getattr(proposal, name) != value]
    proposal.title, proposal.body, proposal.category = title, body, category
    if changed:
        proposal.save(update_fields=changed)
    labels = "、".join(str(Proposal._meta.get_field(name).verbose_name) for name in changed) or "无"
    record(proposal, Event.Action.EDIT, by, note=f"提出人修改后重新提交（修改：{labels}）")
    return proposal
