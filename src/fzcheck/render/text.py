"""The gap report for a terminal: score, grade, every rule with its evidence or its fix."""
from __future__ import annotations

import click

from fzcheck.i18n import pick, t
from fzcheck.model import FAIL, NOT_APPLICABLE, PARTIAL, PASS, WAIVED, DocumentResult, RuleResult
from fzcheck.render import Report
from fzcheck.render.common import location_text, profile_text, why_text

_MARK = {PASS: "✔", PARTIAL: "◐", FAIL: "✘", NOT_APPLICABLE: "–", WAIVED: "≈"}
_COLOR = {PASS: "green", PARTIAL: "yellow", FAIL: "red", NOT_APPLICABLE: "bright_black", WAIVED: "cyan"}
_ORDER = {FAIL: 0, PARTIAL: 1, WAIVED: 2, PASS: 3, NOT_APPLICABLE: 4}


def _style(text: str, color: bool, **kw) -> str:
    return click.style(text, **kw) if color else text


def _basis(rule: RuleResult) -> str:
    return "；".join(b["doc"] + (b.get("article") or "") for b in rule.basis)


def _rule_lines(r: RuleResult, lang: str, color: bool) -> list[str]:
    title = r.title.get(lang) or r.title.get("zh", r.id)
    head = (f"{_style(_MARK[r.status], color, fg=_COLOR[r.status], bold=True)} "
            f"{title} ({r.id})  {t('status.' + r.status, lang)} · {t('severity.' + r.severity, lang)}"
            f" · {round(r.weight * r.credit, 1):g}/{r.weight:g}")
    lines = [head, f"    {r.message}"]
    why = r.why_not
    if why is not None and why.evidence is not None and not r.items and why.reason not in ("plan", "problem", "negated"):
        ev = why.evidence
        loc = location_text(ev, lang)
        lines.append(f"    {t('out.why_not', lang)}: {pick(why.text, lang)}"
                     + _style(f"  “{ev.text}”", color, dim=True) + (f"  [{loc}]" if loc else ""))
    for item in r.items:
        mark = "✔" if item.status == PASS else "✘"
        tag = t("item." + item.status, lang)
        extra = "（统称）" if item.collective and lang == "zh" else (" (collective)" if item.collective else "")
        reason = item.why_not
        because = (f" — {why_text(reason, lang)}" if reason is not None and reason.evidence is not None
                   and reason.reason not in ("plan", "problem", "negated") else "")
        lines.append(f"    {_style(mark, color, fg='green' if item.status == PASS else 'red')} "
                     f"{pick(item.title, lang)}: {tag}{extra}{because}")
    for ev in (r.evidence[:1] if r.status == PASS else r.evidence):
        role = t("role." + ev.role, lang)
        status = (t("hit." + ev.status, lang)
                  if ev.status in ("done", "plan", "problem", "negated", "found", "not_counted") else ev.status)
        loc = location_text(ev, lang)
        lines.append(_style(f"    “{ev.text}”", color, dim=True) + f"  [{status} · {role}{' · ' + loc if loc else ''}]")
    if r.status in (FAIL, PARTIAL) and r.fix:
        lines.append(f"    {t('report.fix', lang)}: {r.fix}")
        if r.basis:
            lines.append(f"    {t('report.basis', lang)}: {_basis(r)}")
    return lines


def render_document(d: DocumentResult, lang: str, color: bool) -> str:
    gate = t("report.gate_pass", lang) if d.passed else t("report.gate_fail", lang)
    year = d.year if d.year is not None else t("report.year_unknown", lang)
    out = [
        _style(d.path, color, bold=True),
        f"{t('report.year', lang)}: {year}    {t('report.published', lang)}: {d.published or '-'}",
        f"{t('report.score', lang)}: {_style(f'{d.score:g}', color, bold=True)}    "
        f"{t('report.grade', lang)}: {d.grade}    "
        + _style(gate, color, fg="green" if d.passed else "red", bold=True)
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
    for r in sorted(d.results, key=lambda r: (_ORDER[r.status], 0 if r.severity == "required" else 1)):
        out.extend(_rule_lines(r, lang, color))
    return "\n".join(out)


def render(report: Report, lang: str = "zh", color: bool = False) -> str:
    blocks = [render_document(d, lang, color) for d in report.documents]
    for e in report.errors:
        blocks.append(_style(f"{e['path']}: {t('report.error', lang)}: {e['error']}", color, fg="red"))
    if len(report.documents) + len(report.errors) > 1:
        passed = sum(1 for d in report.documents if d.passed)
        blocks.append(t("report.summary", lang, n=len(report.documents) + len(report.errors), passed=passed,
                        failed=len(report.documents) - passed, errors=len(report.errors)))
    sep = "\n\n" + "─" * 60 + "\n\n"
    return sep.join(blocks) + "\n"
