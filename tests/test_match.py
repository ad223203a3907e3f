"""Matching: what counts as done, and the traps a reviewer knows."""
from tests.helpers import check_text, item_of, result_of

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


def test_look_alikes_are_masked(ruleset):
    text = report(done="实现一村（社区）一法律顾问。调整扫黑除恶专项斗争领导小组。严格落实安全生产第一责任人职责。")
    res = check_text(text, ruleset)
    assert result_of(res, "legal-advisor").finding == "missing"
    assert result_of(res, "leading-group").finding == "missing"
    assert result_of(res, "first-responsible-duty").finding == "missing"


def test_items_are_credited_one_by_one(ruleset):
    text = report(done="重大决策均经公众参与和专家论证。", plan="开展风险评估。")
    r = result_of(check_text(text, ruleset), "major-decisions")
    assert r.status == "partial" and abs(r.credit - 0.4) < 1e-9
    assert item_of(r, "public-participation").status == "pass"
    assert item_of(r, "risk-assessment").status == "plan_only"
    assert item_of(r, "collective-discussion").status == "missing"


def test_collective_name_credits_every_item_only_when_done(ruleset):
    done = result_of(check_text(report(done="全面落实重大行政决策“五大”程序。"), ruleset), "major-decisions")
    assert done.status == "pass" and all(i.collective for i in done.items)
    planned = result_of(check_text(report(plan="严格落实重大行政决策五项法定程序。"), ruleset), "major-decisions")
    assert planned.status == "fail"
    assert all(i.status == "missing" for i in planned.items)


def test_legality_review_is_attributed_by_its_object(ruleset):
    text = report(done="对规范性文件进行合法性审查。")
    res = check_text(text, ruleset)
    assert item_of(result_of(res, "major-decisions"), "legality-review").status == "missing"
    assert result_of(res, "normative-documents").status == "pass"
    text = report(done="重大行政决策草案均经合法性审核。")
    assert item_of(result_of(check_text(text, ruleset), "major-decisions"), "legality-review").status == "pass"


def test_three_systems_of_state_enterprises_are_not_enforcement(ruleset):
    text = report(done="深化国有企业三项制度改革。")
    assert result_of(check_text(text, ruleset), "enforcement-systems").status == "fail"


def test_no_case_statement_counts_for_litigation(ruleset):
    text = report(done="自2013年以来，未发生因执法问题而产生的行政复议和行政诉讼案件。")
    assert finding(ruleset, text, "reconsideration-litigation") == ("pass", "pass")


def test_evidence_points_at_the_input_line(ruleset):
    res = check_text(report(done="第一句。\n成立了法治建设领导小组。"), ruleset)
    ev = result_of(res, "leading-group").evidence[0]
    assert ev.line == 4 and ev.role == "achievements" and "领导小组" in ev.match
    assert ev.section.startswith("一、2023年度主要举措和成效")


def test_report_without_headings_is_read_as_the_years_work(ruleset):
    res = check_text("2023年，我镇成立了法治建设领导小组，聘请了常年法律顾问。", ruleset)
    assert result_of(res, "leading-group").status == "pass"
    assert result_of(res, "structure.achievements").status == "fail"


def test_causes_in_heading_only_earn_partial_credit(ruleset):
    r = result_of(check_text(report(problem="执法人员不足。"), ruleset), "structure.causes")
    assert r.status == "partial" and r.credit == 0.5
    r = result_of(check_text(report(problem="执法人员不足，究其原因是编制少。"), ruleset), "structure.causes")
    assert r.status == "pass"


def test_quantified_results_ignore_years_norms_and_document_numbers(ruleset):
    text = report(done="2023年，根据〔2021〕37号文件，确保每人每年接受不少于60学时的培训，落实“五大”程序。")
    assert result_of(check_text(text, ruleset), "quantified-results").status == "fail"
    text = report(done="开展普法活动21场，发放资料2000余份，审查合同12件。")
    assert result_of(check_text(text, ruleset), "quantified-results").status == "pass"


def test_placeholders_fail_when_found(ruleset):
    res = check_text(report(done="共办理行政复议案件xx件。"), ruleset)
    r = result_of(res, "placeholders")
    assert r.status == "fail" and r.evidence[0].match == "xx"
    assert result_of(check_text(report(), ruleset), "placeholders").status == "pass"
