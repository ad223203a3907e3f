"""Profiles: which kind of reporting unit wrote a report (township, county, department).

A profile is a set of overrides in the rule set (``profiles:``). ``--profile NAME`` applies
one to every report; ``--profile auto`` decides per report from its title and opening text
with the rule set's ``profile_detection`` patterns (data, not code): the earliest match in
the title wins, else the earliest in the opening text, else in the first lines of the body.
Spans matched by ``profile_detection.ignore`` (superiors: 在县委、县政府的领导下) and quoted
titles 《…》 never decide. Nothing found: the base rules, and the result says so.
"""
from __future__ import annotations

from typing import Any

import regex

from fzcheck import lazyre

from fzcheck.i18n import LANGS, pick, t
from fzcheck.model import Document
from fzcheck.model import Record
from fzcheck.rules.model import RuleSet
from fzcheck.rules.patterns import compile_pattern

AUTO = "auto"
_QUOTED = lazyre.compile(r"《[^《》]{0,80}》")


def _words(key: str, **kwargs: object) -> dict[str, str]:
    """A message in every language (a profile choice is reported in the report's language)."""
    return {lang: t(key, lang, **kwargs) for lang in LANGS}


class ProfileChoice(Record):
    __slots__ = _fields = ("name", "source", "reason", "title")

    def __init__(self, name: str | None, source: str, reason: dict[str, str], title: dict[str, str]):
        self.name = name  # None: the base rules
        self.source = source  # "auto", "command line", "config <file>" (machine words, not translated)
        self.reason = reason
        self.title = title

    def to_json(self, lang: str) -> dict[str, Any]:
        return {"name": self.name, "title": pick(self.title, lang), "source": self.source,
                "reason": pick(self.reason, lang)}


def front_texts(doc: Document) -> list[tuple[str, str]]:
    """(where, text) to look at, in order: title lines, opening text, start of the body."""
    first = len(doc.paragraphs)
    for s in doc.sentences:
        if s.is_heading and s.section.depth == 1:
            first = s.para
            break
    titles, opening = [], []
    for par in doc.paragraphs[: min(first, 8)]:
        text = par.text.strip()
        if not text:
            continue
        if text.endswith((":", "：")) and len(text) <= 30:
            continue  # the addressee (区人民政府：) is not the reporting unit
        if len(text) <= 80 and not any(c in text for c in "。，,;；：:"):
            titles.append(text)
        elif len(opening) < 2:
            opening.append(text)
    body = " ".join(p.text.strip() for p in doc.paragraphs[first: first + 3])
    out = []
    if titles:
        out.append(("title", "\n".join(titles)))
    if opening:
        out.append(("preamble", "\n".join(opening)[:400]))
    if body:
        out.append(("body", body[:300]))
    return out


def _masked(text: str, ignore: list[str]) -> list[tuple[int, int]]:
    spans = [m.span() for m in _QUOTED.finditer(text)]
    for p in ignore:
        spans.extend(m.span() for m in compile_pattern(p, None, "profile_detection.ignore").finditer(text))
    return spans


def detect(doc: Document, ruleset: RuleSet) -> tuple[str | None, dict[str, str]]:
    """The profile a report's own words point to, and why (zh/en)."""
    detection = ruleset.raw.get("profile_detection") or {}
    patterns: dict[str, list[str]] = detection.get("patterns") or {}
    ignore = list(detection.get("ignore") or [])
    for where, text in front_texts(doc):
        masked = _masked(text, ignore)
        best: tuple[int, int, int, str, Any] | None = None
        for order, (name, pats) in enumerate(patterns.items()):
            for p in pats:
                for m in compile_pattern(p, doc.year, f"profile_detection.patterns.{name}").finditer(text):
                    a, b = m.span()
                    if a == b or any(x < b and a < y for x, y in masked):
                        continue
                    key = (a, -(b - a), order, name, m)
                    if best is None or key[:3] < best[:3]:
                        best = key
                    break  # the first unmasked match of a pattern is its earliest
        if best is not None:
            a, _, _, name, m = best
            left = a
            while left > 0 and a - left < 12 and (regex.match(r"[\p{Han}A-Za-z]", text[left - 1])):
                left -= 1  # the unit's name before the matched word: 巴彦县洼兴镇
            snippet = text[left: m.end()]
            return name, {lang: t("profile.auto_found", lang, where=t("profile.where." + where, lang), snippet=snippet)
                          for lang in LANGS}
    return None, _words("profile.auto_none")


def choose(doc: Document, ruleset: RuleSet, requested: str | None,
           source: str = "command line") -> tuple[RuleSet, ProfileChoice | None]:
    """The rule set to check ``doc`` with, and the profile choice to report."""
    if not requested:
        return ruleset, None
    if requested == AUTO:
        name, reason = detect(doc, ruleset)
        how = AUTO if source == "command line" else f"{AUTO} ({source})"
    else:
        name = requested
        if source == "command line":
            reason = _words("profile.given_cli", name=requested)
        else:  # "config <file>"
            reason = _words("profile.given_config", name=requested, file=source.removeprefix("config "))
        how = source
    if name is None:
        return ruleset, ProfileChoice(None, how, reason, _words("profile.base"))
    title = {lang: ruleset.profile_title(name, lang) for lang in LANGS}
    return ruleset.with_profile(name), ProfileChoice(name, how, reason, title)


def check_requested(ruleset: RuleSet, requested: str | None) -> None:
    """Fail early (one line, exit 2) for a profile the rule set does not define."""
    if requested and requested != AUTO:
        ruleset.with_profile(requested)
