"""Nothing in a report runs: markup, scripts, event handlers and javascript: links that a report
contains come out as inert text in the HTML, Markdown and SARIF outputs."""
from __future__ import annotations

import json
import re

import pytest

import tests.test_browser_html as browser_tools
from fzcheck.engine.check import check_path
from fzcheck.render import Report, render

EVIL = [
    "<script>document.title='PWNED'</script>",
    '<img src=x onerror="document.body.setAttribute(\'data-pwned\',\'1\')">',
    '<a href="javascript:alert(1)">点此</a>',
    "[点此](javascript:alert(1))",
    "![x](https://example.invalid/track.png)",
    "<iframe src=\"https://example.invalid\"></iframe>",
    "| 表格 | 注入 |",
    "\"><svg onload=alert(1)>",
]


def hostile_report(tmp_path):
    body = "".join(EVIL)
    text = (f"<b>青禾镇</b>2023年法治政府建设年度报告{EVIL[0]}\n"
            f"一、2023年度主要举措和成效{EVIL[1]}\n"
            f"成立了法治建设领导小组{body}。聘请常年法律顾问{EVIL[2]}。\n"
            f"二、存在的不足和原因{EVIL[3]}\n执法力量不足{EVIL[5]}，究其原因是编制少。\n"
            f"三、2024年工作安排{EVIL[7]}\n继续努力，共办理xx件{EVIL[4]}。\n")
    p = tmp_path / "evil<script>.txt"
    p.write_text(text, encoding="utf-8")
    return p


@pytest.fixture
def rendered(tmp_path, ruleset):
    d = check_path(str(hostile_report(tmp_path)), ruleset)
    # the payloads really reach the outputs through the evidence
    assert any("<script>" in e.text for r in d.results for e in r.evidence)
    report = Report(ruleset.id, ruleset.version, [d])
    return {fmt: render(report, fmt) for fmt in ("html", "markdown", "sarif")}


def test_html_escapes_every_payload(rendered):
    html = rendered["html"]
    for tag in ("<script>document", "<img src=x", "<a href=\"javascript", "<iframe", "<svg onload", "<b>青禾镇"):
        assert tag not in html, tag
    assert "&lt;script&gt;" in html
    assert not re.search(r"""(?:href|src)\s*=\s*["']?\s*javascript:""", html, re.I)
    assert not re.search(r"""(?:href|src)\s*=\s*["']?https?:""", html, re.I)
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", html, re.I), "an event handler attribute"
    assert "<script" not in html.lower()


def test_markdown_keeps_payloads_inert(rendered):
    md = rendered["markdown"]
    for raw in ("<script>", "<img ", "<iframe", "<svg", "<a href"):
        # a backslash-escaped "\<" is literal text in Markdown, never a tag
        assert not re.search(r"(?<!\\)" + re.escape(raw), md), raw
    # no live Markdown link or image to a javascript: or remote address
    # (an escaped "\]" is literal text, not the end of a link)
    assert not re.search(r"(?<!\\)\]\(\s*javascript:", md, re.I)
    assert not re.search(r"(?<!\\)!(?<!\\)\[[^\]]*(?<!\\)\]\(\s*https?:", md, re.I)


def test_sarif_carries_payloads_as_plain_strings(rendered):
    data = json.loads(rendered["sarif"])
    results = [r for run in data["runs"] for r in run["results"]]
    assert results
    # viewers render message.markdown: a payload may only appear there escaped
    for r in results:
        md = r["message"].get("markdown", "")
        assert not re.search(r"(?<!\\)<(script|img|iframe|svg|a )", md), md
    # the plain-text message and the snippets keep the report's text as data, unchanged
    texts = json.dumps(data, ensure_ascii=False)
    assert "&lt;script&gt;" not in texts
    assert "共办理xx件" in texts  # the placeholder's sentence is kept as plain data


def test_no_script_runs_in_a_real_browser(rendered, tmp_path, browser):
    page = tmp_path / "evil.html"
    page.write_text(rendered["html"], encoding="utf-8")
    dom, console = browser_tools.run(browser, tmp_path, page, "--dump-dom")
    assert dom, "the browser printed no DOM"
    title = re.search(r"<title>(.*?)</title>", dom, re.S)
    assert title and "PWNED" not in title.group(1), "a script from the report changed the title"
    assert not re.search(r"<body[^>]*data-pwned", dom), "an event handler from the report ran"
    assert "<script" not in dom.lower() and "<iframe" not in dom.lower()
    assert not console, f"console messages (a blocked script or load would show here): {console}"
    assert "&lt;script&gt;" in dom
