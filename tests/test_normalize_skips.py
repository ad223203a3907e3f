"""The normalizer's shortcuts (a step skipped on a paragraph that lacks the characters or
literals it needs, the space steps skipped when spaces stand only at the ends) give exactly
what every step run on every paragraph gives: text and offset map."""
from __future__ import annotations

import random

from fzcheck.engine import normalize as N
from fzcheck.engine.frontmatter import _NAVIGATION, looks_like_navigation


def _every_step(s: str) -> tuple[str, list[int]]:
    """_normalize as it was before the shortcuts: each step on every paragraph."""
    noise, markers = N._patterns()
    t = N._Text(N.fold_compat(s), list(range(len(s))))
    for pat in markers:
        t.sub(pat, lambda m: "")
    for _ in range(3):
        before = t.s
        t.sub(N._PINYIN, N._drop_pinyin)
        if t.s == before:
            break
    changing = N._changing()
    if changing is None or not changing.isdisjoint(t.s):
        t.map_chars(N._converter())
    t.sub(N._ZERO_WIDTH, lambda m: "")
    stripped = t.s.lstrip()
    lead = len(t.s) - len(stripped)
    fixed = N.repair_shifted_heading(stripped)
    if fixed is not None:
        new, n = fixed
        anchor = t.src[lead] if t.src else 0
        t.s = t.s[:lead] + new + t.s[lead + n:]
        t.src = t.src[:lead] + [anchor] * len(new) + t.src[lead + n:]
    t.s = N._fold_width(t.s)
    t.sub(N._SPACE_RUN, lambda m: " ")
    t.sub(N._SPACE_BETWEEN_HAN, lambda m: "")
    left = len(t.s) - len(t.s.lstrip())
    right = len(t.s.rstrip())
    return t.s[left:right], t.src[left:right]


_PIECES = ["法治", "政府", "建设", "。", "，", " ", "  ", "\t", "\u3000", "\u3000\u3000", "\xa0", "\r", "\f", "\v",
           "\u200b", "\ufeff", "(", ")", "(zhí)", "(fǎ)", "（", "）", "A", "Ａ", "１２", "12", "⼀", "⺠", "丨",
           "[bookmark:_Toc1]", "[footnoteRef:2]", "{ PAGE \\* MERGEFORMAT }", "<!-- x -->", "[image: a.png]",
           "執法", "機關", "\x85", "\u2028", "。ㄒ唬┘", "一、", "x"]


def test_shortcuts_give_what_every_step_gives(monkeypatch):
    rng = random.Random(1616)
    texts = ["".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 12))) for _ in range(4000)]
    texts += ["".join(rng.choice(_PIECES[:11] + ["，", "（一）", "２０２３年", "：", "𠮷"]) for _ in range(rng.randint(0, 12)))
              for _ in range(2000)]  # mostly text for the warm way
    monkeypatch.setattr(N, "_WARM", [None])  # one document: sets of characters
    for s in texts:
        assert N._normalize(s) == _every_step(s), repr(s)
    monkeypatch.setattr(N, "_WARM", [N._warm_tests()])  # later documents: character classes
    assert N._WARM[0] is not None
    for s in texts:
        assert N._normalize(s) == _every_step(s), repr(s)


def test_navigation_prefilter():
    rng = random.Random(16)
    pieces = ["首页", "首 页", ">", " > ", "＞", "»", "›", "&gt;", "当前位置", "您的位置：", "政务公开", "法治", " ", "/", "|", "。"]
    for _ in range(3000):
        s = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
        assert looks_like_navigation(s) == bool(_NAVIGATION.search(s)), repr(s)


def test_every_folded_character_is_one_the_quick_test_sees():
    """A paragraph without a character of _MAY_FOLD skips the compatibility fold (and the
    table is not made): every character the table folds must be one it finds."""
    table = N._compat_table()
    assert len(table) > 1000
    missed = [hex(k) for k in table if N._MAY_FOLD.search(chr(k)) is None]
    assert missed == []
    for s in ("执法―公示", "豈有此理", "⼀、总体情况", "﹐", "｡", "法治政府建设"):
        assert N._normalize(s) == _every_step(s)
