"""Score the parser against letters whose expected records a careful reader wrote down.

`python -m letters.scoring DIR` (what `make letters-score` runs) parses every file named in
DIR/expected.json and prints, per letter, the fields it missed, then the accuracy per field and
the totals, with the fields *filled wrong*: a miss is either left empty (the clerk sees a blank
to fill) or filled in and wrong (a silent error that goes into the records). A key absent from
an expected record is not checked.

How a field counts as right (the conventions of the expected records):
- text after NFKC with white space removed and “”〔〕 folded to their ASCII forms;
- an agency when one name contains the other once the place it starts with is dropped
  (广州市科学技术局 and 科学技术局 agree; the letter may sign with or without its region);
- assisting agencies as a set of such agencies; proposers as a list, in order;
- a contact phone by its digits (the expected digits within the parsed ones);
- communications by their dates; the meeting by each expected key, where a null expected region
  is not checked (a region read off the agency is fine).
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from letters.parser import UnreadableDocument, parse_document

_FOLDS = str.maketrans({"“": '"', "”": '"', "〔": "[", "〕": "]"})
# The place an agency's name starts with: a province, then a city or prefecture, or the bare
# level people write for their own (市科技局, 州交通局).
_PLACE_PREFIX = re.compile(
    r"^(?:[\u4e00-\u9fff]{2,3}(?:省|自治区))?"
    r"(?:[\u4e00-\u9fff]{2,8}?(?:自治州|市|州|盟|地区)(?![\u4e00-\u9fff]{0,1}$))?"
)
_BARE_LEVEL = re.compile(r"^[市州县区]")


def normalized(value) -> str | None:
    if value is None:
        return None
    text = unicodedata.normalize("NFKC", str(value)).translate(_FOLDS)
    return re.sub(r"\s+", "", text)


def agency_core(name: str | None) -> str:
    text = normalized(name) or ""
    stripped = _PLACE_PREFIX.sub("", text, count=1)
    if stripped == text:
        stripped = _BARE_LEVEL.sub("", text, count=1)
    return stripped or text


def same_agency(expected: str | None, got: str | None) -> bool:
    a, b = agency_core(expected), agency_core(got)
    return bool(a) and bool(b) and (a in b or b in a)


def _digits(value) -> str:
    return re.sub(r"\D", "", value or "")


def _is_empty(value) -> bool:
    return value in (None, "", [], {})


def is_blank(value) -> bool:
    """Nothing filled in: None, "", [], {} or a meeting whose parts are all empty."""
    return _is_empty(value) or (isinstance(value, dict) and not any(value.values()))


def field_right(key: str, expected, got) -> bool:
    """Whether the parsed value of `key` is what the reader wrote down."""
    if expected is None:
        return _is_empty(got)
    if key == "lead_agency":
        options = expected if isinstance(expected, list) else [expected]
        return got is not None and any(same_agency(option, got) for option in options)
    if key == "assisting_agencies":
        got = got or []
        return len(expected) == len(got) and all(any(same_agency(e, g) for g in got) for e in expected)
    if key == "proposers":
        return [normalized(x) for x in expected] == [normalized(x) for x in got or []]
    if key == "communications":
        return sorted(c.get("date") or "" for c in expected) == sorted((c or {}).get("date") or "" for c in got or [])
    if key == "meeting":
        return _meeting_right(expected, got or {})
    if key == "contact_phone":
        return bool(_digits(expected)) and _digits(expected) in _digits(got)
    return normalized(expected) == normalized(got)


def _meeting_right(expected: dict, got: dict) -> bool:
    for key, value in expected.items():
        if key == "region":
            if value is None:
                continue
            mine = normalized(got.get("region"))
            if not mine or not (normalized(value) in mine or mine in normalized(value)):
                return False
        elif got.get(key) != value:
            return False
    return True


@dataclass
class Score:
    """The result of scoring: letters fully right, fields right per key, and the misses."""

    letters: int = 0
    letters_right: int = 0
    fields_right: Counter = field(default_factory=Counter)
    fields_total: Counter = field(default_factory=Counter)
    fields_wrong: Counter = field(default_factory=Counter)  # filled in, and wrong
    misses: dict[str, list[str]] = field(default_factory=dict)

    @property
    def share_fully_right(self) -> float:
        return self.letters_right / self.letters if self.letters else 0.0

    @property
    def share_filled_wrong(self) -> float:
        total = sum(self.fields_total.values())
        return sum(self.fields_wrong.values()) / total if total else 0.0

    def lines(self) -> list[str]:
        out = [f"{name}: " + "; ".join(items) for name, items in self.misses.items()]
        out.append("per field:")
        for key in self.fields_total:
            right, total = self.fields_right[key], self.fields_total[key]
            wrong = f", filled wrong {self.fields_wrong[key]}" if self.fields_wrong[key] else ""
            out.append(f"  {key:20} {right}/{total} ({100 * right / total:.0f}%){wrong}")
        right, total = sum(self.fields_right.values()), sum(self.fields_total.values())
        wrong = sum(self.fields_wrong.values())
        out.append(
            f"letters fully right {self.letters_right}/{self.letters}, fields right {right}/{total}, "
            f"filled wrong {wrong} ({100 * self.share_filled_wrong:.1f}% of fields)"
        )
        return out


def score_directory(directory: Path) -> Score:
    """Parse each letter named in DIR/expected.json and compare it with its record."""
    expected_records = json.loads((directory / "expected.json").read_text(encoding="utf-8"))
    result = Score()
    for record in expected_records:
        name = record["file"]
        result.letters += 1
        try:
            parsed = parse_document((directory / name).read_bytes(), filename=name).as_dict()
        except (OSError, UnreadableDocument) as error:
            parsed = {}
            result.misses.setdefault(name, []).append(f"unreadable: {error}")
        missed = []
        for key, want in record.items():
            if key == "file":
                continue
            result.fields_total[key] += 1
            if field_right(key, want, parsed.get(key)):
                result.fields_right[key] += 1
            else:
                if not is_blank(parsed.get(key)):
                    result.fields_wrong[key] += 1
                missed.append(
                    f"{key}: want {json.dumps(want, ensure_ascii=False)} got {json.dumps(parsed.get(key), ensure_ascii=False)}"
                )
        if missed:
            result.misses.setdefault(name, []).extend(missed)
        elif name not in result.misses:
            result.letters_right += 1
    return result


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m letters.scoring DIR  (DIR holds the letters and expected.json)", file=sys.stderr)
        return 2
    print("\n".join(score_directory(Path(argv[0])).lines()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
