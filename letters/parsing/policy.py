"""Regulations and drafts (办法, 条例, 规定 …, 征求意见稿): title, issuing body, chapters, articles.

Structure known: 第一章 总则 (chapter lines, optional), 第一节 (sections, folded into their
chapter), 第一条(目的依据) text… (an article heading in parentheses, text on the same line or
the following lines). The regulation ends where its explanation starts (起草说明, 编制说明,
关于《…》的说明, 附件); the explanation is kept apart.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from .dates import chinese_to_int
from .layout import Layout
from .meeting import place_of_agency

_NUM = "[一二三四五六七八九十百零〇两0-9]+"
_CHAPTER = re.compile(rf"^第(?P<num>{_NUM})章\s*(?P<title>.*)$")
_SECTION = re.compile(rf"^第(?P<num>{_NUM})节\s*(?P<title>.*)$")
_ARTICLE = re.compile(rf"^第(?P<num>{_NUM})条\s*(?:[(](?P<heading>[^()]{{1,30}})[)])?\s*(?P<text>.*)$")
_EXPLANATION = re.compile(r"^(起草说明|编制说明|制定说明|修订说明|关于《.*》的(起草)?说明|附件\s*\d*\s*:?|附:)")
_ISSUED_BY = re.compile(r"(?P<body>[\u4e00-\u9fff]{2,30}?(?:人民政府|政府办公厅|人民代表大会常务委员会|人大常委会|办公室|局|委员会|厅))(?:令|印发|发布|公布)")
_DRAFTED_BY = re.compile(r"(?:^|[,。])(?P<body>[\u4e00-\u9fff]{2,20}?(?:局|委|厅|办|委员会|政府))(?:结合[^,。]{1,12},)?(?:代拟)?起草了")


@dataclass
class Article:
    number: int
    heading: str | None  # 目的依据 in 第一条(目的依据)
    text: str
    chapter_number: int | None = None
    chapter_title: str | None = None


@dataclass
class Chapter:
    number: int
    title: str
    articles: list[Article] = field(default_factory=list)


@dataclass
class PolicyContent:
    """What the loader stores for a policy document."""

    title: str  # "" when the document has no title line
    issuing_body: str | None
    drafting_body: str | None
    region: str | None  # the place the title starts with: 成都市促进…办法 → 成都市
    chapters: list[Chapter]
    articles: list[Article]
    explanation: str | None

    def as_dict(self) -> dict:
        return asdict(self)


def parse_policy(layout: Layout, *, title: str | None, issuing_body: str | None) -> PolicyContent:
    """Chapters and articles in order; an article before any chapter belongs to none."""
    chapters: list[Chapter] = []
    articles: list[Article] = []
    explanation_start: int | None = None
    current: Article | None = None
    for index, line in enumerate(layout.lines):
        if _EXPLANATION.match(line) and articles:
            explanation_start = index
            break
        chapter = _CHAPTER.match(line)
        article = _ARTICLE.match(line)
        if chapter:
            chapters.append(Chapter(chinese_to_int(chapter.group("num")) or 0, chapter.group("title").strip()))
            current = None
        elif _SECTION.match(line):
            current = None
        elif article:
            current = Article(
                chinese_to_int(article.group("num")) or 0,
                article.group("heading"),
                article.group("text").strip(),
            )
            articles.append(current)
            if chapters:
                chapters[-1].articles.append(current)
                current.chapter_number, current.chapter_title = chapters[-1].number, chapters[-1].title
        elif current is not None:
            current.text = f"{current.text}\n{line}".strip()
    explanation = "\n".join(layout.lines[explanation_start:]) if explanation_start is not None else None
    return PolicyContent(
        title=title or "",
        issuing_body=issuing_body or _issued_by("\n".join(layout.lines[:3])),
        region=place_of_agency(title),
        drafting_body=_drafted_by(explanation or ""),
        chapters=chapters,
        articles=articles,
        explanation=explanation,
    )


def _issued_by(head: str) -> str | None:
    """(2022年5月1日广州市人民政府令第190号公布) under the title names the issuing body."""
    match = _ISSUED_BY.search(head)
    return match.group("body") if match else None


def _drafted_by(explanation: str) -> str | None:
    """市经信局结合我市实际,代拟起草了《…》 names the drafting agency."""
    match = _DRAFTED_BY.search(explanation)
    return match.group("body") if match else None


def policy_title(layout: Layout) -> str | None:
    """The first line, when it is a title (no sentence punctuation, not an article); for a
    notice that issues a policy (关于印发《…》的通知), the policy's own name."""
    for line in layout.lines[:3]:
        if _CHAPTER.match(line) or _ARTICLE.match(line):
            return None
        if "。" not in line and len(line) <= 80:
            # 关于印发《广州市促进人工智能产业发展若干措施》的通知: the policy is what it issues.
            issued = re.search(r"(?:印发|发布|公布|转发)《(?P<name>[^《》]+)》的?(?:通知|决定|公告)$", line)
            return issued.group("name") if issued else line.strip()
    return None


# How an article may end: a full stop, or a list's colon/semicolon closing in brackets or quotes.
_ARTICLE_END = re.compile(r"[。!?;:”’」』)》】…]$")


def find_truncation(content: PolicyContent) -> list[str]:
    """What shows a policy document was cut short: no articles at all, article or chapter
    numbers that skip or restart, or a last article that stops mid-sentence. [] when it looks
    whole. Messages in Chinese and English."""
    problems: list[str] = []
    if not content.articles:
        return []  # set out in numbered items (一、二、…), not articles: nothing to count
    for previous, article in zip(content.articles, content.articles[1:]):
        if article.number != previous.number + 1:
            problems.append(
                f"条文编号在第{previous.number}条之后中断(下一条是第{article.number}条) / "
                f"article numbering breaks after article {previous.number} (next is {article.number})"
            )
            break
    if content.articles[0].number != 1:
        problems.append(f"条文不是从第一条开始(第{content.articles[0].number}条) / articles do not start at 1")
    numbers = [chapter.number for chapter in content.chapters]
    if numbers and numbers != list(range(1, len(numbers) + 1)):
        problems.append(f"章的编号不连续({numbers}) / chapter numbering breaks: {numbers}")
    last = content.articles[-1]
    if not _ARTICLE_END.search(last.text.strip()):
        problems.append(
            f"最后一条(第{last.number}条)在句中中断 / the last article ({last.number}) stops mid-sentence"
        )
    return problems
