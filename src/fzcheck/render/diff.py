"""`fzcheck diff` output: the comparison of two drafts (fzcheck.engine.diff) as text, JSON or
Markdown. Register another format in ``FORMATS``."""
from __future__ import annotations

from fzcheck.engine.diff import Diff, RuleChange
from fzcheck.i18n import pick, t
from fzcheck.render.common import look, status_text
from fzcheck.render.jsonfmt import dumps
from fzcheck.render.markdown import esc


def _sep(lang: str) -> str:
    return t("sep.list", lang)


def _status(s: str | None, lang: str) -> str:
    return f"{look(s).mark} {status_text(s, lang)}" if s else status_text(s, lang)


def to_dict(diff: Diff, lang: str = "zh") -> dict:
    def change(c: RuleChange) -> dict:
        return {"id": c.id, "title": pick(c.title, lang) or c.id, "severity": c.severity, "kind": c.kind,
                "old": c.old, "new": c.new, "old_credit": round(c.old_credit, 4), "new_credit": round(c.new_credit, 4),
                "items_gained": [pick(x, lang) for x in c.items_gained],
                "items_lost": [pick(x, lang) for x in c.items_lost]}

    side = lambda d: {"path": d.path, "score": d.score, "grade": d.grade, "passed": d.passed}  # noqa: E731
    return {"old": side(diff.old), "new": side(diff.new), "score_delta": diff.delta,
            "gained": [change(c) for c in diff.by_kind("gained")],
            "lost": [change(c) for c in diff.by_kind("lost")],
            "changed": [change(c) for c in diff.by_kind("changed")],
            "lost_required": [c.id for c in diff.lost_required]}


def _change_lines(c: RuleChange, lang: str, bullet: str) -> list[str]:
    sev = t("severity." + c.severity, lang)
    out = [f"  {bullet} {pick(c.title, lang) or c.id} ({c.id}) [{sev}]: {_status(c.old, lang)} → {_status(c.new, lang)}"]
    if c.items_gained:
        out.append(f"      {t('diff.items_gained', lang)}: " + _sep(lang).join(pick(x, lang) for x in c.items_gained))
    if c.items_lost:
        out.append(f"      {t('diff.items_lost', lang)}: " + _sep(lang).join(pick(x, lang) for x in c.items_lost))
    return out


def render_text(diff: Diff, lang: str = "zh") -> str:
    o, n = diff.old, diff.new
    gate = lambda d: t("report.gate_pass", lang) if d.passed else t("report.gate_fail", lang)  # noqa: E731
    lines = [f"{t('diff.title', lang)}: {o.path} → {n.path}",
             f"{t('report.score', lang)}: {o.score:g} → {n.score:g} ({diff.delta:+g})    "
             f"{t('report.grade', lang)}: {o.grade} → {n.grade}    {t('out.gate', lang)}: {gate(o)} → {gate(n)}"]
    for kind, bullet in (("gained", "+"), ("lost", "-"), ("changed", "~")):
        changes = diff.by_kind(kind)
        if changes:
            lines.append(f"{t('diff.' + kind, lang)} ({len(changes)}):")
            for c in changes:
                lines.extend(_change_lines(c, lang, bullet))
    if not diff.changes:
        lines.append(t("diff.none", lang))
    if diff.lost_required:
        names = _sep(lang).join(f"{pick(c.title, lang) or c.id} ({c.id})" for c in diff.lost_required)
        lines.append(t("diff.lost_required", lang, names=names))
    return "\n".join(lines) + "\n"


def render_markdown(diff: Diff, lang: str = "zh") -> str:
    o, n = diff.old, diff.new
    lines = [f"## {t('diff.title', lang)}", "",
             f"| | {t('diff.old', lang)} | {t('diff.new', lang)} |", "|---|---|---|",
             f"| {t('out.file', lang)} | {esc(o.path)} | {esc(n.path)} |",
             f"| {t('report.score', lang)} | {o.score:g} | {n.score:g} ({diff.delta:+g}) |",
             f"| {t('report.grade', lang)} | {esc(o.grade)} | {esc(n.grade)} |", ""]
    for kind in ("gained", "lost", "changed"):
        changes = diff.by_kind(kind)
        if changes:
            lines.append(f"**{t('diff.' + kind, lang)}**")
            lines.append("")
            for c in changes:
                extra = "".join(t("sep.clause", lang) + f"{t('diff.items_' + k, lang)}: "
                                + _sep(lang).join(esc(pick(x, lang)) for x in v)
                                for k, v in (("gained", c.items_gained), ("lost", c.items_lost)) if v)
                lines.append(f"- {esc(pick(c.title, lang) or c.id)} (`{c.id}`, {t('severity.' + c.severity, lang)}): "
                             f"{_status(c.old, lang)} → {_status(c.new, lang)}{extra}")
            lines.append("")
    if not diff.changes:
        lines.append(t("diff.none", lang))
    if diff.lost_required:
        lines.append("**" + esc(t("diff.lost_required", lang, names=_sep(lang).join(c.id for c in diff.lost_required))) + "**")
    return "\n".join(lines) + "\n"


def render_json(diff: Diff, lang: str = "zh") -> str:
    return dumps(to_dict(diff, lang)) + "\n"


FORMATS = {"text": render_text, "json": render_json, "markdown": render_markdown}
