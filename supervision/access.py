"""Who sees which key proposals: the office every one; an agency those it handles; nobody else any.

Supervisors' phone, e-mail and notes are the office's alone (`sees_supervisor_details`).
"""

from __future__ import annotations

from django.db.models import QuerySet

from proposals import access
from proposals.models import Assignment
from supervision.models import KeyProposal

INACTIVE = (Assignment.State.REASSIGNED, Assignment.State.CANCELLED)


def key_proposals_visible_to(user) -> QuerySet[KeyProposal]:
    """Clerks every selection; agency staff the key proposals their agency currently handles."""
    return access.visible_to(
        user, KeyProposal.objects.all(),
        to_agency=lambda rows, agency: rows.filter(
            proposal_id__in=Assignment.objects.filter(agency=agency).exclude(state__in=INACTIVE).values("proposal_id")
        ),
    )


def lead_agency_id(key: KeyProposal) -> int | None:
    """The agency that reports progress: the proposal's current lead (主办) agency."""
    return (Assignment.objects.filter(proposal_id=key.proposal_id, role=Assignment.Role.LEAD)
            .exclude(state__in=INACTIVE).values_list("agency_id", flat=True).first())


def sees_supervisor_details(user) -> bool:
    return access.is_clerk(user)
