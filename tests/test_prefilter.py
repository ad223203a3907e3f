"""The keyword prefilter never skips a sentence a pattern could match."""
from __future__ import annotations

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from fzcheck.engine.check import Options, check_document, from_text
from fzcheck.engine.match import MatchContext
from fzcheck.engine.outline import split_sentences
from fzcheck.perf.prefilter import TextIndex, required_literals
from fzcheck.rules.patterns import prep_pattern
from fzcheck.rules.validate import iter_patterns

from .conftest import SAMPLE, SEEDS


@pytest.mark.parametrize("pattern, expected", [
    ("法律顾问|公职律师", {"法律顾问", "公职律师"}),
    ("专家[^。，]{0,8}论证", {"专家"}),
    ("(稳定|决策)?风险评估|稳评", {"稳定风险评估", "决策风险评估", "风险评估", "稳评"}),
    (r"\d+(余|多)?(件|次)", {"件", "次", "余件", "余次", "多件", "多次"}),
    ("[村社]法律顾问", {"村法律顾问", "社法律顾问"}),
    ("(?<![村])法律顾问(?=制度)", {"法律顾问"}),
    (r"12[.·]4", {"12.4", "12·4"}),
    ("a{2}b", {"aab"}),
    ("(?:ab)+c", {"ab"}),
    (r"\(一\)", {"(一)"}),
    # nothing required, or not understood: no filter
    ("x*", None), ("a?", None), ("^$", None), ("a|.", None), (r"\d+", None),
    ("(?i)abc", None), ("(?i:abc)", None), (r"(a)\1", None), ("(?:abc){e<=1}", None),
    (r"\p{Han}+", None), ("[^。]{2}", None), ("[a-z]x", {"x"}), ("(?P<n>ab)(?P=n)", None),
    ("a{", None), ("(ab", None), ("ab)", None), ("[ab", None),
])
def test_required_literals(pattern, expected):
    got = required_literals(pattern)
    assert (None if got is None else set(got)) == expected


def _rule_patterns(ruleset):
    raw = ruleset.raw
    for rule in raw.get("rules", []):
        for _, p in iter_patterns(rule):
            yield p
    for group in ("headings", "subheadings"):
        for pats in (raw.get("roles", {}).get(group) or {}).values():
            yield from pats
    for key in ("plan", "lacking", "concessive"):
        yield from (raw.get("context") or {}).get(key, [])


def _texts():
    from fzcheck.engine.normalize import normalize_text

    files = [SAMPLE, *sorted(SEEDS.glob("*.txt"))] if SEEDS.is_dir() else [SAMPLE]
    out = []
    for f in files:
        for line in f.read_text(encoding="utf-8").splitlines():
            text = normalize_text(line)
            out.append(text)
            out.extend(s for _, s in split_sentences(text))
    return out


def test_every_rule_pattern_is_sound_on_real_text(ruleset):
    texts = _texts()
    for src in set(_rule_patterns(ruleset)):
        for year in (2019, 2023, None):
            prepared = prep_pattern(src, year)
            req = required_literals(prepared)
            if req is None:
                continue
            pat = regex.compile(prepared)
            for t in texts:
                if pat.search(t):
                    assert any(lit in t for lit in req), (src, t)


ALPHABET = "法律顾问专家论证稳定风险评估集体讨论abx12.·()（）。，[]|?*+"
TRICKY = ["法律顾问|公职律师", "专家[^。，]{0,8}论证", "(稳定|决策)?风险评估", r"\d+(余|多)?(件|次)", "a{2}b",
          "(?<!x)法律(?=顾问)", "(?:ab)+c", "[ab]x?论证", "(集体(讨论|研究)|专家)+评估", r"12[.·]4",
          "(法律|专家)?(顾问|论证)", "x{1,3}(a|b){2}", "((a|b)(1|2)){2}"]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=24))
def test_sound_on_random_text(text):
    for src in TRICKY:
        req = required_literals(src)
        if req is not None and regex.search(src, text):
            assert any(lit in text for lit in req), (src, text, req)


def test_text_index_finds_every_sentence_with_a_literal():
    sentences = ["法律顾问审查", "没有", "聘请法律顾问和公职律师", "", "律师"]
    idx = TextIndex(sentences)
    assert idx.sentences_with(frozenset({"法律顾问"})) == [0, 2]
    assert idx.sentences_with(frozenset({"律师", "没有"})) == [1, 2, 4]
    assert idx.sentences_with(frozenset({"不存在"})) == []


def test_results_are_the_same_without_the_prefilter(ruleset, monkeypatch):
    files = [SAMPLE, *sorted(SEEDS.glob("*.txt"))] if SEEDS.is_dir() else [SAMPLE]
    texts = [f.read_text(encoding="utf-8") for f in files]
    sample = texts[0]
    texts += [sample.replace("2023", "2019").replace("2024", "2020"),  # anachronisms, future years
              sample.replace("2023", "2019") + "\n2031年要实现目标。2035年基本建成。\n",
              sample.replace("2023", "2018").replace("（一）", "").replace("。", "")]
    docs = [from_text(t, ruleset, f"r{n}.txt") for n, t in enumerate(texts)]
    with_filter = [check_document(d, ruleset, Options()).to_json("zh") for d in docs]
    monkeypatch.setattr(MatchContext, "candidates", lambda self, group: None)
    monkeypatch.setattr(MatchContext, "candidates_of", lambda self, pattern: None)
    docs = [from_text(t, ruleset, f"r{n}.txt") for n, t in enumerate(texts)]
    without = [check_document(d, ruleset, Options()).to_json("zh") for d in docs]
    assert with_filter == without
    years = [r for d in with_filter for r in d["results"] if r["id"] == "year-consistency"]
    assert any(r["status"] == "fail" for r in years)  # the traps were sprung


def test_fold_width_is_translate():
    from fzcheck.engine import normalize as N

    assert all(v < 0x80 for v in N._WIDTH.values()) and all(k >= 0x80 for k in N._WIDTH)
    every = "".join(map(chr, N._WIDTH)) + "中文ａｂｃ，。（一）\u3000x"
    assert N._fold_width(every) == every.translate(N._WIDTH)
    for line in SAMPLE.read_text(encoding="utf-8").splitlines():
        assert N._fold_width(line) == line.translate(N._WIDTH)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet='。!?;"”’)],二三是 a一', max_size=16), st.integers(min_value=0, max_value=3))
def test_sentence_split_is_the_look_behind_split(text, start):
    from fzcheck.engine import outline

    def reference(text, start):
        out, pos = [], start
        for piece in outline._SPLIT.split(text[start:]):
            if piece.strip(" ,"):
                out.append((pos + len(piece) - len(piece.lstrip(" ,")), piece.strip(" ,")))
            pos += len(piece)
        return out

    assert outline.split_sentences(text, start) == reference(text, start)
    for line in SAMPLE.read_text(encoding="utf-8").splitlines():
        assert outline.split_sentences(line) == reference(line, 0)


def test_noise_search_is_any_noise_pattern():
    from fzcheck.engine import normalize as N

    noise, _ = N._patterns()
    lines = ["分享到：微信 微博", "关闭窗口", "Produced By CMS", "主办单位：某某", "网站标识码123", "ICP备12345号",
             "来源：县政府", "发布时间: 2024-03-08", "【 打印 】", "首页 > 政务公开", "正文内容分享到", "x"]
    files = [SAMPLE, *sorted(SEEDS.glob("*.txt"))] if SEEDS.is_dir() else [SAMPLE]
    for f in files:
        lines.extend(N.normalize_text(line) for line in f.read_text(encoding="utf-8").splitlines())
    for line in lines:
        assert N.is_noise(line) == any(p.search(line) for p in noise), line


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="法律顾问专家ab.|*(\n", max_size=8), max_size=8),
       st.frozensets(st.text(alphabet="法律顾问专家ab.|*(", min_size=1, max_size=3), min_size=1, max_size=9))
def test_text_index_one_scan_or_many_finds_agree(sentences, literals):
    expected = [i for i, s in enumerate(sentences) if any(lit in s for lit in literals)]
    got = TextIndex(sentences).sentences_with(literals)
    assert set(expected) <= set(got)  # a literal across the joining newline may add one
    if not any("\n" in s for s in sentences):
        assert got == expected or all(
            any(lit in (sentences[i] + "\n" + (sentences[i + 1] if i + 1 < len(sentences) else "")) for lit in literals)
            for i in set(got) - set(expected))


def test_escapes_in_sets():
    assert set(required_literals(r"[ \t]+")) == {" ", "\t"}
    assert set(required_literals(r"[ \t\r\f\v]{2,}")) == {" ", "\t", "\r", "\f", "\v"}
    assert required_literals(r"[\d]") is None

