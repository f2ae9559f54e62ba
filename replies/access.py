"""Who may see which letters, opinions and ratings: one helper per model, used by the admin, the
API and the workflow alike. Proposals, assignments and contacts are proposals.access's."""

from django.db.models import Q, QuerySet

from proposals.access import visible_to
from proposals.models import Assignment
from proposals.transitions import ANSWERING_ROLES
from replies.models import AssistingOpinion, Feedback, Reply


def replies_visible_to(user) -> QuerySet[Reply]:
    """Clerks see every reply; an agency its own letters, drafts included; a member the replies
    sent to them."""
    return visible_to(
        user, Reply.objects.all(),
        to_agency=lambda rows, agency: rows.filter(assignment__agency=agency),
        to_member=lambda rows, member: rows.filter(
            state=Reply.State.SENT, assignment__proposal__in=member.proposals_signed.values("proposal_id")
        ),
    )


def _answered_by(agency) -> QuerySet:
    """The proposals this agency answers the proposers on (lead or joint)."""
    return Assignment.objects.filter(agency=agency, role__in=ANSWERING_ROLES).values("proposal_id")


def opinions_visible_to(user) -> QuerySet[AssistingOpinion]:
    """An assisting agency sees its own opinions; the lead and joint agencies of the proposal see
    them once sent (the opinion is addressed to them). Members see none: the lead's reply states them."""
    return visible_to(
        user, AssistingOpinion.objects.all(),
        to_agency=lambda rows, agency: rows.filter(
            Q(assignment__agency=agency)
            | Q(state=AssistingOpinion.State.SENT, assignment__proposal__in=_answered_by(agency))
        ),
    )


def feedback_visible_to(user) -> QuerySet[Feedback]:
    """Ratings: clerks all; the lead and joint agencies those on proposals they answered (they
    re-handle on 不满意); a member their own."""
    return visible_to(
        user, Feedback.objects.all(),
        to_agency=lambda rows, agency: rows.filter(proposal__in=_answered_by(agency)),
        to_member=lambda rows, member: rows.filter(member=member),
    )
