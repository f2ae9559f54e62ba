"""letters/normalize.py: decoding, folding, pinyin, traditional → simplified, page furniture."""

import io
from pathlib import Path

import pytest
from django.conf import settings

from letters.normalize import (
    UnreadableDocument,
    fold_width,
    is_furniture_line,
    is_page_meta_line,
    normalize_document,
    normalize_text,
    strip_pinyin,
    to_simplified,
)

SEEDS = Path(settings.BASE_DIR) / "seeds"
POLICY_DRAFT = SEEDS / "003_2c8e55cf1516c5cb.txt"
GUANGZHOU_REPLY = SEEDS / "000_72f5d033cd99f952.txt"

LETTER = "张建山委员：\n您提出的《关于促进人工智能产业发展的提案》（第２０５３号）收悉。\n广州市科学技术局\n２０２２年５月２７日\n"


# --- pinyin ---------------------------------------------------------------------------------


def test_pinyin_after_han_characters_is_removed():
    assert strip_pinyin("產(chǎn)業(yè)發(fā)展") == "產業發展"


def test_ordinary_parentheses_stay():
    text = "成都市促進人工智能產(chǎn)業(yè)發(fā)展辦法(征求意見稿) 第一條(目的依據(jù)) (第2053号) 视频技术(HDR)联盟(CUVA)"
    assert strip_pinyin(text) == "成都市促進人工智能產業發展辦法(征求意見稿) 第一條(目的依據) (第2053号) 视频技术(HDR)联盟(CUVA)"


def test_full_width_parentheses_around_pinyin_are_removed_too():
    assert normalize_text("產（chǎn）業（yè）") == "产业"


def test_toneless_syllable_is_kept_unless_the_text_is_annotated_throughout():
    assert strip_pinyin("目标(de)") == "目标(de)"
    annotated = "產(chǎn)業(yè)發(fā)展(zhǎn)規(guī)劃(huà)的(de)"
    assert strip_pinyin(annotated) == "產業發展規劃的"


def test_seed_draft_is_simplified_without_any_pinyin_left():
    document = normalize_document(POLICY_DRAFT.read_bytes())
    assert document.text.startswith("成都市促进人工智能产业发展办法(征求意见稿)\n第一章总则\n第一条(目的依据)")
    assert "chǎn" not in document.text and "yè" not in document.text
    assert "(征求意见稿)" in document.text and "(目的依据)" in document.text
    assert document.original.startswith("成都市促進人工智能產(chǎn)業(yè)發(fā)展辦法")


# --- folding and simplification ---------------------------------------------------------------


def test_full_width_digits_letters_and_punctuation_fold_to_half_width():
    assert fold_width("２０２２年（第２０５３号）ＡＩ：ｘ，") == "2022年(第2053号)AI:x,"


def test_document_number_brackets_are_kept_and_full_width_square_brackets_fold():
    assert fold_width("穗科函〔2022〕123号 穗科函［2022］12号 【字体】 《标题》") == (
        "穗科函〔2022〕123号 穗科函[2022]12号 【字体】 《标题》"
    )
    assert fold_width("穗科函﹝2022﹞5号") == "穗科函〔2022〕5号"


def test_spaces_are_folded_and_collapsed_and_line_endings_normalized():
    assert normalize_text("张三\u3000\u3000委员:\r\n\r\n\r\n\r\n  您好\u00a0 \t 世界  \r第二行") == (
        "张三 委员:\n\n您好 世界\n第二行"
    )


def test_zero_width_characters_are_dropped():
    assert normalize_text("广州\u200b市\ufeff科学技术局") == "广州市科学技术局"


def test_justified_catalogue_keys_are_closed_up():
    assert normalize_text("索 引 号：123\n文　　号：穗科函〔2022〕1号\n联 系 人：张三") == (
        "索引号:123\n文号:穗科函〔2022〕1号\n联系人:张三"
    )


def test_traditional_characters_become_simplified_and_simplified_text_is_unchanged():
    assert to_simplified("廣州市科學技術局關於促進產業發展") == "广州市科学技术局关于促进产业发展"
    simplified = GUANGZHOU_REPLY.read_text(encoding="utf-8")
    assert to_simplified(simplified) == simplified


# --- decoding ---------------------------------------------------------------------------------


def test_utf8_with_and_without_bom_decodes():
    assert normalize_document(LETTER.encode("utf-8")).encoding == "utf-8"
    with_bom = normalize_document(b"\xef\xbb\xbf" + LETTER.encode("utf-8"))
    assert with_bom.encoding == "utf-8-sig"
    assert with_bom.text.startswith("张建山委员:")


def test_gb18030_bytes_decode():
    document = normalize_document(LETTER.encode("gb18030"))
    assert document.encoding == "gb18030"
    assert "您提出的《关于促进人工智能产业发展的提案》(第2053号)收悉。" in document.text


def test_utf16_with_bom_decodes():
    document = normalize_document(LETTER.encode("utf-16"))
    assert document.encoding == "utf-16"
    assert "广州市科学技术局" in document.text


def test_original_text_is_kept_beside_the_normalized_text():
    document = normalize_document(LETTER)
    assert document.original == LETTER
    assert "(第2053号)" in document.text


def test_word_document_is_read():
    import docx

    word = docx.Document()
    for line in LETTER.splitlines():
        word.add_paragraph(line)
    buffer = io.BytesIO()
    word.save(buffer)
    document = normalize_document(buffer.getvalue())
    assert document.encoding == "docx"
    assert document.body_lines[0] == "张建山委员:"


def test_saved_web_page_is_reduced_to_its_text():
    page = (
        "<!DOCTYPE html><html><head><title>答复</title><script>var x = '<p>';</script></head><body>"
        "<div>您当前所在位置：首页 &gt; 信息公开</div><p>张建山委员：</p><p>您提出的提案收悉。</p></body></html>"
    )
    document = normalize_document(page)
    assert "张建山委员:" in document.body_lines
    assert "var x" not in document.text
    assert document.furniture == ("您当前所在位置:首页 > 信息公开",)


# --- page furniture and catalogue block ------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "您当前所在位置:首页 > 信息公开 > 建议提案办理情况公开 > 政协提案",
        "当前位置 :",
        "首页 > 政务公开 > 建议提案",
        "分享:",
        "分享到：微信 微博 QQ空间",
        "扫一扫在手机打开当前页",
        "打印本页 关闭窗口",
        "【打印】 【关闭】",
        "【字体:大 中 小】",
        "字号：大 中 小",
        "上一篇：关于第2054号提案的答复",
        "版权所有：广州市科学技术局 粤ICP备12345678号",
        "访问次数:",
        "A+ A A-",
        "主办单位：广州市人民政府办公厅 承办：广州市政务服务数据管理局",
    ],
)
def test_page_furniture_is_recognised(line):
    assert is_furniture_line(normalize_text(line))


@pytest.mark.parametrize(
    "line",
    [
        "张建山委员:",
        "您提出的《关于促进广州市人工智能产业健康发展的提案》(第2053号)收悉。",
        "广州市科学技术局",
        "(联系人:杨欣卉,联系电话:83124132)",
        "一、有关工作开展情况",
    ],
)
def test_letter_lines_are_not_furniture(line):
    assert not is_furniture_line(line)


def test_catalogue_lines_are_page_metadata():
    assert is_page_meta_line("索引号: 002489460/2022-00132 文件编号:")
    assert is_page_meta_line("- 发布机构: 红河州科学技术局")
    assert is_page_meta_line("来源:市科学技术局 发布时间: 2022-05-31 11:54:01")
    assert not is_page_meta_line("穗工信函〔2020〕155号")


def test_seed_page_furniture_and_catalogue_are_kept_out_of_the_body():
    document = normalize_document(GUANGZHOU_REPLY.read_bytes())
    assert document.furniture == (
        "您当前所在位置:首页 > 信息公开 > 建议提案办理情况公开 > 政协提案",
        "相关新闻",
        "扫一扫在手机打开当前页",
    )
    assert document.page_meta == ("来源:市科学技术局 发布时间: 2022-05-31 11:54:01",)
    assert document.body_lines[0] == "广州市科学技术局关于政协十四届广州市委员会第一次会议第2053号提案答复的函"
    assert "扫一扫" not in document.body and "相关新闻" not in document.body


def test_everything_after_a_related_news_heading_is_furniture():
    document = normalize_document("张三委员:\n您好。\n相关新闻\n关于第2054号提案的答复\n关于第2055号提案的答复")
    assert document.body_lines == ["张三委员:", "您好。"]
    assert "关于第2055号提案的答复" in document.furniture


# --- unreadable input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b"   \n\r\n  ", "empty"),
        ("", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "pdf_damaged"),  # a PDF cut off after its header
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 32, "word"),
        (LETTER.encode("utf-8")[:-4] + "公".encode("utf-8")[:2], "truncated"),
        (bytes(range(128, 256)) * 4, "encoding"),
        (bytes(0x81 + (i * 37) % 0x7E for i in range(3000)), "binary"),
        ("您当前所在位置:首页 > 信息公开\n扫一扫在手机打开当前页", "no_content"),
        ("!!!! 12345 ????", "no_content"),
    ],
)
def test_unreadable_input_raises_a_clear_error(data, code):
    with pytest.raises(UnreadableDocument) as caught:
        normalize_document(data)
    assert caught.value.code == code
    message = str(caught.value)
    assert caught.value.message_zh in message and caught.value.message_en in message
    assert any("\u4e00" <= ch <= "\u9fff" for ch in caught.value.message_zh)
    assert caught.value.message_en.isascii()


def test_seed_cut_in_the_middle_of_a_character_is_truncated():
    data = GUANGZHOU_REPLY.read_bytes()
    with pytest.raises(UnreadableDocument) as caught:
        normalize_document(data[:1001] if data[1000] >= 0x80 else data[:1000] + "字".encode()[:1])
    assert caught.value.code == "truncated"
