"""Rule set files: safe YAML with the line and column of every key, the JSON Schema and the
checks the schema cannot make (each a Problem at ``file:line:column``), and tailoring
(``extends``, ``disable``, ``overrides``, profiles) as operations on the raw data."""
from __future__ import annotations

import copy
import functools
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any, Iterator

import regex

from fzcheck.errors import RuleSetError
from fzcheck.lazy import lazy_module
from fzcheck.patterns import compile_pattern

yaml = lazy_module("yaml")  # imported only when a rule set is read afresh (not from the cache)


@functools.lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    text = resources.files("fzcheck").joinpath("data/ruleset.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


@dataclass
class Problem:
    """One thing wrong in a rule set file, with the line and column of the key at fault."""

    file: str
    line: int | None
    column: int | None
    message: str

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}:{self.column}" if self.line else self.file

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"

    def error(self) -> RuleSetError:
        return RuleSetError(self.message, self.where)


class Source:
    """A parsed YAML file: the data, and the node tree that knows every line and column."""

    def __init__(self, path: str, data: Any, node: yaml.Node | None):
        self.path = path
        self.data = data
        self.node = node

    def locate(self, jpath: list[Any]) -> tuple[int | None, int | None]:
        """Line and column (1-based) of the key (or list item) a JSON path names; the
        deepest part of the path that exists when the rest does not."""
        node = self.node
        if node is None:
            return None, None
        mark = node.start_mark
        for part in jpath:
            if isinstance(node, yaml.MappingNode):
                for key, value in node.value:
                    if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                        mark, node = key.start_mark, value
                        break
                else:
                    break
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                node = node.value[part]
                mark = node.start_mark
            else:
                break
        return mark.line + 1, mark.column + 1

    def problem(self, jpath: list[Any], message: str) -> Problem:
        line, column = self.locate(jpath)
        return Problem(self.path, line, column, message)

    def duplicate_keys(self) -> list[Problem]:
        """Keys written twice in one mapping (YAML keeps the last one silently)."""
        out: list[Problem] = []
        seen_nodes: set[int] = set()

        def walk(node: yaml.Node) -> None:
            if id(node) in seen_nodes:
                return
            seen_nodes.add(id(node))
            if isinstance(node, yaml.MappingNode):
                keys: set[str] = set()
                for key, value in node.value:
                    if isinstance(key, yaml.ScalarNode):
                        if key.value in keys and key.value != "<<":
                            out.append(Problem(self.path, key.start_mark.line + 1, key.start_mark.column + 1,
                                               f"key '{key.value}' is written twice in this mapping"))
                        keys.add(key.value)
                    walk(value)
            elif isinstance(node, yaml.SequenceNode):
                for item in node.value:
                    walk(item)

        if self.node is not None:
            walk(self.node)
        return out


_reads: list[tuple[str, str]] | None = None  # while loading for fzcheck.cache: every file read, and its text


def _read_text(path: str, what: str = "rule set") -> str:
    try:
        with open(path, encoding="utf-8-sig") as fh:
            text = fh.read()
            if _reads is not None:
                _reads.append((path, text))
            return text
    except FileNotFoundError:
        raise RuleSetError(f"no such {what} file", path) from None
    except IsADirectoryError:
        raise RuleSetError(f"is a folder, not a {what} file", path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleSetError(f"cannot read the {what}: {exc}", path) from None


def parse_yaml(path: str, what: str = "rule set") -> Source:
    """Read a YAML file with the safe loader; a syntax error is reported at its line and column."""
    text = _read_text(path, what)
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else path
        raise RuleSetError(f"invalid YAML: {problem}", where) from None
    finally:
        loader.dispose()
    return Source(path, data, node)


def read_yaml(path: str) -> Any:
    """The data of a YAML file read with the safe loader (used for waivers and configuration too)."""
    return parse_yaml(path).data


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
                message = f"unknown key '{extra[0]}'" + (
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


def _matcher_patterns(prefix: list[Any], matchers: list[dict[str, Any]]) -> Iterator[tuple[list[Any], str]]:
    for n, m in enumerate(matchers or []):
        for key in ("any", "none", "mask"):
            value = m.get(key)
            if isinstance(value, str):
                yield prefix + [n, key], value
            else:
                for k, p in enumerate(value or []):
                    yield prefix + [n, key, k], p
        for g, group in enumerate(m.get("all", [])):
            if isinstance(group, str):
                yield prefix + [n, "all", g], group
            else:
                for k, p in enumerate(group):
                    yield prefix + [n, "all", g, k], p


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
    if raw.get("since_year") and raw.get("until_year") and raw["since_year"] > raw["until_year"]:
        out.append(src.problem(jpath + ["until_year"], f"rule '{raw['id']}': until_year is before since_year"))
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
            out.append(src.problem(jpath + ["disable", n], f"{what}: field 'disable': unknown rule id '{rid}'"))
    for rid in (ov.get("rules") or {}):
        if rid not in ids:
            out.append(src.problem(jpath + ["rules", rid], f"{what}: field 'rules': unknown rule id '{rid}'"))
    left = ids - set(ov.get("disable") or []) - {k for k, v in (ov.get("rules") or {}).items()
                                                 if isinstance(v, dict) and v.get("enabled") is False}
    return out, left


def semantic_problems(src: Source, base: dict[str, Any] | None) -> list[Problem]:
    """What the schema cannot check: ids, overrides, patterns, weights, profiles."""
    data = src.data
    out: list[Problem] = []
    own_ids: dict[str, str] = {}
    for n, raw in enumerate(data.get("rules", [])):
        out.extend(_rule_problems(src, raw, ["rules", n], own_ids))
    base_ids = {r["id"] for r in (base or {}).get("rules", [])}
    ids = base_ids | {r["id"] for r in data.get("rules", [])}
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
                                   f"profile_detection: unknown profile '{name}' (profiles: "
                                   f"{', '.join(sorted(profiles)) or 'none'})"))
    for name, patterns in (detection.get("patterns") or {}).items():
        for k, p in enumerate(patterns):
            problem = _pattern_problem(src, ["profile_detection", "patterns", name, k], p, "profile_detection")
            if problem:
                out.append(problem)
    for k, p in enumerate(detection.get("ignore") or []):
        problem = _pattern_problem(src, ["profile_detection", "ignore", k], p, "profile_detection")
        if problem:
            out.append(problem)
    # roles and context patterns
    for section in ("headings", "subheadings"):
        for role, patterns in ((data.get("roles") or {}).get(section) or {}).items():
            for k, p in enumerate(patterns):
                problem = _pattern_problem(src, ["roles", section, role, k], p, f"roles.{section}.{role}")
                if problem:
                    out.append(problem)
    for k, p in enumerate((data.get("roles") or {}).get("next_year_start") or []):
        problem = _pattern_problem(src, ["roles", "next_year_start", k], p, "roles.next_year_start")
        if problem:
            out.append(problem)
    ctx = data.get("context") or {}
    for key in ("plan", "lacking", "concessive"):
        for k, p in enumerate(ctx.get(key) or []):
            problem = _pattern_problem(src, ["context", key, k], p, f"context.{key}")
            if problem:
                out.append(problem)
    if "clause_split" in ctx:
        problem = _pattern_problem(src, ["context", "clause_split"], ctx["clause_split"], "context.clause_split")
        if problem:
            out.append(problem)
    # weights that must add up
    total = data.get("weights_total")
    if total is not None and not out:
        merged = merge(base, data) if base else apply_own_overrides(copy.deepcopy(data))
        got = sum(float(r["weight"]) for r in merged.get("rules", []))
        if abs(got - float(total)) > 1e-6:
            out.append(src.problem(["weights_total"], f"field 'weights_total': the rule weights add up to {got:g}, "
                                   f"not {float(total):g}"))
    grades = data.get("grades")
    if grades and not any(float(g["min"]) <= 0 for g in grades):
        out.append(src.problem(["grades"], "field 'grades': no grade for the lowest scores (one needs min: 0)"))
    out.sort(key=lambda p: (p.line or 0, p.column or 0))
    return out


def _weights_after(base: dict[str, Any] | None, data: dict[str, Any], ov: dict[str, Any]) -> float:
    merged = merge(base, data) if base else apply_own_overrides(copy.deepcopy(data))
    apply_overrides(merged, copy.deepcopy(ov))
    return sum(float(r["weight"]) for r in merged.get("rules", []))


# ---------------------------------------------------------------------------- tailoring
def apply_overrides(data: dict[str, Any], ov: dict[str, Any]) -> dict[str, Any]:
    """Apply an overrides block (title, threshold, disable, rules{id: {...}}, add) in place."""
    if not ov:
        return data
    if "title" in ov:
        data["title"] = ov["title"]
    if "threshold" in ov:
        data["threshold"] = ov["threshold"]
    rules = data.setdefault("rules", [])
    gone = set(ov.get("disable") or [])
    for rid, change in (ov.get("rules") or {}).items():
        if change.get("enabled") is False:
            gone.add(rid)
            continue
        for r in rules:
            if r["id"] == rid:
                for key in ("weight", "severity", "min"):
                    if key in change:
                        r[key] = change[key]
    data["rules"] = [r for r in rules if r["id"] not in gone] + [copy.deepcopy(r) for r in ov.get("add") or []]
    return data


def apply_own_overrides(data: dict[str, Any]) -> dict[str, Any]:
    """A rule set's top-level ``disable`` and ``overrides`` applied to itself."""
    if data.get("disable"):
        apply_overrides(data, {"disable": data["disable"]})
    if data.get("overrides"):
        apply_overrides(data, data["overrides"])
    return data


def merge(base: dict[str, Any] | None, child: dict[str, Any]) -> dict[str, Any]:
    """``child`` extending ``base``: child keys win, rules with a known id replace the base's,
    new rules are added, profiles and detection patterns are merged; then the child's own
    ``disable`` and ``overrides`` apply. ``weights_total`` is not inherited."""
    if base is None:
        return apply_own_overrides(copy.deepcopy(child))
    out = copy.deepcopy(base)
    out.pop("weights_total", None)
    child = copy.deepcopy(child)
    for key in ("id", "version", "title", "threshold", "grades", "weights_total"):
        if key in child:
            out[key] = child[key]
    for key in ("roles", "context"):
        if key in child:
            merged = dict(out.get(key) or {})
            for sub, value in child[key].items():
                if isinstance(value, dict) and isinstance(merged.get(sub), dict):
                    merged[sub] = {**merged[sub], **value}
                else:
                    merged[sub] = value
            out[key] = merged
    rules = out.setdefault("rules", [])
    index = {r["id"]: n for n, r in enumerate(rules)}
    for r in child.get("rules", []):
        if r["id"] in index:
            rules[index[r["id"]]] = r
        else:
            index[r["id"]] = len(rules)
            rules.append(r)
    if child.get("profiles"):
        out["profiles"] = {**(out.get("profiles") or {}), **child["profiles"]}
    if child.get("profile_detection"):
        det = dict(out.get("profile_detection") or {})
        cdet = child["profile_detection"]
        if "ignore" in cdet:
            det["ignore"] = cdet["ignore"]
        # the extending file's profiles come first: they win ties with the base's
        base_patterns = det.get("patterns") or {}
        child_patterns = cdet.get("patterns") or {}
        det["patterns"] = {**child_patterns, **{k: v for k, v in base_patterns.items() if k not in child_patterns}}
        out["profile_detection"] = det
    for key in ("extends", "disable", "overrides"):
        out.pop(key, None)
    if child.get("disable"):
        apply_overrides(out, {"disable": child["disable"]})
    if child.get("overrides"):
        apply_overrides(out, child["overrides"])
    return out
