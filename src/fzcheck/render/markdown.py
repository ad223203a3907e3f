"""The gap report as Markdown, for pasting into an issue or a wiki."""
from __future__ import annotations

from fzcheck.i18n import pick, t
from fzcheck.model import FAIL, PARTIAL, PASS, STATUS_REASONS, DocumentResult, RuleResult
from fzcheck.render import Report
from fzcheck.render.common import (areas, basis_text, doc_title, doctype_line, gate_reason, gate_text, group_name, hit_text, is_gap,
                                   item_look, item_status_text, location_text, points, profile_text, rule_look,
                                   rule_status_text, shown_evidence, sorted_rules, tells_more, title_of, why_text)

_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|#~"})


def esc(text: object) -> str:
    """Text from a report, made inert: no Markdown or HTML meaning, one line."""
    return " ".join(str(text).split()).translate(_SPECIAL)


def _bar(pct: float | None, width: int = 20) -> str:
    if pct is None:
        return "–"
    full = round(pct / 100 * width)
    return "█" * full + "░" * (width - full) + f" {pct:.0f}%"


def _rule(r: RuleResult, lang: str, gaps_only: bool = False) -> list[str]:
    head = (f"### {rule_look(r).emoji} {esc(title_of(r, lang))} (`{r.id}`) — {rule_status_text(r, lang)}"
            f" · {t('severity.' + r.severity, lang)} · {points(r)}")
    out = [head, "", f"- **{t('out.finding', lang)}**: {esc(r.message)}"]
    if r.items:
        parts = []
        for i in r.items:
            if gaps_only and i.status == "pass":
                continue
            mark = item_look(i.status).emoji
            coll = t("out.collective", lang) if i.collective else ""
            item = t("out.label", lang, label=esc(pick(i.title, lang) or i.id), text=item_status_text(i, lang) + coll)
            if tells_more(i.why_not):
                item = t("out.aside", lang, text=item, aside=esc(why_text(i.why_not, lang)))
            parts.append(f"{mark} {item}")
        out.append(f"- **{t('out.items', lang)}**: " + t("sep.clause", lang).join(parts))
    if r.why_not is not None and r.status != PASS and not r.items:
        why = r.why_not
        if why.reason in STATUS_REASONS or (why.evidence is None and pick(why.text, lang) == r.message):
            pass  # the finding and the evidence already say it
        elif why.evidence is not None:
            loc = location_text(why.evidence, lang)
            quoted = t("out.label", lang, label=esc(pick(why.text, lang)), text=f"“{esc(why.evidence.quote)}”")
            out.append(f"- **{t('out.why_not', lang)}**: "
                       + (t("out.aside", lang, text=quoted, aside=esc(loc)) if loc else quoted))
        else:
            out.append(f"- **{t('out.why_not', lang)}**: {esc(pick(why.text, lang))}")
    if r.description and r.status != PASS and not gaps_only:
        out.append(f"- **{t('out.what', lang)}**: {esc(r.description)}")
    if r.fix and r.status in (FAIL, PARTIAL):
        out.append(f"- **{t('report.fix', lang)}**: {esc(r.fix)}")
    if r.basis:
        out.append(f"- **{t('report.basis', lang)}**: {esc(basis_text(r, lang))}")
    shown, more = shown_evidence(r)
    if gaps_only:
        shown, more = shown[:1], 0
    if shown:
        out.append(f"- **{t('out.evidence', lang)}**:")
        for ev in shown:
            loc = location_text(ev, lang)
            out.append(f"  > “{esc(ev.quote)}”  ")
            out.append(f"  > — {esc(loc) + ' · ' if loc else ''}{hit_text(ev, lang)}")
            out.append("")
        if more:
            out.append(f"  {t('out.more_evidence', lang, n=more)}")
    elif r.status in (FAIL, PARTIAL):
        out.append(f"- **{t('out.evidence', lang)}**: {t('out.no_evidence', lang)}")
    out.append("")
    return out


def _warnings(d: DocumentResult) -> list[str]:
    """What the reader warns of (struck-through text in a PDF …), under the header."""
    return [line for w in d.warnings for line in ("", f"> {esc(w['message'])}")]


def render_document(d: DocumentResult, lang: str, gaps_only: bool = False) -> list[str]:
    if d.not_a_report:  # another kind of document: said so at the top, no score, no rules
        return [f"# {t('out.label', lang, label=t('out.title', lang), text=esc(doc_title(d)))}", "",
                f"> **{esc(doctype_line(d, lang))}**", "",
                f"- {t('out.file', lang)}: {esc(d.path)}", f"- {t('out.gate', lang)}: **{gate_text(d, lang)}**",
                *_warnings(d)]
    year = d.year if d.year is not None else t("report.year_unknown", lang)
    out = [f"# {t('out.label', lang, label=t('out.title', lang), text=esc(doc_title(d)))}", "",
           "| | |", "|---|---|"]
    if d.meta.get("unit"):
        out.append(f"| {t('out.unit', lang)} | {esc(d.meta['unit'])} |")
    out += [
        f"| {t('out.file', lang)} | {esc(d.path)} |",
        f"| {t('report.year', lang)} | {year} |",
        f"| {t('report.published', lang)} | {esc(d.published or '–')} |",
        *([f"| {t('report.profile', lang)} | {esc(profile_text(d.profile, lang))} |"] if d.profile else []),
        f"| {t('report.score', lang)} | **{d.score:g}** |",
        f"| {t('report.grade', lang)} | {esc(d.grade)} |",
        f"| {t('out.gate', lang)} | **{gate_text(d, lang)}** ({t('report.threshold', lang)} {d.threshold:g}) |",
    ]
    if gate_reason(d, lang):  # never "未通过" without its reason
        out.append(f"| {t('out.why_fail', lang)} | {esc(gate_reason(d, lang))} |")
    out += _warnings(d)
    if gaps_only:
        gaps = [r for r in sorted_rules(d.results) if is_gap(r)]
        out += ["", f"## {t('out.gaps_title', lang)} ({len(gaps)})", "", f"_{t('out.gaps_intro', lang)}_", ""]
        if not gaps:
            out.append(t("out.gaps_none", lang))
        for r in gaps:
            out.extend(_rule(r, lang, gaps_only=True))
        return out
    out += [
        "", f"## {t('out.coverage', lang)}", "",
        f"| {t('out.area', lang)} | {t('out.points', lang)} | |", "|---|---|---|",
    ]
    for a in areas(d):
        got = sum(r.weight * r.credit for r in a.counted)
        total = sum(r.weight for r in a.counted)
        out.append(f"| {esc(group_name(a.group, lang))} | {got:.1f}/{total:g} | `{_bar(a.coverage)}` |")
    out += ["", f"## {t('out.rules', lang)}", ""]
    ordered = sorted_rules(d.results)
    for r in (r for r in ordered if not r.info):
        out.extend(_rule(r, lang))
    notes = [r for r in ordered if r.info]
    if notes:  # info rules apart, at the end: they never weigh nor fail the gate
        out += [f"## {t('out.info_rules', lang)}", ""]
        for r in notes:
            out.extend(_rule(r, lang))
    return out


def render(report: Report, lang: str = "zh", color: bool = False) -> str:
    blocks = ["\n".join(render_document(d, lang, report.gaps_only)) for d in report.documents]
    if report.errors:
        lines = [f"# {t('out.errors', lang)}", ""]
        lines += [f"- {esc(e['path'])}: {esc(e['error'])}" for e in report.errors]
        blocks.append("\n".join(lines))
    footer = t("out.generated", lang, version=report.tool_version, ruleset=report.ruleset_id,
               rv=report.ruleset_version)
    return "\n\n---\n\n".join(blocks) + f"\n\n_{esc(footer)}_\n"
