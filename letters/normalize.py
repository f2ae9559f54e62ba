"""Text normalization for published documents (reply letters, assisting opinions, policy drafts).

Everything that reads a document goes through `normalize_document`, which

1. decodes the bytes: UTF-8 (with or without BOM), UTF-16 with a BOM, the charset a saved web
   page declares in its <meta> (GB2312/GBK read as GB18030, their superset), else UTF-8 or
   GB18030 — the encodings Chinese government sites publish in; a .docx file is read through
   python-docx, a PDF through its text layer (pdfminer.six; a scan without one is refused), a
   saved HTML page is reduced to its text;
2. folds widths the way NFKC does for the characters letters use: full-width ASCII (０-９, Ａ-Ｚ,
   （）［］：，) to half-width, ideographic and no-break spaces to a plain space, ﹝﹞ to 〔〕.
   〔〕 stays (it is the bracket of document numbers, 穗科函〔2022〕123号), and so do 【】, 《》
   and “”, which NFKC keeps too: the published seeds were stored in exactly this form;
3. removes inline pinyin annotations, 產(chǎn)業(yè) → 產業, before conversion so that OpenCC sees
   whole words; ordinary parentheses, (征求意见稿), (第2053号), (HDR), stay;
4. converts traditional characters to simplified with OpenCC t2s (a simplified text passes
   unchanged);
5. normalizes line endings, drops zero-width characters, collapses runs of spaces, closes up
   keys justified with spaces (索 引 号: → 索引号:), strips every line and keeps at most one
   blank line in a row;
6. tells apart the page around the letter: *furniture* (breadcrumbs, share and print buttons,
   "扫一扫在手机打开当前页", related-news lists, site footers) and *page metadata* (the
   索引号/发布机构/发布日期 block of the publication catalogue). `body` is the text without either.

Input that is not a text document — binary, empty, cut off in the middle of a character, or
without any Chinese text outside the page furniture — raises `UnreadableDocument`, whose message
is in Chinese and English.
"""

from __future__ import annotations

import codecs
import functools
import io
import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser

from letters.input_limits import MAX_PDF_PAGES, document_refusal, text_refusal

__all__ = [
    "NormalizedText",
    "UnreadableDocument",
    "decode_bytes",
    "fold_width",
    "html_to_text",
    "is_furniture_line",
    "is_page_meta_line",
    "normalize_document",
    "normalize_text",
    "strip_pinyin",
    "to_simplified",
]


class UnreadableDocument(ValueError):
    """The input is not a readable text document. `code` says why, for programs:
    empty, binary, scanned_pdf, pdf_encrypted, pdf_damaged, word, encoding, truncated, no_content."""

    def __init__(self, code: str, message_zh: str, message_en: str) -> None:
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en
        super().__init__(f"{message_zh} / {message_en}")


@dataclass(frozen=True)
class NormalizedText:
    """A document's decoded text beside its normalized form.

    `original` is the decoded text as published; `text` the normalized text, every line;
    `body` the normalized text without page furniture and page metadata lines (what the letter
    itself says); `furniture` and `page_meta` hold the lines taken out, in order.
    """

    original: str
    text: str
    body: str
    furniture: tuple[str, ...] = field(default=())
    page_meta: tuple[str, ...] = field(default=())
    encoding: str = "utf-8"

    @property
    def lines(self) -> list[str]:
        """Non-empty normalized lines, furniture included."""
        return [line for line in self.text.split("\n") if line]

    @property
    def body_lines(self) -> list[str]:
        """Non-empty lines of the letter itself."""
        return [line for line in self.body.split("\n") if line]


# --------------------------------------------------------------------------------------------
# Decoding


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a published document; return (text, encoding name).

    Knows: UTF-8 with or without BOM, UTF-16 with BOM, GB18030 (which includes GBK and GB2312),
    and .docx files. Raises UnreadableDocument for anything else.
    """
    refusal = document_refusal(data)
    if refusal:
        raise UnreadableDocument(*refusal)
    if not data.strip():
        raise UnreadableDocument("empty", "文件为空,没有任何内容", "the file is empty")
    if data.lstrip()[:5] == b"%PDF-":
        return _decode_pdf(data), "pdf"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableDocument(
            "word",
            "这是旧版 Word(.doc)文件,请另存为 .docx 或文本",
            "this is a legacy Word (.doc) file; save it as .docx or text",
        )
    if data.startswith(b"PK\x03\x04"):
        return _decode_docx(data), "docx"
    if data.startswith(b"\xef\xbb\xbf"):
        return _decode_strict(data[3:], "utf-8"), "utf-8-sig"
    declared = _declared_charset(data)
    if declared:
        try:
            return data.decode(declared), declared
        except UnicodeDecodeError:
            pass  # the page lies about its encoding: read it as any other text
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode_strict(data, "utf-16"), "utf-16"
    if b"\x00" in data:
        raise UnreadableDocument(
            "binary", "文件是二进制数据,不是文本", "the file holds binary data, not text"
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        # A UTF-8 file cut in the middle of a character: the download or copy stopped short.
        if error.reason == "unexpected end of data" and error.start >= len(data) - 3:
            raise UnreadableDocument(
                "truncated",
                "文件不完整(在一个字符中间被截断)",
                "the file is truncated (it ends in the middle of a character)",
            ) from error
    text = _decode_strict(data, "gb18030")
    if not _looks_like_text(text):
        raise UnreadableDocument(
            "binary", "文件是二进制数据,不是文本", "the file holds binary data, not text"
        )
    return text, "gb18030"


# <meta charset="gb2312"> · <meta http-equiv="Content-Type" content="text/html; charset=GBK">
_META_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_\-]{2,20})", re.IGNORECASE)
# GB2312 and GBK pages often hold characters only GB18030 (their superset) names.
_CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
                    "big5": "big5hkscs", "utf8": "utf-8"}


def _declared_charset(data: bytes) -> str | None:
    """The charset a saved web page declares in its <meta>, as a Python codec name."""
    head = data[:4096]
    if not re.search(rb"<(html|head|meta|!doctype)", head, re.IGNORECASE):
        return None
    match = _META_CHARSET.search(head)
    if not match:
        return None
    name = match.group(1).decode("ascii").lower()
    name = _CHARSET_ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _decode_pdf(data: bytes) -> str:
    """The text layer of a PDF (pdfminer.six). A scan without one cannot be read here."""
    from pdfminer.high_level import extract_text
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psexceptions import PSException

    try:
        # A page tree that understates its pages is still read no further than the limit.
        text = extract_text(io.BytesIO(data), maxpages=MAX_PDF_PAGES)
    except (PDFPasswordIncorrect, PDFEncryptionError) as error:
        raise UnreadableDocument(
            "pdf_encrypted", "PDF 文件已加密,无法读取其中的文字", "the PDF is encrypted; its text cannot be read"
        ) from error
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError) as error:
        # pdfminer raises these (and a few builtins) for damaged or cut-off files
        raise UnreadableDocument("pdf_damaged", "PDF 文件已损坏,无法读取", "the PDF file is damaged") from error
    if not re.search(r"[\u3400-\u9fff]", text):
        raise UnreadableDocument(
            "scanned_pdf",
            "这是扫描件 PDF,没有可提取的文字;请先做文字识别(OCR)或改传带文字的版本",
            "this PDF is a scan without a text layer; run OCR first or upload a text version",
        )
    return text


def _decode_strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise UnreadableDocument(
            "encoding",
            "无法识别文件编码(既不是 UTF-8 也不是 GB18030)",
            "cannot decode the file (neither UTF-8 nor GB18030)",
        ) from error


def _looks_like_text(text: str) -> bool:
    """GB18030 decodes most byte strings; real Chinese text is made of common characters."""
    if not text:
        return False
    usual = sum(
        1
        for ch in text
        if ch in "\n\r\t" or (" " <= ch <= "~") or "\u3000" <= ch <= "\u303f" or "\u4e00" <= ch <= "\u9fff"
        or "\uff00" <= ch <= "\uffef" or "\u2000" <= ch <= "\u206f"
    )
    return usual / len(text) >= 0.9


def _decode_docx(data: bytes) -> str:
    try:
        import docx  # python-docx, already a project dependency
    except ImportError as error:  # pragma: no cover - the dependency is pinned
        raise UnreadableDocument(
            "word", "无法读取 Word 文件(缺少 python-docx)", "cannot read Word files (python-docx missing)"
        ) from error
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises several unrelated types for a bad zip
        raise UnreadableDocument(
            "binary",
            "文件是压缩包或损坏的 Word 文件,无法读取",
            "the file is an archive or a damaged Word file",
        ) from error
    paragraphs = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            paragraphs.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(paragraphs)


# --------------------------------------------------------------------------------------------
# Saved web pages

# A page saved by a browser may start with a comment (<!-- saved from url=(0070)http://… -->).
_HTML_START = re.compile(
    r"^\s*(?:<!--.*?-->\s*)*(<!doctype html|<html|<head|<body|<meta|<div|<p[ >])", re.IGNORECASE | re.DOTALL
)
_BLOCK_TAGS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section",
               "article", "header", "footer", "ul", "ol", "td", "th", "title", "dd", "dt"}


class _TextExtractor(HTMLParser):
    """Text of a saved page, one line per block element; scripts and styles dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in ("script", "style", "noscript"):
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "noscript"):
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data.replace("\n", " "))


def html_to_text(page: str) -> str:
    """The visible text of an HTML page, with line breaks where blocks end."""
    extractor = _TextExtractor()
    extractor.feed(page)
    extractor.close()
    return "".join(extractor.parts)


# --------------------------------------------------------------------------------------------
# Character-level normalization

_SPACE_LIKE = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t"
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_EXTRA_FOLDS = {
    "\ufe5d": "〔",  # small tortoise shell brackets, as NFKC folds them
    "\ufe5e": "〕",
    "\ufe59": "(",
    "\ufe5a": ")",
    "\u2010": "-",  # hyphens and minus signs in phone numbers and ranges
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2212": "-",
    "\ufe63": "-",
    "\u30fb": "·",  # katakana middle dot, seen in minority names
    "\u2500": "-",  # box-drawing line typed as the dash of a phone number: 0915─4426580
    "\u2501": "-",
}


def _build_width_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}
    table.update({ord(ch): " " for ch in _SPACE_LIKE})
    table.update({ord(ch): None for ch in _ZERO_WIDTH})
    table.update({ord(k): v for k, v in _EXTRA_FOLDS.items()})
    return table


_WIDTH_TABLE = _build_width_table()


def fold_width(text: str) -> str:
    """Full-width digits, latin letters, punctuation and spaces to half-width; zero-width
    characters removed; ﹝﹞ to 〔〕. 〔〕, 【】, 《》 and “” are kept."""
    return unicodedata.normalize("NFC", text).translate(_WIDTH_TABLE)


_TONE_MARKS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿêÜ"
_PINYIN_LETTERS = "a-zA-Z" + _TONE_MARKS
# The annotation follows its Han character; a toned group is taken out wherever it is, since
# pinyin with tone marks is never the text of a letter (one seed has `惿a(chǎn)` where the
# character before was garbled at the source).
_PINYIN_GROUP = re.compile(
    rf"(?P<han>(?<=[\u3400-\u9fff]))?\(\s*([{_PINYIN_LETTERS}]{{1,7}}(?:\s+[{_PINYIN_LETTERS}]{{1,7}}){{0,3}})\s*\)"
)
_TONED = re.compile(f"[{_TONE_MARKS}]")
_TONELESS_SYLLABLE = re.compile(r"^[a-z]{1,6}$")


def strip_pinyin(text: str) -> str:
    """Remove pinyin annotations written right after a Han character: 產(chǎn)業(yè) → 產業.

    A group counts as pinyin when it carries a tone mark or ü. In a text that is annotated
    throughout (five toned groups or more) a lowercase toneless syllable such as (de) goes too.
    Groups that are not pinyin stay: (征求意见稿), (第2053号), (HDR), (CUVA).
    """
    toned_groups = sum(1 for m in _PINYIN_GROUP.finditer(text) if _TONED.search(m.group(2)))

    def replace(match: re.Match[str]) -> str:
        group = match.group(2)
        if _TONED.search(group):
            return ""
        after_han = match.group("han") is not None
        if after_han and toned_groups >= 5 and _TONELESS_SYLLABLE.match(group):
            return ""
        return match.group(0)

    return _PINYIN_GROUP.sub(replace, text)


@functools.lru_cache(maxsize=1)
def _t2s_converter():
    # Built once and only when first needed: loading OpenCC's dictionaries takes a moment.
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional to simplified Chinese (OpenCC t2s). Simplified text passes unchanged."""
    return _t2s_converter().convert(text)


_LINE_BREAKS = re.compile(r"\r\n|[\r\u2028\u2029\x0b\x0c\x85]")
# Catalogue tables justify their keys with spaces (索 引 号:, 文　　号:, 联 系 人:).
_JUSTIFIED_KEYS = ("索引号", "发布机构", "发文机关", "生成日期", "成文日期", "发布日期", "发布时间", "文号",
                   "发文字号", "文件编号", "信息来源", "来源", "时效性", "主题分类", "签发人", "联系人",
                   "联系电话", "电话", "标题", "名称", "主题词", "体裁分类", "公开方式", "有效性", "类别",
                   "编号", "主办", "承办人")
_JUSTIFIED_KEY = re.compile(
    "|".join(r" *".join(key) for key in sorted(_JUSTIFIED_KEYS, key=len, reverse=True)) + r"(?= *:)"
)
_SPACE_RUN = re.compile(r" {2,}")
_BLANK_RUN = re.compile(r"\n{3,}")


def normalize_text(text: str) -> str:
    """The character-level normalization of a decoded text (steps 2–5 of the module docstring)."""
    text = _LINE_BREAKS.sub("\n", text)
    text = fold_width(text)
    text = strip_pinyin(text)
    text = to_simplified(text)
    text = _SPACE_RUN.sub(" ", text)
    text = _JUSTIFIED_KEY.sub(lambda m: m.group(0).replace(" ", ""), text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _BLANK_RUN.sub("\n\n", text).strip("\n")


# --------------------------------------------------------------------------------------------
# Page furniture and page metadata

# Lines that belong to the web page, never to the letter.
_FURNITURE_PATTERNS = [
    r"^(您)?(当前|现在)?(所在)?(的)?位置 ?:",  # breadcrumbs
    r"^(您)?(当前|现在)(所在)?(的)?位置$",
    r"首页 ?(>|»|›|/|-{1,2}>)",
    r"^(分享|分享到|一键分享|转发到|分享至)\s*:?",
    r"^(微信|微博|QQ空间|QQ好友|朋友圈|新浪微博|腾讯微博|豆瓣)(\s+(微信|微博|QQ空间|QQ好友|朋友圈|新浪微博|腾讯微博|豆瓣))*$",
    r"扫一扫|扫描二维码|手机扫码|用手机扫描|在手机打开|手机浏览",
    r"打印本页|打印此页|关闭窗口|关闭本页|【打印】|【关闭】|\[打印\]|\[关闭\]|返回顶部|加入收藏|【收藏】|保存本页",
    r"^【?\s*(字体|字号)\s*:?\s*[【\[]?\s*大\s*[】\]]?\s*[【\[]?\s*中\s*[】\]]?\s*[【\[]?\s*小",
    r"^(上一篇|下一篇|上一条|下一条)\s*:?",
    r"^(访问次数|浏览次数|阅读次数|点击数|点击次数|浏览量|阅读量)\s*:?\s*\d*$",
    r"版权所有|ICP备|公网安备|网站标识码|技术支持\s*:|网站地图|无障碍(浏览|阅读)?$|政府网站找错|^联系我们$",
    r"^(【|\[)?\s*(打印|关闭|收藏|分享|字体)\s*(】|\])?$",
    r"^(简体|繁体|简|繁)\s*(\||/)\s*(繁体|简体|繁|简)$",
    r"^(打印|关闭|收藏|返回|分享)(\s+(打印|关闭|收藏|返回|分享|顶部|本页|窗口))+$",
    r"^A[+-]$|^(A[+-]?\s*){2,}$",  # font size buttons
    r"^主办\s*(单位)?\s*:.*(承办|技术支持|维护)",  # site footer
    r"^主\s*办\s*(单位)?\s*:.*(地址|电话|邮编|ICP|网站|浏览器|办公室\s*$)",
    r"^(开办|承办|联系地址|办公地址)\s*:.*(政府|办公室|地址|网)",
]
_FURNITURE = re.compile("|".join(f"(?:{p})" for p in _FURNITURE_PATTERNS))
# Everything after one of these headings is the page's list of other articles.
_RELATED_HEADING = re.compile(r"^(相关新闻|相关链接|相关文章|相关阅读|相关信息|推荐阅读|延伸阅读|相关稿件|热点新闻)\s*:?$")

# Keys of the publication catalogue block (政府信息公开目录) above or below the letter.
PAGE_META_KEYS = (
    "索引号", "发布机构", "发文机关", "发布单位", "信息来源", "文章来源", "来源", "生成日期", "成文日期",
    "发布日期", "发布时间", "公开日期", "更新时间", "更新日期", "文件编号", "文号", "发文字号", "时效性",
    "有效性", "主题分类", "体裁分类", "组配分类", "服务对象分类", "信息分类", "主题词", "关键词", "关键字",
    "访问次数", "浏览次数", "点击数", "名称", "标题", "作者", "责任编辑", "编辑", "所属机构", "公开形式",
    "公开范围", "信息名称", "公开主体", "公开类型", "公开属性", "首次公开", "公开期限", "公开载体", "是否有效",
    # a page's own stamp: 时间:2024-10-18 · 日期:2023-10-10 · 来自: (the source, often empty)
    "时间", "日期", "来自",
)
_META_KEY = "|".join(sorted((re.escape(k) for k in PAGE_META_KEYS), key=len, reverse=True))
_PAGE_META = re.compile(rf"^(?:[-*·•]\s*)?(?:{_META_KEY})\s*:")
_BULLET = re.compile(r"^[-*·•]\s+")
# A catalogue copied from an HTML table has no colons: "索引号 XA-0101-2022-000123 主题分类 科技"
# (its cells were separated by tabs). Only keys that no sentence of a letter starts with open one.
BARE_META_KEYS = (
    "索引号", "发布机构", "发文机关", "发布单位", "信息来源", "生成日期", "成文日期", "发布日期", "发布时间",
    "公开日期", "发文字号", "文件编号", "时效性", "有效性", "主题分类", "体裁分类", "组配分类", "服务对象分类",
    "信息分类", "公开形式", "公开范围", "信息名称",
)
_BARE_KEY = "|".join(sorted((re.escape(k) for k in BARE_META_KEYS), key=len, reverse=True))
_PAGE_META_BARE = re.compile(rf"^(?:[-*·•]\s*)?(?:{_BARE_KEY})\s+[0-9A-Za-z\u4e00-\u9fff〔\[(]")


def is_furniture_line(line: str) -> bool:
    """True for a line of the web page around the letter (navigation, sharing, printing,
    QR code, page counters, site footer)."""
    return bool(_FURNITURE.search(line.strip()))


def is_page_meta_line(line: str) -> bool:
    """True for a line of the publication catalogue block: 索引号: …, 发布机构: …, 发布日期: …
    (also written as a "- key: value" list, or without colons as a copied table row:
    索引号 002489460/2022-00132 主题分类 科技)."""
    line = line.strip()
    return bool(_PAGE_META.match(line) or _PAGE_META_BARE.match(line))


# Below the letter, one of these starts the site footer: everything after it is the page's.
_FOOTER_START = re.compile(
    r"版权所有|Copyright|ICP备|网站标识码|公网安备|二维码|^(上一篇|下一篇|上一条|下一条)|^主\s*办\s*(单位)?\s*:.*(地址|电话|ICP|网站|浏览器)"
)
# A sentence of the letter: a footer only starts after the letter has begun, and never inside a
# sentence (市民可扫描二维码预约。 is the letter's).
_LETTER_SENTENCE = re.compile(r"[\u4e00-\u9fff].{20,}[。!;]")
_KEY_ALONE = re.compile(rf"^({_META_KEY})\s*:$")
# A value below a key is short and is not a heading or a salutation.
_NOT_A_VALUE = re.compile(r"关于|答复|复函|[:。]$|^[-*·•]")
_NUMBER_PIECES_MAX = 3


def _joined_key_value(lines: list[str], index: int) -> tuple[str, int] | None:
    """A catalogue laid out one field per line: "索引号:" alone, its value on the next line (a
    document number may be split over several: 普绿容 / 〔2019〕 / 44号). Returns the joined
    "key:value" and how many lines it took, or None when the key has no value below it."""
    key = _KEY_ALONE.match(lines[index])
    if not key or index + 1 >= len(lines):
        return None
    value = lines[index + 1]
    if not value or len(value) > 40 or is_page_meta_line(value) or _NOT_A_VALUE.search(value):
        return None
    taken = 2
    if key.group(1) in ("文号", "发文字号", "文件编号") and not value.endswith("号"):
        for more in range(index + 2, min(index + 1 + _NUMBER_PIECES_MAX, len(lines))):
            value += lines[more]
            taken += 1
            if lines[more].endswith("号"):
                break
    return f"{key.group(1)}:{value}", taken


def _split_page(text: str) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    body: list[str] = []
    furniture: list[str] = []
    meta: list[str] = []
    in_related_list = in_footer = False
    letter_begun = 0
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line:
            body.append(line)
            continue
        joined = _joined_key_value(lines, index - 1)
        if joined:
            meta.append(joined[0])
            index += joined[1] - 1
        elif in_related_list or _RELATED_HEADING.match(line):
            in_related_list = True
            furniture.append(line)
        elif in_footer or (letter_begun >= 2 and _FOOTER_START.search(line) and "。" not in line):
            in_footer = True
            furniture.append(line)
        elif is_page_meta_line(line):
            meta.append(_BULLET.sub("", line))
        elif is_furniture_line(line):
            furniture.append(line)
        else:
            body.append(line)
            letter_begun += bool(_LETTER_SENTENCE.search(line))
    body_text = _BLANK_RUN.sub("\n\n", "\n".join(body)).strip("\n")
    return body_text, tuple(furniture), tuple(meta)


_HAN = re.compile(r"[\u3400-\u9fff]")


def normalize_document(data: bytes | str) -> NormalizedText:
    """Decode (if bytes) and normalize a published document.

    Raises UnreadableDocument when the input is empty, binary, cut off mid-character, or has
    no Chinese text outside the page furniture.
    """
    if isinstance(data, bytes):
        original, encoding = decode_bytes(data)
        if refusal := text_refusal(original):
            raise UnreadableDocument(*refusal)
    else:
        original, encoding = data, "str"
        if "\x00" in original:
            raise UnreadableDocument(
                "binary", "文件是二进制数据,不是文本", "the file holds binary data, not text"
            )
    if _HTML_START.match(original):
        original = html_to_text(original)
    if not original.strip():
        raise UnreadableDocument("empty", "文件为空,没有任何内容", "the file is empty")
    text = normalize_text(original)
    body, furniture, meta = _split_page(text)
    if not _HAN.search(body):
        raise UnreadableDocument(
            "no_content",
            "文件中没有可识别的正文内容(可能被截断或不是公开文书)",
            "no recognisable content in the file (truncated, or not a published document)",
        )
    return NormalizedText(
        original=original, text=text, body=body, furniture=furniture, page_meta=meta, encoding=encoding
    )
