"""The front door's API: the same steps as the pages, strict input, object-level permissions."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from proposals.models import Proposal
from submissions.models import Draft
from tests.api.conftest import client_for
from tests.submissions.conftest import ANALYSIS, SUGGESTIONS, member_user

pytestmark = pytest.mark.django_db

ROOT = "/api/v1/submissions/"
QUERIES = 4


def test_draft_invite_confirm_submit_and_withdraw_through_the_api(author, colleagues, session):
    api = client_for(author)
    created = api.post(ROOT, {"meeting": session.pk, "title": "加装电梯", "analysis": ANALYSIS,
                              "suggestions": SUGGESTIONS, "phone": "13800001111"}, format="json")
    assert created.status_code == 201, created.json()
    draft = created.json()
    assert draft["title_hint"] == "案由一般写作“关于……的提案”，请核对。" and draft["window_open"] is True
    url = f"{ROOT}{draft['id']}/"
    assert api.patch(url, {"title": "关于加快老旧小区加装电梯的提案"}, format="json").json()["title_hint"] == ""
    invited = api.post(f"{url}invitations/", {"members": [colleagues[0].member.pk]}, format="json")
    assert [row["state"] for row in invited.json()["cosigners"]] == ["invited"]
    assert invited.json()["blockers"] == ["尚有联名邀请未答复：李红（可等待答复，或撤销未答复的邀请）"]
    cosigner = client_for(colleagues[0])
    seen = cosigner.get(url).json()
    assert seen["phone"] == "" and seen["analysis"] == ANALYSIS  # read-only, without the author's contacts
    assert cosigner.patch(url, {"title": "关于别的提案"}, format="json").status_code == 404
    assert cosigner.post(f"{url}answer/", {"confirm": True}, format="json").json()["state"] == "confirmed"
    first = api.post(f"{url}submit/", format="json")
    again = api.post(f"{url}submit/", format="json")
    assert first.status_code == again.status_code == 200 and first.json() == again.json()
    assert first.json()["status"] == "submitted" and Proposal.objects.count() == 1
    assert api.post(f"{url}withdraw/", format="json").json()["status"] == "withdrawn"


def test_nobody_else_sees_a_draft(author, written, session):
    stranger = client_for(member_user(session, "赵六"))
    url = f"{ROOT}{written.pk}/"
    assert stranger.get(url).status_code == 404
    assert stranger.get(f"{url}similar/").status_code == 404
    assert stranger.post(f"{url}submit/", format="json").status_code == 404
    assert stranger.get(ROOT).json()["results"] == []


def test_unknown_fields_and_bad_input_are_refused_and_nothing_saved(author, written, session):
    api = client_for(author)
    url = f"{ROOT}{written.pk}/"
    refused = api.patch(url, {"title": "关于新标题的提案", "number": "1"}, format="json")
    assert refused.status_code == 400 and "number" in refused.json()["fields"]
    empty = api.patch(url, {"title": " "}, format="json")
    assert empty.status_code == 400 and empty.json()["fields"]["title"] == ["请填写案由"]
    long = api.patch(url, {"analysis": "字" * 20_001}, format="json")
    assert long.status_code == 400
    written.refresh_from_db()
    assert written.title.startswith("关于加快") and written.analysis == ANALYSIS
    lying = api.post(f"{url}attachments/", {"file": SimpleUploadedFile("图.png", b"%PDF-1.7")}, format="multipart")
    assert lying.status_code == 400 and lying.json()["fields"]["file"] == ["附件内容与扩展名“.png”不符"]
    assert not written.attachments.exists()


def test_a_closed_window_refuses_the_api_submission_in_chinese(author, written, session):
    session.submission_windows.all().delete()
    response = client_for(author).post(f"{ROOT}{written.pk}/submit/", format="json")
    assert response.status_code == 409 and "提交期间" in response.json()["detail"]
    assert Draft.objects.get().state == "draft"


def test_the_members_draft_list_costs_the_same_for_one_or_twenty(author, session, django_assert_num_queries):
    api = client_for(author)
    api.post(ROOT, {"meeting": session.pk, "title": "关于第一件事的提案"}, format="json")
    # The token and its user, the member, the page and the count.
    with django_assert_num_queries(QUERIES):
        assert api.get(ROOT).status_code == 200
    for n in range(19):
        api.post(ROOT, {"meeting": session.pk, "title": f"关于第{n}件事的提案"}, format="json")
    with django_assert_num_queries(QUERIES):
        assert api.get(ROOT).json()["count"] == 20
