"""Where the parts of a published letter are.

A reply letter reads, top to bottom: the page's catalogue block (索引号, 发布机构, 生成日期,
发布日期, 来源, 发布时间 …, sometimes below the letter instead), the letter's title line
(广州市科学技术局关于…第2053号提案答复的函), a document number line (穗工信函〔2020〕155号),
the salutation (张建山委员:), the opening paragraph that names the proposal, the body, the
signature (agency, then date, sometimes on one line), and a tail: contact line, 抄送, 公开方式,
attachments. Any of these can be missing.

A title set on two lines is joined; a line after the first paragraph of text, or an attachment
item (附件:1.关于…的答复), is not the title. Catalogue rows copied from a table without colons
(索引号 002482410/2021-12345 主题分类 科技) are read like keyed ones. Without a salutation, the
opening is the first paragraph below the title block.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from letters.normalize import PAGE_META_KEYS, NormalizedText, is_page_meta_line

from .checks import PAGE_FURNITURE, name_problem
from .dates import FULL_DATE_CN, find_dates, is_date_only, parse_digits_date

# ---------------------------------------------------------------------------------------------
# The catalogue block

_KEYS_LONGEST_FIRST = sorted(PAGE_META_KEYS, key=len, reverse=True)
_META_PAIR = re.compile(
    r"(?:^|(?<=[\s|]))(?:[-*·•]\s*)?(" + "|".join(re.escape(k) for k in _KEYS_LONGEST_FIRST) + r")\s*:"
)
# A table row copied without colons: keys and values separated by spaces (tabs).
_META_PAIR_BARE = re.compile(
    r"(?:^|(?<=\s))(?:[-*·•]\s*)?(" + "|".join(re.escape(k) for k in _KEYS_LONGEST_FIRST) + r")\s+(?=\S)"
)
# Keys distinctive enough to be read from a two-line table ("索引号" on one line, the value below),
# with what their value must look like there, so that an empty key never takes the next line.
_INDEX_VALUE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z/\-_.]{3,60}$")
_DATE_VALUE = re.compile(r"^(?:19|20)\d{2}\s*[-/.年]")
_NUMBER_VALUE = re.compile(r"[〔\[(【]\s*(?:19|20)\d{2}\s*[〕\])】].{0,8}号$")
_AGENCY_VALUE = re.compile(r"^[\u4e00-\u9fff()·]{2,40}(局|厅|委|委员会|办公室|办|中心|院|政府|部)$")
_TABLE_KEYS = {
    "索引号": _INDEX_VALUE, "生成日期": _DATE_VALUE, "成文日期": _DATE_VALUE, "发布日期": _DATE_VALUE,
    "发布时间": _DATE_VALUE, "公开日期": _DATE_VALUE, "日期": _DATE_VALUE,
    "文号": _NUMBER_VALUE, "发文字号": _NUMBER_VALUE, "文件编号": _NUMBER_VALUE,
    "发布机构": _AGENCY_VALUE, "发文机构": _AGENCY_VALUE, "发文机关": _AGENCY_VALUE,
}
# A bulleted two-line table: "• 索引号" on one line, "000014348/2020-01628" below.
_TABLE_BULLET = re.compile(r"^[-*·•]\s*")


def _table_cell(line: str) -> str:
    return re.sub(r"\s+", "", _TABLE_BULLET.sub("", line.strip())).rstrip(":")


def _table_value(line: str) -> str:
    return _TABLE_BULLET.sub("", line.strip()).strip()


def parse_page_meta(lines: list[str]) -> dict[str, str]:
    """The catalogue block as {key: value}: 索引号, 发布机构, 生成日期, 发布日期, 发布时间, 来源,
    文号 …, several per line or as "- key: value" lists or two-line tables. The first non-empty
    value of a key wins; empty values (文号: with nothing after) are left out."""
    meta: dict[str, str] = {}
    for index, line in enumerate(lines):
        stripped = _table_cell(line)
        if stripped in _TABLE_KEYS and index + 1 < len(lines):
            value = _table_value(lines[index + 1])
            if _TABLE_KEYS[stripped].search(value):
                meta.setdefault(stripped, value)
            continue
        if not is_page_meta_line(line):
            continue
        matches = list(_META_PAIR.finditer(line)) or list(_META_PAIR_BARE.finditer(line))
        for position, match in enumerate(matches):
            end = matches[position + 1].start() if position + 1 < len(matches) else len(line)
            value = line[match.end():end].strip(" |")
            if value:
                meta.setdefault(match.group(1), value)
    return meta


# ---------------------------------------------------------------------------------------------
# Title line, salutation, signature

_LETTER_TITLE = re.compile(
    r"(关于|对).{0,120}(提案|建议|议案|意见|议事原案).{0,40}"
    r"(答复|复函|的函|回复|会办意见|协办意见|办理意见|答复意见|办理情况)(函)?"
    # …的答复(县十七届人大五次会议第33号建议) · …的再次答复(跟踪办理情况) · …的答复(水利局)
    r"\s*(?:[(][^()]{1,60}[)])?\s*"
    # …的答复函 B: the category printed after the heading.
    r"(?:[A-D]\s*类?)?\s*$"
)
# A paragraph of running text (the title of a letter is never one) and an attachment list item
# (附件:1.关于…第0123号建议的答复), which names another document.
_BODY_PARAGRAPH = re.compile(r"^.{40,}。")
_OPENING_PARAGRAPH = re.compile(r"收悉|提出的|所提|答复如下|。")
# A form's row of fields (建议号155 提案人:章莹 内容:… 承办单位:…) above the letter: not its text.
_FORM_FIELD = re.compile(r"[\u4e00-\u9fff]{2,6}\s*:")
_ATTACHMENT = re.compile(r"^(附件|附:|\d{1,2}[.、]|[(]?\d{1,2}[)])")
_ENUMERATION = re.compile(r"^([一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d+[.、])")
# 张三委员:您好! — and 尊敬的张三代表,您好! with a comma.
_GREETING = re.compile(r"[:,]\s*(您好|你好|你们好|您们好)[!。]?$")

AGENCY_SUFFIX = (
    r"(?:局|厅|委|委员会|办公室|办|中心|院|政府|公司|集团|处|所|部|署|站|队|馆|会|社|行|分局|支队|"
    r"大队|法院|检察院|海关|团|组|室|校|大学|学院|厂|台|园|街道办事处|街道|镇|乡|公署|联合会|协会|银行|管委会|部门|"
    # people's organisations by their short names: 市残联, 市妇联, 市侨联, 市科协, 市工商联
    r"联|协)"
)
_SEAL = re.compile(r"\s*[(](?:盖章|印章|公章|章|代章|印)[)]\s*$")
_AGENCY_NAME = re.compile(rf"^[\u4e00-\u9fff()·]{{2,40}}{AGENCY_SUFFIX}$")
_NOT_AGENCY_START = re.compile(r"^(此复|特此|感谢|联系人|联系电话|抄送|附件|公开方式|此件|签发|经办|承办人|备注)")


def is_agency_name(text: str) -> bool:
    """A name that can sign a letter: Han characters ending like an agency (…局, …委, …委员会,
    …办公室, …中心, …政府 …), without punctuation. A seal mark (盖章) is ignored."""
    text = _SEAL.sub("", text.strip())
    return bool(_AGENCY_NAME.match(text)) and not _NOT_AGENCY_START.match(text)


def clean_agency(text: str) -> str:
    return _SEAL.sub("", text.strip())


@dataclass(frozen=True)
class Signature:
    """The closing: the agency as it signs (None when only a date is there), the signing date,
    and the index of the date line."""

    agency: str | None
    signed_on: dt.date | None
    index: int
    cosigners: tuple[str, ...] = ()  # the other agencies of a joint signature, in order


@dataclass
class Layout:
    """The lines of a letter (furniture and catalogue block removed) and where its parts are."""

    lines: list[str]
    meta: dict[str, str]
    title_index: int | None = None
    salutation_index: int | None = None
    salutation: str | None = None  # the addressee, without the colon
    signature: Signature | None = None
    opening_index: int | None = None  # first line after the salutation

    @property
    def title_line(self) -> str | None:
        """The letter's title line; if the page shows it only in its catalogue (标题: …), that."""
        if self.title_index is not None:
            return self.lines[self.title_index]
        for key in ("标题", "名称"):
            value = self.meta.get(key, "")
            if _LETTER_TITLE.search(value):
                return value
        return None

    @property
    def head_lines(self) -> list[str]:
        """Lines above the salutation (the title and number block), or the first few."""
        end = self.salutation_index if self.salutation_index is not None else min(6, len(self.lines))
        return self.lines[:end]

    @property
    def opening(self) -> str:
        """The first paragraph(s) after the salutation, where the proposal is named (three
        lines, since some pages break the opening paragraph)."""
        start = self.opening_index if self.opening_index is not None else 0
        return "\n".join(self.lines[start:start + 3])

    @property
    def letter_end(self) -> int:
        return self.signature.index if self.signature else len(self.lines)

    @property
    def letter_text(self) -> str:
        """From the salutation (or the top) to the signature date."""
        start = self.salutation_index or 0
        return "\n".join(self.lines[start:self.letter_end + 1])

    @property
    def tail_lines(self) -> list[str]:
        """Lines after the signature date: contact, 抄送, 公开方式, attachments."""
        return self.lines[self.letter_end + 1:] if self.signature else []


def find_title_index(lines: list[str]) -> int | None:
    """The letter's own title line among the first lines: …关于…第2053号提案答复的函,
    …对…提案的答复, …关于…提案的会办意见."""
    for index, line in enumerate(lines[:10]):
        if _BODY_PARAGRAPH.search(line) and len(_FORM_FIELD.findall(line)) < 3:
            break  # the title comes before the text; a title-like line after it is a list item
        if _ATTACHMENT.match(line):
            continue
        if len(line) <= 160 and _LETTER_TITLE.search(line) and "。" not in line:
            return index
    return None


# 张三、李四委员 · 赵小英,陈素明等代表 · 连**等7名代表 · 尚路鹏(等4位)代表 · 甸沙代委员组: a list of
# names (masked ones too) before the title they share, or a members' group.
_NAME_TOKEN = r"[\u4e00-\u9fff*·]{1,6}"
_NAMES_HEAD = re.compile(
    rf"^(?:尊敬的)?{_NAME_TOKEN}(?:[\s、,]+{_NAME_TOKEN})*\s*(?:[(]?等\s*\d*\s*[位名]?[)]?)?\s*(?:委员|代表|同志)(?:们)?$"
    r"|^[\u4e00-\u9fff]{2,20}(?:委员组|代表组|代表团)$"
)


def _addressee_prefix(line: str) -> str | None:
    """The addressee of a salutation line, or None. Knows 张建山委员:, 尊敬的…:,
    …:您好!, and a salutation run on with the opening (张三委员:您提出的…)."""
    line = _GREETING.sub(":", line.strip())
    if ":" not in line:
        return None
    head, _, rest = line.partition(":")
    names_only = bool(_NAMES_HEAD.match(head.strip()))
    head = re.sub(r"[(][^()]{0,12}[)]", "", head).strip()  # 张三委员(领衔)、李四委员
    if not head or len(head) > 60 or is_page_meta_line(line) or _ENUMERATION.match(head):
        return None
    if PAGE_FURNITURE.search(head) or _FORM_LABEL.search(head):
        return None  # 字号: · 阅读: — the page's controls; 建议题目: · 办理情况: — a form's labels
    if not names_only and (any(mark in head for mark in "。,;《》“”") or re.search(r"如下|收悉|联系|电话|附件|抄送|主送|单位|签发|类别|时间|日期|来源|编号|文号|主题|分类|索引|来自|作者", head)):
        return None
    if rest.strip() and not re.match(r"^(您|你|贵|现|关于|经|对)", rest.strip()):
        return None
    return head


# The labels of a reply form (建议答复单, 提案办理单): never an addressee.
_FORM_LABEL = re.compile(
    r"^(?:建议|提案|议案)?(?:题目|标题|编号|内容|案由|名称|号)$|^(?:领衔|联名|附议)(?:代表|委员|人)$|"
    r"^(?:代表|委员)?姓名$|(?:承办|主办|协办|会办|交办|答复|办理|办复)(?:单位|内容|情况|意见|日期|时间|结果|类别)$"
)


# What the line after a salutation written without its colon starts with.
_OPENING_START = re.compile(r"^(您|你|贵|在|关于|现|对)|提出|所提|收悉")


def _addressee_without_colon(line: str, following: str) -> str | None:
    """田凤琴、吴运华、周静委员 / 你们提出的…: a salutation whose colon was lost, recognised by
    its names and title and by the opening below it."""
    line = re.sub(r"[!。]$", "", line.strip())
    if _NAMES_HEAD.match(line) and _OPENING_START.search(following) and not re.search(r"[:。;]", line):
        return re.sub(r"[(][^()]{0,12}[)]", "", line).strip()
    return None


def find_salutation(lines: list[str], start: int) -> tuple[int, str] | None:
    """The first line from `start` (within 12 lines) that addresses someone. A head that is
    neither a name, a titled person, a group nor an agency (a page label we do not know: 浏览次数:)
    gives way to a better one below it."""
    weak: tuple[int, str] | None = None
    for index in range(start, min(start + 12, len(lines))):
        head = _addressee_prefix(lines[index])
        if head is None and index + 1 < len(lines):
            head = _addressee_without_colon(lines[index], lines[index + 1])
        if head is None:
            continue
        if not _weak_addressee(head):
            return index, head
        weak = weak or (index, head)
    return weak


def _weak_addressee(head: str) -> bool:
    if re.search(r"(委员|代表|同志|先生|女士|老师)(们)?$|[、,\s*·]", head) or is_agency_name(head):
        return False
    if re.search(r"(会|组|团|界|社|盟|联|党派)$", head):
        return False
    return name_problem(re.sub(r"^(尊敬的?|敬爱的|亲爱的)", "", head)) is not None


def _date_at_end(line: str):
    dates = [d for d in find_dates(line, month_day=False) if d.year]
    if not dates:
        return None
    last = dates[-1]
    tail = line[last.end:].strip()
    # 2022年5月27日(此件公开发布): a remark in parentheses may follow the date, and on a mirror
    # a footnote mark ([1]).
    return last if not tail or re.fullmatch(r"[(][^()]{0,30}[)]|\[\d{1,2}\]", tail) else None


def signing_agencies(line: str) -> list[str]:
    """The agencies of a signature line, in order: one name, or a joint signature written
    北京市科学技术委员会、中关村科技园区管理委员会 or with spaces between; [] if the line is
    not a signature."""
    tokens = [t for t in re.split(r"[\s、,]+", _SEAL.sub("", line.strip())) if t]
    if tokens and all(is_agency_name(t) for t in tokens):
        return [clean_agency(t) for t in tokens]
    return []


# A closing run into the last paragraph: "…关心和支持。广州市科学技术局 2022年5月27日 (联系人:…)".
_RUN_ON_CLOSING = re.compile(
    rf"(?:^|[。!;)\d])\s*(?P<agency>[\u4e00-\u9fff()·、]{{2,60}}?{AGENCY_SUFFIX})\s*"
    rf"(?P<date>{FULL_DATE_CN.pattern}|(?:19|20)\d{{2}}[-./]\d{{1,2}}[-./]\d{{1,2}})\s*(?:[(].{{0,80}}[)])?\s*[。.]?\s*$"
)


# 承办单位:某局 单位负责人: 2022年8月30日 — a closing laid out as a form.
_KEYED_SIGNER = re.compile(r"^(?:承办单位|主办单位|答复单位|办理单位|办复单位)\s*:\s*(?P<agency>[^\s:]{2,40})")


def _date_line(line: str):
    """A signing date alone on its line, as a FoundDate-like date or a date whose 年月日 were
    lost (2023927); None otherwise."""
    if is_date_only(line):
        return find_dates(line.strip().strip("()"), month_day=False)[0].to_date()
    return parse_digits_date(line)


def _agencies_above(lines: list[str], index: int, start: int) -> list[str]:
    agencies: list[str] = []
    above = index - 1
    while above >= start and signing_agencies(lines[above]) and above >= index - 4:
        agencies = signing_agencies(lines[above]) + agencies
        above -= 1
    return agencies


def _signed(agencies: list[str], signed_on: dt.date | None, index: int) -> Signature:
    return Signature(agencies[0] if agencies else None, signed_on, index, tuple(agencies[1:]))


def find_signature(lines: list[str], start: int) -> Signature | None:
    """The signature, searched upwards from the end: a line that is only a date (2022年5月27日,
    二〇二二年五月二十七日, 2022-05-27, or 2023927 with its 年月日 lost) with the agency on the
    line(s) above, or agency and date on one line, or a form (承办单位:某局 … date). With several
    agencies (a joint letter) the first one signs first. A closing run on at the end of the last
    paragraph is found too; a letter that ends with its agency's name and no date is signed
    without a date."""
    for index in range(len(lines) - 1, start - 1, -1):
        line = lines[index]
        if len(line) > 80:
            continue
        signed_on = _date_line(line)
        if signed_on is not None:
            agencies = _agencies_above(lines, index, start)
            return _signed(agencies, signed_on, index)
        found = _date_at_end(line)
        if found is None:
            continue
        prefix = line[:found.start].strip()
        signed_on = found.to_date()
        if not prefix:
            agencies = _agencies_above(lines, index, start)
            return _signed(agencies, signed_on, index)
        agencies = signing_agencies(prefix)
        keyed = _KEYED_SIGNER.match(prefix)
        if not agencies and keyed and is_agency_name(keyed.group("agency")):
            agencies = [clean_agency(keyed.group("agency"))]
        if agencies:
            return _signed(agencies, signed_on, index)
    for index in range(len(lines) - 1, max(start, len(lines) - 3) - 1, -1):
        match = _RUN_ON_CLOSING.search(lines[index])
        if match:
            agencies = signing_agencies(match.group("agency"))
            date_found = find_dates(match.group("date"), month_day=False)
            if agencies and date_found:
                return _signed(agencies, date_found[0].to_date(), index)
    for index in range(len(lines) - 1, max(start, len(lines) - 6) - 1, -1):
        agencies = signing_agencies(lines[index])
        if agencies:
            return _signed(agencies, None, index)
    return None


def _without_catalogue_table(lines: list[str]) -> list[str]:
    """Drop a catalogue laid out as a two-line table (key line, value line): its dates are not
    the letter's."""
    kept: list[str] = []
    skip_next = False
    for index, line in enumerate(lines):
        if skip_next:
            skip_next = False
            continue
        key = _table_cell(line)
        if key in _TABLE_KEYS and index + 1 < len(lines) and _TABLE_KEYS[key].search(_table_value(lines[index + 1])):
            skip_next = True
            continue
        kept.append(line)
    return kept


# The last word of a title set on a line of its own: 答    复 · 的答复 · 复函.
_TITLE_TAIL_LINE = re.compile(r"^(?:的)?\s*(?:答\s*复|复\s*函|回\s*复)\s*(?:函|意见)?$")


def _join_title_tail(lines: list[str]) -> list[str]:
    """关于对…第82号建议的 / 答    复: the heading's last word on its own line joins the line above."""
    for index in range(1, min(12, len(lines))):
        if _TITLE_TAIL_LINE.match(lines[index]) and "。" not in lines[index - 1] and len(lines[index - 1]) <= 80:
            joined = lines[index - 1] + re.sub(r"\s+", "", lines[index])
            return lines[:index - 1] + [joined] + lines[index + 1:]
    return lines


def _join_broken_title(lines: list[str]) -> list[str]:
    """A title set on two lines (PDF text, centred headings): 天津市工业和信息化局关于市十八届人大
    一次会议 / 第0345号建议的答复 becomes one line. Only when neither line is a title alone (an
    agency line above a title line stays as it is)."""
    for index in range(min(10, len(lines) - 1)):
        first, second = lines[index], lines[index + 1]
        if _BODY_PARAGRAPH.search(first):
            break
        if len(first) > 80 or len(second) > 80 or "。" in first + second or first.endswith(":"):
            continue
        if _LETTER_TITLE.search(first) or _LETTER_TITLE.search(second):
            continue
        if re.search(r"(关于|对)", first) and _LETTER_TITLE.search(first + second):
            return lines[:index] + [first + second] + lines[index + 2:]
    return lines


_BULLET_ITEM = re.compile(r"^[•·*]\s*(?P<value>.+)$")


def _unlabeled_catalogue(lines: list[str], meta: dict[str, str]) -> list[str]:
    """A catalogue printed as a bulleted list without its keys (• 00529508X/2023-00092 •
    中牟县水利局 • 人大建议 • 2023-09-25 • 2023-09-25), at the top of the page: the index number,
    the publishing agency, and the dates (generated, then published) are read by their form.
    Returns the lines without the list."""
    items = []
    for line in lines[:10]:
        match = _BULLET_ITEM.match(line)
        if not match:
            break
        items.append(match.group("value").strip())
    if len(items) < 3:
        return lines
    dates = [value for value in items if _DATE_VALUE.search(value)]
    for value in items:
        if _INDEX_VALUE.match(value) and "/" in value:
            meta.setdefault("索引号", value)
        elif is_agency_name(value):
            meta.setdefault("发布机构", value)
    if dates:
        meta.setdefault("生成日期", dates[0])
        meta.setdefault("发布日期", dates[-1])
    return lines[len(items):]


# A cell that labels the next one in a form (建议编号, 提案人, 承办单位, 答复日期 …).
_LABEL_CELL = re.compile(r"^[\u4e00-\u9fff]{2,8}$")


def _form_row(line: str) -> str:
    """提案编号 | 第12号 | 提案人 | 王芳 — a row of a reply form (答复单, 办理单) copied with its
    rules, label and value in turn — reads as 提案编号:第12号 提案人:王芳. A row whose cells do not
    alternate so is left as it is."""
    if "|" not in line:
        return line
    cells = [cell.strip() for cell in line.split("|")]
    if len(cells) < 2 or len(cells) % 2 or not all(_LABEL_CELL.match(c) for c in cells[::2]) or not all(cells[1::2]):
        return line
    return " ".join(f"{label}:{value}" for label, value in zip(cells[::2], cells[1::2]))


def build_layout(normalized: NormalizedText) -> Layout:
    """Find title line, salutation and signature in a normalized document."""
    # Cells of a table copied with its rules: "广元市朝天区交通运输局 2019年10月28日 |".
    lines = [_form_row(line.strip(" |").strip()) for line in normalized.body_lines]
    lines = _join_broken_title(_join_title_tail(_without_catalogue_table([line for line in lines if line])))
    meta = parse_page_meta(list(normalized.page_meta) + normalized.lines)
    lines = _unlabeled_catalogue(lines, meta)
    layout = Layout(lines=lines, meta=meta)
    layout.title_index = find_title_index(lines)
    start = layout.title_index + 1 if layout.title_index is not None else 0
    salutation = find_salutation(lines, start)
    if salutation:
        layout.salutation_index, layout.salutation = salutation
        line = lines[salutation[0]]
        run_on = _GREETING.sub(":", line).partition(":")[2].strip()
        # A salutation run on with the opening keeps the opening on the same line.
        layout.opening_index = salutation[0] if run_on else salutation[0] + 1
    else:
        # No salutation (陈立新代表提出的…建议收悉 opens the letter): the opening is the first
        # paragraph below the title block (document number, 签发人, category marks).
        layout.opening_index = next(
            (i for i in range(start, min(start + 8, len(lines))) if _OPENING_PARAGRAPH.search(lines[i])), None
        )
    # A letter run on in one line after its salutation (张三委员:您提出的…2019年7月15日) is signed
    # on that same line.
    after = layout.opening_index if layout.salutation_index is not None else start
    layout.signature = find_signature(lines, after)
    return layout


__all__ = [
    "AGENCY_SUFFIX",
    "Layout",
    "Signature",
    "build_layout",
    "clean_agency",
    "find_salutation",
    "find_signature",
    "find_title_index",
    "signing_agencies",
    "is_agency_name",
    "parse_page_meta",
]
