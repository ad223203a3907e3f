"""Patterns of a rule set: width-folded, year-substituted, compiled once and run with a time limit."""
from __future__ import annotations

import functools
from typing import Any

import regex

from fzcheck.perf.cache import compile_regex
from fzcheck.errors import RuleSetError

PATTERN_TIMEOUT = 2.0  # seconds a single pattern may run on one piece of text
_NEVER = r"(?!x)x"
_META = set("\\.^$*+?{}[]|()")


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
