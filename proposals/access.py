"""Who may see and do what: one helper per question, used by admin, API and workflow alike."""

from django.db.models import Q, QuerySet

from proposals.models import Agency, Assignment, Communication, Event, Proposal
from replies.models import AssistingOpinion, Feedback, Reply

CLERK = "clerk"
AGENCY_STAFF = "agency_staff"
AGENCY_REVIEWER = "agency_reviewer"
MEMBER = "member"
ROLE_GROUPS = (CLERK, AGENCY_STAFF, AGENCY_REVIEWER, MEMBER)


def _group_names(user) -> frozenset[str]:
    # Cached on the user object: a page asks several times per request.
    if not hasattr(user, "_tracker_groups"):
        user._tracker_groups = frozenset(user.groups.values_list("name", flat=True)) if user.is_authenticated else frozenset()
    return user._tracker_groups


def is_clerk(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and (user.is_superuser or CLERK in _group_names(user)))


def is_agency_reviewer(user) -> bool:
    return agency_of(user) is not None and AGENCY_REVIEWER in _group_names(user)


def agency_of(user) -> Agency | None:
    """The agency a staff user works for, or None."""
    if not (user and user.is_authenticated and user.is_active):
        return None
    if not hasattr(user, "_tracker_agency"):
        staff = getattr(user, "agency_staff", None)
        user._tracker_agency = staff.agency if staff is not None else None
    return user._tracker_agency


def assignments_visible_to(user) -> QuerySet[Assignment]:
    """Clerks see every assignment; agency staff only their own agency's."""
    queryset = Assignment.objects.all()
    if is_clerk(user):
        return queryset
    agency = agency_of(user)
    return queryset.filter(agency=agency) if agency else queryset.none()


def proposals_visible_to(user) -> QuerySet[Proposal]:
    """Clerks see every proposal; agency staff the ones assigned to their agency; members their own."""
    queryset = Proposal.objects.all()
    if is_clerk(user):
        return queryset
    agency = agency_of(user)
    if agency is not None:
        return queryset.filter(pk__in=Assignment.objects.filter(agency=agency).values("proposal_id"))
    member = getattr(user, "member", None) if user and user.is_authenticated else None
    if member is not None:
        return queryset.filter(pk__in=member.proposals_signed.values("proposal_id"))
    return queryset.none()


def _member_of(user):
    return getattr(user, "member", None) if user and user.is_authenticated and user.is_active else None


def communications_visible_to(user) -> QuerySet[Communication]:
    """Clerks see every communication; an agency only the contacts it held itself; a member the
    contacts about proposals they signed."""
    queryset = Communication.objects.all()
    if is_clerk(user):
        return queryset
    agency = agency_of(user)
    if agency is not None:
        return queryset.filter(agency=agency)
    if _member_of(user) is not None:
        return queryset.filter(proposal__in=proposals_visible_to(user))
    return queryset.none()


def events_visible_to(user) -> QuerySet[Event]:
    """Timeline entries: an agency sees the office's steps and its own, not other agencies' work."""
    queryset = Event.objects.all()
    if is_clerk(user):
        return queryset
    agency = agency_of(user)
    if agency is not None:
        return queryset.filter(proposal__in=proposals_visible_to(user)).filter(
            Q(assignment__isnull=True) | Q(assignment__agency=agency)
        )
    if _member_of(user) is not None:
        return queryset.filter(proposal__in=proposals_visible_to(user)).filter(MEMBER_MILESTONES)
    return queryset.none()


# What a member is shown of the handling: the proposal's own changes of state and the agencies'
# milestones, not the drafting of the letter (a reviewer's comments stay inside the agency).
MEMBER_MILESTONES = Q(assignment__isnull=True) | Q(
    action__in=[
        Event.Action.ASSIGN, Event.Action.SIGN_FOR, Event.Action.REASSIGN, Event.Action.APPROVE_EXTENSION,
        Event.Action.PLAN_COMMUNICATION, Event.Action.HOLD_COMMUNICATION, Event.Action.CANCEL_COMMUNICATION,
        Event.Action.REHANDLE,
    ]
) | Q(action=Event.Action.REPLY, to_state__in=[Assignment.State.REPLIED, Assignment.State.OPINION_SENT])


def replies_visible_to(user) -> QuerySet[Reply]:
    """Clerks see every reply; an agency its own letters, drafts included; a member the replies
    sent to them."""
    queryset = Reply.objects.all()
    if is_clerk(user):
        return queryset
    agency = agency_of(user)
    if agency is not None:
        return queryset.filter(assignment__agency=agency)
    member = _member_of(user)
    if member is not None:
        return queryset.filter(
            state=Reply.State.SENT, assignment__proposal__in=member.proposals_signed.values("proposal_id")
        )
    return queryset.none()


def opinions_visible_to(user) -> QuerySet[AssistingOpinion]:
    """An assisting agency sees its own opinions; the lead and joint agencies of the proposal see
    them once sent (the opinion is addressed to them). Members see none: the lead's reply states them."""
    queryset = AssistingOpinion.objects.all()
    if is_clerk(user):
        return queryset
    agency = agency_of(user)
    if agency is None:
        return queryset.none()
    answering = Assignment.objects.filter(agency=agency, role__in=[Assignment.Role.LEAD, Assignment.Role.JOINT])
    return queryset.filter(
        Q(assignment__agency=agency)
        | Q(state=AssistingOpinion.State.SENT, assignment__proposal__in=answering.values("proposal_id"))
    )


def feedback_visible_to(user) -> QuerySet[Feedback]:
    """Ratings: clerks all; the lead and joint agencies those on proposals they answered (they
    re-handle on 不满意); a member their own."""
    queryset = Feedback.objects.all()
    if is_clerk(user):
        return queryset
    agency = agency_of(user)
    if agency is not None:
        answering = Assignment.objects.filter(agency=agency, role__in=[Assignment.Role.LEAD, Assignment.Role.JOINT])
        return queryset.filter(proposal__in=answering.values("proposal_id"))
    member = _member_of(user)
    return queryset.filter(member=member) if member is not None else queryset.none()
