"""Facts of written Chinese shared by the readers and the engine: the full-width fold, the
Chinese numerals and the outline markers a heading opens with
(第一部分 > 一、 > （一） > 1. > （1） > ①, and Markdown ``#``)."""
from __future__ import annotations

import regex

from fzcheck import lazyre

# Full-width ASCII block (！ … ～) → ASCII.
FULLWIDTH_ASCII = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
# … and the ideographic space → space.
FULLWIDTH_FOLD = {**FULLWIDTH_ASCII, 0x3000: 0x20}

CN_NUMERALS = "一二三四五六七八九十"  # as outline markers count: 一 … 十
CN_DIGITS = "〇一二三四五六七八九"  # as years and list numbers are written digit by digit

_CN = CN_NUMERALS
_MARKERS: list[tuple[float, regex.Pattern]] = [
    (0, lazyre.compile(r"第[%s]{1,3}(?:部分|章|篇)[、.,:\s]*" % _CN)),
    (1, lazyre.compile(r"[%s]{1,3}\s*[、.,:]\s*" % _CN)),
    (2, lazyre.compile(r"(?:\(\s*[%s?]{1,3}\s*\)|[㈠-㈩])[、.,\s]*" % _CN)),
    (3, lazyre.compile(r"\d{1,2}\s*[、.](?![\d.])\s*")),
    (4, lazyre.compile(r"(?:\(\s*\d{1,2}\s*\)|[⑴-⒇])[、.,\s]*")),
    (5, lazyre.compile(r"[①-⑳]\s*")),
]
_MD = lazyre.compile(r"(#{1,6})\s+")


def find_heading(text: str) -> tuple[str, float, int] | None:
    """Return (marker, rank, end of marker) when a paragraph opens with an outline marker."""
    first = text[:1]
    if "\u4e00" <= first <= "\u9fff" and first != "第" and first not in _CN:
        return None  # a CJK ideograph (never a digit, in any Unicode version) opens no marker
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


# -- short names of reporting units (the printed batch matrix) --------------------------------
_UNIT_BODY = lazyre.compile(r"人民政府")
_UNIT_SUFFIX = lazyre.compile(r"(办事处|党委|委员会)$")
_UNIT_LEVEL = lazyre.compile(r"^.*?(?:省|自治区|市|州|盟|地区|县|区|旗)(?=.{2,})")
_TITLE_LEAD = lazyre.compile(r"^(关于)?(报送|印发)?(\d{4}年度?)?")
_TITLE_UNIT = lazyre.compile(r"^([^\d年]{1,12}?(?:镇|乡|街道|县|区|市|局|委|办))")


def unit_from_title(title: str) -> str:
    """The reporting unit a title opens with (虹桥街道 in 2021年虹桥街道法治政府建设工作), or ""."""
    m = _TITLE_UNIT.match(_TITLE_LEAD.sub("", title or "", count=1))
    return m.group(1) if m else ""


def short_unit_name(unit: str, limit: int = 6) -> str:
    """A reporting unit in a few characters: 洼兴镇 for 巴彦县洼兴镇, 昭化镇 for
    广元市昭化区昭化镇人民政府, 广安门内街道 for 北京市西城区人民政府广安门内街道办事处."""
    short = _UNIT_SUFFIX.sub("", _UNIT_BODY.sub("", unit)) or unit
    while len(short) > limit:
        cut = _UNIT_LEVEL.sub("", short, count=1)
        if cut == short or len(cut) < 2:
            break
        short = cut
    return short
