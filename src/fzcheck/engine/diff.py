"""What changed between two drafts of a report: rules and items gained and lost, score and grade.

`fzcheck diff OLD NEW` exits 1 (EXIT_GATE) when the new draft lost something a required rule had.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from fzcheck.errors import EXIT_GATE, EXIT_OK
from fzcheck.model import FAIL, PARTIAL, PASS, DocumentResult, RuleResult

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
    return EXIT_GATE if diff.lost_required else EXIT_OK


__all__ = ["compare", "exit_code", "Diff", "RuleChange", "RANK"]
