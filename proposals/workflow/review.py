"""审查: 立案, 不予立案, 并案, 转有关方面参考, 撤回 at the proposers' request, and before review the
office's 退回修改 and the lead proposer's own 撤回.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from proposals.models import (
    Extension,
    Member,
    NotAcceptGround,
    Proposal,
    Proposer,
)
from proposals.transitions import (
    PROPOSAL_TRANSITIONS,
    lock_proposal,
    record,
    require_clerk,
    require_proposal_step,
)
from proposals.workflow._base import Action, State, Status, _set_state, _set_status
from tracker.errors import PermissionRefused, WorkflowError


@transaction.atomic
def accept_proposal(*, proposal: Proposal, by, note: str = "") -> Proposal:
    """立案: the proposal meets the office's standards and will be assigned."""
    require_clerk(by)
    proposal = lock_proposal(proposal)
    require_proposal_step(proposal, "accept")
    proposal.review_note = note
    _set_status(proposal, Status.ACCEPTED, Action.ACCEPT, by, note=note, fields=["review_note"])
    return proposal


@transaction.atomic
def not_accept_proposal(*, proposal: Proposal, ground: NotAcceptGround | None, reason: str, by) -> Proposal:
    """不予立案: needs one of the office's listed grounds and a reason the proposer is told."""
    require_clerk(by)
    if ground is None or not ground.active:
        raise WorkflowError("ground_required", "请选择不予立案的情形", "Choose one of the listed grounds.", field="ground")
    if not reason.strip():
        raise WorkflowError("reason_required", "请填写不予立案的理由", "A reason is required.", field="reason")
    proposal = lock_proposal(proposal)
    require_proposal_step(proposal, "not_accept")
    proposal.not_accept_ground, proposal.review_note = ground, reason
    _set_status(
        proposal, Status.NOT_ACCEPTED, Action.NOT_ACCEPT, by, note=f"{ground.text}：{reason}",
        fields=["not_accept_ground", "review_note"],
    )
    return proposal


@transaction.atomic
def merge_proposal(*, proposal: Proposal, into: Proposal, by, note: str = "") -> Proposal:
    """并案: fold `proposal` into another of the same meeting; every proposer still gets a reply."""
    require_clerk(by)
    if proposal.pk == into.pk:
        raise WorkflowError("merge_into_self", "不能并入自身", "A proposal cannot be merged into itself.", field="into")
    # Lock both in id order so two merges of the same pair cannot deadlock.
    locked = {p.pk: p for p in Proposal.objects.select_for_update().filter(pk__in=[proposal.pk, into.pk]).order_by("pk")}
    proposal, into = locked[proposal.pk], locked[into.pk]
    if proposal.meeting_id != into.meeting_id:
        raise WorkflowError("merge_other_meeting", "只能并入同一次会议的提案", "Only proposals of the same meeting merge.", field="into")
    require_proposal_step(proposal, "merge")
    if not PROPOSAL_TRANSITIONS.allows("take_merge", into.status):
        raise WorkflowError(
            "merge_target_closed", f"目标提案状态为“{into.get_status_display()}”，不能并入",
            "The target proposal no longer takes merges.", field="into",
        )
    _carry_proposers(source=proposal, target=into)
    proposal.merged_into = into
    _set_status(proposal, Status.MERGED, Action.MERGE, by, note=f"并入第{into.number}号。{note}", fields=["merged_into"])
    record(into, Action.MERGED_IN, by, note=f"第{proposal.number}号并入本件")
    return proposal


def _carry_proposers(*, source: Proposal, target: Proposal) -> None:
    present = set(target.proposers.values_list("member_id", flat=True))
    next_order = max(target.proposers.values_list("order", flat=True), default=0) + 1
    for proposer in source.proposers.order_by("order"):
        if proposer.member_id not in present:
            Proposer.objects.create(proposal=target, member_id=proposer.member_id, order=next_order, is_lead=False)
            next_order += 1


@transaction.atomic
def refer_proposal(*, proposal: Proposal, to: str, by, note: str = "") -> Proposal:
    """转有关方面参考: not handled as a proposal; passed on as a member's letter or a report."""
    require_clerk(by)
    if not to.strip():
        raise WorkflowError("referral_target_required", "请填写转交对象", "Say where it is referred to.", field="to")
    proposal = lock_proposal(proposal)
    require_proposal_step(proposal, "refer")
    proposal.referred_to = to
    _set_status(proposal, Status.REFERRED, Action.REFER, by, note=f"转{to}。{note}", fields=["referred_to"])
    return proposal


@transaction.atomic
def withdraw_proposal(*, proposal: Proposal, consenting: Iterable[Member], by, reason: str = "") -> Proposal:
    """撤回: needs every signer of a joint proposal; open assignments are cancelled."""
    require_clerk(by)
    proposal = lock_proposal(proposal)
    require_proposal_step(proposal, "withdraw")
    signers = set(proposal.proposers.values_list("member_id", flat=True))
    missing = signers - {member.pk for member in consenting}
    if missing:
        names = "、".join(Member.objects.filter(pk__in=missing).values_list("name", flat=True))
        raise WorkflowError(
            "all_signers_required", f"撤回联名提案需全体提出人同意，尚缺：{names}",
            "Withdrawing a joint proposal needs every signer's consent.", field="consenting",
        )
    for assignment in proposal.assignments.select_for_update().open().order_by("pk"):
        assignment.proposal = proposal
        _set_state(assignment, State.CANCELLED, Action.WITHDRAW, by, note=reason)
    # Requests for more time on cancelled work are moot: close them so no clerk is asked.
    Extension.objects.filter(assignment__proposal=proposal, state=Extension.State.REQUESTED).update(
        state=Extension.State.REFUSED, decided_by=by, decided_at=timezone.now(), decision_note="提案已撤回"
    )
    _set_status(proposal, Status.WITHDRAWN, Action.WITHDRAW, by, note=reason)
    return proposal


@transaction.atomic
def return_for_revision(*, proposal: Proposal, note: str, by) -> Proposal:
    """退回修改: the office sends a proposal it has not reviewed back to its author with a note (one
    matter per proposal, facts missing, the wrong addressee). It stays 待审查, since nobody has
    reviewed it, and keeps its number; the timeline says why."""
    require_clerk(by)
    if not note.strip():
        raise WorkflowError("note_required", "请填写退回修改的意见", "Say what to revise.", field="note")
    proposal = lock_proposal(proposal)
    require_proposal_step(proposal, "return_for_revision")
    record(proposal, Action.EDIT, by, note=f"退回修改：{note.strip()}")
    return proposal


@transaction.atomic
def withdraw_before_review(*, proposal: Proposal, by) -> Proposal:
    """撤回 by the lead proposer while the office has not reviewed it; afterwards only the office
    withdraws it (`withdraw_proposal`, with every signer's consent)."""
    proposal = lock_proposal(proposal)
    member = getattr(by, "member", None) if by is not None and by.is_authenticated else None
    if member is None or not proposal.proposers.filter(member=member, is_lead=True).exists():
        raise PermissionRefused("not_lead_proposer", "只有领衔人本人可以撤回", "Only the lead proposer may withdraw.")
    if not PROPOSAL_TRANSITIONS.allows("withdraw_before_review", proposal.status):
        raise WorkflowError("already_reviewed", "提案办已审查，不能再撤回；如需撤回请联系提案办",
                            "The office has reviewed it; ask the office to withdraw it.")
    _set_status(proposal, Status.WITHDRAWN, Action.WITHDRAW, by, note="提出人在审查前撤回")
    return proposal
