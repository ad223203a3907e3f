"""Words that mean what they say (issue 12, item 2): status words per rule kind, "未提及" only
when nothing close was found, every summary says why a report fails the gate, info rules
never weigh nor fail and are shown apart, a profile changes only what it names and a
province's explicit override beats a profile."""
from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest

from fzcheck.engine.check import check_path, from_text, check_document, score
from fzcheck.model import FAIL, PASS, replace
from fzcheck.render import Report, render
from fzcheck.render.common import gate_reason, rule_status_text
from fzcheck.render.summary import render_summary
from fzcheck.rules.load import load_ruleset


@pytest.fixture(scope="module")
def template(ruleset, seeds_dir):
    return check_path(str(seeds_dir / "xx-county-template-traditional.txt"), ruleset)


def _rule(d, rid):
    return next(r for r in d.results if r.id == rid)


def test_placeholders_found_read_as_found_not_missing(ruleset, template):
    r = _rule(template, "placeholders")
    assert r.status == FAIL and r.kind == "absence"
    assert rule_status_text(r, "zh") == "不符合" and re.fullmatch(r"发现\d+处", r.message)
    report = Report(ruleset.id, ruleset.version, [template])
    text = render(report, "text")
    line = next(ln for ln in text.splitlines() if "(placeholders)" in ln)
    assert "不符合" in line and "缺失" not in line
    md = render(report, "markdown")
    assert re.search(r"\(`placeholders`\) — 不符合", md)
    html = render(report, "html")
    row = re.search(r'data-rule="placeholders">(.*?)</tr>', html).group(1)
    assert "不符合" in row and "缺失" not in row.split("</td>")[0]
    junit = ET.fromstring(render(report, "junit"))
    case = next(c for c in junit.iter("testcase") if c.get("name").startswith("placeholders "))
    assert case.find("failure").get("message").startswith("不符合")
    assert rule_status_text(r, "en") == "violated"


def test_not_mentioned_only_when_nothing_close(ruleset, template, seeds_dir):
    for seed in sorted(seeds_dir.glob("*.txt")):
        d = check_path(str(seed), ruleset)
        for r in d.results:
            for item in r.items:
                if item.status == "missing" and item.why_not is not None and item.why_not.evidence is not None:
                    assert "未提及" not in r.message.split(item.title["zh"])[1][:12], (seed.name, r.id, item.id)
            if r.why_not is not None and r.why_not.evidence is not None:
                assert r.message != "报告未提及", (seed.name, r.id)


def test_every_output_says_why_a_report_fails(ruleset, template, sample_path):
    why = gate_reason(template, "zh")
    assert why.startswith("必备项缺失：") and "得分49低于门槛60" in why
    good = check_path(str(sample_path), ruleset)
    assert good.passed and gate_reason(good, "zh") == ""
    # a good score that fails on a required rule only: the reason names the rule, not the score
    strict = replace(good, passed=False, results=[replace(r, status=FAIL) if r.id == "legal-advisor" else r
                                                  for r in good.results])
    assert gate_reason(strict, "zh") == "必备项缺失：法律顾问（公职律师）制度"
    report = Report(ruleset.id, ruleset.version, [template, good])
    assert f"未通过原因: {why}" in render(report, "text")
    assert why in render(report, "markdown").replace("\\", "")
    assert why in render(report, "html")
    for fmt in ("text", "markdown", "html"):
        assert why in render_summary(report, fmt).replace("\\", ""), fmt
    assert '<td class="why" title="' + why + '">缺6项必备；分数低于60</td>' in render_summary(report, "html")
    rows = list(csv.reader(io.StringIO(render_summary(report, "csv")[1:])))
    assert rows[1][10] == "why_fail" and rows[2][10] == "" and rows[3][10] == why
    data = json.loads(render_summary(report, "json"))
    assert {r["why_fail"] for r in data["rows"]} == {why, ""}
    suites = ET.fromstring(render(report, "junit")).findall("testsuite")
    props = {p.get("name"): p.get("value") for p in suites[0].iter("property")}
    assert props["why_fail"] == why


def test_info_rules_never_weigh_never_fail_and_are_shown_apart(ruleset, sample_path):
    d = check_path(str(sample_path), ruleset)
    notes = [r for r in d.results if r.info]
    assert notes
    # however a rule set or profile weighs an info rule, the score is the same
    heavy = [replace(r, weight=50.0, status=FAIL, credit=0.0) if r.info else r for r in d.results]
    assert score(heavy) == score(d.results) == d.score
    text = render(Report(ruleset.id, ruleset.version, [d]), "text")
    head, _, tail = text.partition("提示项（不计分，不影响结论）:")
    assert tail and all(f"({r.id})" in tail and f"({r.id})" not in head for r in notes)
    junit = ET.fromstring(render(Report(ruleset.id, ruleset.version, [replace(d, results=heavy)]), "junit"))
    for case in junit.iter("testcase"):
        rid = case.get("name").split(" ", 1)[0]
        if any(r.id == rid for r in notes):
            assert case.find("skipped") is not None and case.find("failure") is None
    sarif = json.loads(render(Report(ruleset.id, ruleset.version, [replace(d, results=heavy)]), "sarif"))
    assert not {x["ruleId"] for x in sarif["runs"][0]["results"]} & {r.id for r in notes}


def test_township_profile_info_rule_does_not_count(ruleset, sample_path):
    """The township profile makes normative documents info (weight 2): it never weighs."""
    from fzcheck.engine.check import Options

    d = check_path(str(sample_path), ruleset, Options(profile="township"))
    nd = _rule(d, "normative-documents")
    assert nd.info
    flipped = [replace(r, status=PASS if r.status == FAIL else FAIL, credit=1 - r.credit) if r.info else r
               for r in d.results]
    assert score(flipped) == d.score


def test_profile_changes_only_what_it_names(ruleset):
    county = ruleset.with_profile("county")
    base = ruleset.rule("xi-thought-study")
    assert county.rule("xi-thought-study").severity == "required"  # the profile says so
    assert county.rule("xi-thought-study").weight == base.weight  # it says nothing of the weight


def test_province_override_beats_the_profile(tmp_path, sample_path):
    province = tmp_path / "province.yaml"
    province.write_text(
        "id: p\nversion: '1'\nextends: annual-report\n"
        "overrides:\n  rules:\n    normative-documents: {severity: required, weight: 5}\n", encoding="utf-8")
    rs = load_ruleset(str(province))
    assert rs.rule("normative-documents").severity == "required"
    township = rs.with_profile("township")
    rule = township.rule("normative-documents")
    # the township profile says {severity: info, weight: 2}; the province said otherwise explicitly
    assert (rule.severity, rule.weight) == ("required", 5)
    # what the province did not touch, the profile still changes
    assert township.rule("enforcement-systems").severity == "recommended"
    # the shipped set alone: the profile applies as written
    assert load_ruleset().with_profile("township").rule("normative-documents").severity == "info"
