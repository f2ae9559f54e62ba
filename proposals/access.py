"""Who may see and do what: one helper per question, used by admin, API and workflow alike."""

from collections.abc import Callable

from django.db.models import Q, QuerySet

from proposals.models import Agency, Assignment, Communication, Event, Member, Proposal

CLERK = "clerk"
AGENCY_STAFF = "agency_staff"
AGENCY_REVIEWER = "agency_reviewer"
MEMBER = "member"


def _group_names(user) -> frozenset[str]:
    # Cached on the user object: a page asks several times per request.
    if not hasattr(user, "_tracker_groups"):
        user._tracker_groups = frozenset(user.groups.values_list("name", flat=True)) if user.is_authenticated else frozenset()
    return user._tracker_groups


def is_clerk(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and (user.is_superuser or CLERK in _group_names(user)))


def is_agency_reviewer(user) -> bool:
    return agency_of(user) is not None and AGENCY_REVIEWER in _group_names(user)


def is_agency_staff(user) -> bool:
    """A 经办人 of an agency (signs for, meets the proposers, drafts); a reviewer may be both."""
    return agency_of(user) is not None and AGENCY_STAFF in _group_names(user)


def agency_of(user) -> Agency | None:
    """The agency a staff user works for, or None."""
    if not (user and user.is_authenticated and user.is_active):
        return None
    if not hasattr(user, "_tracker_agency"):
        staff = getattr(user, "agency_staff", None)
        user._tracker_agency = staff.agency if staff is not None else None
    return user._tracker_agency


def member_of(user) -> Member | None:
    """The member (委员/代表) a user account belongs to, or None; an inactive account has none."""
    return getattr(user, "member", None) if user and user.is_authenticated and user.is_active else None


def visible_to(user, queryset: QuerySet, *, to_agency: Callable | None = None,
               to_member: Callable | None = None) -> QuerySet:
    """The rows of `queryset` that `user` may see, by who they are: a clerk every row; agency staff
    `to_agency(queryset, agency)`; a member `to_member(queryset, member)`; anyone else none.
    A role without a rule sees nothing."""
    if is_clerk(user):
        return queryset
    agency = agency_of(user)
    if agency is not None:
        return to_agency(queryset, agency) if to_agency else queryset.none()
    member = member_of(user)
    if member is not None:
        return to_member(queryset, member) if to_member else queryset.none()
    return queryset.none()


def assignments_visible_to(user) -> QuerySet[Assignment]:
    """Clerks see every assignment; agency staff only their own agency's."""
    return visible_to(user, Assignment.objects.all(), to_agency=lambda rows, agency: rows.filter(agency=agency))


def proposals_visible_to(user) -> QuerySet[Proposal]:
    """Clerks see every proposal; agency staff the ones assigned to their agency; members their own."""
    return visible_to(
        user, Proposal.objects.all(),
        to_agency=lambda rows, agency: rows.filter(
            pk__in=Assignment.objects.filter(agency=agency).values("proposal_id")
        ),
        to_member=lambda rows, member: rows.filter(pk__in=member.proposals_signed.values("proposal_id")),
    )


def communications_visible_to(user) -> QuerySet[Communication]:
    """Clerks see every communication; an agency only the contacts it held itself; a member the
    contacts about proposals they signed."""
    return visible_to(
        user, Communication.objects.all(),
        to_agency=lambda rows, agency: rows.filter(agency=agency),
        to_member=lambda rows, member: rows.filter(proposal__in=proposals_visible_to(user)),
    )


def events_visible_to(user) -> QuerySet[Event]:
    """Timeline entries: an agency sees the office's steps and its own, not other agencies' work."""
    return visible_to(
        user, Event.objects.all(),
        to_agency=lambda rows, agency: rows.filter(proposal__in=proposals_visible_to(user)).filter(
            Q(assignment__isnull=True) | Q(assignment__agency=agency)
        ),
        to_member=lambda rows, member: rows.filter(proposal__in=proposals_visible_to(user)).filter(MEMBER_MILESTONES),
    )


# What a member is shown of the handling: the proposal's own changes of state and the agencies'
# milestones, not the drafting of the letter (a reviewer's comments stay inside the agency).
MEMBER_MILESTONES = Q(assignment__isnull=True) | Q(
    action__in=[
        Event.Action.ASSIGN, Event.Action.SIGN_FOR, Event.Action.REASSIGN, Event.Action.APPROVE_EXTENSION,
        Event.Action.PLAN_COMMUNICATION, Event.Action.HOLD_COMMUNICATION, Event.Action.CANCEL_COMMUNICATION,
        Event.Action.REHANDLE,
    ]
) | Q(action=Event.Action.REPLY, to_state__in=[Assignment.State.REPLIED, Assignment.State.OPINION_SENT])
