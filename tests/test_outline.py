import pytest

from fzcheck.engine.check import from_text
from fzcheck.engine.outline import split_sentences
from fzcheck.zhtext import find_heading


def roles(doc):
    return [(s.marker + s.heading, s.role) for s in doc.root.children]


def sentence_role(doc, fragment):
    for s in doc.sentences:
        if fragment in s.text:
            return s.role
    raise AssertionError(f"no sentence with {fragment!r}")


@pytest.mark.parametrize("line, rank", [
    ("一、主要举措和成效", 1), ("二．存在问题", 1), ("三,下一步", 1), ("十、其他", 1),
    ("（一）加强领导", 2), ("(二)加强领导", 2), ("㈢加强领导", 2),
    ("1.建立制度", 3), ("2、建立制度", 3), ("（1）细项", 4), ("⑵细项", 4), ("①小项", 5),
    ("第一部分 工作情况", 0),
])
def test_outline_markers(line, rank):
    from fzcheck.engine.normalize import normalize_text

    found = find_heading(normalize_text(line))
    assert found is not None and found[1] == rank


@pytest.mark.parametrize("line", ["一是加强领导。", "2021年,我镇开展工作。", "12.4宪法日宣传", "1.5万元资金",
                                  "十九届六中全会精神"])
def test_not_headings(line):
    assert find_heading(line) is None


def test_five_part_report_roles(ruleset):
    doc = from_text(
        "某镇2021年法治政府建设年度报告\n2021年，我镇做了工作。\n"
        "一、2021年度推进法治政府建设的主要举措和成效\n（一）组织领导。成立领导小组。\n"
        "二、2021年度党政主要负责人履行推进法治建设第一责任人职责情况\n亲自部署。\n"
        "三、2021年度推进法治政府建设存在的主要问题\n执法力量不足。\n"
        "四、2022年度推进法治政府建设的主要安排\n继续努力。\n"
        "五、其他需要报告的情况\n无。", ruleset)
    assert [r for _, r in roles(doc)] == ["achievements", "first_responsible", "shortcomings", "next_year", "other"]
    assert sentence_role(doc, "我镇做了工作") == "preamble"
    assert doc.year == 2021


def test_thematic_headings_before_problems_are_achievements_and_repeated_numbers_do_not_break(ruleset):
    doc = from_text(
        "蒲场镇2024年法治政府建设工作报告\n一、提高政治站位，强化组织领导\n内容。\n二、推进民主法治机制\n内容。\n"
        "三、加强依法治理，维护社会稳定\n内容。\n三、存在的问题\n问题。\n四、下一步打算\n打算。", ruleset)
    assert [r for _, r in roles(doc)] == ["achievements"] * 3 + ["shortcomings", "next_year"]


def test_next_year_heading_is_recognised_by_its_year(ruleset):
    doc = from_text("巴彦县洼兴镇2021年度法治政府建设情况\n一、推进法治政府建设的主要举措和成效。\n内容。\n"
                    "二、推进法治政府建设存在的不足和原因\n不足。\n三、2022年推进法治政府建设的工作举措\n举措。", ruleset)
    assert [r for _, r in roles(doc)] == ["achievements", "shortcomings", "next_year"]


def test_combined_heading_is_split_by_content(ruleset):
    doc = from_text(
        "xx县2020年法治政府建设工作报告\n一、工作开展情况\n（一）加强领导。成立了领导小组。\n"
        "二、存在的问题和下一步工作打算\n虽然取得了成绩，但还存在不足，主要表现在：一是法律顾问工作滞后。"
        "下一步，我县将重点抓好以下工作：\n（一）进一步提高依法行政能力。严格落实学法制度。\n"
        "（二）进一步健全决策机制。推行公众参与。", ruleset)
    top = doc.root.children
    assert top[1].combined and top[1].role == "shortcomings"
    assert sentence_role(doc, "法律顾问工作滞后") == "shortcomings"
    assert sentence_role(doc, "严格落实学法制度") == "next_year"
    assert sentence_role(doc, "推行公众参与") == "next_year"


def test_subheading_naming_problems_inside_work_part(ruleset):
    doc = from_text("某县2022年法治政府建设工作报告\n一、2022年工作情况\n（一）加强领导。成立领导小组。\n"
                    "（二）存在的问题\n法律顾问作用发挥不够。\n二、2023年工作安排\n继续。", ruleset)
    assert sentence_role(doc, "成立领导小组") == "achievements"
    assert sentence_role(doc, "法律顾问作用发挥不够") == "shortcomings"


def test_nesting_follows_markers_used(ruleset):
    # no 一、 parts at all: （一） parts are the top level
    doc = from_text("某局2022年法治政府建设报告\n（一）主要举措和成效\n1.建立制度。\n2.落实制度。\n"
                    "（二）存在的不足\n不足。\n（三）下一步打算\n打算。", ruleset)
    assert [r for _, r in roles(doc)] == ["achievements", "shortcomings", "next_year"]
    assert [c.heading for c in doc.root.children[0].children] == ["建立制度", "落实制度"]


def test_mangled_subheading_numbers_still_open_sections(ruleset):
    doc = from_text("xxxx年,xx縣政府報告如下:\n一、工作開展情況\n。ㄒ唬┘訌娊M織領導,夯實基礎。成立了領導小組。\n"
                    "。ǘ┘訌姺ㄖ茖彶,規範程序。內容。\n二、存在的問題和下一步工作打算\n不足。", ruleset)
    subs = doc.root.children[0].children
    assert len(subs) == 2 and subs[0].marker.startswith("(一)")
    assert doc.year is None and doc.year_source == "placeholder"


def test_markdown_headings(ruleset):
    doc = from_text("# 某镇2023年法治政府建设年度报告\n\n## 一、主要举措和成效\n成立了领导小组。\n"
                    "## 二、存在的不足\n不足。\n## 三、下一步打算\n继续。", ruleset)
    assert [r for _, r in roles(doc)] == ["achievements", "shortcomings", "next_year"]


def test_heading_that_is_a_whole_sentence_keeps_its_body_in_the_section(ruleset):
    doc = from_text("某镇2023年报告\n（一）落实组织保障。我镇成立了法治建设工作领导小组。", ruleset)
    sec = doc.root.children[0]
    assert sec.heading == "落实组织保障"
    assert any(s.section is sec and "领导小组" in s.text and not s.is_heading for s in doc.sentences)


def test_sentences_split_on_enumeration_runs():
    parts = [t for _, t in split_sentences("全面公开,全程监督;二是深入开展宣传,三是培训。最后一句")]
    assert parts == ["全面公开,全程监督;", "二是深入开展宣传", "三是培训。", "最后一句"]
