"""Word .docx: paragraphs in order, with Word's automatic numbering put back.

What is read, in document order:

* body paragraphs; ``<w:br/>`` line breaks split a paragraph;
* tables, cell by cell, row by row (nested tables too);
* text boxes (after the paragraph that anchors them), footnotes and endnotes
  (after the paragraph that refers to them);
* tracked changes as accepted: insertions kept, deletions dropped, a deleted
  paragraph mark joins the paragraph to the next; comments and hidden text ignored.

Automatic list numbers (一、 （一） 1. …) are not in a paragraph's text: they are
computed from numbering.xml (formats, level texts, start values, restarts,
overrides) and put back in front of the text so the outline parser sees them.
A heading style without any number becomes a Markdown-like ``#`` heading when
no heading of that level carries a visible number.

Every paragraph points at ``{"paragraph": n}`` (n counts the document's
paragraphs, including those in tables and text boxes), with ``table``/``row``/
``cell``, ``textbox`` or ``footnote``/``endnote`` when it stands there.

Parts are read with limits (see :mod:`fzcheck.readers.limits`): sizes and
compression ratios are checked in the zip directory before anything is inflated.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from fzcheck.errors import InputError
from fzcheck.i18n import msg
from fzcheck.model import Paragraph, RawDocument
from fzcheck.readers.limits import Budget, read_member
from fzcheck.zhtext import CN_DIGITS, opening_marker

_SKIP_INLINE = {"del", "moveFrom", "pPr", "rPr", "commentRangeStart", "commentRangeEnd", "commentReference",
                "annotationRef", "bookmarkStart", "bookmarkEnd", "proofErr", "permStart", "permEnd", "instrText",
                "delText", "delInstrText", "fldChar", "lastRenderedPageBreak", "sectPr", "customXmlPr", "sdtPr",
                "sdtEndPr", "footnoteRef", "endnoteRef", "separator", "continuationSeparator"}
_RECURSE_INLINE = {"ins", "moveTo", "hyperlink", "smartTag", "customXml", "sdt", "sdtContent", "fldSimple", "dir",
                   "bdo", "r", "oMath", "oMathPara", "e", "num", "den", "sub", "sup", "deg", "lim", "fName"}
_CN_DIGITS = CN_DIGITS
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"
_HEADING_NAME = re.compile(r"^(heading|标题)\s*(\d)$", re.IGNORECASE)


def _local(tag: Any) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def _attr(el, name: str) -> str | None:
    for key, value in el.attrib.items():
        if key.rsplit("}", 1)[-1] == name:
            return value
    return None


def _child(el, name: str):
    if el is None:
        return None
    for c in el:
        if _local(c.tag) == name:
            return c
    return None


def _parse(data: bytes, name: str):
    import lxml.etree

    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                                  remove_comments=True, remove_pis=True)
    try:
        return lxml.etree.fromstring(data, parser)
    except lxml.etree.XMLSyntaxError as exc:
        raise InputError(msg("in.word_damaged", name=name, why=exc)) from None


# ------------------------------------------------------------------ numbers

def _cn_count(n: int, digits: str = _CN_DIGITS, ten: str = "十", hundred: str = "百") -> str:
    if n <= 0:
        return digits[0]
    if n < 10:
        return digits[n]
    if n < 20:
        return ten + (digits[n % 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + ten + (digits[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        tail = "" if rest == 0 else (digits[0] + digits[rest] if rest < 10 else
                                     (digits[1] if rest < 20 else "") + _cn_count(rest, digits, ten, hundred))
        return digits[n // 100] + hundred + tail
    return str(n)


def _int(value, default: int = 0, limit: int = 1_000_000) -> int:
    """An integer attribute of the XML; a value that is not a sensible number is the default
    (a list level 'abc', a start of 5,000 digits), and it is bounded by ``limit``."""
    text = str(value).strip() if value is not None else ""
    if not text or len(text) > 12:
        return default
    try:
        n = int(text)
    except ValueError:
        return default
    return max(-limit, min(limit, n))


def _roman(n: int) -> str:
    if not 0 < n < 4000:  # Word itself counts on in digits
        return str(n)
    vals = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
            (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for v, s in vals:
        while n >= v:
            out += s
            n -= v
    return out


def _letters(n: int) -> str:
    if n <= 0:
        return ""
    if n > 780:
        return str(n)
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str | None:
    """One counter in a Word number format; None for bullets."""
    if fmt == "bullet":
        return None
    if fmt == "none":
        return ""
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwanCounting",
               "taiwanCountingThousand", "koreanCounting"):
        return _cn_count(n)
    if fmt == "chineseLegalSimplified":
        return _cn_count(n, _CN_LEGAL, "拾", "佰")
    if fmt in ("ideographDigital", "japaneseDigitalTenThousand", "taiwanDigital"):
        return "".join(_CN_DIGITS[int(d)] for d in str(n))
    if fmt == "ideographTraditional":
        return _TIANGAN[(n - 1) % 10]
    if fmt == "ideographZodiac":
        return _DIZHI[(n - 1) % 12]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese", "ideographEnclosedCircle"):
        return chr(0x2460 + n - 1) if 1 <= n <= 20 else f"({n})"
    if fmt == "decimalEnclosedParen":
        return chr(0x2474 + n - 1) if 1 <= n <= 20 else f"({n})"
    if fmt == "decimalEnclosedFullstop":
        return chr(0x2488 + n - 1) if 1 <= n <= 20 else f"{n}."
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return "".join(chr(0xFF10 + int(d)) for d in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperLetter":
        return _letters(n)
    if fmt == "lowerLetter":
        return _letters(n).lower()
    return str(n)  # decimal, decimalHalfWidth, ordinal, cardinalText, … read as digits


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    restart: int | None = None  # restart after this level (1-based); None: after any higher level
    legal: bool = False
    suffix: str = "tab"


@dataclass
class _Numbering:
    abstract: dict[str, dict[int, _Level]] = field(default_factory=dict)
    nums: dict[str, tuple[str, dict[int, int], dict[int, _Level]]] = field(default_factory=dict)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)
    overridden: set[str] = field(default_factory=set)

    def level(self, num_id: str, ilvl: int) -> _Level | None:
        entry = self.nums.get(num_id)
        if entry is None:
            return None
        abstract_id, _starts, levels = entry
        return levels.get(ilvl) or self.abstract.get(abstract_id, {}).get(ilvl)

    def label(self, num_id: str, ilvl: int) -> str | None:
        """Advance the list's counter at this level and return the number Word shows."""
        entry = self.nums.get(num_id)
        if entry is None:
            return None
        abstract_id, starts, _levels = entry
        lvl = self.level(num_id, ilvl)
        if lvl is None:
            return None
        # Lists that override a start value count on their own; others share their abstract list.
        key = num_id if starts else abstract_id
        counts = self.counters.setdefault(key, {})
        if key == num_id and num_id not in self.overridden:
            self.overridden.add(num_id)
            counts.clear()
        if ilvl in counts:
            counts[ilvl] += 1
        else:
            counts[ilvl] = starts.get(ilvl, lvl.start)
        for deeper in [k for k in counts if k > ilvl]:
            dl = self.level(num_id, deeper)
            # lvlRestart absent: restart after any shallower level; 0: never; N: after level N (1-based).
            if dl is None or dl.restart is None or (dl.restart != 0 and ilvl <= dl.restart - 1):
                del counts[deeper]
        if lvl.fmt == "bullet":
            return None

        def repl(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            kl = self.level(num_id, k) or _Level()
            value = counts.get(k, starts.get(k, kl.start))
            out = format_number(value, "decimal" if lvl.legal and k != ilvl else kl.fmt)
            return out or ""

        text = re.sub(r"%([1-9])", repl, lvl.text)
        if not text:
            return ""
        if lvl.suffix != "nothing" and text[-1].isascii() and text[-1].isalnum():
            text += " "
        return text


def _read_numbering(root) -> _Numbering:
    numbering = _Numbering()
    if root is None:
        return numbering

    def read_level(el) -> tuple[int, _Level]:
        ilvl = _int(_attr(el, "ilvl"), 0, 9)
        lvl = _Level()
        for c in el:
            name = _local(c.tag)
            val = _attr(c, "val")
            if name == "start" and val and val.lstrip("-").isdigit():
                lvl.start = _int(val, 1)
            elif name == "numFmt" and val:
                lvl.fmt = val
            elif name == "lvlText":
                lvl.text = val or ""
            elif name == "lvlRestart" and val and val.isdigit():
                lvl.restart = _int(val, 0)
            elif name == "isLgl":
                lvl.legal = val not in ("0", "false")
            elif name == "suff" and val:
                lvl.suffix = val
        return ilvl, lvl

    for el in root:
        name = _local(el.tag)
        if name == "abstractNum":
            levels = {}
            for lv in el:
                if _local(lv.tag) == "lvl":
                    ilvl, lvl = read_level(lv)
                    levels[ilvl] = lvl
            numbering.abstract[_attr(el, "abstractNumId") or ""] = levels
    for el in root:
        if _local(el.tag) != "num":
            continue
        num_id = _attr(el, "numId") or ""
        abstract_id = ""
        starts: dict[int, int] = {}
        levels: dict[int, _Level] = {}
        for c in el:
            name = _local(c.tag)
            if name == "abstractNumId":
                abstract_id = _attr(c, "val") or ""
            elif name == "lvlOverride":
                ilvl = _int(_attr(c, "ilvl"), 0, 9)
                for o in c:
                    if _local(o.tag) == "startOverride" and (_attr(o, "val") or "").isdigit():
                        starts[ilvl] = _int(_attr(o, "val"), 1)
                    elif _local(o.tag) == "lvl":
                        _, lvl = read_level(o)
                        levels[ilvl] = lvl
        numbering.nums[num_id] = (abstract_id, starts, levels)
    return numbering


# ------------------------------------------------------------------ styles

@dataclass
class _Style:
    name: str = ""
    based_on: str | None = None
    num_id: str | None = None
    ilvl: int | None = None
    outline: int | None = None


def _read_styles(root) -> dict[str, _Style]:
    styles: dict[str, _Style] = {}
    if root is None:
        return styles
    for el in root:
        if _local(el.tag) != "style" or _attr(el, "type") not in (None, "paragraph"):
            continue
        st = _Style()
        for c in el:
            name = _local(c.tag)
            if name == "name":
                st.name = _attr(c, "val") or ""
            elif name == "basedOn":
                st.based_on = _attr(c, "val")
            elif name == "pPr":
                num_pr = _child(c, "numPr")
                if num_pr is not None:
                    st.num_id = _attr(_child(num_pr, "numId"), "val") if _child(num_pr, "numId") is not None else None
                    il = _child(num_pr, "ilvl")
                    st.ilvl = _int(_attr(il, "val"), 0, 9) if il is not None else None
                ol = _child(c, "outlineLvl")
                if ol is not None and (_attr(ol, "val") or "").isdigit():
                    st.outline = _int(_attr(ol, "val"), 0, 9)
        styles[_attr(el, "styleId") or ""] = st
    return styles


def _style_chain(styles: dict[str, _Style], style_id: str | None):
    seen = set()
    while style_id and style_id in styles and style_id not in seen:
        seen.add(style_id)
        yield styles[style_id]
        style_id = styles[style_id].based_on


def _heading_level(styles: dict[str, _Style], style_id: str | None, ppr) -> int | None:
    ol = _child(ppr, "outlineLvl")
    if ol is not None and (_attr(ol, "val") or "").isdigit():
        v = _int(_attr(ol, "val"), 9, 9)
        return v + 1 if v < 9 else None
    for st in _style_chain(styles, style_id):
        m = _HEADING_NAME.match(st.name.strip())
        if m:
            return int(m.group(2))
        if st.outline is not None:
            return st.outline + 1 if st.outline < 9 else None
    return None


# ------------------------------------------------------------------ the body

@dataclass
class _Para:
    text: str
    loc: dict[str, Any]
    heading: int | None = None
    numbered: bool = False
    title: bool = False


class _Reader:
    def __init__(self, styles, numbering, notes, budget: Budget):
        self.styles = styles
        self.numbering = numbering
        self.notes = notes  # ("footnote"|"endnote", id) -> element
        self.budget = budget
        self.out: list[_Para] = []
        self.count = 0
        self.tables = 0
        self.textboxes = 0
        self.carry = ""  # text of a paragraph whose mark was deleted (joins the next)
        self.carry_loc: dict[str, Any] | None = None
        self.notes_read: set[Any] = set()

    # blocks
    def blocks(self, el, loc: dict[str, Any]) -> None:
        for child in el:
            name = _local(child.tag)
            if name == "p":
                self.paragraph(child, loc)
            elif name == "tbl":
                self.table(child, loc)
            elif name in ("sdt", "sdtContent", "customXml", "ins", "moveTo", "txbxContent", "body"):
                self.blocks(child, loc)
            elif name == "AlternateContent":
                self.blocks(self._choice(child), loc)

    @staticmethod
    def _choice(alt):
        for c in alt:
            if _local(c.tag) in ("Choice", "Fallback"):
                return c
        return alt

    def table(self, tbl, loc: dict[str, Any]) -> None:
        self.tables += 1
        t = self.tables
        r = 0
        for row in self._rows(tbl):
            trpr = _child(row, "trPr")
            if trpr is not None and _child(trpr, "del") is not None:
                continue  # a deleted row
            r += 1
            c = 0
            for cell in self._cells(row):
                c += 1
                self.blocks(cell, {**{k: v for k, v in loc.items() if k != "paragraph"},
                                   "table": t, "row": r, "cell": c})

    def _rows(self, el):
        return self._children(el, "tr")

    def _cells(self, row):
        return self._children(row, "tc")

    def _children(self, el, wanted: str):
        """Child elements named `wanted`, looking through content controls and insertions."""
        for c in el:
            name = _local(c.tag)
            if name == wanted:
                yield c
            elif name in ("sdt", "sdtContent", "customXml", "ins"):
                yield from self._children(c, wanted)

    def paragraph(self, p, loc: dict[str, Any]) -> None:
        self.count += 1
        if self.count & 63 == 0:
            self.budget.tick()  # work that emits nothing is bounded too
        here = {"paragraph": self.count, **{k: v for k, v in loc.items() if k != "paragraph"}}
        ppr = _child(p, "pPr")
        pieces: list[str] = []
        deferred: list[tuple[str, Any]] = []
        self.inline(p, pieces, deferred)
        text = "".join(pieces)
        style_id = None
        if ppr is not None and _child(ppr, "pStyle") is not None:
            style_id = _attr(_child(ppr, "pStyle"), "val")
        heading = _heading_level(self.styles, style_id, ppr)
        title = any(st.name.strip().lower() in ("title", "subtitle", "标题") for st in
                    _style_chain(self.styles, style_id))
        label = self._label(ppr, style_id)
        mark_deleted = False
        if ppr is not None:
            rpr = _child(ppr, "rPr")
            mark_deleted = rpr is not None and (_child(rpr, "del") is not None or
                                                _child(rpr, "moveFrom") is not None)
        if self.carry:
            text = self.carry + text
            here = self.carry_loc or here
            self.carry, self.carry_loc = "", None
        if mark_deleted:
            # Accepting the deletion of the paragraph mark joins this paragraph to the next.
            self.carry = (label or "") + text
            self.carry_loc = here
        else:
            lines = text.split("\n")
            first = True
            for line in lines:
                if not line.strip() and not (first and label):
                    first = False
                    continue
                value = ((label or "") + line) if first else line
                self.emit(_Para(value, dict(here), heading if first else None, bool(label) and first,
                                title and first))
                first = False
        for kind, obj in deferred:
            if kind == "txbx":
                self.textboxes += 1
                self.blocks(obj, {**{k: v for k, v in loc.items() if k != "paragraph"},
                                  "textbox": self.textboxes})
            else:
                note = self.notes.get(obj)
                if note is not None and obj not in self.notes_read:  # a note is read once, as Word prints it once
                    self.notes_read.add(obj)
                    saved = self.count
                    self.count = here["paragraph"] - 1
                    self.blocks(note, {obj[0]: int(obj[1]) if obj[1].isdigit() else obj[1]})
                    self.count = saved

    def emit(self, para: _Para) -> None:
        self.budget.add(para.text)
        self.out.append(para)

    def _label(self, ppr, style_id: str | None) -> str | None:
        num_id, ilvl = None, None
        num_pr = _child(ppr, "numPr") if ppr is not None else None
        if num_pr is not None:
            n = _child(num_pr, "numId")
            i = _child(num_pr, "ilvl")
            num_id = _attr(n, "val") if n is not None else None
            ilvl = _int(_attr(i, "val"), 0, 9) if i is not None else None
        if num_id is None or ilvl is None:
            for st in _style_chain(self.styles, style_id):
                if num_id is None and st.num_id is not None:
                    num_id = st.num_id
                if ilvl is None and st.ilvl is not None:
                    ilvl = st.ilvl
        if not num_id or num_id == "0":
            return None
        return self.numbering.label(num_id, ilvl or 0)

    def inline(self, el, pieces: list[str], deferred: list[tuple[str, Any]]) -> None:
        for child in el:
            name = _local(child.tag)
            if name in _SKIP_INLINE:
                continue
            if name == "r":
                rpr = _child(child, "rPr")
                if rpr is not None and _child(rpr, "vanish") is not None and _child(rpr, "specVanish") is None:
                    continue  # hidden text
                self.inline(child, pieces, deferred)
            elif name == "t":
                pieces.append(child.text or "")
            elif name == "tab" or name == "ptab":
                pieces.append("\t")
            elif name in ("br", "cr"):
                pieces.append("\n")
            elif name == "noBreakHyphen":
                pieces.append("-")
            elif name == "sym":
                code = _attr(child, "char") or ""
                try:
                    ch = chr(int(code, 16)) if len(code) <= 8 else ""
                except (ValueError, OverflowError):
                    ch = ""
                if ch and not 0xD800 <= ord(ch) <= 0xDFFF and not (0xE000 <= ord(ch) <= 0xF8FF or 0xF000 <= ord(ch) <= 0xF0FF):
                    pieces.append(ch)
            elif name in ("footnoteReference", "endnoteReference"):
                note_id = _attr(child, "id")
                if note_id is not None:
                    deferred.append(("note", (name[:-9], note_id)))
            elif name in ("drawing", "pict", "object"):
                # the outermost text boxes only: a box inside a box is read with its box
                # (collecting every descendant read each box once per enclosing box: 2^depth)
                stack = list(child)[::-1]
                while stack:
                    box = stack.pop()
                    if _local(box.tag) == "txbxContent":
                        deferred.append(("txbx", box))
                    else:
                        stack.extend(list(box)[::-1])
            elif name == "AlternateContent":
                self.inline(self._choice(child), pieces, deferred)
            elif name in _RECURSE_INLINE or name in ("Choice", "Fallback"):
                self.inline(child, pieces, deferred)
            elif name == "p":  # paragraphs nested in inline content (rare): keep their text
                self.inline(child, pieces, deferred)


def _marker_start(text: str) -> bool:
    return opening_marker(text) is not None


def _finish(paras: list[_Para]) -> list[Paragraph]:
    """Mark headings that have no number at all as '#' headings, when their level has no numbers elsewhere."""
    levels_with_marks: set[int] = set()
    for p in paras:
        if p.heading and (p.numbered or _marker_start(p.text)):
            levels_with_marks.add(p.heading)
    out: list[Paragraph] = []
    seen_text = False
    for p in paras:
        text = p.text
        if (p.heading and not p.numbered and not p.title and p.heading not in levels_with_marks
                and not _marker_start(text) and len(text.strip()) <= 60 and seen_text):
            text = "#" * min(p.heading, 6) + " " + text.strip()
        if text.strip():
            seen_text = True  # a heading-styled first paragraph is the document's title
            out.append(Paragraph(text, [(0, p.loc)]))
    return out


def _note_parts(zf: zipfile.ZipFile, names: set[str], total: list[int]) -> dict[tuple[str, str], Any]:
    notes: dict[tuple[str, str], Any] = {}
    for part, kind in (("word/footnotes.xml", "footnote"), ("word/endnotes.xml", "endnote")):
        if part not in names:
            continue
        root = _parse(read_member(zf, part, total), part)
        for note in root:
            if _local(note.tag) != kind or _attr(note, "type") in ("separator", "continuationSeparator",
                                                                   "continuationNotice"):
                continue
            notes[(kind, _attr(note, "id") or "")] = note
    return notes


def read_docx(path: str, data: bytes) -> RawDocument:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise InputError(msg("in.docx_not_zip")) from None
    budget = Budget()
    total = [0]
    try:
        names = set(zf.namelist())
        body_xml = read_member(zf, "word/document.xml", total)
        styles = _read_styles(_parse(read_member(zf, "word/styles.xml", total), "styles.xml")
                              if "word/styles.xml" in names else None)
        numbering = _read_numbering(_parse(read_member(zf, "word/numbering.xml", total), "numbering.xml")
                                    if "word/numbering.xml" in names else None)
        notes = _note_parts(zf, names, total)
        root = _parse(body_xml, "document.xml")
    except zipfile.BadZipFile as exc:
        raise InputError(msg("in.docx_damaged", why=exc)) from None
    except (zlibError, EOFError) as exc:
        raise InputError(msg("in.docx_damaged", why=exc)) from None
    except NotImplementedError as exc:
        raise InputError(msg("in.docx_compression", why=exc)) from None
    body = _child(root, "body")
    if body is None:
        raise InputError(msg("in.docx_no_body"))
    reader = _Reader(styles, numbering, notes, budget)
    reader.blocks(body, {})
    if reader.carry:
        reader.emit(_Para(reader.carry, reader.carry_loc or {"paragraph": reader.count}))
    paragraphs = _finish(reader.out)
    return RawDocument(path, paragraphs, kind="docx",
                       meta={"paragraphs": reader.count, "tables": reader.tables})


try:  # zlib is part of CPython, but keep the name resolvable in the except clause
    from zlib import error as zlibError  # noqa: N812
except ImportError:  # pragma: no cover
    zlibError = OSError  # type: ignore[misc,assignment]  # noqa: N816
