"""The printed gap report: one self-contained HTML file laid out for A4.

No script, no network, no external asset: the page's Content-Security-Policy forbids
them, the chart is inline SVG and the fonts are the reader's own. Every string that
comes from a report is escaped.
"""
from __future__ import annotations

from html import escape

from fzcheck.i18n import pick, t
from fzcheck.model import FAIL, ITEM_PASS, PARTIAL, PASS, STATUS_REASONS, DocumentResult, Evidence, RuleResult
from fzcheck.render import Report
from fzcheck.render.common import (HIT_COLOR, basis_text, doc_title, doctype_line, gate_reason, gate_text, hit_text, is_gap,
                                   item_look, item_status_text, location_text, look, points, profile_text,
                                   rule_look, rule_status_text, shown_evidence, sorted_rules, status_text,
                                   tells_more, title_of, why_text)
from fzcheck.render.svg import coverage_chart

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:"

CSS = """
@page { size: A4; margin: 16mm 14mm 16mm 14mm; }
* { box-sizing: border-box; }
html { font-size: 10.5pt; }
body { margin: 0; color: #212121; background: #eceff1; line-height: 1.5;
  font-family: 'Noto Serif CJK SC','Source Han Serif SC','Songti SC',SimSun,serif;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
h1, h2, h3, th, .badge, .meta, .score, .ruleid, .loc, footer {
  font-family: 'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC',sans-serif; }
.doc, .sheet { background: #fff; width: 210mm; margin: 8mm auto; padding: 14mm; box-shadow: 0 1px 4px #90a4ae; }
h1 { font-size: 17pt; margin: 0 0 2mm; line-height: 1.3; }
h2 { font-size: 12.5pt; margin: 6mm 0 2mm; border-bottom: 1.5pt solid #37474f; padding-bottom: 1mm;
  break-after: avoid; }
.kicker { font-size: 9.5pt; color: #546e7a; margin: 0 0 1mm; }
.head { display: flex; gap: 6mm; align-items: stretch; }
.head .info { flex: 1; }
table.meta { border-collapse: collapse; font-size: 9.5pt; }
table.meta th { text-align: left; color: #546e7a; font-weight: normal; padding: 0.4mm 4mm 0.4mm 0; white-space: nowrap; }
table.meta td { padding: 0.4mm 0; word-break: break-all; }
table.meta tr.why th, table.meta tr.why td { color: $fail; font-weight: bold; }
p.doctype { color: $fail; font-size: 13pt; border: 1px solid $fail; padding: 2mm 3mm; }
p.warning { color: #8a5a00; background: #fff6e0; border-left: 3px solid #d9a400; padding: 1.5mm 3mm; margin: 2mm 0; }
.scorebox { min-width: 42mm; text-align: center; border: 1pt solid #b0bec5; border-radius: 2mm; padding: 2mm 3mm; }
.score { font-size: 28pt; font-weight: bold; line-height: 1.1; }
.score small { font-size: 10pt; color: #546e7a; font-weight: normal; }
.grade { font-size: 12pt; margin: 1mm 0; }
.gate { display: inline-block; color: #fff; padding: 0.5mm 3mm; border-radius: 1mm; font-weight: bold; }
.gate.pass { background: $pass; } .gate.fail { background: $fail; }
.threshold { font-size: 8.5pt; color: #546e7a; }
ul.parts { margin: 1mm 0 0; padding-left: 5mm; font-size: 9.5pt; }
svg.coverage { display: block; max-width: 100%; break-inside: avoid; }
table.rules { width: 100%; border-collapse: collapse; font-size: 9.5pt; }
table.rules thead { display: table-header-group; }
table.rules th { background: #37474f; color: #fff; text-align: left; padding: 1mm 1.5mm; font-weight: normal; }
table.rules td { border-bottom: 0.5pt solid #cfd8dc; padding: 1.5mm; vertical-align: top; }
table.rules tr { break-inside: avoid; }
td.st { width: 17mm; white-space: nowrap; }
td.rn { width: 44mm; }
.badge { display: inline-block; color: #fff; border-radius: 1mm; padding: 0 1.5mm; font-size: 8.5pt; }
.ruleid { font-size: 8pt; color: #607d8b; word-break: break-all; }
.sev, .pts { font-size: 8.5pt; color: #455a64; }
.row-fail td { background: #fff5f5; } .row-partial td { background: #fffbeb; }
tr[data-severity=info] td { background: #fafafa !important; color: #616161; } h2.info { color: #757575; border-bottom-color: #bdbdbd; }
section.gaps table.rules { font-size: 8.5pt; line-height: 1.35; } section.gaps table.rules td { padding: 0.8mm 1.2mm; }
section.gaps blockquote { font-size: 8pt; margin: 0.3mm 0; } section.gaps td.rn { width: 36mm; }
section.gaps .scorebox { padding: 1mm 2mm; } section.gaps .score { font-size: 22pt; }
section.gaps h2 { margin: 3mm 0 1mm; }
dl { margin: 0; display: grid; grid-template-columns: auto 1fr; column-gap: 2mm; }
dt { color: #546e7a; white-space: nowrap; } dd { margin: 0; }
ul.items { margin: 0; padding: 0; list-style: none; }
ul.items li { display: inline-block; margin-right: 3mm; }
.ok { color: $pass; } .no { color: $fail; }
blockquote { margin: 0.8mm 0; padding: 0.3mm 2mm; border-left: 2pt solid #90a4ae; background: #fafafa; }
$hits
ul.items li span.why { color: #555; margin-left: 1mm; }
ul.items li span.why::before { content: "— "; }
mark { background: #fff59d; color: inherit; }
.loc { display: block; font-size: 8pt; color: #607d8b; }
.muted { color: #78909c; }
footer { font-size: 8pt; color: #78909c; margin-top: 4mm; }
table.errors td, table.errors th { text-align: left; padding: 1mm 2mm; border-bottom: 0.5pt solid #cfd8dc; }
@media print {
  body { background: #fff; }
  .doc, .sheet { width: auto; margin: 0; padding: 0; box-shadow: none; }
  .doc + .doc, .doc + .sheet, .sheet + .sheet, .sheet + .doc { break-before: page; }
}
""".replace("$pass", look(PASS).color).replace("$fail", look(FAIL).color).replace(
    "$hits", "\n".join(f"blockquote.hit-{status} {{ border-left-color: {color}; }}" for status, color in HIT_COLOR.items()))


def e(text: object) -> str:
    return escape(str(text), quote=True)


def page(title: str, body: str, lang: str) -> str:
    return ("<!DOCTYPE html>\n"
            f'<html lang="{"en" if lang == "en" else "zh-CN"}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{e(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n")


def badge(status: str, lang: str) -> str:
    return (f'<span class="badge" style="background:{look(status).color}">'
            f"{look(status).mark} {e(status_text(status, lang))}</span>")


def rule_badge(r: RuleResult, lang: str) -> str:
    """A rule's status in the words of its kind; an info rule's in grey."""
    x = rule_look(r)
    return f'<span class="badge" style="background:{x.color}">{x.mark} {e(rule_status_text(r, lang))}</span>'


def _quote(ev: Evidence, lang: str) -> str:
    text, match = ev.quote, ev.quote_match  # the report's own characters
    i = text.find(match) if match else -1
    body = (e(text[:i]) + "<mark>" + e(match) + "</mark>" + e(text[i + len(match):])) if i >= 0 else e(text)
    loc = location_text(ev, lang)
    return (f'<blockquote class="hit-{e(ev.status)}">“{body}”'
            f'<span class="loc">{e(loc) + " · " if loc else ""}{e(hit_text(ev, lang))}</span></blockquote>')


def _details(r: RuleResult, lang: str, gaps_only: bool = False) -> str:
    why = r.why_not
    if gaps_only and not r.items and why is not None and why.evidence is None and pick(why.text, lang):
        # one line says what and why: 报告未提及，未见相近表述
        rows = [(t("out.why", lang), e(pick(why.text, lang)))]
    else:
        rows = [(t("out.finding", lang), e(r.message))]
    if r.items:
        lis = "".join(
            f'<li class="{"ok" if i.status == ITEM_PASS else "no"}">{item_look(i.status).mark} '
            + e(t("out.label", lang, label=pick(i.title, lang) or i.id,
                  text=item_status_text(i, lang) + (t("out.collective", lang) if i.collective else "")))
            + (f'<span class="why">{e(why_text(i.why_not, lang))}</span>' if tells_more(i.why_not) else "")
            + (f'<span class="why">{e(t("msg.waived", lang, reason=i.waiver["reason"]))}</span>'
               if getattr(i, "waiver", None) else "")
            + "</li>" for i in r.items if not (gaps_only and i.status == ITEM_PASS))
        rows.append((t("out.items", lang), f'<ul class="items">{lis}</ul>'))
    if (r.why_not is not None and r.status != PASS and not r.items
            and r.why_not.reason not in STATUS_REASONS
            and (r.why_not.evidence is not None or pick(r.why_not.text, lang) != r.message)
            and not (gaps_only and r.why_not.evidence is None)):
        why = r.why_not
        rows.append((t("out.why_not", lang), f'<strong>{e(pick(why.text, lang))}</strong>'
                     + (_quote(why.evidence, lang) if why.evidence is not None else "")))
    if r.description and r.status != PASS and not gaps_only:
        rows.append((t("out.what", lang), e(r.description)))
    if r.fix and r.status in (FAIL, PARTIAL):
        rows.append((t("report.fix", lang), f"<strong>{e(r.fix)}</strong>"))
    if r.basis:
        rows.append((t("report.basis", lang), e(basis_text(r, lang))))
    shown, more = shown_evidence(r)
    if gaps_only:  # one or two pages: the closest quotes, no more
        shown, more = shown[:1], 0
    if shown:
        quotes = "".join(_quote(ev, lang) for ev in shown)
        if more:
            quotes += f'<span class="muted">{e(t("out.more_evidence", lang, n=more))}</span>'
        rows.append((t("out.evidence", lang), quotes))
    elif r.status in (FAIL, PARTIAL) and not gaps_only:
        rows.append((t("out.evidence", lang), f'<span class="muted">{e(t("out.no_evidence", lang))}</span>'))
    return "<dl>" + "".join(f"<dt>{e(k)}</dt><dd>{v}</dd>" for k, v in rows) + "</dl>"


def _rule_row(d: DocumentResult, r: RuleResult, lang: str, gaps_only: bool = False) -> str:
    info = ' data-severity="info"' if r.info else ""
    return (f'<tr class="row-{e(r.status)}"{info} id="{e(d.path)}#{e(r.id)}" data-rule="{e(r.id)}">'
            f'<td class="st">{rule_badge(r, lang)}</td>'
            f'<td class="rn"><strong>{e(title_of(r, lang))}</strong><br><span class="ruleid">{e(r.id)}</span><br>'
            f'<span class="sev">{e(t("severity." + r.severity, lang))}</span> · '
            f'<span class="pts">{e(points(r))}</span></td>'
            f"<td>{_details(r, lang, gaps_only)}</td></tr>")


def rules_table(d: DocumentResult, lang: str, rules: list[RuleResult] | None = None, gaps_only: bool = False) -> str:
    head = (f"<thead><tr><th>{e(t('out.status', lang))}</th><th>{e(t('out.rule', lang))}</th>"
            f"<th>{e(t('out.finding', lang))}</th></tr></thead>")
    chosen = sorted_rules(d.results) if rules is None else rules
    rows = [_rule_row(d, r, lang, gaps_only) for r in chosen]
    return f'<table class="rules">{head}<tbody>{"".join(rows)}</tbody></table>'


def _header(d: DocumentResult, lang: str) -> str:
    year = d.year if d.year is not None else t("report.year_unknown", lang)
    meta = []
    if d.meta.get("unit"):
        meta.append((t("out.unit", lang), d.meta["unit"]))
    meta += [(t("report.year", lang), year), (t("report.published", lang), d.published or "–"),
             (t("out.file", lang), d.path)]
    if d.profile:
        meta.append((t("report.profile", lang), profile_text(d.profile, lang)))
    rows = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in meta)
    why = gate_reason(d, lang)  # never "未通过" without its reason
    if why:
        rows += f'<tr class="why"><th>{e(t("out.why_fail", lang))}</th><td>{e(why)}</td></tr>'

    gate = "pass" if d.passed else "fail"
    return (f'<p class="kicker">{e(t("out.title", lang))}</p><h1>{e(doc_title(d))}</h1>'
            f'<div class="head"><div class="info"><table class="meta">{rows}</table></div>'
            f'<div class="scorebox"><div class="score" data-score="{d.score:g}">{d.score:g}'
            f"<small>/100</small></div>"
            f'<div class="grade">{t("out.label", lang, label=e(t("report.grade", lang)), text=f"<strong>{e(d.grade)}</strong>")}</div>'
            f'<div class="gate {gate}">{e(gate_text(d, lang))}</div>'
            f'<div class="threshold">{e(t("report.threshold", lang))} {d.threshold:g}</div></div></div>'
            f"{_warnings(d)}")


def _warnings(d: DocumentResult) -> str:
    """What the reader warns of (struck-through text in a PDF …), under the header."""
    return "".join(f'<p class="warning">{e(w["message"])}</p>' for w in d.warnings)


def _parts(d: DocumentResult, lang: str) -> str:
    if not d.sections:
        return f'<p class="muted">{e(t("report.no_parts", lang))}</p>'
    items = []
    for s in d.sections:
        role = t("role." + s["role"], lang) + (" + " + t("role.next_year", lang) if s.get("combined") else "")
        line = f' <span class="muted">{e(t("report.line", lang, line=s["line"]))}</span>' if s.get("line") else ""
        items.append(f"<li>{e(s['heading'][:60])} <span class=\"muted\">[{e(role)}]</span>{line}</li>")
    return f'<ul class="parts">{"".join(items)}</ul>'


def not_a_report(d: DocumentResult, lang: str, foot: str = "") -> str:
    """A document of another type: said so at the top, no score, no rules."""
    return (f'<section class="doc not-a-report" data-path="{e(d.path)}">'
            f'<p class="kicker">{e(t("out.title", lang))}</p><h1>{e(doc_title(d))}</h1>'
            f'<p class="doctype"><strong>{e(doctype_line(d, lang))}</strong></p>'
            f'<table class="meta"><tr><th>{e(t("out.file", lang))}</th><td>{e(d.path)}</td></tr>'
            f'<tr class="why"><th>{e(t("out.gate", lang))}</th><td>{e(gate_text(d, lang))}</td></tr></table>'
            f"{_warnings(d)}{foot}</section>")


def render_document(d: DocumentResult, lang: str, foot: str = "") -> str:
    if d.not_a_report:
        return not_a_report(d, lang, foot)
    ordered = sorted_rules(d.results)
    notes = [r for r in ordered if r.info]
    apart = (f"<h2 class=\"info\">{e(t('out.info_rules', lang))}</h2>{rules_table(d, lang, notes)}" if notes else "")
    return (f'<section class="doc" data-path="{e(d.path)}">{_header(d, lang)}'
            f"<h2>{e(t('report.parts', lang))}</h2>{_parts(d, lang)}"
            f"<h2>{e(t('out.coverage', lang))}</h2>{coverage_chart(d, lang)}"
            f"<h2>{e(t('out.rules', lang))}</h2>{rules_table(d, lang, [r for r in ordered if not r.info])}"
            f"{apart}{foot}</section>")


def render_gaps(d: DocumentResult, lang: str, foot: str = "") -> str:
    """--gaps-only: the header, then only what weighs and is missing or partial (one or two pages)."""
    if d.not_a_report:
        return not_a_report(d, lang, foot)
    gaps = [r for r in sorted_rules(d.results) if is_gap(r)]
    body = (rules_table(d, lang, gaps, gaps_only=True) if gaps
            else f'<p class="muted">{e(t("out.gaps_none", lang))}</p>')
    return (f'<section class="doc gaps" data-path="{e(d.path)}">{_header(d, lang)}'
            f"<h2>{e(t('out.gaps_title', lang))}（{len(gaps)}）</h2>"
            f'<p class="kicker">{e(t("out.gaps_intro", lang))}</p>{body}{foot}</section>')


def errors_sheet(report: Report, lang: str) -> str:
    if not report.errors:
        return ""
    rows = "".join(f"<tr><td>{e(x['path'])}</td><td>{e(x['error'])}</td></tr>" for x in report.errors)
    return (f'<section class="sheet errors"><h2>{e(t("out.errors", lang))}</h2>'
            f'<table class="errors"><thead><tr><th>{e(t("out.file", lang))}</th>'
            f'<th>{e(t("report.error", lang))}</th></tr></thead><tbody>{rows}</tbody></table></section>')


def footer(report: Report, lang: str) -> str:
    return (f'<footer>{e(t("out.generated", lang, version=report.tool_version, ruleset=report.ruleset_id, rv=report.ruleset_version))}'
            "</footer>")


def render(report: Report, lang: str = "zh", color: bool = False) -> str:
    foot = footer(report, lang)
    one = render_gaps if report.gaps_only else render_document
    body = "".join(one(d, lang, foot) for d in report.documents) + errors_sheet(report, lang)
    if not report.documents:
        body += foot
    title = doc_title(report.documents[0]) if len(report.documents) == 1 else t("out.title", lang)
    return page(title, body, lang)
