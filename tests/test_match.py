"""Matching: what counts as done, and the traps a reviewer knows, through a whole report.
What each rule counts (its look-alikes, items, collective names, figures, placeholders) is
specified by the rule's own examples in rules/annual-report.yaml (tests/test_rule_spec.py
runs them); the engine's reading on made-up words is in tests/rules/engine.yaml."""
from tests.helpers import check_text, result_of

HEAD = "某镇2023年法治政府建设年度报告\n"
PARTS = ("一、2023年度主要举措和成效\n{done}\n二、存在的不足和原因\n{problem}\n"
         "三、2024年工作安排\n{plan}\n")


def report(done="做了工作。", problem="有不足。", plan="继续努力。"):
    return HEAD + PARTS.format(done=done, problem=problem, plan=plan)


def finding(ruleset, text, rule):
    r = result_of(check_text(text, ruleset), rule)
    return r.finding, r.status


def test_done_in_achievements(ruleset):
    assert finding(ruleset, report(done="聘请律师事务所为常年法律顾问，出具法律意见书5件。"), "legal-advisor") == ("pass", "pass")


def test_plan_part_only_is_plan_only(ruleset):
    assert finding(ruleset, report(plan="进一步发挥法律顾问作用。"), "legal-advisor") == ("plan_only", "fail")


def test_problem_part_only_is_problem_only(ruleset):
    text = report(problem="更多依赖于法律顾问的合法性“兜底”。", plan="发挥法律顾问作用。")
    assert finding(ruleset, text, "legal-advisor") == ("problem_only", "fail")


def test_concessive_clause_in_problem_part_is_done(ruleset):
    text = report(problem="虽然聘请了法律顾问，但作用发挥不够。")
    assert finding(ruleset, text, "legal-advisor") == ("pass", "pass")


def test_lacking_clause_is_negated(ruleset):
    assert finding(ruleset, report(done="我镇尚未聘请法律顾问。"), "legal-advisor") == ("negated", "fail")


def test_done_beats_lacking(ruleset):
    text = report(done="聘请了法律顾问。法律顾问长效机制没有形成。")
    assert finding(ruleset, text, "legal-advisor") == ("pass", "pass")


def test_plan_language_inside_work_part_is_a_plan(ruleset):
    text = report(done="下一步，我镇将建立法治建设领导小组。")
    assert finding(ruleset, text, "leading-group") == ("plan_only", "fail")


def test_object_marker_jiang_is_not_plan_language(ruleset):
    text = report(done="将履行推进法治建设第一责任人职责情况纳入年终述职。")
    assert finding(ruleset, text, "shufa") == ("pass", "pass")


def test_quoted_title_is_not_a_deed(ruleset):
    text = report(done="认真学习《关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的指导意见》。")
    r = result_of(check_text(text, ruleset), "enforcement-systems")
    assert r.status == "fail"
    assert all(i.status == "missing" for i in r.items)














def test_evidence_points_at_the_input_line(ruleset):
    res = check_text(report(done="第一句。\n成立了法治建设领导小组。"), ruleset)
    ev = result_of(res, "leading-group").evidence[0]
    assert ev.line == 4 and ev.role == "achievements" and "领导小组" in ev.match
    assert ev.section.startswith("一、2023年度主要举措和成效")


def test_report_without_headings_is_read_as_the_years_work(ruleset):
    res = check_text("2023年，我镇成立了法治建设领导小组，聘请了常年法律顾问。", ruleset)
    assert result_of(res, "leading-group").status == "pass"
    assert result_of(res, "structure.achievements").status == "fail"
