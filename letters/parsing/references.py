"""What a document is and which proposal it answers: doc type, kind, number, proposal title,
document number (文号) and index number (索引号).

A policy document is recognised by its articles (第…条), or, set out in numbered items (一、二、…),
by a title that names a kind of policy (…若干措施, …实施方案, …管理办法(试行)) or a notice that
issues one (关于印发《…》的通知), addressed to no person and about no proposal."""

from __future__ import annotations

import re

from .layout import Layout, is_agency_name

# ---------------------------------------------------------------------------------------------
# Document number 文号

DOC_NUMBER = re.compile(
    r"[\u4e00-\u9fff]{1,16}\s*[〔\[(【]\s*(?:19|20)\d{2}\s*[〕\])】]\s*(?:第\s*)?\d{1,6}\s*号"
)
_DOC_NUMBER_KEYS = ("文号", "发文字号", "文件编号")


def find_document_number(layout: Layout) -> str | None:
    """The letter's own number, as written (穗工信函〔2020〕155号). Knows the catalogue's
    文号/发文字号/文件编号, and a line above the salutation holding the number (alone, in
    parentheses, after 文号:, or beside a category mark such as "A类" or a 签发人 line).
    The year may sit in 〔〕, [], (), or 【】. Numbers cited in the body are not the letter's."""
    for key in _DOC_NUMBER_KEYS:
        match = DOC_NUMBER.search(layout.meta.get(key, ""))
        if match:
            return _tidy_number(match.group(0))
    for index, line in enumerate(layout.head_lines):
        if index == layout.title_index:
            # 嘉嘉办理〔2024〕2号关于对…的会办意见: the number run on in front of the heading.
            glued = re.match(rf"^({DOC_NUMBER.pattern})\s*(?=关于|对)", line)
            if glued:
                return _tidy_number(glued.group(1))
            continue
        match = DOC_NUMBER.search(line)
        if not match:
            continue
        rest = (line[:match.start()] + line[match.end():]).strip(" ()")
        if len(rest) <= 24 and "。" not in rest and "《" not in rest:
            return _tidy_number(match.group(0))
    return None


def _tidy_number(text: str) -> str:
    # Spaces inside a number are typesetting, not part of it: 穗科函 〔2022〕 12 号.
    return re.sub(r"\s+", "", text)


def find_index_number(layout: Layout) -> str | None:
    """索引号 of the catalogue block (002489460/2022-00132, 20240913-211507-617), first token."""
    value = layout.meta.get("索引号", "").strip()
    return value.split()[0] if value else None


# ---------------------------------------------------------------------------------------------
# Proposal number, title and kind

_QUOTED = re.compile(r"《[^《》]*》|“[^“”]*”")
# 议案 and 议事原案 (a deputies' motion, often turned into a suggestion) come from the people's
# congress like 建议.
_KIND_WORD = {"提案": "proposal", "建议": "suggestion", "议案": "suggestion", "议事原案": "suggestion"}
_ITEM_WORDS = r"(提案|建议|议案|议事原案)"
# A proposal number as written: 2053, 0123, 20202128, 6.11, and with its letter prefix: DH123,
# T014 (the letter belongs to the number: 123 alone is another proposal).
_NUMBER = r"(?:[A-Z]{1,3}\d{1,16}|\d{1,16})(?:\.\d{1,3})?"
_PLAIN_NUMBER = r"(?:[A-Z]{1,3}\d{1,16}|\d{1,16})"

_NUMBER_WITH_KIND = re.compile(
    rf"(?<![〕\]】)\dA-Za-z.])第?\s*〔?({_NUMBER})〕?\s*号\s*[)]?\s*(?:[(][^()]{{1,20}}[)])?\s*(?:的)?\s*(?:政协|人大|代表|委员)?\s*{_ITEM_WORDS}"
)
# 县政协提案第100号 · 第18号“关于…的建议” (the number before the quoted title).
_NUMBER_AFTER_KIND = re.compile(rf"(?:提案|建议|议案)\s*第\s*({_NUMBER})\s*号")
_NUMBER_BEFORE_TITLE = re.compile(rf"第\s*〔?({_NUMBER})〕?\s*号\s*《》")
_NUMBER_AFTER_TITLE = re.compile(
    rf"[》”]\s*[(]?\s*(?:的)?\s*(?:提案|建议|议案)?\s*[(]?\s*(?:编号|案号|序号)?\s*[:]?\s*第?\s*({_PLAIN_NUMBER})\s*号"
)
_NUMBER_IN_PARENTHESES = re.compile(
    rf"[(]\s*(?:(?:编号|案号|提案号|建议号)\s*[:]?\s*第?\s*({_PLAIN_NUMBER})\s*号?|第?\s*({_PLAIN_NUMBER})\s*号"
    # (区七届人大四次会议第T014号): the meeting before the number
    rf"|[^()]{{2,30}}?会议\s*第\s*({_PLAIN_NUMBER})\s*号)\s*[)]"
)
_NUMBER_KEYED = re.compile(
    rf"(?:提案|建议|议案|案)\s*(?:编号|号|案号|序号)\s*[:为是]?\s*(?:第\s*)?({_PLAIN_NUMBER})|"
    rf"(?:^|(?<=[(,;\s]))编号\s*[:为]?\s*(?:第\s*)?({_PLAIN_NUMBER})"
)


def _without_quotes(text: str) -> str:
    """Quoted titles say 建议 or 提案 about themselves; the kind is in the words around them."""
    return _QUOTED.sub("《》", text)


def find_number(layout: Layout) -> str | None:
    """The proposal's number, digits as written ("2053", "20202128", "0123"). Knows 第2053号提案,
    2053号建议, 《…》(第2053号), 《…》的第40号提案, 提案编号:0123, 建议号:123, 编号:…, and
    (第56号) after an unquoted title."""
    readings = number_readings(layout)
    return readings[0] if readings else None


def number_readings(layout: Layout) -> list[str]:
    """Every number the places that name it give, first the one `find_number` takes."""
    title = _without_quotes(layout.title_line or "")
    opening = layout.opening
    head = "\n".join(layout.head_lines)
    letter_start = layout.letter_text[:1500]
    attempts = [
        (_NUMBER_WITH_KIND, title),
        (_NUMBER_AFTER_KIND, title),
        (_NUMBER_BEFORE_TITLE, title),
        (_NUMBER_AFTER_TITLE, opening),
        (_NUMBER_WITH_KIND, _without_quotes(opening)),
        (_NUMBER_BEFORE_TITLE, _without_quotes(opening)),
        (_NUMBER_KEYED, opening),
        (_NUMBER_IN_PARENTHESES, opening),
        (_NUMBER_WITH_KIND, _without_quotes(head)),
        (_NUMBER_KEYED, head),
        (_NUMBER_AFTER_TITLE, letter_start),
        (_NUMBER_WITH_KIND, _without_quotes(letter_start)),
    ]
    readings: list[str] = []
    for pattern, text in attempts:
        match = pattern.search(text)
        if match:
            readings.append(next(group for group in match.groups() if group and group[0].isalnum()))
    return list(dict.fromkeys(readings))


# A reply form's row: 建议题目:关于…的建议 · 提案标题:… · 案由:… (not the page's own 标题, which
# names the reply).
_KEYED_TITLE = re.compile(
    r"(?m)(?:^|\s)(?:建议|提案|议案)?(?:题目|标题|案由|名称|内容)\s*:\s*[《“]?(?P<title>关于[^\n。《》“”]{2,80}?)[》”]?\s*(?=\s\S+:|$)"
)
_TITLE_BEFORE = re.compile(
    r"(提出的|提出|所提的?|领衔的?|您的|你们的|你的|关于|对|提交的|联名的|提出了|收到|题为|第\s*\d+\s*号)\s*$"
)
_TITLE_AFTER = re.compile(
    r"^\s*([(]?\s*(?:的)?\s*第?\s*\d+\s*号|[(]?(?:编号|案号)|收悉|(?:的)?(?:提案|建议|议案|议事原案)|的办理|已收|[)]|(?:的)?答复)"
)
# 关于“疏通党庄南路南桑园沟”的建议: the quoted words are the title, though they do not read as one.
_QUOTED_AFTER_ABOUT = re.compile(r"^\s*的?\s*(?:提案|建议|议案|议事原案)")


def find_proposal_title(layout: Layout) -> str | None:
    """The proposal's title without 《》 or “”: the quoted title next to the proposal's number
    or to 提出的/收悉, in the opening paragraph, the title line or the start of the letter."""
    for text in (layout.opening, layout.title_line or "", layout.letter_text[:1500]):
        for match in _QUOTED.finditer(text):
            # Text extracted from PDF breaks lines inside the title.
            inner = re.sub(r"\s*\n\s*", "", match.group(0)[1:-1]).strip()
            if len(inner) < 4:
                continue
            looks_like_title = inner.startswith("关于") or re.search(r"(提案|建议|议案)$", inner)
            before = text[max(0, match.start() - 8):match.start()]
            after = text[match.end():match.end() + 12]
            if before.endswith("关于") and _QUOTED_AFTER_ABOUT.match(after):
                looks_like_title = True
            if match.group(0).startswith("“") and not looks_like_title:
                continue  # “” quote ordinary phrases too (“快进键”)
            if _TITLE_BEFORE.search(before) or _TITLE_AFTER.match(after):
                return inner
    keyed = _KEYED_TITLE.search("\n".join(layout.head_lines))
    if keyed:
        return keyed.group("title")
    # Unquoted: 您提出的关于加强城市内涝治理的建议(建议编号:…)收悉; also with only its closing
    # 》 left (您提出关于…的建议》收悉).
    match = re.search(
        r"(?:提出|所提)的?\s*(关于[^,。;()《》“”]{2,80}?的(?:提案|建议|议案))》?(?=[(,。]|收悉|已收|已交|交由|转|办理情况)",
        layout.opening,
    )
    if match:
        return match.group(1)
    for match in re.finditer(r"《([^《》]+)》", layout.opening):
        inner = match.group(1).strip()
        if inner.startswith("关于") or re.search(r"(提案|建议|议案)$", inner):
            return inner
    return None


def find_kind(layout: Layout, meeting_body: str | None) -> str | None:
    """proposal (提案, CPPCC) or suggestion (建议, NPC deputies), from, in order: the number in
    the title line (第431号提案), the number in the opening, the meeting (政协 / 人大), the
    salutation (委员 / 代表), then words like 代表建议 / 委员提案. Quoted titles are ignored:
    a 提案 is often titled 《关于…的建议》. 议案 (a motion) is neither."""
    # The meeting decides: a CPPCC member's item is a 提案 even where the page calls it 建议
    # (君山区五届政协二次会议第60号建议), a deputy's item a 建议 even where it says 提案.
    if meeting_body == "cppcc":
        return "proposal"
    if meeting_body == "npc":
        return "suggestion"
    for text in (_without_quotes(layout.title_line or ""), _without_quotes(layout.opening)):
        match = _NUMBER_WITH_KIND.search(text)
        if match:
            return _KIND_WORD.get(match.group(2))
    salutation = layout.salutation or ""
    if "政协" in salutation:
        return "proposal"  # 县政协社会和法制委员会: a committee of the CPPCC
    if "人大" in salutation:
        return "suggestion"
    if re.search(r"委员(们)?$|委员[、,]|委员组$", salutation):
        return "proposal"
    if re.search(r"代表(们)?$|代表[、,]", salutation) and "代表团" not in salutation:
        return "suggestion"
    if re.search(r"[》”]\s*的?\s*提案", layout.opening):
        return "proposal"  # 您提出的“…”的提案: the item named after its title
    text = _without_quotes(layout.letter_text[:2000])
    if re.search(r"委员(提出|所提|领衔)|政协提案|提案(答复|办理)|号提案", text):
        return "proposal"
    if re.search(r"代表(提出|所提|领衔)|代表建议|人大建议|建议(答复|办理)|号建议", text):
        return "suggestion"
    return None


# ---------------------------------------------------------------------------------------------
# Document type

_ARTICLE_LINE = re.compile(r"^第[一二三四五六七八九十百零〇\d]+条")
_CHAPTER_LINE = re.compile(r"^第[一二三四五六七八九十百零〇\d]+章")
_PROPOSAL_REFERENCE = re.compile(r"(提案|建议|议案|议事原案)")
# 现将…答复如下 / 答复你们 — not 现将部分建议提案答复全文予以公开 (an announcement).
_REPLY_WORDS = re.compile(r"答复如下|此复|现答复|现将.{0,20}答复(?:如下|你|您|贵)|答复你们|答复您|收悉|特此答复|办理情况(答复|报告)")
_OPINION_WORDS = re.compile(
    r"会办意见|协办意见|会办单位意见|作为(?:协办|会办)单位|供.{0,8}(?:正式答复|统一答复|答复).{0,6}参考|"
    r"供贵(?:单位|局|委|办|厅|部门|中心|政府)参考"
)
# A report on the handling of many items (…建议办理情况, 共办理…件), not a reply to one.
_SUMMARY_TITLE = re.compile(r"办理(?:工作)?情况(?:的?报告|通报|汇报)?$|办理工作$")
GROUP_MARKERS = re.compile(
    r"民革|民盟|民建|民进|农工|致公|九三学社|台盟|工商联|共青团|妇联|总工会|科协|侨联|台联|青联|"
    r"代表团|联络组|联组|小组|委员组|代表组|界别|界$|专委会|专门委员会|党派|学社|委员会$|市委会$|委会$|工作委员会"
)


def _is_agency_addressee(salutation: str | None) -> bool:
    """An assisting opinion is addressed to the lead agency (市科技局:), a reply to people or a
    group (张三委员:, 九三学社广州市委员会:)."""
    if not salutation:
        return False
    return is_agency_name(salutation) and not GROUP_MARKERS.search(salutation)


def find_doc_type(layout: Layout) -> str:
    """reply, assisting_opinion, policy_document or unknown.

    policy_document: three or more lines starting 第…条 and no proposal number in the title.
    assisting_opinion: a title ending 会办意见/协办意见, or a letter to an agency that gives its
    会办意见 on a numbered proposal.
    reply: a letter title about a 提案/建议 (…的答复, …答复的函, 复函), or a salutation plus a
    reference to a proposal, or reply wording (答复如下, 此复, 收悉) with such a reference.
    """
    lines = layout.lines
    title = layout.title_line or ""
    articles = sum(1 for line in lines if _ARTICLE_LINE.match(line))
    chapters = sum(1 for line in lines if _CHAPTER_LINE.match(line))
    if articles >= 3 and (chapters or articles >= 5) and not _NUMBER_WITH_KIND.search(title):
        return "policy_document"
    early = "\n".join(lines[:40])
    if re.search(r"(会办意见|协办意见)\s*$", title):
        return "assisting_opinion"
    has_reference = bool(
        _NUMBER_WITH_KIND.search(early) or _NUMBER_AFTER_TITLE.search(early) or _NUMBER_KEYED.search(early)
        or re.search(r"《[^《》]*(提案|建议|议案)》|“[^“”]*(提案|建议|议案)”", early) or _PROPOSAL_REFERENCE.search(title)
        or re.search(r"(提出|所提)的?.{0,80}(提案|建议|议案|议事原案)", layout.opening)
    )
    if _is_agency_addressee(layout.salutation) and has_reference and _OPINION_WORDS.search(early):
        return "assisting_opinion"
    is_summary = bool(_SUMMARY_TITLE.search(title)) and not layout.salutation and not re.search(r"第\s*\d+\s*号", title)
    if title and _PROPOSAL_REFERENCE.search(title) and not is_summary:
        return "reply"
    if layout.salutation and has_reference:
        return "reply"
    if has_reference and _REPLY_WORDS.search(early):
        return "reply"
    if _is_policy_without_articles(layout):
        return "policy_document"
    return "unknown"


# A regulation, measure, plan or opinion named in its title (…若干措施, …实施方案, …管理办法(试行)),
# or a notice that issues one (关于印发《…》的通知).
_POLICY_TITLE = re.compile(
    r"(条例|办法|规定|细则|措施|方案|计划|规划|意见|指引|指南|规则|政策|决定)"
    r"(?:[(][^()]{0,12}(?:稿|试行|暂行|修订|草案)[)])?$"
)
_POLICY_NOTICE = re.compile(r"(?:印发|发布|公布|转发).{0,60}(?:通知|决定|公告|令)$")
_ITEM_LINE = re.compile(r"^(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十百零〇\d]+[条章])")


def _is_policy_without_articles(layout: Layout) -> bool:
    """A policy set out in numbered items (一、二、…) rather than articles: its title names the
    kind of policy, it addresses no person, and it is not about a proposal."""
    title = next((line for line in layout.lines[:3] if "。" not in line and len(line) <= 80), "")
    if not title or _PROPOSAL_REFERENCE.search(_without_quotes(title)) or layout.salutation and not re.search(
        r"各|部门|单位", layout.salutation
    ):
        return False
    if not (_POLICY_TITLE.search(title) or _POLICY_NOTICE.search(title)):
        return False
    return sum(1 for line in layout.lines if _ITEM_LINE.match(line)) >= 3
