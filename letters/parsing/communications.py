"""Contacts between the agency and the proposer (办前/办中沟通, 面商, 座谈).

A communication is a sentence that names the proposer (您, 你们, 领衔…, 贵会/贵委会/贵社 for a
group, a proposer's name, a name or a surname with 委员/代表 after 与/同/邀请 — 与黄代表, 与两位代表,
not 企业代表 or 与会代表 — or words only proposal handling uses: 办前沟通, 办中沟通, 办后回访) and a
contact verb (沟通, 交流, 座谈, 面商, 见面, 走访, 联系, 电话, 征求…意见, 陪同, 实地查看 …). Each date in such a
sentence whose own clause holds the verb is one communication: 并于4月14日与您当面进行了座谈交流
→ 2022-04-14 face_to_face; 3月1日提出的提案收悉 is not a contact. Dates without a year take the
letter's year. When the letter gives no date at all, a past contact (我局通过电话与您进行了沟通)
is kept with date None; invitations and promises (欢迎…联系, 将继续…沟通) are not contacts.
Dates listed with 分别 and as many modes (4月12日、4月20日分别通过电话、座谈方式) take one mode
each, in order. A keyed record (沟通时间:2022年5月16日 沟通方式:电话沟通) is read as written and
then stands for the letter's communications. Lines broken inside a sentence (PDF text) are joined.

Modes (a small fixed vocabulary):
  face_to_face  当面, 面商, 面谈, 座谈, 见面, 会面, 走访, 拜访, 登门, 上门, 调研, 实地, 视察, 考察, 现场
  phone         电话, 致电, 通话, 来电
  letter        书面, 函, 信函, 邮寄, 邮件, 传真
  online        视频, 网络, 线上, 在线, 微信, 腾讯会议, 远程, 网上
  other         a contact whose mode the letter does not say (进行了沟通)
"""

from __future__ import annotations

import datetime as dt
import re

from .dates import find_dates, resolve_year

MODES: dict[str, tuple[str, ...]] = {
    "phone": ("电话", "致电", "通话", "来电"),
    "online": ("视频", "网络", "线上", "在线", "微信", "腾讯会议", "远程", "网上"),
    "letter": ("书面", "信函", "来函", "去函", "复函", "邮寄", "邮件", "传真"),
    "face_to_face": ("当面", "面商", "面谈", "座谈", "见面", "会面", "走访", "拜访", "登门", "上门",
                     "调研", "实地", "视察", "考察", "现场", "面对面"),
}
_CONTACT_VERB = re.compile(
    r"沟通|交流|座谈|面商|面谈|见面|会面|走访|拜访|登门|上门|联系|电话|致电|协商|商谈|会商|调研|视察|考察|"
    r"征求.{0,12}意见|听取.{0,12}意见|陪同|实地(?:查看|察看|踏勘|核查)|现场(?:查看|察看|办公(?![区室楼点用])|会商)"
)
_PROPOSER_WORDS = ("您", "你们", "你", "提案人", "建议人", "领衔")
# A group proposer is addressed as 贵会, 贵委会, 贵社, 贵团, 贵党 … (贵州/贵阳 are places).
_GROUP_ADDRESS = re.compile(r"贵(?:会|委|社|团|党|盟|组|单位|部门)")
# 委员/代表 alone are not enough (企业代表, 人大代表 in the body): a name before the title is,
# also a surname alone (与张委员, 与黄代表) or a count of them (与两位代表).
_NAMED_MEMBER = re.compile(
    r"(?:与|同|和|向|邀请|拜访|走访|看望|约见|会见)(?!企业|行业|专家|群众|人大|政协|市民|居民|村民|职工|学生|家长|各方|相关|有关)"
    r"(?![市区县省州各全本该我等会其])[\u4e00-\u9fff]{1,3}(?:委员|代表)(?!团)"
)
_NOT_A_CONTACT = re.compile(r"欢迎|希望|如有|如需|如您|若有|今后|下一步|继续|保持|随时|将进一步|将加强|请您|请与|敬请|衷心")
# A dated sentence can still be a promise or an invitation.
_NOT_A_DATED_CONTACT = re.compile(r"如有|如需|请于|将于|拟于|计划于|欢迎")
_PAST = re.compile(r"了|过|已|曾|多次|先后|经(与|同|和)(您|你们)")
_SENTENCE = re.compile(r"[^。!?;\n]+")
_LIST_GAP = re.compile(r"\s*(?:、|,|和|及|与|以及)?\s*")


def mode_of(text: str) -> str:
    """The mode named first in `text`, or "other"."""
    best: tuple[int, str] | None = None
    for mode, words in MODES.items():
        for word in words:
            position = text.find(word)
            if position >= 0 and (best is None or position < best[0]):
                best = (position, mode)
    return best[1] if best else "other"


# Words that only the handling of a proposal uses: 办前沟通, 办中沟通, 办后回访, 沟通情况.
_HANDLING_CONTACT = re.compile(r"办[前中后](?:沟通|走访|回访|征询|面商)|沟通情况|面商情况|征询意见")
# A keyed record: 沟通时间:2023年4月10日 沟通方式:电话 (on one line, or on two).
_KEYED_DATE = re.compile(r"(?:沟通|联系|面商|走访)(?:时间|日期)\s*:\s*(?P<value>[^\s;,]{4,20})")
_KEYED_MODE = re.compile(r"(?:沟通|联系|面商|走访)(?:方式|形式)\s*:\s*(?P<value>[^\s;,]{1,20})")


def _keyed_communications(text: str, reference: dt.date | None) -> list[dict]:
    found: list[dict] = []
    lines = text.split("\n")
    for index, line in enumerate(lines):
        date_match = _KEYED_DATE.search(line)
        if not date_match:
            continue
        # The mode on the same line, else the line below, else the line above.
        below = lines[index + 1] if index + 1 < len(lines) else ""
        candidates = [line, below, lines[index - 1] if index else ""]
        dates = find_dates(date_match.group("value"))
        mode_match = next((m for m in map(_KEYED_MODE.search, candidates) if m), None)
        mode = mode_of(mode_match.group("value")) if mode_match else "other"
        value = resolve_year(dates[0], reference) if dates else None
        found.append({"date": value.isoformat() if value else None, "mode": mode})
    return found


def modes_in_order(text: str) -> list[str]:
    """Every mode named in `text`, in the order of their first words (电话、座谈 → phone,
    face_to_face)."""
    firsts: dict[str, int] = {}
    for mode, words in MODES.items():
        positions = [text.find(word) for word in words if word in text]
        if positions:
            firsts[mode] = min(positions)
    return sorted(firsts, key=firsts.get)


def _mentions_proposer(sentence: str, proposers: list[str], addressee_is_agency: bool = False) -> bool:
    """Whether the sentence is about the proposer. In an assisting opinion, written to the lead
    agency, 您/你们/贵单位 are that agency: only the proposer's name or title counts there."""
    if addressee_is_agency:
        return any(p in sentence for p in proposers) or bool(_NAMED_MEMBER.search(sentence)) or any(
            word in sentence for word in ("提案人", "建议人")
        )
    return (
        any(word in sentence for word in _PROPOSER_WORDS)
        or bool(_HANDLING_CONTACT.search(sentence))
        or bool(_GROUP_ADDRESS.search(sentence))
        or any(p in sentence for p in proposers)
        or bool(_NAMED_MEMBER.search(sentence))
    )


# Going to see the place (实地查看, 调研, 视察) is a contact only with the proposer in the same clause
# (陪同您实地查看); 我局分管领导多次实地查看,您提出… is a site visit.
_SITE_VISIT = re.compile(r"实地(?:查看|察看|踏勘|核查)|调研|视察|考察|现场(?:查看|察看|办公|会商)")


def _only_a_site_visit(sentence: str, proposers: list[str], addressee_is_agency: bool) -> bool:
    verbs = [match.group(0) for match in _CONTACT_VERB.finditer(sentence)]
    if not verbs or not all(_SITE_VISIT.fullmatch(verb) for verb in verbs):
        return False
    clauses = [clause for clause in re.split(r"[,、]", sentence) if _SITE_VISIT.search(clause)]
    return not any(_mentions_proposer(clause, proposers, addressee_is_agency) for clause in clauses)


def _clauses_after(text: str, limit: int = 2) -> str:
    """The first `limit` comma clauses of `text`."""
    return ",".join(text.split(",")[:limit])


# A line broken inside a sentence (text taken from a PDF): a longer line that does not end a
# sentence, followed by one that does not start a new item.
_WRAPPED = re.compile(r"(?<=[^。!?;:,、)\n\s]{15})\n(?![一二三四五六七八九十]+、|[(]|\d+[.、]|第|联系|附件|抄送)")


def _unwrap(text: str) -> str:
    return _WRAPPED.sub("", text)


def find_communications(
    text: str, *, proposers: list[str], reference: dt.date | None, addressee_is_agency: bool = False
) -> list[dict]:
    """[{date, mode}] in the letter's order, one per (date, mode). `addressee_is_agency`: the
    letter is written to an agency (an assisting opinion to the lead agency)."""
    dated: list[dict] = []
    undated: list[dict] = []
    text = _unwrap(text)
    keyed = _keyed_communications(text, reference)
    if keyed:
        return [item for position, item in enumerate(keyed) if item not in keyed[:position]]
    for sentence_match in _SENTENCE.finditer(text):
        sentence = sentence_match.group(0)
        if not _CONTACT_VERB.search(sentence) or not _mentions_proposer(sentence, proposers, addressee_is_agency):
            continue
        if _only_a_site_visit(sentence, proposers, addressee_is_agency):
            continue
        dates = [] if _NOT_A_DATED_CONTACT.search(sentence) else find_dates(sentence)
        first = 0
        for position, found in enumerate(dates):
            # 5月5日、6月3日两次与您见面: dates listed together share the clause after the last.
            if position == 0 or not _LIST_GAP.fullmatch(sentence[dates[position - 1].end:found.start]):
                first = position
            last = position
            while last + 1 < len(dates) and _LIST_GAP.fullmatch(sentence[dates[last].end:dates[last + 1].start]):
                last += 1
            next_start = dates[last + 1].start if last + 1 < len(dates) else len(sentence)
            own = _clauses_after(sentence[dates[last].end:next_start])
            if not _CONTACT_VERB.search(own):
                continue
            before = sentence[dates[position - 1].end if position else 0:found.start]
            mode = mode_of(own)
            # 4月12日、4月20日分别通过电话、座谈方式与您沟通: one mode per date, in order.
            paired = modes_in_order(own) if "分别" in own else []
            if last > first and len(paired) == last - first + 1:
                mode = paired[position - first]
            if mode == "other":
                mode = mode_of(before.split(",")[-1])
            value = resolve_year(found, reference)
            dated.append({"date": value.isoformat() if value else None, "mode": mode})
        if not find_dates(sentence) and _PAST.search(sentence) and not _NOT_A_CONTACT.search(sentence):
            if "收悉" in sentence:
                continue
            undated.append({"date": None, "mode": mode_of(sentence)})
    result: list[dict] = []
    for item in dated or undated:
        if item not in result:
            result.append(item)
    return result
