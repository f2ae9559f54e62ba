"""Every step of an online submission (docs/domain.md, the front door): drafting, inviting and
answering co-proposers, the submission window, submitting, withdrawing, returning for revision.

Each verb runs in one transaction, locks the draft, checks who acts and from which state, and
raises WorkflowError otherwise; pages and the API call these and show the error's Chinese.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from proposals import access, workflow
from proposals.models import Body, Meeting, Member, Proposal
from proposals.transitions import PROPOSAL_TRANSITIONS
from submissions import files, notices, rules
from submissions.models import Attachment, CoSigner, Draft, MotionRule, SubmitAttempt, Window
from tracker.errors import PermissionRefused, WorkflowError

EDITABLE = (Draft.State.DRAFT, Draft.State.RETURNED)
TEXT_FIELDS = ("kind", "title", "category", "analysis", "suggestions", "phone", "address")
DEFAULT_MOTION_DEPUTIES = 10


# --- who --------------------------------------------------------------------------------------


def _author(by) -> Member:
    member = access.member_of(by)
    if member is None:
        raise PermissionRefused("not_a_member", "只有委员/代表本人可以起草提案", "Only a member may draft.")
    return member


def _lock_own(draft: Draft, by) -> Draft:
    locked = Draft.objects.select_for_update(of=("self",)).select_related("meeting", "author").get(pk=draft.pk)
    if locked.author_id != _author(by).pk:
        raise PermissionRefused("not_author", "只有提出人本人可以修改", "Only the author may change this draft.")
    return locked


def _require_editable(draft: Draft) -> None:
    if draft.state not in EDITABLE:
        raise WorkflowError("already_submitted", "已提交，不能再修改", "Submitted already; it can no longer change.")


def kinds_of(meeting: Meeting) -> tuple[str, ...]:
    if meeting.body == Body.NPC:
        return (Draft.Kind.SUGGESTION, Draft.Kind.MOTION)
    return (Draft.Kind.PROPOSAL,)


def meetings_for(member: Member):
    """The meetings of the member's own body and region, newest first."""
    return Meeting.objects.filter(body=member.body, region=member.region).order_by("-year", "-term", "-session")


# --- drafting ---------------------------------------------------------------------------------


@transaction.atomic
def create_draft(*, meeting: Meeting, by, **text) -> Draft:
    author = _author(by)
    if meeting.body != author.body or meeting.region != author.region:
        raise WorkflowError("other_meeting", "只能向本人所属的会议提交", "Only to a meeting of your own body.",
                            field="meeting")
    text.setdefault("kind", kinds_of(meeting)[0])
    draft = Draft(author=author, meeting=meeting, **text)
    _check_kind(draft)
    rules.check_text(draft)
    draft.save()
    return draft


@transaction.atomic
def save_draft(*, draft: Draft, by, **changes) -> Draft:
    """Save what the author wrote; a refused change saves nothing of the request."""
    draft = _lock_own(draft, by)
    _require_editable(draft)
    for name, value in changes.items():
        if name not in TEXT_FIELDS:
            raise ValueError(name)
        setattr(draft, name, value)
    _check_kind(draft)
    rules.check_text(draft)
    draft.save()
    return draft


def _check_kind(draft: Draft) -> None:
    if draft.kind not in kinds_of(draft.meeting):
        allowed = "、".join(str(Draft.Kind(kind).label) for kind in kinds_of(draft.meeting))
        raise WorkflowError("kind_not_allowed", f"本次会议只收{allowed}", "This meeting does not take that kind.",
                            field="kind")


@transaction.atomic
def add_attachment(*, draft: Draft, by, name: str, data: bytes) -> Attachment:
    draft = _lock_own(draft, by)
    _require_editable(draft)
    files.check_upload(name, data)
    if draft.attachments.count() >= files.MAX_FILES:
        raise WorkflowError("too_many_files", f"附件最多{files.MAX_FILES}个", "Too many attachments.", field="file")
    attachment = Attachment(draft=draft, name=name[:200], size=len(data))
    attachment.file.save(f"draft-{draft.pk}{name[name.rfind('.'):].lower()}", ContentFile(data), save=False)
    attachment.save()
    return attachment


@transaction.atomic
def remove_attachment(*, attachment: Attachment, by) -> None:
    draft = _lock_own(attachment.draft, by)
    _require_editable(draft)
    attachment.file.delete(save=False)
    attachment.delete()


# --- co-proposers -----------------------------------------------------------------------------


@transaction.atomic
def invite(*, draft: Draft, members: Iterable[Member], by) -> list[CoSigner]:
    """Invite co-proposers (联名/附议) among members of the meeting's body; each is told at once."""
    draft = _lock_own(draft, by)
    _require_editable(draft)
    if draft.state == Draft.State.RETURNED:
        raise WorkflowError("proposers_registered", "已登记的提出人不能在退回修改时变更",
                            "The registered proposers do not change on revision.", field="members")
    members = list(members)
    strangers = [m.name for m in members if m.body != draft.meeting.body or m.region != draft.meeting.region]
    if strangers:
        raise WorkflowError("not_in_body", f"{'、'.join(strangers)}不是{draft.meeting.name}的委员/代表，不能邀请",
                            "Only members of the meeting's body may be invited.", field="members")
    if any(member.pk == draft.author_id for member in members):
        raise WorkflowError("invite_self", "不能邀请本人联名", "You cannot invite yourself.", field="members")
    present = {row.member_id: row for row in draft.cosigners.all()}
    order = max((row.order for row in present.values()), default=0)
    invited = []
    for member in members:
        row = present.get(member.pk)
        if row is not None and row.state != CoSigner.State.CANCELLED:
            continue  # invited already: an invitation is sent once
        order += 1
        if row is None:
            row = CoSigner.objects.create(draft=draft, member=member, order=order)
        else:
            CoSigner.objects.filter(pk=row.pk).update(state=CoSigner.State.INVITED, order=order, answered_at=None)
            row.refresh_from_db()
        invited.append(row)
        notices.tell_invited(row)
    return invited


@transaction.atomic
def answer_invitation(*, cosigner: CoSigner, confirm: bool, by) -> CoSigner:
    """The invited member confirms or declines; a second answer changes nothing (it counts once)."""
    cosigner = CoSigner.objects.select_for_update(of=("self",)).select_related("draft__meeting", "draft__author",
                                                                              "member").get(pk=cosigner.pk)
    if access.member_of(by) is None or access.member_of(by).pk != cosigner.member_id:
        raise PermissionRefused("not_invited", "这不是邀请您的联名", "This invitation is not yours.")
    if cosigner.state == CoSigner.State.CANCELLED:
        raise WorkflowError("invitation_cancelled", "提出人已撤销该邀请", "The author withdrew the invitation.")
    if cosigner.draft.state not in EDITABLE:
        raise WorkflowError("already_submitted", "该提案已提交，不能再答复", "The proposal is already submitted.")
    wanted = CoSigner.State.CONFIRMED if confirm else CoSigner.State.DECLINED
    if cosigner.state == wanted:
        return cosigner
    cosigner.state, cosigner.answered_at = wanted, timezone.now()
    cosigner.save(update_fields=["state", "answered_at"])
    notices.tell_answered(cosigner)
    return cosigner


@transaction.atomic
def cancel_pending(*, draft: Draft, by) -> int:
    """The author withdraws the invitations not yet answered, so the draft can go in without them."""
    draft = _lock_own(draft, by)
    _require_editable(draft)
    return draft.cosigners.filter(state=CoSigner.State.INVITED).update(state=CoSigner.State.CANCELLED)


def motion_deputies(meeting: Meeting) -> int:
    rule = MotionRule.objects.filter(meeting=meeting).first()
    return rule.min_deputies if rule else DEFAULT_MOTION_DEPUTIES


# --- the window -------------------------------------------------------------------------------


def open_window(meeting: Meeting, on: dt.date | None = None) -> Window | None:
    on = on or timezone.localdate()
    return Window.objects.filter(meeting=meeting, opens_on__lte=on, closes_on__gte=on).order_by("opens_on").first()


def _require_window(meeting: Meeting) -> None:
    if open_window(meeting) is None:
        following = (Window.objects.filter(meeting=meeting, opens_on__gt=timezone.localdate())
                     .order_by("opens_on").first())
        when = f"下一提交期间为{following.opens_on:%Y年%-m月%-d日}至{following.closes_on:%Y年%-m月%-d日}。" if following else ""
        raise WorkflowError("window_closed", f"现在不在{meeting.short_name}的提交期间内，暂不能提交。{when}",
                            "Submissions are not open for this meeting now.")


# --- submitting -------------------------------------------------------------------------------


def blockers(draft: Draft) -> list[str]:
    """Why the draft cannot be submitted yet (the page shows them; submit raises the first)."""
    found = []
    try:
        rules.check_complete(draft)
    except WorkflowError as error:
        found.append(error.zh)
    rows = list(draft.cosigners.all())
    pending = [row.member.name for row in rows if row.state == CoSigner.State.INVITED]
    if pending:
        found.append(f"尚有联名邀请未答复：{'、'.join(pending)}（可等待答复，或撤销未答复的邀请）")
    if draft.kind == Draft.Kind.MOTION and draft.author.kind != Member.Kind.GROUP:
        needed = motion_deputies(draft.meeting)
        have = 1 + sum(row.state == CoSigner.State.CONFIRMED for row in rows)
        if have < needed:
            found.append(f"议案须由代表团或{needed}名以上代表联名提出，现有{have}名")
    return found


@transaction.atomic
def submit(*, draft: Draft, by) -> Proposal:
    """Register the draft through the proposals' registration as 待审查 (网上提交). Submitting again
    (a double click, a second tab, a retried request) returns the proposal registered the first time."""
    draft = _lock_own(draft, by)
    if draft.state == Draft.State.SUBMITTED and draft.proposal_id:
        return draft.proposal
    if draft.state == Draft.State.RETURNED:
        return _resubmit(draft, by)
    _require_window(draft.meeting)
    problems = blockers(draft)
    if problems:
        raise WorkflowError("not_ready", problems[0], "The draft is not ready to submit.")
    confirmed = [row.member for row in draft.cosigners.filter(state=CoSigner.State.CONFIRMED).select_related("member")]
    kind = Proposal.Kind.SUGGESTION if draft.kind == Draft.Kind.SUGGESTION else Proposal.Kind.PROPOSAL
    proposal = workflow.register_online_proposal(
        meeting=draft.meeting, title=draft.title.strip(), body=draft.body_text, kind=kind, category=draft.category,
        proposers=[draft.author, *confirmed], by=by,
    )
    draft.state, draft.proposal, draft.submitted_at = Draft.State.SUBMITTED, proposal, timezone.now()
    draft.save(update_fields=["state", "proposal", "submitted_at", "updated_at"])
    SubmitAttempt.objects.create(draft=draft, title=proposal.title, body=proposal.body, by=by)
    return proposal


def _resubmit(draft: Draft, by) -> Proposal:
    """After 退回修改 the revised text goes back to the same registered proposal, window or not: the
    office asked for it. The co-proposers stay those registered."""
    rules.check_complete(draft)
    proposal = workflow.register_revision(proposal=draft.proposal, title=draft.title.strip(),
                                              body=draft.body_text, category=draft.category, by=by)
    draft.state, draft.submitted_at = Draft.State.SUBMITTED, timezone.now()
    draft.save(update_fields=["state", "submitted_at", "updated_at"])
    SubmitAttempt.objects.create(draft=draft, title=proposal.title, body=proposal.body, by=by)
    return proposal


@transaction.atomic
def may_withdraw(draft: Draft) -> bool:
    """Its author may still take it back: registered and not reviewed yet (the proposals' table)."""
    return draft.proposal is not None and PROPOSAL_TRANSITIONS.allows("withdraw_before_review", draft.proposal.status)


def may_return(proposal: Proposal) -> bool:
    """The office may send it back for revision: submitted online, not reviewed, not already back."""
    return (PROPOSAL_TRANSITIONS.allows("return_for_revision", proposal.status)
            and Draft.objects.filter(proposal=proposal, state=Draft.State.SUBMITTED).exists())


def return_for_revision(*, proposal: Proposal, note: str, by) -> Draft:
    """退回修改 by the office; the author is told with the note and may edit and resubmit."""
    draft = Draft.objects.select_for_update(of=("self",)).filter(proposal=proposal).first()
    if draft is None:
        raise WorkflowError("not_online", "只有网上提交的提案可以退回修改", "Only online submissions are returned.")
    workflow.return_for_revision(proposal=proposal, note=note, by=by)
    draft.state, draft.return_note = Draft.State.RETURNED, note.strip()
    draft.save(update_fields=["state", "return_note", "updated_at"])
    notices.tell_returned(draft)
    return draft


@transaction.atomic
def withdraw(*, draft: Draft, by) -> Proposal:
    """撤回 before review: the registered proposal goes to 已撤回; after review only the office acts."""
    draft = _lock_own(draft, by)
    if draft.proposal_id is None:
        raise WorkflowError("not_submitted", "尚未提交，无需撤回", "Not submitted yet.")
    return workflow.withdraw_before_review(proposal=draft.proposal, by=by)
