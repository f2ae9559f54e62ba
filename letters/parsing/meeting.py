"""The meeting a proposal was made at, and places.

Meeting lines known (term 届 and session 次 in Chinese numerals or digits):
  政协十四届广州市委员会第一次会议 · 政协第十四届广州市委员会第二次会议 ·
  中国人民政治协商会议广州市第十四届委员会第一次会议 · 广州市政协十四届一次会议 ·
  市政协第十二届一次会议 · 政协红河州十三届一次会议 · 红河州政协第十二届委员会第三次会议 ·
  市十六届人大一次会议 · 杭州市第十四届人民代表大会第二次会议 · 广州市人大十六届一次会议 ·
  十四届市政协一次会议 · 区政协十届二次会议 · 十四届全国人大一次会议 · 自治区十三届人大五次会议.
The body is 政协 → cppcc, 人大 / 人民代表大会 → npc. The region is the place written in the
line (广州市, 红河州); a bare 市/州/区/县/省 ("市政协"), or 自治区/自治州/自治县, takes the place of that level from the
agency's name (杭州市科学技术局 → 杭州市); no place at all takes the agency's city.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from .checks import Doubt, place_chain, place_ending, place_problem
from .dates import CN_NUMBER, chinese_to_int


@dataclass(frozen=True)
class Meeting:
    body: str | None = None
    region: str | None = None
    term: int | None = None
    session: int | None = None
    name: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)


# Characters a place name is made of: Han characters except the little words around a meeting
# name in a sentence (关于/对/在/您/提出 …), so "您在市政协…" gives 市, not 您在市.
_PLACE_CHARS = r"[^\s\d关于对在的您你们为向与由经将提出届次第号协会议,.:;、()《》“”\x00-\x7f]"
# 州 followed by 市 is part of a city name (广州市, 杭州市), not a prefecture.
_LEVEL = r"(?:自治州|自治县|自治区|地区|省|市|州(?!市)|县|区|旗|盟)"
PLACE = rf"(?:{_PLACE_CHARS}{{1,10}}?{_LEVEL})"
_BODY = r"(?:中国人民政治协商会议|政协|人大|人民代表大会)"
# A township's own congress (镇五届人大, 蟠猫乡十三届人大), and a place written without its level
# right before the body (平桥政协六届三次会议).
_TOWN = rf"(?:{_PLACE_CHARS}{{1,6}}?(?:镇|乡))"
_BARE_NAME = rf"(?:(?!全国|今年|去年|明年|本|此|该|上|这|各){_PLACE_CHARS}{{2,4}}(?=政协|人大))"
_PRE_ITEM = rf"(?:{PLACE}|{_TOWN}|{_BARE_NAME}|全国|[省市州县区镇乡]|{_BODY})"
_MID_ITEM = rf"(?:{PLACE}|{_TOWN}|全国|[省市州县区镇乡]|{_BODY}|委员会)"

MEETING = re.compile(
    rf"(?P<pre>{_PRE_ITEM}{{0,3}})第?\s*(?P<term>{CN_NUMBER})\s*届"
    # 市政协八届一次委员第094号: 会议 left out
    rf"(?P<mid>{_MID_ITEM}{{0,3}})第?\s*(?P<session>{CN_NUMBER})\s*次(?:全体)?(?:会议|委员(?!会))"
)
# 县政协第九届委员会第33号: a term without a session.
TERM_ONLY = re.compile(
    rf"(?P<pre>{_PRE_ITEM}{{1,3}})第?\s*(?P<term>{CN_NUMBER})\s*届(?P<mid>委员会|人大|人民代表大会)(?!.{{0,6}}次)"
)
_PLACE_RE = re.compile(PLACE)
_REGION_RE = re.compile(rf"{PLACE}|{_TOWN}|{_BARE_NAME}")
_TOWN_RE = re.compile(_TOWN)


_BARE_AUTONOMOUS = {"自治区": "省", "自治州": "州", "自治县": "县"}


def find_meeting_match(texts: list[str]) -> re.Match[str] | None:
    """The first meeting line in the given texts, in order. A standing committee session
    (市人大常委会第五次会议) is where laws pass, not where suggestions are made: skipped. Without
    any, a term named alone (县政协第九届委员会) with its body."""
    found = _find_meeting(texts)
    return found[0] if found else None


def _find_meeting(texts: list[str]) -> tuple[re.Match[str], str] | None:
    for pattern in (MEETING, TERM_ONLY):
        for text in texts:
            for match in pattern.finditer(text):
                following = text[match.start():match.end() + 2]
                if "常委会" in following or "常务委员会" in following:
                    continue
                if pattern is TERM_ONLY and not _body_of(match.group(0)):
                    continue
                return match, text
    return None


def _place_cut_off(match: re.Match[str], text: str) -> str | None:
    """马关县第十八届人大: the pattern stops at 关 (关于 is not a place), so the line seems to start
    at 县; the table of divisions knows the whole name that ends there."""
    pre = match.group("pre")
    if not pre or pre[0] not in "省市州县区旗":
        return None
    place = place_ending(text[:match.start() + 1])
    return place if place and len(place) > 1 else None


def _body_of(text: str) -> str | None:
    if "政协" in text or "政治协商" in text:
        return "cppcc"
    if "人大" in text or "人民代表大会" in text:
        return "npc"
    return None


def place_of_agency(agency: str | None, level: str | None = None) -> str | None:
    """The place an agency's name starts with, at the meeting's level: 广州市科学技术局 → 广州市,
    红河州科技局 → 红河州, 广东省科学技术厅 → 广东省 (level 省), 广州市天河区科技局 → 天河区
    (level 区) or 广州市 (no level). 市科技局 names no place → None."""
    if not agency:
        return None
    chain: list[str] = []
    rest = agency
    while len(chain) < 3:
        match = _PLACE_RE.match(rest)
        if not match:
            break
        chain.append(match.group(0))
        rest = rest[match.end():]
    known = place_chain(agency)
    if known and (not chain or place_problem(chain[0]) is not None):
        # 马关县交通运输局: the pattern cannot read 马关 (关 opens 关于); the table can.
        chain = known
        rest = agency[len("".join(known)):]
    if not chain:
        return None
    provinces = [p for p in chain if p.endswith(("省", "自治区"))]
    cities = [p for p in chain if p.endswith(("市", "州", "地区", "盟"))]
    counties = [p for p in chain if p.endswith(("区", "县", "旗"))]
    if level == "省":
        return provinces[0] if provinces else None
    if level in ("区", "县"):
        return counties[0] if counties else None
    if level in ("镇", "乡"):
        town = _TOWN_RE.match(rest)
        return town.group(0) if town else None
    if level is None and not cities:
        # A county's own agency (某县林业局) answers the county's meeting.
        return counties[0] if counties else None
    return cities[0] if cities else None


def parse_meeting(
    texts: list[str], *, kind: str | None, agencies: list[str | None], doubts: list[Doubt] | None = None
) -> Meeting:
    """The meeting named in the first of `texts` that names one; otherwise a meeting known only
    by its body (from the kind: 提案 → cppcc, 建议 → npc) and region (from the agency)."""
    found = _find_meeting(texts)
    if found is None:
        body = {"proposal": "cppcc", "suggestion": "npc"}.get(kind or "")
        region = _first(_checked(place_of_agency(a), doubts) for a in agencies) if body else None
        return Meeting(body=body, region=region)
    match, text = found
    name = match.group(0)
    around = match.group("pre") + match.group("mid")
    # 自治区十三届人大 / 自治州政协: the level alone, like 市 in 市政协, names no place.
    places = [p for p in _REGION_RE.findall(around) if p not in _BARE_AUTONOMOUS]
    cut_off = _place_cut_off(match, text)
    region = None
    if cut_off:
        region = cut_off
    elif places:
        written = "".join(places)
        region = _checked(written, doubts)
        if region is None and name.startswith(written) and len(written) > 1:
            # 答复县十九届人大三次会议: the words before the level are not the meeting's.
            name = name[len(written) - 1:]
        elif region and region != written and written.endswith(region) and name.startswith(written):
            name = name[len(written) - len(region):]  # 年清原满族自治县…: the place alone
    if region is None and "全国" not in around:
        bare = next((p for p in _PLACE_RE.findall(around) if p in _BARE_AUTONOMOUS), None)
        marker = _BARE_AUTONOMOUS[bare] if bare else next((ch for ch in around if ch in "省市州县区镇乡"), None)
        region = _first(_checked(place_of_agency(a, marker), doubts) for a in agencies)
    return Meeting(
        body=_body_of(name) or {"proposal": "cppcc", "suggestion": "npc"}.get(kind or ""),
        region=region,
        term=chinese_to_int(match.group("term")),
        session=chinese_to_int(match.group("session")) if "session" in match.re.groupindex else None,
        name=name,
    )


def _checked(region: str | None, doubts: list[Doubt] | None) -> str | None:
    """The region when it is a place of the divisions table (答复县 is not), else None (and a
    doubt)."""
    if not region:
        return None
    problem = place_problem(region)
    if problem is None:
        return region
    # 2023年清原满族自治县: a word run on in front of the place.
    known = place_ending(region)
    if known and len(known) >= 2 and place_problem(known) is None:
        return known
    if doubts is not None:
        doubts.append(Doubt("meeting", region, problem))
    return None


def _first(values) -> str | None:
    return next((v for v in values if v), None)
