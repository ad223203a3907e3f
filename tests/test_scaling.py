"""Work that must not grow faster than the text: counted, not timed (timings live in bench/)."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from fzcheck.engine.check import Options, check_document, from_text
from fzcheck.engine.match import MatchContext

_BODY = "聘请法律顾问审查合同开展执法公示制度落实行政执法全过程记录制度召开座谈会听取意见组织专家论证风险评估集体讨论决定领导小组会议3次"


def _report(repeat: int) -> str:
    return ("某镇2023年法治政府建设年度报告\n一、主要举措和成效\n" + _BODY * repeat
            + "\n二、存在的问题\n不足\n三、2024年工作安排\n继续\n")


def test_one_long_clause_is_searched_once_per_rule(ruleset, monkeypatch):
    """A sentence without full stop or comma is one clause: the lacking and concessive
    patterns look at it once per rule, not once per hit (which made 1 MB take minutes)."""
    calls = {"n": 0}
    real = MatchContext.clause

    def counting(self, i, start, end):
        calls["n"] += 1
        return real(self, i, start, end)

    monkeypatch.setattr(MatchContext, "clause", counting)
    small = check_document(from_text(_report(20), ruleset), ruleset, Options())
    n_small = calls["n"]
    calls["n"] = 0
    big = check_document(from_text(_report(400), ruleset), ruleset, Options())
    assert calls["n"] == n_small  # 20 times the hits, the same clauses
    assert small.score == big.score


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 12)), max_size=12),
       st.tuples(st.integers(0, 30), st.integers(0, 12)))
def test_span_set_answers_like_the_loops(raw, q):
    from fzcheck.engine.match import _overlaps, _Spans, _within

    spans = [(a, a + n) for a, n in raw]
    span = (q[0], q[0] + q[1])
    s = _Spans(spans)
    assert s.overlaps(span) == _overlaps(span, spans)
    assert s.contains(span) == _within(span, spans)


def _crossing_report(repeat: int) -> str:
    """A report whose normative-documents pattern (规范性文件[^。]{0,20}…审核) reaches from a
    heading into the next line, again and again: each match runs across two sentences of the
    joined scan."""
    block = "（六）加强规范性文件管理\n全年制发行政规范性文件{n}件，均经合法性审核并报县政府备案。\n"
    return ("某县司法局2023年法治政府建设年度报告\n一、主要举措和成效\n"
            + "".join(block.format(n=n) for n in range(repeat)) + "二、存在的问题\n不足\n三、2024年工作安排\n继续\n")


def test_matches_across_sentences_do_not_make_the_joined_scan_quadratic(ruleset, monkeypatch):
    """A match of a joined scan that runs across sentences sends them to be scanned alone and
    the scan goes on; restarting it after each one read the rest of the report again (a 2 MB
    report: 67 MB scanned by one pattern). The characters scanned grow with the report, and
    the spans are those of one scan per sentence."""
    from fzcheck.rules.patterns import SafePattern

    scanned = {"n": 0}
    real = SafePattern.finditer

    def counting(self, text, *args, **kw):
        scanned["n"] += len(text) - (args[0] if args else 0)
        return real(self, text, *args, **kw)

    monkeypatch.setattr(SafePattern, "finditer", counting)
    per_char = []
    for repeat in (50, 400):
        doc = from_text(_crossing_report(repeat), ruleset)
        scanned["n"] = 0
        result = check_document(doc, ruleset, Options())
        per_char.append(scanned["n"] / sum(len(s.text) for s in doc.sentences))
        assert next(r for r in result.results if r.id == "normative-documents").status == "pass"
    assert per_char[1] < per_char[0] * 1.5, per_char  # linear: as much work per character
    # the spans of the crossing pattern are exactly those of one scan per sentence
    doc = from_text(_crossing_report(30), ruleset)
    ctx = MatchContext(doc, ruleset)
    rule = next(r for r in ruleset.rules if r.id == "normative-documents")
    pat = rule.evidence[0].any.compiled(doc.year)
    need = list(range(len(doc.sentences)))
    got = ctx.anchor_spans(pat, need)
    assert got == {i: [m.span() for m in pat.compiled.finditer(doc.sentences[i].text)] for i in need}
    assert sum(map(len, got.values())) >= 30
