"""Facts of written Chinese shared by the readers and the engine: the full-width fold, the
Chinese numerals and the outline markers a heading opens with
(第一部分 > 一、 > （一） > 1. > （1） > ①, and Markdown ``#``)."""
from __future__ import annotations

import regex

# Full-width ASCII block (！ … ～) → ASCII.
FULLWIDTH_ASCII = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
# … and the ideographic space → space.
FULLWIDTH_FOLD = {**FULLWIDTH_ASCII, 0x3000: 0x20}

CN_NUMERALS = "一二三四五六七八九十"  # as outline markers count: 一 … 十
CN_DIGITS = "〇一二三四五六七八九"  # as years and list numbers are written digit by digit

_CN = CN_NUMERALS
_MARKERS: list[tuple[float, regex.Pattern]] = [
    (0, regex.compile(r"第[%s]{1,3}(?:部分|章|篇)[、.,:\s]*" % _CN)),
    (1, regex.compile(r"[%s]{1,3}\s*[、.,:]\s*" % _CN)),
    (2, regex.compile(r"(?:\(\s*[%s?]{1,3}\s*\)|[㈠-㈩])[、.,\s]*" % _CN)),
    (3, regex.compile(r"\d{1,2}\s*[、.](?![\d.])\s*")),
    (4, regex.compile(r"(?:\(\s*\d{1,2}\s*\)|[⑴-⒇])[、.,\s]*")),
    (5, regex.compile(r"[①-⑳]\s*")),
]
_MD = regex.compile(r"(#{1,6})\s+")


def find_heading(text: str) -> tuple[str, float, int] | None:
    """Return (marker, rank, end of marker) when a paragraph opens with an outline marker."""
    md = _MD.match(text)
    if md:
        inner = find_heading(text[md.end():])
        if inner:
            marker, rank, end = inner
            return md.group(0) + marker, rank, md.end() + end
        return md.group(0), len(md.group(1)) - 1.5, md.end()
    for rank, pat in _MARKERS:
        m = pat.match(text)
        if m and m.end() < len(text):
            return m.group(0), rank, m.end()
    return None


def opening_marker(text: str) -> tuple[str, float, int] | None:
    """find_heading() of a line as a reader sees it: before normalization (leading spaces,
    full-width forms)."""
    return find_heading(text.lstrip(" \t\u3000").translate(FULLWIDTH_FOLD))
