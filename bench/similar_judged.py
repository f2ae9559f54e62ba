"""Similar titles judged by a reader (issue #28), and suggested leads on the real letters.

    make bench-similar-judged            # or: .venv/bin/python bench/similar_judged.py [-v]

For each query of tests/intake/judged_titles.json, every other title of the set is scored with
intake.similarity.title_similarity and the five best (score above 0) are read:
- duplicate recall@5: share of the query's judged duplicates among them (mean over queries);
- precision@5: share of them judged duplicate or related (mean over queries; none shown counts 0);
- hard negatives in top 5: how many judged hard negatives (other topic, shared characters) sit there.
Each figure twice: the best five whatever their score, and as a clerk sees them (score >= MIN_SCORE).
The held-out set (judged_titles_heldout.json, matters the topic vocabulary was not written for) is
scored the same way, against its own titles and all of the first set's; the second held-out set
(judged_titles_fresh.json, written and committed before any score of it) against its own and both
others'. For comparison, `--characters` scores with the first title similarity (two-character pairs
compared as pg_trgm does), `--words` with topics and identical words only (no word vectors).
The last line: top-1 and top-3 of the suggested lead (agency kind) on the real letters (tests/letters/real), each left
out in turn (bench/intake.py's letters_line). No database is read.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
JUDGED = ROOT / "tests" / "intake" / "judged_titles.json"
HELD_OUT = ROOT / "tests" / "intake" / "judged_titles_heldout.json"
FRESH = ROOT / "tests" / "intake" / "judged_titles_fresh.json"
TOP = 5


def judged_figures(score: Callable[[str, str], float], *, path: Path = JUDGED, background: tuple[Path, ...] = (),
                   min_score: float = 0.0, show_misses: bool = False) -> dict[str, float]:
    """The figures for `score`; a title scoring below min_score is not shown, as on the page."""
    data = json.loads(path.read_text())
    titles = [row["title"] for row in data["titles"]]
    for other_set in background:
        titles += [row["title"] for row in json.loads(other_set.read_text())["titles"]]
    recalls, precisions, hard_in_top = [], [], 0
    for query in data["queries"]:
        wanted = query["query"]
        scored = sorted(((score(wanted, other), other) for other in titles if other != wanted),
                        key=lambda pair: -pair[0])
        top = [other for value, other in scored[:TOP] if value > 0 and value >= min_score]
        duplicates, relevant = set(query["duplicates"]), set(query["duplicates"]) | set(query["related"])
        recalls.append(len(duplicates & set(top)) / len(duplicates))
        precisions.append(sum(other in relevant for other in top) / len(top) if top else 0.0)
        hard_in_top += sum(other in query["hard_negatives"] for other in top)
        if show_misses:
            rank = {other: n for n, (_, other) in enumerate(scored, start=1)}
            for missed in duplicates - set(top):
                print(f"  missed duplicate (rank {rank[missed]}): {wanted} ~ {missed}")
            for negative in set(query["hard_negatives"]) & set(top):
                print(f"  hard negative in top 5: {wanted} ~ {negative}")
    return {"duplicate recall@5": statistics.mean(recalls), "precision@5": statistics.mean(precisions),
            "hard negatives in top 5": hard_in_top, "queries": len(data["queries"]), "titles": len(titles)}


def line(figures: dict[str, float]) -> str:
    return (f"{figures['titles']} titles, {figures['queries']} queries: duplicate recall@5 "
            f"{figures['duplicate recall@5']:.2f}, precision@5 {figures['precision@5']:.2f}, hard negatives in "
            f"top 5 {figures['hard negatives in top 5']}")


def by_characters(a: str, b: str) -> float:
    """The first title similarity: pg_trgm's similarity of the titles' two-character pairs."""
    from intake.similarity import similarity, title_grams, trigrams

    return similarity(trigrams(title_grams(a)), trigrams(title_grams(b)))


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    import django

    django.setup()
    from intake.similarity import MIN_SCORE, title_similarity, title_word_similarity

    score = title_similarity
    if "--characters" in sys.argv:
        score = by_characters
    elif "--words" in sys.argv:
        score = title_word_similarity
    verbose = "-v" in sys.argv
    sets = (("judged", JUDGED, ()), ("held out", HELD_OUT, (JUDGED,)), ("fresh", FRESH, (JUDGED, HELD_OUT)))
    for name, path, background in sets:
        print(f"{name}, best five:", line(judged_figures(score, path=path, background=background,
                                                         show_misses=verbose)))
        print(f"{name}, as a clerk sees them (score >= {MIN_SCORE}):",
              line(judged_figures(score, path=path, background=background, min_score=MIN_SCORE)))
    from bench.intake import letters_line

    print(letters_line())


if __name__ == "__main__":
    main()
