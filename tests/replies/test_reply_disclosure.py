"""Publication: people's contact details and ID numbers never reach the public pages, and the agency
that signed a letter is the one that publishes it; separation of duties at sign-off."""

from __future__ import annotations

import pytest

from proposals.models import Event
from replies import workflow
from replies.models import Reply
from tests.factories import AgencyReviewerUserFactory
from tests.replies.builders import walk_reply
from tracker.errors import PermissionRefused, WorkflowError

pytestmark = pytest.mark.django_db


def sent_with(assignment, agency_staff, agency_reviewer, **fields) -> Reply:
    return walk_reply(assignment, staff=agency_staff, reviewer=agency_reviewer, to="sent", **fields)


def refused_publication(reply: Reply, by) -> WorkflowError:
    events = Event.objects.count()
    with pytest.raises(WorkflowError) as caught:
        workflow.publish_reply(reply=reply, by=by)
    reply.refresh_from_db()
    assert reply.published_on is None and Event.objects.count() == events
    assert caught.value.code == "contact_details_in_text"
    return caught.value


@pytest.mark.parametrize(
    ("written", "quoted"),
    [
        ("１３８１２３４５６７８", "13812345678"),  # full-width digits
        ("138 1234 5678", "138 1234 5678"),  # spaced
        ("138-1234-5678", "138-1234-5678"),  # dashed
        ("ZHANG.SAN＠EXAMPLE.COM", "zhang.san@example.com"),  # upper case, full-width ＠
        ("44010619850612301X", "44010619850612301x"),  # 身份证号 with its X check digit
    ],
)
def test_a_personal_detail_in_the_body_blocks_publication_and_is_quoted(
    assignment, agency_staff, agency_reviewer, written, quoted
):
    reply = sent_with(assignment, agency_staff, agency_reviewer, body=f"您提出的提案收悉。如有疑问请联系{written}。")

    error = refused_publication(reply, agency_staff)

    assert f"正文中的“{quoted}”" in error.message


def test_a_mobile_number_in_the_title_or_addressee_is_found_where_it_stands(assignment, agency_staff, agency_reviewer):
    reply = sent_with(assignment, agency_staff, agency_reviewer, addressee="张建山委员(13912345678)")

    error = refused_publication(reply, agency_staff)

    assert "主送中的“13912345678”" in error.message


def test_a_proposers_landline_is_found_too(assignment, agency_staff, agency_reviewer, members):
    members[0].phone = "020-8312 4567"
    members[0].save()
    reply = sent_with(assignment, agency_staff, agency_reviewer, body="张建山委员(电话02083124567)提出的提案收悉。")

    assert "020-8312 4567" in refused_publication(reply, agency_staff).message


def test_the_agencys_own_contact_line_may_be_published(assignment, agency_staff, agency_reviewer):
    body = "您提出的提案收悉。\n联系人:杨欣卉,联系电话:139 0000 1111。"
    reply = sent_with(assignment, agency_staff, agency_reviewer, body=body, contact_phone="13900001111")

    published = workflow.publish_reply(reply=reply, by=agency_staff)

    assert published.published_on is not None


def test_the_office_may_take_a_publication_down_but_not_publish(assignment, agency_staff, agency_reviewer, clerk):
    reply = sent_with(assignment, agency_staff, agency_reviewer)
    with pytest.raises(PermissionRefused):
        workflow.publish_reply(reply=reply, by=clerk)

    workflow.publish_reply(reply=reply, by=agency_staff)
    withdrawn = workflow.withdraw_reply_publication(reply=reply, by=clerk, reason="涉及个人信息")

    assert withdrawn.published_on is None


def test_a_reviewer_who_edited_an_earlier_version_cannot_sign_it_off(assignment, agency, agency_staff, agency_reviewer):
    both = AgencyReviewerUserFactory(agency=agency)
    both.groups.add(*agency_staff.groups.all())  # staff and reviewer of the same agency
    draft = walk_reply(assignment, staff=agency_staff, reviewer=agency_reviewer, to="draft")
    draft = workflow.save_reply_draft(reply=draft, by=both, version=draft.version, body=draft.body + "\n(改写)")
    draft = workflow.save_reply_draft(reply=draft, by=agency_staff, version=draft.version, body=draft.body + "。")
    in_review = workflow.submit_reply(reply=draft, by=agency_staff)

    with pytest.raises(PermissionRefused) as caught:
        workflow.sign_off_reply(reply=in_review, by=both)

    assert caught.value.code == "own_draft"
    in_review.refresh_from_db()
    assert in_review.state == Reply.State.IN_REVIEW
    signed = workflow.sign_off_reply(reply=in_review, by=agency_reviewer, document_number="穗科函〔2022〕13号")
    assert signed.state == Reply.State.SIGNED
