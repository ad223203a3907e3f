"""Loading rule sets (YAML + JSON Schema).

A rule set is read with PyYAML's safe loader (no tags that build Python objects), checked
against the JSON Schema and then against what the schema cannot say (duplicate ids, ids
named by overrides that do not exist, patterns that do not compile, weights that must add
up). Every problem is reported as ``file:line:column: message`` with the line of the key
at fault. A rule set may ``extends:`` another one and tailor it (``disable``,
``overrides``, replaced or added rules), and may define ``profiles`` — overrides for a
kind of reporting unit (township, county, department) chosen with ``--profile``.
"""
from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from fzcheck.errors import RuleSetError
from fzcheck.perf.cache import load_ruleset_data
from fzcheck.model import Record
from fzcheck.rules.model import RuleSet, build

if TYPE_CHECKING:
    from pathlib import Path

    from fzcheck.rules.source import Problem, ReadRecorder

# The YAML parser, the JSON Schema and the validator are imported only when a rule set is
# read afresh (not from the cache): a run that finds it cached never loads them.

DEFAULT_RULESET = "annual-report"


def rules_dir() -> Path:
    """The folder of shipped rule sets: inside the wheel (fzcheck/data/rulesets), or rules/ of a checkout."""
    from pathlib import Path

    return Path(_rules_dir())


_RULES_DIR: list[str] = []


def _rules_dir() -> str:
    """rules_dir() as a string, found with os.path (no pathlib on every run)."""
    if not _RULES_DIR:
        here = os.path.realpath(__file__)  # as Path(__file__).resolve()
        package = os.path.dirname(os.path.dirname(here))  # …/fzcheck
        packaged = os.path.join(package, "data", "rulesets")
        if os.path.isdir(packaged):
            _RULES_DIR.append(packaged)
        else:
            _RULES_DIR.append(os.path.join(os.path.dirname(os.path.dirname(package)), "rules"))
    return _RULES_DIR[0]


def shipped_rulesets() -> list[str]:
    return sorted(p.stem for p in rules_dir().glob("*.yaml"))


def resolve(name_or_path: str | None) -> str:
    """A rule set argument: a path to a YAML file, or the name of a shipped set."""
    if not name_or_path:
        return os.path.join(_rules_dir(), f"{DEFAULT_RULESET}.yaml")
    if os.path.exists(name_or_path) or name_or_path.endswith((".yaml", ".yml")):
        return name_or_path
    shipped = os.path.join(_rules_dir(), f"{name_or_path}.yaml")
    if os.sep in name_or_path or (os.altsep and os.altsep in name_or_path):  # spelled as pathlib joins it
        shipped = str(rules_dir() / f"{name_or_path}.yaml")
    if os.path.exists(shipped):
        return shipped
    raise RuleSetError(f"no rule set file or shipped rule set of that name "
                       f"(shipped: {', '.join(shipped_rulesets())})", name_or_path)


def _resolve_extends(value: str, child_path: str) -> str | None:
    """``extends:`` names a file relative to the extending file, or a shipped rule set."""
    from pathlib import Path  # only when a rule set is read afresh

    relative = Path(child_path).resolve().parent / value
    if relative.is_file():
        return str(relative)
    if value.endswith((".yaml", ".yml")):
        return None
    shipped = rules_dir() / f"{value}.yaml"
    return str(shipped) if shipped.exists() else None


class Loaded(Record):
    __slots__ = _fields = ("data", "path", "problems", "origins")

    def __init__(self, data: dict[str, Any] | None, path: str, problems: list[Problem],
                 origins: dict[str, tuple[str, list[Any]]] | None = None):
        self.data = data
        self.path = path
        self.problems = problems
        self.origins = {} if origins is None else origins


def _load(path: str, chain: tuple[str, ...] = (), record: ReadRecorder | None = None) -> Loaded:
    from pathlib import Path

    from fzcheck.rules.source import Problem, parse_yaml
    from fzcheck.rules.tailor import merge
    from fzcheck.rules.validate import schema_problems, semantic_problems

    try:
        src = parse_yaml(path, record=record)
    except RuleSetError as exc:
        return Loaded(None, path, [Problem(exc.path or path, None, None, exc.message)])
    problems = schema_problems(src)
    if problems:  # the rest too, as far as the file's shape allows: one run lists every problem
        if isinstance(src.data, dict):
            base_data = None
            if isinstance(src.data.get("extends"), str):
                target = _resolve_extends(src.data["extends"], path)
                if target and str(Path(target).resolve()) not in chain + (str(Path(path).resolve()),):
                    base_data = _load(target, chain + (str(Path(path).resolve()),), record).data
            problems += src.duplicate_keys() + semantic_problems(src, base_data, lenient=True)
        return Loaded(None, path, _unique(problems))
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
        base = _load(target, chain + (str(Path(path).resolve()),), record)
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


def _unique(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple] = set()
    out = []
    for p in sorted(problems, key=lambda p: (p.line or 0, p.column or 0)):
        if (p.line, p.column, p.message) not in seen:
            seen.add((p.line, p.column, p.message))
            out.append(p)
    return out


def collect_problems(name_or_path: str | None) -> list[Problem]:
    """Every problem of a rule set file (and of the files it extends), in file order."""
    from fzcheck.rules.source import Problem

    try:
        path = resolve(name_or_path)
    except RuleSetError as exc:
        return [Problem(exc.path or str(name_or_path), None, None, exc.message)]
    return _load(path).problems


def _load_checked(name_or_path: str | None, record: ReadRecorder | None = None) -> Loaded:
    path = resolve(name_or_path)
    loaded = _load(path, record=record)
    if loaded.problems:
        first = loaded.problems[0]
        more = len(loaded.problems) - 1
        err = first.error()
        if more:
            err.message += f" (and {more} more problem{'s' if more > 1 else ''}: fzcheck rules validate {path})"
        raise err
    return loaded


def _load_recorded(path: str) -> tuple[Loaded, list[tuple[str, str]]]:
    """_load_checked, and every file it read with the text it read (for the cache)."""
    reads: list[tuple[str, str]] = []
    return _load_checked(path, lambda p, text: reads.append((p, text))), reads


def load_ruleset(name_or_path: str | None = None, profile: str | None = None) -> RuleSet:
    """Load a rule set (file or shipped name), optionally with a profile's overrides applied.
    A rule set loaded before from the same bytes comes from the cache (fzcheck.perf.cache)."""
    data, path, origins = load_ruleset_data(resolve(name_or_path), _load_recorded)
    ruleset = build(data, path)
    ruleset.origins = origins
    if profile and profile != "auto":
        return ruleset.with_profile(profile)
    return ruleset
