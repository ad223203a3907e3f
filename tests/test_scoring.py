from fzcheck.engine.check import gate, score
from fzcheck.model import RuleResult
from tests.helpers import check_text, result_of


def rr(rid, status, credit, weight, severity="recommended"):
    return RuleResult(rid, {"zh": rid}, severity, weight, status, credit, status, [], [], [], "", "", [])


def test_score_is_weighted_credit_over_applicable_weights():
    results = [rr("a", "pass", 1.0, 10), rr("b", "partial", 0.5, 20), rr("c", "fail", 0.0, 10),
               rr("d", "not_applicable", 0.0, 60)]
    assert score(results) == round(100 * (10 + 10) / 40, 1)


def test_gate_fails_on_required_failure_even_with_high_score():
    results = [rr("a", "pass", 1.0, 95), rr("b", "fail", 0.0, 5, "required")]
    assert score(results) == 95.0
    assert gate(results, 95.0, 60) is False
    assert gate([rr("a", "pass", 1.0, 95), rr("b", "partial", 0.5, 5, "required")], 97.5, 60) is True
    assert gate([rr("a", "partial", 0.5, 100)], 50.0, 60) is False


def test_weights_and_grades_come_from_the_rule_set(ruleset):
    assert sum(r.weight for r in ruleset.rules) == 100
    assert ruleset.grade(90)["zh"] == "优秀" and ruleset.grade(89.9)["zh"] == "良好"
    assert ruleset.grade(60)["zh"] == "合格" and ruleset.grade(59.9)["zh"] == "不合格"
    assert ruleset.threshold == 60


def test_mission_elements_and_regulation_parts_are_required(ruleset):
    required = {r.id for r in ruleset.rules if r.severity == "required"}
    assert {"leading-group", "major-decisions", "legal-advisor", "enforcement-systems", "first-responsible-duty",
            "structure.achievements", "structure.shortcomings", "structure.causes", "structure.first-responsible",
            "structure.next-year"} <= required


def test_rules_before_their_year_are_not_applicable_and_leave_the_denominator(ruleset):
    text = ("某镇2018年法治政府建设工作报告\n一、主要举措和成效\n成立了法治建设领导小组。\n"
            "二、存在的问题\n不足。\n三、2019年工作安排\n继续。")
    res = check_text(text, ruleset)
    assert result_of(res, "xi-thought-study").status == "not_applicable"
    assert result_of(res, "structure.first-responsible").status == "not_applicable"
    applicable = [r for r in res.results if r.status != "not_applicable"]
    total = sum(r.weight for r in applicable)
    assert res.score == round(100 * sum(r.weight * r.credit for r in applicable) / total, 1)


def test_fail_under_overrides_the_threshold(sample_path, ruleset):
    text = sample_path.read_text(encoding="utf-8")
    assert check_text(text, ruleset).passed
    strict = check_text(text, ruleset, fail_under=99.5)
    assert not strict.passed and strict.threshold == 99.5


def test_publication_deadline(ruleset):
    base = "某镇2023年法治政府建设年度报告\n{date}\n2023年，我镇做了工作。"
    assert result_of(check_text(base.format(date="发布时间：2024-04-01"), ruleset), "publication-deadline").status == "pass"
    assert result_of(check_text(base.format(date="发布时间：2024-04-02"), ruleset), "publication-deadline").status == "fail"
    assert result_of(check_text(base.format(date=""), ruleset), "publication-deadline").status == "not_applicable"


def test_year_consistency_flags_wrong_plan_year_and_anachronisms(ruleset):
    ok = "某镇2023年报告\n一、2023年度主要举措和成效\n做了。\n二、2024年工作安排\n继续。"
    assert result_of(check_text(ok, ruleset), "year-consistency").status == "pass"
    bad = ok.replace("2024年工作安排", "2023年工作安排")
    assert result_of(check_text(bad, ruleset), "year-consistency").status == "fail"
    old = "某镇2019年报告\n一、主要举措和成效\n深入学习习近平法治思想。"
    r = result_of(check_text(old, ruleset), "year-consistency")
    assert r.status == "fail" and "2020" in r.message
