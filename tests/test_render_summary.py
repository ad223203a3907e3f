"""Batch summaries: one row per report sorted by score, one column per rule, unreadable files kept."""
from __future__ import annotations

import csv
import io
import json
import re
import shutil

import pytest
from click.testing import CliRunner

from fzcheck.engine.check import check_path
from fzcheck.app.cli import cli
from fzcheck.render import Report
from fzcheck.render.summary import render_summary
from fzcheck.render.common import look


@pytest.fixture(scope="module")
def batch(tmp_path_factory, seeds_dir):
    folder = tmp_path_factory.mktemp("batch")
    for p in sorted(seeds_dir.glob("*.txt")):
        shutil.copy(p, folder / p.name)
    (folder / "broken.txt").write_bytes(b"\x00\x01not text\x00\xff\xfe\x81" * 50)
    return folder


@pytest.fixture(scope="module")
def expected(batch, ruleset):
    docs = [check_path(str(p), ruleset) for p in sorted(batch.glob("*.txt")) if p.name != "broken.txt"]
    return {p.rsplit("/", 1)[-1]: d for p, d in ((d.path, d) for d in docs)}


def run(batch, tmp_path, fmt, *extra):
    out = tmp_path / f"summary.{fmt}"
    result = CliRunner().invoke(cli, ["check", "--summary", "-f", fmt, "-o", str(out), *extra, str(batch)])
    assert result.exit_code == 2, result.output  # an unreadable file: exit 2, the rest still checked
    return out.read_text(encoding="utf-8")


def test_json_summary_six_rows_sorted(batch, expected, tmp_path):
    data = json.loads(run(batch, tmp_path, "json"))
    rows = data["rows"]
    assert len(rows) == 6
    assert rows[-1]["path"].endswith("broken.txt") and rows[-1]["error"] and rows[-1]["rank"] is None
    scores = [r["score"] for r in rows[:5]]
    assert scores == sorted(scores, reverse=True) and [r["rank"] for r in rows[:5]] == [1, 2, 3, 4, 5]
    ids = [c["id"] for c in data["columns"]]
    for r in rows[:5]:
        d = expected[r["path"].rsplit("/", 1)[-1]]
        assert r["score"] == d.score and r["grade"] == d.grade
        assert r["status"] == {x.id: x.status for x in d.results}
        assert list(r["status"]) == ids


def test_csv_summary(batch, expected, tmp_path):
    text = run(batch, tmp_path, "csv")
    assert text.startswith("\ufeff")  # spreadsheet programs read the Chinese right
    table = list(csv.reader(io.StringIO(text[1:])))
    # Chinese titles, then the ids in a second header row
    titles, header, rows = table[0], table[1], table[2:]
    assert len(rows) == 6
    assert titles[:11] == ["序号", "文件", "报告", "报告单位", "报告年度", "发布日期", "单位类别", "得分", "等级", "结论",
                           "未通过原因"]
    assert header[:11] == ["rank", "file", "title", "unit", "year", "published", "profile", "score", "grade", "gate",
                           "why_fail"]
    assert len(titles) == len(header) == len(rows[0])
    assert rows[-1][9] == "无法读取" and "NUL" in rows[-1][-1]
    # an item column for each of the five procedures and of the three enforcement systems
    assert sum(1 for h in header if h.startswith("major-decisions.")) == 5
    assert sum(1 for h in header if h.startswith("enforcement-systems.")) == 3
    assert titles[header.index("major-decisions.public-participation")].endswith("公众参与")
    causes = header.index("structure.causes")
    for row in rows[:5]:
        d = expected[row[1].rsplit("/", 1)[-1]]
        assert float(row[7]) == d.score and row[5] == (d.published or "")
        assert (row[10] == "") == d.passed  # why a report fails, beside it
        want = next(r.status for r in d.results if r.id == "structure.causes")
        assert row[causes] == {"pass": "通过", "partial": "部分", "fail": "缺失", "not_applicable": "不适用"}[want]
    template = next(row for row in rows if row[1].endswith("xx-county-template-traditional.txt"))
    assert template[header.index("placeholders")] == "不符合"  # found, never "missing"
    # --lang en: one header row of ids
    en = list(csv.reader(io.StringIO(run(batch, tmp_path, "csv", "--lang", "en")[1:])))
    assert en[0] == header and len(en) == 7
    # plain --format csv is the summary too
    out = tmp_path / "plain.csv"
    CliRunner().invoke(cli, ["check", "-f", "csv", "-o", str(out), str(batch)])
    assert out.read_text(encoding="utf-8") == text


def test_text_summary(batch, expected, tmp_path):
    text = run(batch, tmp_path, "text", "--lang", "en")
    lines = text.splitlines()
    body = [ln for ln in lines[1:7]]
    assert len(body) == 6 and "unreadable" in body[-1] and "broken.txt" in body[-1]
    order = [re.search(r"(\S+\.txt)(  — .*)?$", ln).group(1).rsplit("/", 1)[-1] for ln in body[:5]]
    assert all(("  — " in ln) == (not expected[name].passed) for ln, name in zip(body, order))  # why it fails
    assert order == sorted(expected, key=lambda k: (-expected[k].score, expected[k].path))
    assert "6 reports: 0 passed, 5 failed, 1 unreadable" in text
    # the status marks of the best report, one per rule, in column order
    best = expected[order[0]]
    marks = re.search(r"\s([✔◐✘–≈ⓘ]{%d})\s" % len(best.results), body[0]).group(1)
    assert marks.count("✘") == sum(1 for r in best.results if r.status == "fail" and not r.info)
    assert marks.count("ⓘ") == sum(1 for r in best.results if r.status in ("fail", "partial") and r.info)


def test_html_summary_matrix(batch, expected, tmp_path):
    html = run(batch, tmp_path, "html")
    rows = re.findall(r'<tr data-path="([^"]+)">(.*?)</tr>', html)
    assert len(rows) == 5 and html.count('<tr class="unreadable"') == 1
    assert "size: A4 landscape" in html
    for path, row in rows:
        d = expected[path.rsplit("/", 1)[-1]]
        cells = re.findall(r'<td class="cell" data-status="([a-z_]*)" [^>]*style="background:([^"]+)"', row)
        # the columns that decide the gate, in the rule set's order; info columns grey, after them
        assert [s for s, _ in cells] == [r.status for r in sorted(d.results, key=lambda r: (
            {"structure": 0, "element": 1, "quality": 2}[r.group], [x.id for x in d.results].index(r.id)))
            if not r.info]
        assert all(color == look(s).color for s, color in cells)
        grey = re.findall(r'<td class="cell grey" data-status="([a-z_]*)"', row)
        assert len(grey) == sum(1 for r in d.results if r.info)
        # a short unit name and year, never the file's path, and why it fails
        assert path not in row and (d.passed or '<td class="why"' in row)
    assert "<script" not in html


def test_summary_refuses_formats_without_one(batch):
    result = CliRunner().invoke(cli, ["check", "--summary", "-f", "sarif", str(batch)])
    assert result.exit_code == 2 and "--summary" in result.output


def test_markdown_summary_escapes(ruleset, sample_path):
    d = check_path(str(sample_path), ruleset)
    d.meta["title"] = "a|b<script>"
    md = render_summary(Report(ruleset.id, ruleset.version, [d], [{"path": "x|y.txt", "error": "bad"}]), "markdown")
    assert r"a\|b\<script\>" in md and r"x\|y.txt" in md
    assert len([ln for ln in md.splitlines() if ln.startswith("| ") and "---" not in ln]) == 3


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_csv_cells_never_start_a_formula(tmp_path, sample_path, start):
    """A report's title or file name can be anything: a cell that a spreadsheet would read as a
    formula (=HYPERLINK(…), +cmd, -2+3, @SUM) is written as text with a leading '."""
    report = tmp_path / f"{start}1+1.txt"
    report.write_text(f'{start}HYPERLINK("http://evil.example/","法治报告")\n'
                      + sample_path.read_text(encoding="utf-8"), encoding="utf-8")
    res = CliRunner().invoke(cli, ["check", "-f", "csv", str(report)])
    cells = [c for row in csv.reader(io.StringIO(res.stdout.lstrip("\ufeff"))) for c in row]
    assert any("HYPERLINK" in c for c in cells)
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")], cells



@pytest.mark.parametrize("fmt", ["text", "csv", "html", "json", "markdown"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_summary_reads_nothing_for_summary_drops(tmp_path, fmt, lang):
    """A batch summary keeps (and its workers send back) each report as for_summary() leaves
    it: every summary format gives, byte for byte, what it gives from the whole results. A
    renderer that starts to read a quote, message or fix fails here."""
    import copy
    import pathlib

    from fzcheck.engine.check import Options
    from fzcheck.engine.waivers import load_waivers
    from fzcheck.render.summary import for_summary
    from fzcheck.rules.load import load_ruleset

    root = pathlib.Path(__file__).resolve().parents[1]
    partial = tmp_path / "partial.txt"
    partial.write_text("某镇2023年法治政府建设年度报告\n一、主要举措和成效\n成立了法治政府建设领导小组。"
                       "严格履行公众参与、专家论证程序。2021年曾对重大决策开展社会稳定风险评估。\n二、存在的不足\n执法不规范。\n三、2024年工作安排\n"
                       "开展合法性审查。\n", encoding="utf-8")
    waivers = tmp_path / "w.yaml"
    waivers.write_text("- {rule: legal-advisor, reason: 另行报告}\n"
                       "- {rule: enforcement-systems, item: legal-review, reason: 无重大执法决定}\n", encoding="utf-8")
    ruleset = load_ruleset()
    options = Options(lang=lang, waivers=load_waivers(str(waivers)))
    docs = [check_path(str(p), ruleset, options) for p in (root / "samples" / "qinghe-town-2023.txt", partial)]
    assert any(r.evidence for d in docs for r in d.results)  # there is something to drop
    assert any(i.why_not and i.why_not.evidence for d in docs for r in d.results for i in r.items)  # "not counted"
    slim = [for_summary(copy.deepcopy(d)) for d in docs]
    assert not any(r.evidence or r.message for d in slim for r in d.results)
    errors = [{"path": "bad.doc", "error": "不支持的格式"}]
    whole = render_summary(Report(ruleset.id, ruleset.version, docs, errors), fmt, lang)
    assert render_summary(Report(ruleset.id, ruleset.version, slim, errors), fmt, lang) == whole
