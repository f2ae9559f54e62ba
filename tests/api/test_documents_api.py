"""The letters sent to a member, as text and .docx, linked from the proposal's detail."""

from __future__ import annotations

import io

import pytest
from docx import Document

from tests.api.conftest import client_for
from tests.replies.builders import walk_reply

pytestmark = pytest.mark.django_db


def test_the_member_reads_the_letter_as_text(api, sent_reply):
    response = api.get(f"/api/v1/replies/{sent_reply.pk}/text/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("穗科函〔2022〕123号\n") and "张建山委员：" in text and "广州市科学技术局" in text


def test_the_member_downloads_the_letter_as_docx(api, sent_reply):
    response = api.get(f"/api/v1/replies/{sent_reply.pk}/docx/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename*=UTF-8''")
    document = Document(io.BytesIO(response.content))
    assert any(sent_reply.title in paragraph.text for paragraph in document.paragraphs)


def test_a_letter_not_yet_sent_is_not_reachable(api, assignment, agency_staff, agency_reviewer):
    signed = walk_reply(assignment, staff=agency_staff, reviewer=agency_reviewer, to="signed")
    assert api.get(f"/api/v1/replies/{signed.pk}/text/").status_code == 404


def test_another_member_gets_404_for_the_letter(outsider, sent_reply):
    client = client_for(outsider)
    for kind in ("text", "docx"):
        theirs = client.get(f"/api/v1/replies/{sent_reply.pk}/{kind}/")
        missing = client.get(f"/api/v1/replies/987654321/{kind}/")
        assert theirs.status_code == missing.status_code == 404 and theirs.content == missing.content
        assert theirs["Content-Type"] == "application/json"


def test_errors_stay_json_whatever_the_client_accepts(outsider, sent_reply):
    response = client_for(outsider).get(f"/api/v1/replies/{sent_reply.pk}/text/", HTTP_ACCEPT="text/plain")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
