"""Plain data objects shared by every layer (read → normalize → outline → match → score → render)."""
from __future__ import annotations

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


# -- plain data classes ----------------------------------------------------------------
# Not dataclasses (issue 16, cold start): ``@dataclass`` builds and ``exec``s the source of
# ``__init__``, ``__repr__`` and ``__eq__`` of every class in every process that imports it
# (0.1–0.4 ms a class; ~25 classes lie on the path of ``fzcheck check``). The classes of
# this module, of fzcheck.rules.model and the others on that path write their ``__init__`` by
# hand and take equality and ``repr`` from :class:`Record`, which works from the class's
# ``_fields``: they behave as the dataclasses they were (same constructor, equal when of the
# same class with equal fields, unhashable, ``Name(field=value, …)`` as repr), with
# ``__slots__``. :func:`replace` and :func:`fields` stand for ``dataclasses.replace`` and
# ``dataclasses.fields`` (names only).


class Record:
    """Base of the plain data classes: ``_fields`` names the fields in order (those of the
    constructor, all of them compared and shown unless named in ``_hidden``)."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()
    _hidden: tuple[str, ...] = ()  # not in repr (as dataclasses' field(repr=False))

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return tuple(getattr(self, f) for f in self._fields) == tuple(getattr(other, f) for f in self._fields)

    __hash__ = None  # type: ignore[assignment]  # mutable and compared by value, as a dataclass

    def __repr__(self) -> str:
        key = id(self)
        if key in _IN_REPR:  # a cycle (a section's parent's children …), as reprlib.recursive_repr
            return "..."
        _IN_REPR.add(key)
        try:
            shown = ", ".join(f"{f}={getattr(self, f)!r}" for f in self._fields if f not in self._hidden)
        finally:
            _IN_REPR.discard(key)
        return f"{self.__class__.__qualname__}({shown})"


_IN_REPR: set[int] = set()


def fields(obj_or_class: Any) -> tuple[str, ...]:
    """The names of the fields of a :class:`Record` (class or instance), in order."""
    return obj_or_class._fields


def replace(obj: Any, **changes: Any) -> Any:
    """A copy of a :class:`Record` with some fields changed (``dataclasses.replace``)."""
    unknown = set(changes) - set(obj._fields)
    if unknown:
        raise TypeError(f"{obj.__class__.__name__} has no field {', '.join(sorted(unknown))}")
    values = {f: getattr(obj, f) for f in obj._fields}
    values.update(changes)
    return obj.__class__(**values)


class Paragraph(Record):
    """One paragraph of the input after reading, before normalization.

    ``lines`` maps character offsets in ``text`` to a location in the original:
    a list of (offset, location) pairs sorted by offset, where location is a dict
    such as {"line": 12} or {"page": 2, "line": 5} or {"paragraph": 7}.
    """

    __slots__ = _fields = ("text", "locations", "original", "src")

    def __init__(self, text: str, locations: list[tuple[int, dict[str, Any]]], original: str = "",
                 src: list[int] | None = None):
        self.text = text
        self.locations = locations
        # After normalization: the paragraph as the reader extracted it (full-width punctuation,
        # traditional characters, Kangxi radicals as written) and, for each character of
        # ``text``, its offset in ``original`` (see original_span). Empty/None before.
        self.original = original
        self.src = src

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


class RawDocument(Record):
    __slots__ = _fields = ("path", "paragraphs", "kind", "meta", "noise")

    def __init__(self, path: str, paragraphs: list[Paragraph], kind: str = "text",
                 meta: dict[str, Any] | None = None, noise: list[str] | None = None):
        self.path = path
        self.paragraphs = paragraphs
        self.kind = kind  # text, markdown, docx, pdf, html
        self.meta = {} if meta is None else meta
        # Lines the normalizer recognised as page chrome; kept for metadata (dates).
        self.noise = [] if noise is None else noise


class Section(Record):
    __slots__ = _fields = ("heading", "marker", "rank", "line", "depth", "role", "parent", "children", "combined")

    def __init__(self, heading: str, marker: str, rank: int, line: int | None, depth: int, role: str,
                 parent: Section | None = None, children: list[Section] | None = None, combined: bool = False):
        self.heading = heading
        self.marker = marker
        self.rank = rank
        self.line = line
        self.depth = depth  # 1 = top-level part
        self.role = role
        self.parent = parent
        self.children = [] if children is None else children
        self.combined = combined  # names both shortcomings and next year's plan

    def path(self) -> str:
        parts = []
        node: Section | None = self
        while node is not None and node.depth > 0:
            parts.append(short_heading(node.marker + node.heading))
            node = node.parent
        return " > ".join(reversed(parts))


def short_heading(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Sentence(Record):
    __slots__ = _fields = ("text", "para", "start", "section", "role", "is_heading")

    def __init__(self, text: str, para: int, start: int, section: Section, role: str, is_heading: bool = False):
        self.text = text
        self.para = para  # index into Document.paragraphs
        self.start = start  # offset of the sentence in its paragraph
        self.section = section
        self.role = role
        self.is_heading = is_heading


class Document(Record):
    __slots__ = _fields = ("path", "paragraphs", "sentences", "root", "year", "year_source", "published", "meta",
                           "furniture")

    def __init__(self, path: str, paragraphs: list[Paragraph], sentences: list[Sentence], root: Section,
                 year: int | None, year_source: str | None, published: str | None,
                 meta: dict[str, Any] | None = None, furniture: list[str] | None = None):
        self.path = path
        self.paragraphs = paragraphs  # normalized text
        self.sentences = sentences
        self.root = root
        self.year = year
        self.year_source = year_source
        self.published = published  # ISO date
        self.meta = {} if meta is None else meta
        # Page furniture the normalizer set aside (breadcrumbs, index metadata, menus): never
        # evidence, but an element found only there is said to be found only there.
        self.furniture = [] if furniture is None else furniture

    def top_sections(self) -> list[Section]:
        return self.root.children


class Evidence(Record):
    __slots__ = _fields = ("text", "match", "line", "section", "role", "status", "location", "pos", "reason",
                           "original", "original_match")

    def __init__(self, text: str, match: str, line: int | None, section: str, role: str, status: str,
                 location: dict[str, Any] | None = None, pos: tuple[int, int] = (0, 0), reason: str = "",
                 original: str = "", original_match: str = ""):
        self.text = text
        self.match = match
        self.line = line
        self.section = section
        self.role = role
        self.status = status  # one of HIT_STATUSES
        self.location = {} if location is None else location
        self.pos = pos  # (paragraph, offset) for ordering
        self.reason = reason  # why a mention does not count (see why_not); empty for done
        # The whole sentence and the matched words in the report's own characters (the span of
        # the text the reader extracted, before normalization): what Ctrl-F finds in the file.
        self.original = original
        self.original_match = original_match

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


class WhyNot(Record):
    """Why an element or item was not credited: the closest mention and the reason it did
    not count, or reason "nothing_close" with no evidence when nothing close was found."""
    __slots__ = _fields = ("reason", "evidence", "text")

    def __init__(self, reason: str, evidence: Evidence | None = None, text: dict[str, str] | None = None):
        self.reason = reason
        self.evidence = evidence
        self.text = {} if text is None else text  # the reason in words, per language

    def to_json(self, lang: str) -> dict[str, Any]:
        out: dict[str, Any] = {"reason": self.reason, "message": self.text.get(lang) or self.text.get("zh", "")}
        if self.evidence is not None:
            out["evidence"] = self.evidence.to_json()
        return out


class ItemResult(Record):
    __slots__ = _fields = ("id", "title", "status", "evidence", "found_in", "weight", "collective", "why_not",
                           "credit", "waiver")

    def __init__(self, id: str, title: dict[str, str], status: str, evidence: list[Evidence], found_in: list[str],
                 weight: float = 1.0, collective: bool = False, why_not: WhyNot | None = None,
                 credit: float | None = None, waiver: dict[str, Any] | None = None):
        self.id = id
        self.title = title
        self.status = status
        self.evidence = evidence
        self.found_in = found_in
        self.weight = weight
        self.collective = collective
        self.why_not = why_not
        self.credit = credit  # what the item earned (0..1); a waiver of the item needs it
        self.waiver = waiver  # the item was set aside by a waiver (reason, expires)

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


class RuleResult(Record):
    __slots__ = _fields = ("id", "title", "severity", "weight", "status", "credit", "finding", "found_in", "items",
                           "evidence", "message", "fix", "basis", "group", "waiver", "description", "why_not",
                           "part", "kind")

    def __init__(self, id: str, title: dict[str, str], severity: str, weight: float, status: str, credit: float,
                 finding: str, found_in: list[str], items: list[ItemResult], evidence: list[Evidence], message: str,
                 fix: str, basis: list[dict[str, str]], group: str = "element", waiver: dict[str, Any] | None = None,
                 description: str = "", why_not: WhyNot | None = None, part: str | None = None,
                 kind: str = "element"):
        self.id = id
        self.title = title
        self.severity = severity
        self.weight = weight
        self.status = status
        self.credit = credit
        self.finding = finding  # item-level status for single rules; summary for others
        self.found_in = found_in
        self.items = items
        self.evidence = evidence
        self.message = message
        self.fix = fix
        self.basis = basis
        self.group = group
        self.waiver = waiver
        self.description = description  # what counts, in the report's language (for the printed reports)
        self.why_not = why_not  # for a rule that is not pass: the closest mention and why
        self.part = part  # the role of the part of a report where the rule's element belongs, if any
        self.kind = kind  # the rule's kind (element, absence, deadline …): the words of its status

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


class DocumentResult(Record):
    __slots__ = _fields = ("path", "year", "year_source", "published", "score", "grade", "passed", "threshold",
                           "sections", "results", "meta", "profile", "doctype", "warnings")

    def __init__(self, path: str, year: int | None, year_source: str | None, published: str | None, score: float,
                 grade: str, passed: bool, threshold: float, sections: list[dict[str, Any]],
                 results: list[RuleResult], meta: dict[str, Any] | None = None,
                 profile: dict[str, Any] | None = None, doctype: dict[str, Any] | None = None,
                 warnings: list[dict[str, Any]] | None = None):
        self.path = path
        self.year = year
        self.year_source = year_source
        self.published = published
        self.score = score
        self.grade = grade
        self.passed = passed
        self.threshold = threshold
        self.sections = sections
        self.results = results
        self.meta = {} if meta is None else meta
        self.profile = profile  # {"name", "title", "source", "reason"} with --profile
        # Not an annual report on rule-of-law government at all (engine/doctype.py):
        # {"kind": "not_a_report", "id", "what", "why"}; such a document is not scored.
        self.doctype = doctype
        # What a reviewer should know about the file itself (a PDF with struck-through text …):
        # {"id", "message", …the reader's details}; the text was still read.
        self.warnings = [] if warnings is None else warnings

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
