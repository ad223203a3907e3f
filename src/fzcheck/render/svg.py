"""Inline SVG drawn by hand (no plotting dependency): coverage of a report by area and rule."""
from __future__ import annotations

from html import escape

from fzcheck.i18n import t
from fzcheck.model import NOT_APPLICABLE, WAIVED, DocumentResult
from fzcheck.render.common import STATUS, areas, group_name, look, status_text, title_of
FONT = "'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC',sans-serif"

WIDTH = 720
LABEL_W = 250
BAR_X = 262
BAR_W = 380
ROW = 15
AREA_ROW = 22


def _fit(text: str, width: float, size: float) -> str:
    """Cut text to about `width` pixels at font `size` (CJK characters count as one em)."""
    used, out = 0.0, []
    for ch in text:
        used += size if ord(ch) > 0x2E80 else size * 0.56
        if used > width:
            return "".join(out[:-1]) + "…"
        out.append(ch)
    return text


def coverage_chart(d: DocumentResult, lang: str) -> str:
    """One thick bar per area (weighted coverage), then a thin bar per rule, coloured by status."""
    rows: list[str] = []
    y = 4
    for area in areas(d):
        pct = area.coverage
        label = f"{group_name(area.group, lang)}"
        value = "–" if pct is None else f"{pct:.0f}%"
        rows.append(f'<g class="area"><text x="0" y="{y + 15}" font-size="13" font-weight="bold">'
                    f"{escape(_fit(label, LABEL_W, 13))}</text>"
                    f'<rect x="{BAR_X}" y="{y + 4}" width="{BAR_W}" height="14" fill="#eceff1" stroke="#b0bec5" '
                    f'stroke-width="0.5"/>'
                    f'<rect x="{BAR_X}" y="{y + 4}" width="{BAR_W * (pct or 0) / 100:.1f}" height="14" '
                    f'fill="#37474f"/>'
                    f'<text x="{BAR_X + BAR_W + 8}" y="{y + 15}" font-size="13" font-weight="bold">{value}</text></g>')
        y += AREA_ROW
        for r in area.rules:
            share = r.credit if r.status not in (NOT_APPLICABLE, WAIVED) else 0.0
            color = look(r.status).color
            title = escape(f"{title_of(r, lang)} ({r.id}): {status_text(r.status, lang)}")
            rows.append(
                f'<g class="rule" data-rule="{escape(r.id)}" data-status="{escape(r.status)}"><title>{title}</title>'
                f'<text x="12" y="{y + 11}" font-size="10.5" fill="#263238">'
                f'<tspan fill="{color}">{look(r.status).mark}</tspan> {escape(_fit(title_of(r, lang), LABEL_W - 26, 10.5))}'
                f"</text>"
                f'<rect x="{BAR_X}" y="{y + 3}" width="{BAR_W}" height="9" fill="#f5f5f5" stroke="#cfd8dc" '
                f'stroke-width="0.5"/>'
                f'<rect x="{BAR_X}" y="{y + 3}" width="{BAR_W * share:.1f}" height="9" fill="{color}"/>'
                f'<text x="{BAR_X + BAR_W + 8}" y="{y + 11}" font-size="10" fill="{color}">'
                f"{escape(status_text(r.status, lang))}</text></g>")
            y += ROW
        y += 4
    legend_x = 0
    legend = []
    for status, shown in STATUS.items():
        legend.append(f'<rect x="{legend_x}" y="{y + 4}" width="10" height="10" fill="{shown.color}"/>'
                      f'<text x="{legend_x + 14}" y="{y + 13}" font-size="10.5">'
                      f"{escape(status_text(status, lang))}</text>")
        legend_x += 28 + 11 * len(status_text(status, lang)) * (1 if lang == "zh" else 0.6)
    y += 20
    label = escape(t("out.coverage", lang))
    return (f'<svg class="coverage" role="img" aria-label="{label}" '
            f'viewBox="0 0 {WIDTH} {y}" width="100%" font-family="{FONT}">'
            + "".join(rows) + "".join(legend) + "</svg>")

