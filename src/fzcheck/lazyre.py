"""Patterns compiled on first use, not at import.

A module writes ``_YEAR = lazyre.compile(r"…")`` where it would write ``regex.compile``:
nothing is compiled until the pattern is first used, so a command that never needs it
(``fzcheck --help``, ``rules list``) never pays for it, and one that does gets it from the
compiled-pattern cache between runs (``fzcheck.perf.cache`` installs its ``compile_regex``
here when it is imported; until then, ``regex.compile``). On first use the compiled
pattern's methods are bound onto the object, so every later ``_YEAR.search(s)`` is a plain
attribute lookup: no wrapper call per use.
"""
from __future__ import annotations

from typing import Any, Callable

# the compiler: (source, flags) -> pattern; fzcheck.perf.cache puts its cached one here
COMPILE: list[Callable[[str, int], Any]] = []

_BOUND = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split", "splititer",
          "pattern", "flags", "groups", "groupindex", "scanner")


def _compile(source: str, flags: int) -> Any:
    if COMPILE:
        return COMPILE[0](source, flags)
    import regex

    return regex.compile(source, flags)


class LazyPattern:
    """A ``regex`` pattern compiled the first time one of its attributes is asked for."""

    def __init__(self, source: str, flags: int = 0):
        self._source = source
        self._flags = flags

    def compiled(self) -> Any:
        """The compiled pattern (compiling it now if need be)."""
        p = self.__dict__.get("_compiled")
        if p is None:
            p = _compile(self._source, self._flags)
            for name in _BOUND:
                if hasattr(p, name):
                    self.__dict__[name] = getattr(p, name)
            self.__dict__["_compiled"] = p
        return p

    def __getattr__(self, name: str) -> Any:  # only for what is not bound yet
        if name.startswith("__") or name in ("_source", "_flags", "_compiled"):
            raise AttributeError(name)
        return getattr(self.compiled(), name)

    def __repr__(self) -> str:
        return f"lazyre.compile({self._source!r})"

    def __reduce__(self):
        return (LazyPattern, (self._source, self._flags))


def compile(source: str, flags: int = 0) -> LazyPattern:  # noqa: A001 - as regex.compile
    return LazyPattern(source, flags)
