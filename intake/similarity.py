"""How alike two proposals are, by title and by body, the same way in Python and in PostgreSQL.

Titles. Chinese has no spaces, and pg_trgm's trigrams of a whole Chinese title are too strict (老旧
小区加装电梯 vs 老旧住宅增设电梯 share almost none). So a title is first reduced to its topic — the
boilerplate 关于…的建议/提案 and the verbs every proposal uses (加强, 推进, 进一步 …) removed — and
written as its overlapping two-character words (老旧 旧小 小区 …); pg_trgm's `similarity` of those
strings is close to the share of two-character words the titles have in common, and a GiST index
on the same expression (migration intake/0003) finds the nearest titles without reading every row.

Bodies. Two proposals on the same matter are often titled differently (关于解决城中村停车难的建议,
关于缓解老城区机动车停放压力的提案) while their bodies keep coming back to the same words (停车, 车位,
停车场). A body is read as a digest of at most BODY_GRAMS two-character words: from its first
BODY_READ characters, the phrases every proposal writes (现提出如下建议, 近年来, 进一步, 有关部门 …)
and the function characters (的, 和, 是 …) are cut out, and the two-character words said at least
twice are kept, the most frequent first. Why this digest rather than MinHash, or words weighed
against the whole collection (TF-IDF): it depends on the body alone, so PostgreSQL can index it as an
expression (migration intake/0004) that never goes stale and needs no table of its own; a word a
text repeats is a word of its topic, a word said once is as often chance; and reading a bounded
head keeps a 20,000-character body as cheap as a short one (the opening states the matter). The
digest is compared like a title: pg_trgm `similarity` of the two word strings.

The score a clerk sees. When both proposals have a body digest, TITLE_WEIGHT × title + BODY_WEIGHT
× body: the body weighs more, so a different title over the same matter is found, and a title that
shares one common word over an unrelated body stays low. When either has no body to speak of (older
records, seed letters), the title alone. `matched_parts` says which part is alike (标题相近, 正文相近).

Everything here mirrors the SQL functions `intake_title_grams`, `intake_body_digest` and
`intake_similarity` and pg_trgm's `similarity`, for SQLite (brute force), for the index search's
re-ranking and for the tests that check both agree.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

# Kept in step with the SQL function of migration intake/0003 (an index is built on it).
BOILERPLATE_START = re.compile(r"^关于")
BOILERPLATE_END = re.compile(r"(的)?(建议|提案|议案)$")
COMMON_WORDS = re.compile(r"(进一步|加强|推进|推动|促进|加快|完善|提升|优化|健全|建立|工作|问题|我市|我区|我县|我省|有关|相关)")
NON_WORD = re.compile(r"\W")

# Kept in step with the SQL functions of migration intake/0004 (an index is built on the digest).
# The head read: the opening states the matter and its problems; each character more costs time
# wherever a digest is computed (each candidate of the index search is read again, see selectors).
BODY_READ = 600
BODY_GRAMS = 16
# A word said once may be anything; a word said again is what the body is about.
BODY_GRAM_REPEATS = 2
# What nearly every proposal's body says, whatever its matter: the request's formulas, the order
# words, the verbs of administration. Cut one after another, longest first (so 现提出如下建议 goes
# whole before 建议 is looked for), with str.replace here and replace() in SQL: the same result,
# and in PostgreSQL more than twice as quick as one regular expression of them all.
BODY_BOILERPLATE_WORDS = tuple(sorted("""
    现提出如下建议 特提出如下建议 提出如下建议 提出以下建议 建议如下 具体建议 几点建议 另一方面 一方面 近年来
    进一步 有关部门 相关部门 职能部门 建议 提案 议案 意见 问题 工作 加强 推进 推动 促进 加快 完善 提升 优化 健全
    建立 有关 相关 部门 政府 我市 我区 我县 我省 全市 全区 全省 近年 目前 当前 现状 存在 主要 情况 方面 措施 实施
    开展 积极 不断 有效 切实 重要 意义 发展 提高 通过 需要 其中 同时 以及 进行 要求 落实 加大 力度 机制 体系 首先
    其次 最后 第一 第二 第三 第四 第五 因此 为此 此外 然而 但是 虽然 已经 没有 一些 部分 较为 比较 仍然 尚未 个别
    各类 相应 由于 因为 所以 如何 可以 应当 应该 能够 必须 建设 管理 服务 城市 社会 群众 经济 取得 进展 成效 成绩
    各项 日益 突出 严重 不足 有待
""".split(), key=lambda word: (-len(word), word)))
# Letters and Chinese characters carry the topic; digits (years, amounts) and punctuation do not.
NOT_TOPIC_TEXT = re.compile(r"[^\u4e00-\u9fffa-z]+")
FUNCTION_CHARACTERS = re.compile(r"[的了和与及等是在对为将把被也并而或之其这该各于以由从向到但就都很还]")

# The combined score (mirrored by the SQL function intake_similarity of migration intake/0004).
TITLE_WEIGHT, BODY_WEIGHT = 0.4, 0.6
# A part scoring this much is named on the page as the part that is alike.
PART_ALIKE = 0.3
# Below this a proposal shares too little to be worth a clerk's look (an unrelated one scores 0-0.1).
MIN_SCORE = 0.12


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


def body_topic_text(body: str) -> str:
    """The head of the body with boilerplate, function characters and punctuation turned into spaces."""
    text = body[:BODY_READ].lower()
    for word in BODY_BOILERPLATE_WORDS:
        text = text.replace(word, " ")
    return FUNCTION_CHARACTERS.sub(" ", NOT_TOPIC_TEXT.sub(" ", text))


def body_digest(body: str) -> str:
    """The body's two-character words said at least twice, most frequent first, earliest first among
    equals (as intake_body_digest in SQL): '…城中村停车难…停车位不足…停车场…' → '停车 车场 车位'."""
    text = body_topic_text(body)
    # Pairs of neighbouring characters, counted in C; a Counter keeps the order they were first
    # seen, and sorted() is stable: the earliest first among equals.
    counts = Counter(map(str.__add__, text, text[1:]))
    repeated = [gram for gram, count in counts.items() if count >= BODY_GRAM_REPEATS and " " not in gram]
    return " ".join(sorted(repeated, key=lambda gram: -counts[gram])[:BODY_GRAMS])


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


@dataclass(frozen=True)
class Fingerprint:
    """What a proposal is compared by: its title's and its body digest's trigrams."""

    title: frozenset[str]
    body: frozenset[str]

    @classmethod
    def of(cls, title: str, body: str) -> Fingerprint:
        return cls(trigrams(title_grams(title)), trigrams(body_digest(body)))

    @classmethod
    def from_digests(cls, title_grams: str, body_digest: str) -> Fingerprint:
        return cls(trigrams(title_grams), trigrams(body_digest))


@dataclass(frozen=True)
class Likeness:
    """How alike two proposals are: the score shown, and each part's own similarity."""

    score: float
    title: float
    body: float | None  # None: one of them has no body digest, the title alone counts

    @property
    def parts(self) -> list[str]:
        return matched_parts(self.title, self.body)


def likeness(a: Fingerprint, b: Fingerprint) -> Likeness:
    """The combined score (as intake_similarity in SQL)."""
    title = similarity(a.title, b.title)
    if not a.body or not b.body:
        return Likeness(title, title, None)
    body = similarity(a.body, b.body)
    return Likeness(TITLE_WEIGHT * title + BODY_WEIGHT * body, title, body)


def matched_parts(title: float, body: float | None) -> list[str]:
    """Which parts a clerk should look at: each part alike enough, else the closer one."""
    scores = {"标题相近": title, "正文相近": body if body is not None else -1.0}
    alike = [label for label, score in scores.items() if score >= PART_ALIKE]
    return alike or [max(scores, key=scores.get)]


def proposal_likeness(title_a: str, body_a: str, title_b: str, body_b: str) -> Likeness:
    return likeness(Fingerprint.of(title_a, body_a), Fingerprint.of(title_b, body_b))
