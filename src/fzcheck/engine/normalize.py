"""Normalization, in one place for every reader.

Each paragraph goes through the same steps, in this order:

0. compatibility forms that PDF producers emit folded to the ideographs and marks they
   stand for: Kangxi radicals (⼀ ⼈ ⾏ ⾯, U+2F00–U+2FDF) and the CJK radicals supplement
   (⺠ ⻚ ⻓ ⻔, U+2E80–U+2EFF) that a browser's or Word's PDF gives for 一 人 行 面 民 页 长 门,
   CJK compatibility ideographs, vertical and small punctuation forms, half-width 。「」、;
   one character for one, so the offset map is unchanged;
1. converter residue removed (Word bookmarks, field codes, comments);
2. pinyin annotations after characters removed (執(zhí)法 → 執法);
3. traditional → simplified characters (OpenCC, ``t2s``);
4. outline numbers mangled by a one-byte GBK shift repaired (。ㄒ唬 → （一）);
5. full-width ASCII folded to half-width, odd spaces to plain spaces;
6. spaces between Chinese characters removed, other runs collapsed.

Every step keeps a map from each output character to its offset in the input
paragraph, so that evidence still points at the original line (or page, or
paragraph). Paragraphs that are page chrome (分享到, 关闭窗口, 网站标识码 …) are
set aside: rules do not see them, metadata extraction still does.
"""
from __future__ import annotations

import functools
import os
from typing import Callable

import regex

from fzcheck import lazyre

from fzcheck.model import Paragraph, RawDocument
from fzcheck.perf.cache import compile_regex, yaml_data
from fzcheck.zhtext import CN_NUMERALS, FULLWIDTH_ASCII

# Full-width ASCII block → ASCII; ideographic and other odd spaces → space.
_WIDTH = dict(FULLWIDTH_ASCII)
_WIDTH.update({0x3000: 0x20, 0x00A0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x2009: 0x20, 0x202F: 0x20})
_WIDE = frozenset(map(chr, _WIDTH))
_NARROW = {chr(k): chr(v) for k, v in _WIDTH.items()}


def _fold_width(s: str) -> str:
    """``s.translate(_WIDTH)``, quicker: only the characters present are replaced (each maps
    to ASCII, never to another key, so the order does not matter)."""
    for c in _WIDE.intersection(s):
        s = s.replace(c, _NARROW[c])
    return s


# CJK radicals supplement → the ideograph each one stands for (Unicode's
# EquivalentUnifiedIdeograph.txt; NFKC folds only two of them). The Kangxi radicals and
# the other compatibility ranges below fold by NFKC where it gives one character.
_RADICALS = ("⺁厂⺂乛⺃乚⺄乙⺅亻⺆冂⺉刂⺊卜⺌小⺍小⺎尢⺏尣⺐尢⺑尣⺒巳⺓幺⺔彑⺕彐⺖忄⺗心⺘扌⺙攵⺛旡"
             "⺜日⺝月⺞歺⺟母⺠民⺡氵⺢氺⺣灬⺤爫⺥爫⺦丬⺧牛⺨犭⺩王⺪疋⺫目⺬示⺭礻⺮竹⺯糸⺰纟⺱罓⺲罒"
             "⺶羊⺹耂⺺肀⺻聿⺼肉⺽臼⺾艹⺿艹⻀艹⻁虎⻂衤⻃覀⻄西⻅见⻆角⻈讠⻉贝⻊足⻋车⻌辶⻍辶⻎辶"
             "⻏阝⻐钅⻑長⻒镸⻓长⻔门⻕阜⻖阝⻗雨⻘青⻙韦⻚页⻛风⻜飞⻝食⻟飠⻠饣⻢马⻣骨⻤鬼⻥鱼⻦鸟"
             "⻧卤⻨麦⻩黄⻪黾⻫斉⻬齐⻭歯⻮齿⻯竜⻰龙⻱龜⻲亀⻳龟")
_HORIZONTAL_BAR = 0x2015
_COMPAT_RANGES = ((0x2F00, 0x2FDF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F), (0xFE10, 0xFE19),
                  (0xFE30, 0xFE4F), (0xFE50, 0xFE6B), (0xFF61, 0xFF64))


def _compat_table() -> dict[int, str]:
    import unicodedata

    table = {ord(a): b for a, b in zip(_RADICALS[::2], _RADICALS[1::2])}
    table[_HORIZONTAL_BAR] = "\u2014"  # ― HORIZONTAL BAR: what a browser's PDF gives for — (2021—2025年)
    for lo, hi in _COMPAT_RANGES:
        for cp in range(lo, hi + 1):
            folded = unicodedata.normalize("NFKC", chr(cp))
            if len(folded) == 1 and folded != chr(cp):
                table[cp] = folded
    return table


_COMPAT: list = []  # [table, the set of its characters], made on first use (not at import)
# The ranges of every character the table folds (the radicals' span, ― and _COMPAT_RANGES): a
# text with none of them is left as it is, and the table (~0.5 ms to make) is not even made.
_FOLDED_RANGES = ((min(map(ord, _RADICALS[::2])), max(map(ord, _RADICALS[::2]))), (_HORIZONTAL_BAR,) * 2) + _COMPAT_RANGES
_MAY_FOLD = lazyre.compile("[" + "".join(f"{chr(a)}-{chr(b)}" for a, b in _FOLDED_RANGES) + "]")


def fold_compat(s: str) -> str:
    """Kangxi radicals, radical supplement forms and other compatibility forms → the
    characters they stand for, one for one (``len`` unchanged)."""
    if not _COMPAT:
        table = _compat_table()
        _COMPAT[:] = [table, frozenset(map(chr, table))]
    table, chars = _COMPAT
    # a set lookup per character: many times quicker than searching a class of ~1,400 characters
    return s if chars.isdisjoint(s) else s.translate(table)


_ZERO_WIDTH = lazyre.compile("[\u200b\u200c\u200d\ufeff\u00ad]+")
_ZERO_WIDTH_CHARS = frozenset("\u200b\u200c\u200d\ufeff\u00ad")

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_PINYIN = lazyre.compile(r"\(([a-zü%s]{1,7})\)" % _TONED)
_TONE_MARK = lazyre.compile(r"[%s]" % _TONED)
_SPACE_BETWEEN_HAN = lazyre.compile(r"(?<=[\p{Han}\p{Ps}\p{Pe}\p{Pi}\p{Pf}，。、；：！？])[ \t]+"
                                    r"(?=[\p{Han}\p{Ps}\p{Pe}\p{Pi}\p{Pf}，。、；：！？])")
_SPACE_RUN = lazyre.compile(r"[ \t\r\f\v]{2,}")
_SPACE_RUN_CHARS = frozenset(" \t\r\f\v")
_CN_NUM = CN_NUMERALS


@functools.lru_cache(maxsize=1)
def _noise_data() -> dict:
    """data/noise.yaml, read once per process (yaml.safe_load, cached between runs)."""
    with open(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data", "noise.yaml"),
              encoding="utf-8") as fh:
        return yaml_data(fh.read())


@functools.lru_cache(maxsize=1)
def _patterns() -> tuple[list[regex.Pattern], list[regex.Pattern]]:
    data = _noise_data()
    noise = [compile_regex(p) for p in data["noise_lines"]]  # regex.compile, cached between runs
    markers = [compile_regex(p) for p in data["markers"]]
    return noise, markers


@functools.lru_cache(maxsize=1)
def _label_line() -> regex.Pattern | None:
    """A line that is only the label of page metadata (索引号, 主题分类 …) whose value stands
    on the next line: both are page furniture (noise.yaml label_lines)."""
    labels = _noise_data().get("label_lines") or []
    return compile_regex("|".join(f"(?:{p})" for p in labels)) if labels else None


@functools.lru_cache(maxsize=1)
def _page_edges() -> tuple[regex.Pattern | None, regex.Pattern | None]:
    """Where a web page's header ends and where its tail (related links, footer) begins
    (noise.yaml page_head_end, page_tail_start)."""
    data = _noise_data()
    out = []
    for key in ("page_head_end", "page_tail_start"):
        pats = data.get(key) or []
        out.append(compile_regex("|".join(f"(?:{p})" for p in pats)) if pats else None)
    return out[0], out[1]


_HEAD_LINES = 20  # a breadcrumb further down is not the end of a site header
_SENTENCE_PAR = 80  # a paragraph this long with a full stop is report text, not furniture


def _furniture(texts: list[str]) -> tuple[int, int]:
    """[first, end) of the paragraphs between a web page's header and its tail, when the
    page (saved as text or printed to PDF) still has them; (0, len) otherwise."""
    head, tail = _page_edges()
    first, end = 0, len(texts)
    if head is not None:
        for i, text in enumerate(texts[:_HEAD_LINES]):
            if "。" in text and len(text) > _SENTENCE_PAR:
                break  # the report has begun
            if head.search(text):
                first = i + 1
                break
    if tail is not None:
        for i in range(len(texts) - 1, first, -1):
            if "。" in texts[i] and len(texts[i]) > _SENTENCE_PAR:
                break  # report text: the tail, if any, starts after it
            if tail.search(texts[i]) and i > first + 3:
                end = i
    return first, end


@functools.lru_cache(maxsize=1)
def _changing() -> frozenset[str] | None:
    """The characters OpenCC's t2s would change (None: unknown, convert every paragraph)."""
    from fzcheck.perf.cache import t2s_changing

    return t2s_changing()


@functools.lru_cache(maxsize=1)
def _converter() -> Callable[[str], str]:
    import opencc

    return opencc.OpenCC("t2s").convert


class _Text:
    """A string with, for every character, its offset in the original."""

    __slots__ = ("s", "src")

    def __init__(self, s: str, src: list[int]):
        self.s = s
        self.src = src

    def sub(self, pattern: regex.Pattern, repl: Callable[[regex.Match], str]) -> None:
        pieces: list[str] = []
        src: list[int] = []
        last = 0
        for m in pattern.finditer(self.s):
            new = repl(m)
            if new == m.group(0):
                continue
            pieces.append(self.s[last:m.start()])
            src.extend(self.src[last:m.start()])
            pieces.append(new)
            anchor = self.src[m.start()] if m.start() < len(self.src) else (self.src[-1] if self.src else 0)
            src.extend([anchor] * len(new))
            last = m.end()
        if not pieces:
            return
        pieces.append(self.s[last:])
        src.extend(self.src[last:])
        self.s = "".join(pieces)
        self.src = src

    def map_chars(self, fn: Callable[[str], str]) -> None:
        """Apply a conversion that should keep the length; fall back char by char."""
        out = fn(self.s)
        if len(out) == len(self.s):
            self.s = out
            return
        self.s = "".join(fn(c) if len(fn(c)) == 1 else c for c in self.s)


def _drop_pinyin(m: regex.Match) -> str:
    return "" if _TONE_MARK.search(m.group(1)) else m.group(0)


def _gbk_lead(ch: str) -> int | None:
    try:
        b = ch.encode("gb18030")
    except UnicodeEncodeError:  # pragma: no cover - gb18030 encodes everything
        return None
    return b[0] if len(b) == 2 else None


def repair_shifted_heading(s: str) -> tuple[str, int] | None:
    """Repair an outline number such as （一） that was decoded one byte late.

    When GBK text loses its first byte (or gains one), "（一）" (A3A8 D2BB A3A9)
    is read as "。ㄒ唬┘…": a full stop, then characters from the GBK rows
    A8/A9 (bopomofo, pinyin letters, box drawing). Returns the repaired marker
    and the number of characters it replaces, or None.
    """
    if len(s) < 2 or s[0] != "。" or _gbk_lead(s[1]) not in (0xA8, 0xA9):
        return None
    end = None
    for i in range(1, min(len(s), 7)):
        if _gbk_lead(s[i]) == 0xA9:
            end = i + 1
            break
    if end is None:
        return None
    raw = s[:end].encode("gb18030")[1:]
    fixed = raw.decode("gb18030", errors="replace")
    m = regex.match(r"（([%s]+)" % _CN_NUM, fixed)
    number = m.group(1) if m else "?"
    return f"（{number}）", end


@functools.lru_cache(maxsize=1)
def _marker_literals() -> tuple[str, ...] | None:
    """Literals one of which every match of a marker (noise.yaml) or of a pinyin annotation
    contains (the keyword prefilter's analysis), or None when some pattern needs none."""
    from fzcheck.perf.cache import literals
    from fzcheck.perf.prefilter import required_literals

    out: set[str] = set()
    for pat in [*_patterns()[1], _PINYIN.compiled()]:
        if pat.flags & ~(regex.UNICODE | regex.VERSION0):
            return None
        req = literals(pat.pattern, required_literals)
        if req is None:
            return None
        out.update(req)
    return tuple(sorted(out)) if len(out) <= 16 else None


def normalize_text(s: str) -> str:
    """Normalize one string (no offsets); used for patterns and tests."""
    return _normalize(s)[0]


def _normalize(s: str) -> tuple[str, list[int]]:
    warm = _WARM[0]
    if warm is not None and warm[0](s) is None:
        # none of the characters the folds, markers, pinyin, OpenCC and the zero-width step
        # need: they would leave the paragraph as it is
        return _normalize_rest(_Text(s, list(range(len(s)))), warm)
    noise, markers = _patterns()
    # Which characters the paragraph holds, taken once (and again only after a step changed
    # the text): most steps need a character the paragraph lacks and leave it as it is.
    chars = set(s)
    if _MAY_FOLD.search(s) is not None:
        if not _COMPAT:
            fold_compat("")
        table, compat_chars = _COMPAT
        if not compat_chars.isdisjoint(chars):
            s = s.translate(table)
            chars = set(s)
    t = _Text(s, list(range(len(s))))
    needed = _marker_literals()
    if needed is None or (not _marker_firsts().isdisjoint(chars)
                          and any(lit in t.s for lit in needed)):  # else no marker nor pinyin can match: no change
        for pat, lits in _each_literals():  # each marker (and then the pinyin) only on text with its literals
            if pat is _PINYIN_MARK:
                break
            if lits is None or any(lit in t.s for lit in lits):
                t.sub(pat, lambda m: "")
        for _ in range(3):  # nested annotations such as 執((zhí)zhí)
            before = t.s
            t.sub(_PINYIN, _drop_pinyin)
            if t.s == before:
                break
        if t.s is not s:
            chars = set(t.s)
    changing = _changing()
    if changing is None or not changing.isdisjoint(chars):  # OpenCC is loaded only for text it changes
        t.map_chars(_converter())
        chars = set(t.s)
    # each pattern below needs one of a few characters: a paragraph without them is left as it is
    if not _ZERO_WIDTH_CHARS.isdisjoint(chars):  # before the heading repair, which looks at the start
        t.sub(_ZERO_WIDTH, lambda m: "")
        chars = set(t.s)
    if _repair_heading(t):
        chars = set(t.s)
    wide = _WIDE.intersection(chars)
    if wide:
        t.s = _fold_width(t.s)  # one character for one: the map stays aligned
        chars = set(t.s)
    if not _SPACE_RUN_CHARS.isdisjoint(chars) and _inner_space(t.s):
        _spaces(t)
    # strip, keeping the map aligned
    left = len(t.s) - len(t.s.lstrip())
    right = len(t.s.rstrip())
    return t.s[left:right], t.src[left:right]


def _repair_heading(t: _Text) -> bool:
    """Step 4 (an outline number decoded one byte late); whether it changed the text."""
    stripped = t.s.lstrip()
    lead = len(t.s) - len(stripped)
    fixed = repair_shifted_heading(stripped)
    if fixed is None:
        return False
    new, n = fixed
    anchor = t.src[lead] if t.src else 0
    t.s = t.s[:lead] + new + t.s[lead + n:]
    t.src = t.src[:lead] + [anchor] * len(new) + t.src[lead + n:]
    return True


def _normalize_rest(t: _Text, warm: tuple) -> tuple[str, list[int]]:
    """Steps 4 to 6 of a paragraph that holds none of the characters steps 0 to 3 and the
    zero-width step need (warm[0]); the same steps as _normalize, each tested with a search
    of the current text instead of a set of its characters."""
    _repair_heading(t)  # (it writes no zero-width character)
    wide = warm[1](t.s)
    if wide:
        for c in set(wide):  # _fold_width: each present character replaced
            t.s = t.s.replace(c, _NARROW[c])
    if _inner_space(t.s):
        _spaces(t)
    left = len(t.s) - len(t.s.lstrip())
    right = len(t.s.rstrip())
    return t.s[left:right], t.src[left:right]


# Once a process normalizes its second document (a batch worker, a server, a warm check):
# (search for any character that steps 0-3 or the zero-width step need, findall of the
# full-width characters), both stdlib ``re`` character classes (a set of the paragraph's
# characters costs about as much as the whole rest of a paragraph's normalizing; the classes,
# ~3 ms to compile, are not worth it for one document).
_WARM: list = [None]
_NORMALIZED = [0]


def _warm_tests() -> tuple | None:
    import re

    changing = _changing()
    markers = [lits for pat, lits in _each_literals() if pat is not _PINYIN_MARK]
    if changing is None or any(lits is None for lits in markers):
        return None  # some step runs on every paragraph
    if not _COMPAT:
        fold_compat("")
    chars = set(_COMPAT[1]) | set(changing) | set(_ZERO_WIDTH_CHARS)
    # a marker's literals; a pinyin annotation's "(" and first letter (a "(" alone is common)
    others = [re.escape(lit) for lits in markers for lit in lits] + [r"\([a-zü%s]" % _TONED]
    return (re.compile(_char_class(re, chars).pattern + "|" + "|".join(others)).search,
            _char_class(re, _WIDE).findall)


def _char_class(re, chars) -> object:
    """A pattern matching any of the characters (a character outside the BMP: any such character,
    which only sends a paragraph the exact way)."""
    codes = sorted(ord(c) for c in chars if ord(c) < 0x10000)
    ranges = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    body = "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
    astral = any(ord(c) >= 0x10000 for c in chars)
    return re.compile(f"[{body}]" + ("|[\U00010000-\U0010FFFF]" if astral else ""))


_PINYIN_MARK = object()


@functools.lru_cache(maxsize=1)
def _each_literals() -> list[tuple[object, tuple[str, ...] | None]]:
    """Each marker (noise.yaml) with the literals one of which its every match contains (None:
    unknown), in order, then _PINYIN_MARK."""
    from fzcheck.perf.cache import literals
    from fzcheck.perf.prefilter import required_literals

    out: list[tuple[object, tuple[str, ...] | None]] = []
    for pat in _patterns()[1]:
        req = None if pat.flags & ~(regex.UNICODE | regex.VERSION0) else literals(pat.pattern, required_literals)
        out.append((pat, None if req is None else tuple(sorted(req))))
    out.append((_PINYIN_MARK, None))
    return out


def _spaces(t: _Text) -> None:
    """A run of spaces, tabs, CRs, FFs or VTs becomes one space, then the spaces and tabs between
    two Chinese characters or punctuation marks go. In this order the result is its own
    normalization: the other way round, " \r" between 、 and [ became one space the next pass
    took out (found by tests/test_properties.py)."""
    t.sub(_SPACE_RUN, lambda m: " ")
    if " " in t.s or "\t" in t.s:
        t.sub(_SPACE_BETWEEN_HAN, lambda m: "")


def _inner_space(s: str) -> bool:
    """Whether a space, tab, CR, FF or VT stands between non-space characters. When they
    stand only at the ends, the two space steps change nothing that the final strip keeps:
    a run there is whitespace before and after them, stripped with the same characters (and
    offsets) left; _SPACE_BETWEEN_HAN needs a character on both sides."""
    core = s.strip()
    return " " in core or "\t" in core or "\r" in core or "\f" in core or "\v" in core


@functools.lru_cache(maxsize=1)
def _marker_firsts() -> frozenset[str]:
    """The first characters of _marker_literals(): a paragraph with none of them holds none."""
    return frozenset(lit[0] for lit in _marker_literals() or () if lit)


def is_noise(text: str) -> bool:
    anchored, combined, rest = _noise_search()
    return (bool(anchored is not None and anchored.match(text)) or bool(combined is not None and combined.search(text))
            or any(p.search(text) for p in rest))


def _anchored(source: str) -> bool:
    """Whether every match of the pattern starts at the start of the text: it begins with ^
    (no MULTILINE: the caller keeps patterns with inline flags apart) and has no | outside
    its groups. Such a pattern's search is its match at 0. False when unsure (a set the scan
    does not read)."""
    if not source.startswith("^"):
        return False
    depth, i, n = 0, 1, len(source)
    while i < n:
        c = source[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            j = i + 1
            if source.startswith("^", j):
                j += 1
            if source.startswith("]", j):
                return False
            while j < n and source[j] != "]":
                if source[j] == "[":
                    return False  # a nested set or a POSIX class
                j += 2 if source[j] == "\\" else 1
            i = j + 1
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth < 0:
                return False
        elif c == "|" and depth == 0:
            return False
        i += 1
    return depth == 0


_UNSAFE_TO_JOIN = lazyre.compile(r"\\[0-9g]|\(\?P?[=>&]|\(\?[a-zA-Z]*[^a-zA-Z:]|\(\?\(|\(\?R|\(\?\d")


@functools.lru_cache(maxsize=1)
def _noise_search() -> tuple[regex.Pattern | None, regex.Pattern | None, list[regex.Pattern]]:
    """The noise patterns joined into alternations (a couple of calls per paragraph instead of
    one per pattern: the same answer, as any alternative matching is a match): those that
    can only match at the start of the text, tried there alone (a search would try the
    alternation at every position of a long paragraph, ~20 µs), and the others, searched.
    Patterns whose meaning could change when joined (back-references, inline flags,
    recursion) stay on their own."""
    noise, _ = _patterns()
    joinable = [p for p in noise if not _UNSAFE_TO_JOIN.search(p.pattern) and not p.flags & ~(regex.UNICODE | regex.VERSION0)]
    rest = [p for p in noise if p not in joinable]
    if len(joinable) < 2:
        return None, None, noise
    anchored = [p for p in joinable if _anchored(p.pattern)]
    others = [p for p in joinable if p not in anchored]

    def joined(pats: list[regex.Pattern]) -> regex.Pattern | None:
        if not pats:
            return None
        return pats[0] if len(pats) == 1 else compile_regex("|".join(f"(?:{p.pattern})" for p in pats))

    return joined(anchored), joined(others), rest


_LABEL_VALUE_MAX = 60  # a metadata label or value is a short line


def normalize_document(raw: RawDocument) -> tuple[list[Paragraph], list[str]]:
    """Normalize every paragraph; return the paragraphs rules see and the noise lines.

    Each kept paragraph keeps the text the reader extracted (``original``) and the map
    from its characters to that text (``src``), so that evidence quotes the report's own
    characters. An HTML page's paragraphs are numbered (``paragraph``) as a reader of the
    page counts them, beside the source line."""
    kept: list[Paragraph] = []
    noise_lines: list[str] = list(raw.noise)
    label = _label_line()
    value_next = False  # the line after a metadata label is its value
    _NORMALIZED[0] += 1
    if _NORMALIZED[0] == 2 and _WARM[0] is None:
        _WARM[0] = _warm_tests()
    done = [(par, *_normalize(par.text)) for par in raw.paragraphs]
    first, end = _furniture([text for _, text, _ in done])
    for n, (par, text, src) in enumerate(done):
        if not text:
            continue
        if n < first or n >= end:
            noise_lines.append(text)
            continue
        if value_next and len(text) <= _LABEL_VALUE_MAX:
            value_next = False
            noise_lines.append(text)
            continue
        value_next = False
        if label is not None and len(text) <= _LABEL_VALUE_MAX and label.fullmatch(text):
            value_next = True
            noise_lines.append(text)
            continue
        if is_noise(text):
            noise_lines.append(text)
            continue
        locations = _remap(par, src)
        if raw.kind == "html":
            locations = [(off, {**loc, "paragraph": n + 1}) for off, loc in locations]
        kept.append(Paragraph(text, locations, original=par.text, src=src))
    return kept, noise_lines


def _remap(par: Paragraph, src: list[int]) -> list[tuple[int, dict]]:
    """Translate a paragraph's (original offset → location) list to normalized offsets."""
    if len(par.locations) <= 1:
        return [(0, par.locations[0][1])] if par.locations else [(0, {})]
    out: list[tuple[int, dict]] = []
    li = 0
    for new_off, old_off in enumerate(src):
        while li + 1 < len(par.locations) and par.locations[li + 1][0] <= old_off:
            li += 1
        if not out or out[-1][1] is not par.locations[li][1]:
            out.append((new_off, par.locations[li][1]))
    return out or [(0, par.locations[0][1])]
