"""Letters the parser was not built on: one test per fixture and contract field.

tests/letters/heldout/ holds whole published pages written the ways other offices write them
(catalogue blocks with and without colons, 文号 lines, joint and group proposers, assisting
agencies in their several forms, contact lines, categories, communications, an assisting
opinion, a policy draft, an unknown page, a traditional-character page). expected.json holds
what a careful reader takes from each page under the contract's conventions; it was written
from the letters, not from the parser's output.

Run with -s to see the accuracy per field and per fixture.
"""

import json
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pytest

from letters.parser import CONTRACT_KEYS, parse_document

HELDOUT = Path(__file__).parent / "heldout"
EXPECTED: dict[str, dict] = json.loads((HELDOUT / "expected.json").read_text(encoding="utf-8"))
FIELDS = [key for key in CONTRACT_KEYS if key != "file"]
FIXTURES = sorted(path.name for path in HELDOUT.glob("*.txt"))


@lru_cache(maxsize=None)
def parsed(name: str) -> dict:
    return parse_document((HELDOUT / name).read_bytes(), filename=name).as_dict()


def test_every_fixture_has_an_expectation_with_every_field():
    assert FIXTURES and sorted(EXPECTED) == FIXTURES
    for name, expected in EXPECTED.items():
        assert sorted(expected) == sorted(FIELDS), name
        assert sorted(expected["meeting"]) == sorted(["body", "region", "term", "session", "name"]), name


@pytest.mark.parametrize("key", FIELDS)
@pytest.mark.parametrize("name", FIXTURES)
def test_heldout_field(name, key):
    assert parsed(name)[key] == EXPECTED[name][key]


def test_heldout_accuracy_summary(capsys):
    """Prints fields correct / total, per field and per fixture (visible with -s)."""
    per_field: Counter = Counter()
    per_file: Counter = Counter()
    misses: list[str] = []
    for name in FIXTURES:
        record = parsed(name)
        for key in FIELDS:
            if record[key] == EXPECTED[name][key]:
                per_field[key] += 1
                per_file[name] += 1
            else:
                misses.append(f"  {name} {key}: got {record[key]!r}, expected {EXPECTED[name][key]!r}")
    total = len(FIXTURES) * len(FIELDS)
    correct = sum(per_file.values())
    with capsys.disabled():
        print(f"\nheld-out accuracy: {correct}/{total} fields ({100 * correct / total:.1f}%)")
        for key in FIELDS:
            print(f"  {key:20} {per_field[key]}/{len(FIXTURES)}")
        for name in FIXTURES:
            print(f"  {name:45} {per_file[name]}/{len(FIELDS)}")
        print("\n".join(misses))
    assert correct <= total
