"""The loader refuses a bad file alone: a value over a column's limit, a changed copy of a letter
loaded before, a truncated policy document. Each failure names the file and the field, leaves
nothing of that file, and the other files still load."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from letters.models import ImportedDocument, PolicyArticle, PolicyDocument
from letters.services import load_document
from proposals.models import Agency, Meeting, Member, Proposal
from replies.models import Reply

pytestmark = pytest.mark.django_db

SEEDS = Path(settings.BASE_DIR) / "seeds"
REPLY = SEEDS / "000_72f5d033cd99f952.txt"
OTHER_REPLY = SEEDS / "001_dd0c4446925ebb56.txt"
POLICY = SEEDS / "003_2c8e55cf1516c5cb.txt"
LONG_TITLE = "关于" + "加快推进城乡一体化发展" * 36 + "建议"  # 400 characters

LETTER = """某某县交通运输局关于县十五届人大二次会议第12号建议的答复
王五代表:
您提出的《{title}》收悉,现答复如下:
我局已将该路段列入明年计划。
某某县交通运输局
2024年8月16日
"""


def load_folder(folder: Path) -> str:
    out = io.StringIO()
    try:
        call_command("load_seed_letters", str(folder), stdout=out, stderr=io.StringIO())
    except CommandError as error:
        out.write(f"\nERROR {error}")
    return out.getvalue()


def counts():
    return {m.__name__: m.objects.count() for m in (Meeting, Member, Agency, Proposal, Reply, ImportedDocument)}


def test_a_title_over_the_limit_fails_alone_naming_file_and_field(tmp_path):
    (tmp_path / "long.txt").write_text(LETTER.format(title=LONG_TITLE), encoding="utf-8")
    (tmp_path / "good.txt").write_bytes(REPLY.read_bytes())
    assert len(LONG_TITLE) == 400

    output = load_folder(tmp_path)

    assert Proposal.objects.filter(number="2053").exists()
    assert not Proposal.objects.filter(number="12").exists()
    assert not Agency.objects.filter(name__contains="某某县").exists()
    line = next(line for line in output.splitlines() if line.startswith("long.txt"))
    assert "failed" in line and "long.txt" in line.split("failed", 1)[1]
    assert "案由" in line and "(title)" in line and "400" in line and "300" in line
    assert "ERROR 1 个文件未能导入" in output


def test_a_changed_copy_of_a_loaded_letter_fails_alone(tmp_path):
    assert load_document(REPLY).status == "created"
    before = counts()
    changed = REPLY.read_text(encoding="utf-8").replace("感谢", "衷心感谢", 1)
    (tmp_path / "copy.txt").write_text(changed, encoding="utf-8")
    (tmp_path / "other.txt").write_bytes(OTHER_REPLY.read_bytes())

    outcome = load_document(tmp_path / "copy.txt")

    assert outcome.status == "failed" and outcome.field == "number"
    assert outcome.message.startswith("copy.txt:")
    assert "第2053号" in outcome.message and "000_72f5d033cd99f952.txt" in outcome.message
    assert counts() == before
    assert Reply.objects.filter(assignment__proposal__number="2053").count() == 1
    assert load_document(tmp_path / "other.txt").status == "created"


def test_a_clash_found_only_by_the_database_names_the_field(tmp_path, monkeypatch):
    import letters.services as services

    monkeypatch.setattr(services, "_refuse_second_copy", lambda *args: None)  # let the constraint speak
    assert load_document(REPLY).status == "created"
    (tmp_path / "copy.txt").write_text(REPLY.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    before = counts()

    outcome = load_document(tmp_path / "copy.txt")

    assert outcome.status == "failed" and outcome.field == "number"
    assert "copy.txt" in outcome.message and "冲突" in outcome.message
    assert counts() == before


@pytest.mark.parametrize("cut", ["mid_sentence", "numbering_breaks"])
def test_a_truncated_policy_document_is_refused(tmp_path, cut):
    text = POLICY.read_text(encoding="utf-8")
    if cut == "mid_sentence":
        end = text.index("第二十條")  # the seed is in traditional characters
        broken = text[:end].rstrip()
        broken = broken[: broken.rindex("。")] + "并"  # the last article stops mid-sentence
    else:
        start, end = text.index("第十條"), text.index("第十二條")
        broken = text[:start] + text[end:]  # 第十条 and 第十一条 missing
    (tmp_path / "policy.txt").write_text(broken, encoding="utf-8")

    outcome = load_document(tmp_path / "policy.txt")

    assert outcome.status == "failed" and outcome.field == "policy"
    assert outcome.message.startswith("policy.txt:") and "不完整" in outcome.message
    assert not PolicyDocument.objects.exists() and not PolicyArticle.objects.exists()


def test_the_whole_policy_document_still_loads():
    assert load_document(POLICY).status == "created"
    assert PolicyArticle.objects.count() == 51
