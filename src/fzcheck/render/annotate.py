"""The reviewer's marked-up copy: the report as a Word document, every finding a comment
on the sentence or heading it concerns (``fzcheck annotate``).

What the reviewer gets, in the chosen language, authored "fzcheck" (or ``author``):

* on the title: score, grade, the gate and the required elements that are missing;
* on each sentence that earns an element: "✔ 法律顾问：已落实";
* on each mention that does not count: why (只是计划 / 只在问题部分 / 表述为缺失 …, or the
  rule result's own reason when it gives one) and the fix hint;
* on the heading of the part where a missing element belongs (the rule's ``counts_in``
  part, the achievements part by default; the title when the report has no such part):
  the requirement, the fix hint and the legal basis.

A .docx comes back unchanged apart from the comments (runs are split at sentence
boundaries, formatting cloned); any other input becomes a clean .docx built from the text
fzcheck read, headings as Word headings. fzcheck's earlier comments (same author) are
replaced, never duplicated.

Programmatic use (``fzcheck serve`` offers the copy as a download)::

    annotate_to_bytes(path, ruleset=None, options=None, *, author="fzcheck") -> bytes
    annotate(path, ruleset=None, options=None, *, author="fzcheck") -> Annotated
        # Annotated(data: bytes, result: DocumentResult, comments: int)

``ruleset`` is a loaded RuleSet (default: the shipped one), ``options`` a
:class:`fzcheck.engine.check.Options` (lang, profile, waivers, max_bytes, fail_under).
Errors: :class:`fzcheck.errors.InputError` for a report that cannot be read,
:class:`MissingExtra` when python-docx ≥ 1.2 is not installed (``pip install "fzcheck[annotate]"``).
The input file is only read.
"""
from __future__ import annotations

import io
import os
from dataclasses import dataclass, field
from typing import Any

from fzcheck.errors import FzError, InputError
from fzcheck.i18n import pick, t
from fzcheck.render.common import basis_text, doctype_line, look
from fzcheck.model import (ACHIEVEMENTS, FAIL, HIT_DONE, HIT_EXCLUDED, HIT_NEGATED, HIT_PLAN, HIT_PROBLEM,
                           NOT_APPLICABLE, PARTIAL, PASS, WAIVED, Document, DocumentResult, Evidence, RawDocument)

DEFAULT_AUTHOR = "fzcheck"
SUFFIX = ".reviewed.docx"
_PASS, _PARTIAL, _FAIL = look(PASS).mark, look(PARTIAL).mark, look(FAIL).mark
_NOT_DONE = (HIT_PLAN, HIT_PROBLEM, HIT_NEGATED, HIT_EXCLUDED)


class MissingExtra(FzError):
    """python-docx ≥ 1.2 (the `annotate` extra) is not installed."""


def require_docx() -> None:
    try:
        import docx
        from docx.document import Document as _D
    except ImportError:
        raise MissingExtra(t("ann.missing_extra")) from None
    if not hasattr(_D, "add_comment"):
        raise MissingExtra(t("out.aside", text=t("ann.missing_extra"),
                             aside=f"python-docx {getattr(docx, '__version__', '?')}"))


def default_output(path: str) -> str:
    """``<stem>.reviewed.docx`` beside the report: where a reviewer looks for the copy."""
    folder, name = os.path.split(path)
    stem = name[: -len(".docx")] if name.lower().endswith(".docx") else os.path.splitext(name)[0]
    return os.path.join(folder, stem + SUFFIX)


@dataclass
class Annotated:
    data: bytes
    result: DocumentResult
    comments: int


@dataclass
class Note:
    """One comment: where (normalized paragraph, start, end; None: nowhere found) and its lines."""

    anchor: tuple[int, int, int] | None
    lines: list[str] = field(default_factory=list)
    kind: int = 1  # 0 the title's summary, 1 what needs work, 2 what is credited (own comments)

    def add(self, *lines: str) -> None:
        for line in lines:
            if line and line not in self.lines:
                self.lines.append(line)


# ------------------------------------------------------------------ API

def annotate_to_bytes(path: str, ruleset=None, options=None, *, author: str = DEFAULT_AUTHOR) -> bytes:
    return annotate(path, ruleset, options, author=author).data


def annotate(path: str, ruleset=None, options=None, *, author: str = DEFAULT_AUTHOR) -> Annotated:
    require_docx()
    from fzcheck.engine.check import Options, analyze_paragraphs, check_document
    from fzcheck.engine.normalize import normalize_document
    from fzcheck.readers import read_document

    if ruleset is None:
        from fzcheck.rules.load import load_ruleset

        ruleset = load_ruleset(None)
    options = options or Options()
    raw = read_document(path, options.max_bytes)
    paragraphs, noise = normalize_document(raw)
    maps = _offset_maps(raw, paragraphs)
    doc = analyze_paragraphs(raw.path, paragraphs, noise, ruleset, dict(raw.meta))
    result = check_document(doc, ruleset, options)
    notes = plan_notes(doc, result, ruleset, options.lang)
    data, count = _write(raw, path, doc, maps, notes, author, options.lang)
    return Annotated(data, result, count)


def _offset_maps(raw: RawDocument, paragraphs) -> list[tuple[int, list[int]]] | None:
    """For each normalized paragraph: (index of the paragraph as read, offset of each character
    in it). None when they cannot be lined up (then comments go on the title)."""
    from fzcheck.engine.normalize import _normalize, is_noise

    out = []
    for i, par in enumerate(raw.paragraphs):
        text, src = _normalize(par.text)
        if text and not is_noise(text):
            out.append((i, src, text))
    if len(out) != len(paragraphs) or any(o[2] != p.text for o, p in zip(out, paragraphs)):
        return None
    return [(i, src) for i, src, _ in out]


# ------------------------------------------------------------------ what to say, where

def plan_notes(doc: Document, result: DocumentResult, ruleset, lang: str) -> list[Note]:
    """The comments: the title's first, then in document order."""
    places = _Places(doc)
    context = getattr(ruleset, "context", None)
    places.reason_titles = {nd.reason: nd.title for nd in getattr(context, "not_deeds", None) or []}
    notes: dict[Any, Note] = {}

    current = [""]  # the rule being noted: one comment per rule on what needs work

    def note(anchor) -> Note:
        return notes.setdefault((anchor, 1, current[0]), Note(anchor, kind=1))

    def credit(anchor) -> Note:  # credits on one sentence share a comment
        return notes.setdefault((anchor, 2, ""), Note(anchor, kind=2))

    title = notes.setdefault((places.title(), 0, ""), Note(places.title(), kind=0))
    gaps = [_name(r, lang) for r in result.results if r.severity == "required" and r.status == FAIL]
    title.add(t("ann.summary", lang, score=f"{result.score:g}", grade=result.grade,
                gate=t("report.gate_pass" if result.passed else "report.gate_fail", lang),
                threshold=f"{result.threshold:g}"))
    sep = t("sep.list", lang)
    if result.not_a_report:  # another kind of document: said so, as every format puts it first
        title.add(doctype_line(result, lang))
    else:
        title.add(t("ann.gaps", lang, names=sep.join(gaps)) if gaps else t("ann.no_gaps", lang))
    for warning in result.warnings:  # what the reader warns of (struck-through text in a PDF …)
        title.add(warning["message"])
    for r in result.results:
        if r.status in (NOT_APPLICABLE, WAIVED):
            continue
        current[0] = r.id
        rule = ruleset.find_rule(r.id) if hasattr(ruleset, "find_rule") else None
        kind = getattr(rule, "kind", "element")
        name = _name(r, lang)
        details = _details(r, lang)
        if r.items:
            _items(r, rule, name, details, places, note, credit, lang)
        elif kind == "section":
            if r.status == PASS:
                _on(places, credit, r.evidence[:1]).add(t("ann.credited_part", lang, mark=_PASS, name=name))
            elif r.evidence:
                _on(places, note, r.evidence[:1]).add(t("ann.weak", lang, mark=_PARTIAL, name=name, message=r.message),
                                                             *details)
            else:
                note(places.title()).add(t("ann.missing", lang, mark=_FAIL, name=name, severity=t(
                    "severity." + r.severity, lang), message=r.message), *details)
        elif kind in ("element", "count"):
            _element(r, rule, name, details, places, note, credit, lang)
        else:  # placeholders, disclosure, deadline, years …: where the finding stands
            if r.status == PASS:
                continue
            line = t("ann.finding", lang, name=name, message=r.message)
            anchored = [e for e in r.evidence if places.sentence(e)]
            for ev in anchored[:5]:
                note(places.sentence(ev)).add(line, *details[:1])
            if not anchored:
                note(places.title()).add(line, *details[:1])
    order = {id(n): i for i, n in enumerate(notes.values())}
    placed = sorted((n for n in notes.values() if n.anchor is not None and n is not title),
                    key=lambda n: (n.anchor, n.kind, order[id(n)]))
    return [title] + placed + [n for n in notes.values() if n.anchor is None and n is not title]


def _element(r, rule, name, details, places, note, credit, lang) -> None:
    done = [e for e in r.evidence if e.status == HIT_DONE]
    if r.status == PASS and done:
        credit(places.sentence(done[0]) or places.title()).add(t("ann.credited", lang, mark=_PASS, name=name))
        return
    if done:  # partial credit: a weak mention counts for part
        note(places.sentence(done[0]) or places.title()).add(
            t("ann.weak", lang, mark=_PARTIAL, name=name, message=r.message), *details[:1])
        return
    reason = _reason(r, lang)
    if _not_credited(r, reason, name, details, places, note, lang):
        return
    home = places.home(rule, r)
    note(home or places.title()).add(
        t("ann.missing", lang, mark=_FAIL, name=name, severity=t("severity." + r.severity, lang), message=r.message),
        *([] if home else [t("ann.no_part", lang, part=t("role." + places.home_role(rule, r), lang))]),
        *details)


def _items(r, rule, name, details, places, note, credit, lang) -> None:
    missing = []
    for item in r.items:
        iname = t("ann.item_name", lang, rule=name, item=pick(item.title, lang) or item.id)
        done = [e for e in item.evidence if e.status == HIT_DONE]
        if item.status == PASS:
            if done:
                key = "ann.credited_collective" if item.collective else "ann.credited"
                credit(places.sentence(done[0]) or places.title()).add(t(key, lang, mark=_PASS, name=iname))
            continue
        if not _not_credited(item, _reason(item, lang), iname, details[:1], places, note, lang):
            missing.append(pick(item.title, lang) or item.id)
    if missing:
        sep = t("sep.list", lang)
        home = places.home(rule, r)
        note(home or places.title()).add(
            t("ann.missing_items", lang, mark=_FAIL, name=name, items=sep.join(missing),
              severity=t("severity." + r.severity, lang)), *details)


def _not_credited(obj, reason, name, details, places, note, lang) -> bool:
    """Comments on the mentions that do not count; False when there is none to point at."""
    shown = [e for e in obj.evidence if e.status in _NOT_DONE and places.sentence(e)]
    why_text, why_ev = reason
    if why_ev is not None and places.sentence(why_ev):
        shown = [why_ev] + [e for e in shown if places.sentence(e) != places.sentence(why_ev)]
    if not shown:
        return False
    for i, ev in enumerate(shown[:3]):
        why = why_text if (why_text and i == 0 and why_ev is not None) else places.why(ev, lang)
        note(places.sentence(ev)).add(t("ann.not_credited", lang, mark=_FAIL, name=name, why=why), *details[:1])
    return True


def _reason(obj, lang: str) -> tuple[str | None, Evidence | None]:
    """A result's own "why not credited" (model.WhyNot: the closest mention and why), when the
    engine gives one."""
    value = getattr(obj, "why_not", None)
    if value is None:
        return None, None
    text = getattr(value, "text", None)
    why = pick(text, lang) if isinstance(text, dict) else (str(text) if text else None)
    ev = getattr(value, "evidence", None)
    return why or None, (ev if isinstance(ev, Evidence) else None)


def _name(r, lang: str) -> str:
    return pick(r.title, lang) or r.id


def _details(r, lang: str) -> list[str]:
    """Fix hint, requirement and legal basis, as comment lines."""
    out = []
    if r.fix:
        out.append(t("ann.fix", lang, text=r.fix))
    if r.description:
        out.append(t("ann.requirement", lang, text=r.description))
    basis = basis_text(r, lang)
    if basis:
        out.append(t("ann.basis", lang, text=basis))
    return out


def _on(places, note, evidence) -> Note:
    anchor = places.sentence(evidence[0]) if evidence else None
    return note(anchor or places.title())


class _Places:
    """Sentences, headings and the title of a document as (paragraph, start, end)."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.by_para: dict[int, list] = {}
        for s in doc.sentences:
            self.by_para.setdefault(s.para, []).append(s)
        self._title = self._find_title()

    def _span(self, s) -> tuple[int, int]:
        if s.is_heading:
            from fzcheck.engine.outline import find_heading, split_heading

            text = self.doc.paragraphs[s.para].text
            found = find_heading(text)
            end = split_heading(text, found[2])[1] if found else len(s.text)
            return 0, len(text[:end].rstrip())
        return s.start, s.start + len(s.text)

    def sentence(self, ev: Evidence) -> tuple[int, int, int] | None:
        para, off = ev.pos
        if not (0 <= para < len(self.doc.paragraphs)):
            return None
        for s in self.by_para.get(para, []):
            a, b = self._span(s)
            if a <= off < b and (not ev.match or ev.match in self.doc.paragraphs[para].text[a:b]):
                return para, a, b
        return None

    def _find_title(self) -> tuple[int, int, int] | None:
        paras = self.doc.paragraphs
        if not paras:
            return None
        title = (self.doc.meta.get("title") or "").strip()
        first_heading = min((s.para for s in self.doc.sentences if s.is_heading), default=len(paras))
        for i, p in enumerate(paras[: min(6, first_heading)]):
            text = p.text.strip()
            if title and text and title.startswith(text):
                return i, 0, len(p.text)
        return 0, 0, len(paras[0].text)

    def title(self) -> tuple[int, int, int] | None:
        return self._title

    def why(self, ev: Evidence, lang: str) -> str:
        """Why this mention does not count, in words: the rule set's reason title, the
        engine's words for its reason, else the words for the mention's status."""
        code = getattr(ev, "reason", "") or ev.status
        titles = getattr(self, "reason_titles", {})
        if code in titles:
            return pick(titles[code], lang)
        for key in (f"why.{code}", f"ann.why.{code}"):
            text = t(key, lang)
            if text != key:
                return text
        return code

    def heading(self, section) -> tuple[int, int, int] | None:
        for s in self.doc.sentences:
            if s.is_heading and s.section is section:
                return (s.para, *self._span(s))
        return None

    def home_role(self, rule, r) -> str:
        """The part where the rule's element belongs (the engine's RuleResult.part)."""
        return r.part or ACHIEVEMENTS

    def home(self, rule, r) -> tuple[int, int, int] | None:
        """The heading of the part where the rule's element belongs."""
        from fzcheck.engine.outline import iter_sections

        wanted = self.home_role(rule, r)
        candidates = [wanted] + ([ACHIEVEMENTS] if wanted == "first_responsible" else [])
        for role in candidates:
            for depth_ok in (lambda s: s.depth == 1, lambda s: True):
                for s in iter_sections(self.doc.root):
                    if depth_ok(s) and (s.role == role or (role == "next_year" and s.combined)):
                        anchor = self.heading(s)
                        if anchor:
                            return anchor
        return None


# ------------------------------------------------------------------ the Word document

def _styles(doc: Document, title) -> dict[int, tuple[str | None, int]]:
    """Word paragraph styles of a clean copy: the title, headings by outline depth; a heading
    that opens a paragraph of body text stays body text with the heading in bold.
    {paragraph: (style, end of the bold heading in normalized offsets)}."""
    out: dict[int, tuple[str | None, int]] = {}
    places = _Places.__new__(_Places)
    places.doc = doc
    for s in doc.sentences:
        if s.is_heading:
            end = places._span(s)[1]
            text = doc.paragraphs[s.para].text
            if len(text[end:].strip(" 。.:：")) == 0:
                out[s.para] = (f"Heading {min(max(s.section.depth, 1), 3)}", 0)
            else:
                out[s.para] = (None, end)
    if title is not None and title[0] not in out:
        out[title[0]] = ("Title", 0)
    return out


def _write(raw: RawDocument, path: str, doc: Document, maps, notes: list[Note], author: str,
           lang: str = "zh") -> tuple[bytes, int]:
    from fzcheck.render import docx_comments as wc

    traced: dict[int, Any] = {}
    if raw.kind == "docx":
        import docx

        with open(path, "rb") as fh:
            data = fh.read()
        try:
            document = docx.Document(io.BytesIO(data))
        except Exception as exc:  # noqa: BLE001 - python-docx refuses what it cannot open
            raise InputError(f"python-docx cannot open this Word file ({exc}); save it again as .docx",
                             path) from None
        wc.remove_comments_by(document, author)
        paras = wc.trace_docx(document.element.body, data)
        if paras is not None and len(paras) == len(raw.paragraphs) and all(
                a.text == b.text for a, b in zip(paras, raw.paragraphs)):
            traced = dict(enumerate(paras))
    else:
        styles = _styles(doc, notes[0].anchor if notes else None)
        rows = []
        for k, (i, src) in enumerate(maps or []):
            style, bold = styles.get(k, (None, 0))
            rows.append((raw.paragraphs[i].text, style, src[0], src[-1] + 1, src[bold - 1] + 1 if bold else 0))
        if not rows:  # no map: the normalized text itself
            rows = [(p.text, None, 0, len(p.text), 0) for p in doc.paragraphs]
            maps = [(k, list(range(len(p.text)))) for k, p in enumerate(doc.paragraphs)]
        document, built = wc.build_docx(rows)
        traced = {maps[k][0]: tr for k, tr in enumerate(built)}
    peers = list(traced.values())
    initials = "".join(ch for ch in author if not ch.isspace())[:2] or "fz"
    count = 0
    leftover: list[str] = []
    for n in notes:
        text = "\n".join(n.lines)
        runs = None
        if n.anchor is not None and maps is not None:
            k, a, b = n.anchor
            i, src = maps[k]
            tr = traced.get(i)
            if tr is not None and b > a and b <= len(src):
                runs = tr.runs_for(src[a], src[b - 1] + 1, peers)
            if runs is not None and not wc.in_tree(runs[0], document.element.body):
                # a footnote or endnote: anchored to its reference mark (see wc.note_reference)
                ref = wc.note_reference(document.element.body, runs[0])
                runs = (ref[0], ref[0]) if ref else None
                if ref:
                    text = t("ann.in_" + ref[1], lang, n=ref[2]) + text
        if runs is None:
            leftover.append(text)
            continue
        wc.add_comment(document, runs[0], runs[1], text, author, initials)
        count += 1
    if leftover:  # nothing to anchor on: one comment on the first run of the document
        first = next(iter(document.element.body.iter(wc._w("r"))), None)
        if first is not None:
            wc.add_comment(document, first, first, "\n\n".join(leftover), author, initials)
            count += 1
    out = io.BytesIO()
    document.save(out)
    return out.getvalue(), count
