"""letters/parser.py: every contract field of every seed, and letters written the other ways
real offices write them.

The seed expectations are what a careful reader takes from each letter (see the comments for
the judgment calls), not a snapshot of the parser's output.
"""

from pathlib import Path

import pytest
from django.conf import settings

from letters.parser import CONTRACT_KEYS, UnreadableDocument, parse_document

SEEDS = Path(settings.BASE_DIR) / "seeds"


def parse(text: str | bytes, filename: str = "letter.txt") -> dict:
    return parse_document(text, filename=filename).as_dict()


def no_meeting() -> dict:
    return {"body": None, "region": None, "term": None, "session": None, "name": None}


# --- the five seeds -----------------------------------------------------------------------------

SEED_EXPECTATIONS = {
    # Guangzhou Science and Technology Bureau to a CPPCC member. The assisting agencies are
    # written 会同市发展改革委、工业和信息化局等单位: kept as written, short forms included.
    # The meeting on 4月14日 (当面…座谈) is in a letter signed 2022年5月27日; the photo caption
    # under the letter shows the same meeting.
    "000_72f5d033cd99f952.txt": {
        "doc_type": "reply",
        "kind": "proposal",
        "meeting": {"body": "cppcc", "region": "广州市", "term": 14, "session": 1,
                    "name": "政协十四届广州市委员会第一次会议"},
        "number": "2053",
        "title": "关于促进广州市人工智能产业健康发展的提案",
        "proposers": ["张建山"],
        "lead_agency": "广州市科学技术局",
        "assisting_agencies": ["市发展改革委", "工业和信息化局"],
        "signed_on": "2022-05-27",
        "published_on": "2022-05-31",
        "document_number": None,
        "index_number": None,
        "contact_person": "杨欣卉",
        "contact_phone": "83124132",
        "communications": [{"date": "2022-04-14", "mode": "face_to_face"}],
        "reply_category": None,
    },
    # Guangzhou Industry and IT Bureau to an NPC deputy (代表, 建议). The letter names no
    # meeting: body npc (a deputy's suggestion), region from the signing agency, term, session
    # and name unknown. "进行了沟通" does not say how: mode other.
    "001_dd0c4446925ebb56.txt": {
        "doc_type": "reply",
        "kind": "suggestion",
        "meeting": {"body": "npc", "region": "广州市", "term": None, "session": None, "name": None},
        "number": "20202128",
        "title": "关于应用“智能+”,促进大数据、人工智能带动传统产业升级的建议",
        "proposers": ["叶君"],
        "lead_agency": "广州市工业和信息化局",
        "assisting_agencies": ["市人力资源和社会保障局", "市政务服务数据管理局", "市发展改革委", "市商务局"],
        "signed_on": "2020-09-09",
        "published_on": None,
        "document_number": "穗工信函〔2020〕155号",
        "index_number": None,
        "contact_person": "陈成",
        "contact_phone": "83123879",
        "communications": [{"date": "2020-09-05", "mode": "other"}],
        "reply_category": None,
    },
    # Hangzhou Science and Technology Bureau. A 提案 (第431号提案, 委员, 市政协) although its
    # title ends in 的建议. 文件编号 is empty. 经我局主办,市经信局会办. Meeting name as the
    # letter's title line writes it.
    "002_94f0c5d2f823cf48.txt": {
        "doc_type": "reply",
        "kind": "proposal",
        "meeting": {"body": "cppcc", "region": "杭州市", "term": 12, "session": 1, "name": "市政协第十二届一次会议"},
        "number": "431",
        "title": "关于加强人工智能安全技术与伦理道德方面的投入和加快建立人工智能产业的多元协同治理机制的建议",
        "proposers": ["薛晖"],
        "lead_agency": "杭州市科学技术局",
        "assisting_agencies": ["市经信局"],
        "signed_on": "2022-07-14",
        "published_on": "2022-08-02",
        "document_number": None,
        "index_number": "002489460/2022-00132",
        "contact_person": "许蒙刚",
        "contact_phone": "85255611",
        "communications": [],
        "reply_category": None,
    },
    # Chengdu's draft regulation: no signature, no header naming an issuing body (the drafting
    # explanation says 市经信局 drafted it on the government's behalf: that is the drafter, kept
    # in the policy content, not a signature) — so lead_agency is None.
    "003_2c8e55cf1516c5cb.txt": {
        "doc_type": "policy_document",
        "kind": None,
        "meeting": no_meeting(),
        "number": None,
        "title": "成都市促进人工智能产业发展办法(征求意见稿)",
        "proposers": [],
        "lead_agency": None,
        "assisting_agencies": [],
        "signed_on": None,
        "published_on": None,
        "document_number": None,
        "index_number": None,
        "contact_person": None,
        "contact_phone": None,
        "communications": [],
        "reply_category": None,
    },
    # Honghe Prefecture Science and Technology Bureau to three joint proposers; it signs with
    # its short name 红河州科技局 (the catalogue says 红河州科学技术局); 文号 is empty; the
    # contact line has no phone.
    "004_d47da4e38fd64f95.txt": {
        "doc_type": "reply",
        "kind": "proposal",
        "meeting": {"body": "cppcc", "region": "红河州", "term": 13, "session": 1, "name": "政协红河州十三届一次会议"},
        "number": "40",
        "title": "关于制定扶持政策 培育红河州人工智能产业的建议",
        "proposers": ["骆洪军", "彭海员", "赵贵成"],
        "lead_agency": "红河州科技局",
        "assisting_agencies": [],
        "signed_on": "2022-08-19",
        "published_on": "2022-09-15",
        "document_number": None,
        "index_number": "20240913-211507-617",
        "contact_person": "高翔",
        "contact_phone": None,
        "communications": [],
        "reply_category": None,
    },
}


@pytest.mark.parametrize("name", sorted(SEED_EXPECTATIONS))
def test_seed_has_exactly_the_contract_keys(name):
    record = parse_document((SEEDS / name).read_bytes(), filename=name).as_dict()
    assert tuple(record) == CONTRACT_KEYS
    assert tuple(record["meeting"]) == ("body", "region", "term", "session", "name")


@pytest.mark.parametrize("name", sorted(SEED_EXPECTATIONS))
@pytest.mark.parametrize("key", [k for k in CONTRACT_KEYS if k != "file"])
def test_seed_field(name, key):
    record = parse_document((SEEDS / name).read_bytes(), filename=name).as_dict()
    assert record[key] == SEED_EXPECTATIONS[name][key]


def test_file_is_the_name_given():
    assert parse_document((SEEDS / "000_72f5d033cd99f952.txt").read_bytes(), filename="seeds/x.txt").file == "seeds/x.txt"


def test_seed_draft_has_eight_chapters_and_fifty_one_articles():
    document = parse_document((SEEDS / "003_2c8e55cf1516c5cb.txt").read_bytes(), filename="003")
    policy = document.policy
    assert [c.title for c in policy.chapters] == [
        "总则", "核心要素支撑", "科技创新引领", "产业发展促进", "应用场景赋能", "产业生态建设", "产业治理与安全", "附则",
    ]
    assert [a.number for a in policy.articles] == list(range(1, 52))
    assert sum(len(c.articles) for c in policy.chapters) == 51
    first, last = policy.articles[0], policy.articles[-1]
    assert (first.heading, first.chapter_number, first.chapter_title) == ("目的依据", 1, "总则")
    assert first.text.startswith("为了促进成都市人工智能产业高质量发展")
    assert (last.heading, last.text, last.chapter_number) == ("施行日期", "本办法自X年X月X日起施行。", 8)
    # 第五十条 runs over the four items that follow it.
    assert policy.articles[49].text.count("\n") == 4
    assert policy.title == "成都市促进人工智能产业发展办法(征求意见稿)"
    assert policy.region == "成都市"
    assert policy.issuing_body is None
    assert policy.drafting_body == "市经信局"
    assert policy.explanation.startswith("起草说明")
    assert "chǎn" not in document.text


def test_loader_gets_the_text_beside_the_record():
    document = parse_document((SEEDS / "000_72f5d033cd99f952.txt").read_bytes(), filename="000")
    assert document.record == document.as_dict()
    assert document.heading == "广州市科学技术局关于政协十四届广州市委员会第一次会议第2053号提案答复的函"
    assert document.addressee == "张建山委员"
    assert document.letter_text.startswith("张建山委员:\n您提出的《关于促进广州市人工智能产业健康发展的提案》")
    assert document.letter_text.endswith("广州市科学技术局\n2022年5月27日")
    assert "扫一扫" not in document.text and "您当前所在位置" not in document.text
    assert document.original_text.startswith("您当前所在位置:首页")
    assert document.warnings == []


# --- header blocks, document numbers, dates -----------------------------------------------------

HEADER_LETTER = """首页 > 政务公开 > 建议提案办理
【字体：大 中 小】 打印本页 关闭窗口
索 引 号：11440100MB2C91823X/2023-00456
发布机构：广州市交通运输局
生成日期：2023-06-12
发布日期：2023年06月20日
广州市交通运输局关于市十六届人大二次会议第20231045号代表建议答复的函
穗交运函〔2023〕318号
A
王小明、李华代表：
　　你们提出的《关于加快推进自动驾驶出租车商业化运营的建议》（第20231045号）收悉。我局高度重视，会同市工业和信息化局、市公安局交通警察支队等单位认真研究办理，现答复如下：
　　一、工作情况
　　5月10日，我局通过电话与王小明代表进行了沟通；5月18日，我局邀请你们到我局座谈。
　　二、下一步工作
　　我们将继续加强与你们的沟通联系。
　　感谢你们对交通工作的关心和支持。
　　　　　　　　　　　　　　　　　　　　广州市交通运输局
　　　　　　　　　　　　　　　　　　　　2023年6月12日
（联系人：陈明，联系电话：020-83456789）
抄送：市人大常委会选联工委，市政府办公厅。
扫一扫在手机打开当前页
"""


def test_catalogue_header_document_number_and_corner_category():
    record = parse(HEADER_LETTER)
    assert record == {
        "file": "letter.txt",
        "doc_type": "reply",
        "kind": "suggestion",
        "meeting": {"body": "npc", "region": "广州市", "term": 16, "session": 2, "name": "市十六届人大二次会议"},
        "number": "20231045",
        "title": "关于加快推进自动驾驶出租车商业化运营的建议",
        "proposers": ["王小明", "李华"],
        "lead_agency": "广州市交通运输局",
        "assisting_agencies": ["市工业和信息化局", "市公安局交通警察支队"],
        "signed_on": "2023-06-12",
        "published_on": "2023-06-20",
        "document_number": "穗交运函〔2023〕318号",
        "index_number": "11440100MB2C91823X/2023-00456",
        "contact_person": "陈明",
        "contact_phone": "020-83456789",
        "communications": [{"date": "2023-05-10", "mode": "phone"}, {"date": "2023-05-18", "mode": "face_to_face"}],
        "reply_category": "A",
    }


def test_source_and_publication_time_on_one_line():
    record = parse(
        "来源:市卫生健康委 发布时间:2022-08-15 10:20\n"
        "张三代表:\n您提出的《关于推进智慧医院建设的建议》(第0123号)收悉,现答复如下:\n……\n"
        "深圳市卫生健康委员会\n2022年8月10日\n"
    )
    assert record["published_on"] == "2022-08-15"
    assert record["number"] == "0123"


def test_generation_date_equal_to_the_signing_date_is_not_a_publication_date():
    letter = "发布机构: 某市教育局 生成日期: {}\n李明委员:\n您提出的《关于加强教育的提案》(第18号)收悉。\n某市教育局\n2022年6月30日\n"
    assert parse(letter.format("2022-06-30"))["published_on"] is None
    assert parse(letter.format("2022-07-05"))["published_on"] == "2022-07-05"


@pytest.mark.parametrize(
    "line",
    ["深卫健函[2022]66号", "穗人社函(2022)512号", "昆科复【2023】12号", "穗科函〔2022〕123号", "文号：穗科函〔2022〕123号"],
)
def test_document_number_above_the_salutation_with_any_year_brackets(line):
    expected = line.removeprefix("文号：")
    record = parse(f"{line}\n张三委员:\n您提出的《关于X的提案》(第1号)收悉。\n某市科技局\n2022年1月5日\n")
    assert record["document_number"] == expected


def test_document_numbers_cited_in_the_body_are_not_the_letters_own():
    record = parse("张三委员:\n您提出的《关于X的提案》(第1号)收悉。根据《意见》(穗府〔2020〕4号),现答复如下:\n某市科技局\n2022年1月5日\n")
    assert record["document_number"] is None


def test_signature_date_in_chinese_numerals_and_month_day_dates_take_its_year():
    record = parse(
        "张建山委员:\n您提出的《关于防范就业风险的提案》(第3001号)收悉。5月9日,我局邀请您到局座谈。\n"
        "广州市人力资源和社会保障局\n二〇二二年五月二十七日\n(联系人:吴九,联系电话:020-83213456)\n"
    )
    assert record["signed_on"] == "2022-05-27"
    assert record["communications"] == [{"date": "2022-05-09", "mode": "face_to_face"}]


def test_a_december_meeting_in_a_january_letter_belongs_to_the_year_before():
    record = parse(
        "张三委员:\n您提出的《关于X的提案》(第7号)收悉。12月20日,我局与您电话沟通。\n某市科技局\n2023年1月10日\n"
    )
    assert record["communications"] == [{"date": "2022-12-20", "mode": "phone"}]


def test_catalogue_table_with_justified_keys_and_the_title_only_in_the_catalogue():
    record = parse(
        "标　　题：广州市科学技术局关于广州市政协十四届二次会议第3011号提案答复的函\n"
        "索 引 号：007482629/2023-00321\n发文机关：广州市科学技术局\n发文字号：穗科函〔2023〕201号\n"
        "成文日期：2023-05-26\n发布日期：2023-06-02\n主题分类：科技、教育\n刘一委员：\n"
        "　　您提出的《关于加快建设算力基础设施的提案》（第3011号）收悉，现答复如下：\n　　……\n"
        "（联系人：孙二，联系电话：020-83124000）\n"
    )
    assert record["meeting"] == {"body": "cppcc", "region": "广州市", "term": 14, "session": 2,
                                 "name": "广州市政协十四届二次会议"}
    assert (record["number"], record["proposers"]) == ("3011", ["刘一"])
    # Unsigned: the writer from the title, the signing date from 成文日期.
    assert (record["lead_agency"], record["signed_on"], record["published_on"]) == (
        "广州市科学技术局", "2023-05-26", "2023-06-02"
    )
    assert (record["document_number"], record["index_number"]) == ("穗科函〔2023〕201号", "007482629/2023-00321")


def test_catalogue_as_a_two_line_table_below_the_letter():
    record = parse(
        "张三委员:\n您提出的《关于X的提案》(第9号)收悉。\n某市科技局\n2022年5月27日\n"
        "索引号\n0001/2022-01\n生成日期\n2022-06-01\n"
    )
    assert (record["signed_on"], record["lead_agency"]) == ("2022-05-27", "某市科技局")
    assert (record["index_number"], record["published_on"]) == ("0001/2022-01", "2022-06-01")


def test_title_broken_by_a_line_end_and_a_remark_after_the_date():
    record = parse(
        "张三委员:\n您提出的《关于促进广州市人工智能产业健康发\n展的提案》(第2053号)收悉。\n"
        "广州市科学技术局\n2022年5月27日(此件公开发布)\n"
    )
    assert record["title"] == "关于促进广州市人工智能产业健康发展的提案"
    assert (record["lead_agency"], record["signed_on"]) == ("广州市科学技术局", "2022-05-27")


def test_national_meeting_has_no_region_and_a_class_number_beside_the_number():
    record = parse(
        "关于政协第十四届全国委员会第一次会议第01234号（科学技术类012号）提案答复的函\n科技部函〔2023〕45号\n王五委员：\n"
        "　　您提出的《关于加快人工智能伦理治理的提案》收悉。经商工业和信息化部，现答复如下：\n　　……\n科学技术部\n2023年8月1日\n"
    )
    assert record["meeting"] == {"body": "cppcc", "region": None, "term": 14, "session": 1,
                                 "name": "政协第十四届全国委员会第一次会议"}
    assert record["number"] == "01234"
    assert record["assisting_agencies"] == ["工业和信息化部"]


def test_county_meeting_takes_the_county_from_the_agency():
    record = parse(
        "某某县农业农村局关于县政协十届二次会议第23号提案办理情况的答复\n县政协农业和农村委员会：\n"
        "　　你委提出的《关于发展智慧农业的提案》（第23号）收悉。现将办理情况答复如下：\n"
        "　　4月8日，我局与你委负责人一同到实地调研。\n某某县农业农村局\n2024年5月10日\n答复类型：B\n"
    )
    assert record["meeting"]["region"] == "某某县"
    assert record["proposers"] == ["县政协农业和农村委员会"]
    assert record["communications"] == [{"date": "2024-04-08", "mode": "face_to_face"}]
    assert record["reply_category"] == "B"


def test_a_standing_committee_session_in_the_body_is_not_the_meeting():
    record = parse(
        "张三代表:\n您提出的《关于X的建议》(第9号)收悉。市十五届人大常委会第十次会议审议通过了《条例》。\n"
        "广州市科学技术局\n2022年5月27日\n"
    )
    assert record["meeting"] == {"body": "npc", "region": "广州市", "term": None, "session": None, "name": None}


def test_title_broken_after_the_agencies_of_a_joint_unsigned_letter():
    record = parse(
        "北京市科学技术委员会、中关村科技园区管理委员会\n关于北京市十六届人大二次会议第1046号建议的答复\n"
        "尊敬的李四代表：\n　　您提出的关于推动人工智能大模型发展的建议收悉。现答复如下：\n　　……\n"
    )
    assert record["lead_agency"] == "北京市科学技术委员会"
    assert record["title"] == "关于推动人工智能大模型发展的建议"
    assert (record["number"], record["proposers"]) == ("1046", ["李四"])


# --- proposers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("salutation", "proposers"),
    [
        ("张三、李四委员：", ["张三", "李四"]),
        ("张三委员、李四委员：", ["张三", "李四"]),
        ("张三委员(领衔)、李四委员:", ["张三", "李四"]),
        ("尊敬的王芳委员：您好！", ["王芳"]),
        ("王　芳委员：", ["王芳"]),
        ("张三等3位代表：", ["张三"]),
        ("民盟市委会：", ["民盟市委会"]),
        ("九三学社广州市委员会：", ["九三学社广州市委员会"]),
        ("越秀区代表团：", ["越秀区代表团"]),
        ("各位委员：", []),
    ],
)
def test_proposers_from_the_salutation(salutation, proposers):
    record = parse(f"{salutation}\n您（们）提出的《关于X的提案》（第12号）收悉，现答复如下：\n正文。\n某市科技局\n2022年1月5日\n")
    assert record["proposers"] == proposers


def test_header_listing_lead_and_cosigners_names_them_all():
    record = parse("领衔人:张三 联名人:李四、王五\n张三委员:\n您领衔提出的《关于X的提案》(第9号)收悉。\n某市科技局\n2022年5月27日\n")
    assert record["proposers"] == ["张三", "李四", "王五"]


def test_salutation_run_on_with_the_opening():
    record = parse("张三委员:您好!您提出的关于加强生态保护的提案(第56号)收悉,现答复如下:\n一、……\n此复。\n某县林业和草原局\n2022年3月8日\n")
    assert record["proposers"] == ["张三"]
    assert record["title"] == "关于加强生态保护的提案"
    assert record["number"] == "56"
    assert record["meeting"] == {"body": "cppcc", "region": "某县", "term": None, "session": None, "name": None}


# --- meetings -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("meeting_line", "agency", "expected"),
    [
        ("政协十四届广州市委员会第一次会议", "广州市科学技术局", ("cppcc", "广州市", 14, 1)),
        ("市十六届人大一次会议", "广州市交通运输局", ("npc", "广州市", 16, 1)),
        ("杭州市第十四届人民代表大会第二次会议", "杭州市数据资源管理局", ("npc", "杭州市", 14, 2)),
        ("红河州政协第十二届委员会第三次会议", "红河州工业和信息化局", ("cppcc", "红河州", 12, 3)),
        ("中国人民政治协商会议北京市第十四届委员会第二次会议", "北京市科学技术委员会", ("cppcc", "北京市", 14, 2)),
        ("市政协十四届三次会议", "市科技局", ("cppcc", None, 14, 3)),
    ],
)
def test_meeting_lines(meeting_line, agency, expected):
    record = parse(f"张三委员:\n您在{meeting_line}上提出的《关于X的提案》(第5号)收悉。\n{agency}\n2023年5月1日\n")
    meeting = record["meeting"]
    assert (meeting["body"], meeting["region"], meeting["term"], meeting["session"]) == expected
    assert meeting["name"] == meeting_line


# --- numbers, titles, kinds ----------------------------------------------------------------------


def test_unquoted_title_and_keyed_suggestion_number():
    record = parse(
        "张三等3位代表：\n　　您们提出的关于加强城市内涝治理的建议（建议编号：2022067）收悉。经市水务局会办，现答复如下：\n"
        "　　我局于2022年5月5日、6月3日两次与张三代表见面沟通。\n某某市住房和城乡建设局\n2022年6月30日\n联系人：孙七 13800138000\n"
    )
    assert record["doc_type"] == "reply"
    assert record["kind"] == "suggestion"
    assert record["number"] == "2022067"
    assert record["title"] == "关于加强城市内涝治理的建议"
    assert record["assisting_agencies"] == ["市水务局"]
    assert record["communications"] == [
        {"date": "2022-05-05", "mode": "face_to_face"},
        {"date": "2022-06-03", "mode": "face_to_face"},
    ]
    assert (record["contact_person"], record["contact_phone"]) == ("孙七", "13800138000")


def test_title_in_chinese_quotation_marks_and_a_group_proposer():
    record = parse(
        "关于对政协第十四届昆明市委员会第二次会议第0123号提案的答复\n昆科复〔2023〕12号\n类别：B\n民盟昆明市委会：\n"
        "　　贵委会提出的“关于促进科技成果转化的提案”收悉。在市财政局、市教育局的大力支持下，我局认真研究办理，现答复如下：\n"
        "　　……\n　　此复\n昆明市科学技术局\n2023年7月3日\n联系人：赵六　　联系电话：（0871）63123456\n公开方式：主动公开\n"
    )
    assert record["title"] == "关于促进科技成果转化的提案"
    assert record["number"] == "0123"
    assert record["proposers"] == ["民盟昆明市委会"]
    assert record["assisting_agencies"] == ["市财政局", "市教育局"]
    assert record["meeting"]["name"] == "政协第十四届昆明市委员会第二次会议"
    assert record["reply_category"] == "B"
    assert record["contact_phone"] == "(0871)63123456"


def test_number_keyed_with_bianhao_and_title_in_quotes():
    record = parse(
        "某某市规划和自然资源局关于市十五届人大三次会议第156号建议的答复\n王芳代表：您好！\n"
        "　　您提出的“关于优化城市停车设施规划的建议”（编号：156）收悉。现答复如下：\n　　……\n"
        "某某市规划和自然资源局\n2023年5月20日\n联系人：钱一 联系电话：0871-12345678\n"
    )
    assert (record["number"], record["kind"], record["title"]) == ("156", "suggestion", "关于优化城市停车设施规划的建议")
    assert record["contact_phone"] == "0871-12345678"


# --- assisting agencies --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "agencies"),
    [
        ("我局积极会同市发展改革委、工业和信息化局等单位认真研究办理", ["市发展改革委", "工业和信息化局"]),
        ("我局会同市财政局和市人力资源和社会保障局共同研究", ["市财政局", "市人力资源和社会保障局"]),
        ("经我局主办,市经信局会办,现答复如下", ["市经信局"]),
        ("经市发展改革委、市财政局会办,现答复如下", ["市发展改革委", "市财政局"]),
        ("协办单位:市教育局、市人社局。现答复如下", ["市教育局", "市人社局"]),
        ("在市财政局和市税务局的大力支持下,现答复如下", ["市财政局", "市税务局"]),
        ("我局会同有关部门认真研究", []),
    ],
)
def test_assisting_agencies_as_the_letter_names_them(sentence, agencies):
    record = parse(f"张三委员:\n您提出的《关于X的提案》(第9号)收悉。{sentence}。\n广州市科学技术局\n2022年5月27日\n")
    assert record["assisting_agencies"] == agencies


def test_assisting_agencies_in_header_lines():
    record = parse(
        "主办单位:市规划和自然资源局\n协办单位:市住房城乡建设局、市交通运输局\n"
        "王芳代表:\n您提出的《关于停车的建议》(第156号)收悉。\n某市规划和自然资源局\n2023年5月20日\n"
    )
    assert record["assisting_agencies"] == ["市住房城乡建设局", "市交通运输局"]


# --- contact lines -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("contact", "person", "phone"),
    [
        ("(联系人:杨欣卉,联系电话:83124132)", "杨欣卉", "83124132"),
        ("联系人:许蒙刚\n联系电话:85255611", "许蒙刚", "85255611"),
        ("联 系 人：张三　　联系电话：020-12345678", "张三", "020-12345678"),
        ("(联系人:周八,联系电话:12345678转801)", "周八", "12345678转801"),
        ("联系人:李四;联系电话:(0871)1234567", "李四", "(0871)1234567"),
        ("联系人及电话:王五 13800138000", "王五", "13800138000"),
        ("联系人:市科技局办公室 赵六,电话:0571-87654321", "赵六", "0571-87654321"),
        ("(联系人:高翔)", "高翔", None),
        ("", None, None),
    ],
)
def test_contact_lines(contact, person, phone):
    record = parse(f"张三委员:\n您提出的《关于X的提案》(第9号)收悉。\n某市科技局\n2022年5月27日\n{contact}\n")
    assert (record["contact_person"], record["contact_phone"]) == (person, phone)


def test_contact_above_the_signature():
    record = parse("张三委员:\n您提出的《关于X的提案》(第9号)收悉。\n感谢您的支持!\n联系人:许蒙刚\n联系电话:85255611\n某市科技局\n2022年7月14日\n")
    assert (record["contact_person"], record["contact_phone"]) == ("许蒙刚", "85255611")


# --- signatures ----------------------------------------------------------------------------------


def test_joint_signature_names_the_first_agency_as_writer():
    record = parse(
        "张三代表:\n您提出的《关于X的建议》(第9号)收悉。\n北京市科学技术委员会、中关村科技园区管理委员会\n2024年6月20日\n"
    )
    assert record["lead_agency"] == "北京市科学技术委员会"
    assert record["signed_on"] == "2024-06-20"


def test_agency_and_date_on_one_line_with_a_seal_mark():
    record = parse("张三委员:\n您提出的《关于X的提案》(第9号)收悉。\n此复\n某市科学技术局(盖章) 2021年3月2日\n")
    assert (record["lead_agency"], record["signed_on"]) == ("某市科学技术局", "2021-03-02")


def test_unsigned_letter_takes_the_writer_from_its_title_line():
    record = parse(
        "某市教育局关于市政协十三届一次会议第118号提案的答复\n李明委员:\n您提出的《关于加强中小学人工智能教育的提案》收悉,现答复如下:\n我局高度重视。\n"
    )
    assert record["lead_agency"] == "某市教育局"
    assert record["signed_on"] is None
    assert record["meeting"]["region"] == "某市"


def test_unsigned_letter_without_title_agency_takes_the_publishing_agency():
    record = parse(
        "索引号: 000014349/2022-12345\n发布机构: 某某市教育局\n生成日期: 2022-07-01\n"
        "关于市政协十三届一次会议第118号提案的答复\n李明委员:\n您提出的《关于加强教育的提案》收悉,现答复如下:\n我局高度重视。\n"
    )
    assert record["lead_agency"] == "某某市教育局"
    assert record["published_on"] == "2022-07-01"
    assert record["number"] == "118"


# --- assisting opinions, policy documents, unknown documents -------------------------------------

OPINION = """杭州市经济和信息化局关于市政协十二届二次会议第215号提案的会办意见
杭经信函〔2023〕45号
市科技局：
　　九三学社杭州市委员会提出的《关于加快发展人工智能产业的提案》（第215号）收悉。经研究，现将我局会办意见函告如下：
　　一、关于产业政策。我局已出台相关政策。
　　　　　　　　　　　　　　　杭州市经济和信息化局
　　　　　　　　　　　　　　　二〇二三年四月二十日
　　（联系人：李四；联系电话：0571-87654321转802）
"""


def test_assisting_opinion_is_written_by_the_assisting_agency():
    record = parse(OPINION)
    assert record["doc_type"] == "assisting_opinion"
    assert record["lead_agency"] == "杭州市经济和信息化局"
    assert record["proposers"] == ["九三学社杭州市委员会"]
    assert record["assisting_agencies"] == []
    assert (record["kind"], record["number"]) == ("proposal", "215")
    assert record["document_number"] == "杭经信函〔2023〕45号"
    assert record["signed_on"] == "2023-04-20"
    assert record["meeting"] == {"body": "cppcc", "region": "杭州市", "term": 12, "session": 2, "name": "市政协十二届二次会议"}
    assert record["contact_phone"] == "0571-87654321转802"


def test_assisting_opinion_without_title_line_is_known_by_its_addressee():
    record = parse(
        "市科技局：\n关于张三委员提出的《关于X的提案》（第215号），经研究，现将我局会办意见函告如下：\n一、……\n某市财政局\n2023年4月20日\n"
    )
    assert record["doc_type"] == "assisting_opinion"
    assert record["proposers"] == ["张三"]
    assert record["lead_agency"] == "某市财政局"


def test_policy_document_is_recognised_by_its_articles():
    record = parse(
        "某市数据条例\n第一章 总则\n第一条 为了规范数据管理,制定本条例。\n第二条 本条例适用于本市。\n"
        "第二章 数据管理\n第三条 数据主管部门负责管理。\n第四条 …\n第五条 本条例自公布之日起施行。\n"
    )
    assert record["doc_type"] == "policy_document"
    assert record["title"] == "某市数据条例"
    assert record["proposers"] == [] and record["kind"] is None


def test_unknown_document_says_nothing_it_cannot_tell():
    record = parse(
        "您当前所在位置:首页 > 新闻中心 > 工作动态\n市科技局召开人工智能产业座谈会\n发布时间:2023-03-02\n"
        "3月1日,市科技局召开人工智能产业发展座谈会,20家企业代表参加会议。会上,企业代表围绕算力、数据、人才等问题发言。\n分享到:\n"
    )
    assert record["doc_type"] == "unknown"
    assert record["published_on"] == "2023-03-02"
    assert all(record[key] in (None, []) for key in CONTRACT_KEYS if key not in ("file", "doc_type", "published_on", "meeting"))
    assert record["meeting"] == no_meeting()


# --- communications and categories ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "communications"),
    [
        ("并于4月14日与您当面进行了座谈交流", [{"date": "2022-04-14", "mode": "face_to_face"}]),
        ("2022年3月10日,我局通过电话与您沟通", [{"date": "2022-03-10", "mode": "phone"}]),
        ("我局于5月20日以视频会议方式与你们进行了交流", [{"date": "2022-05-20", "mode": "online"}]),
        ("4月2日,我局以书面形式征求了您的意见", [{"date": "2022-04-02", "mode": "letter"}]),
        ("您于3月1日提出的提案收悉,我局于3月10日与您电话沟通", [{"date": "2022-03-10", "mode": "phone"}]),
        ("办理过程中,我局通过电话与您进行了沟通", [{"date": None, "mode": "phone"}]),
        ("欢迎您继续与我们保持沟通联系", []),
        ("4月14日,我局与市发展改革委召开座谈会", []),
    ],
)
def test_communications(sentence, communications):
    record = parse(f"张三委员:\n您提出的《关于X的提案》(第9号)收悉。{sentence}。\n某市科技局\n2022年5月27日\n")
    assert record["communications"] == communications


@pytest.mark.parametrize(
    ("closing", "category"),
    [
        ("答复类别:A类", "A"),
        ("类别:C", "C"),
        ("办理结果:乙类", "B"),
        ("所提问题已经解决或基本解决。", "A"),
        ("所提问题正在解决或已列入计划逐步解决。", "B"),
        ("所提问题因条件限制暂时不能解决。", "C"),
        ("所提问题留作参考。", "D"),
        ("感谢您的关心和支持。", None),
    ],
)
def test_reply_category(closing, category):
    record = parse(f"张三委员:\n您提出的《关于X的提案》(第9号)收悉。\n{closing}\n某市科技局\n2022年5月27日\n")
    assert record["reply_category"] == category


# --- other encodings and scripts -----------------------------------------------------------------


def test_gb18030_letter_with_full_width_punctuation():
    record = parse(HEADER_LETTER.encode("gb18030"))
    assert record["number"] == "20231045"
    assert record["contact_phone"] == "020-83456789"


def test_traditional_letter_is_read_in_simplified_characters():
    record = parse(
        "廣州市科學技術局關於政協十四屆廣州市委員會第一次會議第2053號提案答覆的函\n張建山委員：\n"
        "您提出的《關於促進廣州市人工智能產業健康發展的提案》（第2053號）收悉。\n廣州市科學技術局\n2022年5月27日\n"
    )
    assert record["proposers"] == ["张建山"]
    assert record["lead_agency"] == "广州市科学技术局"
    assert record["title"] == "关于促进广州市人工智能产业健康发展的提案"
    assert record["meeting"]["term"] == 14


def test_unreadable_document_raises_the_normalizer_error():
    with pytest.raises(UnreadableDocument):
        parse_document(b"\x00\x01\x02binary", filename="x.bin")
