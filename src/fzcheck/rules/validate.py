"""Rule set problems: every JSON-Schema error and every check the schema cannot make
(duplicate ids, unknown ids in overrides, patterns that do not compile, weights that must
add up), each a :class:`Problem` at ``file:line:column``."""
from __future__ import annotations

import copy
import difflib
from typing import Any, Iterator

import regex

from fzcheck.rules.model import WORD_KEYS, escape_words
from fzcheck.rules.patterns import compile_pattern
from fzcheck.rules.source import Problem, Source, schema
from fzcheck.rules.tailor import apply_overrides, apply_own_overrides, merge


def did_you_mean(name: str, known: Any) -> str:
    """" (did you mean 'x'?)" for the closest known name, or ""."""
    close = difflib.get_close_matches(str(name), sorted(str(k) for k in known), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _where(data: dict[str, Any], path: list[Any]) -> str:
    """Describe a JSON path inside a rule set: rule id and field."""
    parts = []
    if len(path) >= 2 and path[0] == "rules" and isinstance(path[1], int):
        rules = data.get("rules") or []
        rid = rules[path[1]].get("id") if path[1] < len(rules) and isinstance(rules[path[1]], dict) else None
        parts.append(f"rule '{rid}'" if rid else f"rule #{path[1] + 1}")
        rest = path[2:]
    else:
        rest = path
    if rest:
        parts.append("field '" + ".".join(str(p) for p in rest) + "'")
    return ": ".join(parts)


def schema_problems(src: Source) -> list[Problem]:
    """Every JSON-Schema error, each at the line of the key at fault."""
    import jsonschema

    data = src.data
    if not isinstance(data, dict):
        return [src.problem([], "a rule set must be a mapping with id, version and rules")]
    validator = jsonschema.Draft202012Validator(schema())
    out = []
    for err in validator.iter_errors(data):
        err = jsonschema.exceptions.best_match([err]) or err
        jpath = list(err.absolute_path)
        where = _where(data, jpath)
        message = err.message
        if err.validator == "additionalProperties" and isinstance(err.instance, dict):
            allowed = set((err.schema or {}).get("properties", {}))
            extra = [k for k in err.instance if k not in allowed]
            if extra:
                jpath = jpath + [extra[0]]
                message = f"unknown key '{extra[0]}'" + did_you_mean(extra[0], allowed) + (
                    f" (allowed: {', '.join(sorted(allowed))})" if 0 < len(allowed) <= 14 else "")
        problem = src.problem(jpath, f"{where + ': ' if where else ''}{message}")
        out.append(problem)
    out.sort(key=lambda p: (p.line or 0, p.column or 0))
    return out


def _pattern_problem(src: Source, jpath: list[Any], pattern: str, what: str) -> Problem | None:
    try:
        compile_pattern(pattern, 2000)
    except regex.error as exc:
        return src.problem(jpath, f"{what}: pattern {pattern!r} does not compile: {exc}")
    return None


_PATTERN_KEYS = ("any", "none", "unless", "mask", "look_alike_patterns")


def _matcher_patterns(prefix: list[Any], matchers: list[dict[str, Any]]) -> Iterator[tuple[list[Any], str]]:
    for n, m in enumerate(matchers or []):
        for key in (*_PATTERN_KEYS, *WORD_KEYS):
            value = m.get(key)
            escape = escape_words if key in WORD_KEYS else str
            if isinstance(value, str):
                yield prefix + [n, key], escape(value)
            else:
                for k, p in enumerate(value or []):
                    yield prefix + [n, key, k], escape(p)
        for gkey in ("all", "also_needs"):
            for g, group in enumerate(m.get(gkey, [])):
                if isinstance(group, str):
                    yield prefix + [n, gkey, g], group
                else:
                    for k, p in enumerate(group):
                        yield prefix + [n, gkey, g, k], p


def rule_patterns(raw_rule: dict[str, Any], prefix: list[Any] | None = None) -> Iterator[tuple[list[Any], str]]:
    """Yield (JSON path, pattern) for every pattern in a raw rule."""
    prefix = prefix or []
    yield from _matcher_patterns(prefix + ["evidence"], raw_rule.get("evidence", []))
    yield from _matcher_patterns(prefix + ["collective"], raw_rule.get("collective", []))
    for i, item in enumerate(raw_rule.get("items", [])):
        yield from _matcher_patterns(prefix + ["items", i, "evidence"], item.get("evidence", []))
    for n, a in enumerate(raw_rule.get("anachronisms", [])):
        yield prefix + ["anachronisms", n, "term"], a["term"]


def iter_patterns(raw_rule: dict[str, Any]):
    """Yield (field path as text, pattern) for every pattern in a raw rule."""
    for jpath, pattern in rule_patterns(raw_rule):
        yield ".".join(str(p) for p in jpath), pattern


def _rule_problems(src: Source, raw: dict[str, Any], jpath: list[Any], seen: dict[str, str]) -> list[Problem]:
    out = []
    for rid in [raw["id"], *raw.get("aliases", [])]:
        if rid in seen:
            out.append(src.problem(jpath + ["id"], f"rule '{rid}': duplicate rule id (also {seen[rid]})"))
        seen[rid] = "at " + ":".join(str(x) for x in src.locate(jpath + ["id"]))
    item_ids: set[str] = set()
    for i, item in enumerate(raw.get("items", [])):
        if item["id"] in item_ids:
            out.append(src.problem(jpath + ["items", i, "id"], f"rule '{raw['id']}': duplicate item id '{item['id']}'"))
        item_ids.add(item["id"])
    for ppath, pattern in rule_patterns(raw, jpath):
        problem = _pattern_problem(src, ppath, pattern, f"rule '{raw['id']}'")
        if problem:
            out.append(problem)
    out.extend(_example_problems(src, raw, jpath, item_ids))
    if raw.get("since_year") and raw.get("until_year") and raw["since_year"] > raw["until_year"]:
        out.append(src.problem(jpath + ["until_year"], f"rule '{raw['id']}': until_year is before since_year"))
    return out


def _example_problems(src: Source, raw: dict[str, Any], jpath: list[Any], item_ids: set[str]) -> list[Problem]:
    """Examples that name an item the rule does not have, or expect pass in the fail list."""
    out = []
    for kind, examples in (raw.get("examples") or {}).items():
        for n, ex in enumerate(examples or []):
            if not isinstance(ex, dict):
                continue
            for item_id in (ex.get("items") or {}):
                if item_id not in item_ids:
                    out.append(src.problem(jpath + ["examples", kind, n, "items", item_id],
                                           f"rule '{raw['id']}': example names unknown item '{item_id}'"
                                           + did_you_mean(item_id, item_ids)))
            expect = ex.get("expect") if "text" in ex else next(iter(ex), None)
            if kind == "fail" and expect == "pass" or kind == "pass" and expect in (
                    "fail", "plan_only", "problem_only", "negated", "missing"):
                out.append(src.problem(jpath + ["examples", kind, n],
                                       f"rule '{raw['id']}': a '{kind}' example cannot expect {expect}"))
    return out


def _override_problems(src: Source, ov: dict[str, Any], jpath: list[Any], ids: set[str],
                       what: str) -> tuple[list[Problem], set[str]]:
    """Problems of an overrides block (a profile, or a rule set's own ``overrides``); the
    rule ids left after it."""
    out: list[Problem] = []
    ids = set(ids)
    seen = {i: "in the rule set" for i in ids}
    for n, rule in enumerate(ov.get("add") or []):
        if rule["id"] in ids:
            out.append(src.problem(jpath + ["add", n, "id"], f"{what}: rule '{rule['id']}' is already in the rule set; "
                                   "change it under 'rules:' instead of adding it"))
            continue
        out.extend(_rule_problems(src, rule, jpath + ["add", n], seen))
        ids.add(rule["id"])
    for n, rid in enumerate(ov.get("disable") or []):
        if rid not in ids:
            out.append(src.problem(jpath + ["disable", n], f"{what}: field 'disable': unknown rule id '{rid}'"
                                   + did_you_mean(rid, ids)))
    for rid in (ov.get("rules") or {}):
        if rid not in ids:
            out.append(src.problem(jpath + ["rules", rid], f"{what}: field 'rules': unknown rule id '{rid}'"
                                   + did_you_mean(rid, ids)))
    left = ids - set(ov.get("disable") or []) - {k for k, v in (ov.get("rules") or {}).items()
                                                 if isinstance(v, dict) and v.get("enabled") is False}
    return out, left


_BAD_SHAPE = (KeyError, TypeError, AttributeError, ValueError, IndexError)


def semantic_problems(src: Source, base: dict[str, Any] | None, lenient: bool = False) -> list[Problem]:
    """What the schema cannot check: ids, overrides, patterns, weights, profiles. With
    ``lenient`` (the file also has schema problems) a part whose shape is wrong is skipped,
    so that one run lists every problem the file has."""
    data = src.data
    out: list[Problem] = []
    own_ids: dict[str, str] = {}
    for n, raw in enumerate(data.get("rules") or [] if isinstance(data.get("rules"), list) else []):
        try:
            out.extend(_rule_problems(src, raw, ["rules", n], own_ids))
        except _BAD_SHAPE:
            if not lenient:
                raise
    for part in (_pattern_sections, _tailoring_problems):
        try:
            out.extend(part(src, base, data))
        except _BAD_SHAPE:
            if not lenient:
                raise
    if not lenient:
        out.extend(_total_problems(src, base, data, out))
    out.sort(key=lambda p: (p.line or 0, p.column or 0))
    return out


def _tailoring_problems(src: Source, base: dict[str, Any] | None, data: dict[str, Any]) -> list[Problem]:
    out: list[Problem] = []
    base_ids = {r["id"] for r in (base or {}).get("rules", [])}
    ids = base_ids | {r["id"] for r in data.get("rules", []) if isinstance(r, dict) and isinstance(r.get("id"), str)}
    # the rule set's own tailoring of what it extends
    problems, left_ids = _override_problems(src, {"disable": data.get("disable") or []}, [], ids, "rule set")
    out.extend(problems)
    problems, left_ids = _override_problems(src, data.get("overrides") or {}, ["overrides"], left_ids, "overrides")
    out.extend(problems)
    # profiles
    profiles = dict((base or {}).get("profiles") or {})
    profiles.update(data.get("profiles") or {})
    for name, ov in (data.get("profiles") or {}).items():
        problems, after = _override_problems(src, ov, ["profiles", name], left_ids, f"profile '{name}'")
        out.extend(problems)
        if not problems:
            weights = _weights_after(base, data, ov)
            if weights <= 0:
                out.append(src.problem(["profiles", name], f"profile '{name}': leaves no rule with a weight above 0"))
    detection = data.get("profile_detection") or {}
    for name in (detection.get("patterns") or {}):
        if name not in profiles:
            out.append(src.problem(["profile_detection", "patterns", name],
                                   f"profile_detection: unknown profile '{name}'" + did_you_mean(name, profiles)
                                   + f" (profiles: {', '.join(sorted(profiles)) or 'none'})"))
    return out


def _pattern_sections(src: Source, base: dict[str, Any] | None, data: dict[str, Any]) -> list[Problem]:
    """Patterns of profile detection, roles and context that do not compile."""
    found: list[tuple[list[Any], Any, str]] = []
    detection = data.get("profile_detection") or {}
    for name, patterns in (detection.get("patterns") or {}).items():
        found += [(["profile_detection", "patterns", name, k], p, "profile_detection") for k, p in enumerate(patterns)]
    found += [(["profile_detection", "ignore", k], p, "profile_detection")
              for k, p in enumerate(detection.get("ignore") or [])]
    doctypes = data.get("doctypes") or {}
    found += [(["doctypes", "report_title", k], p, "doctypes.report_title")
              for k, p in enumerate(doctypes.get("report_title") or [])]
    for n, dtype in enumerate(doctypes.get("types") or []):
        for key in ("title", "opening", "unless"):
            found += [(["doctypes", "types", n, key, k], p, f"doctypes.{dtype.get('id')}.{key}")
                      for k, p in enumerate(dtype.get(key) or [])]
    for section in ("headings", "subheadings"):
        for role, patterns in ((data.get("roles") or {}).get(section) or {}).items():
            found += [(["roles", section, role, k], p, f"roles.{section}.{role}") for k, p in enumerate(patterns)]
    found += [(["roles", "next_year_start", k], p, "roles.next_year_start")
              for k, p in enumerate((data.get("roles") or {}).get("next_year_start") or [])]
    ctx = data.get("context") or {}
    for key in ("plan", "lacking", "concessive"):
        found += [(["context", key, k], p, f"context.{key}") for k, p in enumerate(ctx.get(key) or [])]
    if "clause_split" in ctx:
        found.append((["context", "clause_split"], ctx["clause_split"], "context.clause_split"))
    for n, nd in enumerate(ctx.get("not_deeds") or []):
        patterns = nd.get("patterns")
        for k, p in enumerate([patterns] if isinstance(patterns, str) else patterns or []):
            found.append((["context", "not_deeds", n, "patterns", k], p, f"context.not_deeds.{nd.get('reason')}"))
    out = []
    for jpath, pattern, what in found:
        problem = _pattern_problem(src, jpath, pattern, what) if isinstance(pattern, str) else None
        if problem:
            out.append(problem)
    return out


def _total_problems(src: Source, base: dict[str, Any] | None, data: dict[str, Any],
                    so_far: list[Problem]) -> list[Problem]:
    out = []
    total = data.get("weights_total")
    if total is not None and not so_far:
        merged = merge(base, data) if base else apply_own_overrides(copy.deepcopy(data))
        got = sum(float(r["weight"]) for r in merged.get("rules", []))
        if abs(got - float(total)) > 1e-6:
            out.append(src.problem(["weights_total"], f"field 'weights_total': the rule weights add up to {got:g}, "
                                   f"not {float(total):g}"))
    grades = data.get("grades")
    if grades and not any(float(g["min"]) <= 0 for g in grades):
        out.append(src.problem(["grades"], "field 'grades': no grade for the lowest scores (one needs min: 0)"))
    return out


def _weights_after(base: dict[str, Any] | None, data: dict[str, Any], ov: dict[str, Any]) -> float:
    merged = merge(base, data) if base else apply_own_overrides(copy.deepcopy(data))
    apply_overrides(merged, copy.deepcopy(ov))
    return sum(float(r["weight"]) for r in merged.get("rules", []))
