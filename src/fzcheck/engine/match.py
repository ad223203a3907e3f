"""Finding evidence: where a matcher's patterns hit, and what each hit means.

A hit is judged by the part it stands in and by its own sentence:
- in a part that reports the year's work: a plan sentence is a plan, a clause that
  says the thing is lacking is negated, anything else is done;
- in the next-year part: a plan;
- in the shortcomings part: a problem, unless its clause is concessive
  (虽然聘请了法律顾问，但……) and itself reports work done.
A mention that lies wholly inside a quoted title (《…》), a masked look-alike name, and a
mention the rule set's context.not_deeds describes (another body's work, an earlier year, the
name of a meeting or document, a topic sentence) never count; an element's judge keeps them
as not-counted hits with their reason, so that the report can say why nothing was credited.
"""
from __future__ import annotations

import bisect
import functools

import regex

from fzcheck import lazyre

from fzcheck.model import (ACHIEVEMENTS, FIRST_RESPONSIBLE, HIT_DONE, HIT_EXCLUDED, HIT_NEGATED, HIT_PLAN,
                           HIT_PROBLEM, ITEM_MISSING, ITEM_NEGATED, ITEM_PASS, ITEM_PLAN_ONLY, ITEM_PROBLEM_ONLY,
                           NEXT_YEAR, OTHER, SHORTCOMINGS, Document, Evidence, Sentence, Record)
from fzcheck.engine.outline import iter_sections
from fzcheck.perf.cache import joinable_answer, literals
from fzcheck.perf.prefilter import TextIndex, _any_of, required_literals
from fzcheck.rules.model import Matcher, RuleSet
from fzcheck.rules.patterns import Group, SafePattern, compile_pattern, prep_pattern

_TITLE = lazyre.compile(r"《[^《》]{0,80}》")
_STATUS_ORDER = {HIT_DONE: 0, HIT_PROBLEM: 1, HIT_PLAN: 2, HIT_NEGATED: 3, HIT_EXCLUDED: 4}
# Reasons of mentions the engine itself sets aside (the rule set's not_deeds add their own).
LOOKALIKE = "lookalike"
TITLE = "title"
_FIGURE = lazyre.compile(r"\d")


class Hit(Record):
    __slots__ = _fields = ("sentence", "start", "end", "status", "credit", "collective", "reason")

    def __init__(self, sentence: int, start: int, end: int, status: str, credit: float = 1.0,
                 collective: bool = False, reason: str = ""):
        self.sentence = sentence  # index into Document.sentences
        self.start = start
        self.end = end
        self.status = status
        self.credit = credit
        self.collective = collective
        self.reason = reason  # for a not-counted hit: why (lookalike, title, or a not_deeds reason)


def _clause_pattern(src: str) -> SafePattern:
    # Through the same compile-once, time-limited path as every other pattern of a rule set.
    return compile_pattern(src, None, "context.clause_split")


@functools.lru_cache(maxsize=4096)
def pattern_literals(src: str, year: int | None) -> frozenset[str] | None:
    """The prefilter's required literals of a rule-set pattern as compiled for a report year
    (kept between runs by fzcheck.perf.cache)."""
    return literals(prep_pattern(src, year), required_literals)


_JOIN_MAX = 400  # longest stretch a match may reach over a separator (counted repeats of what can match it)
_SEPARATORS = ("\n", "\x00")  # joining characters tried, in this order


class _NotJoinable(Exception):
    pass


@functools.lru_cache(maxsize=4096)
def _atom_matches(atom: str, sep: str) -> bool:
    """Whether one character class, escape or character matches the separator."""
    try:
        return regex.fullmatch(atom, sep) is not None
    except regex.error:
        raise _NotJoinable from None


def _scan(p: str, i: int, sep: str, depth: int, in_look: bool) -> tuple[int, int, bool, int]:
    """(shortest match, longest reach, whether it can match the separator, index after) of the
    alternation starting at p[i], up to ')' or the end. Understood: text, escapes of classes
    or punctuation, classes, '.', groups (capturing or (?:), look-arounds whose body never
    matches the separator, '|', and repeats (an unbounded one only of what never matches the
    separator); anything else raises."""
    if depth > 50:
        raise _NotJoinable
    best_min, best_reach, any_sep = None, 0, False
    cur_min = cur_reach = 0
    atom: tuple[int, int, bool] | None = None  # the last atom: (min, reach, matches sep)
    n = len(p)
    while i < n:
        ch = p[i]
        if ch == ")":
            break
        if ch == "|":
            best_min = cur_min if best_min is None else min(best_min, cur_min)
            best_reach = max(best_reach, cur_reach)
            cur_min = cur_reach = 0
            atom = None
            i += 1
            continue
        if ch in "^$":
            raise _NotJoinable  # an anchor
        if ch in "?*+{":
            if atom is None:
                raise _NotJoinable  # a repeat of nothing, of a look-around, or a repeat repeated
            a_min, a_reach, a_sep = atom
            if ch == "{":
                j = p.find("}", i)
                lo, comma, hi = (p[i + 1:j] if j > 0 else "x").partition(",")
                if not lo.isdigit() or (comma and hi and not hi.isdigit()):
                    raise _NotJoinable  # a brace the analysis does not read (fuzzy matching …)
                lo_n, hi_n = int(lo), (None if comma and not hi else int(hi or lo))
                i = j + 1
            else:
                lo_n, hi_n = (0, 1) if ch == "?" else (0 if ch == "*" else 1, None)
                i += 1
            if hi_n is None and a_sep:
                raise _NotJoinable  # an unbounded repeat that could run over separators
            # undo the atom's single count, then count it as repeated
            cur_min += a_min * (lo_n - 1)
            cur_reach += (a_reach * (hi_n - 1) if hi_n is not None else -a_reach) if a_sep else -a_reach
            atom = None
            if i < n and p[i] == "?":
                i += 1  # lazy
            elif i < n and p[i] == "+":
                raise _NotJoinable  # possessive
            continue
        if ch == "(":
            look = next((k for k in ("(?<=", "(?<!", "(?=", "(?!") if p.startswith(k, i)), None)
            if look:
                if in_look:
                    raise _NotJoinable
                _, _, inner_sep, i = _scan(p, i + len(look), sep, depth + 1, True)
                if inner_sep:
                    raise _NotJoinable  # it could see past a sentence's edge
                if i >= n or p[i] != ")":
                    raise _NotJoinable
                i += 1
                atom = None  # zero-width: never repeated
                continue
            if p.startswith("(?:", i):
                i += 3
            elif p.startswith("(?", i):
                raise _NotJoinable  # flags, named, atomic or conditional groups …
            else:
                i += 1
            a_min, a_reach, a_sep, i = _scan(p, i, sep, depth + 1, in_look)
            if i >= n or p[i] != ")":
                raise _NotJoinable
            i += 1
            atom = (a_min, a_reach, a_sep)
        elif ch == "[":
            j = i + 1
            if j < n and p[j] == "^":
                j += 1
            if j < n and p[j] == "]":
                raise _NotJoinable  # a ']' first in the set: read as text or not, depending on the version
            while j < n and p[j] != "]":
                if p[j] == "[":
                    raise _NotJoinable  # a nested set (V1) or a POSIX class
                j += 2 if p[j] == "\\" else 1
            if j >= n:
                raise _NotJoinable
            m = _atom_matches(p[i:j + 1], sep)
            atom = (1, 1 if m else 0, m)
            i = j + 1
        elif ch == "\\":
            nxt = p[i + 1:i + 2]
            if not nxt or (nxt.isalnum() and nxt not in "dDsSwW"):
                raise _NotJoinable  # \b \A \Z \G \K, back-references, \p{…}, \N{…} …
            m = _atom_matches(p[i:i + 2], sep)
            atom = (1, 1 if m else 0, m)
            i += 2
        else:
            m = _atom_matches(regex.escape(ch) if ch != "." else ".", sep)
            atom = (1, 1 if m else 0, m)
            i += 1
        cur_min += atom[0]
        cur_reach += atom[1]
        any_sep = any_sep or atom[2]
        if cur_reach > _JOIN_MAX:
            raise _NotJoinable
    best_min = cur_min if best_min is None else min(best_min, cur_min)
    return best_min, max(best_reach, cur_reach), any_sep, i


@functools.lru_cache(maxsize=1024)
def joinable(pattern: regex.Pattern) -> str | None:
    """The character to join sentences with so that the pattern's matches in the joined text,
    wherever a match lies inside one sentence, are exactly its matches in each sentence alone;
    None when there is none. The pattern never matches the empty string; nothing in it looks
    outside its match except look-arounds whose body never matches the separator (so that,
    at a sentence's edge, they see what they would at the string's edge: nothing they could
    match); no anchor or word boundary; an unbounded repeat only of what never matches the
    separator, and a bounded reach over it (the work on the joined text stays the sum of the
    work on each sentence)."""
    if pattern.flags & ~(regex.UNICODE | regex.VERSION0):
        return None
    return joinable_answer(pattern.pattern, pattern.flags, lambda: _separator(pattern.pattern))


def _separator(source: str) -> str | None:
    for sep in _SEPARATORS:
        try:
            shortest, _, _, end = _scan(source, 0, sep, 0, False)
        except (_NotJoinable, ValueError, RecursionError):
            continue
        if end == len(source) and shortest > 0:
            return sep
    return None


# Anything in an alternative whose meaning could depend on the other alternatives or on where a
# scan resumes: back-references, \g, \G, \K, groups other than (?: and look-arounds (flags, named,
# atomic, conditional, recursion …), and braces with letters (fuzzy matching).
_NOT_SPLITTABLE = lazyre.compile(r"\\[0-9gGK]|\(\?(?![:=!]|<[=!])|(?<!\\[pPN])\{[^}]*[A-Za-z<]")


class _Parts:
    """A group's alternatives compiled one by one, to be scanned separately and merged (see
    :func:`_merged_spans`). The ``regex`` package scans an alternation with an alternative that
    starts with a look-behind an order of magnitude slower than those alternatives alone (the
    rule set's 身份证 / 手机号 group: ~0.4 ms against ~30 µs over a report's digit sentences)."""

    __slots__ = ("parts",)

    def __init__(self, parts: list[SafePattern]):
        self.parts = parts


_PARTS: dict[tuple[str, int | None], _Parts | None] = {}
_SPLIT_MIN = 256  # characters of text from which a split group is scanned alternative by alternative


def _split_parts(group: Group, year: int | None, whole: SafePattern) -> _Parts | None:
    """The group's alternatives compiled alone, when scanning them separately is worth it (an
    alternative starts with a look-behind) and gives the same matches (nothing in any of them
    depends on the others, the same flags); else None."""
    key = (group.joined, year)
    if key in _PARTS:
        return _PARTS[key]
    found = None
    sources = group.sources
    if (len(sources) > 1 and not whole.compiled.flags & ~(regex.UNICODE | regex.VERSION0)
            and any(prep_pattern(src, year).startswith(("(?<=", "(?<!")) for src in sources)
            and not any(_NOT_SPLITTABLE.search(src) for src in sources)):
        try:
            parts = [compile_pattern(src, year, group.label) for src in sources]
        except regex.error:
            parts = []
        if parts and all(p.compiled.flags == whole.compiled.flags for p in parts):
            # one time budget and one name for the group, as when it runs joined
            found = _Parts([SafePattern(p.compiled, whole.label, whole.source) for p in parts])
    _PARTS[key] = found
    return found


def _merged_spans(parts: _Parts, text: str, pos: int = 0) -> list[tuple[int, int]] | None:
    """The spans finditer of the alternation ``(?:p1)|(?:p2)|…`` finds in text from pos, from a
    scan of each alternative alone: a scan of the alternation finds, from where the last match
    ended, the leftmost position where any alternative matches, and there the first alternative
    (in order) that matches, as it matches alone. An alternative's next match from a position
    is its next match after the position in its own scan, unless the position falls inside one
    of its matches: then it is scanned again from there. None when an alternative matches the
    empty string (the caller scans the alternation itself)."""
    pats = parts.parts
    lists = [p.finditer(text, pos) if pos else p.finditer(text) for p in pats]
    for found in lists:
        for m in found:
            if m.start() == m.end():
                return None
    at = [0] * len(pats)
    out: list[tuple[int, int]] = []
    p = pos
    while True:
        best: tuple[int, int] | None = None
        for k, found in enumerate(lists):
            j = at[k]
            while j < len(found) and found[j].start() < p:
                if found[j].end() > p:  # p inside one of its matches: its scan from p is not known
                    found = lists[k] = pats[k].finditer(text, p)
                    if any(m.start() == m.end() for m in found):
                        return None
                    j = 0
                    break
                j += 1
            at[k] = j
            if j < len(found):
                a = found[j].start()
                if best is None or a < best[0]:
                    best = found[j].span()
        if best is None:
            return out
        out.append(best)
        p = best[1]


@functools.lru_cache(maxsize=4096)
def _context_literals(source: str, flags: int) -> tuple[str, ...] | None:
    """The prefilter's required literals of a compiled pattern (None: it needs none, or has flags)."""
    if flags & ~(regex.UNICODE | regex.VERSION0):
        return None
    req = literals(source, required_literals)
    return None if req is None else tuple(sorted(req))


def may_match(pat: SafePattern, text: str) -> bool:
    """Whether text holds one of the literals every match of the pattern needs (the keyword
    prefilter's analysis): without one, the pattern cannot match and need not run."""
    req = _literal_set(pat.compiled.pattern, pat.compiled.flags)
    if req is None:
        return True
    if len(req) <= 8:
        return any(lit in text for lit in req)
    return _any_of(req).search(text) is not None


@functools.lru_cache(maxsize=1024)
def _literal_set(source: str, flags: int) -> frozenset[str] | None:
    req = _context_literals(source, flags)
    return None if req is None else frozenset(req)


class MatchContext:
    """One per document, shared by every rule: compiled context patterns, per-sentence facts
    and the prefilter's index of the document's text."""

    def __init__(self, doc: Document, ruleset: RuleSet):
        self.doc = doc
        self.year = doc.year
        ctx = ruleset.context
        self.done_roles = ctx.done_roles
        self._plan = ctx.plan.compiled(self.year)
        self._lacking = ctx.lacking.compiled(self.year)
        self._concessive = ctx.concessive.compiled(self.year)
        self._clause = _clause_pattern(ctx.clause_split)
        self._plan_cache: dict[int, bool] = {}
        self._title_cache: dict[int, list[tuple[int, int]]] = {}
        self._sep_cache: dict[int, tuple[list[int], list[int]]] = {}
        self._clause_facts: dict[tuple[str, int, int, int], bool] = {}
        self._units: dict[str, list[list[int]]] = {}
        self._text_index: TextIndex | None = None
        self.not_deeds = [(nd.reason, nd.where, nd.patterns.compiled(self.year)) for nd in ctx.not_deeds]
        self.reason_titles = {nd.reason: nd.title for nd in ctx.not_deeds}
        self._deed_cache: dict[tuple, object] = {}
        self._deeds_of: dict[int, list] = {}
        self.rank_facts: dict[int, tuple] = {}  # evidence(): each sentence's part of the ranking
        self.evidence_facts: dict[int, tuple] = {}  # to_evidence(): each sentence's paragraph, section, original
        self._furniture: str | None = None
        self._may_cache: dict[str, tuple[dict[int, bool], object]] = {}
        self._anchor_cache: dict[str, dict[int, list[tuple[int, int]]]] = {}

    def anchor_spans(self, pat: SafePattern, need: list[int],
                     group: Group | None = None) -> dict[int, list[tuple[int, int]]]:
        """The spans of the pattern's matches in each of the sentences ``need`` (as finditer on
        each sentence finds them), kept for the document. A pattern that is :func:`joinable` runs
        once over those sentences joined (by a character the pattern cannot see past): a match inside one sentence is a match of
        that sentence alone; the sentences a match runs across or between are scanned alone, and
        the joined scan goes on after them."""
        cache = self._anchor_cache.setdefault(pat.compiled.pattern, {})
        missing = [i for i in dict.fromkeys(need) if i not in cache]
        if not missing:
            return cache
        texts = [self.doc.sentences[i].text for i in missing]

        def spans(text: str, pos: int = 0) -> list[tuple[int, int]]:
            if group is not None and len(text) - pos >= _SPLIT_MIN:  # short text: one call costs less
                parts = _split_parts(group, self.year, pat)  # (compiled only when needed)
                merged = _merged_spans(parts, text, pos) if parts is not None else None
                if merged is not None:
                    return merged
            return [m.span() for m in (pat.finditer(text, pos) if pos else pat.finditer(text))]

        sep = joinable(pat.compiled) if len(missing) > 1 else None
        if sep is None:
            for i, text in zip(missing, texts):
                cache[i] = spans(text)
            return cache
        starts = []
        pos = 0
        for text in texts:
            starts.append(pos)
            pos += len(text) + 1
        joined = sep.join(texts)
        found: list[list[tuple[int, int]]] = [[] for _ in texts]
        alone: dict[int, None] = {}
        # One pass over the joined text. A match that runs across (or between) sentences marks
        # them to be scanned alone, and the scan simply goes on: its next match is the leftmost
        # from where that one ended, so every later match that starts past those sentences is
        # the one a scan restarted after them would find (a match straddling the restart point
        # crosses a boundary itself, and its sentences are scanned alone too). Restarting the
        # joined scan after each crossing instead read the rest of the text again each time:
        # quadratic in a long report with many (a 2 MB report: 67 MB scanned for one pattern).
        for a, b in spans(joined):
            k = bisect.bisect_right(starts, a) - 1
            end_k = starts[k] + len(texts[k])
            if a < end_k and b <= end_k:
                found[k].append((a - starts[k], b - starts[k]))
                continue
            last = bisect.bisect_right(starts, b - 1) - 1  # the sentence of the match's last character
            alone.update(dict.fromkeys(range(k if a < end_k else k + 1, last + 1)))
        for k in alone:
            found[k] = spans(texts[k])
        for i, spans in zip(missing, found):
            cache[i] = spans
        return cache

    def may(self, pat: SafePattern, i: int) -> bool:
        """Whether sentence i holds one of the literals every match of the pattern needs (the
        prefilter's analysis, once per pattern): when it does not, neither the sentence nor any
        clause of it, nor any text after a position in it, can match, and the pattern need not
        run (the same answer, without the call). Asked of the few sentences with a hit, so
        answered per sentence, not for the whole document."""
        key = pat.compiled.pattern
        info = self._may_cache.get(key)
        if info is None:  # per pattern: its answers so far, and how to test a sentence
            req = _context_literals(pat.compiled.pattern, pat.compiled.flags)
            test = None if req is None else req if len(req) <= 8 else _any_of(frozenset(req)).search
            info = self._may_cache[key] = ({}, test)
        answers, test = info
        found = answers.get(i)
        if found is None:
            if test is None:
                found = True
            else:
                text = self.doc.sentences[i].text
                found = (any(lit in text for lit in test) if type(test) is tuple
                         else test(text) is not None)
            answers[i] = found
        return found

    def furniture_text(self) -> str:
        """The document's page furniture lines joined (to ask once whether any holds a literal)."""
        if self._furniture is None:
            self._furniture = "\n".join(self.doc.furniture)
        return self._furniture

    # -- facts about sentences ---------------------------------------------------
    def is_plan(self, i: int) -> bool:
        if i not in self._plan_cache:
            s = self.doc.sentences[i]
            self._plan_cache[i] = bool(self._plan and self.may(self._plan, i) and self._plan.search(s.text))
        return self._plan_cache[i]

    def titles(self, i: int) -> list[tuple[int, int]]:
        found = self._title_cache.get(i)
        if found is None:
            text = self.doc.sentences[i].text
            found = self._title_cache[i] = [m.span() for m in _TITLE.finditer(text)] if "《" in text else []
        return found

    def clause(self, i: int, start: int, end: int) -> str:
        """The clause of sentence i around [start, end): between the nearest separators.
        Separator positions are found once per sentence, so a sentence with many hits
        (a 1 MB line without a full stop) stays linear."""
        left, right = self._clause_span(i, start, end)
        return self.doc.sentences[i].text[left:right]

    def _clause_span(self, i: int, start: int, end: int) -> tuple[int, int]:
        text = self.doc.sentences[i].text
        seps = self._sep_cache.get(i)
        if seps is None:
            spans = [m.span() for m in self._clause.finditer(text)]
            seps = self._sep_cache[i] = ([a for a, _ in spans], [b for _, b in spans])
        starts, ends = seps
        k = bisect.bisect_right(ends, start)
        left = ends[k - 1] if k else 0
        j = bisect.bisect_left(starts, end)
        right = starts[j] if j < len(starts) else len(text)
        return left, right

    def _clause_says(self, kind: str, pattern, i: int, start: int, end: int) -> bool:
        """Whether the pattern is found in the clause around a hit; once per clause, so that
        the many hits of one long clause do not each search it again."""
        if not pattern or not self.may(pattern, i):  # no clause of a sentence without its literals matches
            return False
        key = (kind, i, *self._clause_span(i, start, end))
        found = self._clause_facts.get(key)
        if found is None:
            found = self._clause_facts[key] = bool(pattern.search(self.clause(i, start, end)))
        return found

    def is_lacking(self, i: int, start: int, end: int) -> bool:
        return self._clause_says("lacking", self._lacking, i, start, end)

    def is_concessive(self, i: int, start: int, end: int) -> bool:
        return self._clause_says("concessive", self._concessive, i, start, end)

    def not_deed(self, i: int, start: int, end: int, allow: tuple[str, ...] = ()) -> str:
        """The reason the mention [start, end) of sentence i is not the unit's deed in the
        year (the first of context.not_deeds that applies), or "" when none applies."""
        maybe = self._deeds_of.get(i)
        if maybe is None:  # the not_deeds whose literals the sentence holds: no other can apply
            maybe = self._deeds_of[i] = [(k, reason, where, pat) for k, (reason, where, pat) in enumerate(self.not_deeds)
                                         if pat is not None and self.may(pat, i)]
        if not maybe:
            return ""
        text = self.doc.sentences[i].text
        for k, reason, where, pat in maybe:
            if reason in allow:
                continue
            if where == "after":
                hit = self._literal_from(k, pat, i) >= end and pat.match(text, end) is not None
            elif where == "alone":  # the sentence matches and nothing stands under it
                nxt = i + 1
                sentences = self.doc.sentences
                hit = ((nxt >= len(sentences) or sentences[nxt].is_heading)
                       and self._sentence_says(k, pat, i))
            elif where == "clause":
                hit = self._clause_says(f"not_deed{k}", pat, i, start, end)
            else:
                key = (k, i)
                if where == "sentence":
                    hit = self._sentence_says(k, pat, i)
                else:
                    spans = self._deed_cache.get(key)
                    if spans is None:
                        spans = self._deed_cache[key] = ([m.span() for m in pat.finditer(text)]
                                                         if self.may(pat, i) else [])
                    hit = _within((start, end), spans)  # type: ignore[arg-type]
            if hit:
                return reason
        return ""

    def _literal_from(self, k: int, pat, i: int) -> int:
        """Where the last of the literals every match of not_deed k needs starts in sentence i
        (-1: none; len + 1: it needs none). A match from a position contains one of them, so it
        starts there or later: a match from a position after it is impossible."""
        key = (k, -1 - i, "last")
        last = self._deed_cache.get(key)
        if last is None:
            req = _context_literals(pat.compiled.pattern, pat.compiled.flags)
            text = self.doc.sentences[i].text
            last = self._deed_cache[key] = len(text) + 1 if req is None else max(text.rfind(lit) for lit in req)
        return last  # type: ignore[return-value]

    def _sentence_says(self, k: int, pat, i: int) -> bool:
        key = (k, -1 - i)
        found = self._deed_cache.get(key)
        if found is None:
            found = self._deed_cache[key] = self.may(pat, i) and bool(pat.search(self.doc.sentences[i].text))
        return bool(found)

    # -- keyword prefilter ---------------------------------------------------------
    def candidates(self, group: Group) -> list[int] | None:
        """Sorted indices of the sentences that contain one of the literals every match of
        the group needs (see :mod:`fzcheck.perf.prefilter`); None when it needs none."""
        req = pattern_literals(group.joined, self.year) if group.joined else None
        if req is None:
            return None
        return self._index().sentences_with(req)

    def candidates_of(self, pattern: regex.Pattern) -> list[int] | None:
        """candidates() for a pattern of the code (compiled as written, no flags)."""
        if pattern.flags & ~(regex.UNICODE | regex.VERSION0):
            return None
        req = literals(pattern.pattern, required_literals)
        if req is None:
            return None
        return self._index().sentences_with(req)

    def _index(self) -> TextIndex:
        if self._text_index is None:
            self._text_index = TextIndex([s.text for s in self.doc.sentences])
        return self._text_index

    # -- units -------------------------------------------------------------------
    def units(self, unit: str) -> list[list[int]]:
        if unit in ("sentence", "heading"):
            return [[i] for i in range(len(self.doc.sentences))]
        if unit not in self._units:
            groups: dict[object, list[int]] = {}
            top_of: dict[int, object] = {}
            if unit == "section":
                for top in self.doc.root.children:
                    top_of[id(top)] = top
                    for sub in iter_sections(top):
                        top_of[id(sub)] = top
            for i, s in enumerate(self.doc.sentences):
                if unit == "paragraph":
                    key: object = s.para
                elif unit == "section":
                    key = id(top_of.get(id(s.section), s.section))
                else:
                    key = 0
                groups.setdefault(key, []).append(i)
            self._units[unit] = list(groups.values())
        return self._units[unit]

    # -- judging one hit ---------------------------------------------------------
    def judge(self, i: int, start: int, end: int, m: Matcher) -> str | None:
        s: Sentence = self.doc.sentences[i]
        done_roles = m.counts_in or self.done_roles
        if s.role in done_roles:
            if m.plan and self.is_plan(i):
                return HIT_PLAN
            if m.lacking and self.is_lacking(i, start, end):
                return HIT_NEGATED
            return HIT_DONE
        if m.counts_in is not None:
            return None
        if s.role == NEXT_YEAR:
            return HIT_PLAN
        if s.role == SHORTCOMINGS:
            if m.lacking and self.is_concessive(i, start, end) and not self.is_lacking(i, start, end):
                return HIT_DONE
            return HIT_PROBLEM
        return HIT_PLAN


def _overlaps(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(a < span[1] and span[0] < b for a, b in spans)


def _within(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(a <= span[0] and span[1] <= b for a, b in spans)


class _Spans:
    """_overlaps and _within for many spans and many questions: sorted by start with the
    furthest end so far, each answer is a bisection (a sentence with thousands of hits and
    thousands of titles stays linear)."""

    __slots__ = ("starts", "reach")

    def __init__(self, spans: list[tuple[int, int]]):
        ordered = sorted(spans)
        self.starts = [a for a, _ in ordered]
        self.reach: list[int] = []
        far = -1
        for _, b in ordered:
            far = max(far, b)
            self.reach.append(far)

    def overlaps(self, span: tuple[int, int]) -> bool:  # any(a < span[1] and span[0] < b)
        k = bisect.bisect_left(self.starts, span[1])
        return k > 0 and self.reach[k - 1] > span[0]

    def contains(self, span: tuple[int, int]) -> bool:  # any(a <= span[0] and span[1] <= b)
        k = bisect.bisect_right(self.starts, span[0])
        return k > 0 and self.reach[k - 1] >= span[1]


def find_hits(ctx: MatchContext, m: Matcher, collective: bool = False, judge_deeds: bool = False) -> list[Hit]:
    """Hits of a matcher. With judge_deeds (an element's evidence), mentions that are not
    the unit's deed (look-alikes, quoted titles, context.not_deeds) come back as
    not-counted hits with their reason; without it (counts, absences) they are dropped."""
    # Sentences without any literal the anchors need cannot match: skip them (same hits).
    cand = ctx.candidates(m.any)
    if cand == []:
        return []  # not even compiled
    anchors = m.any.compiled(ctx.year)
    if anchors is None:
        return []
    sentences = ctx.doc.sentences
    per_sentence = m.unit in ("sentence", "heading")
    units: list[list[int]] | None = None  # None: each sentence of `order` is a unit of its own
    if cand is None:
        order = range(len(sentences))
        if not per_sentence:
            units = ctx.units(m.unit)
    elif per_sentence:
        order = cand
    else:  # the whole unit still makes the text that `all` and `none` look at
        keep = set(cand)
        units = [u for u in ctx.units(m.unit) if not keep.isdisjoint(u)]
        order = [i for unit in units for i in unit if i in keep]
    heads_only = m.unit == "heading"
    if heads_only:  # headings only, and only when the matcher looks at headings
        visit = [i for i in order if sentences[i].is_heading] if m.headings else []
    elif m.headings:
        visit = list(order)
    else:
        visit = [i for i in order if not sentences[i].is_heading]
    if not visit:
        return []
    spans_of = ctx.anchor_spans(anchors, visit, m.any)
    with_hits = [i for i in visit if spans_of[i]]
    if not with_hits:
        return []
    mask = m.mask.compiled(ctx.year) if m.mask else None
    masks_of = ctx.anchor_spans(mask, with_hits, m.mask) if mask is not None else None
    see_titles = not m.titles
    check_deeds = judge_deeds and bool(ctx.not_deeds)
    hits: list[Hit] = []
    if units is None:
        groups: list[list[int]] = [[i] for i in with_hits]
    else:
        has = set(with_hits)
        groups = [[i for i in unit if i in has] for unit in units if not has.isdisjoint(unit)]
        units_of = [unit for unit in units if not has.isdisjoint(unit)]
    for g, unit_hits in enumerate(groups):
        found: list[tuple[int, int, int, str]] = []
        for i in unit_hits:
            matches = spans_of[i]
            masks = masks_of[i] if masks_of is not None else ()
            titles = ctx.titles(i) if see_titles else ()
            if len(matches) > 8 and len(masks) + len(titles) > 8:  # many of both: bisect
                masked, titled = _Spans(list(masks)), _Spans(list(titles))
                for span in matches:
                    if span[0] == span[1]:
                        continue
                    reason = LOOKALIKE if masked.overlaps(span) else TITLE if titled.contains(span) else ""
                    if reason and not judge_deeds:
                        continue
                    if not reason and check_deeds:
                        reason = ctx.not_deed(i, span[0], span[1], m.allow)
                    found.append((i, span[0], span[1], reason))
                continue
            for a, b in matches:
                if a == b:
                    continue
                if masks and any(x < b and a < y for x, y in masks):
                    reason = LOOKALIKE
                elif titles and any(x <= a and b <= y for x, y in titles):
                    reason = TITLE
                else:
                    reason = ""
                if reason and not judge_deeds:
                    continue
                if not reason and check_deeds:
                    reason = ctx.not_deed(i, a, b, m.allow)
                found.append((i, a, b, reason))
        if not found:
            continue
        if m.all or m.none:
            unit = [found[0][0]] if units is None else units_of[g]
            text = "\n".join(sentences[i].text for i in unit)
            if any(grp.compiled(ctx.year).search(text) is None for grp in m.all if grp):
                continue
            if m.none and m.none.compiled(ctx.year).search(text) is not None:
                continue
        for i, a, b, reason in found:
            if reason:
                hits.append(Hit(i, a, b, HIT_EXCLUDED, 0.0, collective, reason))
                continue
            status = ctx.judge(i, a, b, m)
            if status is not None:
                hits.append(Hit(i, a, b, status, m.credit, collective))
    return hits


def item_status(hits: list[Hit]) -> tuple[str, float]:
    """Status and credit of an element or item from its hits: done beats everything."""
    done = [h.credit for h in hits if h.status == HIT_DONE]
    if done:
        return ITEM_PASS, max(done)
    statuses = {h.status for h in hits}
    if HIT_PROBLEM in statuses:
        return ITEM_PROBLEM_ONLY, 0.0
    if HIT_PLAN in statuses:
        return ITEM_PLAN_ONLY, 0.0
    if HIT_NEGATED in statuses:
        return ITEM_NEGATED, 0.0
    return ITEM_MISSING, 0.0


def found_in(doc: Document, hits: list[Hit]) -> list[str]:
    roles = {doc.sentences[h.sentence].role for h in hits if h.status != HIT_EXCLUDED}
    from fzcheck.model import ROLES

    return [r for r in ROLES if r in roles]


_DEED_ROLES = (ACHIEVEMENTS, FIRST_RESPONSIBLE, OTHER)


def _rank(doc: Document, h: Hit, facts: dict | None = None) -> tuple:
    """Best evidence first: done before the rest; then the unit's concrete deed in a part
    that reports the year (not the preamble's summary), a sentence with figures, a sentence
    rather than a heading; then the order of the report. ``facts`` keeps each sentence's
    part of the key (the document's, from its MatchContext)."""
    f = facts.get(h.sentence) if facts is not None else None
    if f is None:
        s = doc.sentences[h.sentence]
        f = (s.role not in _DEED_ROLES, not _FIGURE.search(s.text), s.is_heading)
        if facts is not None:
            facts[h.sentence] = f
    return (_STATUS_ORDER.get(h.status, 9), f[0], f[1], f[2], h.sentence, h.start)


def evidence(doc: Document, hits: list[Hit], limit: int = 3, ctx: MatchContext | None = None) -> list[Evidence]:
    """The hits worth showing, best first: done ones, else the best of the mentions that
    do not count (never the not-counted ones: why_not names the closest of those). ``ctx``
    (the document's) keeps what is asked of each sentence for the next call."""
    facts = ctx.rank_facts if ctx is not None else {}
    ordered = sorted((h for h in hits if h.status != HIT_EXCLUDED), key=lambda h: _rank(doc, h, facts))
    shown: list[Evidence] = []
    seen: set[int] = set()
    for h in ordered:
        if h.sentence in seen:
            continue
        seen.add(h.sentence)
        shown.append(to_evidence(doc, h, ctx))
        if len(shown) >= limit:
            break
    return shown


def to_evidence(doc: Document, h: Hit, ctx: MatchContext | None = None) -> Evidence:
    s = doc.sentences[h.sentence]
    cache = ctx.evidence_facts if ctx is not None else None
    facts = cache.get(h.sentence) if cache is not None else None
    if facts is None:  # what does not depend on the words matched: once per sentence
        par = doc.paragraphs[s.para]
        facts = (par, s.section.path(), _sentence_original(par, s))
        if cache is not None:
            cache[h.sentence] = facts
    par, section, whole = facts
    location = dict(par.location_at(s.start + h.start))
    text = s.text
    if len(text) > 120:
        left = max(0, h.start - 50)
        text = ("…" if left else "") + text[left:left + 110] + ("…" if left + 110 < len(s.text) else "")
    original, original_match = _original(par, s, h.start, h.end, whole)
    return Evidence(text=text, match=s.text[h.start:h.end], line=location.get("line"),
                    section=section, role=s.role, status=h.status, location=location,
                    pos=(s.para, s.start + h.start), reason=_hit_reason(h),
                    original=original, original_match=original_match)


_SENTENCE_END = "。！？!?；;…”’」』"
_MARKER_SHIFT = 12  # an outline marker Word numbers itself is in the heading, not the paragraph


def _sentence_span(par, s) -> tuple[int, int, int]:
    """(start, end) of a sentence in its normalized paragraph, and how many leading
    characters of the sentence are not in the paragraph (a heading's generated number)."""
    n = len(s.text)
    if par.text[s.start:s.start + n] == s.text:
        return s.start, s.start + n, 0
    i = par.text.find(s.text)
    if i >= 0:
        return i, i + n, 0
    for k in range(1, min(n, _MARKER_SHIFT)):
        i = par.text.find(s.text[k:])
        if i >= 0:
            return i, i + n - k, k
    return s.start, min(len(par.text), s.start + n), 0


def _sentence_original(par, s) -> tuple[int, int, int, str] | None:
    """(start, end, shift) of the sentence in its normalized paragraph (see _sentence_span)
    and the whole sentence as the report wrote it, with its full stop; None when the
    paragraph has no original."""
    if not par.original or par.src is None:
        return None
    a, b, shift = _sentence_span(par, s)
    oa, ob = par.original_span(a, b)
    while ob < len(par.original) and par.original[ob] in _SENTENCE_END:  # its full stop too
        ob += 1
    return a, b, shift, par.original[oa:ob].strip()


_UNSET: tuple = (object(),)  # "not given" (a caller may pass None: no original)


def _original(par, s, start: int, end: int, whole: tuple | None = _UNSET) -> tuple[str, str]:
    """The whole sentence and the matched words as the report wrote them (the text its
    reader extracted, before normalization); ("", "") when the paragraph has no original.
    ``whole``: _sentence_original(par, s), when the caller has it."""
    if whole is _UNSET:
        whole = _sentence_original(par, s)
    if whole is None:
        return "", ""
    a, b, shift, sentence = whole
    ms, me = max(a, a + start - shift), min(b, a + end - shift)
    match = ""
    if me > ms:
        ma, mb = par.original_span(ms, me)
        match = par.original[ma:mb].strip()
    return sentence, match


_REASON_OF_STATUS = {HIT_PLAN: "plan", HIT_PROBLEM: "problem", HIT_NEGATED: "negated"}


def _hit_reason(h: Hit) -> str:
    return h.reason or _REASON_OF_STATUS.get(h.status, "")


def closest(doc: Document, hits: list[Hit], ctx: MatchContext | None = None) -> tuple[str, Evidence | None]:
    """The mention closest to counting and why it did not, for an element or item that is
    not credited: ("nothing_close", None) when nothing was found. A mention set aside
    (another body's, another year's, a name …) in a part that reports the year comes
    first, as the plan, shortcoming or lacking clause is already the element's finding
    and its evidence; then those; then set-aside mentions elsewhere; within each the
    order of the report."""
    rest = [h for h in hits if h.status != HIT_DONE]
    if not rest:
        return "nothing_close", None
    sentences = doc.sentences

    def rank(h: Hit) -> tuple:
        excluded = h.status == HIT_EXCLUDED
        in_year = sentences[h.sentence].role not in (SHORTCOMINGS, NEXT_YEAR)
        return (0 if excluded and in_year else 2 if excluded else 1, _STATUS_ORDER.get(h.status, 9),
                h.sentence, h.start)

    best = min(rest, key=rank)
    return _hit_reason(best), to_evidence(doc, best, ctx)
