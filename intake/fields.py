"""Cell values as the office writes them → the values a proposal holds. Each parser returns the
value or raises ValueError with the reason in Chinese."""

from __future__ import annotations

import datetime as dt
import re

from proposals.models import Member, Proposal

NAME_SEPARATORS = re.compile(r"[、,，;；\s/]+")

# A proposer that files as one: a party's committee, a sector, a delegation, a committee.
GROUP_PATTERN = re.compile(
    r"(民革|民盟|民建|民进|农工党|致公党|九三学社|台盟|工商联|共青团|妇联|总工会|科协|侨联|台联|青联"
    r"|代表团|界别|委员会|专委会|工作组|小组|联组|党派|团体|支社|支部|基层委|市委|区委|县委|省委)"
)

CATEGORY_WORDS = {
    Proposal.Category.ECONOMY: ("经济", "财政", "金融", "商贸", "产业", "营商"),
    Proposal.Category.SCIENCE: ("科技", "科学", "创新"),
    Proposal.Category.EDUCATION: ("教育",),
    Proposal.Category.CULTURE: ("文化", "旅游", "体育"),
    Proposal.Category.HEALTH: ("卫生", "健康", "医疗", "医药"),
    Proposal.Category.SOCIAL: ("社会", "民生", "就业", "社保", "养老"),
    Proposal.Category.URBAN: ("城乡", "城市", "建设", "交通", "住房", "规划"),
    Proposal.Category.ENVIRONMENT: ("生态", "环境", "环保"),
    Proposal.Category.AGRICULTURE: ("农业", "农村", "三农", "乡村"),
    Proposal.Category.LAW: ("政法", "法治", "法制", "司法", "公安"),
    Proposal.Category.OTHER: ("其他", "其它", "综合"),
}

YES = {"是", "Y", "YES", "TRUE", "1", "√", "✓", "重点"}
NO = {"", "否", "N", "NO", "FALSE", "0", "×", "一般"}


def parse_number(text: str) -> str:
    """第1002号 → 1002; the number as written otherwise."""
    number = re.sub(r"^第|号$", "", text.strip()).strip()
    if not number:
        raise ValueError("编号为空")
    if len(number) > Proposal._meta.get_field("number").max_length:
        raise ValueError(f"编号过长(最多{Proposal._meta.get_field('number').max_length}个字符)")
    return number


def parse_title(text: str) -> str:
    title = text.strip().strip("《》").strip()
    if not title:
        raise ValueError("案由为空")
    limit = Proposal._meta.get_field("title").max_length
    if len(title) > limit:
        raise ValueError(f"案由过长({len(title)}字,最多{limit}字)")
    return title


def parse_names(text: str) -> list[str]:
    return [name for name in NAME_SEPARATORS.split(text.strip()) if name]


def is_group_name(name: str) -> bool:
    return bool(GROUP_PATTERN.search(name))


def parse_category(text: str) -> tuple[str, str | None]:
    """The category and, when the office's word is not one of ours, a warning (filed under 其他)."""
    text = text.strip()
    if not text:
        return Proposal.Category.OTHER, None
    for category in Proposal.Category:
        if text == category.label:
            return category.value, None
    for category, words in CATEGORY_WORDS.items():
        if any(word in text for word in words):
            return category.value, None
    return Proposal.Category.OTHER, f"类别“{text}”不在本办分类中,按“其他”登记"


def parse_is_key(text: str) -> bool:
    value = text.strip().upper()
    if value in YES:
        return True
    if value in NO:
        return False
    raise ValueError(f"“{text}”不是“是”或“否”")


DATE_PATTERN = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+[\d:]+)?$")


def parse_date(text: str) -> dt.date | None:
    text = text.strip()
    if not text:
        return None
    match = DATE_PATTERN.match(text)
    if match:
        try:
            return dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
    raise ValueError(f"“{text}”不是有效日期(如 2026-01-12 或 2026年1月12日)")


def member_kind(name: str) -> str:
    return Member.Kind.GROUP if is_group_name(name) else Member.Kind.PERSON
