"""What every step of a letter or opinion stands on: the guards, the reply's row lock, moving its
state with an Event on the proposal's timeline.
"""

from __future__ import annotations

from proposals import transitions
from proposals.models import Event
from replies.models import (
    Reply,
)
from replies.transitions import REPLY_TRANSITIONS
from tracker.errors import WorkflowError

State = Reply.State


Action = Event.Action


# What a drafter may write; everything else (state, signer, dates sent/published) the steps set.
DRAFT_FIELDS = (
    "title", "addressee", "body", "document_number", "signed_on", "contact_person", "contact_phone",
    "category", "disclosure", "nondisclosure_reason",
)


OPINION_FIELDS = ("title", "body", "document_number", "signed_on", "contact_person", "contact_phone")


def _require_reply_step(reply: Reply, step: str) -> None:
    if not REPLY_TRANSITIONS.allows(step, reply.state):
        raise WorkflowError(
            "invalid_reply_state", f"答复函当前为“{reply.get_state_display()}”，不能办理此操作",
            f"Not possible while the reply is '{reply.state}'.",
        )


def _require_version(obj, version: int | None, what: str = "答复函", what_en: str = "reply") -> None:
    """Optimistic locking: the caller edited version N; refuse if someone saved since."""
    if version is not None and int(version) != obj.version:
        raise WorkflowError(
            "stale_version",
            f"该{what}已被他人修改（现为第{obj.version}版，您打开的是第{version}版）。"
            f"为避免覆盖他人的修改，本次操作未生效，请重新打开后再办理。",
            f"This {what_en} was changed by someone else (now version {obj.version}, you opened version "
            f"{version}). Nothing was saved, so no one's changes are lost; reopen it and try again.",
        )


def _require_current_round(reply: Reply) -> None:
    if reply.round != reply.assignment.proposal.round:
        raise WorkflowError(
            "earlier_round", f"这是第{reply.round}轮的答复函，本件已进入第{reply.assignment.proposal.round}轮办理",
            "This reply belongs to an earlier round of handling.",
        )


def _require_live_work(reply: Reply) -> None:
    """A letter is reviewed only while its assignment is still being handled, in this round
    (not after the proposal was withdrawn or the work reassigned)."""
    _require_current_round(reply)
    transitions.require_assignment_step(reply.assignment, "draft")


def _require_not_historical(reply: Reply) -> None:
    if reply.is_historical:
        raise WorkflowError("historical", "导入的历史答复不能修改", "An imported historical reply cannot be changed.")


def _lock_reply(reply: Reply) -> Reply:
    """Re-read under a row lock: the state and version we check are the ones we change."""
    return (
        Reply.objects.select_for_update(of=("self",))
        .select_related("assignment__proposal__meeting", "assignment__agency", "signing_agency")
        .get(pk=reply.pk)
    )


def _record(reply_or_assignment, by, *, from_state="", to_state="", note="", action=Action.REPLY) -> Event:
    """A letter's or opinion's step on its proposal's timeline, under its assignment."""
    assignment = getattr(reply_or_assignment, "assignment", reply_or_assignment)
    return transitions.record(assignment.proposal, action, by, assignment=assignment, from_state=from_state,
                  to_state=to_state, note=note)


def _move(reply: Reply, state: str, by, *, note: str, fields=()) -> Reply:
    previous = reply.state
    reply.state = state
    reply.version += 1
    reply.save(update_fields=["state", "version", *fields])
    _record(reply, by, from_state=previous, to_state=state,
            note=f"答复函《{reply.title}》：{Reply.State(previous).label} → {reply.get_state_display()}。{note}".rstrip("。"))
    return reply


def _guard_edit(reply: Reply, by, version: int | None) -> Reply:
    reply = _lock_reply(reply)
    _require_not_historical(reply)
    transitions.require_agency_staff(by, reply.assignment.agency)
    _require_reply_step(reply, "edit")
    _require_version(reply, version)
    return reply
