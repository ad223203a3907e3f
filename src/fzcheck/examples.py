"""Running the examples each rule carries: pass examples must pass, fail ones must not."""
from __future__ import annotations

from dataclasses import dataclass

from fzcheck.model import PASS
from fzcheck.ruleset import Rule, RuleSet


@dataclass
class Outcome:
    rule: str
    kind: str  # "pass" or "fail"
    text: str
    status: str
    ok: bool

    def describe(self) -> str:
        want = "pass" if self.kind == "pass" else "not pass"
        snippet = self.text.replace("\n", " / ")
        if len(snippet) > 60:
            snippet = snippet[:59] + "…"
        return f"rule '{self.rule}': {self.kind} example should {want}, got {self.status}: {snippet}"


def check_example(ruleset: RuleSet, rule: Rule, text: str) -> str:
    from fzcheck import kinds
    from fzcheck.checker import from_text
    from fzcheck.match import MatchContext

    doc = from_text(text, ruleset, path=f"<example of {rule.id}>")
    result = kinds.KINDS[rule.kind](rule, doc, MatchContext(doc, ruleset, rule.id), "en")
    return result.status


def run_examples(ruleset: RuleSet, rule_ids: set[str] | None = None) -> list[Outcome]:
    out = []
    for rule in ruleset.rules:
        if rule_ids and rule.id not in rule_ids:
            continue
        for kind in ("pass", "fail"):
            for text in rule.examples.get(kind, []):
                status = check_example(ruleset, rule, text)
                ok = (status == PASS) if kind == "pass" else (status != PASS)
                out.append(Outcome(rule.id, kind, text, status, ok))
    return out
