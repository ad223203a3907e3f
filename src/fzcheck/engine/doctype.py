"""Is the document an annual report on rule-of-law government at all?

A 政府信息公开工作年度报告, a 政府工作报告, a 实施方案 or 工作要点 (a plan), a how-to page:
each is said to be what it is instead of being scored. What each type looks like is data,
the ``doctypes:`` section of the rule set; this module knows no document type. It decides
from the title lines and the opening only, never from a mention in the text (many real
reports name 政府信息公开 or 政府工作报告), and a title line that says the document is the
report (``report_title``) ends the search: a real report is never taken for another type.
"""
from __future__ import annotations

import re
from typing import Any

from fzcheck.engine.frontmatter import looks_like_navigation
from fzcheck.i18n import pick, t
from fzcheck.model import Document, Paragraph
from fzcheck.rules.model import RuleSet
from fzcheck.rules.patterns import as_list, compile_pattern

NOT_A_REPORT = "not_a_report"
_TITLE_MAX = 80
_HEAD = re.compile(r"^\s*([^\s。]{2,60}?)(?:\s|。|$)")


def title_lines(paragraphs: list[Paragraph], lines: int = 8) -> list[str]:
    """The lines that may be the title: short lines (no 。) among the first ``lines``
    non-empty paragraphs, page navigation skipped; a first paragraph that runs title and
    text together gives its head."""
    out: list[str] = []
    seen = 0
    for par in paragraphs:
        text = par.text.strip()
        if not text:
            continue
        seen += 1
        if seen > lines:
            break
        if looks_like_navigation(text):
            continue
        if len(text) <= _TITLE_MAX and "。" not in text:
            out.append(text)
        elif seen == 1:
            m = _HEAD.match(text)
            if m:
                out.append(m.group(1))
    return out


def _search(patterns: list[str], text: str, year: int | None, label: str):
    for p in patterns:
        m = compile_pattern(p, year, label).search(text)
        if m:
            return m
    return None


def detect(doc: Document, ruleset: RuleSet, lang: str = "zh") -> dict[str, Any] | None:
    """``{"kind": "not_a_report", "id", "what", "why"}`` for a document of another type, else None."""
    spec = ruleset.raw.get("doctypes") or {}
    types = spec.get("types") or []
    if not types:
        return None
    titles = title_lines(doc.paragraphs, int(spec.get("lines", 8)))
    for line in titles:
        if _search(as_list(spec.get("report_title")), line, doc.year, "doctypes.report_title"):
            return None
    opening = "\n".join(p.text for p in doc.paragraphs[:40])[: int(spec.get("opening_chars", 600))]
    for dtype in types:
        label = f"doctypes.{dtype['id']}"
        for line in titles:
            if _search(as_list(dtype.get("title")), line, doc.year, label + ".title") \
                    and not _search(as_list(dtype.get("unless")), line, doc.year, label + ".unless"):
                return _found(dtype, t("doctype.why_title", lang, title=line), lang)
        m = _search(as_list(dtype.get("opening")), opening, doc.year, label + ".opening")
        if m:
            return _found(dtype, t("doctype.why_opening", lang, words=m.group(0).strip()[:40]), lang)
    return None


def _found(dtype: dict[str, Any], why: str, lang: str) -> dict[str, Any]:
    what = dtype.get("what")
    what = pick(what, lang) if isinstance(what, dict) else str(what or dtype["id"])
    return {"kind": NOT_A_REPORT, "id": dtype["id"], "what": what, "why": why}
