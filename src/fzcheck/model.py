"""Plain data objects shared by every layer (read → normalize → outline → match → score → render)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Roles of the parts of a report.
PREAMBLE = "preamble"
ACHIEVEMENTS = "achievements"
FIRST_RESPONSIBLE = "first_responsible"
SHORTCOMINGS = "shortcomings"
NEXT_YEAR = "next_year"
OTHER = "other"
ROLES = (PREAMBLE, ACHIEVEMENTS, FIRST_RESPONSIBLE, SHORTCOMINGS, NEXT_YEAR, OTHER)

# Where a single piece of evidence stands, judged from its part and its sentence.
HIT_DONE = "done"
HIT_PLAN = "plan"
HIT_PROBLEM = "problem"
HIT_NEGATED = "negated"
# A mention that is not the unit's deed in the year; its Evidence.reason says why
# (other_body, other_year, name_only, title, heading_only, lookalike, … as the rule set names them).
HIT_EXCLUDED = "not_counted"
# What a rule that must be absent (kind absence) found, wherever it stands.
HIT_FOUND = "found"
HIT_STATUSES = (HIT_DONE, HIT_PLAN, HIT_PROBLEM, HIT_NEGATED, HIT_EXCLUDED, HIT_FOUND)
# The reasons a mention is not credited that its status already says (WhyNot.reason).
STATUS_REASONS = (HIT_PLAN, HIT_PROBLEM, HIT_NEGATED)

# Item status (per element or per item of a multi-item element).
ITEM_PASS = "pass"
ITEM_PLAN_ONLY = "plan_only"
ITEM_PROBLEM_ONLY = "problem_only"
ITEM_NEGATED = "negated"
ITEM_MISSING = "missing"
ITEM_STATUSES = (ITEM_PASS, ITEM_PLAN_ONLY, ITEM_PROBLEM_ONLY, ITEM_NEGATED, ITEM_MISSING)

# Rule status.
PASS = "pass"
PARTIAL = "partial"
FAIL = "fail"
NOT_APPLICABLE = "not_applicable"
WAIVED = "waived"
RULE_STATUSES = (PASS, PARTIAL, FAIL, NOT_APPLICABLE, WAIVED)


@dataclass
class Paragraph:
    """One paragraph of the input after reading, before normalization.

    ``lines`` maps character offsets in ``text`` to a location in the original:
    a list of (offset, location) pairs sorted by offset, where location is a dict
    such as {"line": 12} or {"page": 2, "line": 5} or {"paragraph": 7}.
    """

    text: str
    locations: list[tuple[int, dict[str, Any]]]
    # After normalization: the paragraph as the reader extracted it (full-width punctuation,
    # traditional characters, Kangxi radicals as written) and, for each character of
    # ``text``, its offset in ``original`` (see original_span). Empty/None before.
    original: str = ""
    src: list[int] | None = None

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of ``original`` that the normalized span [start, end) was made from
        (whatever the normalizer removed inside it included)."""
        if self.src is None or not self.src or not self.original:
            return start, end
        start = max(0, min(start, len(self.src) - 1))
        end = max(start + 1, min(end, len(self.src)))
        a = self.src[start]
        last = self.src[end - 1]
        b = last + 1
        if end - 1 > start and self.src[end - 2] == last:  # the end of a run replaced as a whole
            b = self.src[end] if end < len(self.src) else len(self.original)
        return a, max(b, a + 1)

    def location_at(self, offset: int) -> dict[str, Any]:
        best = self.locations[0][1] if self.locations else {}
        for start, loc in self.locations:
            if start <= offset:
                best = loc
            else:
                break
        return best


@dataclass
class RawDocument:
    path: str
    paragraphs: list[Paragraph]
    kind: str = "text"  # text, markdown, docx, pdf, html
    meta: dict[str, Any] = field(default_factory=dict)
    # Lines the normalizer recognised as page chrome; kept for metadata (dates).
    noise: list[str] = field(default_factory=list)


@dataclass
class Section:
    heading: str
    marker: str
    rank: int
    line: int | None
    depth: int  # 1 = top-level part
    role: str
    parent: "Section | None" = None
    children: list["Section"] = field(default_factory=list)
    combined: bool = False  # names both shortcomings and next year's plan

    def path(self) -> str:
        parts = []
        node: Section | None = self
        while node is not None and node.depth > 0:
            parts.append(short_heading(node.marker + node.heading))
            node = node.parent
        return " > ".join(reversed(parts))


def short_heading(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class Sentence:
    text: str
    para: int  # index into Document.paragraphs
    start: int  # offset of the sentence in its paragraph
    section: Section
    role: str
    is_heading: bool = False


@dataclass
class Document:
    path: str
    paragraphs: list[Paragraph]  # normalized text
    sentences: list[Sentence]
    root: Section
    year: int | None
    year_source: str | None
    published: str | None  # ISO date
    meta: dict[str, Any] = field(default_factory=dict)
    # Page furniture the normalizer set aside (breadcrumbs, index metadata, menus): never
    # evidence, but an element found only there is said to be found only there.
    furniture: list[str] = field(default_factory=list)

    def top_sections(self) -> list[Section]:
        return self.root.children


@dataclass
class Evidence:
    text: str
    match: str
    line: int | None
    section: str
    role: str
    status: str  # one of HIT_STATUSES
    location: dict[str, Any] = field(default_factory=dict)
    pos: tuple[int, int] = (0, 0)  # (paragraph, offset) for ordering
    reason: str = ""  # why a mention does not count (see why_not); empty for done
    # The whole sentence and the matched words in the report's own characters (the span of
    # the text the reader extracted, before normalization): what Ctrl-F finds in the file.
    original: str = ""
    original_match: str = ""

    @property
    def quote(self) -> str:
        """What a report quotes: the original sentence when known, else the normalized text."""
        return self.original or self.text

    @property
    def quote_match(self) -> str:
        return self.original_match if self.original else self.match

    def to_json(self) -> dict[str, Any]:
        out = {
            "text": self.text,
            "match": self.match,
            "line": self.line,
            "section": self.section,
            "role": self.role,
            "status": self.status,
            "location": self.location,
        }
        if self.original:
            out["original"] = self.original
            out["original_match"] = self.original_match
        if self.reason:
            out["reason"] = self.reason
        return out


@dataclass
class WhyNot:
    """Why an element or item was not credited: the closest mention and the reason it did
    not count, or reason "nothing_close" with no evidence when nothing close was found."""
    reason: str
    evidence: Evidence | None = None
    text: dict[str, str] = field(default_factory=dict)  # the reason in words, per language

    def to_json(self, lang: str) -> dict[str, Any]:
        out: dict[str, Any] = {"reason": self.reason, "message": self.text.get(lang) or self.text.get("zh", "")}
        if self.evidence is not None:
            out["evidence"] = self.evidence.to_json()
        return out


@dataclass
class ItemResult:
    id: str
    title: dict[str, str]
    status: str
    evidence: list[Evidence]
    found_in: list[str]
    weight: float = 1.0
    collective: bool = False
    why_not: WhyNot | None = None
    credit: float | None = None  # what the item earned (0..1); a waiver of the item needs it
    waiver: dict[str, Any] | None = None  # the item was set aside by a waiver (reason, expires)

    def to_json(self, lang: str) -> dict[str, Any]:
        out = {
            "id": self.id,
            "title": self.title.get(lang) or self.title.get("zh", self.id),
            "status": self.status,
            "found_in": self.found_in,
            "collective": self.collective,
            "evidence": [e.to_json() for e in self.evidence],
        }
        if self.why_not is not None:
            out["why_not"] = self.why_not.to_json(lang)
        if self.waiver:
            out["waiver"] = self.waiver
        return out


@dataclass
class RuleResult:
    id: str
    title: dict[str, str]
    severity: str
    weight: float
    status: str
    credit: float
    finding: str  # item-level status for single rules; summary for others
    found_in: list[str]
    items: list[ItemResult]
    evidence: list[Evidence]
    message: str
    fix: str
    basis: list[dict[str, str]]
    group: str = "element"
    waiver: dict[str, Any] | None = None
    description: str = ""  # what counts, in the report's language (for the printed reports)
    why_not: WhyNot | None = None  # for a rule that is not pass: the closest mention and why
    part: str | None = None  # the role of the part of a report where the rule's element belongs, if any
    kind: str = "element"  # the rule's kind (element, absence, deadline …): the words of its status

    @property
    def info(self) -> bool:
        """An info rule: shown apart, never weighs in the score, never fails the gate."""
        return self.severity == "info"

    def to_json(self, lang: str) -> dict[str, Any]:
        out = {
            "id": self.id,
            "title": self.title.get(lang) or self.title.get("zh", self.id),
            "title_zh": self.title.get("zh"),
            "title_en": self.title.get("en"),
            "group": self.group,
            "severity": self.severity,
            "weight": self.weight,
            "status": self.status,
            "credit": round(self.credit, 4),
            "finding": self.finding,
            "found_in": self.found_in,
            "items": [i.to_json(lang) for i in self.items],
            "evidence": [e.to_json() for e in self.evidence],
            "message": self.message,
            "fix": self.fix,
            "basis": self.basis,
            "kind": self.kind,
        }
        if self.why_not is not None:
            out["why_not"] = self.why_not.to_json(lang)
        if self.waiver:
            out["waiver"] = self.waiver
        return out


@dataclass
class DocumentResult:
    path: str
    year: int | None
    year_source: str | None
    published: str | None
    score: float
    grade: str
    passed: bool
    threshold: float
    sections: list[dict[str, Any]]
    results: list[RuleResult]
    meta: dict[str, Any] = field(default_factory=dict)
    profile: dict[str, Any] | None = None  # {"name", "title", "source", "reason"} with --profile
    # Not an annual report on rule-of-law government at all (engine/doctype.py):
    # {"kind": "not_a_report", "id", "what", "why"}; such a document is not scored.
    doctype: dict[str, Any] | None = None
    # What a reviewer should know about the file itself (a PDF with struck-through text …):
    # {"id", "message", …the reader's details}; the text was still read.
    warnings: list[dict[str, Any]] = field(default_factory=list)

    @property
    def not_a_report(self) -> bool:
        return bool(self.doctype) and self.doctype.get("kind") == "not_a_report"

    def to_json(self, lang: str) -> dict[str, Any]:
        return {
            "doctype": self.doctype,
            "path": self.path,
            "year": self.year,
            "year_source": self.year_source,
            "published": self.published,
            "score": self.score,
            "grade": self.grade,
            "passed": self.passed,
            "threshold": self.threshold,
            "meta": self.meta,
            "profile": self.profile,
            "sections": self.sections,
            "results": [r.to_json(lang) for r in self.results],
            "warnings": self.warnings,
        }
