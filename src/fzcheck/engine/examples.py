"""Running the examples each rule carries: pass examples must pass, fail ones must not.

Examples are sentences, or short reports with headings (lines separated by newlines), so
that the traps — plan only, named only among the problems, lacking, look-alike names — can
be written down next to the rule. Rules added by a profile are run under that profile.
"""
from __future__ import annotations

from dataclasses import dataclass

from fzcheck.engine.check import evaluate_rule, from_text
from fzcheck.engine.match import MatchContext
from fzcheck.errors import RuleSetError
from fzcheck.model import PASS
from fzcheck.rules.model import Rule, RuleSet
from fzcheck.rules.source import parse_yaml


@dataclass
class Outcome:
    rule: str
    kind: str  # "pass" or "fail"
    text: str
    status: str
    ok: bool
    profile: str | None = None
    index: int = 0  # position of the example in its list
    where: str = ""  # file:line:column of the example, when known

    def describe(self) -> str:
        want = "pass" if self.kind == "pass" else "not pass"
        snippet = self.text.replace("\n", " / ")
        if len(snippet) > 60:
            snippet = snippet[:59] + "…"
        prof = f" (profile {self.profile})" if self.profile else ""
        return f"rule '{self.rule}'{prof}: {self.kind} example should {want}, got {self.status}: {snippet}"


def check_example(ruleset: RuleSet, rule: Rule, text: str) -> str:
    """The status the rule gives the example text, through the same path as a report's."""
    doc = from_text(text, ruleset, path=f"<example of {rule.id}>")
    return evaluate_rule(rule, doc, MatchContext(doc, ruleset), ruleset, "en").status


def _run(ruleset: RuleSet, rules: list[Rule], profile: str | None) -> list[Outcome]:
    out = []
    for rule in rules:
        for kind in ("pass", "fail"):
            for n, text in enumerate(rule.examples.get(kind, [])):
                status = check_example(ruleset, rule, text)
                ok = (status == PASS) if kind == "pass" else (status != PASS)
                out.append(Outcome(rule.id, kind, text, status, ok, profile, n))
    return out


def run_examples(ruleset: RuleSet, rule_ids: set[str] | None = None, profiles: bool = True) -> list[Outcome]:
    """Every example of every rule; with ``profiles``, also the rules profiles add or whose
    ``min`` they change, each under its profile."""
    out = _run(ruleset, [r for r in ruleset.rules if not rule_ids or r.id in rule_ids], ruleset.profile)
    if profiles and not ruleset.profile:
        for name in ruleset.profiles:
            derived = ruleset.with_profile(name)
            ov = ruleset.profiles[name]
            ids = {r["id"] for r in ov.get("add") or []}
            ids |= {rid for rid, change in (ov.get("rules") or {}).items() if "min" in change}
            rules = [r for r in derived.rules if r.id in ids and (not rule_ids or r.id in rule_ids)]
            out.extend(_run(derived, rules, name))
    return out


def locate_outcome(ruleset: RuleSet, outcome: Outcome) -> str:
    """file:line:column of a failing example in the rule set file that wrote it."""
    origin = ruleset.origins.get(f"{outcome.profile}:{outcome.rule}") if outcome.profile else None
    origin = origin or ruleset.origins.get(outcome.rule)
    if not origin:
        return ruleset.path
    path, jpath = origin
    try:
        src = parse_yaml(path)
    except RuleSetError:
        return path
    line, column = src.locate(jpath + ["examples", outcome.kind, outcome.index])
    return f"{path}:{line}:{column}" if line else path
