"""Chinese prose takes full-width punctuation (，；：（）), as official documents write it: in the
notices people are sent, the pages they read and the refusals they meet."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from notifications import messages as notices
from proposals.workflow import accept_proposal
from tests.factories import MemberFactory, assigned_proposal, assignment_of
from tracker.errors import WorkflowError
from tracker.workdays import provisional_reason

pytestmark = pytest.mark.django_db

# A half-width , ; : ( or ) touching a Chinese character on either side.
HALF_WIDTH_IN_CHINESE = re.compile(r"[\u4e00-\u9fff][,;:()]|[,;:()][\u4e00-\u9fff]")


def half_width(text: str) -> list[str]:
    return [text[max(0, m.start() - 6):m.end() + 6] for m in HALF_WIDTH_IN_CHINESE.finditer(text)]


def test_notices_write_full_width_punctuation(clerk, agency, other_agency):
    member = MemberFactory(name="江霞")
    proposal = assigned_proposal(by=clerk, lead=agency, assisting=[other_agency], proposers=[member],
                                 on=dt.date(2026, 11, 2))  # a provisional deadline, with its reason
    lead = assignment_of(proposal, agency)
    written = [
        *notices.new_assignment(assignment=lead),
        *notices.due_soon(assignment=lead, today=lead.due_on - dt.timedelta(days=7)),
        *notices.overdue(assignment=lead, today=lead.due_on + dt.timedelta(days=3)),
        *notices.assigned(proposal=proposal, member=member, assignments=[lead]),
    ]

    assert not [found for text in written for found in half_width(text)]


def test_the_provisional_reason_and_a_refusal_are_full_width(clerk, agency):
    proposal = assigned_proposal(by=clerk, lead=agency)
    with pytest.raises(WorkflowError) as refused:
        accept_proposal(proposal=proposal, by=clerk)

    assert not half_width(provisional_reason(2027)) and not half_width(refused.value.zh)


def test_the_clerks_pages_are_full_width(client, clerk, agency):
    assigned_proposal(by=clerk, lead=agency, on=dt.date(2026, 11, 2))
    client.force_login(clerk)

    for url in (reverse("admin:index"), reverse("admin:proposals_proposal_changelist"),
                reverse("admin:intake_meetingintake_changelist")):
        text = strip_tags(client.get(url).content.decode())
        assert not half_width(text), url
