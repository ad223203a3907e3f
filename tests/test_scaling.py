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
