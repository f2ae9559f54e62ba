"""Every link on a page opens for the person reading it. Django's admin links a read-only foreign
key to the related admin page without asking whether the reader may open it (an agency user
clicking a proposal's 会议, proposer or assisting agency got a 403); such a field reads as text."""

import re

import pytest

from tests.factories import AgencyFactory, AgencyStaffUserFactory, assigned_proposal, assignment_of

pytestmark = pytest.mark.django_db


def object_links(html: str) -> set[str]:
    return {link for link in re.findall(r'href="(/admin/[^"#?]+)"', html) if link.endswith("/change/")}


@pytest.fixture
def assigned(clerk):
    agency = AgencyFactory(name="广州市科学技术局")
    staff = AgencyStaffUserFactory(agency=agency)
    proposal = assigned_proposal(by=clerk, lead=agency, assisting=[AgencyFactory(name="广州市财政局")])
    return proposal, staff, assignment_of(proposal, agency)


def test_every_object_link_on_an_agencys_pages_opens_for_it(client, assigned):
    proposal, staff, assignment = assigned
    client.force_login(staff)
    for path in (f"/admin/proposals/proposal/{proposal.pk}/change/",
                 f"/admin/proposals/assignment/{assignment.pk}/change/"):
        page = client.get(path)
        assert page.status_code == 200
        html = page.content.decode()
        refused = {link: client.get(link).status_code for link in object_links(html)}
        assert {link: status for link, status in refused.items() if status != 200} == {}, path


def test_the_meeting_and_proposer_read_as_text_for_an_agency_and_link_for_the_clerk(client, clerk, assigned):
    proposal, staff, _ = assigned
    path = f"/admin/proposals/proposal/{proposal.pk}/change/"
    client.force_login(staff)
    html = client.get(path).content.decode()
    assert proposal.meeting.name in html and f"/admin/proposals/meeting/{proposal.meeting_id}/change/" not in html
    client.force_login(clerk)
    assert f"/admin/proposals/meeting/{proposal.meeting_id}/change/" in client.get(path).content.decode()
