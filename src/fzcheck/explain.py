"""Rule documentation generated from the rule set itself (explain, rules list)."""
from __future__ import annotations

from fzcheck.i18n import pick, t
from fzcheck.ruleset import Rule, RuleSet

_LABELS = {
    "zh": {"severity": "级别", "weight": "权重", "basis": "依据", "what": "要求", "fix": "修改建议",
           "items": "分项", "collective": "统称", "pass": "算作落实的例子", "fail": "不算的例子",
           "kind": "类型", "since": "适用年度", "since_fmt": "{year}年度起"},
    "en": {"severity": "severity", "weight": "weight", "basis": "basis", "what": "requires", "fix": "fix",
           "items": "items", "collective": "collective names", "pass": "examples that count",
           "fail": "examples that do not count", "kind": "kind", "since": "applies", "since_fmt": "from {year}"},
}


def explain_rule(rule: Rule, lang: str = "zh") -> str:
    L = _LABELS[lang]
    lines = [f"{pick(rule.title, lang)} ({rule.id})",
             f"{L['severity']}: {t('severity.' + rule.severity, lang)}    {L['weight']}: {rule.weight:g}"
             f"    {L['kind']}: {rule.kind}"]
    if rule.since_year:
        lines.append(f"{L['since']}: {L['since_fmt'].format(year=rule.since_year)}")
    if pick(rule.description, lang):
        lines.append(f"{L['what']}: {pick(rule.description, lang)}")
    for b in rule.basis:
        lines.append(f"{L['basis']}: {b['doc']}{' ' + b['article'] if b.get('article') else ''}")
    if rule.items:
        lines.append(f"{L['items']}: " + ", ".join(f"{pick(i.title, lang)} ({i.id})" for i in rule.items))
    if rule.collective:
        names = [p for m in rule.collective for p in m.any.sources]
        lines.append(f"{L['collective']}: " + " | ".join(names))
    if pick(rule.fix, lang):
        lines.append(f"{L['fix']}: {pick(rule.fix, lang)}")
    for key in ("pass", "fail"):
        examples = rule.examples.get(key) or []
        if examples:
            lines.append(f"{L[key]}:")
            lines.extend("  - " + e.replace("\n", " / ") for e in examples)
    return "\n".join(lines)


def list_rules(ruleset: RuleSet, lang: str = "zh") -> str:
    rows = [f"{ruleset.id} {ruleset.version} — {pick(ruleset.title, lang)}"]
    width = max(len(r.id) for r in ruleset.rules) if ruleset.rules else 10
    for r in ruleset.rules:
        items = f" [{', '.join(i.id for i in r.items)}]" if r.items else ""
        rows.append(f"{r.id:<{width}}  {t('severity.' + r.severity, lang):<11} {r.weight:>4g}  "
                    f"{pick(r.title, lang)}{items}")
    return "\n".join(rows)
