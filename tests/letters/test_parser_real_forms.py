"""The forms real offices write, each in a letter written for this test (not one of the 50 real
letters): the rules must hold for offices the parser has never seen."""

import pytest

from letters.parser import parse_document
from letters.parsing.dates import parse_digits_date


def parse(text: str) -> dict:
    return parse_document(text, filename="letter.txt").as_dict()


@pytest.mark.parametrize(("digits", "iso"), [
    ("2021125", None),  # 1月25日 or 12月5日: cannot tell
    ("2024816", "2024-08-16"),
    ("20191231", "2019-12-31"),
    ("202135", "2021-03-05"),
    ("2024", None),
])
def test_a_signing_date_that_lost_its_characters(digits, iso):
    value = parse_digits_date(digits)
    assert (value.isoformat() if value else None) == iso


def test_salutation_without_colon_and_a_date_without_characters():
    record = parse(
        "王五、赵六代表\n"
        "你们在县十五届人大二次会议上提出的第12号建议《关于修缮村道的建议》收悉,现答复如下:\n"
        "我局已将该路段列入明年计划。\n"
        "某某县交通运输局\n"
        "2024816\n"
    )
    assert record["doc_type"] == "reply"
    assert record["proposers"] == ["王五", "赵六"]
    assert record["kind"] == "suggestion"
    assert record["number"] == "12"
    assert record["meeting"]["region"] == "某某县"
    assert record["lead_agency"] == "某某县交通运输局"
    assert record["signed_on"] == "2024-08-16"


def test_township_meeting_takes_the_township_from_the_signature():
    record = parse(
        "李四代表:\n您在镇八届人大第三次会议上提出的关于修建文化广场的建议收悉,现答复如下:\n"
        "镇政府已安排资金。\n某某市某某区石桥镇人民政府\n2022年3月1日\n"
    )
    assert record["meeting"]["region"] == "石桥镇"
    assert record["meeting"]["term"] == 8 and record["meeting"]["session"] == 3
    assert record["title"] == "关于修建文化广场的建议"


def test_heading_split_over_three_lines_with_a_spaced_last_word():
    record = parse(
        "某某区民政局\n对区政协五届二次会议第31号提案的\n复   函\n张三委员:\n"
        "您提出的《关于发展社区养老的提案》收悉,现答复如下:\n我局将加快建设。\n2023年5月6日\n"
    )
    assert record["number"] == "31"
    assert record["lead_agency"] == "某某区民政局"
    assert record["meeting"]["term"] == 5


def test_page_stamp_and_footer_are_not_the_letter():
    record = parse(
        "关于对市政协三届一次会议第7号提案的答复\n发布时间:2021-04-02 09:30 来源:市林业局\n"
        "孙七委员:\n您提出的《关于加强古树保护的提案》收悉,现答复如下:\n我局已开展普查,建立了古树名木档案。\n"
        "某某市林业局\n2021年3月30日\n"
        "主办:某某市人民政府办公室 地址:某某路1号 电话:0123-5550000\n版权所有 某某市人民政府\n"
    )
    assert record["published_on"] == "2021-04-02"
    assert record["contact_phone"] is None
    assert record["lead_agency"] == "某某市林业局"


def test_contact_label_with_its_phone_and_a_number_glued_to_the_class_mark():
    record = parse(
        "某交函[2020]8号C类\n周八代表:\n您提出的《关于增设公交站的建议》收悉,现答复如下:\n因条件所限暂不能实施。\n"
        "某某县交通运输局\n2020年9月9日\n承办负责人:吴九\n经办人及联系电话:郑十 13800001111\n"
    )
    assert record["document_number"] == "某交函[2020]8号"
    assert record["reply_category"] == "C"
    assert record["contact_person"] == "郑十"
    assert record["contact_phone"] == "13800001111"


def test_a_report_on_handling_many_items_is_not_a_reply():
    record = parse(
        "关于县十届人大一次会议代表建议的办理情况\n时间:2022-12-01\n"
        "今年共承办代表建议40件,已经解决或基本解决的30件(A类),正在解决的10件(B类)。\n"
    )
    assert record["doc_type"] == "unknown"
    assert record["published_on"] is None


def test_assisting_opinion_written_to_the_lead_agency():
    record = parse(
        "市住建局:\n吴一代表提出的《关于治理内涝的建议》(市人大五届三次会议第66号建议)收悉,我局作为协办单位答复如下:\n"
        "我局已与贵局进行了沟通,派人到现场进行了查看。\n以上意见供你局在正式答复时参考。\n2023年4月1日\n"
    )
    assert record["doc_type"] == "assisting_opinion"
    assert record["proposers"] == ["吴一"]
    assert record["communications"] == []


def test_group_salutation_and_a_term_without_session():
    record = parse(
        "某某县农业农村局关于县政协第七届委员会第9号提案的答复\n城关片区委员组\n"
        "你们提出的第9号《关于发展茶产业的提案》已交由我局办理,现答复如下:\n我局将加大扶持力度。\n"
    )
    assert record["proposers"] == ["城关片区委员组"]
    assert record["number"] == "9"
    assert record["kind"] == "proposal"
    assert record["meeting"]["term"] == 7 and record["meeting"]["session"] is None
    assert record["lead_agency"] == "某某县农业农村局"
