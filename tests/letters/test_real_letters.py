"""The parser on 87 real published letters (tests/letters/real/, sources in its README.md).

The letters come from about 80 offices in more than 25 provinces; expected.json holds what a
careful reader takes from each. The parser must read nearly all of them fully right (the floor
sits a little below the level reached, 85/87) and must almost never fill a field wrong: a blank
costs the clerk a look, a wrong value that looks right goes into the records. `make
letters-score` prints the misses, the accuracy per field and the fields filled wrong.
"""

import json
from pathlib import Path

import pytest

from letters.scoring import field_right, same_agency, score_directory

REAL = Path(__file__).parent / "real"
FLOOR_FULLY_RIGHT = 0.95  # 83 of 87
CEILING_FILLED_WRONG = 0.003  # of all fields checked


@pytest.fixture(scope="module")
def score():
    return score_directory(REAL)


def test_every_expected_letter_is_in_the_folder():
    names = [record["file"] for record in json.loads((REAL / "expected.json").read_text(encoding="utf-8"))]
    assert len(names) == 87
    assert all((REAL / name).is_file() for name in names)


def test_nearly_every_real_letter_is_read_fully_right(score):
    assert score.share_fully_right >= FLOOR_FULLY_RIGHT, "\n".join(score.lines())


def test_almost_no_field_is_filled_wrong(score):
    assert score.share_filled_wrong <= CEILING_FILLED_WRONG, "\n".join(score.lines())


def test_no_field_falls_below_nine_in_ten(score):
    for key, total in score.fields_total.items():
        assert score.fields_right[key] / total >= 0.9, (key, "\n".join(score.lines()))


def test_pages_that_are_not_replies_stay_unknown(score):
    for name in ("npc-29_guichi-jianyi-67-notreply.txt", "npc-30_qinyang-banli-qingkuang-notreply.txt",
                 "cppcc-30_unknown-cangnan-news.txt"):
        assert not any(miss.startswith("doc_type") for miss in score.misses.get(name, [])), name


# --- the scoring rules themselves ------------------------------------------------------------

def test_agencies_agree_with_or_without_their_place():
    assert same_agency("广州市科学技术局", "科学技术局")
    assert same_agency("西双版纳傣族自治州交通运输局", "州交通运输局")
    assert same_agency("市水利局", "赣州市水利局")
    assert not same_agency("市水利局", "市交通运输局")
    assert not same_agency("市水利局", None)


def test_a_miss_counts_as_filled_wrong_only_when_something_was_filled_in(tmp_path):
    (tmp_path / "a.txt").write_text("张三委员:\n您提出的《关于修路的提案》收悉。\n某市交通运输局\n2024年5月6日\n", encoding="utf-8")
    (tmp_path / "expected.json").write_text(json.dumps([
        {"file": "a.txt", "proposers": ["李四"], "number": "12", "lead_agency": "某市交通运输局"},
    ]), encoding="utf-8")
    result = score_directory(tmp_path)
    assert result.fields_wrong["proposers"] == 1  # 张三 read, 李四 expected: wrong
    assert result.fields_wrong["number"] == 0  # nothing read: a blank, not wrong
    assert result.lines()[-1] == "letters fully right 0/1, fields right 1/3, filled wrong 1 (33.3% of fields)"


def test_fields_compare_as_a_reader_would():
    assert field_right("contact_phone", "0915─4426580", "0915-4426580")
    assert not field_right("contact_phone", "0915-4426580", "4426580")
    assert field_right("document_number", "普绿容〔2019〕44号", "普绿容 [2019] 44号")
    assert field_right("meeting", {"body": "npc", "region": None, "term": 6}, {"body": "npc", "region": "赣州市", "term": 6})
    assert not field_right("meeting", {"body": "npc", "region": "平桥", "term": 6}, {"body": "npc", "region": "信阳市", "term": 6})
    assert field_right("title", None, None) and not field_right("title", None, "x")
    assert not field_right("proposers", ["甲乙", "丙丁"], ["丙丁", "甲乙"])
