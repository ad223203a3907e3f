"""Markdown, SARIF and JUnit outputs: content, escaping, counts, schema validity."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from fzcheck.engine.check import check_path
from fzcheck.model import FAIL, NOT_APPLICABLE, PARTIAL, WAIVED
from fzcheck.render import FORMATS, Report, render
from fzcheck.render.common import sorted_rules
from tests.helpers import check_text, result_of

SARIF_SCHEMA = Path(__file__).resolve().parents[2] / "shared" / "schemas" / "sarif-schema-2.1.0.json"

HOSTILE = """某镇2023年法治政府建设年度报告
一、2023年度推进法治政府建设的主要举措和成效
成立了法治政府建设领导小组<script>alert(1)</script>|*x*，全年召开会议3次。
二、存在的不足和原因
一是重大行政决策程序不够规范。
三、2024年工作安排
下一步将聘请法律顾问<b>x&y</b>。
"""


@pytest.fixture(scope="module")
def sample_report(ruleset, sample_path):
    return Report(ruleset.id, ruleset.version, [check_path(str(sample_path), ruleset)])


@pytest.fixture(scope="module")
def seed_report(ruleset, seeds_dir):
    docs = [check_path(str(p), ruleset) for p in sorted(seeds_dir.glob("*.txt"))]
    return Report(ruleset.id, ruleset.version, docs, [{"path": "broken.docx", "error": "not a zip file"}])


@pytest.fixture(scope="module")
def hostile(ruleset):
    return Report(ruleset.id, ruleset.version, [check_text(HOSTILE, ruleset)])


def test_formats_registered():
    for name in ("markdown", "sarif", "junit"):
        assert name in FORMATS


# --- Markdown -------------------------------------------------------------------------------------------

def test_markdown_has_score_every_rule_and_failures_first(sample_report):
    d = sample_report.documents[0]
    md = render(sample_report, "markdown")
    assert f"**{d.score:g}**" in md
    assert d.meta["title"] in md and d.meta["unit"] in md
    positions = {r.id: md.index(f"(`{r.id}`)") for r in d.results}
    order = [r.id for r in sorted_rules(d.results)]
    assert sorted(positions, key=positions.get) == order
    bad = [r for r in d.results if r.status in (FAIL, PARTIAL) and not r.info]
    assert bad, "the sample has at least one rule that needs work"
    assert all(positions[b.id] < positions[r.id] for b in bad for r in d.results if r.status not in (FAIL, PARTIAL))
    # info rules apart, after every rule that weighs
    assert all(positions[r.id] < positions[i.id] for i in d.results if i.info for r in d.results if not r.info)
    # a partial rule shows its fix hint and legal basis
    enf = result_of(d, "enforcement-systems")
    assert enf.fix in md and "依据" in md


def test_markdown_escapes_report_text(hostile):
    md = render(hostile, "markdown")
    assert "<script>" not in md
    assert r"\<script\>" in md and r"\|\*x\*" in md


def test_markdown_english(sample_report):
    md = render(sample_report, "markdown", lang="en")
    assert "Coverage by area" in md and "得分" not in md


# --- SARIF ----------------------------------------------------------------------------------------------

def _validate_sarif(doc: dict) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    if not SARIF_SCHEMA.exists():
        pytest.skip(f"the SARIF 2.1.0 schema is not here ({SARIF_SCHEMA} is absent: it sits beside the checkout)")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    errors = sorted(cls(schema).iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


def test_sarif_validates_and_counts_match(seed_report):
    doc = json.loads(render(seed_report, "sarif"))
    _validate_sarif(doc)
    run = doc["runs"][0]
    expected = [(d.path, r.id) for d in seed_report.documents for r in d.results
                if r.status in (FAIL, PARTIAL) and not r.info]  # info rules give notes only when asked
    assert len(run["results"]) == len(expected)
    rules = run["tool"]["driver"]["rules"]
    assert len({r["id"] for r in rules}) == len(rules) == len(seed_report.documents[0].results)
    for res in run["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
    # the unreadable file is a tool notification, and the run is not "successful"
    inv = run["invocations"][0]
    assert inv["executionSuccessful"] is False
    assert inv["toolExecutionNotifications"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] \
        == "broken.docx"


def test_sarif_levels_and_locations(ruleset, tmp_path, monkeypatch):
    path = tmp_path / "drafts" / "草稿 2023.txt"
    path.parent.mkdir()
    path.write_text(HOSTILE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    d = check_path("drafts/草稿 2023.txt", ruleset)
    doc = json.loads(render(Report(ruleset.id, ruleset.version, [d]), "sarif"))
    _validate_sarif(doc)
    results = {r["ruleId"]: r for r in doc["runs"][0]["results"]}
    severity = {r.id: r.severity for r in d.results}
    level = {"required": "error", "recommended": "warning", "info": "note"}
    assert results and all(res["level"] == level[severity[rid]] for rid, res in results.items())
    assert {r.id for r in d.results if r.status in (FAIL, PARTIAL) and not r.info} == set(results)
    # info rules that are not met: notes, only when asked
    asked = json.loads(render(Report(ruleset.id, ruleset.version, [d], show_info=True), "sarif"))["runs"][0]["results"]
    notes = {r["ruleId"] for r in asked} - set(results)
    assert notes == {r.id for r in d.results if r.status in (FAIL, PARTIAL) and r.info}
    assert notes and all(r["level"] == "note" for r in asked if r["ruleId"] in notes)
    # the legal advisor is only in the plan (line 7): the finding points there, with a relative, encoded URI
    adv = results["legal-advisor"]
    loc = adv["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "drafts/%E8%8D%89%E7%A8%BF%202023.txt"
    assert loc["region"]["startLine"] == 7
    # a missing element points at the start of the achievements part (line 2)
    assert results["government-openness"]["locations"][0]["physicalLocation"]["region"]["startLine"] == 2
    # the shortcomings lack causes: the finding points at that part (line 4)
    assert results["structure.causes"]["locations"][0]["physicalLocation"]["region"]["startLine"] == 4


# --- JUnit ----------------------------------------------------------------------------------------------

def test_junit_parses_and_counts_match(seed_report):
    root = ET.fromstring(render(seed_report, "junit").encode("utf-8"))
    suites = root.findall("testsuite")
    assert len(suites) == len(seed_report.documents) + len(seed_report.errors)
    total = sum(len(d.results) for d in seed_report.documents) + len(seed_report.errors)
    failures = sum(1 for d in seed_report.documents for r in d.results if r.status in (FAIL, PARTIAL) and not r.info)
    skipped = sum(1 for d in seed_report.documents for r in d.results if r.status in (NOT_APPLICABLE, WAIVED) or r.info)
    assert len(list(root.iter("testcase"))) == total
    assert int(root.get("tests")) == total
    assert int(root.get("failures")) == failures == len(list(root.iter("failure")))
    assert int(root.get("skipped")) == skipped == len(list(root.iter("skipped")))
    assert int(root.get("errors")) == 1 == len(list(root.iter("error")))
    for suite, d in zip(suites, seed_report.documents):
        assert int(suite.get("tests")) == len(suite.findall("testcase")) == len(d.results)
        props = {p.get("name"): p.get("value") for p in suite.iter("property")}
        assert props["score"] == f"{d.score:g}"


def test_junit_keeps_report_text_intact(hostile):
    root = ET.fromstring(render(hostile, "junit").encode("utf-8"))
    case = next(c for c in root.iter("testcase") if c.get("name").startswith("legal-advisor "))
    # markup in the report survives as text, not as elements
    assert "下一步将聘请法律顾问<b>x&y</b>" in case.find("failure").text
    assert not list(root.iter("b")) and not list(root.iter("script"))
