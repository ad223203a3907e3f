"""Waivers: a reviewer accepts an exception with a reason; expiry; file globs; every output."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from click.testing import CliRunner

from fzcheck.engine.check import Options, check_document, from_text
from fzcheck.app.cli import cli
from fzcheck.engine.waivers import load_waivers

REPORT = """青禾镇2023年法治政府建设年度报告
一、2023年度推进法治政府建设的主要举措和成效
（一）成立了法治政府建设工作领导小组。严格履行公众参与、专家论证、风险评估、合法性审查、集体讨论决定等法定程序。
（二）聘请律师事务所为常年法律顾问，出具法律意见书5件，审查合同12件，代理诉讼2件。
二、党政主要负责人履行推进法治建设第一责任人职责情况
主要负责人切实履行推进法治建设第一责任人职责，亲自部署。
三、存在的不足和原因
执法力量薄弱。究其原因，一是编制不足。
四、2024年工作安排
继续努力。
"""


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def write_waivers(tmp_path, text):
    p = tmp_path / "waivers.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def test_waived_required_rule_leaves_score_and_gate(tmp_path, ruleset):
    rs = ruleset
    doc = from_text(REPORT, rs)
    plain = check_document(doc, rs)
    es = next(r for r in plain.results if r.id == "enforcement-systems")
    assert es.status == "fail" and not plain.passed  # the only required failure
    p = write_waivers(tmp_path, "- rule: enforcement-systems\n  reason: 本镇无行政执法权\n")
    waived = check_document(doc, rs, Options(waivers=load_waivers(str(p))))
    es = next(r for r in waived.results if r.id == "enforcement-systems")
    assert es.status == "waived" and es.waiver == {"reason": "本镇无行政执法权", "expires": None}
    assert waived.passed
    assert waived.score > plain.score  # its weight left the denominator


def test_waiver_in_json_and_text_outputs(tmp_path):
    report = tmp_path / "qinghe-town-2023.txt"
    report.write_text(REPORT, encoding="utf-8")
    p = write_waivers(tmp_path, "waivers:\n  - rule: enforcement-systems\n    reason: 本镇无行政执法权\n"
                                "    expires: 2999-12-31\n")
    res = run("check", "--format", "json", "--waivers", p, report)
    assert res.exit_code == 0, res.output
    r = next(r for r in json.loads(res.stdout)["documents"][0]["results"] if r["id"] == "enforcement-systems")
    assert r["status"] == "waived" and r["waiver"]["reason"] == "本镇无行政执法权"
    assert r["waiver"]["expires"] == "2999-12-31"
    res = run("check", "--waivers", p, report)
    line = next(x for x in res.output.splitlines() if "(enforcement-systems)" in x)
    assert "≈" in line
    assert "本镇无行政执法权" in res.output


def test_expired_waiver_is_ignored_with_a_warning(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text(REPORT, encoding="utf-8")
    p = write_waivers(tmp_path, "- rule: enforcement-systems\n  reason: 过渡期\n  expires: 2020-01-01\n")
    res = run("check", "--format", "json", "--waivers", p, report)
    assert res.exit_code == 1
    assert f"fzcheck: 警告：{p}：“enforcement-systems”的豁免已于2020-01-01到期，不再适用" in res.stderr
    res = run("check", "--lang", "en", "--format", "json", "--waivers", p, report)
    assert f"fzcheck: warning: {p}: waiver for 'enforcement-systems' expired on 2020-01-01; ignored" in res.stderr
    r = next(r for r in json.loads(res.stdout)["documents"][0]["results"] if r["id"] == "enforcement-systems")
    assert r["status"] == "fail"


def test_file_glob_limits_a_waiver(tmp_path, ruleset):
    p = write_waivers(tmp_path, "- rule: enforcement-systems\n  reason: 乡镇\n  files: ['*-town-*.txt']\n")
    waivers = load_waivers(str(p))
    town = check_document(from_text(REPORT, ruleset, path="d/qinghe-town-2023.txt"), ruleset, Options(waivers=waivers))
    county = check_document(from_text(REPORT, ruleset, path="d/qinghe-county-2023.txt"), ruleset,
                            Options(waivers=waivers))
    assert next(r for r in town.results if r.id == "enforcement-systems").status == "waived"
    assert next(r for r in county.results if r.id == "enforcement-systems").status == "fail"


def test_waiver_for_unknown_rule_warns(tmp_path, sample_path):
    p = write_waivers(tmp_path, "- rule: enforcment-systems\n  reason: typo\n")
    res = run("check", "--waivers", p, sample_path)
    assert "豁免的规则“enforcment-systems”不在规则集 annual-report 中" in res.stderr


def test_bad_waivers_file_is_one_line_exit_2(tmp_path, sample_path):
    p = write_waivers(tmp_path, "- rule: enforcement-systems\n  expires: tomorrow\n")
    res = run("check", "--waivers", p, sample_path)
    assert res.exit_code == 2
    assert res.output.strip() == f"fzcheck: {p}: 第1条豁免：需要文字的 rule 和 reason"
    res = run("check", "--lang", "en", "--waivers", p, sample_path)
    assert res.output.strip() == f"fzcheck: {p}: waiver #1: needs 'rule' and 'reason' as text"
    p = write_waivers(tmp_path, "- rule: x\n  reason: y\n  expires: 31.12.2025\n")
    res = run("check", "--waivers", p, sample_path)
    assert res.exit_code == 2 and "expires 不是日期" in res.output


@pytest.mark.parametrize("entry, word", [
    ("  files: 5\n", "files"),
    ("  files: [1, 2]\n", "files"),
    ("  reason: [a, b]\n", "rule 和 reason"),
    ("  expires: 20x1-01-01\n", "expires"),
])
def test_waiver_values_of_the_wrong_type_are_one_line_naming_the_file(tmp_path, sample_path, entry, word):
    body = "- rule: shufa\n" + ("  reason: x\n" if "reason" not in entry else "") + entry
    p = write_waivers(tmp_path, body)
    res = run("check", "--waivers", p, sample_path)
    assert res.exit_code == 2
    lines = res.output.strip().splitlines()
    assert len(lines) == 1 and str(p) in lines[0] and word in lines[0], res.output
    assert "Error" not in res.output and "object" not in res.output


def test_an_expiry_with_a_time_is_read_as_its_day(tmp_path, sample_path):
    p = write_waivers(tmp_path, "- rule: shufa\n  reason: x\n  expires: 2020-01-01 10:00:00\n")
    res = run("check", "--waivers", p, sample_path)
    assert res.exit_code in (0, 1)
    assert "2020-01-01" in res.output and "Traceback" not in res.output


def test_waiver_expiring_today_still_applies(tmp_path):
    from fzcheck.engine.waivers import active

    today = dt.date(2025, 3, 1)
    assert active({"expires": today}, today)
    assert not active({"expires": dt.date(2025, 2, 28)}, today)


SAMPLE_TXT = "samples/qinghe-town-2023.txt"


def test_an_item_waiver_sets_aside_one_item_and_the_rule_is_credited_again(tmp_path, ruleset):
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / SAMPLE_TXT).read_text(encoding="utf-8")
    doc = from_text(text, ruleset)
    plain = check_document(doc, ruleset)
    es = next(r for r in plain.results if r.id == "enforcement-systems")
    legal = next(i for i in es.items if i.id == "legal-review")
    assert es.status == "partial" and legal.status == "problem_only" and round(es.credit, 3) == 0.667
    p = write_waivers(tmp_path, "- rule: enforcement-systems\n  item: legal-review\n  reason: 本镇无执法决定\n")
    waivers = load_waivers(str(p))
    assert waivers[0]["item"] == "legal-review"
    done = check_document(doc, ruleset, Options(waivers=waivers))
    es = next(r for r in done.results if r.id == "enforcement-systems")
    legal = next(i for i in es.items if i.id == "legal-review")
    assert legal.status == "waived" and legal.waiver["reason"] == "本镇无执法决定"
    assert es.status == "pass" and es.credit == 1.0  # the other two items, both done
    assert "本镇无执法决定" in es.message and "legal-review" not in es.message
    assert done.score > plain.score
    # by its title too; a waived item of a rule that passes leaves the rule passing
    md_title = next(i for r in plain.results if r.id == "major-decisions" for i in r.items
                    if i.id == "risk-assessment").title["zh"]
    p = write_waivers(tmp_path, f"- rule: major-decisions\n  item: {md_title}\n  reason: 未涉及\n")
    md = next(r for r in check_document(doc, ruleset, Options(waivers=load_waivers(str(p)))).results
              if r.id == "major-decisions")
    assert md.status == "pass" and next(i for i in md.items if i.id == "risk-assessment").status == "waived"
    # every item waived: the rule is waived
    p = write_waivers(tmp_path, "".join(f"- {{rule: enforcement-systems, item: {i}, reason: 无}}\n"
                                        for i in ("publicity", "full-record", "legal-review")))
    es = next(r for r in check_document(doc, ruleset, Options(waivers=load_waivers(str(p)))).results
              if r.id == "enforcement-systems")
    assert es.status == "waived"


def test_item_waivers_through_the_cli(tmp_path):
    from pathlib import Path

    report = tmp_path / "qinghe-town-2023.txt"
    report.write_bytes((Path(__file__).resolve().parents[1] / SAMPLE_TXT).read_bytes())
    p = write_waivers(tmp_path, "- rule: enforcement-systems\n  item: legal-review\n  reason: 本镇无执法决定\n"
                                "- rule: enforcement-systems\n  item: no-such-item\n  reason: x\n")
    res = run("check", "--format", "json", "--waivers", p, report)
    doc = json.loads(res.stdout)["documents"][0]
    es = next(r for r in doc["results"] if r["id"] == "enforcement-systems")
    item = next(i for i in es["items"] if i["id"] == "legal-review")
    assert item["status"] == "waived" and item["waiver"]["reason"] == "本镇无执法决定" and es["status"] == "pass"
    assert "no-such-item" in res.stderr  # an item the rule does not have: warned like an unknown rule
    res = run("check", "--format", "html", "--waivers", p, report)
    assert "本镇无执法决定" in res.stdout  # the printed page shows it
    bad = write_waivers(tmp_path, "- rule: enforcement-systems\n  item: [a]\n  reason: x\n")
    res = run("check", "--waivers", bad, report)
    assert res.exit_code == 2 and "item" in res.output
