"""Profiles: township, county, department; --profile auto and what it tells."""
from __future__ import annotations

import json

import pytest
import yaml
from click.testing import CliRunner

from fzcheck.engine.check import Options, check_document, from_text
from fzcheck.app.cli import cli
from fzcheck.rules.profiles import detect
from fzcheck.rules.load import load_ruleset

TOWNS = ["dashi-street-2023.txt", "puchang-town-2024.txt", "waxing-town-2021.txt", "zhaohua-town-2021.txt"]
COUNTY = "xx-county-template-traditional.txt"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def docs(res):
    return json.loads(res.stdout)["documents"]


def by_id(doc):
    return {r["id"]: r for r in doc["results"]}


def test_auto_picks_township_and_county_on_the_seed_reports(seeds_dir):
    expected = yaml.safe_load((seeds_dir / "expected.yaml").read_text(encoding="utf-8"))
    res = run("check", "--format", "json", "--profile", "auto", *[seeds_dir / f for f in TOWNS + [COUNTY]])
    got = {d["path"].rsplit("/", 1)[-1]: d["profile"] for d in docs(res)}
    for name in TOWNS:
        assert expected[name]["level"] == "township"
        assert got[name]["name"] == "township", got[name]
    assert expected[COUNTY]["level"] == "county"
    assert got[COUNTY]["name"] == "county"
    assert got[COUNTY]["source"] == "auto"
    assert "县政府" in got[COUNTY]["reason"]          # says why
    assert "洼兴镇" in got["waxing-town-2021.txt"]["reason"]
    assert "大石街道办事处" in got["dashi-street-2023.txt"]["reason"]


@pytest.mark.parametrize("title,pre,want", [
    ("清河县司法局2023年法治政府建设工作报告", "2023年，在县委、县政府的坚强领导下，我局推进法治建设。", "department"),
    ("清河县人民政府办公室关于2023年度法治政府建设情况的报告", "2023年，县政府办推进法治建设。", "department"),
    ("清河县人民政府关于2023年度法治政府建设情况的报告", "2023年，全县乡镇推进法治建设。", "county"),
    ("城关街道2023年法治政府建设工作报告", "2023年，在区委、区政府的领导下，推进法治建设。", "township"),
    ("2023年度法治政府建设工作报告", "2023年，在县委、县政府的坚强领导下，我镇推进法治建设。", "township"),
    ("2023年度法治政府建设工作报告", "2023年，在县委、县政府的坚强领导下，本单位推进法治建设。", None),
])
def test_detection_from_title_and_opening(ruleset, title, pre, want):
    doc = from_text(f"{title}\n{pre}\n一、主要举措和成效\n做了工作。", ruleset)
    name, reason = detect(doc, ruleset)
    assert name == want, reason
    if want is None:
        assert "基本规则" in reason["zh"]


def test_each_profile_gives_a_different_sensible_result(sample_path):
    results = {}
    for prof in (None, "township", "county", "department"):
        args = ["check", "--format", "json", sample_path] + (["--profile", prof] if prof else [])
        results[prof] = docs(run(*args))[0]
    scores = {p: d["score"] for p, d in results.items()}
    assert len(set(scores.values())) == 4, scores
    base, town, county, dept = (by_id(results[p]) for p in (None, "township", "county", "department"))
    # township: enforcement systems and normative documents are not required; legality review coverage is looked at
    assert town["enforcement-systems"]["severity"] == "recommended" and town["enforcement-systems"]["weight"] == 4
    assert town["normative-documents"]["severity"] == "info"
    assert town["legality-review-coverage"]["status"] == "pass"  # 司法所和法律顾问合法性审查
    assert "legality-review-coverage" not in base
    # county: every element is required
    assert all(county[r]["severity"] == "required" for r in ("shufa", "normative-documents", "government-openness"))
    # department: the sample (a township's report) lacks 持证上岗 and so fails as a department report
    assert dept["enforcement-certification"]["status"] == "fail"
    assert dept["who-enforces-popularizes"]["status"] == "pass"
    assert results["department"]["passed"] is False and results[None]["passed"] is True
    assert results[None]["profile"] is None


def test_profiles_change_the_gate_on_a_seed(seeds_dir):
    """dashi (a street office) fails the base gate on the three enforcement systems only
    because a township need not have them; as a department it lacks 谁执法谁普法."""
    report = seeds_dir / "dashi-street-2023.txt"
    base = by_id(docs(run("check", "--format", "json", report))[0])
    town = by_id(docs(run("check", "--format", "json", "--profile", "township", report))[0])
    dept = by_id(docs(run("check", "--format", "json", "--profile", "department", report))[0])
    assert base["enforcement-systems"]["status"] == "fail" and base["enforcement-systems"]["severity"] == "required"
    assert town["enforcement-systems"]["severity"] == "recommended"
    assert dept["who-enforces-popularizes"]["status"] == "fail"


def test_without_profile_results_are_the_base_rules(ruleset, sample_path):
    from fzcheck.engine.check import check_path

    plain = check_path(str(sample_path), ruleset)
    again = check_path(str(sample_path), ruleset, Options(profile=None))
    assert plain.to_json("zh") == again.to_json("zh")
    assert plain.profile is None
    assert [r.id for r in plain.results] == [r.id for r in ruleset.rules]


def test_text_output_says_which_profile_and_why(sample_path):
    res = run("check", "--profile", "auto", sample_path)
    assert "单位类别: 乡镇（街道）；自动判断：标题中有“青禾镇”" in res.output
    res = run("check", "--profile", "county", "--lang", "en", sample_path)
    assert "profile: county-level or higher government (county given on the command line)" in res.output


def test_unknown_profile_is_one_line_exit_2(sample_path):
    res = run("check", "--profile", "village", sample_path)
    assert res.exit_code == 2
    assert "no profile 'village'" in res.output and "township" in res.output
    assert len(res.output.strip().splitlines()) == 1


def test_profile_keeps_scores_normalised(ruleset):
    """Weights after a profile need not add up to 100: the score is over applicable weights."""
    text = "青禾镇2023年法治政府建设年度报告\n一、主要举措和成效\n" + "做了工作。" * 3
    for prof in ("township", "county", "department"):
        rs = ruleset.with_profile(prof)
        res = check_document(from_text(text, rs), rs)
        assert 0 <= res.score <= 100
    dept = ruleset.with_profile("department")
    assert sum(r.weight for r in dept.rules) != 100
    assert ruleset.with_profile("department") is dept  # cached


def test_rules_list_shows_profiles_and_profile_view():
    res = run("rules", "list")
    assert "township" in res.output and "adds legality-review-coverage" in res.output
    res = run("rules", "list", "--profile", "department")
    assert "enforcement-certification" in res.output


def test_extending_set_can_add_its_own_profile(tmp_path, sample_path):
    p = tmp_path / "prov.yaml"
    p.write_text("""\
id: prov
version: "1"
extends: annual-report
profiles:
  development-zone:
    title: 开发区管委会
    rules:
      major-decisions: {severity: recommended}
profile_detection:
  patterns:
    development-zone: ['管委会']
""", encoding="utf-8")
    rs = load_ruleset(str(p))
    assert set(rs.profiles) == {"township", "county", "department", "development-zone"}
    doc = from_text("清河经济开发区管委会2023年法治政府建设工作报告\n2023年推进法治建设。\n一、主要举措\n做了。", rs)
    assert detect(doc, rs)[0] == "development-zone"


def test_explain_knows_the_rules_profiles_add():
    res = run("explain", "legality-review-coverage")
    assert res.exit_code == 0
    assert "乡镇合法性审查全覆盖" in res.output and "司法所全年调解矛盾纠纷56件" in res.output
    assert run("explain", "no-such-rule").exit_code == 2
