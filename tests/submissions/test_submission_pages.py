"""The member's pages of the front door, and where the clerk finds an online submission."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from proposals.models import Proposal
from submissions import services
from submissions.models import Attachment, Draft
from tests.factories import ClerkFactory, ProposalFactory
from tests.submissions.conftest import ANALYSIS, SUGGESTIONS, TITLE, member_user

pytestmark = pytest.mark.django_db

LIST = reverse("submissions:list")


def page(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_member_drafts_on_the_page_and_sees_the_title_pattern_hint(client, author, session):
    client.force_login(author)
    response = client.post(reverse("submissions:new"), {
        "meeting": session.pk, "kind": "proposal", "title": "加装电梯", "category": "urban",
        "analysis": ANALYSIS, "suggestions": SUGGESTIONS, "phone": "13800001111", "address": ""})
    draft = Draft.objects.get()
    assert response["Location"] == reverse("submissions:draft", args=[draft.pk])
    html = page(client, author, response["Location"])
    assert "案由一般写作“关于……的提案”，请核对。" in html
    assert "提交" in html and 'id="submit"' in html


def test_an_empty_title_on_the_page_is_refused_in_chinese_and_nothing_saved(client, author, session):
    client.force_login(author)
    response = client.post(reverse("submissions:new"), {"meeting": session.pk, "kind": "proposal", "title": "",
                                                        "category": "urban", "analysis": ANALYSIS})
    assert response.status_code == 400 and "请填写案由" in response.content.decode()
    assert not Draft.objects.exists()


def test_another_members_draft_answers_404(client, written, session):
    client.force_login(member_user(session, "赵六"))
    assert client.get(reverse("submissions:draft", args=[written.pk])).status_code == 404
    assert client.get(reverse("submissions:docx", args=[written.pk])).status_code == 404


def test_an_invited_member_reads_the_draft_and_confirms_on_the_page(client, written, author, colleagues):
    services.invite(draft=written, members=[colleagues[0].member], by=author)
    html = page(client, colleagues[0], reverse("submissions:draft", args=[written.pk]))
    assert 'id="draft-form"' not in html and "确认联名" in html and ANALYSIS in html
    assert "13800001111" not in html  # the author's contacts are not the co-proposer's to read
    assert client.get(reverse("submissions:docx", args=[written.pk])).status_code == 404
    client.post(reverse("submissions:answer", args=[written.pk]), {"answer": "confirm"})
    assert written.cosigners.get().state == "confirmed"


def test_wrong_attachments_are_refused_and_nothing_saved(client, written, author):
    client.force_login(author)
    url = reverse("submissions:attach", args=[written.pk])
    for name, data, said in [("a.exe", b"MZ", "附件只能是PDF"), ("a.pdf", b"GIF89a", "附件内容与扩展名“.pdf”不符"),
                             ("a.docx", b"PK\x03\x04junk", "")]:
        response = client.post(url, {"file": SimpleUploadedFile(name, data)}, follow=True)
        assert said in response.content.decode()
    client.post(url, {"file": SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))})
    assert not Attachment.objects.exists()
    client.post(url, {"file": SimpleUploadedFile("情况.pdf", b"%PDF-1.7\n%%EOF")})
    assert list(Attachment.objects.values_list("name", flat=True)) == ["情况.pdf"]


def test_the_members_list_costs_the_same_queries_for_one_draft_or_twenty(client, author, session,
                                                                       django_assert_max_num_queries):
    services.create_draft(meeting=session, by=author, title=TITLE)
    client.force_login(author)
    # The session, the user, the member, the drafts with their counts, the invitations.
    with django_assert_max_num_queries(5) as one:
        assert client.get(LIST).status_code == 200
    for n in range(19):
        services.create_draft(meeting=session, by=author, title=f"关于第{n}件事的提案")
    with django_assert_max_num_queries(len(one.captured_queries)):
        html = client.get(LIST).content.decode()
    assert html.count('class="title"') == 20


def test_the_clerks_review_list_and_workbench_show_the_submission_at_fixed_cost(client, written, author, session,
                                                                               django_assert_max_num_queries):
    proposal = services.submit(draft=written, by=author)
    clerk = ClerkFactory()
    review = reverse("admin:proposals_proposal_changelist") + "?status__exact=submitted"
    client.force_login(clerk)
    start = client.get(reverse("admin:index")).content.decode()
    assert re.search(r'id="wb-to_review">.*' + TITLE, start, re.S)
    with django_assert_max_num_queries(12) as one:
        html = client.get(review).content.decode()
    assert TITLE in html
    for _ in range(10):
        ProposalFactory(meeting=session)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(review).status_code == 200
    detail = client.get(reverse("admin:proposals_proposal_change", args=[proposal.pk])).content.decode()
    assert "网上提交" in detail and "13800001111" in detail and "提案表（.docx）" in detail
    assert "退回修改" in detail


def test_the_printed_form_lays_out_the_paper_fields(client, written, author, colleagues):
    services.invite(draft=written, members=[colleagues[0].member], by=author)
    services.answer_invitation(cosigner=written.cosigners.get(), confirm=True, by=colleagues[0])
    proposal = services.submit(draft=written, by=author)
    client.force_login(ClerkFactory())
    response = client.get(reverse("submissions:docx", args=[written.pk]))
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    cells = [cell.text for row in document.tables[0].rows for cell in row.cells]
    assert cells[:6] == ["案由", TITLE, "提案人", "张建山（民盟）", "联名人", "李红（经济界）"]
    assert "13800001111" in cells and "提交时间" in cells
    text = "\n".join(p.text for p in document.paragraphs)
    assert f"第{proposal.number}号" in text and ANALYSIS in text and SUGGESTIONS in text


def test_public_pages_never_show_the_contacts(client, written, author):
    services.submit(draft=written, by=author)
    assert "13800001111" not in client.get(reverse("public-reply-list")).content.decode()
    assert Proposal.objects.get().body.count("1380000") == 0
