"""A group whose alternatives are scanned one by one and merged (engine.match._split_parts /
_merged_spans) finds exactly the spans finditer of the joined alternation finds."""
from __future__ import annotations

import random

import regex

from fzcheck.engine.check import from_text
from fzcheck.engine.match import MatchContext, _merged_spans, _Parts, _split_parts
from fzcheck.rules.load import load_ruleset
from fzcheck.rules.patterns import Group, SafePattern, join_alternatives

from .conftest import SAMPLE, SEEDS
from .test_joined_scan import _random_pattern


def _alternative(rng: random.Random) -> str:
    body = _random_pattern(rng)
    r = rng.random()
    if r < 0.3:
        return rng.choice(["(?<!a)", "(?<=b)", "(?<![ab])", "(?<=[^c])"]) + body
    if r < 0.4:
        return rng.choice(["a", "ab", "ba", "c。"])  # plain text, often overlapping the others
    return body


def test_merged_scan_equals_the_alternation():
    rng = random.Random(1616)
    tested = 0
    for _ in range(6000):
        sources = [_alternative(rng) for _ in range(rng.randint(2, 4))]
        try:
            parts = [regex.compile(s) for s in sources]
            joined = regex.compile(join_alternatives(sources))
        except regex.error:
            continue
        split = _Parts([SafePattern(p, "test", s) for p, s in zip(parts, sources)])
        text = "".join(rng.choice("ab。c\n 1") for _ in range(rng.randint(0, 14)))
        pos = rng.choice([0, 0, rng.randint(0, len(text))])
        got = _merged_spans(split, text, pos)
        want = [m.span() for m in joined.finditer(text, pos)]
        if got is None:  # an alternative matches the empty string: the caller scans the alternation
            assert any(p.search(text, pos) is not None and any(m.start() == m.end() for m in p.finditer(text, pos))
                       for p in parts)
            continue
        assert got == want, (sources, text, pos)
        tested += 1
    assert tested > 3000


def test_split_only_what_means_the_same_alone():
    year = 2023
    for sources, split in [
        (["(?<![A-Za-z])x{2,}", "某某"], True),
        (["(?<=a)b", "c"], True),
        (["ab", "cd"], False),  # no look-behind first: the alternation is as quick
        (["(?<=a)b"], False),  # one alternative
        (["(?<=a)(b)", r"\1c"], False),  # a back-reference numbers groups across alternatives
        (["(?<=a)b", "(?i)c"], False),  # an inline flag
        (["(?<=a)b", "(?:c){e<=1}"], False),  # fuzzy matching
        (["(?<=a)b", r"\p{Han}某"], True),
    ]:
        group = Group(sources, "test")
        assert (_split_parts(group, year, group.compiled(year)) is not None) == split, sources


def _reports() -> list[str]:
    paths = [SAMPLE] + (sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else [])
    return [p.read_text(encoding="utf-8") for p in paths]


def test_rule_set_groups_split_as_joined():
    ruleset = load_ruleset()
    groups = []
    for rule in ruleset.rules:
        for m in rule.evidence + rule.collective + [m for item in rule.items for m in item.evidence]:
            groups += [g for g in (m.any, m.mask) if g]
    split = 0
    for text in _reports():
        doc = from_text(text, ruleset)
        every = list(range(len(doc.sentences)))
        for group in groups:
            pat = group.compiled(doc.year)
            parts = _split_parts(group, doc.year, pat)
            if parts is None:
                continue
            split += 1
            spans = MatchContext(doc, ruleset).anchor_spans(pat, every, group)
            joined = "\x00".join(s.text for s in doc.sentences)
            assert _merged_spans(parts, joined) == [m.span() for m in pat.compiled.finditer(joined)], group.label
            for i, s in enumerate(doc.sentences):
                assert spans[i] == [m.span() for m in pat.compiled.finditer(s.text)], (group.label, s.text)
    assert split  # the shipped rule set has such groups (身份证 / 手机号, placeholders)
