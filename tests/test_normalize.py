from fzcheck.model import Paragraph, RawDocument
from fzcheck.engine.normalize import is_noise, normalize_document, normalize_text, repair_shifted_heading


def test_full_width_ascii_and_spaces_are_folded():
    assert normalize_text("　　２０２１年（一）ＡＢ") == "2021年(一)AB"


def test_spaces_between_chinese_characters_are_removed_but_not_between_words():
    assert normalize_text("报   告") == "报告"
    assert normalize_text("Produced  By x") == "Produced By x"


def test_traditional_is_converted_to_simplified():
    assert normalize_text("縣政府認真貫徹落實《法治政府建設實施綱要》") == "县政府认真贯彻落实《法治政府建设实施纲要》"


def test_pinyin_annotations_after_characters_are_removed():
    assert normalize_text("執(zhí)法工作,鄉(xiāng)鎮(zhèn)") == "执法工作,乡镇"
    # a parenthesised latin word without tone marks is kept
    assert normalize_text("系统(abc)") == "系统(abc)"


def test_word_bookmarks_are_removed():
    assert normalize_text("[bookmark: _GoBack]关于报送") == "关于报送"


def test_gbk_shifted_outline_numbers_are_repaired():
    # （一） encoded as GBK and read one byte late
    assert normalize_text("。ㄒ唬┘訌娊M織領導").startswith("(一)")
    fixed = repair_shifted_heading("。ㄎ澹┘讧娬")
    assert fixed is not None and fixed[0] == "（五）"
    # an ordinary sentence that starts with a full stop is left alone
    assert repair_shifted_heading("。我们继续") is None


def test_page_chrome_is_recognised_and_body_text_is_not():
    for line in ["分享到:", "关闭窗口", "主办:重庆市合川区人民政府办公室", "网站标识码:5001170002",
                 "发布时间: 2025-03-14 08:35 字体:[]", "来源:网络整理免责声明:本文仅限学习分享", "Produced By 大汉网络"]:
        assert is_noise(normalize_text(line)), line
    for line in ["一、主要举措和成效", "通过微信公众号发布普法信息200条。", "地方性法规清理"]:
        assert not is_noise(normalize_text(line)), line


def test_noise_is_set_aside_and_locations_follow_the_original_lines():
    raw = RawDocument("x.txt", [Paragraph("關閉窗口", [(0, {"line": 3})]),
                                Paragraph("　　一、工作開展情況", [(0, {"line": 7})])])
    paragraphs, noise = normalize_document(raw)
    assert [p.text for p in paragraphs] == ["一、工作开展情况"]
    assert paragraphs[0].location_at(0) == {"line": 7}
    assert noise == ["关闭窗口"]


def test_locations_are_remapped_through_removed_text():
    # a paragraph joined from two lines (as a PDF reader makes): offsets after a removed
    # pinyin annotation must still map to the second line
    text = "執(zhí)法工作。第二行的内容"
    split = text.index("第二行")
    raw = RawDocument("x.pdf", [Paragraph(text, [(0, {"page": 1, "line": 1}), (split, {"page": 1, "line": 2})])])
    (par,), _ = normalize_document(raw)
    assert par.text == "执法工作。第二行的内容"
    assert par.location_at(par.text.index("第二行")) == {"page": 1, "line": 2}
    assert par.location_at(0) == {"page": 1, "line": 1}


def test_normalizing_twice_changes_nothing():
    for s in ["執(zhí)法（一）　ＡＢ  报   告", "。ㄒ唬┘訌娊M織", "[bookmark: x]發(fā)布"]:
        once = normalize_text(s)
        assert normalize_text(once) == once
