"""Writing rules without Python: examples (`fzcheck rules test`), a province's own rule set
end to end, and patterns that can never hang a check."""
from __future__ import annotations

import json
import textwrap
import time
from pathlib import Path

from click.testing import CliRunner

from fzcheck.app.cli import cli
from fzcheck.rules.load import collect_problems, load_ruleset
from fzcheck.rules.patterns import PATTERN_TIMEOUT

ROOT = Path(__file__).resolve().parents[1]
PROVINCE = ROOT / "examples" / "province-extra.yaml"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def doc_of(res):
    return json.loads(res.stdout)["documents"][0]


def result(doc, rule_id):
    return next(r for r in doc["results"] if r["id"] == rule_id)


# -------------------------------------------------------------------- examples
def test_every_rule_of_the_default_set_has_pass_and_fail_examples():
    rs = load_ruleset()
    for rule in rs.rules:
        assert rule.examples.get("pass") and rule.examples.get("fail"), rule.id
    for name, ov in rs.profiles.items():
        for raw in ov.get("add") or []:
            assert raw["examples"]["pass"] and raw["examples"]["fail"], (name, raw["id"])




def test_rules_test_command_exits_0_on_the_default_set():
    res = run("rules", "test")
    assert res.exit_code == 0, res.output
    assert res.output.strip().endswith("0 failed")


def test_a_wrong_example_prints_a_line_with_its_place_and_exits_1(tmp_path):
    p = tmp_path / "mine.yaml"
    p.write_text(textwrap.dedent("""\
        id: mine
        version: "1"
        rules:
          - id: advisor
            title: 法律顾问
            severity: required
            weight: 1
            evidence:
              - any: ['法律顾问']
            examples:
              pass:
                - 聘请了常年法律顾问。
              fail:
                - 为困难群众提供法律援助32件。
                - 聘请律师事务所担任法律顾问。
    """), encoding="utf-8")
    res = run("rules", "test", p)
    assert res.exit_code == 1
    lines = res.output.strip().splitlines()
    assert lines[-1] == "2 passed, 1 failed"
    assert lines[0] == (f"{p}:15:11: rule 'advisor': fail example: expected not pass, got pass: "
                        "聘请律师事务所担任法律顾问。")


# -------------------------------------------------------------------- a province's rule set
def test_province_rule_set_validates_and_passes_its_examples():
    assert collect_problems(str(PROVINCE)) == []
    res = run("rules", "test", PROVINCE)
    assert res.exit_code == 0, res.output
    rs = load_ruleset(str(PROVINCE))
    assert rs.threshold == 70
    assert rs.rule("province.business-environment").severity == "required"
    assert rs.rule("shufa").severity == "required"  # its overrides
    assert len(rs.rules) == len(load_ruleset().rules) + 1
    assert set(rs.profiles) == {"township", "county", "department"}  # inherited


def test_province_rule_set_changes_the_result_of_a_seed_report(seeds_dir):
    report = seeds_dir / "zhaohua-town-2021.txt"
    base = doc_of(run("check", "--format", "json", report))
    prov = doc_of(run("check", "--format", "json", "-r", PROVINCE, report))
    assert prov["threshold"] == 70 and base["threshold"] == 60
    assert result(prov, "province.business-environment")["status"] == "fail"
    assert prov["score"] < base["score"]
    assert not prov["passed"]
    assert "province.business-environment" not in {r["id"] for r in base["results"]}


def test_province_rule_set_turns_a_passing_report_into_a_failing_one(sample_path):
    assert run("check", sample_path).exit_code == 0
    res = run("check", "-r", PROVINCE, sample_path)
    assert res.exit_code == 1
    assert "法治化营商环境" in res.output


def test_error_planted_in_the_province_rule_set_is_reported_at_its_line(tmp_path):
    text = PROVINCE.read_text(encoding="utf-8")
    bad = tmp_path / "province.yaml"
    bad.write_text(text.replace("    severity: required\n    weight: 5", "    severity: required\n    weigth: 5"),
                   encoding="utf-8")
    line = next(n for n, s in enumerate(bad.read_text(encoding="utf-8").splitlines(), 1) if "weigth" in s)
    res = run("rules", "validate", bad)
    assert res.exit_code == 2
    assert f"{bad}:{line}:5: rule 'province.business-environment': unknown key 'weigth'" in res.output
    bad.write_text(text.replace("shufa: {severity: required}", "shufa: {severity: required, weight: -1}"),
                   encoding="utf-8")
    line = next(n for n, s in enumerate(bad.read_text(encoding="utf-8").splitlines(), 1) if "weight: -1" in s)
    (prob,) = collect_problems(str(bad))
    assert prob.line == line and "-1 is less than the minimum of 0" in prob.message


# -------------------------------------------------------------------- safe patterns
def _slow_rules(tmp_path: Path, pattern: str, where: str = "rule") -> Path:
    p = tmp_path / "slow.yaml"
    if where == "rule":
        body = f"""\
            rules:
              - id: province.slow
                title: 慢规则
                severity: recommended
                weight: 1
                evidence:
                  - any: ['{pattern}']
        """
    else:
        body = f"""\
            context:
              plan: ['{pattern}']
        """
    p.write_text("id: slow\nversion: '1'\nextends: annual-report\n" + textwrap.dedent(body), encoding="utf-8")
    return p


def test_catastrophic_pattern_ends_within_the_time_limit_naming_the_rule(tmp_path):
    rules = _slow_rules(tmp_path, "(a+)+$")
    report = tmp_path / "long.txt"
    report.write_text("某镇2023年法治政府建设年度报告\n" + "a" * 5000 + "。\n", encoding="utf-8")
    start = time.monotonic()
    res = run("check", "-r", rules, report)
    took = time.monotonic() - start
    assert res.exit_code == 2
    assert "rule 'province.slow'" in res.output and "'(a+)+$'" in res.output and "took longer than" in res.output
    assert "Traceback" not in res.output
    assert took < PATTERN_TIMEOUT + 3, took


def test_slow_context_pattern_is_bounded_too(tmp_path):
    rules = _slow_rules(tmp_path, "(x+x+)+y", where="context")
    report = tmp_path / "long.txt"
    report.write_text("某镇2023年法治政府建设年度报告\n一、主要举措和成效\n聘请了常年法律顾问" + "x" * 3000 + "。\n", encoding="utf-8")
    start = time.monotonic()
    res = run("check", "-r", rules, report)
    assert res.exit_code == 2
    assert "context.plan" in res.output and "took longer than" in res.output
    assert time.monotonic() - start < PATTERN_TIMEOUT + 3
