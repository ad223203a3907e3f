"""PDF with a text layer: lines in reading order, page chrome removed, paragraphs rebuilt.

pdfminer.six lays each page out into text lines (reading order of its text
boxes). Then:

* running headers and footers go: lines in the top or bottom band of the page
  that repeat (digits aside) on at least half of the pages, and page numbers
  there (``- 3 -``, ``第3页 共9页``, ``3/9``, ``Page 3 of 9``);
* lines are joined back into paragraphs. A PDF breaks lines wherever the width
  ends, so a new paragraph starts only where the layout says so: an indented
  line, a line after one that stops short of the right margin, a change of font
  size, a larger vertical gap, or a line opening with an outline marker after a
  sentence ended (a heading always starts its own paragraph).

Every paragraph keeps, for each joined line, ``{"page": p, "line": l}``, where l
counts the visible text lines of page p from the top (headers included), so a
reviewer finds the place on the printed page.

Scans without a text layer, encrypted and damaged PDFs end in one clear message.
"""
from __future__ import annotations

import io
import logging
import re
import statistics
from dataclasses import dataclass

from fzcheck.errors import InputError
from fzcheck.i18n import msg
from fzcheck.model import Paragraph, RawDocument
from fzcheck.readers.limits import Budget
from fzcheck.zhtext import opening_marker

_PAGE_NUMBER = re.compile(r"^\s*(?:[-—–－~·•]*\s*\d{1,4}\s*[-—–－~·•]*|第\s*\d+\s*页(?:\s*[,，/、]?\s*共\s*\d+\s*页)?|"
                          r"共\s*\d+\s*页\s*第\s*\d+\s*页|\d+\s*/\s*\d+|(?:page|p\.)\s*\d+(?:\s*(?:of|/)\s*\d+)?)\s*$",
                          re.IGNORECASE)
_ENDS_SENTENCE = re.compile(r"[。！？；：:!?;）)」』”]\s*$")
_LATIN_END = re.compile(r"[A-Za-z0-9,.;:]$")
_LATIN_START = re.compile(r"^[A-Za-z0-9(]")
_CID = re.compile(r"\(cid:\d+\)")
_BAND = 0.09  # top and bottom share of the page where running headers and footers stand


@dataclass
class _Line:
    page: int
    number: int  # visible line number on the page, from the top
    text: str
    x0: float
    x1: float
    top: float  # distance from the top of the page
    bottom: float
    size: float
    band: bool  # in the header/footer band


def _starts_with_marker(text: str) -> bool:
    found = opening_marker(text)
    return bool(found) and not found[0].startswith("#")


STRIKE_MAX_THICKNESS = 2.0  # points: a rule drawn through text, not a box or a highlight
STRIKE_BAND = (0.25, 0.75)  # the share of a character's height a strike crosses (underlines lie below)


def _struck_runs(lines: list, rules: list[tuple[float, float, float]]) -> list[str]:
    """The runs of characters with a horizontal rule through their middle: text struck
    through (a tracked deletion printed to PDF). ``rules`` are (x0, x1, y) of thin
    horizontal lines and rectangles on the page."""
    from pdfminer.layout import LTChar

    if not rules:
        return []
    runs: list[str] = []
    for ln in lines:
        near = [r for r in rules if ln.y0 - 1 <= r[2] <= ln.y1 + 1 and r[0] < ln.x1 and r[1] > ln.x0]
        if not near:
            continue
        run = ""
        for ch in ln:
            hit = False
            if isinstance(ch, LTChar) and ch.get_text().strip():
                cx = (ch.x0 + ch.x1) / 2
                h = ch.y1 - ch.y0 or 1.0
                low, high = ch.y0 + STRIKE_BAND[0] * h, ch.y0 + STRIKE_BAND[1] * h
                hit = any(x0 <= cx <= x1 and low <= y <= high for x0, x1, y in near)
            if hit:
                run += ch.get_text()
            elif run and not (isinstance(ch, LTChar) and not ch.get_text().strip()):
                runs.append(run)
                run = ""
        if run:
            runs.append(run)
    return runs


def _page_lines(layout, page_no: int, struck: list[str] | None = None) -> tuple[list[_Line], int]:
    """Text lines of one laid-out page, in reading order, and the number of images on it;
    runs of struck-through text are added to ``struck``."""
    from pdfminer.layout import LTCurve, LTFigure, LTImage, LTTextContainer, LTTextLine

    height = layout.y1 - layout.y0 or 1.0
    found: list = []
    rules: list[tuple[float, float, float]] = []
    images = 0

    def visit(obj) -> None:
        nonlocal images
        if isinstance(obj, LTTextLine):
            found.append(obj)
        elif isinstance(obj, LTImage):
            images += 1
        elif isinstance(obj, LTCurve):  # lines and rectangles: a thin horizontal one may strike text
            if obj.y1 - obj.y0 <= STRIKE_MAX_THICKNESS and obj.x1 - obj.x0 >= 2.0:
                rules.append((obj.x0, obj.x1, (obj.y0 + obj.y1) / 2))
        elif isinstance(obj, (LTTextContainer, LTFigure)) or hasattr(obj, "__iter__"):
            try:
                for child in obj:
                    visit(child)
            except TypeError:
                pass

    for obj in layout:
        visit(obj)
    if struck is not None and rules and found:
        struck.extend(_struck_runs(found, rules[:2000]))
    raw = []
    for ln in found:
        text = ln.get_text().replace("\n", "").rstrip()
        if not text.strip():
            continue
        top = layout.y1 - ln.y1
        bottom = layout.y1 - ln.y0
        band = top < height * _BAND or bottom > height * (1 - _BAND)
        raw.append(_Line(page_no, 0, text, ln.x0, ln.x1, top, bottom, ln.height, band))
    # Visible line numbers: rows from the top, pieces on one baseline sharing a number.
    rows = sorted(raw, key=lambda ln: (ln.top, ln.x0))
    number, last_top, last_size = 0, None, 0.0
    for ln in rows:
        if last_top is None or ln.top - last_top > 0.5 * max(ln.size, last_size, 1.0):
            number += 1
            last_top, last_size = ln.top, ln.size
        ln.number = number
    return raw, images


def _strip_chrome(pages: list[list[_Line]]) -> list[list[_Line]]:
    def key(text: str) -> str:
        return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))

    counts: dict[str, int] = {}
    for lines in pages:
        for k in {key(ln.text) for ln in lines if ln.band}:
            counts[k] = counts.get(k, 0) + 1
    need = max(2, (len(pages) + 1) // 2)
    sizes = [ln.size for lines in pages for ln in lines if not ln.band and ln.size > 0]
    body = statistics.median(sizes) if sizes else 0.0

    def chrome(ln: _Line) -> bool:
        if not ln.band:
            return False
        if _PAGE_NUMBER.match(ln.text):
            return True
        if len(pages) > 1 and counts.get(key(ln.text), 0) >= need:
            return True
        # A one-page file has nothing to repeat: a short line in small print in the band is a running head.
        return bool(body) and ln.size < 0.85 * body and len(ln.text.strip()) <= 40

    return [[ln for ln in lines if not chrome(ln)] for lines in pages]


def _join(pages: list[list[_Line]], budget: Budget) -> list[Paragraph]:
    lines = [ln for page in pages for ln in page]
    if not lines:
        return []
    sizes = [ln.size for ln in lines if ln.size > 0]
    cw = statistics.median(sizes) if sizes else 10.0
    lefts = [round(ln.x0) for ln in lines]
    left = statistics.mode(lefts) if lefts else 0.0
    # The body's left margin is the most common left edge; its right edge the 90th percentile of line ends.
    rights = sorted(ln.x1 for ln in lines)
    right = rights[int(len(rights) * 0.9)] if len(rights) > 1 else rights[0]
    gaps = [b.top - a.bottom for a, b in zip(lines, lines[1:]) if a.page == b.page and b.top > a.top]
    gap = statistics.median(gaps) if gaps else cw * 0.5

    paragraphs: list[Paragraph] = []
    text = ""
    locs: list[tuple[int, dict]] = []

    def flush() -> None:
        nonlocal text, locs
        if text.strip():
            budget.add(text)
            paragraphs.append(Paragraph(text, locs))
        text, locs = "", []

    prev: _Line | None = None
    for ln in lines:
        if prev is not None:
            new = (
                prev.x1 < right - 2 * cw                      # the previous line stopped short
                or ln.x0 > left + 0.9 * cw                    # indented (first line, centred title)
                or abs(ln.size - prev.size) > 0.15 * max(ln.size, prev.size)  # a change of font size
                or (ln.page == prev.page and ln.top - prev.bottom > gap + 0.8 * cw)  # a wider gap
                or (_starts_with_marker(ln.text) and bool(_ENDS_SENTENCE.search(prev.text)))
            )
            if new:
                flush()
            elif _LATIN_END.search(text) and _LATIN_START.match(ln.text.lstrip()):
                text += " "
        piece = ln.text if text else ln.text.lstrip()
        locs.append((len(text), {"page": ln.page, "line": ln.number}))
        text += piece
        prev = ln
    flush()
    return paragraphs


MAX_INFLATED = 64 * 1024 * 1024  # one stream, inflated (a Flate bomb inflates 1 MB to 1 GB)
MAX_XOBJECTS = 20_000  # form XObjects drawn on one page (fan-out: 10 deep x 10 wide = 10^9 operators)
FLOW_CHARS = 4_000  # characters on a page above which boxes are ordered without the (cubic) grouping


class _BoundedZlib:
    """``zlib`` for pdfminer's streams: inflates at most MAX_INFLATED bytes."""

    def __init__(self, real):
        self._real = real
        self.error = real.error

    def decompress(self, data, *args, **kwargs):
        d = self._real.decompressobj()
        out = d.decompress(data, MAX_INFLATED + 1)
        if len(out) > MAX_INFLATED or d.unconsumed_tail and len(out) >= MAX_INFLATED:
            raise InputError(msg("in.pdf_bomb", mb=MAX_INFLATED >> 20))
        return out

    def __getattr__(self, name):
        return getattr(self._real, name)


def _bound_pdfminer() -> None:
    import zlib

    from pdfminer import pdftypes

    if not isinstance(pdftypes.zlib, _BoundedZlib):
        pdftypes.zlib = _BoundedZlib(zlib)


def read_pdf(path: str, data: bytes) -> RawDocument:
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser, PDFSyntaxError
    from pdfminer.psparser import PSException

    _bound_pdfminer()
    budget = Budget()
    pages: list[list[_Line]] = []
    images = 0
    struck: dict[int, list[str]] = {}  # page -> runs of struck-through text

    class Interpreter(PDFPageInterpreter):
        drawn = [0]  # form XObjects drawn on the current page, shared by the sub-interpreters

        def do_Do(self, xobjid_arg) -> None:
            self.drawn[0] += 1
            if self.drawn[0] > MAX_XOBJECTS:
                raise InputError(msg("in.pdf_forms", n=MAX_XOBJECTS))
            if self.drawn[0] & 255 == 0:
                budget.tick()
            super().do_Do(xobjid_arg)

        def dup(self):
            twin = super().dup()
            twin.__class__ = Interpreter
            return twin

    class Aggregator(PDFPageAggregator):
        def render_char(self, *args, **kwargs):
            self.chars += 1
            if self.chars & 1023 == 0:
                budget.tick()
            return super().render_char(*args, **kwargs)

        def end_page(self, page) -> None:
            # a page of thousands of scattered words: pdfminer's grouping of text boxes is
            # about cubic in them; order the boxes by position instead
            saved = self.laparams
            if self.chars > FLOW_CHARS and saved is not None:
                self.laparams = LAParams(all_texts=True, boxes_flow=None)
            try:
                super().end_page(page)
            finally:
                self.laparams = saved
                self.chars = 0

    try:  # opening and reading fail the same ways: one set of messages
        document = PDFDocument(PDFParser(io.BytesIO(data)), password="")
        rsrc = PDFResourceManager(caching=True)
        device = Aggregator(rsrc, laparams=LAParams(all_texts=True))
        device.chars = 0
        interpreter = Interpreter(rsrc, device)
        for n, page in enumerate(PDFPage.create_pages(document), start=1):
            if n > budget.max_pages:
                raise InputError(msg("in.pdf_pages", n=budget.max_pages))
            Interpreter.drawn[0] = 0
            interpreter.process_page(page)
            runs: list[str] = []
            lines, imgs = _page_lines(device.get_result(), n, runs)
            if runs:
                struck[n] = runs
            images += imgs
            pages.append(lines)
            budget.tick()
    except InputError:
        raise
    except PDFPasswordIncorrect:
        raise InputError(msg("in.pdf_password")) from None
    except PDFEncryptionError as exc:
        raise InputError(msg("in.pdf_encrypted", why=exc)) from None
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError, AttributeError, IndexError,
            AssertionError, OverflowError, ArithmeticError) as exc:
        raise InputError(msg("in.pdf_damaged", why=f"{exc.__class__.__name__}: {exc}")) from None
    if not pages:
        raise InputError(msg("in.pdf_no_pages"))
    chars = sum(len(re.sub(r"\s", "", ln.text)) for lines in pages for ln in lines)
    if chars < 10 * len(pages) and chars < 200:
        raise InputError(msg("in.pdf_scan" if images else "in.pdf_no_text"))
    cid_chars = sum(len(m) for lines in pages for ln in lines for m in _CID.findall(ln.text))
    if cid_chars * 2 > chars:
        raise InputError(msg("in.pdf_no_unicode"))
    paragraphs = _join(_strip_chrome(pages), budget)
    meta: dict = {"pages": len(pages)}
    if struck:  # read as printed, but a reviewer is told: a deletion may still stand in the text
        runs = [r for page in struck.values() for r in page]
        meta["warnings"] = [{"id": "pdf.struck_through", "pages": sorted(struck),
                             "chars": sum(len(r) for r in runs), "sample": max(runs, key=len)[:40]}]
    return RawDocument(path, paragraphs, kind="pdf", meta=meta)
