"""The rule set as the engine sees it: :class:`RuleSet`, :class:`Rule`, :class:`Item`,
:class:`Matcher`, built from validated data by :func:`build` (see fzcheck.rules.load)."""
from __future__ import annotations

from typing import Any

from fzcheck.errors import RuleSetError
from fzcheck.lazyre import LazyPattern
from fzcheck.model import Record
from fzcheck.rules.patterns import Group, as_list

# Plain classes, not dataclasses (fzcheck.model.Record: no code generated at every start).


class Matcher(Record):
    __slots__ = _fields = ("any", "all", "none", "mask", "unit", "counts_in", "headings", "titles", "plan",
                           "lacking", "credit", "allow")

    def __init__(self, any: Group, all: list[Group] | None = None, none: Group | None = None,
                 mask: Group | None = None, unit: str = "sentence", counts_in: tuple[str, ...] | None = None,
                 headings: bool = True, titles: bool = False, plan: bool = True, lacking: bool = True,
                 credit: float = 1.0, allow: tuple[str, ...] = ()):
        self.any = any
        self.all = [] if all is None else all
        self.none = Group([]) if none is None else none
        self.mask = Group([]) if mask is None else mask
        self.unit = unit
        self.counts_in = counts_in
        self.headings = headings
        self.titles = titles
        self.plan = plan
        self.lacking = lacking
        self.credit = credit
        self.allow = allow  # reasons of context.not_deeds that do not apply to this matcher


class Item(Record):
    __slots__ = _fields = ("id", "title", "evidence", "weight")

    def __init__(self, id: str, title: dict[str, str], evidence: list[Matcher], weight: float = 1.0):
        self.id = id
        self.title = title
        self.evidence = evidence
        self.weight = weight


class Rule(Record):
    __slots__ = _fields = ("id", "kind", "group", "title", "severity", "weight", "basis", "description", "fix",
                           "evidence", "items", "collective", "params", "since_year", "until_year", "aliases",
                           "examples", "source")

    def __init__(self, id: str, kind: str, group: str, title: dict[str, str], severity: str, weight: float,
                 basis: list[dict[str, str]], description: dict[str, str], fix: dict[str, str],
                 evidence: list[Matcher] | None = None, items: list[Item] | None = None,
                 collective: list[Matcher] | None = None, params: dict[str, Any] | None = None,
                 since_year: int | None = None, until_year: int | None = None, aliases: list[str] | None = None,
                 examples: dict[str, list[str]] | None = None, source: dict[str, Any] | None = None):
        self.id = id
        self.kind = kind
        self.group = group
        self.title = title
        self.severity = severity
        self.weight = weight
        self.basis = basis
        self.description = description
        self.fix = fix
        self.evidence = [] if evidence is None else evidence
        self.items = [] if items is None else items
        self.collective = [] if collective is None else collective
        self.params = {} if params is None else params
        self.since_year = since_year
        self.until_year = until_year
        self.aliases = [] if aliases is None else aliases
        self.examples = {} if examples is None else examples
        self.source = {} if source is None else source


class RoleConfig(Record):
    __slots__ = _fields = ("headings", "subheadings", "next_year_start")

    def __init__(self, headings: dict[str, Group], subheadings: dict[str, Group], next_year_start: Group):
        self.headings = headings
        self.subheadings = subheadings
        self.next_year_start = next_year_start


NOT_DEED_PLACES = ("span", "clause", "sentence", "after", "alone")


class NotDeed(Record):
    """A kind of mention that is not the unit's deed in the year (context.not_deeds):
    where the patterns look (the hit lies inside a match: span; the hit's clause or
    sentence matches: clause, sentence; the text right after the hit starts with a
    match: after; the sentence matches and nothing stands under it before the next
    heading: alone) and the reason a reviewer gives."""
    __slots__ = _fields = ("reason", "title", "where", "patterns")

    def __init__(self, reason: str, title: dict[str, str], where: str, patterns: Group):
        self.reason = reason
        self.title = title
        self.where = where
        self.patterns = patterns


class Context(Record):
    __slots__ = _fields = ("done_roles", "plan", "lacking", "concessive", "clause_split", "not_deeds")

    def __init__(self, done_roles: tuple[str, ...], plan: Group, lacking: Group, concessive: Group,
                 clause_split: str, not_deeds: list[NotDeed] | None = None):
        self.done_roles = done_roles
        self.plan = plan
        self.lacking = lacking
        self.concessive = concessive
        self.clause_split = clause_split
        self.not_deeds = [] if not_deeds is None else not_deeds


class RuleSet(Record):
    __slots__ = _fields = ("id", "version", "title", "threshold", "grades", "roles", "context", "rules", "path",
                           "weights_total", "raw", "profile", "origins", "_profiles")
    _hidden = ("_profiles",)

    def __init__(self, id: str, version: str, title: dict[str, str], threshold: float, grades: list[dict[str, Any]],
                 roles: RoleConfig, context: Context, rules: list[Rule], path: str,
                 weights_total: float | None = None, raw: dict[str, Any] | None = None, profile: str | None = None,
                 origins: dict[str, tuple[str, list[Any]]] | None = None,
                 _profiles: dict[str, RuleSet] | None = None):
        self.id = id
        self.version = version
        self.title = title
        self.threshold = threshold
        self.grades = grades
        self.roles = roles
        self.context = context
        self.rules = rules
        self.path = path
        self.weights_total = weights_total
        self.raw = {} if raw is None else raw
        self.profile = profile  # the profile applied to this rule set, if any
        # rule id -> (file, JSON path) of where the rule is written, for messages with a line
        self.origins = {} if origins is None else origins
        self._profiles = {} if _profiles is None else _profiles

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
            import copy

            from fzcheck.rules.tailor import apply_overrides

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


# Readable names of matcher keys (the old, terse names keep working): a rule file may say
# `look_alike_patterns:` for `mask:`, `unless:` for `none:`, `also_needs:` for `all:`.
KEY_ALIASES = {"look_alike_patterns": "mask", "unless": "none", "also_needs": "all"}
# Keys whose entries are plain phrases, escaped and joined by the loader, beside the keys
# whose entries are patterns: `words:` beside `any:`, `look_alikes:` beside `mask:`.
WORD_KEYS = {"words": "any", "look_alikes": "mask"}
_WORD_META = set("\\.^$*+?{}[]|()")
_TOKEN = LazyPattern(r"(\$\{[a-z_]+\})")


def escape_words(phrase: str) -> str:
    """A plain phrase as a pattern that matches exactly it: regex characters escaped,
    ${year} and its kin kept (full-width punctuation is literal in any pattern)."""
    if "${" not in phrase:  # most phrases: no token to keep, no pattern to run
        return "".join("\\" + ch if ch in _WORD_META else ch for ch in phrase)
    out = []
    for part in _TOKEN.split(phrase):
        if _TOKEN.fullmatch(part):
            out.append(part)
        else:
            out.append("".join("\\" + ch if ch in _WORD_META else ch for ch in part))
    return "".join(out)


def matcher_patterns(raw: dict[str, Any], key: str) -> list[str]:
    """The patterns of one matcher key ("any", "mask", "none"), whatever names the file
    used: the key's patterns, its readable alias's, then its plain words escaped."""
    out = as_list(raw.get(key))
    out += [p for alias, target in KEY_ALIASES.items() if target == key for p in as_list(raw.get(alias))]
    out += [escape_words(w) for wkey, target in WORD_KEYS.items() if target == key for w in as_list(raw.get(wkey))]
    return out


def _matcher(raw: dict[str, Any], label: str = "") -> Matcher:
    groups = list(raw.get("all", [])) + list(raw.get("also_needs", []))
    return Matcher(
        any=Group(matcher_patterns(raw, "any"), label),
        all=[Group(as_list(g), label) for g in groups],
        none=Group(matcher_patterns(raw, "none"), label),
        mask=Group(matcher_patterns(raw, "mask"), label),
        unit=raw.get("unit", "sentence"),
        counts_in=tuple(raw["counts_in"]) if "counts_in" in raw else None,
        headings=raw.get("headings", True),
        titles=raw.get("titles", False),
        plan=raw.get("plan", True),
        lacking=raw.get("lacking", True),
        credit=float(raw.get("credit", 1.0)),
        allow=tuple(as_list(raw.get("allow"))),
    )


# A rule's own fields; every other key of a rule is a parameter of its kind, which
# engine/kinds.py declares beside the kind's code (@kind(..., params=...)).
_FIELDS = frozenset(Rule._fields) - {"params", "source"}


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
        params={k: v for k, v in raw.items() if k not in _FIELDS},
        since_year=raw.get("since_year"),
        until_year=raw.get("until_year"),
        aliases=list(raw.get("aliases", [])),
        examples={k: list(v) for k, v in raw.get("examples", {}).items()},
        source=raw,
    )


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
            not_deeds=[NotDeed(nd["reason"], _text(nd.get("title"), nd["reason"]), nd.get("where", "span"),
                               Group(as_list(nd["patterns"]), f"context.not_deeds.{nd['reason']}"))
                       for nd in ctx.get("not_deeds", [])],
        ),
        rules=[_rule(r) for r in data.get("rules", [])],
        path=path,
        weights_total=data.get("weights_total"),
        raw=data,
    )
