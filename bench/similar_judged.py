"""Similar titles judged by a reader (issue #28): how the title score ranks real titles.

    make bench-similar-judged            # or: .venv/bin/python bench/similar_judged.py

For each query of tests/intake/judged_titles.json, every other title of the set is scored with
intake.similarity.title_similarity and the five best (score above 0) are read:
- duplicate recall@5: share of the query's judged duplicates among them (mean over queries);
- precision@5: share of them judged duplicate or related (mean over queries; none shown counts 0);
- hard negatives in top 5: how many judged hard negatives (other topic, shared characters) sit there.
No database: the score is the same Python function the index search re-ranks with.
"""

from __future__ import annotations

import json
import statistics
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
JUDGED = ROOT / "tests" / "intake" / "judged_titles.json"
TOP = 5


def judged_figures(score: Callable[[str, str], float], *, min_score: float = 0.0,
                   show_misses: bool = False) -> dict[str, float]:
    """The figures for `score`; a title scoring below min_score is not shown, as on the page."""
    data = json.loads(JUDGED.read_text())
    titles = [row["title"] for row in data["titles"]]
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
    return (f"judged titles ({figures['titles']} titles, {figures['queries']} queries): duplicate recall@5 "
            f"{figures['duplicate recall@5']:.2f}, precision@5 {figures['precision@5']:.2f}, hard negatives in "
            f"top 5 {figures['hard negatives in top 5']}")


def main() -> None:
    from intake.similarity import MIN_SCORE, title_similarity

    print("best five, whatever their score:", line(judged_figures(title_similarity, show_misses="-v" in sys.argv)))
    print(f"as a clerk sees them (score >= {MIN_SCORE}):", line(judged_figures(title_similarity, min_score=MIN_SCORE)))


if __name__ == "__main__":
    main()
