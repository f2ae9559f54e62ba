"""Page sections other apps' pages show (intake/admin.py contributes them to the proposal page's hooks)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString

from intake.selectors import similar_proposals
from proposals.models import Proposal

# The states a proposal may be merged from, and the states it may be merged into (merge_proposal).
MERGEABLE = (Proposal.Status.SUBMITTED, Proposal.Status.ACCEPTED)
TAKES_MERGES = (Proposal.Status.SUBMITTED, Proposal.Status.ACCEPTED, Proposal.Status.ASSIGNED,
                Proposal.Status.IN_PROGRESS)


def similar_proposals_section(request, proposal: Proposal) -> SafeString:
    """相似提案: the five most similar proposals of this and earlier meetings, with a 并案 button
    where the merge step allows it. Clerks only; others get an empty string."""
    if not request.user.has_perm("proposals.change_proposal"):
        return SafeString("")
    rows = [
        {
            "similar": similar,
            "change_url": reverse("admin:proposals_proposal_change", args=[similar.proposal.pk]),
            "reply_url": reverse("admin:replies_reply_change", args=[similar.reply_id]) if similar.reply_id else "",
            "can_merge": (proposal.status in MERGEABLE and similar.proposal.meeting_id == proposal.meeting_id
                          and similar.proposal.status in TAKES_MERGES),
        }
        for similar in similar_proposals(proposal)
    ]
    return render_to_string("admin/intake/similar_section.html", {
        "proposal": proposal, "rows": rows,
        "merge_url": reverse("admin:intake_merge", args=[proposal.pk]),
    }, request=request)
