"""Agency ranking (考评): a weighted score from the agency rows' rates, with the figures behind it."""

from __future__ import annotations




def score(row: dict, weights: dict[str, int]) -> float | None:
    """Weighted mean of the rates that could be computed, × 100; None when none could."""
    counted = {key: weight for key, weight in weights.items() if weight and row.get(key) is not None}
    total = sum(counted.values())
    if not total:
        return None
    return round(sum(row[key] * weight for key, weight in counted.items()) / total * 100, 2)


def rank_agencies(agency_rows: list[dict], weights: dict[str, int]) -> list[dict]:
    """Lead and joint agencies by score, best first; equal scores share a rank (1, 2, 2, 4)."""
    scored = [
        {"agency": row["agency"], "agency_id": row["agency_id"], "score": score(row, weights),
         **{key: row.get(key) for key in (*weights, "assigned")}}
        for row in agency_rows if row["role_code"] == "answering"
    ]
    scored.sort(key=lambda r: (r["score"] is None, -(r["score"] or 0), r["agency"]))
    previous, rank = None, 0
    for position, row in enumerate(scored, start=1):
        if row["score"] is None:
            row["rank"] = None
            continue
        if row["score"] != previous:
            rank, previous = position, row["score"]
        row["rank"] = rank
    return scored
