"""The agency that wrote the document and the agencies that assisted.

Lead agency: the signature (agency line above the date, or agency and date on one line; the
first of a joint signature); if unsigned, the letter's own title line before 关于/对
(杭州市科学技术局关于…), then the catalogue's 发布机构 / 发文机关.

Assisting agencies, as the letter names them and in its order:
  会同市发展改革委、工业和信息化局等单位认真研究办理 · 积极会同A、B、C认真研究 · 经商A、B · 并商A、B ·
  经我局主办,市经信局会办 · 经A、B会办 · 由A协办 · 协办单位:A、B · 会办单位:A,B ·
  在A和B的大力支持下 · 与A、B共同研究办理 · 经与A、B会商 · A、B作为会办单位 · 联合A、B研究 ·
  协同A、B办理 · (我局牵头,)A、B配合.
Lists split on 、 , ; and on 和/及/与 only between two agency names (工业和信息化局 is one
name). Unnamed collectives (相关部门, 有关单位, 各区) are left out, and so is the writer itself
(我局, 本局). People's organisations count as agencies by their short names too (市残联,
市妇联, 市科协).
"""

from __future__ import annotations

import re

from .checks import JOINING_CHARS, starts_with_place
from .layout import Layout, is_agency_name, signing_agencies

_TITLE_PREFIX = re.compile(r"^(?P<agency>[\u4e00-\u9fff()·]{2,40}?)\s*(?:关于|对)")


def find_lead_agency(layout: Layout) -> str | None:
    """The writing agency as named in the signature, else in the title line, else 发布机构."""
    if layout.signature and layout.signature.agency:
        return layout.signature.agency
    if layout.title_line:
        match = _TITLE_PREFIX.match(layout.title_line)
        if match and is_agency_name(match.group("agency")):
            return match.group("agency")
        # 关于对…第8号议事原案的答复(水利局): the writer named after the heading.
        after = re.search(r"(?:答复|复函|的函|回复|意见)[(](?P<agency>[^()]{2,30})[)]$", layout.title_line)
        if after and is_agency_name(after.group("agency")):
            return after.group("agency")
        # 北京市科学技术委员会 / 关于…的答复: a title broken after the agencies' names.
        if layout.title_index:
            above = signing_agencies(layout.lines[layout.title_index - 1])
            if above:
                return above[0]
    for key in ("发布机构", "发文机关", "发布单位"):
        value = layout.meta.get(key, "").split()
        if value and is_agency_name(value[0]):
            return value[0]
    return _keyed_closing_agency(layout)


# 承办单位:清原满族自治县住房和城乡建设 in a closing laid out as a form: the label vouches that the
# value is the answering unit, even when the page cut its last character.
_KEYED_UNIT = re.compile(r"^(?:承办单位|答复单位|办理单位|办复单位)\s*:\s*(?P<unit>[\u4e00-\u9fff]{4,40})\s*$")


def _keyed_closing_agency(layout: Layout) -> str | None:
    start = layout.salutation_index or 0
    for line in layout.lines[start:]:
        match = _KEYED_UNIT.match(line)
        if match and (is_agency_name(match.group("unit")) or starts_with_place(match.group("unit"))):
            return match.group("unit")
    return None


def lead_agency_readings(layout: Layout) -> list[str]:
    """Every place that names the writer (signature, title line, catalogue), in that order and
    without repeats: two that disagree tell a clerk to look."""
    readings: list[str] = []
    if layout.signature and layout.signature.agency:
        readings.append(layout.signature.agency)
    match = _TITLE_PREFIX.match(layout.title_line or "")
    if match and is_agency_name(match.group("agency")):
        readings.append(match.group("agency"))
    for key in ("发布机构", "发文机关", "发布单位"):
        value = layout.meta.get(key, "").split()
        if value and is_agency_name(value[0]):
            readings.append(value[0])
    return list(dict.fromkeys(readings))


# Where a list of assisting agencies stops: the verb or phrase after it.
_LIST_END = r"(?=等|认真|共同|一起|进行|研究(?![院所中会室])|办理|对(?![外台])|就|开展|针对|,|。|;|:|$)"
_ASSISTING_PATTERNS = [
    re.compile(rf"(?:会同|经商|商请)(?P<list>[^,。;:]{{2,160}}?){_LIST_END}"),
    # 并商州工业和信息化局、州数据发展中心: 商 alone after a clause break (not 商务局, 协商, 商定).
    re.compile(rf"(?:^|[,。;:并又])\s*商(?![务业品贸会户标铺圈场家量议讨谈定请洽榷])(?P<list>[^,。;:]{{2,160}}?){_LIST_END}"),
    re.compile(r"(?:^|[,。;经由])\s*(?P<list>[^,。;:]{2,160}?)(?:负责)?(?:会办|协办|配合办理)(?![意单])"),
    # 我局牵头,市发展改革委、市工信局配合
    re.compile(r"(?:^|[,。;])\s*(?P<list>[^,。;:]{2,160}?)(?:积极)?配合(?=[,。;]|$)"),
    # 联合市商务局、市市场监管局进行了认真研究 · 协同市委网信办等部门认真办理 (not 联合村, a place)
    re.compile(rf"(?:联合|协同)(?![村社组镇乡])(?P<list>[^,。;:被]{{2,160}}?){_LIST_END}"),
    # 我单位发协办函至区住建部门和茅河镇政府
    re.compile(r"(?:协办函|会办函)(?:至|给|到|发往)(?P<list>[^,。;:]{2,160}?)(?=[,。;:]|$)"),
    re.compile(r"(?:协办单位|会办单位|配合单位)\s*(?:为|是|有|:)\s*(?P<list>[^。;\n]{2,200}?)(?=[。;\n]|$)"),
    re.compile(r"在(?P<list>[^,。;:]{2,160}?)的(?:大力|积极|鼎力)?(?:支持|配合|协助)"),
    re.compile(r"(?:^|[,。;])\s*(?P<list>[^,。;:]{2,160}?)(?:作为|为|是)(?:会办|协办|配合)单位"),
    re.compile(r"与(?P<list>[^,。;:您你]{2,160}?)(?:等单位|等部门)?(?:(?:共同|联合)(?:研究|办理)|会商|协商)"),
]
_SPLIT = re.compile(r"[、,;]+|以及")
# 和/及/与 joins two agencies only right after an agency's last character (市财政局和市税务局);
# inside a name it does not (工业和信息化局, 人力资源和社会保障局).
_CONJUNCTION = re.compile(r"(?<=[局厅委会办室心院府司团处所部门署站队馆社行关组校厂台园道镇乡联协])(?:和|及|与)")
_GENERIC = re.compile(r"^(相关|有关|各|其他|市直|区直|我|本|贵)|^(部门|单位)$")
_LEADING_WORDS = re.compile(r"^(积极|主动|及时|并|经|由|请|商|与|和|及|充分|认真|联合|协调|邀请|会同)+")
_TRAILING_WORDS = re.compile(r"(等单位|等部门|等相关单位|等有关单位|等相关部门|等有关部门|等|单位)$")


def _split_agency_list(text: str) -> list[str]:
    items: list[str] = []
    for piece in _SPLIT.split(text):
        items.extend(_CONJUNCTION.split(piece))
    cleaned = []
    for item in items:
        item = _LEADING_WORDS.sub("", item.strip())
        item = _TRAILING_WORDS.sub("", item).strip()
        if item and not _GENERIC.match(item) and is_agency_name(item):
            cleaned.append(item)
    return cleaned


def find_assisting_agencies(layout: Layout) -> list[str]:
    """Assisting agencies named in the opening (and in 协办单位/会办单位 lines anywhere in the
    letter), in the letter's order, without duplicates and without the writer."""
    lead = find_lead_agency(layout)
    lines = layout.lines[:layout.letter_end + 1]
    head = "\n".join(layout.head_lines)
    opening = layout.opening
    keyed = "\n".join(line for line in lines if re.match(r"^(协办单位|会办单位|配合单位)", line))
    found: list[tuple[int, str]] = []
    for offset, text in ((0, head), (10_000, opening), (20_000, keyed)):
        for pattern in _ASSISTING_PATTERNS:
            for match in pattern.finditer(text):
                position = offset + match.start("list")
                for rank, name in enumerate(_split_agency_list(match.group("list"))):
                    found.append((position * 100 + rank, name))
    result: list[str] = []
    for _, name in sorted(found):
        if name not in result and name != lead:
            result.append(name)
    # 市自然资源和规划局 市市场监督管理局 市房地产服务中心 signing together: the first signs as
    # the lead, the others took part.
    cosigners = layout.signature.cosigners if layout.signature else ()
    return result + [name for name in cosigners if name not in result and name != lead]


def agency_problem(text: str) -> str | None:
    """Why `text` does not read as an agency's name, or None. A name that starts with a joining
    word (与甘谷县政府) is a piece of a sentence; a place that starts with the same character
    (同江市, 和田地区, 贵州省) is not."""
    text = (text or "").strip()
    reason = f"一个候选值“{text}”不是机构名称"
    if not text or not is_agency_name(text) or re.match(r"^(相关|有关|其他|上述)", text):
        return reason
    if text[0] in JOINING_CHARS and not starts_with_place(text):
        rest = text[1:]
        if len(rest) >= 3 and (rest[0] in "省市州县区镇乡" or starts_with_place(rest) or rest[0] in "局委办"):
            return reason
    return None
