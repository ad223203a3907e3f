"""What a report calls itself: its title and the unit (government, town, bureau) that wrote it.

Used by the printed gap reports; both are best-effort and may be None.
"""
from __future__ import annotations

import regex

from fzcheck.model import Paragraph

_UNIT_END = r"(?:人民政府|政府|办事处|委员会|管委会|管理委员会|局|厅|办公室|镇|乡|街道|县|区|市|旗|州|盟)"
_UNIT_LINE = regex.compile(r"^[\p{Han}()（）]{2,30}" + _UNIT_END + r"$")
_TITLE_WORDS = regex.compile(r"法治|依法行政|报告|情况|总结")
_TITLE_PREFIX = regex.compile(r"^([\p{Han}()（）]{2,30}?" + _UNIT_END + r")(?=(?:19|20)\d{2}|关于)")
_SOURCE = regex.compile(r"来源\s*[:：]\s*([\p{Han}()（）]{2,30}?" + _UNIT_END + r")(?=\s|时间|发布|日期|作者|$)")
_NOT_TITLE_END = ("：", ":", "。")


def _title(paragraphs: list[Paragraph], first_heading: int) -> tuple[str | None, int | None]:
    front = paragraphs[: min(first_heading, 6)]
    for i, par in enumerate(front):
        text = par.text.strip()
        if not text or len(text) > 60 or "。" in text or text.endswith(_NOT_TITLE_END):
            continue
        if not _TITLE_WORDS.search(text) or _UNIT_LINE.match(text):
            continue
        # A title broken over lines: “关于报送…情况的” + “报告”.
        j = i + 1
        while j < len(front) and len(text) < 60:
            nxt = front[j].text.strip()
            if nxt and (text.endswith(("的", "和", "与")) or len(nxt) <= 4) and not nxt.endswith(_NOT_TITLE_END):
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
