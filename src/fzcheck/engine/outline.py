"""The parts of a report: headings → section tree → role of every sentence.

Outline markers, from the outermost: 第一部分 > 一、 > （一） > 1. > （1） > ①.
Nesting follows the markers actually used: a report whose outermost marker is
（一） has （一） parts. Repeated or skipped numbers do not matter, since each
marker opens a new section. Markdown ``#`` headings are understood too.
"""
from __future__ import annotations

from typing import Protocol

import regex

from fzcheck import lazyre

from fzcheck.model import (ACHIEVEMENTS, FIRST_RESPONSIBLE, NEXT_YEAR, OTHER, PREAMBLE, SHORTCOMINGS,
                           Paragraph, Section, Sentence, Record)
from fzcheck.zhtext import find_heading

_HEAD_END = lazyre.compile(r"[。!?;]")
_SPLIT = lazyre.compile(r"(?<=[。!?;][\"”’)\]]*)(?![。!?;\"”’)\]])|(?<=,)(?=[二三四五六七八九十]是)")
# The same places, found as the ends of these matches: much quicker than _SPLIT.split, whose
# variable-length look-behind is tried at every position (tests/test_prefilter.py compares them).
_SPLIT_AT = lazyre.compile(r"[。!?;][\"”’)\]]*(?![。!?;\"”’)\]])|,(?=[二三四五六七八九十]是)")
HEADING_MAX = 100


class Heading(Record):
    __slots__ = _fields = ("para", "marker", "rank", "text", "body_start")

    def __init__(self, para: int, marker: str, rank: float, text: str, body_start: int):
        self.para = para
        self.marker = marker
        self.rank = rank
        self.text = text  # heading text without its marker
        self.body_start = body_start  # offset in the paragraph where the body after the heading starts


class RoleClassifier(Protocol):
    def classify_heading(self, text: str, year: int | None) -> str | None: ...
    def classify_subheading(self, text: str, year: int | None) -> str | None: ...
    def starts_next_year(self, text: str, year: int | None) -> bool: ...


def split_heading(text: str, start: int) -> tuple[str, int]:
    """The heading text after the marker, and where the body starts."""
    rest = text[start:]
    m = _HEAD_END.search(rest, 0, HEADING_MAX + 1)
    if m:
        return rest[: m.start()].strip(), start + m.end()
    if len(rest) <= HEADING_MAX:
        return rest.strip(), len(text)
    comma = rest.find(",", 0, 60)
    cut = comma if comma > 0 else 60
    return rest[:cut].strip(), start + cut + (1 if comma > 0 else 0)


def find_headings(paragraphs: list[Paragraph]) -> list[Heading]:
    out = []
    for i, par in enumerate(paragraphs):
        found = find_heading(par.text)
        if not found:
            continue
        marker, rank, end = found
        text, body = split_heading(par.text, end)
        if not text:
            continue
        out.append(Heading(i, marker.strip(), rank, text, body))
    # A single markdown '#' heading before every other heading is the title.
    if out and out[0].marker == "#" and out[0].rank < 0:
        if not any(h.rank < 0 for h in out[1:]):
            out = out[1:]
    return out


def split_sentences(text: str, start: int = 0) -> list[tuple[int, str]]:
    """Split text[start:] into (offset, sentence) pairs, keeping offsets."""
    out = []
    pos = start
    rest = text[start:]
    ends = [m.end() for m in _SPLIT_AT.finditer(rest)]  # where _SPLIT.split(rest) cuts
    for piece in (rest[a:b] for a, b in zip([0, *ends], [*ends, len(rest)])):
        if piece.strip(" ,"):
            lead = len(piece) - len(piece.lstrip(" ,"))
            out.append((pos + lead, piece.strip(" ,")))
        pos += len(piece)
    return out


def build(paragraphs: list[Paragraph], headings: list[Heading], roles: RoleClassifier,
          year: int | None, done_roles: tuple[str, ...]) -> tuple[Section, list[Sentence]]:
    """Build the section tree and the list of sentences, each with its role."""
    root = Section("", "", -10, None, 0, PREAMBLE)
    by_para = {h.para: h for h in headings}

    # Roles of the top-level parts first: thematic headings before the problems
    # part are achievements, unclassified ones after it are "other".
    top_rank = min((h.rank for h in headings), default=None)
    top_roles: dict[int, str | None] = {}
    for h in headings:
        if h.rank == top_rank:
            top_roles[h.para] = roles.classify_heading(h.text, year)
    first_late = min((p for p, r in top_roles.items() if r in (SHORTCOMINGS, NEXT_YEAR, "combined")),
                     default=None)

    sentences: list[Sentence] = []
    stack: list[Section] = [root]
    combined_state: str | None = None  # role inside a part naming both problems and plans
    for i, par in enumerate(paragraphs):
        h = by_para.get(i)
        body_start = 0
        if h is not None:
            while len(stack) > 1 and stack[-1].rank >= h.rank:
                stack.pop()
            parent = stack[-1]
            line = par.location_at(0).get("line")
            if parent is root:
                role = top_roles.get(i)
                if role is None:
                    role = ACHIEVEMENTS if first_late is None or i < first_late else OTHER
                combined = role == "combined"
                if combined:
                    role = SHORTCOMINGS
                combined_state = SHORTCOMINGS if combined else None
                section = Section(h.text, h.marker, h.rank, line, 1, role, root, combined=combined)
            else:
                role = parent.role
                sub = roles.classify_subheading(h.text, year)
                if combined_state is not None:
                    if sub in (SHORTCOMINGS, NEXT_YEAR):
                        combined_state = sub
                    elif roles.starts_next_year(h.text, year):
                        combined_state = NEXT_YEAR
                    role = combined_state
                elif parent.role in done_roles and sub in (SHORTCOMINGS, NEXT_YEAR, FIRST_RESPONSIBLE):
                    role = sub
                section = Section(h.text, h.marker, h.rank, line, parent.depth + 1, role, parent)
            parent.children.append(section)
            stack.append(section)
            sentences.append(Sentence(h.marker + h.text, i, 0, section, section.role, is_heading=True))
            body_start = h.body_start
        current = stack[-1]
        for offset, text in split_sentences(par.text, body_start):
            role = current.role
            if combined_state is not None:
                if combined_state == SHORTCOMINGS and roles.starts_next_year(text, year):
                    combined_state = NEXT_YEAR
                role = combined_state
            sentences.append(Sentence(text, i, offset, current, role))
    return root, sentences


def iter_sections(root: Section):
    for child in root.children:
        yield child
        yield from iter_sections(child)
