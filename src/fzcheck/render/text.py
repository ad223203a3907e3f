"""The gap report for a terminal: score, grade, every rule with its evidence or its fix."""
from __future__ import annotations

import click

from fzcheck.i18n import pick, t
from fzcheck.model import FAIL, PARTIAL, PASS, DocumentResult, RuleResult
from fzcheck.render import Report
from fzcheck.render.common import (basis_text, gate_text, hit_status_text, item_look, location_text, look, points,
                                   profile_text, sorted_rules, status_text, tells_more, title_of, why_text)


def _style(text: str, color: bool, **kw) -> str:
    return click.style(text, **kw) if color else text


def _rule_lines(r: RuleResult, lang: str, color: bool) -> list[str]:
    mark = look(r.status)
    head = (f"{_style(mark.mark, color, fg=mark.term, bold=True)} "
            f"{title_of(r, lang)} ({r.id})  {status_text(r.status, lang)} · {t('severity.' + r.severity, lang)}"
            f" · {points(r)}")
    lines = [head, f"    {r.message}"]
    why = r.why_not
    if tells_more(why) and not r.items:
        ev = why.evidence
        loc = location_text(ev, lang)
        lines.append(f"    {t('out.why_not', lang)}: {pick(why.text, lang)}"
                     + _style(f"  “{ev.text}”", color, dim=True) + (f"  [{loc}]" if loc else ""))
    for item in r.items:
        mark = item_look(item.status)
        tag = t("item." + item.status, lang)
        extra = t("out.collective", lang) if item.collective else ""
        because = f" — {why_text(item.why_not, lang)}" if tells_more(item.why_not) else ""
        lines.append(f"    {_style(mark.mark, color, fg=mark.term)} "
                     f"{pick(item.title, lang)}: {tag}{extra}{because}")
    for ev in (r.evidence[:1] if r.status == PASS else r.evidence):
        role = t("role." + ev.role, lang)
        status = hit_status_text(ev.status, lang)
        loc = location_text(ev, lang)
        lines.append(_style(f"    “{ev.text}”", color, dim=True) + f"  [{status} · {role}{' · ' + loc if loc else ''}]")
    if r.status in (FAIL, PARTIAL) and r.fix:
        lines.append(f"    {t('report.fix', lang)}: {r.fix}")
        if r.basis:
            lines.append(f"    {t('report.basis', lang)}: {basis_text(r, lang)}")
    return lines


def render_document(d: DocumentResult, lang: str, color: bool) -> str:
    gate = gate_text(d, lang)
    year = d.year if d.year is not None else t("report.year_unknown", lang)
    out = [
        _style(d.path, color, bold=True),
        f"{t('report.year', lang)}: {year}    {t('report.published', lang)}: {d.published or '-'}",
        f"{t('report.score', lang)}: {_style(f'{d.score:g}', color, bold=True)}    "
        f"{t('report.grade', lang)}: {d.grade}    "
        + _style(gate, color, fg=look(PASS if d.passed else FAIL).term, bold=True)
        + f"  ({t('report.threshold', lang)} {d.threshold:g})",
        f"{t('report.parts', lang)}:",
    ]
    if d.profile:  # --profile: which one was used and why
        out.insert(2, f"{t('report.profile', lang)}: {profile_text(d.profile, lang)}")
    if d.sections:
        for s in d.sections:
            line = f" {t('report.line', lang, line=s['line'])}" if s.get("line") else ""
            out.append(f"  {s['heading'][:40]}  [{t('role.' + s['role'], lang)}"
                       f"{' + ' + t('role.next_year', lang) if s.get('combined') else ''}]{line}")
    else:
        out.append("  " + t("report.no_parts", lang))
    out.append("")
    for r in sorted_rules(d.results):
        out.extend(_rule_lines(r, lang, color))
    return "\n".join(out)


def render(report: Report, lang: str = "zh", color: bool = False) -> str:
    blocks = [render_document(d, lang, color) for d in report.documents]
    for e in report.errors:
        blocks.append(_style(f"{e['path']}: {t('report.error', lang)}: {e['error']}", color, fg=look(FAIL).term))
    if len(report.documents) + len(report.errors) > 1:
        passed = sum(1 for d in report.documents if d.passed)
        blocks.append(t("report.summary", lang, n=len(report.documents) + len(report.errors), passed=passed,
                        failed=len(report.documents) - passed, errors=len(report.errors)))
    sep = "\n\n" + "─" * 60 + "\n\n"
    return sep.join(blocks) + "\n"
