"""The Word side of ``fzcheck annotate``: find the runs of a sentence, split runs at its
boundaries, write comments (python-docx ≥ 1.2), remove fzcheck's earlier comments, and
build a clean .docx for a report that did not come as one.

Every paragraph fzcheck read carries a list of :class:`Segment`: which ``w:r`` element
gave which characters of the paragraph's text. For a .docx the list is made by running the
.docx reader itself (:class:`fzcheck.readers.docx._Reader`) over python-docx's element tree
and noting, for every run, the characters it added; so the text, the automatic numbers, the
line breaks, tracked changes and text boxes are read exactly as ``fzcheck check`` reads them.
A run is split (its ``w:rPr`` cloned, text unchanged) only where a sentence starts or ends
inside it.
"""
from __future__ import annotations

import copy
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from fzcheck.model import Paragraph

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_CONTAINERS = {"ins", "moveTo", "del", "moveFrom", "hyperlink", "smartTag", "customXml", "sdt", "sdtContent",
               "fldSimple", "dir", "bdo"}


def _w(name: str) -> str:
    return f"{{{W_NS}}}{name}"


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


@dataclass
class Segment:
    start: int  # offset in the paragraph's text (as the reader gave it)
    end: int
    run: Any  # the w:r element
    inner: int  # offset of `start` in the text this run gives


@dataclass
class Traced:
    """A paragraph as read, with the runs that gave its characters."""

    text: str
    segments: list[Segment] = field(default_factory=list)

    def runs_for(self, start: int, end: int, peers: list["Traced"] | None = None) -> tuple[Any, Any] | None:
        """The first and last run of the characters [start, end), splitting runs at the
        boundaries when needed; None when no run gave any of them. ``peers``: every traced
        paragraph (a run broken by a line break gives characters to two of them)."""
        if not any(s.end > start and s.start < end for s in self.segments):
            return None
        for at in (start, end):
            seg = next((s for s in self.segments if s.start < at < s.end), None)
            if seg is not None:
                _split(seg, at, peers or [self])
        hit = [s for s in self.segments if s.end > start and s.start < end]
        return hit[0].run, hit[-1].run


def _split(seg: Segment, at: int, peers: list[Traced]) -> None:
    """Split seg's run so that a new run begins with the paragraph character `at`."""
    k = seg.inner + (at - seg.start)
    old = seg.run
    new = split_run(old, k)
    if new is None:
        return
    # Every segment of the old run at or after k now belongs to the new run.
    for traced in peers:
        for s in list(traced.segments):
            if s.run is not old:
                continue
            if s.inner >= k:
                s.run, s.inner = new, s.inner - k
            elif s.inner + (s.end - s.start) > k:  # this segment straddles k
                cut = s.start + (k - s.inner)
                traced.segments.insert(traced.segments.index(s) + 1, Segment(cut, s.end, new, 0))
                s.end = cut


# ------------------------------------------------------------------ runs

def _child_length(child) -> int | None:
    """Characters a run's child adds to the text, as the .docx reader counts them; None: unknown."""
    name = _local(child.tag)
    if name == "t":
        return len(child.text or "")
    if name in ("tab", "ptab", "br", "cr", "noBreakHyphen"):
        return 1
    if name == "sym":
        code = child.get(_w("char")) or ""
        try:
            ch = chr(int(code, 16))
        except ValueError:
            return 0
        return 0 if (0xE000 <= ord(ch) <= 0xF8FF) else 1
    if name in ("rPr", "delText", "instrText", "delInstrText", "fldChar", "lastRenderedPageBreak", "annotationRef",
                "commentReference", "footnoteRef", "endnoteRef", "separator", "continuationSeparator",
                "footnoteReference", "endnoteReference", "softHyphen"):
        return 0
    if name in ("drawing", "pict", "object", "AlternateContent"):
        return 0  # text boxes are read as paragraphs of their own
    return None


def split_run(r, k: int):
    """Split the run ``r`` before its k-th character: ``r`` keeps the text before, a new run
    (same attributes, a copy of ``w:rPr``) placed right after it gets the rest. Returns the
    new run, or None when the run's content cannot be split there safely."""
    children = [c for c in r if _local(c.tag) != "rPr"]
    lengths = [_child_length(c) for c in children]
    if any(n is None for n in lengths) or k <= 0 or k >= sum(lengths):  # type: ignore[arg-type]
        return None
    pos = 0
    moved = []
    for child, n in zip(children, lengths):
        if pos >= k:
            moved.append(child)
        elif pos + n > k:  # a w:t across the boundary
            cut = k - pos
            text = child.text or ""
            tail = copy.deepcopy(child)
            child.text, tail.text = text[:cut], text[cut:]
            for el in (child, tail):
                if el.text != el.text.strip():
                    el.set(_XML_SPACE, "preserve")
            moved.append(tail)
        pos += n  # type: ignore[operator]
    new = copy.deepcopy(r)
    for c in list(new):
        if _local(c.tag) != "rPr":
            new.remove(c)
    for c in moved:
        if c.getparent() is r:
            r.remove(c)
        new.append(c)
    r.addnext(new)
    return new


# ------------------------------------------------------------------ tracing a .docx

def trace_docx(body, data: bytes) -> list[Traced] | None:
    """The paragraphs the .docx reader gives for this document, each with its runs.

    ``body`` is python-docx's ``w:body`` element (the tree the comments go into); ``data`` the
    file's bytes (styles, numbering and notes are read from it as the reader does). None when
    the reader's internals are not as expected (the caller then anchors by text)."""
    try:
        from fzcheck.readers import docx as reader
        from fzcheck.readers.limits import Budget, read_member
    except ImportError:  # pragma: no cover - layout changed
        return None
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        names = set(zf.namelist())
        total = [0]

        def part(name: str):
            return reader._parse(read_member(zf, name, total), name) if name in names else None

        styles = reader._read_styles(part("word/styles.xml"))
        numbering = reader._read_numbering(part("word/numbering.xml"))
        notes = reader._note_parts(zf, names, total)
        tracer = _make_tracer(reader)(styles, numbering, notes, Budget())
        tracer.blocks(body, {})
        if tracer.carry:
            tracer.emit_carry()
        finished = reader._finish(tracer.out)
    except Exception:  # noqa: BLE001 - any surprise: fall back on anchoring by text
        return None
    return _pair(finished, tracer.out, tracer.traced)


def _pair(finished: list[Paragraph], paras: list, traced: list[list[Segment]]) -> list[Traced] | None:
    """Pair the reader's final paragraphs with the traced ones (empty paragraphs are dropped
    and unnumbered headings get a '#' prefix on the way)."""
    out: list[Traced] = []
    i = 0
    for fin in finished:
        while i < len(paras):
            p, segs = paras[i], traced[i]
            i += 1
            if fin.text == p.text:
                out.append(Traced(fin.text, list(segs)))
                break
            core = p.text.strip()
            if fin.text.endswith(core) and re.fullmatch(r"#{1,6} ", fin.text[: len(fin.text) - len(core)]):
                shift = (len(fin.text) - len(core)) - (len(p.text) - len(p.text.lstrip()))
                out.append(Traced(fin.text, [Segment(s.start + shift, s.end + shift, s.run, s.inner)
                                             for s in segs]))
                break
        else:
            return None
    return out


def _make_tracer(reader):
    class _Frame:
        __slots__ = ("p", "pieces", "runs", "prefix", "prefix_segs", "cursor", "emitted")

        def __init__(self, p, prefix: str, prefix_segs: list[Segment]):
            self.p = p
            self.pieces: list[str] | None = None
            self.runs: list[tuple[int, int, Any]] = []
            self.prefix = prefix
            self.prefix_segs = prefix_segs
            self.cursor = 0
            self.emitted = 0

        def full(self) -> tuple[str, list[Segment]]:
            inline = "".join(self.pieces or [])
            n = len(self.prefix)
            segs = list(self.prefix_segs) + [Segment(a + n, b + n, r, 0) for a, b, r in self.runs]
            return self.prefix + inline, segs

    class Tracer(reader._Reader):
        def __init__(self, *args):
            super().__init__(*args)
            self.frames: list[_Frame] = []
            self.traced: list[list[Segment]] = []
            self.carry_segs: list[Segment] = []

        def paragraph(self, p, loc):
            prefix, prefix_segs = (self.carry, self.carry_segs) if self.carry else ("", [])
            frame = _Frame(p, prefix, prefix_segs)
            self.frames.append(frame)
            try:
                super().paragraph(p, loc)
            finally:
                self.frames.pop()
            if self.carry:  # this paragraph's mark is deleted: it joins the next one
                text, segs = frame.full()
                shift = len(self.carry) - len(text)  # the list label in front
                self.carry_segs = [Segment(s.start + shift, s.end + shift, s.run, s.inner) for s in segs]
            else:
                self.carry_segs = []

        def inline(self, el, pieces, deferred):
            frame = self.frames[-1] if self.frames else None
            if frame is not None and frame.pieces is None and el is frame.p:
                frame.pieces = pieces
            if frame is None or pieces is not frame.pieces or _local(el.tag) != "r":
                return super().inline(el, pieces, deferred)
            before = sum(map(len, pieces))
            super().inline(el, pieces, deferred)
            after = sum(map(len, pieces))
            if after > before:
                frame.runs.append((before, after, el))

        def emit(self, para):
            super().emit(para)
            frame = self.frames[-1] if self.frames else None
            self.traced.append(self._segments(frame, para.text) if frame is not None else [])

        def emit_carry(self):
            self.emit(reader._Para(self.carry, self.carry_loc or {"paragraph": self.count}))
            self.traced[-1] = list(self.carry_segs)

        @staticmethod
        def _segments(frame: _Frame, value: str) -> list[Segment]:
            full, segs = frame.full()
            # Find the line of `full` this value is (the first one may carry the list label).
            starts = [0] + [m.end() for m in re.finditer("\n", full)]
            for idx, off in enumerate(starts):
                end = full.find("\n", off)
                end = len(full) if end < 0 else end
                line = full[off:end]
                if off < frame.cursor:
                    continue
                label = None
                if value == line:
                    label = ""
                elif idx == 0 and frame.emitted == 0 and value.endswith(line):
                    label = value[: len(value) - len(line)]
                if label is None:
                    continue
                frame.cursor = end + 1
                frame.emitted += 1
                n = len(label)
                out = []
                for s in segs:
                    a, b = max(s.start, off), min(s.end, end)
                    if a < b:
                        out.append(Segment(a - off + n, b - off + n, s.run, s.inner + (a - s.start)))
                return out
            return []

    return Tracer


def note_reference(body, run) -> tuple[Any, str, str] | None:
    """For a run of a footnote or endnote (which the reader took from its own parse of
    footnotes.xml/endnotes.xml): the run in the body holding that note's reference mark, the
    note's kind and id. python-docx (1.2) has no footnote or endnote API — those parts are
    opaque blobs to it, and a comment range inside them would have to be written as
    hand-made XML into a part the library does not manage — so a finding in a note is
    anchored to the note's reference mark in the text, and says which note it is about."""
    note = run
    while note is not None and _local(note.tag) not in ("footnote", "endnote"):
        note = note.getparent()
    if note is None:
        return None
    kind, nid = _local(note.tag), note.get(_w("id"))
    for ref in body.iter(_w(kind + "Reference")):
        if ref.get(_w("id")) == nid and _local(ref.getparent().tag) == "r":
            return ref.getparent(), kind, nid or ""
    return None


def in_tree(el, root) -> bool:
    """Whether `el` belongs to the element tree of `root` (python-docx's document part)."""
    return el.getroottree().getroot() is root.getroottree().getroot()


# ------------------------------------------------------------------ a clean .docx from text

_MD_PREFIX = re.compile(r"\s*#{1,6}\s+")


def build_docx(paragraphs: list[tuple[str, str | None, int, int, int]]):
    """A new python-docx Document with one paragraph per (text, style, lo, hi, bold), showing
    text[lo:hi] (a Markdown '#' prefix dropped from headings) with text[lo:bold] in bold (a
    heading that opens a paragraph of body text), and the Traced list for it in the
    coordinates of `text` (style: None for body text, "Title", "Heading 1" …)."""
    import docx

    document = docx.Document()
    traced: list[Traced] = []
    for text, style, lo, hi, bold in paragraphs:
        if style and style != "Title":
            m = _MD_PREFIX.match(text, lo)
            lo = m.end() if m and m.end() < hi else lo
        para = document.add_paragraph(style=style) if style else document.add_paragraph()
        segs = []
        for a, b, strong in ((lo, min(max(bold, lo), hi), True), (min(max(bold, lo), hi), hi, False)):
            if a < b:
                run = para.add_run(text[a:b])
                run.bold = strong or None
                segs.append(Segment(a, b, run._r, 0))
        traced.append(Traced(text, segs))
    return document, traced


# ------------------------------------------------------------------ comments

def remove_comments_by(document, author: str) -> int:
    """Remove the comments written by `author` (fzcheck's earlier run) with their marks in the
    body and their entries in Word's extended comment parts. Returns how many were removed."""
    part = document.part
    try:
        comments_part = part._comments_part
    except Exception:  # noqa: BLE001 - no comments part yet
        return 0
    if comments_part is None:
        return 0
    root = comments_part.element
    ids: set[str] = set()
    para_ids: set[str] = set()
    for c in list(root):
        if _local(c.tag) == "comment" and c.get(_w("author")) == author:
            ids.add(c.get(_w("id")) or "")
            for p in c.iter(_w("p")):
                for k, v in p.attrib.items():
                    if _local(k) == "paraId":
                        para_ids.add(v)
            root.remove(c)
    if not ids:
        return 0
    body = document.element
    for el in list(body.iter(_w("commentRangeStart"), _w("commentRangeEnd"), _w("commentReference"))):
        if el.get(_w("id")) not in ids:
            continue
        parent = el.getparent()
        if _local(el.tag) == "commentReference" and _local(parent.tag) == "r":
            rest = [c for c in parent if _local(c.tag) not in ("rPr", "commentReference")]
            if not rest:
                parent.getparent().remove(parent)
                continue
        parent.remove(el)
    if para_ids:
        _drop_extended(document, para_ids)
    return len(ids)


def _drop_extended(document, para_ids: set[str]) -> None:
    """Entries of commentsExtended/commentsIds (written by Word) for removed comments."""
    import lxml.etree

    durable: set[str] = set()
    for rel in list(document.part.rels.values()):
        if rel.is_external:
            continue
        target = rel.target_part
        name = str(target.partname)
        if name not in ("/word/commentsExtended.xml", "/word/commentsIds.xml", "/word/commentsExtensible.xml"):
            continue
        blob = getattr(target, "_blob", None)
        if blob is None:
            continue
        try:
            root = lxml.etree.fromstring(blob)
        except lxml.etree.XMLSyntaxError:
            continue
        changed = False
        for el in list(root):
            attrs = {_local(k): v for k, v in el.attrib.items()}
            if attrs.get("paraId") in para_ids or attrs.get("durableId") in durable:
                if "durableId" in attrs:
                    durable.add(attrs["durableId"])
                root.remove(el)
                changed = True
        if changed:
            target._blob = lxml.etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def add_comment(document, first, last, text: str, author: str, initials: str) -> None:
    """Anchor a comment on the runs first..last (python-docx writes the comment and its marks);
    the reference run is moved out of a tracked insertion, so it is not itself 'inserted'."""
    from docx.text.run import Run

    comment = document.add_comment([Run(first, None), Run(last, None)], text=text, author=author,
                                   initials=initials)
    cid = str(comment.comment_id)
    ref_run = None
    for el in last.itersiblings():
        if _local(el.tag) == "r" and any(_local(c.tag) == "commentReference" and c.get(_w("id")) == cid
                                         for c in el):
            ref_run = el
            break
    if ref_run is None:
        return
    outer = ref_run.getparent()
    anchor = None
    while outer is not None and _local(outer.tag) in _CONTAINERS:
        if _local(outer.tag) in ("ins", "moveTo", "del", "moveFrom"):
            anchor = outer
        outer = outer.getparent()
    if anchor is not None:
        anchor.addnext(ref_run)
