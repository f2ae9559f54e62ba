"""公开文书 › 导入: upload letters, review what was read beside the text, correct, confirm.
Nothing is written before the confirm; then each letter loads in its own transaction and the
imported document keeps what was parsed and what the clerk changed."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from letters.models import ImportedDocument
from letters.services import load_document
from proposals.models import Agency, Meeting, Member, Proposal
from replies.models import Reply

pytestmark = pytest.mark.django_db

URL = "admin:letters_importeddocument_import"
SEEDS = Path(settings.BASE_DIR) / "seeds"
REAL = Path(__file__).parent / "real"
GUANGZHOU = SEEDS / "000_72f5d033cd99f952.txt"
# 华容: the signature holds only a date and the page names no writer (lead agency null).
UNSIGNED = REAL / "cppcc-17_huarong-150-B.txt"
PANJIN = REAL / "cppcc-06_panjin-094.txt"  # the catalogue's 发文机关 is not the signer


def counts():
    return {m.__name__: m.objects.count() for m in (Meeting, Member, Agency, Proposal, Reply, ImportedDocument)}


def upload(client, *paths):
    files = [SimpleUploadedFile(path.name, path.read_bytes()) for path in paths]
    return client.post(reverse(URL), {"step": "upload", "files": files})


def review_data(response) -> dict:
    """The review page's form as the browser would submit it unchanged."""
    html = response.content.decode()
    data = {"step": "confirm", "count": re.search(r'name="count" value="(\d+)"', html).group(1)}
    for match in re.finditer(r'<input type="(?:hidden|text|number|date)" name="([^"]+)"(?: value="([^"]*)")?', html):
        data[match.group(1)] = _unescape(match.group(2) or "")
    for match in re.finditer(r'<input type="checkbox" name="([^"]+)"[^>]*checked', html):
        data[match.group(1)] = "on"
    for match in re.finditer(r'<textarea name="([^"]+)"[^>]*>\n?(.*?)</textarea>', html, re.S):
        data[match.group(1)] = _unescape(match.group(2))
    for match in re.finditer(r'<select name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        selected = re.search(r'<option value="([^"]*)"[^>]*selected', match.group(2))
        data[match.group(1)] = selected.group(1) if selected else ""
    data.pop("csrfmiddlewaretoken", None)
    return data


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


def test_upload_shows_each_letter_beside_its_text_and_writes_nothing(client, clerk):
    client.force_login(clerk)
    before = counts()

    response = upload(client, GUANGZHOU, UNSIGNED)

    assert response.status_code == 200
    page = response.content.decode()
    assert "000_72f5d033cd99f952.txt" in page and "cppcc-17_huarong-150-B.txt" in page
    assert "关于促进广州市人工智能产业健康发展的提案" in page  # the parsed title, in the form
    assert "汪国良委员" in page  # the text beside it
    assert counts() == before


def test_unsure_fields_are_marked(client, clerk):
    client.force_login(clerk)

    page = upload(client, UNSIGNED, PANJIN).content.decode()

    unsigned, panjin = page.split('data-file="cppcc-06_panjin-094.txt"')
    assert re.search(r'class="unsure"[^>]*data-field="lead_agency"', unsigned)
    assert "原文未读出" in unsigned
    assert re.search(r'class="unsure"[^>]*data-field="lead_agency"', panjin)
    assert "两处读法不一:盘锦市公安局 / 盘锦市政府" in panjin
    assert not re.search(r'class="unsure"[^>]*data-field="title"', panjin)


def test_confirm_writes_the_corrected_records_and_keeps_the_corrections(client, clerk):
    client.force_login(clerk)
    data = review_data(upload(client, GUANGZHOU, UNSIGNED))
    data["d1-lead_agency"] = "华容县教育体育局"
    data["d0-title"] = "关于促进人工智能产业健康发展的提案"

    response = client.post(reverse(URL), data)

    assert response.status_code == 302
    huarong = Proposal.objects.get(number="150")
    assert huarong.assignments.get().agency.name == "华容县教育体育局"
    assert Proposal.objects.get(number="2053").title == "关于促进人工智能产业健康发展的提案"
    document = ImportedDocument.objects.get(file_name="cppcc-17_huarong-150-B.txt")
    assert document.corrections == {"lead_agency": {"parsed": None, "corrected": "华容县教育体育局"}}
    assert document.parsed_record["lead_agency"] is None and document.parsed_record["number"] == "150"
    assert document.imported_by == clerk
    guangzhou = ImportedDocument.objects.get(file_name="000_72f5d033cd99f952.txt")
    assert guangzhou.corrections["title"]["parsed"] == "关于促进广州市人工智能产业健康发展的提案"
    messages = [str(m) for m in response.wsgi_request._messages]
    assert "已导入 cppcc-17_huarong-150-B.txt" in messages
    page = client.get(reverse("admin:letters_importeddocument_change", args=[document.pk])).content.decode()
    assert "承办(发文)单位:— → 华容县教育体育局" in page
    assert "编号:150" in page


def test_a_letter_left_out_is_not_written(client, clerk):
    client.force_login(clerk)
    data = review_data(upload(client, GUANGZHOU, PANJIN))
    data.pop("d1-include")

    client.post(reverse(URL), data)

    assert Proposal.objects.filter(number="2053").exists()
    assert not Proposal.objects.filter(number="094").exists()


def test_an_invalid_correction_writes_nothing_and_shows_the_error(client, clerk):
    client.force_login(clerk)
    data = review_data(upload(client, GUANGZHOU, PANJIN))
    data["d1-title"] = "关于" + "很长的案由" * 80
    before = counts()

    response = client.post(reverse(URL), data)

    assert response.status_code == 200
    assert counts() == before
    assert "请更正标红的字段后再确认" in response.content.decode()


def test_an_altered_upload_is_refused(client, clerk):
    client.force_login(clerk)
    data = review_data(upload(client, GUANGZHOU))
    data["d0-token"] = data["d0-token"][:-4] + "AAAA"
    before = counts()

    response = client.post(reverse(URL), data)

    assert counts() == before
    assert "上传内容校验失败" in response.content.decode()


def test_an_unreadable_upload_is_named_and_the_others_are_reviewed(client, clerk, tmp_path):
    client.force_login(clerk)
    broken = tmp_path / "scan.txt"
    broken.write_bytes(b"\x00\x01\x02" * 100)

    page = upload(client, broken, GUANGZHOU).content.decode()

    assert "scan.txt:文件是二进制数据" in page
    assert 'data-file="000_72f5d033cd99f952.txt"' in page


def test_a_loader_failure_at_confirm_fails_that_letter_alone(client, clerk, tmp_path):
    load_document(GUANGZHOU)
    changed = tmp_path / "changed.txt"
    changed.write_text(GUANGZHOU.read_text(encoding="utf-8").replace("感谢", "衷心感谢", 1), encoding="utf-8")
    client.force_login(clerk)
    data = review_data(upload(client, changed, PANJIN))

    response = client.post(reverse(URL), data)

    messages = [str(m) for m in response.wsgi_request._messages]
    assert any(m.startswith("未导入 changed.txt:") and "第2053号" in m for m in messages)
    assert Proposal.objects.filter(number="094").exists()
    assert not ImportedDocument.objects.filter(file_name="changed.txt").exists()


def test_agency_staff_may_not_import(client, agency_staff):
    client.force_login(agency_staff)

    assert client.get(reverse(URL)).status_code == 403
    assert upload(client, GUANGZHOU).status_code == 403
    assert not Proposal.objects.exists()


def test_imported_documents_list_in_a_bounded_number_of_queries(client, clerk, django_assert_max_num_queries):
    for path in sorted(SEEDS.iterdir()):
        load_document(path)
    client.force_login(clerk)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("admin:letters_importeddocument_changelist"))

    assert response.status_code == 200
    assert "导入" in response.content.decode()


def test_a_letter_marked_as_another_type_fails_alone_with_a_message(client, clerk):
    client.force_login(clerk)
    data = review_data(upload(client, GUANGZHOU, PANJIN))
    data["d0-doc_type"] = "policy_document"

    response = client.post(reverse(URL), data)

    messages = [str(m) for m in response.wsgi_request._messages]
    assert any(m.startswith("未导入 000_72f5d033cd99f952.txt:") and "政策文件" in m for m in messages)
    assert not Proposal.objects.filter(number="2053").exists()
    assert Proposal.objects.filter(number="094").exists()


def test_a_field_left_empty_by_a_check_shows_the_rejected_candidate_to_take_in_a_click(client, clerk):
    # 清原: the closing names its unit as 承办单位:清原满族自治县住房和城乡建设 (the page cut 局): not
    # an agency's name, so the field stays empty and the candidate is offered.
    client.force_login(clerk)

    page = upload(client, REAL / "more-03_qingyuan-jianyi-72.txt").content.decode()

    row = re.search(r'<tr class="unsure"[^>]*data-field="lead_agency">(.*?)</tr>', page, re.S)
    assert row, "lead_agency is not marked"
    assert "一个候选值“清原满族自治县住房和城乡建设”不是机构名称" in row.group(1)
    assert 'class="fill-candidate" data-target="id_d0-lead_agency" data-value="清原满族自治县住房和城乡建设"' in row.group(1)
    assert re.search(r'name="d0-lead_agency"(?! value)', page)  # left empty, not filled in
    assert "letters/review-candidates.js" in page
