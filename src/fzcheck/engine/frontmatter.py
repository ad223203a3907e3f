"""What a report says about itself: the year it reports on, its publication date, its own
title and the unit (government, town, bureau) that wrote it (the last two best-effort, for
the printed gap reports; each may be None)."""
from __future__ import annotations

import functools

import datetime as dt

import regex

from fzcheck import lazyre

from fzcheck.model import Paragraph
from fzcheck.engine.outline import Heading

_YEAR = lazyre.compile(r"((?:19|20)\d{2}|[二][〇零O][〇零O一二三四五六七八九]{2})\s*年度?")
_PLACEHOLDER_YEAR = lazyre.compile(r"(?<![A-Za-z])[xX×*]{2,4}\s*年")
_OPENING_YEAR = lazyre.compile(r"^[^。]{0,30}?((?:19|20)\d{2})\s*年(?:度|以来|,|我|全|是|,|初)")
_HEADING_DONE = lazyre.compile(r"((?:19|20)\d{2})\s*年度?[^。]{0,30}(举措|成效|工作情况|开展情况|总结|主要工作|推进情况)")
_HEADING_PLAN = lazyre.compile(r"((?:19|20)\d{2})\s*年度?[^。]{0,30}(安排|打算|计划|思路|要点|举措)")
_DATE = r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})"
_LABELLED_DATE = lazyre.compile(r"(发布时间|发布日期|发文日期|成文日期|印发日期|公开日期|日期|时间)\s*:?\s*" + _DATE)
_ANY_DATE = lazyre.compile(_DATE)
_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_CN_DIGIT["零"] = 0
_CN_DIGIT["O"] = 0
_CN_DATE = lazyre.compile(r"^([〇零O一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日$")
_SIGNATURE_DATE = lazyre.compile(r"^" + _DATE + r"日?$")


def _cn_number(text: str) -> int:
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGIT.get(tens, 1) if tens else 1) * 10 + (_CN_DIGIT.get(ones, 0) if ones else 0)
    return _CN_DIGIT.get(text, 0)


def _year_value(text: str) -> int:
    if text.isdigit():
        return int(text)
    return int("".join(str(_CN_DIGIT[c]) for c in text))


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def detect_year(paragraphs: list[Paragraph], headings: list[Heading],
                published: str | None) -> tuple[int | None, str | None]:
    """The year a report is about, and where it was read: title, opening, heading, published."""
    first_heading = headings[0].para if headings else len(paragraphs)
    front = paragraphs[: min(first_heading, 8)]
    for par in front[:6]:
        if len(par.text) <= 80:
            if _PLACEHOLDER_YEAR.search(par.text):
                return None, "placeholder"
            m = _YEAR.search(par.text)
            if m:
                return _year_value(m.group(1)), "title"
    for par in front[:4]:
        if _PLACEHOLDER_YEAR.match(par.text):
            return None, "placeholder"
        m = _OPENING_YEAR.search(par.text)
        if m:
            return int(m.group(1)), "opening"
    for h in headings:
        m = _HEADING_DONE.search(h.text)
        if m:
            return int(m.group(1)), "heading"
    for h in headings:
        m = _HEADING_PLAN.search(h.text)
        if m:
            return int(m.group(1)) - 1, "plan-heading"
    if published:
        return int(published[:4]) - 1, "published"
    return None, None


def detect_published(noise: list[str], paragraphs: list[Paragraph]) -> tuple[str | None, str | None]:
    """The publication date the page or document shows, and its source."""
    for line in noise:
        m = _LABELLED_DATE.search(line)
        if m:
            iso = _iso(int(m.group(2)), int(m.group(3)), int(m.group(4)))
            if iso:
                return iso, "page"
    for line in noise:
        m = _ANY_DATE.search(line)
        if m:
            iso = _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            if iso:
                return iso, "page"
    for par in paragraphs[-4:][::-1]:
        text = par.text.strip()
        if len(text) > 24:
            continue
        m = _SIGNATURE_DATE.match(text)
        if m:
            iso = _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            if iso:
                return iso, "signature"
        m = _CN_DATE.match(text)
        if m:
            year = int("".join(str(_CN_DIGIT[c]) for c in m.group(1)))
            iso = _iso(year, _cn_number(m.group(2)), _cn_number(m.group(3)))
            if iso:
                return iso, "signature"
    return None, None


# ---------------------------------------------------------------------------- title and unit
_UNIT_END = r"(?:人民政府|政府|办事处|委员会|管委会|管理委员会|局|厅|办公室|镇|乡|街道|县|区|市|旗|州|盟)"
_UNIT_LINE = lazyre.compile(r"^[\p{Han}()（）]{2,30}" + _UNIT_END + r"$")
_TITLE_WORDS = lazyre.compile(r"法治|依法行政|报告|情况|总结")
_TITLE_PREFIX = lazyre.compile(r"^([\p{Han}()（）]{2,30}?" + _UNIT_END + r")(?=(?:19|20)\d{2}|关于)")
_SOURCE = lazyre.compile(r"来源\s*[:：]\s*([\p{Han}()（）]{2,30}?" + _UNIT_END + r")(?=\s|时间|发布|日期|作者|$)")
_NOT_TITLE_END = ("：", ":", "。")
# Page navigation: a breadcrumb (首页 > 政务公开 > …, 您当前的位置：…) is never the title.
_NAVIGATION = lazyre.compile(r"当前位置|您的位置|所在位置|当前页面|^\s*首\s*页\s*(?:[>＞»›/|｜\-—]|$)"
                             r"|\S\s*(?:[>＞»›]|&gt;)\s*\S")


def looks_like_navigation(text: str) -> bool:
    """A line of page navigation (a breadcrumb), never a title."""
    # every match holds one of its literals (the search tries \S\s*… at every position)
    req = _navigation_literals()
    if req is not None and not any(lit in text for lit in req):
        return False
    return bool(_NAVIGATION.search(text))


@functools.lru_cache(maxsize=1)
def _navigation_literals() -> tuple[str, ...] | None:
    """The keyword prefilter's literals of _NAVIGATION (kept between runs)."""
    from fzcheck.perf.cache import literals
    from fzcheck.perf.prefilter import required_literals

    req = literals(_NAVIGATION.pattern, required_literals)
    return None if req is None else tuple(sorted(req))


def _title(paragraphs: list[Paragraph], first_heading: int) -> tuple[str | None, int | None]:
    front = paragraphs[: min(first_heading, 6)]
    for i, par in enumerate(front):
        text = par.text.strip()
        if not text or len(text) > 60 or "。" in text or text.endswith(_NOT_TITLE_END):
            continue
        if not _TITLE_WORDS.search(text) or _UNIT_LINE.match(text) or looks_like_navigation(text):
            continue
        # A title broken over lines: “关于报送…情况的” + “报告”.
        j = i + 1
        while j < len(front) and len(text) < 60:
            nxt = front[j].text.strip()
            if nxt and (text.endswith(("的", "和", "与")) or len(nxt) <= 4) and not nxt.endswith(_NOT_TITLE_END) \
                    and not looks_like_navigation(nxt):
                text += nxt
                j += 1
            else:
                break
        return text, i
    return None, None


def describe(paragraphs: list[Paragraph], noise: list[str], first_heading: int | None = None) -> dict[str, str]:
    """{"title": …, "unit": …} for what can be found in the front matter."""
    first = first_heading if first_heading is not None else len(paragraphs)
    out: dict[str, str] = {}
    title, at = _title(paragraphs, first)
    if title:
        out["title"] = title
    unit = None
    for par in paragraphs[: min(first, at if at is not None else 3, 6)]:
        if _UNIT_LINE.match(par.text.strip()):
            unit = par.text.strip()
            break
    if unit is None and title:
        m = _TITLE_PREFIX.match(title)
        if m and not m.group(1).startswith("关于"):
            unit = m.group(1)
    if unit is None:
        for line in noise:
            m = _SOURCE.search(line)
            if m:
                unit = m.group(1)
                break
    if unit:
        out["unit"] = unit
    return out
