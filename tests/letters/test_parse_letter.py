"""`manage.py parse_letter`: JSON per file, nothing written, unreadable files named on stderr."""

import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from letters.parser import CONTRACT_KEYS

SEEDS = Path(settings.BASE_DIR) / "seeds"
SEED_FILES = sorted(str(path.relative_to(settings.BASE_DIR)) for path in SEEDS.glob("*.txt"))


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("parse_letter", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def in_project_dir(monkeypatch):
    monkeypatch.chdir(settings.BASE_DIR)


def test_json_array_has_one_object_per_file_with_the_contract_keys(in_project_dir):
    out, err = run(*SEED_FILES, "--json")
    records = json.loads(out)
    assert [r["file"] for r in records] == SEED_FILES
    # The contract, then the doubts: the seeds are read without any.
    assert all(tuple(r) == CONTRACT_KEYS + ("doubts",) for r in records)
    assert all(r["doubts"] == [] for r in records)
    assert [r["doc_type"] for r in records] == ["reply", "reply", "reply", "policy_document", "reply"]
    assert err == ""


def test_json_keeps_chinese_readable(in_project_dir):
    out, _ = run(SEED_FILES[0], "--json")
    assert "广州市科学技术局" in out and "\\u" not in out


def test_unreadable_file_is_named_on_stderr_and_the_others_still_print(tmp_path, in_project_dir):
    binary = tmp_path / "scan.pdf"
    binary.write_bytes(b"%PDF-1.7\n\x00\x01")
    missing = tmp_path / "missing.txt"
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError):
        call_command("parse_letter", str(binary), SEED_FILES[1], str(missing), "--json", stdout=out, stderr=err)
    records = json.loads(out.getvalue())
    assert [r["file"] for r in records] == [SEED_FILES[1]]
    lines = err.getvalue().splitlines()
    assert lines[0].startswith(f"{binary}: ") and "PDF" in lines[0]
    assert lines[1].startswith(f"{missing}: ")


def test_summary_without_json(in_project_dir):
    out, _ = run(SEED_FILES[0], SEED_FILES[3])
    assert f"{SEED_FILES[0]}: reply" in out
    assert "第2053号" in out and "张建山" in out
    assert "章/条 chapters/articles: 8/51" in out


def test_json_names_the_doubts_with_the_rejected_candidate_and_why(in_project_dir):
    # 清原's closing: 承办单位:清原满族自治县住房和城乡建设 (the page lost 局).
    out, _ = run("tests/letters/real/more-03_qingyuan-jianyi-72.txt", "--json")
    record = json.loads(out)[0]
    assert record["lead_agency"] is None
    assert record["doubts"] == [{
        "field": "lead_agency", "candidate": "清原满族自治县住房和城乡建设",
        "reason": "一个候选值“清原满族自治县住房和城乡建设”不是机构名称",
    }]


def test_summary_names_the_doubts(in_project_dir):
    out, _ = run("tests/letters/real/more-03_qingyuan-jianyi-72.txt")
    assert "? lead_agency: 一个候选值“清原满族自治县住房和城乡建设”不是机构名称" in out
