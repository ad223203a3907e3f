"""Loading, validating and compiling rule sets (YAML + JSON Schema).

A rule set is read with PyYAML's safe loader (no tags that build Python objects), checked
against the JSON Schema and then against what the schema cannot say (duplicate ids, ids
named by overrides that do not exist, patterns that do not compile, weights that must add
up). Every problem is reported as ``file:line:column: message`` with the line of the key
at fault. A rule set may ``extends:`` another one and tailor it (``disable``,
``overrides``, replaced or added rules), and may define ``profiles`` — overrides for a
kind of reporting unit (township, county, department) chosen with ``--profile``.
"""
from __future__ import annotations

import copy
import functools
import json
import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Iterator

import regex

from fzcheck.cache import compile_regex
from fzcheck.errors import RuleSetError
from fzcheck.lazy import lazy_module

yaml = lazy_module("yaml")  # imported only when a rule set is read afresh (not from the cache)

DEFAULT_RULESET = "annual-report"
PATTERN_TIMEOUT = 2.0  # seconds a single pattern may run on one piece of text
_NEVER = r"(?!x)x"
_META = set("\\.^$*+?{}[]|()")
ROLE_NAMES = ("preamble", "achievements", "first_responsible", "shortcomings", "next_year", "other")


def rules_dir() -> Path:
    """The folder of shipped rule sets: inside the wheel, or rules/ of a checkout."""
    packaged = resources.files("fzcheck").joinpath("rules")
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "rules"


def shipped_rulesets() -> list[str]:
    return sorted(p.stem for p in rules_dir().glob("*.yaml"))


@functools.lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    text = resources.files("fzcheck").joinpath("data/ruleset.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


# ---------------------------------------------------------------------------- patterns
def prep_pattern(src: str, year: int | None) -> str:
    """Fold full-width punctuation in a pattern to the (escaped) half-width form the
    normalized text uses, and substitute ${year} / ${next_year}."""
    out = []
    for ch in src:
        code = ord(ch)
        if 0xFF01 <= code <= 0xFF5E:
            half = chr(code - 0xFEE0)
            out.append("\\" + half if half in _META else half)
        elif code == 0x3000:
            out.append(" ")
        else:
            out.append(ch)
    text = "".join(out)
    if "${" in text:
        text = text.replace("${year}", str(year) if year else _NEVER)
        text = text.replace("${next_year}", str(year + 1) if year else _NEVER)
        text = text.replace("${prev_year}", str(year - 1) if year else _NEVER)
    return text


class PatternTimeout(RuleSetError):
    """A rule-set pattern ran longer than the time limit on one piece of text."""


class SafePattern:
    """A compiled pattern that never runs longer than PATTERN_TIMEOUT per call.

    It has the methods of a ``regex`` pattern that the checker uses; when the time limit
    is reached it raises :class:`PatternTimeout` naming the rule (or field) and the
    pattern, instead of backtracking without end.
    """

    __slots__ = ("compiled", "label", "source")

    def __init__(self, compiled: regex.Pattern, label: str = "", source: str = ""):
        self.compiled = compiled
        self.label = label
        self.source = source or compiled.pattern

    @property
    def pattern(self) -> str:
        return self.compiled.pattern

    def _timeout(self, kwargs: dict[str, Any]) -> None:
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = PATTERN_TIMEOUT

    def _raise(self, seconds: float) -> "PatternTimeout":
        where = f"{self.label}: " if self.label else ""
        shown = self.source if len(self.source) <= 120 else self.source[:117] + "…"
        return PatternTimeout(f"{where}pattern {shown!r} took longer than {seconds:g} s on one piece of text; "
                              "simplify it (nested repetition such as (a+)+ or (a|aa)+ backtracks without end)")

    def search(self, *args: Any, **kwargs: Any):
        self._timeout(kwargs)
        try:
            return self.compiled.search(*args, **kwargs)
        except TimeoutError:
            raise self._raise(kwargs["timeout"]) from None

    def match(self, *args: Any, **kwargs: Any):
        self._timeout(kwargs)
        try:
            return self.compiled.match(*args, **kwargs)
        except TimeoutError:
            raise self._raise(kwargs["timeout"]) from None

    def fullmatch(self, *args: Any, **kwargs: Any):
        self._timeout(kwargs)
        try:
            return self.compiled.fullmatch(*args, **kwargs)
        except TimeoutError:
            raise self._raise(kwargs["timeout"]) from None

    def finditer(self, *args: Any, **kwargs: Any) -> list:
        self._timeout(kwargs)
        try:
            return list(self.compiled.finditer(*args, **kwargs))
        except TimeoutError:
            raise self._raise(kwargs["timeout"]) from None

    def findall(self, *args: Any, **kwargs: Any) -> list:
        self._timeout(kwargs)
        try:
            return self.compiled.findall(*args, **kwargs)
        except TimeoutError:
            raise self._raise(kwargs["timeout"]) from None


@functools.lru_cache(maxsize=8192)
def compile_pattern(src: str, year: int | None, label: str = "") -> SafePattern:
    return SafePattern(compile_regex(prep_pattern(src, year)), label, src)  # regex.compile, cached


def as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def join_alternatives(patterns: list[str]) -> str | None:
    if not patterns:
        return None
    if len(patterns) == 1:
        return patterns[0]
    return "|".join(f"(?:{p})" for p in patterns)


class Group:
    """A list of alternative patterns compiled as one, per report year."""

    __slots__ = ("sources", "joined", "label")

    def __init__(self, patterns: list[str], label: str = ""):
        self.sources = patterns
        self.joined = join_alternatives(patterns)
        self.label = label

    def __bool__(self) -> bool:
        return self.joined is not None

    def compiled(self, year: int | None) -> SafePattern | None:
        return compile_pattern(self.joined, year, self.label) if self.joined else None


# ---------------------------------------------------------------------------- model
@dataclass
class Matcher:
    any: Group
    all: list[Group] = field(default_factory=list)
    none: Group = field(default_factory=lambda: Group([]))
    mask: Group = field(default_factory=lambda: Group([]))
    unit: str = "sentence"
    counts_in: tuple[str, ...] | None = None
    headings: bool = True
    titles: bool = False
    plan: bool = True
    lacking: bool = True
    credit: float = 1.0


@dataclass
class Item:
    id: str
    title: dict[str, str]
    evidence: list[Matcher]
    weight: float = 1.0


@dataclass
class Rule:
    id: str
    kind: str
    group: str
    title: dict[str, str]
    severity: str
    weight: float
    basis: list[dict[str, str]]
    description: dict[str, str]
    fix: dict[str, str]
    evidence: list[Matcher] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    collective: list[Matcher] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)
    since_year: int | None = None
    until_year: int | None = None
    aliases: list[str] = field(default_factory=list)
    examples: dict[str, list[str]] = field(default_factory=dict)
    source: dict[str, Any] = field(default_factory=dict)


@dataclass
class RoleConfig:
    headings: dict[str, Group]
    subheadings: dict[str, Group]
    next_year_start: Group


@dataclass
class Context:
    done_roles: tuple[str, ...]
    plan: Group
    lacking: Group
    concessive: Group
    clause_split: str


@dataclass
class RuleSet:
    id: str
    version: str
    title: dict[str, str]
    threshold: float
    grades: list[dict[str, Any]]
    roles: RoleConfig
    context: Context
    rules: list[Rule]
    path: str
    weights_total: float | None = None
    raw: dict[str, Any] = field(default_factory=dict)
    profile: str | None = None  # the profile applied to this rule set, if any
    # rule id -> (file, JSON path) of where the rule is written, for messages with a line
    origins: dict[str, tuple[str, list[Any]]] = field(default_factory=dict)
    _profiles: dict[str, "RuleSet"] = field(default_factory=dict, repr=False)

    def rule(self, rule_id: str) -> Rule | None:
        for r in self.rules:
            if r.id == rule_id or rule_id in r.aliases:
                return r
        return None

    def grade(self, score: float) -> dict[str, Any]:
        for band in sorted(self.grades, key=lambda g: -g["min"]):
            if score >= band["min"]:
                return band
        return self.grades[-1]

    # -- profiles ------------------------------------------------------------------
    @property
    def profiles(self) -> dict[str, dict[str, Any]]:
        return dict(self.raw.get("profiles") or {})

    def profile_title(self, name: str, lang: str = "zh") -> str:
        title = _text((self.profiles.get(name) or {}).get("title"), name)
        return title.get(lang) or title["zh"]

    def with_profile(self, name: str | None) -> "RuleSet":
        """This rule set with the overrides of profile ``name`` applied (cached)."""
        if not name:
            return self
        if self.profile:
            raise RuleSetError(f"profile '{self.profile}' is already applied", self.path)
        if name not in self.profiles:
            known = ", ".join(sorted(self.profiles)) or "none"
            raise RuleSetError(f"no profile '{name}' in rule set {self.id} (profiles: {known}; or auto)", self.path)
        if name not in self._profiles:
            data = copy.deepcopy({k: v for k, v in self.raw.items() if k != "profiles"})
            data["profiles"] = self.raw.get("profiles")
            apply_overrides(data, self.profiles[name])
            origins = dict(self.origins)
            for rule in self.profiles[name].get("add") or []:
                if f"{name}:{rule['id']}" in self.origins:
                    origins[rule["id"]] = self.origins[f"{name}:{rule['id']}"]
            derived = build(data, self.path)
            derived.profile = name
            derived.origins = origins
            self._profiles[name] = derived
        return self._profiles[name]

    def find_rule(self, rule_id: str) -> Rule | None:
        """A rule of this set, else one a profile adds (as that profile shapes it)."""
        rule = self.rule(rule_id)
        if rule is None and not self.profile:
            for name, ov in self.profiles.items():
                if any(r["id"] == rule_id for r in ov.get("add") or []):
                    return self.with_profile(name).rule(rule_id)
        return rule

    def profile_changes(self, name: str) -> dict[str, Any]:
        """What a profile changes: {"added": [ids], "changed": [ids], "disabled": [ids]}."""
        ov = self.profiles.get(name) or {}
        changed = sorted((ov.get("rules") or {}).keys())
        disabled = list(ov.get("disable") or []) + [k for k, v in (ov.get("rules") or {}).items()
                                                     if v.get("enabled") is False]
        return {"added": [r["id"] for r in ov.get("add") or []], "changed": changed, "disabled": disabled}


def _text(value: Any, fallback: str = "") -> dict[str, str]:
    if value is None:
        return {"zh": fallback, "en": fallback}
    if isinstance(value, str):
        return {"zh": value, "en": value}
    return {"zh": value["zh"], "en": value.get("en") or value["zh"]}


def _matcher(raw: dict[str, Any], label: str = "") -> Matcher:
    return Matcher(
        any=Group(as_list(raw["any"]), label),
        all=[Group(as_list(g), label) for g in raw.get("all", [])],
        none=Group(as_list(raw.get("none")), label),
        mask=Group(as_list(raw.get("mask")), label),
        unit=raw.get("unit", "sentence"),
        counts_in=tuple(raw["counts_in"]) if "counts_in" in raw else None,
        headings=raw.get("headings", True),
        titles=raw.get("titles", False),
        plan=raw.get("plan", True),
        lacking=raw.get("lacking", True),
        credit=float(raw.get("credit", 1.0)),
    )


_PARAM_KEYS = ("role", "sub_credit", "min", "month", "day", "year_offset", "anachronisms")


def _rule(raw: dict[str, Any]) -> Rule:
    label = f"rule '{raw['id']}'"
    return Rule(
        id=raw["id"],
        kind=raw.get("kind", "element"),
        group=raw.get("group", "element"),
        title=_text(raw["title"], raw["id"]),
        severity=raw["severity"],
        weight=float(raw["weight"]),
        basis=list(raw.get("basis", [])),
        description=_text(raw.get("description")),
        fix=_text(raw.get("fix")),
        evidence=[_matcher(m, label) for m in raw.get("evidence", [])],
        items=[Item(i["id"], _text(i["title"], i["id"]),
                    [_matcher(m, f"{label}, item '{i['id']}'") for m in i["evidence"]],
                    float(i.get("weight", 1.0))) for i in raw.get("items", [])],
        collective=[_matcher(m, label) for m in raw.get("collective", [])],
        params={k: raw[k] for k in _PARAM_KEYS if k in raw},
        since_year=raw.get("since_year"),
        until_year=raw.get("until_year"),
        aliases=list(raw.get("aliases", [])),
        examples={k: list(v) for k, v in raw.get("examples", {}).items()},
        source=raw,
    )


# ---------------------------------------------------------------------------- problems
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


# ---------------------------------------------------------------------------- loading
def resolve(name_or_path: str | None) -> str:
    """A rule set argument: a path to a YAML file, or the name of a shipped set."""
    if not name_or_path:
        return str(rules_dir() / f"{DEFAULT_RULESET}.yaml")
    if os.path.exists(name_or_path) or name_or_path.endswith((".yaml", ".yml")):
        return name_or_path
    shipped = rules_dir() / f"{name_or_path}.yaml"
    if shipped.exists():
        return str(shipped)
    raise RuleSetError(f"no rule set file or shipped rule set of that name "
                       f"(shipped: {', '.join(shipped_rulesets())})", name_or_path)


def _resolve_extends(value: str, child_path: str) -> str | None:
    """``extends:`` names a file relative to the extending file, or a shipped rule set."""
    relative = Path(child_path).resolve().parent / value
    if relative.is_file():
        return str(relative)
    if value.endswith((".yaml", ".yml")):
        return None
    shipped = rules_dir() / f"{value}.yaml"
    return str(shipped) if shipped.exists() else None


@dataclass
class Loaded:
    data: dict[str, Any] | None
    path: str
    problems: list[Problem]
    origins: dict[str, tuple[str, list[Any]]] = field(default_factory=dict)


def _load(path: str, chain: tuple[str, ...] = ()) -> Loaded:
    try:
        src = parse_yaml(path)
    except RuleSetError as exc:
        return Loaded(None, path, [Problem(exc.path or path, None, None, exc.message)])
    problems = schema_problems(src)
    if problems:
        return Loaded(None, path, problems)
    data = src.data
    problems = src.duplicate_keys()
    base: Loaded | None = None
    if "extends" in data:
        target = _resolve_extends(data["extends"], path)
        if target is None:
            return Loaded(None, path, problems + [src.problem(
                ["extends"], f"extends: no rule set file '{data['extends']}' next to this file and no shipped "
                             f"rule set of that name (shipped: {', '.join(shipped_rulesets())})")])
        key = str(Path(target).resolve())
        if key in chain or key == str(Path(path).resolve()):
            return Loaded(None, path, problems + [src.problem(["extends"], f"extends: '{data['extends']}' "
                                                              "extends this file again (a cycle)")])
        base = _load(target, chain + (str(Path(path).resolve()),))
        if base.problems:
            return Loaded(None, path, problems + base.problems)
    problems += semantic_problems(src, base.data if base else None)
    if problems:
        return Loaded(None, path, sorted(problems, key=lambda p: (p.file != path, p.line or 0, p.column or 0)))
    origins = dict(base.origins) if base else {}
    for n, r in enumerate(data.get("rules", [])):
        origins[r["id"]] = (path, ["rules", n])
    for name, ov in (data.get("profiles") or {}).items():
        for n, r in enumerate(ov.get("add") or []):
            origins[f"{name}:{r['id']}"] = (path, ["profiles", name, "add", n])
    merged = merge(base.data if base else None, data)
    return Loaded(merged, path, [], origins)


def collect_problems(name_or_path: str | None) -> list[Problem]:
    """Every problem of a rule set file (and of the files it extends), in file order."""
    try:
        path = resolve(name_or_path)
    except RuleSetError as exc:
        return [Problem(exc.path or str(name_or_path), None, None, exc.message)]
    return _load(path).problems


def load_raw(name_or_path: str | None) -> tuple[dict[str, Any], str]:
    """The rule set's data with ``extends`` resolved; the first problem raises RuleSetError."""
    loaded = _load_checked(name_or_path)
    return loaded.data, loaded.path


def _load_checked(name_or_path: str | None) -> Loaded:
    path = resolve(name_or_path)
    loaded = _load(path)
    if loaded.problems:
        first = loaded.problems[0]
        more = len(loaded.problems) - 1
        err = first.error()
        if more:
            err.message += f" (and {more} more problem{'s' if more > 1 else ''}: fzcheck rules validate {path})"
        raise err
    return loaded


def validate(data: Any, path: str) -> None:
    """Check already-loaded rule set data (without ``extends``) against the schema and the
    semantic checks; raises RuleSetError for the first problem."""
    src = Source(path, data, None)
    problems = schema_problems(src) or semantic_problems(src, None)
    if problems:
        raise problems[0].error()


def build(data: dict[str, Any], path: str) -> RuleSet:
    roles = data.get("roles", {})
    ctx = data.get("context", {})
    return RuleSet(
        id=data["id"],
        version=str(data["version"]),
        title=_text(data.get("title"), data["id"]),
        threshold=float(data.get("threshold", 60)),
        grades=list(data.get("grades") or [{"min": 0, "zh": "-", "en": "-"}]),
        roles=RoleConfig(
            headings={k: Group(v, f"roles.headings.{k}") for k, v in (roles.get("headings") or {}).items()},
            subheadings={k: Group(v, f"roles.subheadings.{k}") for k, v in (roles.get("subheadings") or {}).items()},
            next_year_start=Group(roles.get("next_year_start", []), "roles.next_year_start"),
        ),
        context=Context(
            done_roles=tuple(ctx.get("done_roles", ["preamble", "achievements", "first_responsible", "other"])),
            plan=Group(ctx.get("plan", []), "context.plan"),
            lacking=Group(ctx.get("lacking", []), "context.lacking"),
            concessive=Group(ctx.get("concessive", []), "context.concessive"),
            clause_split=ctx.get("clause_split", r"[,;:，；：]"),
        ),
        rules=[_rule(r) for r in data.get("rules", [])],
        path=path,
        weights_total=data.get("weights_total"),
        raw=data,
    )


def _load_tracked(path: str) -> tuple[Loaded, list[tuple[str, str]]]:
    """_load_checked, and the files it read with their text (for the cache)."""
    global _reads
    _reads = []
    try:
        return _load_checked(path), _reads
    finally:
        _reads = None


def load_ruleset(name_or_path: str | None = None, profile: str | None = None) -> RuleSet:
    """Load a rule set (file or shipped name), optionally with a profile's overrides applied.
    A rule set loaded before from the same bytes comes from the cache (fzcheck.cache)."""
    from fzcheck.cache import load_ruleset_data

    data, path, origins = load_ruleset_data(resolve(name_or_path), _load_tracked)
    ruleset = build(data, path)
    ruleset.origins = origins
    if profile and profile != "auto":
        return ruleset.with_profile(profile)
    return ruleset
