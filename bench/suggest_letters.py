"""Suggested lead agencies on the real letters (tests/letters/real/expected.json), as an office starts.

    make bench-suggest                   # or: .venv/bin/python bench/suggest_letters.py [-v]

The 68 letters that name both a title and a lead agency are each left out in turn; the others are
the office's history (their titles and leads), and every agency kind among them starts with the
duty keywords of intake/duty_defaults.py. The label is the agency's kind (平江县交通运输局 →
交通运输局, bench/intake.py's agency_kind); a kind that no other letter has cannot be suggested and
counts as a miss. Top-1: the first suggestion is the lead's kind; top-3: it is among the first three.

The letters are split once, by file name, so the weights and words are tuned on one part and judged
on the other: sorted by file name, every third letter (the 3rd, 6th, 9th…) is held out, the rest
is the tuning part. Both parts' figures are printed, the held-out part last; -v lists the tuning
part's misses (never the held-out ones: reading them would be tuning on them).
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
LETTERS = ROOT / "tests" / "letters" / "real" / "expected.json"


def labelled_letters() -> list[tuple[str, str, str]]:
    """(file, title, lead's kind) of every letter with both, in file-name order."""
    from bench.intake import agency_kind

    rows = [(x["file"], x["title"], agency_kind(lead if isinstance(lead, str) else lead[0]))
            for x in json.loads(LETTERS.read_text()) if (lead := x.get("lead_agency")) and x.get("title")]
    return sorted(rows)


def is_held_out(index: int) -> bool:
    return index % 3 == 2


def ranked_kinds(title: str, others: list[tuple[str, str, str]]) -> list[str]:
    """The suggested kinds for `title`, from the other letters' history and the starting keywords."""
    from intake.duty_defaults import default_keywords_for
    from intake.similarity import title_similarity
    from intake.suggestions import HISTORY_MIN_SCORE, HISTORY_NEIGHBOURS, Precedent, rank_labels

    kinds = {kind for _, _, kind in others}
    leads = Counter(kind for _, _, kind in others)
    precedents = sorted((Precedent(f"第{n}号", title_similarity(title, other_title), kind, kind)
                         for n, (_, other_title, kind) in enumerate(others)), key=lambda p: -p.similarity)
    precedents = [p for p in precedents[:HISTORY_NEIGHBOURS] if p.similarity >= HISTORY_MIN_SCORE]
    return [s.label for s in rank_labels(
        title=title, body="", precedents=precedents, names={kind: [kind] for kind in kinds},
        keywords={kind: default_keywords_for(kind) for kind in kinds}, display={kind: kind for kind in kinds},
        leads=leads)]


def hit_rates(*, verbose: bool = False) -> dict[str, tuple[float, float, int]]:
    letters = labelled_letters()
    scored: dict[str, list[tuple[bool, bool]]] = {"tuning": [], "held out": []}
    for index, (name, title, kind) in enumerate(letters):
        ranked = ranked_kinds(title, letters[:index] + letters[index + 1:])
        part = "held out" if is_held_out(index) else "tuning"
        scored[part].append((ranked[:1] == [kind], kind in ranked[:3]))
        if verbose and part == "tuning" and ranked[:1] != [kind]:
            print(f"  miss: {title} — {kind}; suggested {ranked}")
    return {part: (sum(a for a, _ in hits) / len(hits), sum(b for _, b in hits) / len(hits), len(hits))
            for part, hits in scored.items()}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    import django

    django.setup()
    rates = hit_rates(verbose="-v" in sys.argv)
    for part in ("tuning", "held out"):
        first, three, count = rates[part]
        print(f"suggested lead (agency kind), {part}: {count} letters, top-1 {first:.2f}, top-3 {three:.2f}")


if __name__ == "__main__":
    main()
