"""The gap report for a terminal: score, grade, the gate and why, every rule with its
evidence or its fix; info rules apart at the end. ``--gaps-only``: only what is missing or
partial, with why, how to fix it and its basis."""
from __future__ import annotations

import click

from fzcheck.i18n import pick, t
from fzcheck.model import FAIL, PARTIAL, PASS, DocumentResult, RuleResult
from fzcheck.render import Report
from fzcheck.render.common import (basis_text, doctype_line, gate_reason, gate_text, hit_status_text, is_gap, item_look, item_status_text,
                                   location_text, look, points, profile_text, rule_look, rule_status_text,
                                   sorted_rules, tells_more, title_of, why_text)


def _style(text: str, color: bool, **kw) -> str:
    return click.style(text, **kw) if color else text


def _why_line(r: RuleResult, lang: str, color: bool) -> list[str]:
    why = r.why_not
    if not tells_more(why) or r.items:
        return []
    ev = why.evidence
    loc = location_text(ev, lang)
    return [f"    {t('out.why_not', lang)}: {pick(why.text, lang)}"
            + _style(f"  “{ev.quote}”", color, dim=True) + (f"  [{loc}]" if loc else "")]


def _rule_lines(r: RuleResult, lang: str, color: bool, gaps_only: bool = False) -> list[str]:
    mark = rule_look(r)
    head = (f"{_style(mark.mark, color, fg=mark.term, bold=True)} "
            f"{title_of(r, lang)} ({r.id})  {rule_status_text(r, lang)} · {t('severity.' + r.severity, lang)}"
            f" · {points(r)}")
    lines = [head, f"    {r.message}"]
    lines += _why_line(r, lang, color)
    for item in r.items:
        if gaps_only and item_look(item.status) is look(PASS):
            continue
        mark = item_look(item.status)
        tag = item_status_text(item, lang)
        extra = t("out.collective", lang) if item.collective else ""
        because = f" — {why_text(item.why_not, lang)}" if tells_more(item.why_not) else ""
        lines.append(f"    {_style(mark.mark, color, fg=mark.term)} "
                     f"{pick(item.title, lang)}: {tag}{extra}{because}")
    shown = r.evidence[:1] if r.status == PASS else (r.evidence[:2] if gaps_only else r.evidence)
    for ev in shown:
        role = t("role." + ev.role, lang)
        status = hit_status_text(ev.status, lang)
        loc = location_text(ev, lang)
        lines.append(_style(f"    “{ev.quote}”", color, dim=True) + f"  [{status} · {role}{' · ' + loc if loc else ''}]")
    if r.status in (FAIL, PARTIAL) and r.fix:
        lines.append(f"    {t('report.fix', lang)}: {r.fix}")
        if r.basis:
            lines.append(f"    {t('report.basis', lang)}: {basis_text(r, lang)}")
    return lines


def render_document(d: DocumentResult, lang: str, color: bool, gaps_only: bool = False) -> str:
    warned = [_style(w["message"], color, fg="yellow") for w in d.warnings]
    if d.not_a_report:  # another kind of document: said so at the top, no score, no rules
        return "\n".join([_style(d.path, color, bold=True),
                          _style(doctype_line(d, lang), color, fg=look(FAIL).term, bold=True),
                          _style(f"{t('out.gate', lang)}: {gate_text(d, lang)}", color, fg=look(FAIL).term)] + warned)
    year = d.year if d.year is not None else t("report.year_unknown", lang)
    gate = gate_text(d, lang)
    out = [
        _style(d.path, color, bold=True),
        f"{t('report.year', lang)}: {year}    {t('report.published', lang)}: {d.published or '-'}",
        f"{t('report.score', lang)}: {_style(f'{d.score:g}', color, bold=True)}    "
        f"{t('report.grade', lang)}: {d.grade}    "
        + _style(gate, color, fg=look(PASS if d.passed else FAIL).term, bold=True)
        + f"  ({t('report.threshold', lang)} {d.threshold:g})",
    ]
    why = gate_reason(d, lang)  # never "未通过" beside a grade without the reason
    if why:
        out.append(_style(f"{t('out.why_fail', lang)}: {why}", color, fg=look(FAIL).term))
    out += warned
    if d.profile:  # --profile: which one was used and why
        out.insert(2, f"{t('report.profile', lang)}: {profile_text(d.profile, lang)}")
    if gaps_only:
        gaps = [r for r in sorted_rules(d.results) if is_gap(r)]
        out += ["", f"{t('out.gaps_title', lang)}（{len(gaps)}）" if lang == "zh" else f"{t('out.gaps_title', lang)} ({len(gaps)})"]
        if not gaps:
            out.append(t("out.gaps_none", lang))
        for r in gaps:
            out.extend(_rule_lines(r, lang, color, gaps_only=True))
        return "\n".join(out)
    out.append(f"{t('report.parts', lang)}:")
    if d.sections:
        for s in d.sections:
            line = f" {t('report.line', lang, line=s['line'])}" if s.get("line") else ""
            out.append(f"  {s['heading'][:40]}  [{t('role.' + s['role'], lang)}"
                       f"{' + ' + t('role.next_year', lang) if s.get('combined') else ''}]{line}")
    else:
        out.append("  " + t("report.no_parts", lang))
    out.append("")
    ordered = sorted_rules(d.results)
    for r in (r for r in ordered if not r.info):
        out.extend(_rule_lines(r, lang, color))
    notes = [r for r in ordered if r.info]
    if notes:  # info rules apart, at the end, grey: they never weigh nor fail the gate
        out += ["", _style(f"{t('out.info_rules', lang)}:", color, fg="bright_black")]
        for r in notes:
            out.extend(_style(line, color, fg="bright_black") for line in _rule_lines(r, lang, False))
    return "\n".join(out)


def render(report: Report, lang: str = "zh", color: bool = False) -> str:
    blocks = [render_document(d, lang, color, report.gaps_only) for d in report.documents]
    for e in report.errors:
        blocks.append(_style(f"{e['path']}: {t('report.error', lang)}: {e['error']}", color, fg=look(FAIL).term))
    if len(report.documents) + len(report.errors) > 1:
        passed = sum(1 for d in report.documents if d.passed)
        blocks.append(t("report.summary", lang, n=len(report.documents) + len(report.errors), passed=passed,
                        failed=len(report.documents) - passed, errors=len(report.errors)))
    sep = "\n\n" + "─" * 60 + "\n\n"
    return sep.join(blocks) + "\n"
