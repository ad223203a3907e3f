"""What changed between two drafts of a report: rules and items gained and lost, score and grade.

`fzcheck diff OLD NEW` exits 1 when the new draft lost something a required rule had.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from fzcheck.i18n import pick, t
from fzcheck.model import FAIL, NOT_APPLICABLE, PARTIAL, PASS, WAIVED, DocumentResult, RuleResult

# How good a status is; not_applicable and waived are outside the scale.
RANK = {FAIL: 0, PARTIAL: 1, PASS: 2}


@dataclass
class RuleChange:
    id: str
    title: dict[str, str]
    severity: str
    old: str | None  # None: the rule is not in that draft's rule set
    new: str | None
    old_credit: float
    new_credit: float
    items_gained: list[dict[str, str]] = field(default_factory=list)  # item titles
    items_lost: list[dict[str, str]] = field(default_factory=list)

    @property
    def kind(self) -> str:
        """gained, lost or changed (a move to or from not_applicable/waived, or items traded)."""
        if self.old in RANK and self.new in RANK:
            if RANK[self.new] > RANK[self.old]:
                return "gained"
            if RANK[self.new] < RANK[self.old] or self.items_lost:
                return "lost"
            if self.items_gained:
                return "gained"
        return "changed"


@dataclass
class Diff:
    old: DocumentResult
    new: DocumentResult
    changes: list[RuleChange]

    @property
    def delta(self) -> float:
        return round(self.new.score - self.old.score, 1)

    def by_kind(self, kind: str) -> list[RuleChange]:
        return [c for c in self.changes if c.kind == kind]

    @property
    def lost_required(self) -> list[RuleChange]:
        return [c for c in self.by_kind("lost") if c.severity == "required"]


def compare(old: DocumentResult, new: DocumentResult) -> Diff:
    old_rules = {r.id: r for r in old.results}
    new_rules = {r.id: r for r in new.results}
    changes = []
    for rid in list(old_rules) + [r for r in new_rules if r not in old_rules]:
        a: RuleResult | None = old_rules.get(rid)
        b: RuleResult | None = new_rules.get(rid)
        ref = b or a
        old_items = {i.id: i for i in a.items} if a else {}
        new_items = {i.id: i for i in b.items} if b else {}
        gained = [new_items[i].title for i in new_items
                  if new_items[i].status == PASS and (i not in old_items or old_items[i].status != PASS)]
        lost = [old_items[i].title for i in old_items
                if old_items[i].status == PASS and (i not in new_items or new_items[i].status != PASS)]
        if a and b and a.status == b.status and not gained and not lost:
            continue
        changes.append(RuleChange(rid, ref.title, ref.severity, a.status if a else None, b.status if b else None,
                                  a.credit if a else 0.0, b.credit if b else 0.0, gained, lost))
    return Diff(old, new, changes)


def exit_code(diff: Diff) -> int:
    return 1 if diff.lost_required else 0


# --- output ----------------------------------------------------------------------------------------------

def _sep(lang: str) -> str:
    return ", " if lang == "en" else "、"


def _status(s: str | None, lang: str) -> str:
    return t("status." + s, lang) if s else "–"


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
    from fzcheck.render.markdown import esc

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
                extra = "".join(f"; {t('diff.items_' + k, lang)}: " + _sep(lang).join(esc(pick(x, lang)) for x in v)
                                for k, v in (("gained", c.items_gained), ("lost", c.items_lost)) if v)
                lines.append(f"- {esc(pick(c.title, lang) or c.id)} (`{c.id}`, {t('severity.' + c.severity, lang)}): "
                             f"{_status(c.old, lang)} → {_status(c.new, lang)}{extra}")
            lines.append("")
    if not diff.changes:
        lines.append(t("diff.none", lang))
    if diff.lost_required:
        lines.append("**" + esc(t("diff.lost_required", lang, names=_sep(lang).join(c.id for c in diff.lost_required))) + "**")
    return "\n".join(lines) + "\n"


FORMATS = {"text": render_text, "json": lambda d, lang="zh": json.dumps(to_dict(d, lang), ensure_ascii=False,
                                                                        indent=2) + "\n",
           "markdown": render_markdown}

__all__ = ["compare", "exit_code", "Diff", "RuleChange", "FORMATS", "NOT_APPLICABLE", "WAIVED"]
