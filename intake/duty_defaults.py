"""Starting duty keywords (职责关键词) by kind of agency, for an office that has entered none yet.

Written from the usual 三定 duty statements of county and city bureaus; an office edits its own
per agency in the admin (AgencyDuty). An agency gets the words of every stem its name contains.
"""

from __future__ import annotations

DEFAULT_DUTY_KEYWORDS: dict[str, tuple[str, ...]] = {
    "交通": ("交通", "公路", "道路", "公交", "客运", "货运", "运输", "桥梁", "出租车", "网约车", "航道", "港口", "班车", "大桥"),
    "水利": ("水利", "灌溉", "水库", "河道", "堤防", "防洪", "水土保持", "沟渠", "渠道", "泵站", "饮水", "山塘"),
    "水务": ("供水", "排水", "污水", "水务", "河道", "水库", "灌溉", "饮水", "防汛", "清淤"),
    "住房": ("住房", "小区", "物业", "电梯", "建筑", "房屋", "棚户区", "燃气", "保障房", "房地产", "市政", "供热", "公厕"),
    "城建": ("住房", "小区", "物业", "电梯", "建筑", "房屋", "燃气", "市政", "供热", "公厕"),
    "自然资源": ("土地", "国土", "用地", "矿产", "地质灾害", "不动产", "林地", "测绘", "规划"),
    "公安": ("治安", "交警", "户籍", "派出所", "诈骗", "警务", "交通安全", "监控", "违法"),
    "农业农村": ("农业", "农田", "种植", "养殖", "农民", "农产品", "畜牧", "耕地", "种子", "农机", "高标准农田"),
    "卫生": ("医疗", "医院", "卫生", "健康", "医生", "疫苗", "诊所", "医务", "护理", "公共卫生"),
    "教育": ("教育", "学校", "学生", "教师", "幼儿园", "校园", "课程", "学位"),
    "城市管理": ("市容", "环卫", "垃圾", "占道", "城管", "路灯", "停车", "违建", "绿化"),
    "市容": ("市容", "绿化", "环卫", "垃圾", "园林"),
    "文化": ("文化", "旅游", "景区", "文物", "非遗", "图书馆", "广播", "电视", "演出", "体育"),
    "旅游": ("旅游", "景区", "民宿", "游客"),
    "发展和改革": ("价格", "项目", "产业", "投资", "发展规划", "能源"),
    "民政": ("养老", "殡葬", "救助", "低保", "婚姻", "社会组织", "慈善", "儿童福利"),
    "生态环境": ("污染", "环保", "排放", "噪声", "生态", "环境"),
    "市场监督": ("食品安全", "市场", "质量", "特种设备", "计量", "药品", "消费者"),
    "人力资源": ("就业", "社保", "工资", "人才", "职称", "劳动", "培训"),
    "财政": ("财政", "资金", "补贴", "预算", "专项资金"),
    "人民政府": ("村", "组", "村民", "集镇"),
    "街道": ("社区", "居民", "街道"),
    "机关事务": ("公务用车", "办公用房", "食堂", "机关"),
}


def default_keywords_for(agency_name: str) -> list[str]:
    """The starting keywords for an agency, from the stems its name contains."""
    words: list[str] = []
    for stem, stem_words in DEFAULT_DUTY_KEYWORDS.items():
        if stem in agency_name:
            words += [word for word in stem_words if word not in words]
    return words


def starting_keywords(agencies) -> dict:
    """Each agency's starting words, read when the office has kept none of its own for it: a new
    agency suggests a lead from its first day, and nothing is written until the office edits them."""
    return {agency: words for agency in agencies if (words := default_keywords_for(agency.name))}
