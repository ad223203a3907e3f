"""Property-based tests: for any text the normalizer, the outline parser and the matcher never
raise, every location maps back inside the original, and normalizing twice changes nothing."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fzcheck.engine.check import Options, check_document, from_text
from fzcheck.engine.normalize import _normalize, normalize_text

# Pieces that exercise the interesting paths: outline markers, roles, element words,
# full-width forms, traditional characters, pinyin glosses, mojibake, chrome, markers.
PIECES = [
    "一、", "二、", "（一）", "(二)", "1.", "（1）", "①", "第一部分", "一是", "二是", "# ", "## ",
    "主要举措和成效", "存在的问题", "不足和原因", "下一步", "2024年工作安排", "第一责任人", "主要负责人",
    "法律顾问", "村（社区）法律顾问", "领导小组", "扫黑除恶领导小组", "公众参与", "专家论证", "风险评估",
    "合法性审查", "集体讨论决定", "五大程序", "三项制度", "执法公示", "全过程记录", "法制审核", "述法",
    "习近平法治思想", "行政复议", "规范性文件", "政务公开", "普法", "学法", "尚未", "没有", "不够", "将进一步",
    "虽然", "但", "《", "》", "“", "”", "。", "，", ",", "；", ";", "：", "！", "？", "、", " ", "　", "\t",
    "２０２３年", "2023年", "xxxx年", "xx件", "12件", "30%", "執(zhí)法", "鄉(xiāng)", "縣政府", "。ㄒ唬┘",
    "[bookmark: _GoBack]", "分享到", "发布时间：2024-03-01", "\u200b", "\ufeff", "a", "Z", "(", ")", "…",
]
texts = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=3), st.just("\n")), max_size=60).map("".join)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(texts)
def test_normalize_is_idempotent_and_maps_inside(s):
    text, src = _normalize(s)
    assert len(text) == len(src)
    assert all(0 <= i < len(s) for i in src)
    assert src == sorted(src)
    assert normalize_text(text) == text


@SETTINGS
@given(texts)
def test_outline_and_matcher_never_raise_and_evidence_maps_into_the_input(ruleset, s):
    n_lines = len(s.splitlines())
    try:
        doc = from_text(s, ruleset)
    except Exception as exc:  # an input error is fine only for text with nothing in it
        from fzcheck.errors import InputError

        assert isinstance(exc, InputError)
        return
    for sent in doc.sentences:
        assert 0 <= sent.para < len(doc.paragraphs)
        assert 0 <= sent.start <= len(doc.paragraphs[sent.para].text)
    result = check_document(doc, ruleset, Options())
    assert 0 <= result.score <= 100
    for r in result.results:
        for ev in r.evidence + [e for i in r.items for e in i.evidence]:
            if ev.line is not None:
                assert 1 <= ev.line <= n_lines


@SETTINGS
@given(st.text(max_size=200))
def test_any_unicode_text_normalizes(s):
    text, src = _normalize(s)
    assert len(text) == len(src)
    assert normalize_text(text) == text
