"""`manage.py office_figures --json`: the figures a script or an auditor reads."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_json_holds_definitions_totals_and_agency_rows(counted):
    out = StringIO()
    call_command("office_figures", "--meeting", str(counted.meeting.pk), "--json", stdout=out)
    figures = json.loads(out.getvalue())
    assert figures["totals"]["received"] == 8
    assert figures["definitions"]["on_time_rate"]["label"] == "按期办复率"
    assert {row["agency"] for row in figures["agencies"]} == {"广州市科学技术局", "广州市教育局", "广州市生态环境局"}


@pytest.mark.parametrize("argument", [["--meeting", "999999"], ["--kind", "letter"], ["--as-of", "2026-13-01"]])
def test_bad_filters_are_refused_in_chinese(db, argument):
    with pytest.raises(CommandError, match="[\u4e00-\u9fff]"):
        call_command("office_figures", *argument, "--json", stdout=StringIO())
