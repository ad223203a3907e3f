"""One scan of a rule's pattern over a document's sentences joined gives exactly the
matches of one scan per sentence (engine.match.joinable / MatchContext.anchor_spans), and
the context prefilter (MatchContext.may) never skips a sentence a pattern matches."""
from __future__ import annotations

import random

import pytest
import regex

from fzcheck.engine.check import from_text
from fzcheck.engine.match import MatchContext, joinable
from fzcheck.rules.load import load_ruleset
from fzcheck.rules.patterns import SafePattern

from .conftest import SAMPLE, SEEDS


class _Sentence:
    def __init__(self, text: str):
        self.text = text


class _Doc:
    def __init__(self, texts: list[str]):
        self.sentences = [_Sentence(t) for t in texts]


def _context(texts: list[str]) -> MatchContext:
    ctx = MatchContext.__new__(MatchContext)  # only what anchor_spans uses
    ctx.doc = _Doc(texts)
    ctx._anchor_cache = {}
    return ctx


@pytest.mark.parametrize("pattern, expected", [
    ("法律顾问|公职律师", "\n"), ("专家[^。，]{0,8}论证", "\n"), ("(稳定|决策)?风险评估|稳评", "\n"),
    ("a{0,3}?b", "\n"), ("(?:ab){3}c?", "\n"), ("a+b", "\n"), ("a{2,}", "\n"), ("(?<!x)a", "\n"),
    (r"(?<![\d.])\d+\s*件", "\x00"),  # \s sees a newline: joined by NUL
    # an anchor, a boundary, an empty match, a repeat or look-around that could run over the
    # separator, what the analysis does not read: one scan per sentence
    ("a*", None), ("a$", None), ("^a", None), ("[]a]", None), (r"a\b", None), ("a|", None), ("(a+)+$", None),
    ("(a|aa)+$", None), ("(?i)ab", None), (r"(a)\1", None), ("(?:abc){e<=1}", None), ("[^。]*顾问", None),
    ("(?<![^a])b", None), ("a(?=[^b]{0,3}x)", None), ("a(?=.{0,3}x)", "\n"), ("(?=a)", None), ("a*+b", None),
])
def test_joinable(pattern, expected):
    assert joinable(regex.compile(pattern)) == expected


def _random_pattern(rng: random.Random, depth: int = 0) -> str:
    out = ""
    for _ in range(rng.randint(1, 4)):
        r = rng.random()
        if r < 0.3:
            atom = rng.choice("ab。c")
        elif r < 0.45:
            atom = rng.choice(["[^。]", ".", "[ab]", r"\s", "[^a]", r"\n", r"\d", r"\S"])
        elif r < 0.52:
            atom = rng.choice(["(?<!a)", "(?<=b)", "(?=a)", "(?!c)", "(?<![ab])", "(?=[^。])", "(?!\\s)", "(?<=.)"])
        elif r < 0.6 and depth < 3:
            atom = "(?:" + "|".join(_random_pattern(rng, depth + 1) for _ in range(rng.randint(1, 3))) + ")"
        elif r < 0.7 and depth < 3:
            atom = "(" + _random_pattern(rng, depth + 1) + ")"
        else:
            atom = rng.choice("abc")
        q = rng.random()
        if q < 0.1:
            atom += rng.choice(["*", "+", "{1,}", "*?"])
        elif q < 0.2:
            atom += "?"
        elif q < 0.4:
            atom += "{%d,%d}" % (rng.randint(0, 2), rng.randint(2, 5))
        elif q < 0.45:
            atom += "{0,3}?"
        out += atom
    return out


def test_joined_scan_equals_one_scan_per_sentence():
    rng = random.Random(16)
    tested = 0
    for _ in range(12000):
        source = _random_pattern(rng)
        try:
            compiled = regex.compile(source)
        except regex.error:
            continue
        if not joinable(compiled):
            continue
        texts = ["".join(rng.choice("ab。c\n \x001") for _ in range(rng.randint(0, 8))) for _ in range(rng.randint(2, 6))]
        got = _context(texts).anchor_spans(SafePattern(compiled, "test", source), list(range(len(texts))))
        for i, text in enumerate(texts):
            assert got[i] == [m.span() for m in compiled.finditer(text)], (source, texts, i)
        tested += 1
    assert tested > 1000


def _reports() -> list[str]:
    paths = [SAMPLE] + (sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else [])
    return [p.read_text(encoding="utf-8") for p in paths]


def test_rule_set_patterns_joined_and_prefiltered_as_alone():
    ruleset = load_ruleset()
    groups = [ruleset.context.plan, ruleset.context.lacking, ruleset.context.concessive]
    groups += [nd.patterns for nd in ruleset.context.not_deeds]
    for rule in ruleset.rules:
        for m in rule.evidence + rule.collective + [m for item in rule.items for m in item.evidence]:
            groups += [m.any, m.mask, m.none, *m.all]
    for text in _reports():
        doc = from_text(text, ruleset)
        ctx = MatchContext(doc, ruleset)
        every = list(range(len(doc.sentences)))
        for group in groups:
            pat = group.compiled(doc.year) if group else None
            if pat is None:
                continue
            spans = ctx.anchor_spans(pat, every)
            for i, s in enumerate(doc.sentences):
                alone = [m.span() for m in pat.compiled.finditer(s.text)]
                assert spans[i] == alone, (group.label, s.text)
                if alone:
                    assert ctx.may(pat, i), (group.label, s.text)
