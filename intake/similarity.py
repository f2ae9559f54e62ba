"""How alike two proposals' titles are, the same way in Python and in PostgreSQL.

Chinese has no spaces, and pg_trgm's trigrams of a whole Chinese title are too strict (老旧小区加装
电梯 vs 老旧住宅增设电梯 share almost none). So a title is first reduced to its topic — the
boilerplate 关于…的建议/提案 and the verbs every proposal uses (加强, 推进, 进一步 …) removed — and
written as its overlapping two-character words (老旧 旧小 小区 …); pg_trgm's `similarity` of those
strings is close to the share of two-character words the titles have in common, and a GiST index
on the same expression (migration intake/0003) finds the nearest titles without reading every row.

`title_grams` and `similarity` here mirror the SQL function `intake_title_grams` and pg_trgm's
`similarity`, for SQLite (brute force) and for tests that check both agree.
"""

from __future__ import annotations

import re

# Kept in step with the SQL function of migration intake/0003 (an index is built on it).
BOILERPLATE_START = re.compile(r"^关于")
BOILERPLATE_END = re.compile(r"(的)?(建议|提案|议案)$")
COMMON_WORDS = re.compile(r"(进一步|加强|推进|推动|促进|加快|完善|提升|优化|健全|建立|工作|问题|我市|我区|我县|我省|有关|相关)")
NON_WORD = re.compile(r"\W")


def title_core(title: str) -> str:
    text = NON_WORD.sub("", title.lower())
    text = BOILERPLATE_END.sub("", BOILERPLATE_START.sub("", text))
    return COMMON_WORDS.sub("", text)


def title_grams(title: str) -> str:
    """老旧小区加装电梯 → '老旧 旧小 小区 区加 加装 装电 电梯' (as intake_title_grams in SQL)."""
    core = title_core(title)
    if len(core) < 2:
        return core
    return " ".join(core[i:i + 2] for i in range(len(core) - 1))


def trigrams(text: str) -> frozenset[str]:
    """pg_trgm's trigrams: each word padded with two spaces before and one after."""
    found = set()
    for word in text.split():
        padded = f"  {word} "
        found.update(padded[i:i + 3] for i in range(len(padded) - 2))
    return frozenset(found)


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """pg_trgm's similarity: shared trigrams over all trigrams of either."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def title_similarity(a: str, b: str) -> float:
    return similarity(trigrams(title_grams(a)), trigrams(title_grams(b)))
