"""Patterns of a rule set: width-folded, year-substituted, compiled once and run with a time limit."""
from __future__ import annotations

import functools
from time import perf_counter
from typing import Any

import regex

from fzcheck.perf.cache import checked_pattern, compile_regex
from fzcheck.errors import RuleSetError

PATTERN_TIMEOUT = 2.0  # seconds a single pattern may run on one piece of text
RULE_PATTERN_BUDGET = 10.0  # seconds one pattern (one rule's field) may run on one whole document
_SPENT: dict[str, float] = {}  # time each pattern ran on the current document


def reset_budget() -> None:
    """A new document: every pattern has its whole budget again."""
    _SPENT.clear()
_NEVER = r"(?!x)x"
_META = set("\\.^$*+?{}[]|()")


# full-width punctuation (U+FF01–U+FF5E) -> its half-width form, escaped when a regex
# metacharacter; the ideographic space -> a space
_FOLD = {code: ("\\" + chr(code - 0xFEE0) if chr(code - 0xFEE0) in _META else chr(code - 0xFEE0))
         for code in range(0xFF01, 0xFF5F)}
_FOLD[0x3000] = " "


def prep_pattern(src: str, year: int | None) -> str:
    """Fold full-width punctuation in a pattern to the (escaped) half-width form the
    normalized text uses, and substitute ${year} / ${next_year}."""
    text = src.translate(_FOLD)
    if "${" in text:
        text = text.replace("${year}", str(year) if year else _NEVER)
        text = text.replace("${next_year}", str(year + 1) if year else _NEVER)
        text = text.replace("${prev_year}", str(year - 1) if year else _NEVER)
        # any of the fifteen years before the report's year
        text = text.replace("${earlier_year}", "(?:" + "|".join(str(y) for y in range(year - 15, year)) + ")"
                            if year else _NEVER)
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

    def _raise(self, seconds: float, whole: bool = False) -> "PatternTimeout":
        where = f"{self.label}: " if self.label else ""
        shown = self.source if len(self.source) <= 120 else self.source[:117] + "…"
        scope = f"{RULE_PATTERN_BUDGET:g} s on this document" if whole else f"{seconds:g} s on one piece of text"
        return PatternTimeout(f"{where}pattern {shown!r} took longer than {scope}; "
                              "simplify it (nested repetition such as (a+)+ or (a|aa)+ backtracks without end)")

    def _run(self, fn, args: tuple, kwargs: dict[str, Any]):
        key = self.source
        spent = _SPENT.get(key, 0.0)
        if kwargs.get("timeout") is None:
            left = RULE_PATTERN_BUDGET - spent
            if left <= 0:
                raise self._raise(PATTERN_TIMEOUT, whole=True)
            kwargs["timeout"] = PATTERN_TIMEOUT if left > PATTERN_TIMEOUT else left
        start = perf_counter()
        try:
            return fn(*args, **kwargs)
        except TimeoutError:
            raise self._raise(kwargs["timeout"], whole=kwargs["timeout"] < PATTERN_TIMEOUT) from None
        finally:
            _SPENT[key] = spent + perf_counter() - start

    # The methods below are made by _timed: one call each, no dictionary of keyword arguments
    # built per call (a rule set's patterns run about a thousand times a report).


def _timed(name: str, listed: bool = False):
    """A SafePattern method calling the compiled pattern's ``name`` with the time limit: the
    pattern's time left on this document (at most PATTERN_TIMEOUT) as regex's ``timeout``, the
    time taken added to the pattern's account. finditer's matches are collected within it."""

    def method(self, *args: Any, **kwargs: Any):
        if kwargs:  # the general path (a caller's own timeout, keyword arguments)
            fn = getattr(self.compiled, name)
            return self._run((lambda *a, **k: list(fn(*a, **k))) if listed else fn, args, kwargs)
        key = self.source
        spent = _SPENT.get(key, 0.0)
        left = RULE_PATTERN_BUDGET - spent
        if left <= 0:
            raise self._raise(PATTERN_TIMEOUT, whole=True)
        limit = PATTERN_TIMEOUT if left > PATTERN_TIMEOUT else left
        start = perf_counter()
        try:
            if listed:
                return list(getattr(self.compiled, name)(*args, timeout=limit))
            return getattr(self.compiled, name)(*args, timeout=limit)
        except TimeoutError:
            raise self._raise(limit, whole=limit < PATTERN_TIMEOUT) from None
        finally:
            _SPENT[key] = spent + perf_counter() - start

    method.__name__ = method.__qualname__ = name
    return method


SafePattern.search = _timed("search")  # type: ignore[method-assign]
SafePattern.match = _timed("match")  # type: ignore[method-assign]
SafePattern.fullmatch = _timed("fullmatch")  # type: ignore[method-assign]
SafePattern.finditer = _timed("finditer", listed=True)  # type: ignore[method-assign]
SafePattern.findall = _timed("findall")  # type: ignore[method-assign]


MAX_PATTERN_CHARS = 200_000  # one pattern's source (the shipped set's longest is a few hundred)
MAX_PATTERN_NESTING = 100  # groups inside groups
MAX_REPEAT = 10_000  # a counted repeat {n}: regex.compile of 甲{100000000} takes gigabytes


class PatternError(RuleSetError, regex.error):
    """A rule-set pattern that cannot be used: too large, too deeply nested, or one that does
    not compile for some report year. Both a rule-set error (one line naming the rule) and
    a ``regex.error`` (what ``rules validate`` reports at the pattern's line)."""

    def __init__(self, message: str, where: str | None = None):
        RuleSetError.__init__(self, message, where)
        self.msg = message
        self.pattern = None
        self.pos = None


def check_pattern_shape(src: str) -> None:
    """Refuse, before compiling, a pattern whose size, nesting or counted repeats are absurd."""
    if len(src) > MAX_PATTERN_CHARS:
        raise PatternError(f"longer than {MAX_PATTERN_CHARS:,} characters")
    depth = deepest = 0
    escaped = in_class = False
    for ch in src:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif ch == ")":
            depth -= 1
    if deepest > MAX_PATTERN_NESTING:
        raise PatternError(f"groups nested more than {MAX_PATTERN_NESTING} deep")
    import re

    for m in re.finditer(r"\{\s*(\d+)\s*(?:,\s*(\d*)\s*)?\}", src):
        if any(g and (len(g) > 6 or int(g) > MAX_REPEAT) for g in m.groups()):
            raise PatternError(f"a counted repeat over {MAX_REPEAT:,} ({m.group(0)})")


def _compile(src: str, year: int | None, keep: bool = True):
    try:
        return compile_regex(prep_pattern(src, year), keep=keep)
    except RecursionError:
        raise PatternError(f"groups nested too deeply") from None
    except (MemoryError, OverflowError):
        raise PatternError("too large to compile") from None


@functools.lru_cache(maxsize=8192)
def compile_pattern(src: str, year: int | None, label: str = "") -> SafePattern:
    where = f"{label}: " if label else ""
    shown = src if len(src) <= 120 else src[:117] + "…"

    def check() -> None:
        check_pattern_shape(src)
        _compile(src, year)  # regex.compile, cached
        if "${" in src and year is not None:
            # the year is substituted per report: a pattern must compile for every year and
            # for a report whose year is unknown ([${year}-5] is a valid range for 2000 only)
            for other in (None, year + 19, year - 19):
                try:
                    _compile(src, other, keep=False)  # only to see that it compiles
                except regex.error as exc:
                    raise PatternError(f"does not compile with ${{year}} = {other or 'unknown'}: {exc}") from None

    try:
        # the checks above once: a pattern that passed them in an earlier run is compiled at once
        checked_pattern(src, year, check)
        compiled = _compile(src, year)
    except PatternError as exc:
        raise PatternError(f"{where}pattern {shown!r}: {exc.message}" if label else exc.message) from None
    except regex.error as exc:
        if year == 2000:  # rules validate's year: its own message, at the pattern's line
            raise
        raise PatternError(f"{where}pattern {shown!r} does not compile for a report of {year or 'an unknown year'}: "
                           f"{exc}") from None
    return SafePattern(compiled, label, src)


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
