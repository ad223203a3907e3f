"""Rule examples are the rules' specification: one parametrised runner over every example
of the shipped set and of the engine's own test rule set; the examples fail, naming the
expected finding, when a rule loses its look-alikes or its plan handling; the rule file a
legal officer edits (words, look-alikes, explain by title, the generated reference); YAML
errors at the line where they began; validate lists every problem in one run."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from fzcheck.app.cli import cli
from fzcheck.engine.examples import LISTS, failures, judge, parse_example, rule_result, run_examples
from fzcheck.render.rulesdoc import find_rule, reference_markdown
from fzcheck.rules.load import collect_problems, load_ruleset

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "rules" / "annual-report.yaml"
ENGINE = Path(__file__).resolve().parent / "rules" / "engine.yaml"


def _cases():
    for path in (SHIPPED, ENGINE):
        rs = load_ruleset(str(path))
        targets = [(rs, r, None) for r in rs.rules]
        for name, ov in rs.profiles.items():
            derived = rs.with_profile(name)
            targets += [(derived, derived.rule(raw["id"]), name) for raw in ov.get("add") or []]
        for ruleset, rule, profile in targets:
            for kind in LISTS:
                for n, raw in enumerate(rule.examples.get(kind) or []):
                    marks = [pytest.mark.xfail(reason="todo: a known miss", strict=False)] if kind == "todo" else []
                    yield pytest.param(ruleset, rule, kind, raw, marks=marks,
                                       id=f"{path.stem}/{profile + ':' if profile else ''}{rule.id}/{kind}/{n}")


@pytest.mark.parametrize("ruleset, rule, kind, raw", list(_cases()))
def test_example(ruleset, rule, kind, raw):
    example = parse_example(raw)
    ok, expected, got = judge(example, kind, rule_result(ruleset, rule, example.text))
    assert ok, f"expected {expected}, got {got}"


ELEMENT_NEEDS = {"plan_only", "problem_only", "negated", "missing"}


def test_every_element_rule_has_done_plan_problem_lacking_and_look_alike_examples():
    rs = load_ruleset(str(SHIPPED))
    rules = list(rs.rules) + [rs.with_profile(n).rule(r["id"]) for n, ov in rs.profiles.items()
                              for r in ov.get("add") or []]
    for rule in rules:
        if rule.kind != "element" or rule.group == "structure":
            continue
        wants = {parse_example(x).expect for x in rule.examples.get("fail") or []}
        wants |= {s for x in rule.examples.get("fail") or [] for s in parse_example(x).items.values()}
        assert rule.examples.get("pass"), rule.id
        assert ELEMENT_NEEDS <= wants, (rule.id, ELEMENT_NEEDS - wants)


def _copy_without(tmp_path, rule_id, change):
    data = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    rule = next(r for r in data["rules"] if r["id"] == rule_id)
    change(rule)
    p = tmp_path / "changed.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_ruleset(str(p))


@pytest.mark.parametrize("rule_id", ["legal-advisor", "leading-group", "first-responsible-duty"])
def test_removing_the_look_alikes_fails_an_example_naming_the_finding(tmp_path, rule_id):
    def drop(rule):
        for m in rule["evidence"]:
            for key in ("mask", "look_alikes", "look_alike_patterns"):
                m.pop(key, None)
    bad = failures(run_examples(_copy_without(tmp_path, rule_id, drop), {rule_id}, profiles=False))
    assert bad, rule_id
    assert any("expected missing" in o.describe() for o in bad), [o.describe() for o in bad]


@pytest.mark.parametrize("rule_id", ["legal-advisor", "leading-group", "shufa", "discretion-benchmark"])
def test_removing_the_plan_handling_fails_an_example_naming_the_finding(tmp_path, rule_id):
    def no_plan(rule):
        for m in rule["evidence"]:
            m["plan"] = False
    bad = failures(run_examples(_copy_without(tmp_path, rule_id, no_plan), {rule_id}, profiles=False))
    assert any("expected plan_only, got" in o.describe() for o in bad), [o.describe() for o in bad]


def test_the_synonym_and_its_look_alike_are_two_plain_lines():
    raw = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    advisor = next(r for r in raw["rules"] if r["id"] == "legal-advisor")["evidence"][0]
    assert "律师顾问" in advisor["words"] and "村律师顾问" in advisor["look_alikes"]
    text = SHIPPED.read_text(encoding="utf-8")
    assert "\n          - 律师顾问\n" in text and "\n          - 村律师顾问\n" in text
    texts = [parse_example(x).text for k in LISTS for x in load_ruleset().rule("legal-advisor").examples.get(k) or []]
    assert any("聘请律师顾问" in t for t in texts) and any("村律师顾问" in t for t in texts)


def test_words_are_escaped_and_give_the_same_hits_as_the_pattern(tmp_path):
    p = tmp_path / "w.yaml"
    p.write_text(textwrap.dedent("""\
        id: w
        version: "1"
        rules:
          - id: a
            title: A
            severity: required
            weight: 1
            evidence:
              - words: ['a.b（c）', '全程记录']
            examples:
              pass: ['做了a.b（c）。', '全程记录。']
              fail: [{missing: 'axb（c）。'}]
    """), encoding="utf-8")
    assert not failures(run_examples(load_ruleset(str(p))))


def test_rules_test_reports_the_expected_finding_at_its_line(tmp_path):
    p = tmp_path / "mine.yaml"
    p.write_text(ENGINE.read_text(encoding="utf-8").replace(
        "- negated: 我镇尚未建立甲机制。", "- plan_only: 我镇尚未建立甲机制。"), encoding="utf-8")
    res = CliRunner().invoke(cli, ["rules", "test", str(p)])
    assert res.exit_code == 1
    line = next(x for x in res.output.splitlines() if "expected plan_only" in x)
    assert line.startswith(f"{p}:24:11: rule 'widget': fail example: expected plan_only, got negated")
    assert "todo example (known miss)" in res.output  # todo is listed, never failing


# ---------------------------------------------------------------------------- explain, reference
def test_explain_takes_a_chinese_title_and_shows_words_never_regex():
    res = CliRunner().invoke(cli, ["explain", "法律顾问"])
    assert res.exit_code == 0, res.output
    assert res.output.startswith("法律顾问（公职律师）制度 (legal-advisor)")
    assert "算作证据的说法: 法律顾问、公职律师、律师顾问" in res.output
    assert "村律师顾问" in res.output and "[^" not in res.output and "{0," not in res.output
    en = CliRunner().invoke(cli, ["explain", "leading-group", "--lang", "en"]).output
    assert "words that count" in en and "[^" not in en and "(?" not in en
    assert find_rule(load_ruleset(), "Legal advisor (public lawyer) system").id == "legal-advisor"


def test_rules_reference_is_current():
    current = (ROOT / "rules" / "README.md").read_text(encoding="utf-8")
    assert current == reference_markdown(load_ruleset()), \
        "rules/README.md is stale: python -m fzcheck rules doc > rules/README.md"


# ---------------------------------------------------------------------------- YAML errors, validate
def test_unclosed_bracket_is_reported_where_it_began(tmp_path):
    p = tmp_path / "r.yaml"
    p.write_text('id: x\nversion: "1"\nrules: []\ndisable: [a, b\n', encoding="utf-8")
    (prob,) = collect_problems(str(p))
    assert str(prob).startswith(f"{p}:4:10: ") and "'[' opened here is not closed" in prob.message
    assert "line 5" in prob.message
    p.write_text('id: x\nversion: "1"\ntitle: "abc\nrules: []\n', encoding="utf-8")
    (prob,) = collect_problems(str(p))
    assert str(prob).startswith(f"{p}:3:8: ") and "quote opened here" in prob.message


def test_validate_lists_schema_and_semantic_problems_in_one_run(tmp_path):
    p = tmp_path / "r.yaml"
    p.write_text(textwrap.dedent("""\
        id: bad
        version: "1"
        extends: annual-report
        disable: [legal-advisr]
        rules:
          - id: x
            title: X
            severity: sometimes
            weight: 1
            evidence:
              - any: ['(unclosed']
    """), encoding="utf-8")
    messages = [p.message for p in collect_problems(str(p))]
    assert any("did you mean 'legal-advisor'" in m for m in messages)
    assert any("sometimes" in m for m in messages)
    assert any("does not compile" in m for m in messages)
