"""The HTML gap report: self-contained, escaped, complete, ordered; the coverage chart."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from fzcheck.engine.check import check_path
from fzcheck.model import FAIL, PARTIAL
from fzcheck.render import Report, render
from fzcheck.render.common import sorted_rules
from tests.helpers import check_text

HOSTILE = """某镇2023年法治政府建设年度报告<img src=x onerror=alert(1)>
一、2023年度推进法治政府建设的主要举措和成效
成立了法治政府建设领导小组<script>alert("x")</script>，全年召开会议3次。
二、存在的不足和原因
一是重大行政决策程序不够规范。
三、2024年工作安排
下一步将聘请法律顾问"><iframe src="https://evil.example/">。
"""


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def parse(html: str) -> Tags:
    p = Tags()
    p.feed(html)
    return p


@pytest.fixture(scope="module")
def sample(ruleset, sample_path):
    return Report(ruleset.id, ruleset.version, [check_path(str(sample_path), ruleset)])


def test_html_is_self_contained(sample):
    html = render(sample, "html")
    tags = parse(html).tags
    names = {t for t, _ in tags}
    assert "script" not in names and "link" not in names and "iframe" not in names
    for _, attrs in tags:
        for key in ("src", "href", "action", "data"):
            assert key not in attrs or not re.match(r"(https?:)?//", attrs[key] or ""), attrs
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", html) and "@import" not in html
    csp = next(a["content"] for t, a in tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp and "script-src" not in csp


def test_html_escapes_everything_from_the_report(ruleset):
    report = Report(ruleset.id, ruleset.version, [check_text(HOSTILE, ruleset, lang="zh")])
    html = render(report, "html")
    names = [t for t, _ in parse(html).tags]
    assert "script" not in names and "iframe" not in names and "img" not in names
    assert "&lt;script&gt;" in html and "&lt;iframe" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # the title, escaped


def test_html_has_header_every_rule_and_failures_first(sample):
    d = sample.documents[0]
    html = render(sample, "html")
    assert f'data-score="{d.score:g}"' in html
    assert d.meta["title"] in html and d.meta["unit"] in html and d.grade in html
    assert "通过" in html  # the gate (the sample passes)
    rows = re.findall(r'<tr class="row-([a-z_]+)" [^>]*data-rule="([^"]+)"', html)
    assert [rid for _, rid in rows] == [r.id for r in sorted_rules(d.results)]
    assert len(rows) == len(d.results)
    info = {r.id for r in d.results if r.info}
    status = [s for s, rid in rows if rid not in info]  # info rules apart, at the end
    assert [rid for _, rid in rows][len(status):] == [r.id for r in sorted_rules(d.results) if r.info]
    last_bad = max(i for i, s in enumerate(status) if s in (FAIL, PARTIAL))
    assert all(s in (FAIL, PARTIAL) for s in status[: last_bad + 1])
    enf = next(r for r in d.results if r.id == "enforcement-systems")
    assert enf.status == PARTIAL and enf.fix in html
    assert "国办发〔2018〕118号" in html  # its legal basis
    # evidence quoted with its location, the matched words marked
    assert "第11行" in html and "<mark>" in html


def test_html_chart_one_bar_per_rule_coloured_by_status(sample):
    d = sample.documents[0]
    html = render(sample, "html")
    svg = html[html.index("<svg"): html.index("</svg>")]
    bars = re.findall(r'<g class="rule" data-rule="([^"]+)" data-status="([^"]+)">', svg)
    assert sorted(bars) == sorted((r.id, r.status) for r in d.results)
    # one area per group, and the info rules (notes) in one of their own
    assert len(re.findall(r'<g class="area">', svg)) == len({"info" if r.info else r.group for r in d.results})
    # a partial rule's bar is amber and about as long as its credit
    enf = next(r for r in d.results if r.id == "enforcement-systems")
    m = re.search(r'data-rule="enforcement-systems".*?width="380".*?<rect [^>]*width="([\d.]+)"[^>]*fill="([^"]+)"',
                  svg)
    assert m and m.group(2) == "#e0a100" and abs(float(m.group(1)) - 380 * enf.credit) < 0.2


def test_html_english_and_page_breaks(ruleset, sample_path):
    d = check_path(str(sample_path), ruleset)
    two = Report(ruleset.id, ruleset.version, [d, d], [{"path": "x.docx", "error": "not a zip file"}])
    html = render(two, "html", lang="en")
    assert 'lang="en"' in html and "Coverage by area" in html and "Files that could not be checked" in html
    assert html.count('<section class="doc"') == 2
    assert ".doc + .doc" in html and "break-before: page" in html and "size: A4" in html
    assert "display: table-header-group" in html


def test_html_says_why_a_good_score_fails_the_gate(ruleset):
    # everything but the causes of the shortcomings: a high score, but a required rule fails
    text = """某镇2023年法治政府建设年度报告
一、2023年度推进法治政府建设的主要举措和成效
成立了法治政府建设领导小组，全年召开会议3次，研究议题15项。
二、存在的不足
一是执法力量薄弱。
三、2024年工作安排
下一步将加强执法队伍建设。
"""
    d = check_text(text, ruleset)
    causes = next(r for r in d.results if r.id == "structure.causes")
    assert causes.status == FAIL and not d.passed
    html = render(Report(ruleset.id, ruleset.version, [d]), "html")
    why = re.search(r'<tr class="why"><th>未通过原因</th><td>([^<]*)</td>', html)
    assert why and "必备项缺失" in why.group(1) and "不足的原因分析" in why.group(1)
    assert "必备项缺失" in render(Report(ruleset.id, ruleset.version, [d]), "markdown")
    assert "未通过原因: 必备项缺失" in render(Report(ruleset.id, ruleset.version, [d]), "text")
    passing = render(Report(ruleset.id, ruleset.version, [check_text(text.replace("一是执法力量薄弱。",
                     "一是执法力量薄弱，原因是编制不足。"), ruleset)]), "html")
    assert 'class="why"' not in passing or "不足的原因分析" not in passing.split('class="why"')[1][:200]
