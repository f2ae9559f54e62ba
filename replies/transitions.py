"""From which states each step on a reply letter is taken: the one statement of it, read by the
workflow's guards (replies.workflow) and by the steps a letter's page offers (replies.steps), as
proposals.transitions does for proposals and assignments."""

from __future__ import annotations

from proposals.transitions import Step, TransitionTable
from replies.models import Reply

_State = Reply.State
REPLY_TRANSITIONS = TransitionTable({
    # A draft, or a draft returned by the reviewer, is edited, submitted, or held up by an
    # assisting opinion the lead agency asks the office not to wait for.
    "edit": Step((_State.DRAFT, _State.RETURNED), offered=False),
    "submit": Step((_State.DRAFT, _State.RETURNED)),
    "request_opinion_waiver": Step((_State.DRAFT, _State.RETURNED)),
    "sign_off": Step((_State.IN_REVIEW,)),
    "return": Step((_State.IN_REVIEW,)),
    "send": Step((_State.SIGNED,)),
    # After sending: published (or taken down again), and a promise kept.
    "publish": Step((_State.SENT,)),
    "withdraw_publication": Step((_State.SENT,)),
    "follow_up_done": Step((_State.SENT,)),
})
