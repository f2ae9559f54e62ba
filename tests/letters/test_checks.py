"""A value is checked against what it must be, not only where it sits: names, places, agencies,
dates. What fails is left empty and named in the document's doubts (and in `parse_letter
--json`), with the candidate and the reason in Chinese, so that a clerk fills it in at review
instead of finding a wrong value in the records. The rejected candidates below are those that
real letters from unseen offices once put into the records."""

import datetime as dt
from pathlib import Path

import pytest

from letters.parser import parse_document
from letters.parsing.agencies import agency_problem
from letters.parsing.checks import date_problem, name_problem, place_problem
from letters.parsing.people import split_names

REAL = Path(__file__).parent / "real"


def parse(text: str):
    return parse_document(text, filename="letter.txt")


def real(name: str):
    return parse_document((REAL / name).read_bytes(), filename=name)


def doubts_of(document) -> list[dict]:
    return [doubt.as_dict() for doubt in document.doubts]


# --- names --------------------------------------------------------------------------------------

@pytest.mark.parametrize("furniture", ["字号", "阅读", "访问量", "字体", "公文时效", "建议人", "内容概览"])
def test_page_furniture_is_never_a_name(furniture):
    assert name_problem(furniture) == f"一个候选值“{furniture}”不是人名"
    assert name_problem(furniture, vouched=True) is not None  # not even beside 委员/代表


@pytest.mark.parametrize("name", ["袁大金", "薄韫", "欧阳明", "买热艳·买买提", "古丽松·哈尼", "连**", "库尔曼江", "李班马才"])
def test_real_names_pass(name):
    assert name_problem(name) is None


def test_a_name_that_is_also_a_word_needs_a_title_beside_it():
    assert name_problem("平原") is not None  # a word alone
    assert split_names("平原代表") == ["平原"]  # 平原代表: the title vouches
    assert name_problem("高松", vouched=True) is None


def test_rejected_names_become_doubts():
    doubts = []
    assert split_names("公文时效、张三委员", doubts=doubts) == ["张三"]
    assert [(d.field, d.candidate, d.reason) for d in doubts] == [("proposers", "公文时效", "一个候选值“公文时效”不是人名")]


def test_a_page_control_above_the_letter_is_not_its_addressee():
    # 字号: (the page's font-size control) used to be read as the deputy.
    document = real("more-02_xingqing-jianyi-16.txt")
    assert document.proposers == ["袁大金"]


def test_a_keyed_proposer_that_is_not_a_name_is_left_empty_with_a_doubt():
    document = parse(
        "关于县十八届人大二次会议第5号建议的答复\n"
        "建议人:内容概览\n"
        "您提出的《关于修缮村道的建议》收悉,现答复如下:\n"
        "我局已将该路段列入明年计划。\n"
        "马关县交通运输局\n"
        "2024年5月6日\n"
    )
    assert document.proposers == []
    assert {"field": "proposers", "candidate": "内容概览", "reason": "一个候选值“内容概览”不是人名"} in doubts_of(document)


def test_a_contact_label_does_not_make_a_word_a_name():
    document = parse(
        "张三委员:\n您提出的《关于修路的提案》收悉,现答复如下:\n已列入计划。\n"
        "马关县交通运输局\n2024年5月6日\n联系人:阅读 联系电话:0876-7121542\n"
    )
    assert document.contact_person is None
    assert document.contact_phone == "0876-7121542"
    assert {"field": "contact_person", "candidate": "阅读", "reason": "一个候选值“阅读”不是人名"} in doubts_of(document)


# --- places -------------------------------------------------------------------------------------

def test_places_are_read_from_the_divisions_table():
    assert place_problem("答复县") == "一个候选值“答复县”不是行政区划名称"
    for place in ("马关县", "马关", "秀山县", "文山州", "兴庆区", "伊犁哈萨克自治州", "内蒙古自治区", "广州市天河区", "市", "某市"):
        assert place_problem(place) is None, place


def test_a_region_that_is_not_a_place_is_replaced_by_the_agencys_and_doubted():
    document = parse(
        "马关县交通运输局关于对答复县第十八届人大二次会议第124号建议的答复\n"
        "杨开顺代表:\n你提出的《关于修建村道的建议》收悉,现答复如下:\n暂不能解决。\n"
        "马关县交通运输局\n2023年8月8日\n"
    )
    assert document.meeting.region == "马关县"
    assert document.meeting.term == 18
    assert any(d["field"] == "meeting" and "答复县" in d["candidate"] for d in doubts_of(document))


def test_a_county_whose_name_holds_a_little_word_keeps_its_name():
    # 马关县: 关 also opens 关于; the meeting line names the county all the same.
    assert real("more-19_maguan-jianyi-124.txt").meeting.region == "马关县"
    assert real("more-35_maguan-caizheng-jianyi-155.txt").meeting.region == "马关县"


# --- agencies -----------------------------------------------------------------------------------

def test_agency_names_follow_their_grammar():
    assert agency_problem("与甘谷县政府") == "一个候选值“与甘谷县政府”不是机构名称"
    assert agency_problem("我局") is not None
    for name in ("同江市住房和城乡建设局", "和田地区水利局", "贵州省教育厅", "区住建部门", "茅河镇政府"):
        assert agency_problem(name) is None, name


def test_an_assisting_unit_s_partners_are_not_the_proposal_s_assisting_agencies():
    document = parse(
        "市交通运输局:\n"
        "张三代表提出的《关于修建乡村公路的建议》(市十八届人大二次会议第56号建议)收悉,"
        "我单位作为会办单位,与甘谷县政府共同研究办理,现提出会办意见如下:\n"
        "该路段已纳入规划。\n"
        "以上意见供贵单位参考。\n"
        "天水市自然资源局\n2024年4月2日\n"
    )
    assert document.doc_type == "assisting_opinion"
    assert document.assisting_agencies == []
    assert any(d["field"] == "assisting_agencies" and "甘谷县政府" in d["candidate"] for d in doubts_of(document))


# --- numbers ------------------------------------------------------------------------------------

def test_numbers_keep_their_letter_prefix():
    assert real("more-30_xiushan-jianyi-DH123.txt").number == "DH123"
    assert real("more-06_jiading-huiban-T014.txt").number == "T014"


# --- dates --------------------------------------------------------------------------------------

def test_dates_stay_in_the_letter_s_range():
    assert date_problem(dt.date(2024, 6, 1), not_before=None, not_after=dt.date(2024, 5, 6)) == (
        "一个候选日期“2024-06-01”晚于发布日期2024-05-06"
    )
    assert date_problem(dt.date(2024, 5, 1), not_before=None, not_after=dt.date(2024, 5, 6)) is None


def test_a_contact_dated_after_the_signature_is_not_read():
    document = parse(
        "张三委员:\n您提出的《关于修路的提案》收悉。2024年6月1日我局与您电话沟通。现答复如下:\n已列入计划。\n"
        "马关县交通运输局\n2024年5月6日\n"
    )
    assert document.communications == []
    assert any(d["field"] == "communications" and d["candidate"] == "2024-06-01" for d in doubts_of(document))


def test_a_signing_date_after_publication_is_doubted():
    document = parse(
        "发布日期:2024-05-01\n张三委员:\n您提出的《关于修路的提案》收悉,现答复如下:\n已列入计划。\n"
        "马关县交通运输局\n2024年5月6日\n"
    )
    assert document.published_on == dt.date(2024, 5, 1)
    assert document.signed_on is None
    assert {"field": "signed_on", "candidate": "2024-05-06", "reason": "一个候选日期“2024-05-06”晚于发布日期2024-05-01"} in doubts_of(document)


def test_a_site_visit_is_not_a_contact_with_the_proposer():
    document = parse(
        "侯怀菊代表:\n您提出关于拓宽村道的建议收悉,现答复如下:\n"
        "我局分管领导多次实地查看,您提出拓宽道路需先与邻县对接。\n"
        "宁陕县交通运输局\n2021年9月2日\n"
    )
    assert document.communications == []


# --- document kinds -----------------------------------------------------------------------------

@pytest.mark.parametrize("closing", ["以上意见供贵单位参考。", "以上意见供你单位统一答复代表时参考。"])
def test_an_opinion_to_the_lead_unit_is_not_a_reply(closing):
    document = parse(
        "区住房保障房屋管理局:\n"
        "薄韫代表提出的关于加快推进老旧小区综合改造的代表建议(区七届人大四次会议第T014号)收悉,"
        "我单位作为会办单位,现将会办意见函告如下:\n街道将抓好综合改造工作。\n"
        f"{closing}\n上海市嘉定区人民政府嘉定镇街道办事处\n2024年3月22日\n"
    )
    assert document.doc_type == "assisting_opinion"
    assert document.proposers == ["薄韫"]
    assert document.number == "T014"


def test_a_real_opinion_with_its_number_glued_to_the_heading():
    document = real("more-06_jiading-huiban-T014.txt")
    assert document.doc_type == "assisting_opinion"
    assert document.document_number == "嘉嘉办理〔2024〕2号"
    assert document.contact_person == "沈晓华"


def test_a_reply_form_in_rows():
    document = parse(
        "马关县人大代表建议答复单\n建议编号:第45号\n建议题目:关于加强农村饮水安全的建议\n领衔代表:李明\n"
        "承办单位:马关县水务局\n答复内容:\n李明代表:\n"
        "您提出的《关于加强农村饮水安全的建议》收悉,现答复如下:\n已列入年度计划。\n马关县水务局\n2023年6月10日\n"
    )
    assert (document.doc_type, document.number, document.proposers) == ("reply", "45", ["李明"])
    assert document.title == "关于加强农村饮水安全的建议"
    assert document.doubts == []  # 建议题目: and 答复内容: are labels, not addressees


def test_a_reply_form_in_pipes():
    document = parse(
        "政协提案办理答复单\n"
        "| 提案编号 | 第12号 | 提案人 | 王芳 |\n"
        "| 提案题目 | 关于加强社区养老服务的提案 |\n"
        "| 承办单位 | 绿春县民政局 | 答复日期 | 2022年7月1日 |\n"
        "| 答复内容 | 经认真研究,现答复如下:我局将把社区养老服务纳入明年计划。 |\n"
    )
    assert (document.doc_type, document.kind, document.number) == ("reply", "proposal", "12")
    assert document.proposers == ["王芳"]
    assert document.title == "关于加强社区养老服务的提案"
    assert (document.lead_agency, document.signed_on) == ("绿春县民政局", dt.date(2022, 7, 1))


@pytest.mark.parametrize("name, index_number, document_number, published_on", [
    # one key per line, the value below (bulleted)
    ("more-29_lvchun-tian-21.txt", "000014348/2020-01628", "绿交函〔2018〕11号", "2018-09-30"),
    ("more-33_longyang-tian-54057-jiti.txt", "01525724-7-/2020-1009007", None, "2020-10-09"),
    # rows with pipes
    ("more-25_yishui-jianyi-55-A.txt", "yishuixjytyj2251918/2024-0000114", "沂教复字(2024)第5号", "2024-07-06"),
    # a bulleted list without its keys
    ("more-02_xingqing-jianyi-16.txt", "640104-107/2019-00169", None, "2019-07-26"),
])
def test_header_metadata_tables(name, index_number, document_number, published_on):
    record = real(name).as_dict()
    assert (record["index_number"], record["document_number"], record["published_on"]) == (
        index_number, document_number, published_on,
    )


def test_a_mirror_with_a_site_footer():
    # 王朝百科's copy: a footnote mark after the date, a disclaimer and a copyright line below.
    record = real("more-07_chishui-jianyi-94.txt").as_dict()
    assert record["signed_on"] == "2007-05-24"
    assert record["lead_agency"] == "赤水市交通局"
    assert record["proposers"] == ["李绍彬", "杨光德"]
    assert record["contact_phone"] is None


def test_a_collective_proposal_with_a_quoted_title_inside_its_title():
    record = real("more-12_neimenggu-jitituan-mengyiyao.txt").as_dict()
    assert record["doc_type"] == "reply"
    assert record["title"] == "关于将支持蒙医药事业发展纳入自治区“十四五”规划的提案"
    assert record["meeting"]["region"] == "内蒙古自治区"


def test_the_meeting_decides_the_kind():
    # 君山区五届政协二次会议第60号建议: a CPPCC member's item is a proposal whatever the page calls it.
    assert real("more-37_junshan-zhengxie-60-Aclass.txt").kind == "proposal"


def test_a_meeting_line_keeps_only_its_own_words():
    document = parse(
        "答复县十九届人大三次会议第33号建议\n李华代表:\n你提出的关于改善农村道路的建议收悉,现答复如下:\n"
        "该路段已列入2024年计划。\n甘谷县住房和城乡建设局\n2024年7月1日\n"
    )
    assert (document.meeting.name, document.meeting.region) == ("县十九届人大三次会议", "甘谷县")
    assert real("more-03_qingyuan-jianyi-72.txt").meeting.name == "清原满族自治县八届人大二次会议"


def test_an_unknown_page_label_gives_way_to_the_real_salutation():
    document = parse(
        "关于县政协十届二次会议第8号提案的答复\n浏览次数:\n背景色:\n周丽委员:\n"
        "您提出的《关于加强社区养老的提案》收悉,现答复如下:\n已列入计划。\n宜君县民政局\n2024年5月6日\n"
    )
    assert document.proposers == ["周丽"]


@pytest.mark.parametrize("name", ["买买提明", "乌兰其其格", "阿不都热合曼"])
def test_a_minority_name_beside_its_title_passes(name):
    assert name_problem(name, vouched=True) is None
    assert split_names(f"{name}委员") == [name]


def test_a_title_does_not_make_a_common_word_or_two_names_one_name():
    assert split_names("全体委员") == []
    assert name_problem("王宗富李明", vouched=True) is not None


def test_a_contact_years_before_the_reply_is_not_read():
    document = parse(
        "张三委员:\n您提出的《关于修路的提案》收悉。2021年3月5日我局曾与您电话沟通。现答复如下:\n已列入计划。\n"
        "马关县交通运输局\n2024年5月6日\n"
    )
    assert document.communications == []
    assert any(d["field"] == "communications" and d["candidate"] == "2021-03-05" for d in doubts_of(document))
