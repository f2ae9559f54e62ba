"""Factories and workflow helpers shared by every test module.

Users get their role the way the office gives it: a group made by migration proposals/0002
(fetched, never created here) and, for agency people, an AgencyStaff link. Proposals that a
test needs in a real state are walked there through proposals.workflow, so they carry the same
rows and Events as in production; ProposalFactory makes a bare row only for states no workflow
function reaches yet (e.g. `replied`, until replies/ has its own workflow).
"""

from __future__ import annotations

import datetime as dt
import itertools

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory

from proposals import access
from proposals.models import (
    Agency,
    AgencyStaff,
    Assignment,
    Body,
    Meeting,
    Member,
    NotAcceptGround,
    Proposal,
    Proposer,
    RuleSet,
)
from proposals.workflow import accept_proposal, assign_proposal, register_proposal, sign_for_assignment

# A plain Monday with no holiday for weeks around it (chinese-calendar 2026): the date most
# workflow tests assign on, so their deadlines are easy to check by hand.
ASSIGNED_ON = dt.date(2026, 3, 2)

_numbers = itertools.count(1001)


def next_number() -> str:
    """A proposal number not used by any other factory-made proposal (第1001号, 第1002号 ...)."""
    return str(next(_numbers))


def role_group(name: str) -> Group:
    try:
        return Group.objects.get(name=name)
    except Group.DoesNotExist as error:  # pragma: no cover - a broken test setup, said plainly
        raise AssertionError(
            f"Group {name!r} is missing: migration proposals/0002 creates it. A transactional test "
            "flushes the database; mark it django_db(transaction=True, serialized_rollback=True)."
        ) from error


# --- people -----------------------------------------------------------------------------------


class UserFactory(DjangoModelFactory):
    """A user with no role. Passwords are unusable: tests log in with client.force_login."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.LazyFunction(lambda: make_password(None))
    is_active = True


class ClerkFactory(UserFactory):
    """A clerk of the proposals office (提案委员会办公室)."""

    is_staff = True  # staff roles work in the admin
    username = factory.Sequence(lambda n: f"clerk{n}")

    @factory.post_generation
    def clerk_group(user, create, extracted, **kwargs):
        if create:
            user.groups.add(role_group(access.CLERK))


class RuleSetFactory(DjangoModelFactory):
    class Meta:
        model = RuleSet

    name = factory.Sequence(lambda n: f"测试规则{n}")
    is_default = False


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = Meeting

    body = Body.CPPCC
    region = "广州市"
    term = 14
    session = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda m: f"政协十四届{m.region}委员会第{m.session}次会议")
    year = 2026
    opened_on = dt.date(2026, 1, 10)


class MemberFactory(DjangoModelFactory):
    class Meta:
        model = Member

    name = factory.Sequence(lambda n: f"委员{n}")
    kind = Member.Kind.PERSON
    body = Body.CPPCC
    region = "广州市"


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"广州市第{n}局")
    region = "广州市"
    email = factory.Sequence(lambda n: f"agency{n}@example.org")


class AgencyStaffUserFactory(UserFactory):
    """An agency's staff user (承办单位经办人): `AgencyStaffUserFactory(agency=agency)`."""

    is_staff = True  # staff roles work in the admin
    username = factory.Sequence(lambda n: f"staff{n}")

    @factory.post_generation
    def agency(user, create, extracted, **kwargs):
        if create:
            AgencyStaff.objects.create(user=user, agency=extracted or AgencyFactory())
            user.groups.add(role_group(access.AGENCY_STAFF))


class AgencyReviewerUserFactory(UserFactory):
    """An agency's reviewer (承办单位负责人), who signs off replies."""

    is_staff = True  # staff roles work in the admin
    username = factory.Sequence(lambda n: f"reviewer{n}")

    @factory.post_generation
    def agency(user, create, extracted, **kwargs):
        if create:
            AgencyStaff.objects.create(user=user, agency=extracted or AgencyFactory())
            user.groups.add(role_group(access.AGENCY_REVIEWER))


class MemberUserFactory(UserFactory):
    """A member's (委员/代表) login: `MemberUserFactory(member=member)` or a new member."""

    username = factory.Sequence(lambda n: f"member{n}")

    @factory.post_generation
    def member(user, create, extracted, **kwargs):
        if create:
            member = extracted or MemberFactory()
            member.user = user
            member.save(update_fields=["user"])
            user.groups.add(role_group(access.MEMBER))


# --- proposals --------------------------------------------------------------------------------


class ProposalFactory(DjangoModelFactory):
    """A bare proposal row, without Events. Prefer `registered_proposal` and friends.

    `ProposalFactory(status=Proposal.Status.REPLIED, proposers=[m1, m2])` sets up a state the
    workflow cannot reach yet; the first proposer is the lead.
    """

    class Meta:
        model = Proposal
        skip_postgeneration_save = True

    meeting = factory.SubFactory(MeetingFactory)
    kind = Proposal.Kind.PROPOSAL
    number = factory.LazyFunction(next_number)
    title = factory.Sequence(lambda n: f"关于加强第{n}项工作的提案")
    category = Proposal.Category.OTHER
    submitted_on = dt.date(2026, 1, 12)

    @factory.post_generation
    def proposers(proposal, create, extracted, **kwargs):
        if create and extracted:
            Proposer.objects.bulk_create(
                Proposer(proposal=proposal, member=member, order=index, is_lead=index == 1)
                for index, member in enumerate(extracted, start=1)
            )


def not_accept_ground() -> NotAcceptGround:
    """One of the listed grounds made by migration proposals/0002."""
    return NotAcceptGround.objects.get(text="内容空泛、没有具体建议的")


def registered_proposal(
    *,
    by,
    meeting: Meeting | None = None,
    proposers=None,
    number: str | None = None,
    title: str | None = None,
    **fields,
) -> Proposal:
    """A proposal logged through `register_proposal` (status submitted, REGISTER Event)."""
    meeting = meeting or MeetingFactory()
    if proposers is None:
        proposers = [MemberFactory(body=meeting.body, region=meeting.region)]
    number = number or next_number()
    return register_proposal(
        meeting=meeting,
        number=number,
        title=title or f"关于第{number}号事项的提案",
        proposers=proposers,
        by=by,
        **fields,
    )


def accepted_proposal(*, by, **kwargs) -> Proposal:
    """A registered proposal the clerk accepted (立案)."""
    return accept_proposal(proposal=registered_proposal(by=by, **kwargs), by=by)


def assigned_proposal(
    *, by, lead: Agency | None = None, joint=(), assisting=(), on: dt.date = ASSIGNED_ON, **kwargs
) -> Proposal:
    """An accepted proposal assigned (交办) on `on`; a new lead agency unless told otherwise."""
    proposal = accepted_proposal(by=by, **kwargs)
    if lead is None and not joint:
        lead = AgencyFactory()
    assign_proposal(proposal=proposal, by=by, lead=lead, joint=joint, assisting=assisting, on=on)
    proposal.refresh_from_db()
    return proposal


def assignment_of(proposal: Proposal, agency: Agency) -> Assignment:
    """The agency's current (not reassigned or cancelled) assignment on the proposal."""
    return proposal.assignments.exclude(
        state__in=[Assignment.State.REASSIGNED, Assignment.State.CANCELLED]
    ).get(agency=agency)


def signed_assignment(*, by_clerk, staff, on: dt.date = ASSIGNED_ON, **kwargs) -> Assignment:
    """A lead assignment to `staff`'s agency that the staff member signed for (签收)."""
    agency = access.agency_of(staff)
    proposal = assigned_proposal(by=by_clerk, lead=agency, on=on, **kwargs)
    return sign_for_assignment(assignment=assignment_of(proposal, agency), by=staff)
