"""`explain` and `rules list`, generated from the rule set itself
(so a custom rule set documents its own rules), as text, JSON or Markdown."""
from __future__ import annotations


from fzcheck.i18n import pick, t
from fzcheck.rules.model import Rule, RuleSet
from fzcheck.render.jsonfmt import dumps


def rule_dict(rule: Rule, lang: str = "zh") -> dict:
    return {
        "id": rule.id,
        "title": pick(rule.title, lang) or rule.id,
        "kind": rule.kind,
        "group": rule.group,
        "severity": rule.severity,
        "weight": rule.weight,
        "since_year": rule.since_year,
        "until_year": rule.until_year,
        "description": pick(rule.description, lang),
        "fix": pick(rule.fix, lang),
        "basis": [dict(b) for b in rule.basis],
        "items": [{"id": i.id, "title": pick(i.title, lang) or i.id} for i in rule.items],
        "collective": [p for m in rule.collective for p in m.any.sources],
        "examples": {k: list(rule.examples.get(k) or []) for k in ("pass", "fail")},
    }


def ruleset_dict(ruleset: RuleSet, lang: str = "zh") -> dict:
    return {"id": ruleset.id, "version": ruleset.version, "title": pick(ruleset.title, lang),
            "threshold": ruleset.threshold, "rules": [rule_dict(r, lang) for r in ruleset.rules]}


def explain_json(rule: Rule, lang: str = "zh") -> str:
    return dumps(rule_dict(rule, lang))


def list_json(ruleset: RuleSet, lang: str = "zh") -> str:
    return dumps(ruleset_dict(ruleset, lang))


def _md(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|").replace("<", "&lt;")


def explain_markdown(rule: Rule, lang: str = "zh") -> str:
    d = rule_dict(rule, lang)
    zh = lang != "en"
    label = (lambda zh_text, en_text: zh_text if zh else en_text)
    lines = [f"### {_md(d['title'])} (`{d['id']}`)", "",
             f"- **{label('级别', 'severity')}**: {t('severity.' + d['severity'], lang)}"
             f"  **{label('权重', 'weight')}**: {d['weight']:g}  **{label('类型', 'kind')}**: {d['kind']}"]
    if d["since_year"]:
        lines.append(f"- **{label('适用年度', 'applies')}**: "
                     + (f"{d['since_year']}年度起" if zh else f"from {d['since_year']}"))
    if d["description"]:
        lines.append(f"- **{label('要求', 'requires')}**: {_md(d['description'])}")
    for b in d["basis"]:
        lines.append(f"- **{label('依据', 'basis')}**: {_md(b.get('doc', ''))}{_md(b.get('article') or '')}")
    if d["items"]:
        lines.append(f"- **{label('分项', 'items')}**: " + "，".join(f"{_md(i['title'])} (`{i['id']}`)"
                                                                    for i in d["items"]))
    if d["fix"]:
        lines.append(f"- **{label('修改建议', 'fix')}**: {_md(d['fix'])}")
    for key, zh_text, en_text in (("pass", "算作落实的例子", "examples that count"),
                                  ("fail", "不算的例子", "examples that do not count")):
        if d["examples"][key]:
            lines.append(f"- **{label(zh_text, en_text)}**:")
            lines.extend(f"  - {_md(e)}" for e in d["examples"][key])
    return "\n".join(lines) + "\n"


def list_markdown(ruleset: RuleSet, lang: str = "zh") -> str:
    zh = lang != "en"
    head = ["id", "规则" if zh else "rule", "级别" if zh else "severity", "权重" if zh else "weight",
            "分项" if zh else "items"]
    lines = [f"## {_md(ruleset.id)} {_md(ruleset.version)} — {_md(pick(ruleset.title, lang))}", "",
             "| " + " | ".join(head) + " |", "|---|---|---|---:|---|"]
    for r in ruleset.rules:
        items = ", ".join(f"`{i.id}`" for i in r.items)
        lines.append(f"| `{r.id}` | {_md(pick(r.title, lang) or r.id)} | {t('severity.' + r.severity, lang)} | "
                     f"{r.weight:g} | {items} |")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------- text
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
