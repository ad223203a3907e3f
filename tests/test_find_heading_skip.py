"""find_heading answers at once for a text that opens with a CJK ideograph other than 第 and
the numerals: the same answer as trying every marker pattern."""
from __future__ import annotations

from fzcheck import zhtext as Z


def _every_pattern(text: str):
    md = Z._MD.match(text)
    if md:
        return "md"
    for rank, pat in Z._MARKERS:
        m = pat.match(text)
        if m and m.end() < len(text):
            return m.group(0), rank, m.end()
    return None


def test_an_ideograph_first_opens_a_marker_only_as_the_patterns_say():
    for cp in range(0x4E00, 0xA000):
        for tail in ("、法治", " 法治", "部分 法治", "是加强", ")、x"):
            text = chr(cp) + tail
            want = _every_pattern(text)
            got = Z.find_heading(text)
            assert got == want, (hex(cp), text, got, want)
