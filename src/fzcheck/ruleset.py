"""Loading, validating and compiling rule sets (YAML + JSON Schema)."""
from __future__ import annotations

import functools
import json
import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import regex
import yaml

from fzcheck.errors import RuleSetError

DEFAULT_RULESET = "annual-report"
PATTERN_TIMEOUT = 2.0  # seconds a single pattern may run on one piece of text
_NEVER = r"(?!x)x"
_META = set("\\.^$*+?{}[]|()")


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


@functools.lru_cache(maxsize=4096)
def compile_pattern(src: str, year: int | None) -> regex.Pattern:
    return regex.compile(prep_pattern(src, year))


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

    __slots__ = ("sources", "joined")

    def __init__(self, patterns: list[str]):
        self.sources = patterns
        self.joined = join_alternatives(patterns)

    def __bool__(self) -> bool:
        return self.joined is not None

    def compiled(self, year: int | None) -> regex.Pattern | None:
        return compile_pattern(self.joined, year) if self.joined else None


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


def _text(value: Any, fallback: str = "") -> dict[str, str]:
    if value is None:
        return {"zh": fallback, "en": fallback}
    if isinstance(value, str):
        return {"zh": value, "en": value}
    return {"zh": value["zh"], "en": value.get("en") or value["zh"]}


def _matcher(raw: dict[str, Any]) -> Matcher:
    return Matcher(
        any=Group(as_list(raw["any"])),
        all=[Group(as_list(g)) for g in raw.get("all", [])],
        none=Group(as_list(raw.get("none"))),
        mask=Group(as_list(raw.get("mask"))),
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
        evidence=[_matcher(m) for m in raw.get("evidence", [])],
        items=[Item(i["id"], _text(i["title"], i["id"]), [_matcher(m) for m in i["evidence"]],
                    float(i.get("weight", 1.0))) for i in raw.get("items", [])],
        collective=[_matcher(m) for m in raw.get("collective", [])],
        params={k: raw[k] for k in _PARAM_KEYS if k in raw},
        since_year=raw.get("since_year"),
        until_year=raw.get("until_year"),
        aliases=list(raw.get("aliases", [])),
        examples={k: list(v) for k, v in raw.get("examples", {}).items()},
        source=raw,
    )


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


def read_yaml(path: str) -> Any:
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except FileNotFoundError:
        raise RuleSetError("no such rule set file", path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleSetError(f"cannot read the rule set: {exc}", path) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise RuleSetError(f"invalid YAML: {where}{problem}", path) from None


def validate(data: Any, path: str) -> None:
    """Check a loaded rule set against the JSON Schema and the rules it cannot express."""
    import jsonschema

    if not isinstance(data, dict):
        raise RuleSetError("a rule set must be a mapping with id, version and rules", path)
    validator = jsonschema.Draft202012Validator(schema())
    error = jsonschema.exceptions.best_match(validator.iter_errors(data))
    if error is not None:
        where = _where(data, list(error.absolute_path))
        raise RuleSetError(f"{where + ': ' if where else ''}{error.message}", path)
    check_semantics(data, path)


def check_semantics(data: dict[str, Any], path: str) -> None:
    seen: set[str] = set()
    for raw in data.get("rules", []):
        for rid in [raw["id"], *raw.get("aliases", [])]:
            if rid in seen:
                raise RuleSetError(f"rule '{rid}': duplicate rule id", path)
            seen.add(rid)
        item_ids = [i["id"] for i in raw.get("items", [])]
        if len(item_ids) != len(set(item_ids)):
            raise RuleSetError(f"rule '{raw['id']}': field 'items': duplicate item id", path)
        for where, pattern in iter_patterns(raw):
            try:
                compile_pattern(pattern, 2000)
            except regex.error as exc:
                raise RuleSetError(f"rule '{raw['id']}': field '{where}': pattern {pattern!r} "
                                   f"does not compile: {exc}", path) from None
    total = data.get("weights_total")
    if total is not None:
        got = sum(float(r["weight"]) for r in data.get("rules", []))
        if abs(got - float(total)) > 1e-6:
            raise RuleSetError(f"field 'weights_total': the rule weights add up to {got:g}, "
                               f"not {float(total):g}", path)
    for section in ("headings", "subheadings"):
        for role, patterns in (data.get("roles", {}).get(section) or {}).items():
            for p in patterns:
                _compile_or_raise(p, path, f"roles.{section}.{role}")
    for key in ("plan", "lacking", "concessive"):
        for p in (data.get("context") or {}).get(key, []):
            _compile_or_raise(p, path, f"context.{key}")


def _compile_or_raise(pattern: str, path: str, where: str) -> None:
    try:
        compile_pattern(pattern, 2000)
    except regex.error as exc:
        raise RuleSetError(f"field '{where}': pattern {pattern!r} does not compile: {exc}", path) from None


def iter_patterns(raw_rule: dict[str, Any]):
    """Yield (field path, pattern) for every pattern in a raw rule."""
    def from_matchers(prefix: str, matchers: list[dict[str, Any]]):
        for n, m in enumerate(matchers):
            for key in ("any", "none", "mask"):
                for p in as_list(m.get(key)):
                    yield f"{prefix}[{n}].{key}", p
            for g, group in enumerate(m.get("all", [])):
                for p in as_list(group):
                    yield f"{prefix}[{n}].all[{g}]", p

    yield from from_matchers("evidence", raw_rule.get("evidence", []))
    yield from from_matchers("collective", raw_rule.get("collective", []))
    for item in raw_rule.get("items", []):
        yield from from_matchers(f"items.{item['id']}.evidence", item.get("evidence", []))
    for n, a in enumerate(raw_rule.get("anachronisms", [])):
        yield f"anachronisms[{n}].term", a["term"]


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


def load_raw(name_or_path: str | None) -> tuple[dict[str, Any], str]:
    path = resolve(name_or_path)
    data = read_yaml(path)
    validate(data, path)
    return data, path


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
            headings={k: Group(v) for k, v in (roles.get("headings") or {}).items()},
            subheadings={k: Group(v) for k, v in (roles.get("subheadings") or {}).items()},
            next_year_start=Group(roles.get("next_year_start", [])),
        ),
        context=Context(
            done_roles=tuple(ctx.get("done_roles", ["preamble", "achievements", "first_responsible", "other"])),
            plan=Group(ctx.get("plan", [])),
            lacking=Group(ctx.get("lacking", [])),
            concessive=Group(ctx.get("concessive", [])),
            clause_split=ctx.get("clause_split", r"[,;:，；：]"),
        ),
        rules=[_rule(r) for r in data.get("rules", [])],
        path=path,
        weights_total=data.get("weights_total"),
        raw=data,
    )


def load_ruleset(name_or_path: str | None = None) -> RuleSet:
    data, path = load_raw(name_or_path)
    return build(data, path)
