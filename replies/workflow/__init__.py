"""Every step of a reply letter, an assisting opinion and a proposer's rating (docs/domain.md, lifecycle).

Same rules as proposals.workflow: each function runs in one transaction, locks the row it
changes, checks who acts and from which state, writes with `update_fields`, records an Event on
the proposal, and raises WorkflowError otherwise. Assignment and proposal states move only
through proposals.workflow (mark_assignment_replied, start_rehandling, ...), called from here.

A reply goes draft → in_review → (returned → in_review)* → signed → sent, then may be published
and its publication withdrawn. Drafts carry a version: a save made from an out-of-date copy is
refused rather than silently overwriting someone else's changes.

The steps live in modules by subject (numbering, letters, review, publication, waivers,
opinions, rating) and are all re-exported here: `from replies import workflow` then
`workflow.submit_reply(...)`.
"""
from __future__ import annotations

from replies.workflow._base import (
    State,
    Action,
    DRAFT_FIELDS,
    OPINION_FIELDS,
)
from replies.workflow.numbering import (
    normalize_document_number,
    next_document_number,
)
from replies.workflow.letters import (
    without_generated_lines,
    validate_reply_draft,
    draft_reply,
    save_reply_draft,
)
from replies.workflow.review import (
    communication_done,
    opinions_outstanding,
    submit_reply,
    return_reply,
    sign_off_reply,
    send_reply,
)
from replies.workflow.publication import (
    publish_reply,
    withdraw_reply_publication,
    record_follow_up_done,
)
from replies.workflow.waivers import (
    waive_communication,
    waive_opinion,
    request_opinion_waiver,
    refuse_opinion_waiver,
)
from replies.workflow.opinions import (
    validate_opinion_draft,
    draft_assisting_opinion,
    save_opinion_draft,
    send_assisting_opinion,
)
from replies.workflow.rating import (
    feedback_refusal,
    feedback_open,
    record_feedback,
    close_feedback_window,
)
from replies.workflow.history import (
    record_historical_reply,
    record_historical_opinion,
)

__all__ = [
    "State",
    "Action",
    "DRAFT_FIELDS",
    "OPINION_FIELDS",
    "normalize_document_number",
    "next_document_number",
    "without_generated_lines",
    "validate_reply_draft",
    "draft_reply",
    "save_reply_draft",
    "communication_done",
    "opinions_outstanding",
    "submit_reply",
    "return_reply",
    "sign_off_reply",
    "send_reply",
    "publish_reply",
    "withdraw_reply_publication",
    "record_follow_up_done",
    "waive_communication",
    "waive_opinion",
    "request_opinion_waiver",
    "refuse_opinion_waiver",
    "validate_opinion_draft",
    "draft_assisting_opinion",
    "save_opinion_draft",
    "send_assisting_opinion",
    "feedback_refusal",
    "feedback_open",
    "record_feedback",
    "close_feedback_window",
    "record_historical_reply",
    "record_historical_opinion",
]
