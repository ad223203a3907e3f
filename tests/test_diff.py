"""`fzcheck diff OLD NEW`: rules and items gained and lost, score and grade, exit code for CI."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from fzcheck.app.cli import cli
from fzcheck.engine.diff import compare, exit_code
from fzcheck.render.diff import render_text
from tests.helpers import check_text

BASE = """某镇2023年法治政府建设年度报告
一、2023年度推进法治政府建设的主要举措和成效
（一）成立了法治政府建设领导小组，全年召开会议3次，研究议题15项。
（二）聘请律师事务所为常年法律顾问，全年出具法律意见书12件。
（三）重大行政决策严格履行公众参与、专家论证、风险评估、合法性审查、集体讨论决定程序。
（四）全面落实行政执法公示制度；配备执法记录仪8台，实现执法全过程记录。
二、存在的不足和原因
一是重大执法决定法制审核力量薄弱，原因是法制审核人员不足。
三、2024年工作安排
下一步将加强法制审核队伍建设。
"""


@pytest.fixture()
def drafts(tmp_path):
    old = tmp_path / "old.txt"
    new = tmp_path / "new.txt"
    old.write_text(BASE, encoding="utf-8")
    return old, new


def test_lost_required_element_and_items(ruleset):
    old = check_text(BASE, ruleset)
    new_text = (BASE.replace("（二）聘请律师事务所为常年法律顾问，全年出具法律意见书12件。\n", "")
                .replace("专家论证、风险评估、", ""))
    new = check_text(new_text, ruleset)
    d = compare(old, new)
    lost = {c.id: c for c in d.by_kind("lost")}
    assert set(lost) == {"legal-advisor", "major-decisions"}
    assert lost["legal-advisor"].old == "pass" and lost["legal-advisor"].new == "fail"
    assert sorted(x["zh"] for x in lost["major-decisions"].items_lost) == ["专家论证", "风险评估"]
    assert {c.id for c in d.lost_required} == {"legal-advisor", "major-decisions"}
    assert exit_code(d) == 1
    assert d.delta == round(new.score - old.score, 1) < 0
    text = render_text(d)
    assert "不再落实 (2)" in text and "失去分项: 专家论证、风险评估" in text and f"{old.score:g} → {new.score:g}" in text


def test_gained_is_not_a_failure(ruleset):
    old = check_text(BASE.replace("（二）聘请律师事务所为常年法律顾问，全年出具法律意见书12件。\n", ""), ruleset)
    new = check_text(BASE, ruleset)
    d = compare(old, new)
    assert [c.id for c in d.by_kind("gained")] == ["legal-advisor"]
    assert not d.by_kind("lost") and exit_code(d) == 0
    assert d.delta > 0


def test_items_traded_within_a_partial_rule_is_a_loss(ruleset):
    a = BASE.replace("专家论证、风险评估、", "")            # 3 of 5 procedures
    b = BASE.replace("公众参与、专家论证、", "")            # also 3 of 5, a different three
    d = compare(check_text(a, ruleset), check_text(b, ruleset))
    change = next(c for c in d.changes if c.id == "major-decisions")
    assert change.old == change.new == "partial"
    assert [x["zh"] for x in change.items_lost] == ["公众参与"] and [x["zh"] for x in change.items_gained] == ["风险评估"]
    assert change.kind == "lost" and exit_code(d) == 1


def test_recommended_loss_does_not_fail_ci(ruleset):
    old = check_text(BASE.replace("研究议题15项。", "研究议题15项。主动公开政府信息120条。"), ruleset)
    new = check_text(BASE, ruleset)
    d = compare(old, new)
    assert [c.id for c in d.by_kind("lost")] == ["government-openness"]
    assert exit_code(d) == 0


def test_cli_diff(drafts):
    old, new = drafts
    new.write_text(BASE.replace("（二）聘请律师事务所为常年法律顾问，全年出具法律意见书12件。\n", ""), encoding="utf-8")
    runner = CliRunner()
    res = runner.invoke(cli, ["diff", str(old), str(new), "-f", "json"])
    assert res.exit_code == 1
    data = json.loads(res.output)
    assert data["lost_required"] == ["legal-advisor"] and data["score_delta"] < 0
    assert data["old"]["path"] == str(old)
    res = runner.invoke(cli, ["diff", str(new), str(old), "--lang", "en"])
    assert res.exit_code == 0 and "gained (1)" in res.output and "Legal advisor" in res.output
    res = runner.invoke(cli, ["diff", str(old), str(old), "-f", "markdown"])
    assert res.exit_code == 0 and "无变化" in res.output
    res = runner.invoke(cli, ["diff", str(old), str(old.parent / "missing.txt")])
    assert res.exit_code != 0 and res.exit_code != 1
