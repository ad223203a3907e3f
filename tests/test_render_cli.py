"""explain / rules list in every format (from the rule set itself), formats on the command line,
and atomic output files."""
from __future__ import annotations

import json
import os
import stat
import textwrap

import pytest
from click.testing import CliRunner

from fzcheck.app import cli as cli_module
from fzcheck.app.cli import cli
from fzcheck.render import FORMATS

CUSTOM = textwrap.dedent("""\
    id: tiny
    version: "0.1"
    threshold: 60
    grades: [{min: 60, zh: 合格, en: adequate}, {min: 0, zh: 不合格, en: inadequate}]
    rules:
      - id: river-chief
        title: {zh: 河长制, en: River chief system}
        severity: recommended
        weight: 3
        basis: [{doc: 《关于全面推行河长制的意见》, article: 二}]
        description: {zh: 写明河长巡河次数。, en: Report patrols by the river chiefs.}
        fix: {zh: 补充河长制落实情况。, en: Add the river chief work.}
        evidence: [{any: ['河长']}]
        examples: {pass: ['全年河长巡河36次。'], fail: ['下一步将落实河长制。']}
    """)


@pytest.fixture()
def custom(tmp_path):
    p = tmp_path / "tiny.yaml"
    p.write_text(CUSTOM, encoding="utf-8")
    return str(p)


def test_explain_formats_default_rule():
    runner = CliRunner()
    text = runner.invoke(cli, ["explain", "legal-advisor"])
    assert text.exit_code == 0 and "法律顾问" in text.output and "《重大行政决策程序暂行条例》" in text.output
    data = json.loads(runner.invoke(cli, ["explain", "legal-advisor", "-f", "json"]).output)
    assert data["id"] == "legal-advisor" and data["severity"] == "required" and data["weight"] == 6
    assert data["examples"]["pass"] and data["examples"]["fail"] and data["fix"]
    assert any("第二十八条" in (b.get("article") or "") for b in data["basis"])
    md = runner.invoke(cli, ["explain", "major-decisions", "-f", "markdown", "--lang", "en"]).output
    assert md.startswith("### ") and "`expert-argument`" in md and "examples that count" in md
    missing = runner.invoke(cli, ["explain", "no-such-rule"])
    assert missing.exit_code == 2 and "rules list" in missing.output


def test_custom_ruleset_explains_its_own_rules(custom):
    runner = CliRunner()
    data = json.loads(runner.invoke(cli, ["explain", "river-chief", "-r", custom, "-f", "json", "--lang", "en"]).output)
    assert data["title"] == "River chief system" and data["description"] == "Report patrols by the river chiefs."
    assert data["examples"] == {"pass": ["全年河长巡河36次。"], "fail": ["下一步将落实河长制。"]}
    listing = json.loads(runner.invoke(cli, ["rules", "list", "-r", custom, "-f", "json"]).output)
    assert listing["id"] == "tiny" and [r["id"] for r in listing["rules"]] == ["river-chief"]
    md = runner.invoke(cli, ["rules", "list", "-r", custom, "-f", "markdown"]).output
    assert "| `river-chief` | 河长制 | 建议 | 3 |" in md


def test_rules_list_covers_the_default_set(ruleset):
    runner = CliRunner()
    listing = json.loads(runner.invoke(cli, ["rules", "list", "-f", "json"]).output)
    assert [r["id"] for r in listing["rules"]] == [r.id for r in ruleset.rules]
    text = runner.invoke(cli, ["rules", "list"]).output
    assert all(r.id in text for r in ruleset.rules)


def test_format_choices_come_from_the_registry(sample_path, tmp_path):
    for fmt in ("markdown", "sarif", "junit", "html", "csv"):
        assert fmt in FORMATS
        out = tmp_path / f"r.{fmt}"
        res = CliRunner().invoke(cli, ["check", "-f", fmt, "-o", str(out), str(sample_path)])
        assert res.exit_code == 0, res.output
        assert out.stat().st_size > 200


# --- atomic output --------------------------------------------------------------------------------------

def _leftovers(folder):
    return [p.name for p in folder.iterdir() if p.name.startswith(".fzcheck-")]


def test_output_written_atomically_with_usual_permissions(sample_path, tmp_path):
    out = tmp_path / "report.html"
    res = CliRunner().invoke(cli, ["check", "-f", "html", "-o", str(out), str(sample_path)])
    assert res.exit_code == 0 and out.read_text(encoding="utf-8").rstrip().endswith("</html>")
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~mask  # not mkstemp's 0600
    assert not _leftovers(tmp_path)


def test_existing_output_survives_a_failing_run(sample_path, tmp_path, monkeypatch):
    out = tmp_path / "report.html"
    out.write_text("previous report", encoding="utf-8")
    out.chmod(0o640)
    runner = CliRunner()
    # a rule-set error: nothing is written
    res = runner.invoke(cli, ["check", "-f", "html", "-r", str(tmp_path / "nope.yaml"), "-o", str(out),
                              str(sample_path)])
    assert res.exit_code != 0
    assert out.read_text(encoding="utf-8") == "previous report"
    # the write itself fails half-way (disk full): the old file stays, no temporary file is left
    real_replace = os.replace

    def boom(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cli_module.os, "replace", boom)
    from fzcheck.errors import FzError

    with pytest.raises(FzError, match="No space left"):  # one line for the user, not a traceback
        cli_module.write_output("<html>new</html>", str(out))
    monkeypatch.setattr(cli_module.os, "replace", real_replace)
    assert out.read_text(encoding="utf-8") == "previous report" and not _leftovers(tmp_path)
    # a successful run replaces it and keeps its permissions
    res = runner.invoke(cli, ["check", "-f", "html", "-o", str(out), str(sample_path)])
    assert res.exit_code == 0 and out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
