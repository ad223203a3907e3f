"""Batch summaries: one row per report (sorted by score), one column per rule.

``check --summary`` with text, csv, html, json or markdown; ``--format csv`` is always a
summary. A file that could not be read gets a row saying so.
"""
from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field

from fzcheck.i18n import pick, t
from fzcheck.model import FAIL, PASS, DocumentResult, RuleResult
from fzcheck.render import Report
from fzcheck.render.common import STATUS, catalogue_order, doc_title, gate_text, group_name, look, status_text
from fzcheck.render.jsonfmt import dumps

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


@dataclass
class Column:
    id: str
    title: dict[str, str]
    severity: str
    group: str


@dataclass
class Row:
    path: str
    doc: DocumentResult | None = None
    error: str | None = None
    status: dict[str, str] = field(default_factory=dict)


def columns(report: Report) -> list[Column]:
    """One column per rule of any report, in the rule set's order (common.catalogue_order)."""
    seen: dict[str, RuleResult] = {}
    for d in report.documents:
        for r in d.results:
            seen.setdefault(r.id, r)
    return [Column(r.id, r.title, r.severity, r.group or "element") for r in catalogue_order(list(seen.values()))]


def rows(report: Report) -> list[Row]:
    """Readable reports by score (best first, then by path), then the unreadable ones."""
    docs = sorted(report.documents, key=lambda d: (-d.score, d.path))
    out = [Row(d.path, d, status={r.id: r.status for r in d.results}) for d in docs]
    out += [Row(e["path"], error=e["error"]) for e in sorted(report.errors, key=lambda e: e["path"])]
    return out


def _counts(r: Row) -> dict[str, int]:
    counts = {s: 0 for s in STATUS}
    for s in r.status.values():
        counts[s] = counts.get(s, 0) + 1
    return counts


# --- JSON ------------------------------------------------------------------------------------------------

def to_dict(report: Report, lang: str = "zh") -> dict:
    cols = columns(report)
    out_rows = []
    for i, r in enumerate(rows(report), 1):
        if r.doc is None:
            out_rows.append({"rank": None, "path": r.path, "error": r.error})
            continue
        d = r.doc
        out_rows.append({"rank": i, "path": d.path, "title": d.meta.get("title"), "unit": d.meta.get("unit"),
                         "year": d.year, "score": d.score, "grade": d.grade, "passed": d.passed,
                         "status": {c.id: r.status.get(c.id) for c in cols}, "counts": _counts(r)})
    return {
        "tool": {"name": "fzcheck", "version": report.tool_version},
        "ruleset": {"id": report.ruleset_id, "version": report.ruleset_version},
        "lang": lang,
        "columns": [{"id": c.id, "title": pick(c.title, lang) or c.id, "severity": c.severity, "group": c.group}
                    for c in cols],
        "rows": out_rows,
    }


def render_json(report: Report, lang: str = "zh", color: bool = False) -> str:
    return dumps(to_dict(report, lang)) + "\n"


# --- CSV -------------------------------------------------------------------------------------------------

def render_csv(report: Report, lang: str = "zh", color: bool = False) -> str:
    """UTF-8 with a BOM so that spreadsheet programs read the Chinese right."""
    cols = columns(report)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([t("out.rank", lang), t("out.file", lang), t("out.report", lang), t("out.unit", lang),
                t("report.year", lang), t("report.score", lang), t("report.grade", lang), t("out.gate", lang)]
               + [c.id for c in cols] + [t("report.error", lang)])
    for i, r in enumerate(rows(report), 1):
        if r.doc is None:
            w.writerow(["", r.path, "", "", "", "", "", t("out.unreadable", lang)] + [""] * len(cols) + [r.error])
            continue
        d = r.doc
        w.writerow([i, d.path, d.meta.get("title", ""), d.meta.get("unit", ""), d.year or "", f"{d.score:g}", d.grade,
                    gate_text(d, lang)]
                   + [status_text(r.status[c.id], lang) if c.id in r.status else "" for c in cols] + [""])
    return "\ufeff" + buf.getvalue()


# --- text and Markdown -------------------------------------------------------------------------------------

def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, cols: int, right: bool = False) -> str:
    fill = " " * max(0, cols - width(text))
    return fill + text if right else text + fill


def render_text(report: Report, lang: str = "zh", color: bool = False) -> str:
    import click

    cols = columns(report)
    letters = LETTERS[: len(cols)]
    all_rows = rows(report)
    gw = 2 + max([width(t("report.grade", lang))] + [width(r.doc.grade) for r in all_rows if r.doc])
    sw = 2 + max(width(t(k, lang)) for k in ("out.gate", "report.gate_pass", "report.gate_fail", "out.unreadable"))
    lines = [f"{pad(t('out.rank', lang), 4, True)}  {pad(t('report.score', lang), 5, True)}  "
             f"{pad(t('report.grade', lang), gw)}{pad(t('out.gate', lang), sw)}{letters}  {t('out.file', lang)}"]
    for i, r in enumerate(all_rows, 1):
        if r.doc is None:
            lines.append(f"{'':4}  {'':5}  {'':{gw}}{pad(t('out.unreadable', lang), sw)}{'?' * len(cols)}  "
                         f"{r.path}: {r.error}")
            continue
        d = r.doc
        shown = [look(r.status.get(c.id, "")) for c in cols]
        marks = "".join(click.style(x.mark or " ", fg=x.term or None) if color else x.mark or " " for x in shown)
        gate = pad(gate_text(d, lang), sw)
        if color:
            gate = click.style(gate, fg=look(PASS if d.passed else FAIL).term)
        lines.append(f"{pad(str(i), 4, True)}  {pad(f'{d.score:g}', 5, True)}  {pad(d.grade, gw)}{gate}{marks}  {d.path}")
    lines.append("")
    for letter, c in zip(letters, cols):
        lines.append(f"  {letter}  {c.id}  {pick(c.title, lang)}")
    lines.append("  " + "  ".join(f"{x.mark} {status_text(s, lang)}" for s, x in STATUS.items()))
    passed = sum(1 for d in report.documents if d.passed)
    lines.append(t("report.summary", lang, n=len(report.documents) + len(report.errors), passed=passed,
                   failed=len(report.documents) - passed, errors=len(report.errors)))
    return "\n".join(lines) + "\n"


def render_markdown(report: Report, lang: str = "zh", color: bool = False) -> str:
    from fzcheck.render.markdown import esc

    cols = columns(report)
    head = [t("out.rank", lang), t("out.report", lang), t("report.score", lang), t("report.grade", lang),
            t("out.gate", lang)] + [f"`{c.id}`" for c in cols]
    lines = [f"# {t('out.summary_title', lang)}", "", "| " + " | ".join(head) + " |",
             "|" + "---|" * len(head)]
    for i, r in enumerate(rows(report), 1):
        if r.doc is None:
            lines.append(f"| | {esc(r.path)} | | | {t('out.unreadable', lang)}: {esc(r.error)} |" + " |" * len(cols))
            continue
        d = r.doc
        cells = [str(i), esc(doc_title(d)), f"{d.score:g}", esc(d.grade), gate_text(d, lang)]
        cells += [look(r.status.get(c.id, "")).emoji for c in cols]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


# --- HTML: the coverage matrix -----------------------------------------------------------------------------

def render_html(report: Report, lang: str = "zh", color: bool = False) -> str:
    from fzcheck.render.html import e, footer, page

    cols = columns(report)
    groups: list[tuple[str, int]] = []
    for c in cols:
        if groups and groups[-1][0] == c.group:
            groups[-1] = (c.group, groups[-1][1] + 1)
        else:
            groups.append((c.group, 1))
    fixed = 5
    head1 = f'<tr><th colspan="{fixed}"></th>' + "".join(
        f'<th class="grp" colspan="{n}">{e(group_name(g, lang))}</th>' for g, n in groups) + "</tr>"
    head2 = ("<tr>" + "".join(f"<th class=\"fx\">{e(t(k, lang))}</th>" for k in
                              ("out.rank", "out.report", "report.score", "report.grade", "out.gate"))
             + "".join(f'<th class="rule" title="{e(c.id)}"><span>{e(pick(c.title, lang) or c.id)}</span></th>'
                       for c in cols) + "</tr>")
    colgroup = ('<colgroup><col style="width:8mm"><col><col style="width:13mm"><col style="width:15mm">'
                '<col style="width:15mm">' + '<col style="width:7mm">' * len(cols) + "</colgroup>")
    body = []
    for i, r in enumerate(rows(report), 1):
        if r.doc is None:
            body.append(f'<tr class="unreadable" data-path="{e(r.path)}"><td></td><td class="doc">{e(r.path)}</td>'
                        f'<td colspan="3" class="bad">{e(t("out.unreadable", lang))}</td>'
                        f'<td colspan="{len(cols)}" class="err">{e(r.error)}</td></tr>')
            continue
        d = r.doc
        cells = []
        for c in cols:
            s = r.status.get(c.id, "")
            label = e(f"{pick(c.title, lang)}: {status_text(s, lang)}") if s else ""
            cells.append(f'<td class="cell" data-status="{e(s)}" title="{label}" '
                         f'style="background:{look(s).color if s else "#fff"}">{look(s).mark}</td>')
        unit = f'<br><span class="unit">{e(d.meta["unit"])}</span>' if d.meta.get("unit") else ""
        body.append(f'<tr data-path="{e(d.path)}"><td class="num">{i}</td>'
                    f'<td class="doc">{e(doc_title(d))}{unit}<br><span class="path">{e(d.path)}</span></td>'
                    f'<td class="num score">{d.score:g}</td><td>{e(d.grade)}</td>'
                    f'<td class="{"good" if d.passed else "bad"}">{e(gate_text(d, lang))}</td>{"".join(cells)}</tr>')
    legend = " ".join(f'<span class="key" style="background:{x.color}">{x.mark}</span> {e(status_text(s, lang))}'
                      for s, x in STATUS.items())
    passed = sum(1 for d in report.documents if d.passed)
    total = t("report.summary", lang, n=len(report.documents) + len(report.errors), passed=passed,
              failed=len(report.documents) - passed, errors=len(report.errors))
    html_body = (f'<section class="sheet matrix"><h1>{e(t("out.summary_title", lang))}</h1>'
                 f'<p class="kicker">{e(total)}</p>'
                 f'<table class="matrix">{colgroup}<thead>{head1}{head2}</thead><tbody>{"".join(body)}</tbody></table>'
                 f'<p class="legend">{e(t("out.legend", lang))}: {legend}</p>{footer(report, lang)}</section>')
    return page(t("out.summary_title", lang), html_body, lang).replace("</style>", MATRIX_CSS + "</style>", 1)


MATRIX_CSS = """
@page { size: A4 landscape; margin: 12mm; }
@media screen { .sheet.matrix { width: 297mm; } }
table.matrix { border-collapse: collapse; font-size: 9pt; width: 100%; table-layout: fixed; }
table.matrix thead { display: table-header-group; }
table.matrix th { font-family: 'Noto Sans CJK SC','Microsoft YaHei',sans-serif; font-weight: normal;
  border: 0.5pt solid #b0bec5; background: #eceff1; padding: 0.5mm 1mm; }
table.matrix th.grp { background: #37474f; color: #fff; }
table.matrix th.rule { vertical-align: bottom; height: 40mm; padding: 0.5mm 0; }
table.matrix th.rule span { writing-mode: vertical-rl; font-size: 8pt; line-height: 1.1; max-height: 39mm; }
table.matrix td { border: 0.5pt solid #cfd8dc; padding: 0.8mm 1mm; vertical-align: middle; }
table.matrix tr { break-inside: avoid; }
td.cell { text-align: center; color: #fff; font-weight: bold; padding: 0.8mm 0; }
td.doc { overflow-wrap: anywhere; } .unit, .path { font-size: 7.5pt; color: #607d8b; word-break: break-all; }
td.num { text-align: right; } td.score { font-weight: bold; font-size: 11pt; }
td.good { color: $pass; font-weight: bold; } td.bad { color: $fail; font-weight: bold; }
td.err { color: $fail; }
.key { display: inline-block; width: 5mm; text-align: center; color: #fff; }
""".replace("$pass", look(PASS).color).replace("$fail", look(FAIL).color)

SUMMARY_FORMATS = {"text": render_text, "csv": render_csv, "html": render_html, "json": render_json,
                   "markdown": render_markdown}


def render_summary(report: Report, fmt: str, lang: str = "zh", color: bool = False) -> str:
    return SUMMARY_FORMATS[fmt](report, lang, color)


