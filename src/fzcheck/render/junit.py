"""JUnit XML for CI systems: one test suite per report, one test case per rule.

A rule that fails or is partial is a <failure>; one that does not apply or is waived, and
every info rule (a note: it never weighs nor fails the gate), is <skipped>; a report that
cannot be read is a suite with one <error>. The suite's properties say why a report fails.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET

import regex

from fzcheck import lazyre

from fzcheck.i18n import t
from fzcheck.model import FAIL, NOT_APPLICABLE, PARTIAL, WAIVED, DocumentResult
from fzcheck.render import Report
from fzcheck.render.common import (basis_text, doctype_line, gate_reason, location_text, relative_uri, rule_status_text, sorted_rules,
                                   title_of)

_BAD_XML = lazyre.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: object) -> str:
    """Characters XML 1.0 cannot carry are dropped (escaping is ElementTree's job)."""
    return _BAD_XML.sub("", str(text))


def _suite(d: DocumentResult, lang: str) -> ET.Element:
    name = relative_uri(d.path)
    suite = ET.Element("testsuite", name=clean(name))
    props = ET.SubElement(suite, "properties")
    for key, value in (("score", f"{d.score:g}"), ("grade", d.grade), ("passed", str(d.passed).lower()),
                       ("year", "" if d.year is None else str(d.year)), ("title", d.meta.get("title", "")),
                       ("unit", d.meta.get("unit", "")), ("why_fail", gate_reason(d, lang))):
        ET.SubElement(props, "property", name=key, value=clean(value))
    failures = skipped = 0
    if d.not_a_report:  # another kind of document: one failing test saying what it is
        case = ET.SubElement(suite, "testcase", classname=clean(name), name="not-a-report")
        failures += 1
        ET.SubElement(case, "failure", message=clean(doctype_line(d, lang)), type="not_a_report").text = \
            clean(gate_reason(d, lang))
    for r in sorted_rules(d.results):
        case = ET.SubElement(suite, "testcase", classname=clean(name), name=clean(f"{r.id} {title_of(r, lang)}"))
        if r.info:  # a note, never a failing test
            skipped += 1
            ET.SubElement(case, "skipped", message=clean(f"{rule_status_text(r, lang)}: {r.message}"))
        elif r.status in (FAIL, PARTIAL):
            failures += 1
            body = [r.message]
            if r.fix:
                body.append(f"{t('report.fix', lang)}: {r.fix}")
            if r.basis:
                body.append(f"{t('report.basis', lang)}: {basis_text(r, lang)}")
            for ev in r.evidence[:4]:
                body.append(f"“{ev.quote}” [{location_text(ev, lang)}]")
            failure = ET.SubElement(case, "failure", message=clean(f"{rule_status_text(r, lang)}: {r.message}"),
                                    type=clean(f"{r.severity}.{r.status}"))
            failure.text = clean("\n".join(body))
        elif r.status in (NOT_APPLICABLE, WAIVED):
            skipped += 1
            ET.SubElement(case, "skipped", message=clean(f"{rule_status_text(r, lang)}: {r.message}"))
    suite.set("tests", str(len(d.results) + (1 if d.not_a_report else 0)))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", str(skipped))
    return suite


def _error_suite(e: dict, lang: str) -> ET.Element:
    name = clean(relative_uri(e["path"]))
    suite = ET.Element("testsuite", name=name, tests="1", failures="0", errors="1", skipped="0")
    case = ET.SubElement(suite, "testcase", classname=name, name="read")
    err = ET.SubElement(case, "error", message=clean(f"{t('report.error', lang)}: {e['error']}"), type="unreadable")
    err.text = clean(e["error"])
    return suite


def render(report: Report, lang: str = "zh", color: bool = False) -> str:
    root = ET.Element("testsuites", name="fzcheck")
    suites = [_suite(d, lang) for d in report.documents] + [_error_suite(e, lang) for e in report.errors]
    for key in ("tests", "failures", "errors", "skipped"):
        root.set(key, str(sum(int(s.get(key, "0")) for s in suites)))
    root.extend(suites)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
