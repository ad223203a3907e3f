import json

import pytest
from click.testing import CliRunner

from fzcheck.app.cli import cli

GOOD = "samples/qinghe-town-2023.txt"


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_check_sample_passes_with_exit_0(sample_path):
    res = run("check", str(sample_path))
    assert res.exit_code == 0, res.output
    assert "得分" in res.output and "优秀" in res.output


def test_exit_1_when_the_gate_fails(tmp_path):
    p = tmp_path / "draft.txt"
    p.write_text("某镇2023年法治政府建设年度报告\n2023年，我镇做了一些工作。\n", encoding="utf-8")
    res = run("check", str(p))
    assert res.exit_code == 1
    assert "未通过" in res.output


def test_json_contract(sample_path):
    res = run("check", "--format", "json", str(sample_path))
    data = json.loads(res.output)
    assert data["tool"]["name"] == "fzcheck" and data["ruleset"]["id"] == "annual-report"
    doc = data["documents"][0]
    for key in ("path", "year", "score", "grade", "passed", "sections", "results"):
        assert key in doc
    assert doc["year"] == 2023
    assert {s["role"] for s in doc["sections"]} == {"achievements", "first_responsible", "shortcomings", "next_year"}
    md = next(r for r in doc["results"] if r["id"] == "major-decisions")
    for key in ("id", "title", "severity", "weight", "status", "credit", "found_in", "items", "evidence",
                "message", "fix"):
        assert key in md
    assert [i["id"] for i in md["items"]] == ["public-participation", "expert-argument", "risk-assessment",
                                               "legality-review", "collective-discussion"]
    ev = md["evidence"][0]
    assert {"text", "line", "section", "role"} <= set(ev) and ev["line"] == 9


def test_english_output(sample_path):
    res = run("check", "--lang", "en", "--format", "json", str(sample_path))
    doc = json.loads(res.output)["documents"][0]
    assert doc["grade"] == "excellent"
    assert next(r for r in doc["results"] if r["id"] == "legal-advisor")["title"].startswith("Legal advisor")


def test_batch_goes_on_past_a_missing_file(sample_path, tmp_path):
    res = CliRunner().invoke(cli, ["check", "--format", "json", str(sample_path), str(tmp_path / "nope.txt")])
    assert res.exit_code == 2
    data = json.loads(res.stdout)
    assert len(data["documents"]) == 1
    assert data["errors"] == [{"path": str(tmp_path / "nope.txt"), "error": "文件不存在"}]
    assert "Traceback" not in res.output


def test_binary_file_is_a_clear_error(tmp_path):
    p = tmp_path / "x.txt"
    p.write_bytes(b"\x00\x01\x02binary\x00" * 10)
    res = CliRunner().invoke(cli, ["check", str(p)])
    assert res.exit_code == 2 and "binary" in res.stderr and "Traceback" not in res.output


def test_invalid_rule_set_names_file_rule_and_field(tmp_path, sample_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\nversion: '1'\nrules:\n  - id: my-rule\n    title: 标题\n    severity: required\n"
                   "    weight: -3\n    evidence: [{any: ['x']}]\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["check", "-r", str(bad), str(sample_path)])
    assert res.exit_code == 2
    line = res.stderr.strip()
    assert str(bad) in line and "my-rule" in line and "weight" in line and "\n" not in line


def test_output_file_is_written(tmp_path, sample_path):
    out = tmp_path / "r.json"
    res = run("check", "-f", "json", "-o", str(out), str(sample_path))
    assert res.exit_code == 0 and res.output == ""
    assert json.loads(out.read_text(encoding="utf-8"))["documents"][0]["passed"] is True


def test_folder_is_checked_recursively(tmp_path, sample_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text(sample_path.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "two.md").write_text(sample_path.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "skip.png").write_bytes(b"\x89PNG")
    res = run("check", "-f", "json", str(tmp_path))
    data = json.loads(res.stdout)
    paths = sorted(d["path"] for d in data["documents"])
    assert [p.split("/")[-1] for p in paths] == ["one.txt", "two.md"]
    assert [e["path"].split("/")[-1] for e in data["errors"]] == ["skip.png"]  # a row of its own


def test_explain_and_rules_list():
    res = run("explain", "major-decisions")
    assert res.exit_code == 0 and "重大行政决策程序暂行条例" in res.output and "专家论证" in res.output
    res = run("rules", "list")
    assert "leading-group" in res.output and "shufa" in res.output
    res = CliRunner().invoke(cli, ["explain", "no-such-rule"])
    assert res.exit_code == 2


def test_rule_examples_all_hold():
    res = run("rules", "test")
    assert res.exit_code == 0, res.output
    assert " 0 failed" in res.output


def test_python_dash_m_entry_point(sample_path):
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "fzcheck", "check", "-f", "json", str(sample_path)],
                          capture_output=True, text=True)
    assert proc.returncode == 0 and json.loads(proc.stdout)["documents"][0]["year"] == 2023


@pytest.mark.parametrize("name, data, zh, en", [
    ("nope.txt", None, "文件不存在", "no such file"),
    ("empty.txt", b"", "文件中没有文字", "the file has no text"),
    ("nul.txt", "一、主要举措\n成立了领导小组。\x00\x00\n".encode(), "二进制数据", "binary data"),
    ("fake.pdf", b"not a pdf at all" * 10, "不是 PDF 文件", "not a PDF file"),
])
def test_reader_errors_in_the_chosen_language(tmp_path, name, data, zh, en):
    path = tmp_path / name
    if data is not None:
        path.write_bytes(data)
    for lang, word in (("zh", zh), ("en", en)):
        res = CliRunner().invoke(cli, ["check", "--lang", lang, str(path)])
        assert res.exit_code == 2
        lines = res.stderr.strip().splitlines()
        assert len(lines) == 1 and word in lines[0] and name in lines[0], res.stderr
