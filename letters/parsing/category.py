"""The reply category (答复类别 / 办理结果), A–D.

Known: 答复类别:A · 答复类别:A类 · 办理结果:B类 · 类别:A · 类别标记:A · 答复意见类别:B类 ·
办理类别为“A” · 属A类 · (A类) or a lone
"A" / "A类" line above the salutation or after the signature (some offices mark the letter's
corner) · 甲/乙/丙/丁类 (= A/B/C/D) · and the standard sentences:
  A 所提问题已经解决或基本解决 · B 所提问题正在解决或已列入计划逐步解决 (also 所提问题已列入计划逐步解决) ·
  C 所提问题因条件限制(或其他原因)暂时不能解决 · D 所提问题留作参考.
A letter that says none of these has no category (None), whatever its tone.
"""

from __future__ import annotations

import re

from .layout import Layout

_LETTER = {"A": "A", "B": "B", "C": "C", "D": "D", "甲": "A", "乙": "B", "丙": "C", "丁": "D"}
_KEYED = re.compile(
    r"(?:答复类别|答复类型|办理类别|办理类型|办复类别|办理结果|答复结果|结果类别|类别标记|类\s*别|分类)\s*(?:为|是|属于|属|:)?\s*[:]?\s*[“\"(]?\s*"
    r"(?P<code>[A-D甲乙丙丁])\s*(?:类)?(?![A-Za-z])"
)
# 属A类 only about the letter itself (列为A类企业 is not a category).
_BELONGS = re.compile(
    r"(?:提案|建议|答复|所提问题|此件|本件)[^。]{0,12}(?:属于?|列为|作为|定为|为)\s*[“\"(]?"
    r"(?P<code>[A-D甲乙丙丁])\s*类(?:答复|提案|建议|办理)?(?=[,。;)”\"\s]|$)"
)
# A lone mark, also with its meaning after a colon (A:解决采纳, B类:正在解决).
_LONE = re.compile(r"^[(\[【]?\s*(?P<code>[A-D甲乙丙丁])\s*(?:类)?\s*[)\]】]?(?:\s*:\s*[\u4e00-\u9fff]{2,10})?$")
_SENTENCES = [
    ("A", re.compile(r"(已经|已)解决或(已经|已)?基本解决")),
    ("B", re.compile(r"正在解决或已?列入(计划|规划)(逐步)?解决?|所提(问题|建议|事项)[^。,;]{0,4}?(已经|已)?列入(年度)?(计划|规划)(逐步)?(解决|落实)")),
    ("C", re.compile(r"因(客观)?条件(限制|所限)(或其他原因)?(暂时|目前)?(不能|无法|难以)解决")),
    ("D", re.compile(r"所提问题.{0,6}留作参考|属于?留作参考|(D类|丁类).{0,4}留作参考")),
]


def find_reply_category(layout: Layout) -> str | None:
    """The category the letter states, from a keyed mark, a lone mark in the head or tail, or
    the standard sentence; None when it states none."""
    text = "\n".join(layout.lines)
    match = _KEYED.search(text)
    if match:
        return _LETTER[match.group("code")]
    for line in layout.head_lines + layout.tail_lines:
        lone = _LONE.match(line.strip())
        if lone:
            return _LETTER[lone.group("code")]
        # A mark beside the document number: 穗工信函〔2020〕155号 A类
        # 穗工信函〔2020〕155号 A类 · 华教体函〔2017〕35号B类 (run together)
        # 君卫函字﹝2018﹞11号 A类  同意公开: a publishing mark may follow.
        side = re.search(
            r"号\s*[(\[【]?(?P<code>[A-D])\s*(?:类|[)\]】])[)\]】]?(?:\s+[\u4e00-\u9fff]{1,8})?$|号\s+[(\[【]?(?P<bare>[A-D])$",
            line,
        )
        if side:
            return side.group("code") or side.group("bare")
    match = _BELONGS.search(text)
    if match:
        return _LETTER[match.group("code")]
    for code, pattern in _SENTENCES:
        if pattern.search(text):
            return code
    return None
