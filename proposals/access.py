"""Who may see and do what: one helper per question, used by admin, API and workflow alike."""

from django.db.models import QuerySet

from proposals.models import Agency, Assignment, Proposal

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
