"""What proposals are about: the office's topic vocabulary, each topic with the words people write
for it (网约车, 网络预约出租汽车 and 出租车 are one matter to a clerk; so are 背街小巷 and 老旧街巷).

Written by us from the matters county and city proposals keep raising, in the plain words of their
titles; the same topics the duty keywords (intake/duty_defaults.py) name by agency. A title's topics
are found by the words it contains, left to right and the longest word at each place (one regular
expression, the same in Python and in PostgreSQL), so 公共停车场 is read once, as 停车. Frozen in SQL
by migration intake/0005 (an index is built on the topics a title names): a change here needs a
migration that rewrites `intake_title_topics`, and tests/intake/test_similar_meaning.py checks the two agree.
"""

from __future__ import annotations

import re
from functools import lru_cache

TOPICS: dict[str, tuple[str, ...]] = {
    # Transport
    "出租车": ("网约车", "网络预约出租汽车", "网络预约出租车", "出租汽车", "出租车", "巡游车", "的士"),
    "公交": ("公交车", "公交线路", "公交站台", "公交站点", "公交站", "候车亭", "公共交通", "城市公交", "公交", "班车", "客运班线"),
    "道路": ("通村公路", "通乡公路", "农村公路", "四好公路", "乡村道路", "农村道路", "村级公路", "村级道路", "公路", "道路",
           "巡逻路", "油路", "硬化路", "通道", "连接道路", "循环路"),
    "养护": ("养护", "维修及维护", "维护", "修复", "整修", "维修"),
    "桥梁": ("大桥", "桥梁", "桥"),
    "停车": ("停车难", "停车位", "停车场", "停车设施", "停车泊位", "车位", "泊位", "停车", "停放"),
    "交通秩序": ("交通秩序", "行驶秩序", "车辆行驶", "交通安全", "交通拥堵", "拥堵"),
    "信号灯": ("红绿灯", "交通信号灯", "信号灯", "过街信号"),
    "电动车": ("电动自行车", "电动车", "电瓶车"),
    "充电": ("充电桩", "充电设施", "充电站", "飞线充电", "充电"),
    "高速": ("高速公路", "高速"),
    # Towns and housing
    "街巷": ("背街小巷", "老旧街巷", "街巷", "小巷", "胡同", "里弄"),
    "老旧小区": ("老旧小区", "老旧住宅", "老旧多层住宅", "既有住宅", "老旧楼房", "老旧社区"),
    "电梯": ("加装电梯", "增设电梯", "电梯"),
    "城市更新": ("城市更新", "有机更新", "旧城改造", "城中村改造", "棚户区改造", "棚改"),
    "供热": ("供热", "供暖", "取暖", "暖气"),
    "燃气": ("天然气", "燃气", "煤气"),
    "物业": ("物业管理", "物业服务", "物业费", "物业"),
    "路灯": ("路灯", "道路照明", "照明设施", "照明", "亮化"),
    "公厕": ("公共厕所", "公厕", "厕所", "卫生间"),
    "垃圾": ("生活垃圾", "垃圾分类", "垃圾清运", "垃圾处理", "垃圾"),
    "市容": ("市容市貌", "市容", "环境卫生", "脏乱差", "人居环境"),
    "公园": ("口袋公园", "游园", "公园", "绿地", "广场"),
    "游乐": ("游乐设施", "游乐场", "游乐", "儿童乐园", "游戏场地"),
    "养犬": ("养犬", "流浪犬", "犬只", "宠物"),
    "消防": ("消防安全", "消防通道", "消防", "火灾"),
    # Water and land
    "饮水": ("饮水安全", "安全饮水", "饮用水", "人畜饮水", "饮水", "自来水", "供水"),
    "河道": ("河道", "河流", "河沟", "清淤", "疏浚", "淤塞", "沟"),
    "灌溉": ("农田灌溉", "灌溉", "沟渠", "渠道", "水渠", "泵站"),
    "水库": ("水库", "山塘", "水闸", "闸"),
    "防洪": ("防洪", "防汛", "堤防", "内涝"),
    "污水": ("污水处理", "污水", "排水"),
    "土地": ("土地整治", "土地", "用地", "宅基地", "耕地"),
    "地质灾害": ("地质灾害", "滑坡", "泥石流"),
    # Farming and villages
    "农业": ("现代农业", "农业产业园", "农业", "种植", "养殖", "农产品", "粮食生产", "粮食", "高标准农田", "森林粮库"),
    "农民增收": ("农民增收", "增加农民收入", "农民收入", "增收"),
    "乡村旅游": ("乡村旅游", "农家乐", "民宿", "旅游", "景区", "特色小镇", "小镇"),
    "乡村振兴": ("乡村振兴", "美丽乡村", "新农村"),
    "搬迁": ("易地搬迁", "搬迁安置", "搬迁"),
    "活动室": ("活动室", "活动中心", "文化室", "文化活动"),
    # Schools
    "校外培训": ("校外培训", "培训机构", "课外辅导", "辅导机构", "课外培训", "补习班", "培训班"),
    "学校": ("九年一贯制学校", "中小学", "中心小学", "小学", "中学", "学校", "校园", "学校门前", "校门口"),
    "幼儿园": ("公办幼儿园", "幼儿园", "幼教", "学前教育", "托育"),
    "教师": ("乡村教师", "农村教师", "教师", "老师"),
    "课业负担": ("课业负担", "作业负担", "双减"),
    "图书": ("图书馆", "图书", "书屋", "阅读"),
    "操场": ("操场", "运动场", "体育场"),
    # Health and care
    "村医": ("乡村医生", "村医", "村卫生员"),
    "卫生室": ("村卫生室", "卫生室", "卫生院", "诊所", "社区卫生服务"),
    "医疗": ("就医", "医疗", "医院", "看病"),
    "中医药": ("中医药", "蒙医药", "中医", "民族医药", "藏医药"),
    "养老": ("养老服务", "社区养老", "居家养老", "养老机构", "养老院", "敬老院", "养老"),
    "适老化": ("适老化", "老年人居家", "居家环境", "居家生活环境", "无障碍"),
    "老年人": ("老年人", "老人", "高龄"),
    "医保": ("医疗保障", "医保", "医疗保险"),
    "健康档案": ("健康档案",),
    "待遇": ("待遇", "工资", "收入", "报酬", "福利", "薪酬"),
    # Culture
    "文物": ("不可移动文物", "文物", "古建筑", "历史建筑", "遗址"),
    "古树": ("古树名木", "古树"),
    "博物馆": ("博物馆", "纪念馆", "展览馆"),
    "非遗": ("非物质文化遗产", "非遗", "传承点", "民族文化", "传统文化"),
    "文明城市": ("文明城市", "卫生城市", "文明创建"),
    # Economy and services
    "物流": ("快递", "物流", "配送"),
    "农贸市场": ("农贸市场", "菜市场", "集贸市场", "墟场", "集市"),
    "通讯": ("通讯设施", "通信设施", "通讯", "通信", "手机信号", "信号覆盖", "宽带", "网络覆盖", "基站"),
    "食品安全": ("食品安全", "食堂", "餐饮"),
    "就业": ("就业", "技能培训", "职业技能", "务工"),
    "生态": ("生态功能区", "生态保护", "生态环境", "生态"),
    "艰苦边远": ("艰苦边远", "边远地区"),
    "监控": ("监控摄像", "监控", "摄像头", "天网"),
    "减速带": ("减速带", "减速"),
}


def topic_index() -> list[tuple[str, str]]:
    """(word, topic) for every word of the vocabulary, longest word first (the first alternative of a
    regular expression that matches is taken: the longest)."""
    pairs = [(word, topic) for topic, words in TOPICS.items() for word in words]
    return sorted(pairs, key=lambda pair: (-len(pair[0]), pair[0]))


TOPIC_WORDS = topic_index()
TOPIC_OF = dict(TOPIC_WORDS)
# Plain words only: the same alternation is a PostgreSQL regular expression (migration intake/0005).
assert all(re.fullmatch(r"[\w\u4e00-\u9fff]+", word) for word, _ in TOPIC_WORDS)
TOPIC_PATTERN = re.compile("|".join(word for word, _ in TOPIC_WORDS))
ORDER = {topic: n for n, topic in enumerate(TOPICS)}


def topics_in(text: str) -> tuple[list[str], str]:
    """The topics `text` names, in the order of the vocabulary, and the text with their words cut out."""
    found: set[str] = set()

    def cut(match: re.Match) -> str:
        found.add(TOPIC_OF[match.group()])
        return " "

    rest = TOPIC_PATTERN.sub(cut, text)
    return sorted(found, key=ORDER.__getitem__), rest


@lru_cache(maxsize=4096)
def word_topics(word: str) -> frozenset[str]:
    """The topics one word (a duty keyword) names."""
    return frozenset(topics_in(word)[0])
