"""Batch summaries: one row per report (sorted by score), one column per rule.

``check --summary`` with text, csv, html, json or markdown; ``--format csv`` is always a
summary. A file that could not be read gets a row saying so.
"""
from __future__ import annotations

import csv
import io
import os
import unicodedata
from dataclasses import dataclass, field

from fzcheck.i18n import pick, t
from fzcheck.model import FAIL, PASS, DocumentResult, ItemResult, RuleResult
from fzcheck.render import Report
from fzcheck.render.common import (INFO, MUTED_PASS, STATUS, catalogue_order, doc_title, gate_reason, gate_text, group_name,
                                   item_status_text, look, rule_look, rule_status_text, status_text)
from fzcheck.render.jsonfmt import dumps
from fzcheck.zhtext import short_unit_name, unit_from_title

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


@dataclass
class Column:
    id: str
    title: dict[str, str]
    severity: str
    group: str
    items: list[tuple[str, dict[str, str]]] = field(default_factory=list)  # (id, title) of a multi-item rule
    info: bool = False  # a note in every report that has it: never weighs nor fails the gate
    partial_only: bool = False  # checked for some reports only (a rule a profile adds)

    @property
    def grey(self) -> bool:
        """Shown apart (grey, after the columns that decide the gate)."""
        return self.info or self.partial_only


@dataclass
class Row:
    path: str
    doc: DocumentResult | None = None
    error: str | None = None
    status: dict[str, str] = field(default_factory=dict)
    results: dict[str, RuleResult] = field(default_factory=dict)


def for_summary(d: DocumentResult) -> DocumentResult:
    """A checked report as far as a summary reads it: statuses, titles, scores, the gate and
    each item's why-not (a row's "not counted"), without the quotes, messages, fixes and
    descriptions, which no summary prints. A batch summary keeps one per report (its
    workers send back only this): a third of the whole result, and a third of the time to
    send it."""
    for r in d.results:
        r.evidence = []
        r.message = r.fix = r.description = ""
        for i in r.items:
            i.evidence = []
    return d


def columns(report: Report) -> list[Column]:
    """One column per rule of any report, in the rule set's order (common.catalogue_order);
    the columns that decide the gate first, then the grey ones: info rules and rules only
    some reports are checked for (a profile adds them)."""
    seen: dict[str, RuleResult] = {}
    severities: dict[str, set[str]] = {}
    count: dict[str, int] = {}
    items: dict[str, dict[str, dict[str, str]]] = {}
    for d in report.documents:
        for r in d.results:
            seen.setdefault(r.id, r)
            severities.setdefault(r.id, set()).add(r.severity)
            count[r.id] = count.get(r.id, 0) + 1
            for i in r.items:
                items.setdefault(r.id, {}).setdefault(i.id, i.title)
    n = len(report.documents)
    cols = [Column(r.id, r.title, r.severity, r.group or "element", list((items.get(r.id) or {}).items()),
                   info=severities[r.id] == {"info"}, partial_only=count[r.id] < n)
            for r in catalogue_order(list(seen.values()))]
    return [c for c in cols if not c.grey] + [c for c in cols if c.grey]


def rows(report: Report) -> list[Row]:
    """Readable reports by score (best first, then by path), then the unreadable ones."""
    docs = sorted(report.documents, key=lambda d: (-d.score, d.path))
    out = [Row(d.path, d, status={r.id: r.status for r in d.results}, results={r.id: r for r in d.results})
           for d in docs]
    out += [Row(e["path"], error=e["error"]) for e in sorted(report.errors, key=lambda e: e["path"])]
    return out


def short_unit(d: DocumentResult) -> str:
    """The reporting unit in a few characters for a printed matrix (zhtext.short_unit_name);
    the file's name (never its folder) when the report names no unit."""
    unit = (d.meta.get("unit") or "").strip() or unit_from_title(d.meta.get("title") or "")
    if not unit:
        return os.path.splitext(os.path.basename(d.path))[0]
    return short_unit_name(unit)


def unit_year(d: DocumentResult) -> str:
    return f"{short_unit(d)} {d.year}" if d.year else short_unit(d)


def why_short(d: DocumentResult, lang: str) -> str:
    """Why a report fails the gate, in a few words for a matrix cell."""
    if d.passed:
        return ""
    if d.not_a_report:
        return t("gate.short_not_a_report", lang, what=d.doctype["what"])
    parts = []
    n = sum(1 for r in d.results if r.severity == "required" and r.status == FAIL)
    if n:
        parts.append(t("gate.short_required", lang, n=n))
    if d.score < d.threshold:
        parts.append(t("gate.short_score", lang, threshold=f"{d.threshold:g}"))
    return t("sep.clause", lang).join(parts)


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
                         "year": d.year, "published": d.published,
                         "profile": (d.profile or {}).get("name"), "score": d.score, "grade": d.grade,
                         "passed": d.passed, "why_fail": gate_reason(d, lang),
                         "status": {c.id: r.status.get(c.id) for c in cols},
                         "items": {f"{c.id}.{iid}": _item_status(r, c.id, iid) for c in cols for iid, _ in c.items},
                         "counts": _counts(r)})
    return {
        "tool": {"name": "fzcheck", "version": report.tool_version},
        "ruleset": {"id": report.ruleset_id, "version": report.ruleset_version},
        "lang": lang,
        "columns": [{"id": c.id, "title": pick(c.title, lang) or c.id, "severity": c.severity, "group": c.group,
                     "grey": c.grey} for c in cols],
        "rows": out_rows,
    }


def render_json(report: Report, lang: str = "zh", color: bool = False) -> str:
    return dumps(to_dict(report, lang)) + "\n"


# --- CSV -------------------------------------------------------------------------------------------------

def _item(row: Row, rule_id: str, item_id: str) -> ItemResult | None:
    r = row.results.get(rule_id)
    return next((i for i in r.items if i.id == item_id), None) if r else None


def _item_status(row: Row, rule_id: str, item_id: str) -> str | None:
    i = _item(row, rule_id, item_id)
    return i.status if i else None


def _profile_title(d: DocumentResult) -> str:
    return (d.profile or {}).get("title") or ""


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    """A cell a spreadsheet shows as text: a value that would start a formula (=, +, -, @, a tab
    or carriage return: a report's title or file name can be anything) gets a leading '."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


class _SafeWriter:
    def __init__(self, buf: io.StringIO):
        self._w = csv.writer(buf, lineterminator="\r\n")

    def writerow(self, row: list) -> None:
        self._w.writerow([_cell(v) for v in row])


def render_csv(report: Report, lang: str = "zh", color: bool = False) -> str:
    """UTF-8 with a BOM so that spreadsheet programs read the Chinese right. In Chinese the
    first header row holds the titles and the second the ids (rule and item ids, field names);
    with ``--lang en`` one row of ids. Each rule with items (the five procedures of major
    decisions, the three enforcement systems) has a column per item after its own."""
    cols = columns(report)
    fields = [("rank", "out.rank"), ("file", "out.file"), ("title", "out.report"), ("unit", "out.unit"),
              ("year", "report.year"), ("published", "report.published"), ("profile", "report.profile"),
              ("score", "report.score"), ("grade", "report.grade"), ("gate", "out.gate"),
              ("why_fail", "out.why_fail")]
    ids = [f for f, _ in fields]
    titles = [t(k, lang) for _, k in fields]
    for c in cols:
        ids.append(c.id)
        titles.append(pick(c.title, lang) or c.id)
        for iid, ititle in c.items:
            ids.append(f"{c.id}.{iid}")
            titles.append(t("out.label", lang, label=pick(c.title, lang) or c.id, text=pick(ititle, lang) or iid))
    ids.append("error")
    titles.append(t("report.error", lang))
    buf = io.StringIO()
    w = _SafeWriter(buf)
    if lang == "en":
        w.writerow(ids)
    else:
        w.writerow(titles)
        w.writerow(ids)
    width = len(ids)
    for i, r in enumerate(rows(report), 1):
        if r.doc is None:
            line = ["", r.path] + [""] * 7 + [t("out.unreadable", lang), ""]
            w.writerow(line + [""] * (width - len(line) - 1) + [r.error])
            continue
        d = r.doc
        line = [i, d.path, d.meta.get("title", ""), d.meta.get("unit", ""), d.year or "", d.published or "",
                _profile_title(d), f"{d.score:g}", d.grade, gate_text(d, lang), gate_reason(d, lang)]
        for c in cols:
            res = r.results.get(c.id)
            line.append(rule_status_text(res, lang) if res else "")
            for iid, _ in c.items:
                item = _item(r, c.id, iid)
                line.append(item_status_text(item, lang) if item else "")
        w.writerow(line + [""])
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
        shown = [rule_look(r.results[c.id]) if c.id in r.results else look("") for c in cols]
        marks = "".join(click.style(x.mark or " ", fg=x.term or None) if color else x.mark or " " for x in shown)
        gate = pad(gate_text(d, lang), sw)
        if color:
            gate = click.style(gate, fg=look(PASS if d.passed else FAIL).term)
        why = gate_reason(d, lang)
        lines.append(f"{pad(str(i), 4, True)}  {pad(f'{d.score:g}', 5, True)}  {pad(d.grade, gw)}{gate}{marks}  {d.path}"
                     + (f"  — {why}" if why else ""))
    lines.append("")
    for letter, c in zip(letters, cols):
        grey = f"  ({t('severity.info', lang) if c.info else t('out.profile_only', lang)})" if c.grey else ""
        lines.append(f"  {letter}  {c.id}  {pick(c.title, lang)}{grey}")
    lines.append("  " + "  ".join(f"{x.mark} {status_text(s, lang)}" for s, x in STATUS.items())
                 + f"  {INFO.mark} {t('severity.info', lang)}")
    passed = sum(1 for d in report.documents if d.passed)
    lines.append(t("report.summary", lang, n=len(report.documents) + len(report.errors), passed=passed,
                   failed=len(report.documents) - passed, errors=len(report.errors)))
    return "\n".join(lines) + "\n"


def render_markdown(report: Report, lang: str = "zh", color: bool = False) -> str:
    from fzcheck.render.markdown import esc

    cols = columns(report)
    head = [t("out.rank", lang), t("out.report", lang), t("report.score", lang), t("report.grade", lang),
            t("out.gate", lang), t("out.why_fail", lang)] + [f"`{c.id}`" for c in cols]
    lines = [f"# {t('out.summary_title', lang)}", "", "| " + " | ".join(head) + " |",
             "|" + "---|" * len(head)]
    for i, r in enumerate(rows(report), 1):
        if r.doc is None:
            lines.append(f"| | {esc(r.path)} | | | {t('out.unreadable', lang)}: {esc(r.error)} | |" + " |" * len(cols))
            continue
        d = r.doc
        cells = [str(i), esc(doc_title(d)), f"{d.score:g}", esc(d.grade), gate_text(d, lang), esc(gate_reason(d, lang))]
        cells += [rule_look(r.results[c.id]).emoji if c.id in r.results else "" for c in cols]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


# --- HTML: the coverage matrix -----------------------------------------------------------------------------

def render_html(report: Report, lang: str = "zh", color: bool = False) -> str:
    """The coverage matrix for A4 landscape: a row per report (short unit name and year, no
    file path), the header repeated on every printed page, the columns that decide the gate
    first and the grey ones (info rules, rules a profile adds) after them, a column saying
    why a report fails; the column titles in full in an appendix."""
    from fzcheck.render.html import e, footer, page

    cols = columns(report)
    groups: list[tuple[str, int, bool]] = []
    for c in cols:
        key = "grey" if c.grey else c.group
        if groups and groups[-1][0] == key:
            groups[-1] = (key, groups[-1][1] + 1, c.grey)
        else:
            groups.append((key, 1, c.grey))
    fixed = ("out.rank", "out.unit_year", "report.score", "report.grade", "out.gate", "out.why_fail")
    head1 = f'<tr><th colspan="{len(fixed)}" class="blank"></th>' + "".join(
        f'<th class="grp{" grey" if is_grey else ""}" colspan="{n}">'
        f'{e(t("out.grey_group", lang) if is_grey else group_name(g, lang))}</th>' for g, n, is_grey in groups) + "</tr>"
    letters = {c.id: _col_label(n) for n, c in enumerate(cols, 1)}
    head2 = ("<tr>" + "".join(f'<th class="fx">{e(t(k, lang))}</th>' for k in fixed)
             + "".join(f'<th class="rule{" grey" if c.grey else ""}" title="{e(c.id)}">'
                       f'<span>{e(pick(c.title, lang) or c.id)}</span><b>{letters[c.id]}</b></th>' for c in cols)
             + "</tr>")
    colgroup = ('<colgroup><col class="c-rank"><col class="c-unit"><col class="c-score"><col class="c-grade">'
                '<col class="c-gate"><col class="c-why">' + '<col class="c-rule">' * len(cols) + "</colgroup>")
    body = []
    for i, r in enumerate(rows(report), 1):
        if r.doc is None:
            name = os.path.basename(r.path)
            body.append(f'<tr class="unreadable" data-path="{e(r.path)}"><td></td><td class="doc">{e(name)}</td>'
                        f'<td colspan="3" class="bad">{e(t("out.unreadable", lang))}</td>'
                        f'<td colspan="{len(cols) + 1}" class="err">{e(r.error)}</td></tr>')
            continue
        d = r.doc
        cells = []
        for c in cols:
            res = r.results.get(c.id)
            if res is None:
                cells.append('<td class="cell none"></td>')
                continue
            x = rule_look(res)
            bg = x.color if not c.grey else (MUTED_PASS if res.status == PASS else INFO.color)
            label = e(f"{pick(c.title, lang)}: {rule_status_text(res, lang)}")
            cells.append(f'<td class="cell{" grey" if c.grey else ""}" data-status="{e(res.status)}" title="{label}" '
                         f'style="background:{bg}">{x.mark}</td>')
        full = d.meta.get("unit") or doc_title(d)
        body.append(f'<tr data-path="{e(d.path)}"><td class="num">{i}</td>'
                    f'<td class="doc" title="{e(full)}">{e(unit_year(d))}</td>'
                    f'<td class="num score">{d.score:g}</td><td class="grd">{e(d.grade)}</td>'
                    f'<td class="{"good" if d.passed else "bad"}">{e(gate_text(d, lang))}</td>'
                    f'<td class="why" title="{e(gate_reason(d, lang))}">{e(why_short(d, lang))}</td>'
                    f'{"".join(cells)}</tr>')
    legend = " ".join(f'<span class="key" style="background:{x.color}">{x.mark}</span> {e(status_text(s, lang))}'
                      for s, x in STATUS.items())
    legend += f' <span class="key" style="background:{INFO.color}">{INFO.mark}</span> {e(t("severity.info", lang))}'
    passed = sum(1 for d in report.documents if d.passed)
    total = t("report.summary", lang, n=len(report.documents) + len(report.errors), passed=passed,
              failed=len(report.documents) - passed, errors=len(report.errors))
    keys = "".join(f'<li><b>{letters[c.id]}</b> {e(pick(c.title, lang) or c.id)} <code>{e(c.id)}</code>'
                   + (f' <span class="muted">（{e(t("severity.info", lang) if c.info else t("out.profile_only", lang))}）</span>'
                      if c.grey else "") + "</li>" for c in cols)
    appendix = (f'<section class="keys"><h2>{e(t("out.appendix", lang))}</h2><ol class="keys">{keys}</ol>'
                f'<p class="legend">{e(t("out.pages_note", lang))}</p></section>')
    html_body = (f'<section class="sheet matrix"><h1>{e(t("out.summary_title", lang))}</h1>'
                 f'<p class="kicker">{e(total)}</p>'
                 f'<table class="matrix">{colgroup}<thead>{head1}{head2}</thead><tbody>{"".join(body)}</tbody></table>'
                 f'<p class="legend">{e(t("out.legend", lang))}: {legend}</p>{appendix}{footer(report, lang)}</section>')
    return page(t("out.summary_title", lang), html_body, lang).replace("</style>", MATRIX_CSS + "</style>", 1)


def _col_label(n: int) -> str:
    """A short label for a column (1, 2, …), printed under its title and in the appendix."""
    return str(n)


MATRIX_CSS = """
@page { size: A4 landscape; margin: 9mm 8mm; }
@media screen { .sheet.matrix { width: 297mm; } }
@media print { .sheet.matrix { padding: 0; } }
.sheet.matrix h1 { font-size: 13pt; margin: 0 0 1mm; }
.sheet.matrix .kicker { margin: 0 0 1.5mm; }
table.matrix { border-collapse: collapse; font-size: 7.5pt; width: 100%; table-layout: fixed; line-height: 1.2; }
table.matrix thead { display: table-header-group; }
table.matrix col.c-rank { width: 6mm; } table.matrix col.c-unit { width: 27mm; }
table.matrix col.c-score { width: 9mm; } table.matrix col.c-grade { width: 10mm; }
table.matrix col.c-gate { width: 10mm; } table.matrix col.c-why { width: 21mm; }
table.matrix th { font-family: 'Noto Sans CJK SC','Microsoft YaHei',sans-serif; font-weight: normal;
  border: 0.5pt solid #b0bec5; background: #eceff1; padding: 0.3mm 0.5mm; }
table.matrix th.blank { background: #fff; border: none; }
table.matrix th.grp { background: #37474f; color: #fff; font-size: 7pt; }
table.matrix th.grp.grey { background: $grey; }
table.matrix th.rule { vertical-align: bottom; height: 34mm; padding: 0.3mm 0; overflow: hidden; }
table.matrix th.rule span { writing-mode: vertical-rl; font-size: 6.8pt; line-height: 1.05; max-height: 30mm;
  display: inline-block; overflow: hidden; }
table.matrix th.rule b { display: block; font-size: 6pt; font-weight: normal; color: #607d8b; }
table.matrix th.rule.grey { background: #f5f5f5; color: $grey; }
table.matrix td { border: 0.5pt solid #cfd8dc; padding: 0.4mm 0.6mm; vertical-align: middle; height: 5mm; }
table.matrix tr { break-inside: avoid; }
td.cell { text-align: center; color: #fff; font-weight: bold; padding: 0.4mm 0; }
td.cell.grey { color: #fff; } td.cell.none { background: #fafafa; }
td.doc { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
td.grd { white-space: nowrap; overflow: hidden; }
td.why { font-size: 6.8pt; color: $fail; }
td.num { text-align: right; } td.score { font-weight: bold; font-size: 8.5pt; }
td.good { color: $pass; font-weight: bold; } td.bad { color: $fail; font-weight: bold; white-space: nowrap; }
td.err { color: $fail; font-size: 7pt; }
.key { display: inline-block; width: 4.5mm; text-align: center; color: #fff; }
.sheet.matrix .legend { font-size: 7.5pt; margin: 1.5mm 0; }
section.keys h2 { font-size: 9pt; margin: 2mm 0 1mm; border-bottom: 0.5pt solid #90a4ae; }
ol.keys { columns: 3; font-size: 7pt; margin: 0; padding: 0; list-style: none; }
ol.keys li { break-inside: avoid; } ol.keys code { color: #78909c; font-size: 6.5pt; }
""".replace("$pass", look(PASS).color).replace("$fail", look(FAIL).color).replace("$grey", INFO.color)

SUMMARY_FORMATS = {"text": render_text, "csv": render_csv, "html": render_html, "json": render_json,
                   "markdown": render_markdown}


def render_summary(report: Report, fmt: str, lang: str = "zh", color: bool = False) -> str:
    return SUMMARY_FORMATS[fmt](report, lang, color)


