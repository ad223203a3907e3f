"""SARIF 2.1.0 for code-scanning systems: one result per rule that fails or is partial.

Info rules (notes: they never weigh nor fail the gate) give results of level ``note`` only
when asked (``check --info``, ``Report.show_info``); by default they are left out."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from fzcheck.i18n import pick, t
from fzcheck.model import FAIL, PARTIAL, DocumentResult, RuleResult
from fzcheck.render import Report
from fzcheck.render.common import (basis_text, catalogue_order, doctype_line, first_line, gate_reason, relative_uri, rule_status_text,
                                   sorted_rules, title_of)
from fzcheck.render.jsonfmt import dumps

NOT_A_REPORT = "not-a-report"  # the SARIF rule of a document of another type

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {"required": "error", "recommended": "warning", "info": "note"}


def level(severity: str) -> str:
    return LEVEL.get(severity, "warning")


def uri(path: str) -> str:
    rel = relative_uri(path)
    if rel.startswith("/") or (len(rel) > 1 and rel[1] == ":"):
        return Path(rel).as_uri()
    return quote(rel, safe="/")


def _descriptor(r: RuleResult, lang: str) -> dict:
    text = title_of(r, lang)
    out = {
        "id": r.id,
        "name": r.id,
        "shortDescription": {"text": text},
        "defaultConfiguration": {"level": level(r.severity)},
        "properties": {"severity": r.severity, "weight": r.weight, "group": r.group,
                       "title_zh": pick(r.title, "zh"), "title_en": pick(r.title, "en")},
    }
    if r.description:
        out["fullDescription"] = {"text": r.description}
    if r.basis:
        out["properties"]["basis"] = basis_text(r, lang)
    return out


def _message(r: RuleResult, lang: str) -> str:
    head = t("out.aside", lang, text=title_of(r, lang), aside=rule_status_text(r, lang))
    text = t("out.label", lang, label=head, text=r.message)
    if r.fix:
        text += "\n" + t("out.label", lang, label=t("report.fix", lang), text=r.fix)
    if r.basis:
        text += "\n" + t("out.label", lang, label=t("report.basis", lang), text=basis_text(r, lang))
    return text


def _result(d: DocumentResult, r: RuleResult, index: int, lang: str) -> dict:
    physical: dict = {"artifactLocation": {"uri": uri(d.path)}}
    line = first_line(r, d)
    if line:
        physical["region"] = {"startLine": line}
        quoted = next((ev for ev in r.evidence if ev.line == line), None)
        if quoted is not None:
            physical["region"]["snippet"] = {"text": quoted.text}
    return {
        "ruleId": r.id,
        "ruleIndex": index,
        "level": level(r.severity),
        "kind": "fail",
        "message": {"text": _message(r, lang)},
        "locations": [{"physicalLocation": physical}],
        "properties": {"status": r.status, "credit": round(r.credit, 4), "score": d.score, "grade": d.grade},
    }


def to_dict(report: Report, lang: str = "zh") -> dict:
    rules: dict[str, int] = {}
    descriptors: list[dict] = []
    results: list[dict] = []
    for d in report.documents:  # the rules in the rule set's order, the results as every report lists them
        for r in catalogue_order(d.results):
            if r.id not in rules:
                rules[r.id] = len(descriptors)
                descriptors.append(_descriptor(r, lang))
        for r in sorted_rules(d.results):
            if r.status in (FAIL, PARTIAL) and (not r.info or report.show_info):
                results.append(_result(d, r, rules[r.id], lang))
        if d.not_a_report:  # another kind of document: one error result saying what it is
            if NOT_A_REPORT not in rules:
                rules[NOT_A_REPORT] = len(descriptors)
                descriptors.append({"id": NOT_A_REPORT, "name": NOT_A_REPORT,
                                    "shortDescription": {"text": t("gate.not_a_report", lang, what="…", why="…")},
                                    "defaultConfiguration": {"level": "error"}})
            results.append({"ruleId": NOT_A_REPORT, "ruleIndex": rules[NOT_A_REPORT], "level": "error", "kind": "fail",
                            "message": {"text": doctype_line(d, lang)},
                            "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(d.path)}}}],
                            "properties": {"doctype": d.doctype}})
    notifications = [{
        "level": "error",
        "message": {"text": f"{t('report.error', lang)}: {e['error']}"},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(e["path"])}}}],
    } for e in report.errors]
    run = {
        "tool": {"driver": {"name": "fzcheck", "version": report.tool_version,
                            "rules": descriptors,
                            "properties": {"ruleset": report.ruleset_id, "rulesetVersion": report.ruleset_version}}},
        "invocations": [{"executionSuccessful": not report.errors, "toolExecutionNotifications": notifications}],
        "results": results,
        "properties": {"documents": [{"uri": uri(d.path), "score": d.score, "grade": d.grade, "passed": d.passed,
                                      **({"whyFail": gate_reason(d, lang)} if not d.passed else {}),
                                      **({"doctype": d.doctype} if d.doctype else {})}
                                     for d in report.documents]},
    }
    if lang != "en":
        run["language"] = "zh-CN"
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def render(report: Report, lang: str = "zh", color: bool = False) -> str:
    return dumps(to_dict(report, lang)) + "\n"
