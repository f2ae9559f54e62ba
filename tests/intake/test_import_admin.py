"""The import pages in the admin: upload → preview → confirm, and the shell command."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from proposals.models import Proposal
from tests.factories import AgencyStaffUserFactory
from tests.intake.sheets import HEADER, proposal_row, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(client, meeting, data, name="提案.xlsx"):
    url = reverse("admin:intake_import", args=[meeting.pk, "proposals"])
    return client.post(url, {"file": SimpleUploadedFile(name, data)})


def test_upload_shows_a_preview_and_writes_only_on_confirm(client, clerk, meeting):
    client.force_login(clerk)
    data = xlsx([HEADER, proposal_row("1", "关于甲的提案", "张一", "张二"), proposal_row("2", "关于乙的提案", "张三")])
    preview = upload(client, meeting, data)

    assert preview.status_code == 200
    page = preview.content.decode()
    assert "关于甲的提案" in page and "张二（新）" in page and "新增 2" in page
    assert not Proposal.objects.filter(meeting=meeting).exists()

    confirmed = client.post(preview.request["PATH_INFO"], {"token": preview.context["confirm_form"]["token"].value()})
    assert confirmed.status_code == 302
    assert Proposal.objects.filter(meeting=meeting).count() == 2


def test_a_bad_row_is_shown_and_blocks_the_import_unless_valid_rows_only(client, clerk, meeting):
    client.force_login(clerk)
    data = xlsx([HEADER, proposal_row("1", "关于甲的提案", "张一"), proposal_row("2", "", "张三")])
    preview = upload(client, meeting, data)
    page = preview.content.decode()
    assert "第3行" in page and "案由为空" in page and "仅导入无误的行" in page
    token = preview.context["confirm_form"]["token"].value()

    refused = client.post(preview.request["PATH_INFO"], {"token": token})
    assert "有1行存在错误或冲突" in refused.content.decode()
    assert not Proposal.objects.filter(meeting=meeting).exists()

    client.post(preview.request["PATH_INFO"], {"token": token, "valid_rows_only": "on"})
    assert list(Proposal.objects.filter(meeting=meeting).values_list("number", flat=True)) == ["1"]


def test_a_forged_token_is_refused(client, clerk, meeting):
    client.force_login(clerk)
    url = reverse("admin:intake_import", args=[meeting.pk, "proposals"])
    response = client.post(url, {"token": "../../etc/passwd"}, follow=True)
    assert "上传已失效" in response.content.decode()


def test_an_unreadable_file_is_an_error_on_the_form(client, clerk, meeting):
    client.force_login(clerk)
    response = upload(client, meeting, b"garbage", name="a.xlsx")
    assert response.status_code == 200 and "无法读取该文件" in response.content.decode()


def test_agency_staff_cannot_open_the_import(client, meeting):
    client.force_login(AgencyStaffUserFactory())
    assert client.get(reverse("admin:intake_import", args=[meeting.pk, "proposals"])).status_code == 403


def test_intake_desk_lists_meetings_in_fixed_queries(client, clerk, meeting, other_meeting,
                                                       django_assert_max_num_queries):
    client.force_login(clerk)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("admin:intake_meetingintake_changelist"))
    assert "导入提案汇总表" in response.content.decode()


def test_command_dry_run_writes_nothing_and_exits_1_on_bad_rows(tmp_path, clerk, meeting, capsys):
    path = tmp_path / "提案.xlsx"
    path.write_bytes(xlsx([HEADER, proposal_row("1", "关于甲的提案", "张一"), proposal_row("2", "关于乙的提案", "")]))
    with pytest.raises(SystemExit) as exited:
        call_command("import_proposals", str(path), meeting=meeting.pk, dry_run=True)
    assert exited.value.code == 1
    out = capsys.readouterr().out
    assert "提案人为空" in out and "未写入" in out
    assert not Proposal.objects.exists()


def test_command_imports_and_a_second_run_is_a_no_op(tmp_path, clerk, meeting, capsys):
    path = tmp_path / "提案.csv"
    path.write_bytes("\n".join([",".join(HEADER), "1,关于甲的提案,张一,,,,2026-01-12,正文,否"]).encode("gb18030"))
    call_command("import_proposals", str(path), meeting=meeting.pk, user=clerk.username)
    call_command("import_proposals", str(path), meeting=meeting.pk, user=clerk.username)
    out = capsys.readouterr().out
    assert "已登记 1 件" in out and "已登记 0 件" in out
    assert Proposal.objects.filter(meeting=meeting).count() == 1


def test_assignment_list_upload_previews_then_assigns_on_the_chosen_date(client, clerk, meeting):
    from proposals.models import Assignment
    from tests.factories import AgencyFactory, accepted_proposal

    AgencyFactory(name="广州市教育局")
    accepted_proposal(by=clerk, meeting=meeting, number="1")
    client.force_login(clerk)
    url = reverse("admin:intake_import", args=[meeting.pk, "assignments"])
    data = xlsx([["编号", "主办单位", "协办单位"], ["1", "广州市教育局", ""]])
    preview = client.post(url, {"file": SimpleUploadedFile("交办.xlsx", data), "on": "2026-03-02"})
    assert "新交办 1" in preview.content.decode() and not Assignment.objects.exists()

    client.post(url, {"token": preview.context["confirm_form"]["token"].value()})
    assert Assignment.objects.get().assigned_on.isoformat() == "2026-03-02"
