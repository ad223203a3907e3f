"""A document that is not an annual report on rule-of-law government is said to be so,
in every format, and fails the gate with that reason; a real report never is (seeds, dev
corpus); a breadcrumb is never the title."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from fzcheck.app.cli import cli
from fzcheck.engine.check import analyze, from_text
from fzcheck.engine.doctype import detect
from fzcheck.engine.frontmatter import describe, looks_like_navigation
from fzcheck.readers import read_document
from tests.conftest import ROOT, SAMPLE
from tests.helpers import check_text

DEV = ROOT.parent / "shared" / "corpus" / "dev"
SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"

GK = ("北京市某某区人民政府2023年政府信息公开工作年度报告\n\n"
      "本报告依据《中华人民共和国政府信息公开条例》编制，全文包括总体情况等。\n\n"
      "一、总体情况\n\n2023年，我区主动公开政府信息1200条，推进法治政府建设。\n")
GZ = ("政府工作报告\n\n——2024年1月10日在某某县第十八届人民代表大会第四次会议上\n\n"
      "各位代表：\n\n现在，我代表县人民政府，向大会报告工作。过去一年，我们坚持依法行政，建设法治政府。\n")
PLAN = ("某某县2024年法治政府建设工作要点\n\n为深入推进法治政府建设，制定本要点。\n\n"
        "一、加强党的领导\n\n聘请法律顾问，完善重大行政决策程序。\n")
HOWTO = "# fzcheck 使用说明\n\n安装：\n\n```\npip install fzcheck\n```\n\n然后运行 fzcheck check 报告.docx。\n"

SHUFA = ("关于2023年度党政主要负责人履行推进法治建设第一责任人职责情况的报告\n\n"
         "一、履行推进法治建设第一责任人职责情况\n\n本人切实履行第一责任人职责，带头述法。\n")
PUFA = ("某市司法局2023年度“谁执法谁普法”履职报告\n\n一、基本情况\n\n"
        "2023年，我局开展普法宣传活动30场，推进法治政府建设。\n")

CASES = [
    (GK, "information-disclosure-report", "政府信息公开工作年度报告"),
    (SHUFA, "leader-duty-report", "述法报告"),
    (PUFA, "law-popularization-report", "普法"),
    (GZ, "government-work-report", "政府工作报告"),
    (PLAN, "plan", "工作要点"),
    (HOWTO, "how-to", "README"),
]


@pytest.mark.parametrize("text,kind,words", CASES)
def test_other_types_are_recognised(ruleset, text, kind, words):
    d = check_text(text, ruleset)
    assert d.doctype["kind"] == "not_a_report" and d.doctype["id"] == kind
    assert words in d.doctype["what"] and d.doctype["why"]
    assert d.passed is False and d.results == [] and d.grade == "未评分"


def test_reports_that_mention_the_other_types_are_reports(ruleset):
    report = ("某某镇2023年法治政府建设工作情况报告\n\n2023年，我镇认真编制政府信息公开工作年度报告，"
              "落实县政府工作报告部署，制定法治政府建设工作要点。\n\n一、主要举措和成效\n\n聘请法律顾问1名。\n")
    assert check_text(report, ruleset).doctype is None
    both = "某某区2023年法治政府建设和政府信息公开工作年度报告\n\n2023年，我区依法行政。\n"
    assert check_text(both, ruleset).doctype is None  # a title that names the report decides
    summary = "某某局2023年法治政府建设工作总结及2024年工作计划\n\n2023年，我局依法行政。\n"
    assert check_text(summary, ruleset).doctype is None
    # the annual report may report on the leader's duty and on law popularization in its title;
    # a numbered heading among the first lines is never taken for the title
    duty = "某县2023年法治政府建设暨主要负责人履行推进法治建设第一责任人职责情况报告\n\n2023年，我县依法行政。\n"
    assert check_text(duty, ruleset).doctype is None
    pufa = "某区2023年度法治建设和普法工作总结\n\n2023年，我区依法行政。\n"
    assert check_text(pufa, ruleset).doctype is None
    headings = ("2023年工作回顾\n\n（一）普法工作总结\n\n"
                "二、履行推进法治建设第一责任人职责情况报告\n\n我镇聘请法律顾问1名。\n")
    assert check_text(headings, ruleset).doctype is None
    assert detect(from_text(SAMPLE.read_text(encoding="utf-8"), ruleset), ruleset) is None


def test_a_breadcrumb_naming_another_type_does_not_decide(ruleset):
    text = ("首页 > 政府信息公开 > 政府工作报告 > 法治政府建设年度报告\n\n"
            "某某镇2023年法治政府建设年度报告\n\n2023年，我镇依法行政。\n")
    assert check_text(text, ruleset).doctype is None


def test_english_words(ruleset):
    d = check_text(GK, ruleset, lang="en")
    assert d.doctype["what"].startswith("an annual report on government information disclosure")
    assert d.doctype["why"].startswith("title")


def _run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture()
def gk_file(tmp_path) -> Path:
    path = tmp_path / "gk.txt"
    path.write_text(GK, encoding="utf-8")
    return path


def test_every_format_says_it_at_the_top(gk_file, tmp_path):
    out = _run("check", str(gk_file))
    assert out.exit_code == 1  # the gate fails, with the reason
    lines = out.output.splitlines()
    assert lines[1].startswith("不是法治政府建设年度报告：这是政府信息公开工作年度报告（标题“")
    assert "得分" not in out.output
    en = _run("check", "--lang", "en", str(gk_file)).output.splitlines()
    assert en[1].startswith("not an annual report on rule-of-law government: this is an annual report on government")
    doc = json.loads(_run("check", "-f", "json", str(gk_file)).output)["documents"][0]
    assert doc["doctype"]["kind"] == "not_a_report" and doc["doctype"]["what"] == "政府信息公开工作年度报告"
    assert doc["passed"] is False and doc["results"] == []
    md = _run("check", "-f", "markdown", str(gk_file)).output
    assert md.splitlines()[2].startswith("> **不是法治政府建设年度报告")
    html = _run("check", "-f", "html", str(gk_file)).output
    body = html[html.index("<body"):]
    assert body.index('class="doctype"') < body.index("不是法治政府建设年度报告：这是") < 800 + body.index("<h1>")
    sarif = json.loads(_run("check", "-f", "sarif", str(gk_file)).output)
    result = sarif["runs"][0]["results"][0]
    assert result["ruleId"] == "not-a-report" and result["level"] == "error"
    assert "政府信息公开工作年度报告" in result["message"]["text"]
    junit = _run("check", "-f", "junit", str(gk_file)).output
    assert 'name="not-a-report"' in junit and "<failure" in junit
    sample = tmp_path / "qinghe-town-2023.txt"
    sample.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    for fmt in ("text", "csv", "markdown", "html"):
        summary = _run("check", "--summary", "-f", fmt, str(gk_file), str(sample)).output
        assert "不是法治政府建设年度报告" in summary or "不是年度报告" in summary, fmt


def test_gaps_only_says_it_too(gk_file):
    for fmt in ("text", "markdown", "html"):
        out = _run("check", "--gaps-only", "-f", fmt, str(gk_file)).output
        assert "不是法治政府建设年度报告：这是政府信息公开工作年度报告" in out, fmt


# -- never on a real report ------------------------------------------------------------------
def _real(folder: Path) -> list[Path]:
    if not folder.is_dir():
        pytest.skip(f"the real reports are not here ({folder} is absent: it sits beside the checkout in CI)")
    return sorted(folder.glob("*.txt"))


def test_no_false_alarm_on_the_seeds(ruleset):
    files = _real(SEEDS)
    assert len(files) >= 5
    alarms = [(f.name, d) for f in files if (d := detect(analyze(read_document(str(f)), ruleset), ruleset))]
    assert alarms == []


def test_no_false_alarm_on_the_dev_corpus(ruleset):
    files = _real(DEV)
    assert len(files) >= 100
    alarms = [(f.name, d) for f in files if (d := detect(analyze(read_document(str(f)), ruleset), ruleset))]
    assert alarms == [], alarms


# -- a breadcrumb is never the title ---------------------------------------------------------
@pytest.mark.parametrize("line", [
    "首页 > 政务公开 > 法治政府建设年度报告",
    "您当前的位置：首页>法定主动公开内容>其他法定信息>法治政府建设年度报告",
    "当前位置：法治政府建设情况报告",
    "首页",
    "首页 » 信息公开 » 2023年度法治政府建设情况报告",
])
def test_navigation_lines(line):
    assert looks_like_navigation(line)


@pytest.mark.parametrize("line", ["某某镇2023年法治政府建设年度报告", "关于报送2021年度法治政府建设工作情况的报告"])
def test_titles_are_not_navigation(line):
    assert not looks_like_navigation(line)


def test_breadcrumb_is_never_the_title(ruleset):
    text = ("首页 > 政务公开 > 法定主动公开内容 > 法治政府建设年度报告\n\n"
            "某某镇2023年法治政府建设工作报告\n\n2023年，我镇依法行政。\n")
    doc = from_text(text, ruleset)
    assert describe(doc.paragraphs, [])["title"] == "某某镇2023年法治政府建设工作报告"
    only = "当前位置：首页 > 通知公告 > 法治政府建设情况报告\n\n2023年，我镇依法行政，建设法治政府。\n"
    assert "title" not in describe(from_text(only, ruleset).paragraphs, [])


def test_as_report_scores_what_the_title_calls_another_kind(tmp_path):
    """--as-report is the reviewer's call: the document is scored as an annual report, in
    every command that scores one; without it the same file is said to be another kind."""
    path = tmp_path / "shufa.txt"
    path.write_text(SHUFA, encoding="utf-8")
    plain = CliRunner().invoke(cli, ["check", "-f", "json", str(path)])
    doc = json.loads(plain.output)["documents"][0]
    assert plain.exit_code == 1 and doc["doctype"]["id"] == "leader-duty-report" and doc["results"] == []
    forced = CliRunner().invoke(cli, ["check", "-f", "json", "--as-report", str(path)])
    doc = json.loads(forced.output)["documents"][0]
    assert doc["doctype"] is None and doc["score"] > 0 and doc["grade"] != "未评分"
    first = next(r for r in doc["results"] if r["id"] == "first-responsible-duty")
    assert first["status"] == "pass"  # the text's own words are read as a report's
    text = CliRunner().invoke(cli, ["check", "--as-report", str(path)]).output
    assert "不是法治政府建设年度报告" not in text and "党政主要负责人履行第一责任人职责" in text
    docx = pytest.importorskip("docx")
    flagged = tmp_path / "flagged.docx"  # the Word copy's title says what the document is
    CliRunner().invoke(cli, ["annotate", "-o", str(flagged), str(path)])
    (title,) = [c.text for c in docx.Document(str(flagged)).comments]
    assert "不是法治政府建设年度报告：这是述法报告" in title and "必备项均已具备" not in title
    out = tmp_path / "shufa.docx"
    done = CliRunner().invoke(cli, ["annotate", "--as-report", "-o", str(out), str(path)])
    assert done.exit_code in (0, 1), done.output
    comments = [c.text for c in docx.Document(str(out)).comments]
    assert not any("不是法治政府建设年度报告" in c for c in comments) and len(comments) > 3
