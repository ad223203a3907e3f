"""`explain` and `rules list`, generated from the rule set itself
(so a custom rule set documents its own rules), as text, JSON or Markdown."""
from __future__ import annotations

from fzcheck.i18n import pick, t
from fzcheck.render.jsonfmt import dumps
from fzcheck.rules.model import Rule, RuleSet


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
        "words": rule_words(rule, lang),
        "examples": {k: [text for kk, _, text in example_lines(rule) if kk == k]
                     for k in ("pass", "fail", "todo") if rule.examples.get(k) or k != "todo"},
        "specification": [{"list": k, "expect": want, "text": text} for k, want, text in example_lines(rule)],
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
    L = _LABELS[lang]
    lines = [f"### {_md(d['title'])} (`{d['id']}`)", "",
             (f"- **{L['severity']}**: {t('severity.' + d['severity'], lang)}"
              f"  **{L['weight']}**: {d['weight']:g}  **{L['kind']}**: {d['kind']}")]
    if d["since_year"]:
        lines.append(f"- **{L['since']}**: {L['since_fmt'].format(year=d['since_year'])}")
    if d["description"]:
        lines.append(f"- **{L['what']}**: {_md(d['description'])}")
    for b in d["basis"]:
        lines.append(f"- **{L['basis']}**: {_md(b.get('doc', ''))}{_md(b.get('article') or '')}")
    if d["items"]:
        lines.append(f"- **{L['items']}**: " + "，".join(f"{_md(i['title'])} (`{i['id']}`)" for i in d["items"]))
    sep = "、" if lang == "zh" else ", "
    for m in d["words"]:
        owner = _owner(rule, m["owner"], lang)
        prefix = f"{_md(owner)} — " if owner else ""
        if m["words"]:
            lines.append(f"- **{prefix}{L['words']}**: {_md(sep.join(m['words']))}")
        if m["look_alikes"]:
            lines.append(f"- **{prefix}{L['look_alikes']}**: {_md(sep.join(m['look_alikes']))}")
    if d["fix"]:
        lines.append(f"- **{L['fix']}**: {_md(d['fix'])}")
    for kind in ("pass", "fail", "todo"):
        rows = [e for e in d["specification"] if e["list"] == kind]
        if rows:
            lines.append(f"- **{L[kind]}**:")
            lines.extend(f"  - {_md(e['text'].replace(chr(10), ' / '))}"
                         + (f" — *{_md(e['expect'])}*" if e["expect"] not in ("pass", "fail") else "")
                         for e in rows)
    return "\n".join(lines) + "\n"


def reference_markdown(ruleset: RuleSet, lang: str = "zh") -> str:
    """The rule reference (rules/README.md): the rule list, then every rule — what counts,
    its words and look-alikes, its examples — and the rules each profile adds."""
    head = ("<!-- Generated from the rule set by `fzcheck rules doc` (python -m fzcheck rules doc "
            "> rules/README.md); do not edit by hand: tests/test_rules_reference.py fails when it is stale. -->")
    parts = [head, "", list_markdown(ruleset, lang)]
    parts += [explain_markdown(r, lang) for r in ruleset.rules]
    for name, ov in ruleset.profiles.items():
        added = [ruleset.with_profile(name).rule(r["id"]) for r in ov.get("add") or []]
        if added:
            parts.append(f"## profile `{name}` — {_md(ruleset.profile_title(name, lang))}\n")
            parts += [explain_markdown(r, lang) for r in added if r is not None]
    return "\n".join(parts)


def find_rule(ruleset: RuleSet, name: str) -> Rule | None:
    """A rule by its id, an alias, or its title in either language (法律顾问 finds
    法律顾问（公职律师）制度 when only one title contains it)."""
    rule = ruleset.find_rule(name)
    if rule is not None:
        return rule
    rules = list(ruleset.rules)
    for pname, ov in ruleset.profiles.items():
        rules += [r for r in (ruleset.with_profile(pname).rule(x["id"]) for x in ov.get("add") or []) if r]
    key = name.strip().lower()
    exact = [r for r in rules if key in (r.title.get("zh", "").lower(), r.title.get("en", "").lower())]
    if exact:
        return exact[0]
    partial = [r for r in rules if key in r.title.get("zh", "").lower() or key in r.title.get("en", "").lower()]
    return partial[0] if len(partial) == 1 else None


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
           "kind": "类型", "since": "适用年度", "since_fmt": "{year}年度起",
           "words": "算作证据的说法", "look_alikes": "形似而不算的说法", "todo": "已知漏判（待改进）",
           "around": "（含“{words}”等的写法）", "pattern": "（一种写法，见规则文件）", "collective_of": "统称",
           "expect": "应得", "examples": "例子"},
    "en": {"severity": "severity", "weight": "weight", "basis": "basis", "what": "requires", "fix": "fix",
           "items": "items", "collective": "collective names", "pass": "examples that count",
           "fail": "examples that do not count", "kind": "kind", "since": "applies", "since_fmt": "from {year}",
           "words": "words that count", "look_alikes": "look-alikes that do not count", "todo": "known misses (todo)",
           "around": "(a wording around: {words})", "pattern": "(a pattern; see the rule file)",
           "collective_of": "collective name", "expect": "must give", "examples": "examples"},
}


def _owner(rule: Rule, owner: str, lang: str) -> str:
    if owner == "*":
        return _LABELS[lang]["collective_of"]
    item = next((i for i in rule.items if i.id == owner), None)
    return f"{pick(item.title, lang)} ({owner})" if item else ""


def explain_rule(rule: Rule, lang: str = "zh") -> str:
    """What a rule requires, in words a reviewer reads: never a raw pattern."""
    L = _LABELS[lang]
    lines = [f"{pick(rule.title, lang)} ({rule.id})",
             (f"{L['severity']}: {t('severity.' + rule.severity, lang)}    {L['weight']}: {rule.weight:g}"
              f"    {L['kind']}: {rule.kind}")]
    if rule.since_year:
        lines.append(f"{L['since']}: {L['since_fmt'].format(year=rule.since_year)}")
    if pick(rule.description, lang):
        lines.append(f"{L['what']}: {pick(rule.description, lang)}")
    for b in rule.basis:
        lines.append(f"{L['basis']}: {b['doc']}{' ' + b['article'] if b.get('article') else ''}")
    if rule.items:
        lines.append(f"{L['items']}: " + ", ".join(f"{pick(i.title, lang)} ({i.id})" for i in rule.items))
    sep = "、" if lang == "zh" else ", "
    for m in rule_words(rule, lang):
        owner = _owner(rule, m["owner"], lang)
        prefix = f"[{owner}] " if owner else ""
        if m["words"]:
            lines.append(f"{prefix}{L['words']}: {sep.join(m['words'])}")
        if m["look_alikes"]:
            lines.append(f"{prefix}{L['look_alikes']}: {sep.join(m['look_alikes'])}")
    if pick(rule.fix, lang):
        lines.append(f"{L['fix']}: {pick(rule.fix, lang)}")
    shown = example_lines(rule)
    for kind in ("pass", "fail", "todo"):
        rows = [(want, text) for k, want, text in shown if k == kind]
        if rows:
            lines.append(f"{L[kind]}:")
            lines.extend(f"  - [{want}] " + text.replace("\n", " / ") if want and want not in ("pass", "fail")
                         else "  - " + text.replace("\n", " / ") for want, text in rows)
    return "\n".join(lines)


def list_rules(ruleset: RuleSet, lang: str = "zh") -> str:
    rows = [f"{ruleset.id} {ruleset.version} — {pick(ruleset.title, lang)}"]
    width = max(len(r.id) for r in ruleset.rules) if ruleset.rules else 10
    for r in ruleset.rules:
        items = f" [{', '.join(i.id for i in r.items)}]" if r.items else ""
        rows.append(f"{r.id:<{width}}  {t('severity.' + r.severity, lang):<11} {r.weight:>4g}  "
                    f"{pick(r.title, lang)}{items}")
    return "\n".join(rows)


# ---------------------------------------------------------------------------- words, not regex
_LIMIT = 24  # a pattern that expands to more phrases than this is shown by its key words


class _NotPlain(Exception):
    pass


def _expand(pattern: str) -> list[str]:
    """The phrases a pattern made only of literals, groups and | matches; _NotPlain else."""
    pos = 0

    def alternation() -> list[str]:
        nonlocal pos
        options = sequence()
        while pos < len(pattern) and pattern[pos] == "|":
            pos += 1
            options += sequence()
        return options

    def sequence() -> list[str]:
        nonlocal pos
        out = [""]
        while pos < len(pattern) and pattern[pos] not in "|)":
            ch = pattern[pos]
            if ch == "(":
                pos += 1
                if pattern.startswith("?:", pos):
                    pos += 2
                elif pattern.startswith("?", pos):
                    raise _NotPlain
                inner = alternation()
                if pos >= len(pattern) or pattern[pos] != ")":
                    raise _NotPlain
                pos += 1
                part = inner
            elif ch == "\\" and pos + 1 < len(pattern) and not pattern[pos + 1].isalnum():
                part = [pattern[pos + 1]]
                pos += 2
            elif ch in ".[]{}*+?^$\\":
                raise _NotPlain
            else:
                part = [ch]
                pos += 1
            if pos < len(pattern) and pattern[pos] in "*+?{":
                raise _NotPlain
            out = [a + b for a in out for b in part]
            if len(out) > _LIMIT:
                raise _NotPlain
        return out

    result = alternation()
    if pos != len(pattern):
        raise _NotPlain
    return result


def plain_phrases(patterns: list[str], lang: str = "zh") -> list[str]:
    """Patterns as a reader sees them: the phrases they match, or, for a real pattern, the
    key words it is built on ("…领导小组…")."""
    from fzcheck.perf.prefilter import required_literals

    out: list[str] = []
    for p in patterns:
        try:
            out.extend(_expand(p))
        except _NotPlain:
            lits = required_literals(p)
            if lits:
                joined = " / ".join(sorted(lits, key=lambda x: (len(x), x))[:8])
                out.append(_LABELS[lang]["around"].format(words=joined))
            else:
                out.append(_LABELS[lang]["pattern"])
    return list(dict.fromkeys(out))


def _matchers_raw(rule: Rule) -> list[tuple[str, dict]]:
    raw = rule.source or {}
    found = [("", m) for m in raw.get("evidence") or []]
    for item in raw.get("items") or []:
        found += [(item["id"], m) for m in item.get("evidence") or []]
    found += [("*", m) for m in raw.get("collective") or []]
    return found


def rule_words(rule: Rule, lang: str = "zh") -> list[dict]:
    """Per matcher: whose it is (the rule, an item, the collective name), its words and its
    look-alikes, all as plain phrases."""
    from fzcheck.rules.patterns import as_list

    out = []
    for owner, m in _matchers_raw(rule):
        words = as_list(m.get("words")) + plain_phrases(as_list(m.get("any")), lang)
        looks = as_list(m.get("look_alikes")) + plain_phrases(
            as_list(m.get("look_alike_patterns")) + as_list(m.get("mask")), lang)
        out.append({"owner": owner, "words": list(dict.fromkeys(words)), "look_alikes": list(dict.fromkeys(looks))})
    return out


def example_lines(rule: Rule) -> list[tuple[str, str, str]]:
    """(list, expected, text) for every example: what each must give, in the examples' words."""
    from fzcheck.engine.examples import LISTS, parse_example

    out = []
    for kind in LISTS:
        for raw in rule.examples.get(kind) or []:
            ex = parse_example(raw)
            want = ex.expect or ("" if ex.items else ("pass" if kind != "fail" else "fail"))
            if ex.items:
                want = ", ".join(filter(None, [want] + [f"{k}: {v}" for k, v in ex.items.items()]))
            if ex.why:
                want += f" ({ex.why})"
            out.append((kind, want, ex.text))
    return out
