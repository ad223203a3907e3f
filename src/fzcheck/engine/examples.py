"""Running the examples each rule carries: a rule's examples are its specification.

An example is a sentence, or a short report with headings (lines separated by newlines),
so that the traps — plan only, named only among the problems, lacking, look-alike names —
are written down next to the rule. Under ``pass:`` a plain text must pass and under
``fail:`` it must not; an example can also say exactly what the rule must give::

    - plan_only: "一、主要举措和成效\\n做了工作。\\n二、下一步打算\\n聘请法律顾问。"
    - {text: 实现一村（社区）一法律顾问全覆盖。, expect: missing, why: lookalike}
    - {text: 重大决策均经公众参与。, items: {public-participation: pass, risk-assessment: missing}}

``expect`` is a rule status (pass, partial, fail, not_applicable) or a finding (plan_only,
problem_only, negated, missing, found); ``items`` gives item outcomes; ``why`` the reason the
closest mention was not counted (``RuleResult.why_not.reason``); ``credit`` the credit.
``todo:`` examples are known misses: listed by ``fzcheck rules test``, never failing it.
Rules added by a profile are run under that profile.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fzcheck.engine.check import evaluate_rule, from_text
from fzcheck.engine.match import MatchContext
from fzcheck.errors import RuleSetError
from fzcheck.model import NOT_APPLICABLE, PASS, RuleResult
from fzcheck.rules.model import Rule, RuleSet
from fzcheck.rules.source import parse_yaml

STATUSES = ("pass", "partial", "fail", "not_applicable")
FINDINGS = ("plan_only", "problem_only", "negated", "missing", "found")
LISTS = ("pass", "fail", "todo")
_NOT_FOUND = {"plan_only", "problem_only", "negated", "missing", "none", "0", "unknown"}


@dataclass
class Example:
    """One example as written: its text and what the rule must give it."""
    text: str
    expect: str | None = None  # a status or a finding; None: the list decides (pass / not pass)
    items: dict[str, str] = field(default_factory=dict)
    why: str | None = None
    credit: float | None = None
    note: str = ""


def parse_example(raw: Any) -> Example:
    """An example of any written form: a string, {finding: text}, or {text, expect, …}."""
    if isinstance(raw, str):
        return Example(raw)
    if "text" in raw:
        return Example(raw["text"], raw.get("expect"), dict(raw.get("items") or {}), raw.get("why"),
                       raw.get("credit"), raw.get("note") or "")
    (expect, text), = raw.items()
    return Example(text, expect)


def example_text(raw: Any) -> str:
    return parse_example(raw).text


@dataclass
class Outcome:
    rule: str
    kind: str  # the list the example stands in: "pass", "fail" or "todo"
    text: str
    status: str
    ok: bool
    profile: str | None = None
    index: int = 0  # position of the example in its list
    where: str = ""  # file:line:column of the example, when known
    expected: str = ""  # what the example asked for, in words ("plan_only", "not pass", "item x: pass")
    got: str = ""  # what the rule gave, in the same words

    @property
    def todo(self) -> bool:
        return self.kind == "todo"

    def describe(self) -> str:
        snippet = self.text.replace("\n", " / ")
        if len(snippet) > 60:
            snippet = snippet[:59] + "…"
        prof = f" (profile {self.profile})" if self.profile else ""
        head = f"rule '{self.rule}'{prof}: "
        if self.todo:
            state = "now holds, move it out of todo" if self.ok else "known miss"
            return f"{head}todo example ({state}): expected {self.expected}, got {self.got}: {snippet}"
        return f"{head}{self.kind} example: expected {self.expected}, got {self.got}: {snippet}"


def rule_result(ruleset: RuleSet, rule: Rule, text: str) -> RuleResult:
    """The result the rule gives the example text, through the same path as a report's."""
    doc = from_text(text, ruleset, path=f"<example of {rule.id}>")
    return evaluate_rule(rule, doc, MatchContext(doc, ruleset), ruleset, "en")


def check_example(ruleset: RuleSet, rule: Rule, text: str) -> str:
    """The status the rule gives the example text."""
    return rule_result(ruleset, rule, text).status


def _finding(res: RuleResult) -> str:
    """The finding of a result in the words examples use."""
    if res.items:
        return "found" if res.finding == "pass" else res.finding
    if res.finding in FINDINGS:
        return res.finding
    return "missing" if res.finding in _NOT_FOUND else "found"


def _gives(res: RuleResult, expect: str) -> tuple[bool, str]:
    """Whether the result gives what ``expect`` names, and what it gave in those words."""
    if expect in STATUSES:
        return res.status == expect, res.status
    finding = _finding(res)
    if expect == "found":
        return res.status != NOT_APPLICABLE and finding not in _NOT_FOUND, finding
    if res.items and expect == "missing":  # no item found at all
        return all(i.status != "pass" for i in res.items) and res.finding == "missing", finding
    return finding == expect, finding


def judge(example: Example, kind: str, res: RuleResult) -> tuple[bool, str, str]:
    """(holds, expected, got) of one example against the rule's result."""
    wants: list[str] = []
    gots: list[str] = []
    ok = True
    if example.expect:
        good, got = _gives(res, example.expect)
        ok &= good
        wants.append(example.expect)
        gots.append(got)
    elif not example.items:
        if kind == "fail":
            ok &= res.status != PASS
            wants.append("not pass")
        else:  # pass and todo lists: the text must pass
            ok &= res.status == PASS
            wants.append("pass")
        gots.append(res.status)
    by_id = {i.id: i for i in res.items}
    for item_id, want in example.items.items():
        item = by_id.get(item_id)
        got = item.status if item else "no such item"
        ok &= got == want
        wants.append(f"{item_id}: {want}")
        gots.append(f"{item_id}: {got}")
    if example.credit is not None:
        ok &= abs(res.credit - float(example.credit)) < 1e-6
        wants.append(f"credit {float(example.credit):g}")
        gots.append(f"credit {res.credit:g}")
    if example.why:
        reason = res.why_not.reason if res.why_not else "none"
        ok &= reason == example.why
        wants.append(f"why {example.why}")
        gots.append(f"why {reason}")
    elif not ok and res.why_not is not None and res.why_not.reason not in ("", *FINDINGS, *STATUSES):
        gots[-1:] = [f"{gots[-1]} ({res.why_not.reason})"] if gots else []
    return ok, ", ".join(wants), ", ".join(gots)


def _run(ruleset: RuleSet, rules: list[Rule], profile: str | None) -> list[Outcome]:
    out = []
    for rule in rules:
        for kind in LISTS:
            for n, raw in enumerate(rule.examples.get(kind) or []):
                example = parse_example(raw)
                res = rule_result(ruleset, rule, example.text)
                ok, expected, got = judge(example, kind, res)
                out.append(Outcome(rule.id, kind, example.text, res.status, ok, profile, n,
                                   expected=expected, got=got))
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


def failures(outcomes: list[Outcome]) -> list[Outcome]:
    """The outcomes that fail ``rules test`` (todo examples never do)."""
    return [o for o in outcomes if not o.ok and not o.todo]


def locate_outcome(ruleset: RuleSet, outcome: Outcome, _sources: dict[str, Any] | None = None) -> str:
    """file:line:column of an example in the rule set file that wrote it."""
    origin = ruleset.origins.get(f"{outcome.profile}:{outcome.rule}") if outcome.profile else None
    origin = origin or ruleset.origins.get(outcome.rule)
    if not origin:
        return ruleset.path
    path, jpath = origin
    sources = _sources if _sources is not None else {}
    try:
        if path not in sources:
            sources[path] = parse_yaml(path)
        src = sources[path]
    except RuleSetError:
        return path
    line, column = src.locate(jpath + ["examples", outcome.kind, outcome.index])
    return f"{path}:{line}:{column}" if line else path
