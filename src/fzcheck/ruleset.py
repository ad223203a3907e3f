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
import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any


from fzcheck.errors import RuleSetError
from fzcheck.lazy import lazy_module
from fzcheck.patterns import (PATTERN_TIMEOUT, Group, PatternTimeout, SafePattern, as_list,  # noqa: F401
                              compile_pattern, join_alternatives, prep_pattern)
from fzcheck.rulefile import (Problem, Source, apply_overrides, apply_own_overrides, iter_patterns,  # noqa: F401
                              merge, parse_yaml, read_yaml, rule_patterns, schema, schema_problems,
                              semantic_problems)

yaml = lazy_module("yaml")  # imported only when a rule set is read afresh (not from the cache)

DEFAULT_RULESET = "annual-report"
ROLE_NAMES = ("preamble", "achievements", "first_responsible", "shortcomings", "next_year", "other")


def rules_dir() -> Path:
    """The folder of shipped rule sets: inside the wheel, or rules/ of a checkout."""
    packaged = resources.files("fzcheck").joinpath("rules")
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "rules"


def shipped_rulesets() -> list[str]:
    return sorted(p.stem for p in rules_dir().glob("*.yaml"))


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
    from fzcheck import rulefile

    rulefile._reads = reads = []
    try:
        return _load_checked(path), reads
    finally:
        rulefile._reads = None


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
