"""Proposers, and the agency's contact person and phone.

Proposers, in the letter's order, without 委员/代表:
  salutations 张建山委员: · 尊敬的张三委员: · 骆洪军、彭海员、赵贵成委员: · 张三委员、李四委员: ·
  张三等3位代表: (only 张三 is named) · 张三 李四代表: · 王  芳委员: (a name padded to three
  characters is one name) · groups as one proposer: 民盟市委会: · 九三学社广州市委员会: ·
  某某代表团: · 某某联络组: · 某某界别: ;
  otherwise the opening or title: 张三委员提出的《…》 · 关于…会议张三、李四代表所提第12号建议;
  a header 领衔人:张三 联名人:李四、王五 names them all.
Contact: (联系人:杨欣卉,联系电话:83124132) · 联系人:许蒙刚 / 联系电话:85255611 on two lines ·
  联 系 人: · 联系人及电话:张三 020-12345678 · 经办人/承办人 · 联系方式:张三,(0871)1234567 ·
  联系人:区工业和信息化局张晓 (a unit glued to the name) · (联系单位及电话:…处,83125678) gives a phone
  and no person ·
  phones 83124132, 020-12345678, (0871)1234567, 0871-1234567, 12345678转801, 13800138000;
  020—83163456 typed with a long dash is given as 020-83163456.
"""

from __future__ import annotations

import re

from .checks import Doubt, name_problem
from .layout import Layout, is_agency_name
from .references import GROUP_MARKERS

# A name: 2–4 Han characters (up to 6 for a minority name beside its title), a minority name with
# ·, or a name the page masked (连**); `checks.name_problem` decides.
_PERSON = re.compile(r"^[\u4e00-\u9fff]{2,6}$|^[\u4e00-\u9fff]{1,10}·[\u4e00-\u9fff·]{1,12}$|^[\u4e00-\u9fff]{1,2}\*{1,3}$")
_NOT_A_NAME = re.compile(
    r"^(各位|尊敬|您|你|同志|领导|委员|代表|大家|老师|先生|女士)|提案委|人大常委会|代表工作|选联|办公厅|人民政府"
)
_TITLE_SUFFIX = re.compile(r"\s*(?:委员|代表|同志|先生|女士|老师)(?:们)?(?=$|[、,;/\s])")
_COUNT_SUFFIX = re.compile(r"\s*等\s*(?:\d+|[一二三四五六七八九十]+)\s*(?:位|名|人)?(?=\s*(?:委员|代表|$|[、,]))|\s*等(?=$)")


def split_names(text: str, *, vouched: bool = False, doubts: list[Doubt] | None = None) -> list[str]:
    """Names in an addressee or a 领衔/联名 list, in order, without titles; groups kept whole.
    A title (委员/代表) in the text, or `vouched`, lets a name that is also a word pass (平原代表);
    candidates that are not names go to `doubts`."""
    text = re.sub(r"^(尊敬的?|敬爱的|亲爱的)", "", text.strip())
    vouched = vouched or bool(_TITLE_SUFFIX.search(text))
    # 刘苍林政协绿春县委员 · 张三县人大代表: the body named between the name and the title.
    text = re.sub(r"(?<=[\u4e00-\u9fff])(?:政协|人大)[\u4e00-\u9fff]{0,10}?(?=(?:委员|代表)(?:们)?(?:$|[、,;/\s]))", "", text)
    text = _COUNT_SUFFIX.sub("", text)
    text = _TITLE_SUFFIX.sub("", text)
    text = _COUNT_SUFFIX.sub("", text)  # 张三委员等 → 张三等 → 张三
    # 函卓勇委员: the last character of a heading (…复函) run into the salutation.
    text = re.sub(r"^(?:复?函)(?=[\u4e00-\u9fff]{2,3}$)", "", text)
    names: list[str] = []
    for part in re.split(r"[、,;/]+", text):
        names.extend(_padded_names(part.split()))
    kept = []
    for name in names:
        if is_proposer_name(name, vouched=vouched):
            kept.append(name)
        elif doubts is not None and re.fullmatch(r"[\u4e00-\u9fff·*]{2,8}", name) and not _NOT_A_NAME.match(name):
            doubts.append(Doubt("proposers", name, name_problem(name, vouched=vouched) or f"一个候选值“{name}”不是人名"))
    return kept


def _padded_names(tokens: list[str]) -> list[str]:
    """刘俊华 魏 娜 朱 纯: typesetting pads two-character names to the width of three, so two
    single characters in a row are one name."""
    names: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if len(token) == 1 and index + 1 < len(tokens) and len(tokens[index + 1]) == 1:
            names.append(token + tokens[index + 1])
            index += 2
            continue
        names.append(token)
        index += 1
    return names


def is_proposer_name(text: str, *, vouched: bool = False) -> bool:
    """A person's name (2–4 characters, or a minority name with ·) or a group (party committee,
    delegation, liaison group, 界别, 专委会)."""
    if not text or _NOT_A_NAME.match(text):
        return False
    if GROUP_MARKERS.search(text):
        return True
    # 市科技局 is an agency (the addressee of an assisting opinion), not a person.
    if is_agency_name(text) and (text[0] in "省市州县区" or len(text) > 4):
        return False
    return bool(_PERSON.match(text)) and name_problem(text, vouched=vouched) is None


# A list of names (or a group) followed by their title and a verb of proposing.
_PROPOSED_BY = re.compile(
    r"(?P<names>[\u4e00-\u9fff·]{2,30}?(?:[、,][\u4e00-\u9fff·]{2,20}?)*)"
    r"(?:等\s*(?:\d+|[一二三四五六七八九十]+)\s*(?:位|名)|等)?(?P<title>委员|代表)?(?:们)?"
    r"(?:领衔)?(?:提出|所提|联名|提交)"
)
_NAME_BOUNDARY = re.compile(r"(会议|关于|对|由|收到|的|号|上|期间|办理|[^\u4e00-\u9fff·])$")


def _names_from_sentence(text: str) -> list[str]:
    """张三委员提出的… · 会议张三、李四代表所提… · 民盟市委会提出的…: the names right before
    the verb, cut off at the word before them (会议, 关于, 对 …). Without 委员/代表 only a group
    counts (我局提出 is not a proposer)."""
    for match in _PROPOSED_BY.finditer(text):
        names, start = match.group("names"), match.start("names")
        first_end = min((i for i in (names.find("、"), names.find(",")) if i >= 0), default=len(names))
        # The match reaches as far left as the Han run goes: the first name begins right after
        # the nearest word boundary (shortest name first, so 会议由张三 gives 张三).
        for offset in range(max(0, first_end - 2), -1, -1):
            prefix = text[:start + offset]
            if prefix and not _NAME_BOUNDARY.search(prefix):
                continue
            candidate = names[offset:]
            first = candidate[: first_end - offset]
            is_group = bool(GROUP_MARKERS.search(first))
            if not (is_group or (match.group("title") and len(first) <= 4)):
                continue
            found = split_names(candidate, vouched=bool(match.group("title")))
            if found:
                return found
    return []


_LEAD_KEY = re.compile(r"(?m)(?:领衔人|领衔代表|领衔委员|提案人|建议人|提出人|代表姓名|委员姓名|提案者)\s*:\s*(?P<names>[^:;。\n]{2,80}?)(?=\s+\S+:|$|;|。)")
_COSIGNER_KEY = re.compile(r"(?m)(?:联名人|附议人|联名代表|联名委员|附议代表|附议委员)\s*:\s*(?P<names>[^:;。\n]{2,200}?)(?=\s+\S+:|$|;|。)")


def _keyed_proposers(layout: Layout, doubts: list[Doubt] | None = None) -> list[str]:
    """领衔人:张三 联名人:李四、王五 — a header that lists every signer, lead first."""
    text = "\n".join(layout.head_lines + layout.opening.split("\n")[:1])
    lead = _LEAD_KEY.search(text)
    if not lead:
        return []
    names = split_names(lead.group("names"), vouched=True, doubts=doubts)
    for match in _COSIGNER_KEY.finditer(text):
        names += [n for n in split_names(match.group("names"), vouched=True, doubts=doubts) if n not in names]
    return names


def find_proposers(layout: Layout, doc_type: str, doubts: list[Doubt] | None = None) -> list[str]:
    """The proposers, from a 领衔人/联名人 header, the salutation of a reply, else the opening
    paragraph or title line (an assisting opinion is addressed to the lead agency, so its
    proposers are in the text)."""
    keyed = _keyed_proposers(layout, doubts)
    if keyed:
        return keyed
    if doc_type == "reply" and layout.salutation:
        names = split_names(layout.salutation, doubts=doubts)
        if names:
            return names
    for text in (layout.opening, layout.title_line or ""):
        names = _names_from_sentence(text)
        if names:
            return names
    return []


# ---------------------------------------------------------------------------------------------
# Contact

def _key(word: str) -> str:
    """A key that tolerates the spaces of justified typesetting: 联 系 人."""
    return r"\s*".join(word)


_PERSON_KEY = "|".join(
    _key(k) for k in (
        "联系人及联系电话", "联系人及电话", "经办人及联系电话", "经办人及电话", "承办人及联系电话", "承办人及电话",
        "联系人姓名", "联系人", "经办人", "承办人", "联系方式",
    )
)
# "  人:黎浩": the page lost 联系 from the label; a line that starts so is still the contact.
_LOST_LABEL = re.compile(r"^人\s*:\s*(?P<rest>[\u4e00-\u9fff]{2,4})\s*$")
_PHONE_KEY = "|".join(_key(k) for k in ("联系电话", "办公电话", "电话", "手机", "联系方式"))
PHONE = re.compile(
    r"(?<![\d])(?:"
    r"1[3-9]\d{9}"                                           # mobile
    r"|(?:[(]0\d{2,3}[)]|0\d{2,3}\s*[-—]?\s*)?[1-9]\d{6,7}"   # landline, area code optional
    r"(?:\s*(?:转|-|—|分机|ext\.?)\s*\d{1,5})?"              # extension
    r")(?![\d])"
)
_PHONE_AFTER_KEY = re.compile(rf"(?:{_PHONE_KEY})\s*:?\s*(?P<phone>[(\d][\d()\s\-—转分机ext.]{{5,30}})")
_CONTACT_PERSON = re.compile(rf"(?:{_PERSON_KEY})\s*:\s*(?P<rest>[^\d(]{{2,40}})")
_NAME_TAIL = re.compile(r"(同志|科长|副科长|处长|副处长|主任|副主任|老师|女士|先生)$")
_UNIT_NAME = re.compile(r"(局|厅|办公室|委员会|中心|处|科|室|部)$")


def _contact_lines(layout: Layout) -> list[str]:
    """Contact lines sit near the signature (after it, or just above it); a few offices put
    them in the head block under the document number."""
    lines = layout.lines
    end = layout.signature.index if layout.signature else len(lines)
    return list(reversed(lines[max(0, end - 6):])) + layout.head_lines


# 区工业和信息化局张晓: a unit written right before the name, without a space.
_UNIT_THEN_NAME = re.compile(
    r"^[\u4e00-\u9fff]{2,30}(?:局|厅|委员会|办公室|中心|处|科|室|部|委|办|公司|站|队|所)(?P<name>[\u4e00-\u9fff]{2,3})$"
)


def _person_in(text: str) -> str | None:
    """The first token of `text` that is a person's name: 市科技局办公室 张三 → 张三,
    区工业和信息化局张晓 → 张晓."""
    text = re.split(rf"{_PHONE_KEY}", text)[0]
    for token in re.split(r"[\s,、;:/)]+", text):
        token = _NAME_TAIL.sub("", token.strip())
        if not _PERSON.match(token):
            glued = _UNIT_THEN_NAME.match(token)
            if not glued:
                continue
            token = glued.group("name")
        if token[0] in "省市区县州" or _UNIT_NAME.search(token):
            continue  # a unit, not a person
        if name_problem(token, vouched=True):
            continue
        return token
    return None


def find_contact_person(layout: Layout, doubts: list[Doubt] | None = None) -> str | None:
    """The contact person's name, from the 联系人/经办人/承办人 line nearest the signature. A word
    in the name's place (联系人:阅读) is named in `doubts` when no name is found."""
    rejected: list[str] = []
    for line in _contact_lines(layout):
        match = _CONTACT_PERSON.search(line) or _LOST_LABEL.match(line)
        if match:
            name = _person_in(match.group("rest"))
            if name:
                return name
            first = re.match(r"\s*([\u4e00-\u9fff]{2,4})(?=$|[\s,、;:/)])", match.group("rest"))
            if first and not _UNIT_NAME.search(first.group(1)):
                rejected.append(first.group(1))
    if doubts is not None and rejected:
        doubts.append(Doubt("contact_person", rejected[0], name_problem(rejected[0], vouched=True) or ""))
    return None


def find_contact_phone(layout: Layout) -> str | None:
    """The contact phone as written (first number when several are given)."""
    for line in _contact_lines(layout):
        if not re.search(rf"{_PHONE_KEY}|{_PERSON_KEY}", line):
            continue
        keyed = _PHONE_AFTER_KEY.search(line)
        search_in = line[keyed.start("phone"):] if keyed else line
        match = PHONE.search(search_in)
        if match:
            # 020—83163456: a dash typed as a long dash is the hyphen of the number.
            return re.sub(r"\s*—\s*", "-", match.group(0).strip())
    return None
