"""Keyword prefilter: which sentences a pattern could possibly match.

Most patterns of a rule set need some literal text to match: ``法律顾问|公职律师``
needs 法律顾问 or 公职律师; ``专家[^。，]{0,8}论证`` needs 专家. :func:`required_literals`
computes such a set generically, from the pattern itself (never written by hand
per rule): a set of strings of which every match contains at least one. A
sentence that contains none of them cannot match, so the pattern need not run on
it. When the pattern uses anything the analysis does not understand (flags,
back-references, fuzzy matching, unusual escapes …) the answer is ``None``: no
filter, the pattern runs everywhere. The analysis only ever errs on that side, so
results are identical with and without the prefilter.

:class:`TextIndex` joins a document's sentences once and answers "which sentences
contain one of these literals" with one ``str.find`` scan per literal.
"""
from __future__ import annotations

import functools
from bisect import bisect_right

LIMIT = 64  # largest set of exact strings a node may stand for before it is generalised


class _Unknown(Exception):
    """Something the analysis does not understand: give up on the whole pattern."""


# A node is (exact, required):
# exact    - frozenset of every string the node can match (a superset is fine), or None;
# required - frozenset of strings one of which every match contains, or None.
_EMPTY = (frozenset({""}), None)
_ANY = (None, None)

_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "a": "\a"}
_CLASS_ESCAPES = set("dDwWsShH")
_ZERO_WIDTH_ESCAPES = set("bBAZGmM")


def _req_of_exact(exact: frozenset[str]) -> frozenset[str] | None:
    return None if "" in exact else exact


def _better(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
    """The more selective of two requirements: longest shortest string, then fewest strings."""
    if a is None:
        return b
    if b is None:
        return a
    ka = (min(map(len, a)), -len(a))
    kb = (min(map(len, b)), -len(b))
    return b if kb > ka else a


class _Parser:
    def __init__(self, pattern: str):
        self.p = pattern
        self.i = 0

    def peek(self) -> str:
        return self.p[self.i] if self.i < len(self.p) else ""

    def parse(self):
        node = self.alternation()
        if self.i != len(self.p):
            raise _Unknown("unbalanced )")
        return node

    def alternation(self):
        branches = [self.sequence()]
        while self.peek() == "|":
            self.i += 1
            branches.append(self.sequence())
        if len(branches) == 1:
            return branches[0]
        exact: set[str] | None = set()  # accumulated in place: a union per branch is quadratic
        req: set[str] | None = set()
        for ex, rq in branches:
            if exact is not None and ex is not None and len(exact) + len(ex) <= LIMIT:
                exact |= ex
            else:
                exact = None
            if req is not None and rq is not None and len(req) <= 100 * LIMIT:
                req |= rq
            else:
                req = None
            if exact is None and req is None:
                break
        return (None if exact is None else frozenset(exact)), (None if req is None else frozenset(req))

    def sequence(self):
        run: frozenset[str] | None = frozenset({""})
        all_exact = True
        best: frozenset[str] | None = None
        while self.i < len(self.p) and self.peek() not in "|)":
            ex, rq = self.quantified()
            if ex is not None and run is not None and len(run) * len(ex) <= LIMIT:
                run = frozenset(a + b for a in run for b in ex)
                continue
            all_exact = False
            if run is not None:
                best = _better(best, _req_of_exact(run))
            if ex is not None:
                run = ex
            else:
                best = _better(best, rq)
                run = frozenset({""})
        if all_exact:
            return run, _req_of_exact(run)
        if run is not None:
            best = _better(best, _req_of_exact(run))
        return None, best

    def quantified(self):
        node = self.atom()
        while True:
            c = self.peek()
            if c in ("*", "+", "?"):
                self.i += 1
                lo, hi = {"*": (0, None), "+": (1, None), "?": (0, 1)}[c]
            elif c == "{":
                lo, hi = self.braces()
            else:
                return node
            if self.peek() in ("?", "+"):  # lazy or possessive: the same strings
                self.i += 1
            node = self.repeat(node, lo, hi)

    def braces(self) -> tuple[int, int | None]:
        end = self.p.find("}", self.i)
        if end < 0:
            raise _Unknown("{ without }")
        body = self.p[self.i + 1:end]
        lo_s, comma, hi_s = body.partition(",")
        if not (lo_s.isdigit() or lo_s == "") or not (hi_s.isdigit() or hi_s == "") or not (lo_s or hi_s) \
                or not lo_s.isascii() or not hi_s.isascii():
            raise _Unknown("not a counted repeat (fuzzy matching or a literal brace)")
        self.i = end + 1
        lo = int(lo_s) if lo_s else 0
        if not comma:
            return lo, lo
        return lo, int(hi_s) if hi_s else None

    @staticmethod
    def repeat(node, lo: int, hi: int | None):
        ex, rq = node
        if lo == 0:
            if hi == 1 and ex is not None and len(ex) + 1 <= LIMIT:
                return ex | {""}, None
            return None, None
        if hi == lo and ex is not None:
            if lo * max((len(x) for x in ex), default=1) > 1000:  # 甲{1000000}: not built one copy at a time
                return None, rq
            out = frozenset({""})
            for _ in range(lo):
                if len(out) * len(ex) > LIMIT:
                    return None, rq
                out = frozenset(a + b for a in out for b in ex)
            return out, _req_of_exact(out)
        return None, rq

    def atom(self):
        c = self.peek()
        if c == "(":
            return self.group()
        if c == "[":
            return self.char_class()
        if c == "\\":
            return self.escape()
        if c in ("*", "+", "?", "{"):
            raise _Unknown("nothing to repeat")
        self.i += 1
        if c == ".":
            return _ANY
        if c in ("^", "$"):
            return _EMPTY
        return frozenset({c}), frozenset({c})

    def group(self):
        p = self.p
        self.i += 1
        zero_width = False
        if p.startswith("?", self.i):
            rest = p[self.i + 1:]
            if rest.startswith(":") or rest.startswith(">"):
                self.i += 2
            elif rest.startswith(("=", "!")):
                self.i += 2
                zero_width = True
            elif rest.startswith(("<=", "<!")):
                self.i += 3
                zero_width = True
            elif rest.startswith(("P<", "<")):
                close = p.find(">", self.i)
                name = p[self.i + (3 if rest.startswith("P<") else 2):close] if close > 0 else ""
                if close < 0 or not name.isidentifier():
                    raise _Unknown("group name")
                self.i = close + 1
            elif rest.startswith("#"):
                close = p.find(")", self.i)
                if close < 0:
                    raise _Unknown("comment")
                self.i = close + 1
                return _EMPTY
            else:  # flags, conditionals, recursion, branch reset …
                raise _Unknown("(?" + rest[:1])
        node = self.alternation()
        if self.peek() != ")":
            raise _Unknown("missing )")
        self.i += 1
        return _EMPTY if zero_width else node

    def escape(self):
        p = self.p
        if self.i + 1 >= len(p):
            raise _Unknown("trailing backslash")
        c = p[self.i + 1]
        self.i += 2
        if c in _SIMPLE_ESCAPES:
            ch = _SIMPLE_ESCAPES[c]
            return frozenset({ch}), frozenset({ch})
        if c in _CLASS_ESCAPES:
            return _ANY
        if c in _ZERO_WIDTH_ESCAPES:
            return _EMPTY
        if c in ("p", "P"):
            if self.peek() == "{":
                close = p.find("}", self.i)
                if close < 0:
                    raise _Unknown("\\p{")
                self.i = close + 1
            elif self.peek():
                self.i += 1
            else:
                raise _Unknown("\\p")
            return _ANY
        if c.isalnum() or c == "_" or not c.isascii():
            raise _Unknown("escape \\" + c)  # back-references, \x \u \N \L \K \X …
        return frozenset({c}), frozenset({c})

    def char_class(self):
        """A set of single characters when it lists them plainly, else any character."""
        p = self.p
        j = self.i + 1
        negated = p.startswith("^", j)
        if negated:
            j += 1
        chars: set[str] = set()
        simple = not negated
        first = True
        while True:
            if j >= len(p):
                raise _Unknown("unterminated [")
            c = p[j]
            if c == "]" and not first:
                j += 1
                break
            first = False
            if c == "\\":
                if j + 1 >= len(p):
                    raise _Unknown("trailing backslash")
                e = p[j + 1]
                if e in ("p", "P") and p.startswith("{", j + 2):
                    close = p.find("}", j + 2)
                    if close < 0:
                        raise _Unknown("\\p{")
                    j = close + 1
                    simple = False
                    continue
                if e in _SIMPLE_ESCAPES:
                    chars.add(_SIMPLE_ESCAPES[e])
                elif e.isalnum() or e == "_" or not e.isascii():
                    simple = False
                else:
                    chars.add(e)
                j += 2
                continue
            if c == "[":
                raise _Unknown("nested set or POSIX class")
            if c in "-&|~":
                simple = False
            else:
                chars.add(c)
            j += 1
        self.i = j
        if simple and chars and len(chars) <= LIMIT:
            ex = frozenset(chars)
            return ex, ex
        return _ANY


@functools.lru_cache(maxsize=4096)
def required_literals(pattern: str) -> frozenset[str] | None:
    """Strings of which every match of ``pattern`` contains at least one; None when unknown.

    ``pattern`` is the prepared source (as compiled), in the ``regex`` package's
    syntax with no flags."""
    if len(pattern) > 100_000:  # no analysis without limit: such a pattern simply runs on every sentence
        return None
    try:
        _, req = _Parser(pattern).parse()
    except (_Unknown, IndexError, ValueError, RecursionError):
        return None
    if not req or "" in req:
        return None
    return req


class TextIndex:
    """A document's sentences joined once, to find which sentences contain a literal."""

    __slots__ = ("text", "starts", "_cache")

    def __init__(self, texts: list[str]):
        _DOCUMENTS[0] += 1
        starts = []
        pos = 0
        for t in texts:
            starts.append(pos)
            pos += len(t) + 1
        self.starts = starts
        self.text = "\n".join(texts)
        self._cache: dict[frozenset[str], list[int]] = {}

    def _with(self, literal: str, out: set[int]) -> None:
        starts, find = self.starts, self.text.find
        n = len(starts)
        pos = find(literal)
        while pos >= 0:
            i = bisect_right(starts, pos) - 1
            out.add(i)
            # a literal that spans the joining newline is reported for the sentence it
            # starts in: a harmless extra candidate
            if i + 1 >= n:
                break
            pos = find(literal, starts[i + 1])

    def _with_any(self, literals: frozenset[str]) -> list[int]:
        """Many literals: one scan for all of them (the leftmost occurrence of any literal
        from a position is the first of their str.find)."""
        search = _any_of(literals).search
        starts, n = self.starts, len(self.starts)
        out: list[int] = []
        m = search(self.text)
        while m is not None:
            i = bisect_right(starts, m.start()) - 1
            out.append(i)
            if i + 1 >= n:
                break
            m = search(self.text, starts[i + 1])
        return out

    def sentences_with(self, literals: frozenset[str]) -> list[int]:
        """Sorted indices of the sentences that contain at least one of ``literals``."""
        hit = self._cache.get(literals)
        if hit is None:
            if len(literals) > MANY:
                hit = self._with_any(literals)
            else:
                found: set[int] = set()
                for lit in literals:
                    self._with(lit, found)
                hit = sorted(found)
            self._cache[literals] = hit
        return hit


MANY = 4  # more literals than this are looked for with one pattern


_DOCUMENTS = [0]  # documents indexed by this process


def _any_of(literals: frozenset[str]):
    """A compiled alternation of the literals, to find the leftmost occurrence of any of them.
    Once the process indexes its second document (a batch worker, a server, a warm check),
    the standard library's ``re``, which scans an alternation of literals about twice as
    quickly as ``regex``; until then ``regex``'s, which the cache keeps between runs (a
    one-report command compiles nothing). Both find the same leftmost occurrence."""
    if _DOCUMENTS[0] > 1:
        return _any_of_re(literals)
    return _any_of_regex(literals)


@functools.lru_cache(maxsize=1024)
def _any_of_re(literals: frozenset[str]):
    import re

    return re.compile("|".join(re.escape(lit) for lit in sorted(literals, key=lambda x: (-len(x), x))))


@functools.lru_cache(maxsize=1024)
def _any_of_regex(literals: frozenset[str]):
    import regex

    from fzcheck.perf.cache import compile_regex

    # regex.escape walks a literal character by character in Python (~0.3 ms for the ~700
    # literals of a cold check); an alphanumeric literal (CJK, letters, digits) holds no
    # metacharacter nor space, and it would return it unchanged
    return compile_regex("|".join(lit if lit.isalnum() else regex.escape(lit)
                                  for lit in sorted(literals, key=lambda x: (-len(x), x))))
