"""`manage.py office_report --meeting ID --out FILE.docx`."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from docx import Document

pytestmark = pytest.mark.django_db


def test_writes_the_report_tables(counted, tmp_path):
    out = tmp_path / "report.docx"
    call_command("office_report", "--meeting", str(counted.meeting.pk), "--out", str(out), stdout=StringIO())
    document = Document(str(out))
    assert document.paragraphs[0].text.startswith(counted.meeting.name)
    headings = [table.rows[0].cells[0].text for table in document.tables]
    assert headings == ["类别", "承办单位", "答复类别", "评价项目", "会议", "指标"]
    follow_up = document.tables[4]
    assert [c.text for c in follow_up.rows[1].cells][1:5] == ["2", "关于第2号事项的提案", "广州市教育局", "B"]


def test_refuses_a_missing_meeting_and_a_wrong_file_name(db, tmp_path):
    with pytest.raises(CommandError, match="没有编号为"):
        call_command("office_report", "--meeting", "999999", "--out", str(tmp_path / "r.docx"))
    with pytest.raises(CommandError, match=".docx"):
        call_command("office_report", "--meeting", "1", "--out", str(tmp_path / "r.pdf"))
