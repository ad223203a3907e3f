"""Plain text and Markdown: decode, then one paragraph per non-empty line.

Decoding is decided by the bytes, never by the locale: a byte-order mark first,
then strict UTF-8 (the common case, and ASCII), then a detector
(charset-normalizer) choosing among the encodings Chinese reports come in —
GB18030/GBK, Big5, UTF-16 without a mark — and, when it has no opinion, strict
GB18030 and then Big5.
"""
from __future__ import annotations

import codecs

from fzcheck import lazyre
from fzcheck.errors import InputError
from fzcheck.i18n import msg
from fzcheck.model import Paragraph, RawDocument

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# What the detector may answer, and the codec we then decode with (a superset:
# GBK and GB2312 text is GB18030 text; Big5 files often use HKSCS or CP950 extras).
_CANDIDATES = {
    "gb18030": "gb18030", "gbk": "gb18030", "gb2312": "gb18030", "hz": "gb18030",
    "big5": "big5hkscs", "big5hkscs": "big5hkscs", "cp950": "big5hkscs",
    "utf_16_le": "utf-16-le", "utf_16_be": "utf-16-be",
    "utf_8": "utf-8",
}
_ISOLATION = ["utf_8", "gb18030", "big5", "utf_16_le", "utf_16_be"]
_DETECT_BYTES = 256 * 1024  # the detector reads at most this much


def _plausible(text: str) -> float:
    """Share of characters a Chinese report is made of (Han, CJK punctuation, ASCII, full-width forms)."""
    if not text:
        return 0.0
    good = sum(1 for c in text if c in "\n\r\t" or " " <= c <= "~" or "\u4e00" <= c <= "\u9fff"
               or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef" or "\u2010" <= c <= "\u2027")
    return good / len(text)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a mark: NUL bytes, and one byte order reads as plausible text."""
    if len(data) < 4 or len(data) % 2 or b"\x00" not in data[:4096]:
        return None
    sample = data[:8192]
    best, best_score = None, 0.0
    for enc in ("utf-16-le", "utf-16-be"):
        score = _plausible(sample.decode(enc, errors="replace"))
        if score > best_score:
            best, best_score = enc, score
    return best if best_score >= 0.9 else None


def _detect(data: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    best = from_bytes(data[:_DETECT_BYTES], cp_isolation=_ISOLATION).best()
    if best is None:
        return None
    return _CANDIDATES.get(best.encoding)


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes as text; return the text and the encoding used."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data.decode(enc, errors="replace"), enc
    utf16 = _utf16_without_bom(data)
    if utf16:
        try:
            return data.decode(utf16), utf16
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:4096]:
        raise InputError(msg("in.binary"))
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    tried = []
    detected = _detect(data)
    if detected:
        tried.append(detected)
    for enc in tried + ["gb18030", "big5hkscs"]:
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    raise InputError(msg("in.undecodable"))


# regex patterns through fzcheck.lazyre: rebuilt from the compiled-pattern cache, not compiled every run
_HAN = lazyre.compile(r"[\u4e00-\u9fff]")
_MOJIBAKE_HINT = lazyre.compile(r"[\u00c0-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u2018-\u203a\ue000-\uf8ff]"
                                r"|[娉鏀寤骞鎶锛绔棰灏銆鍙缁鐨閮鏈浜瀹璁欢]")
_LOST = lazyre.compile("\ufffd+")


def _cp1252_bytes(line: str) -> bytes | None:
    out = bytearray()
    for ch in line:
        if ch == "\ufffd":  # a byte already lost: keep it lost
            out += b"\xff"
            continue
        try:
            out += ch.encode("cp1252")
        except UnicodeEncodeError:
            if ord(ch) < 256:
                out.append(ord(ch))
            else:
                return None
    return bytes(out)


def repair_mojibake(line: str) -> str:
    """Undo UTF-8 text that was once decoded as GBK or as Windows-1252 and saved again.

    "娉曟不鏀垮簻" → "法治政府", "æ³•æ²»" → "法治". A line is repaired only when
    re-encoding it gives valid UTF-8 (a few lost bytes aside) that reads as Chinese;
    real Chinese text never does.
    """
    if len(line) < 4 or not _MOJIBAKE_HINT.search(line):
        return line
    for raw in (_encode_or_none(line, "gb18030"), _cp1252_bytes(line)):
        if not raw:
            continue
        fixed = raw.decode("utf-8", errors="replace")
        lost = len(_LOST.findall(fixed))  # characters lost, each one run of replacement marks
        if not _HAN.search(fixed) or lost > max(2, len(fixed) // 8) or len(fixed) >= len(line):
            continue
        if _plausible(fixed.replace("\ufffd", "")) >= 0.95:
            return fixed
    return line


def _encode_or_none(line: str, encoding: str) -> bytes | None:
    try:
        return b"\xff".join(part.encode(encoding) for part in line.split("\ufffd"))
    except UnicodeEncodeError:
        return None


def _lines(text: str) -> list[str]:
    """Lines as ``grep -n`` and editors count them: at LF (CRLF is one break; a file of CR
    alone, old Mac style, breaks at CR). A form feed, vertical tab, U+2028 … stays inside
    its line (``str.splitlines`` would break there and shift every later line number)."""
    if "\n" in text:
        return [ln[:-1] if ln.endswith("\r") else ln for ln in text.split("\n")]
    return text.split("\r")


def paragraphs_from_text(text: str, max_paragraphs: int | None = None) -> list[Paragraph]:
    from fzcheck.readers.limits import MAX_PARAGRAPHS

    limit = MAX_PARAGRAPHS if max_paragraphs is None else max_paragraphs
    out = []
    for n, line in enumerate(_lines(text), start=1):
        if line.strip():
            out.append(Paragraph(line, [(0, {"line": n})]))
            if len(out) > limit:
                from fzcheck.i18n import msg

                raise InputError(msg("in.too_many_lines", n=limit))
    return out


def read_text(path: str, data: bytes) -> RawDocument:
    text, enc = decode(data)
    paragraphs = paragraphs_from_text(text)
    repaired = 0
    for par in paragraphs:
        fixed = repair_mojibake(par.text)
        if fixed != par.text:
            par.text = fixed
            repaired += 1
    meta = {"encoding": enc}
    if repaired:
        meta["mojibake_lines_repaired"] = repaired
    return RawDocument(path, paragraphs, kind="text", meta=meta)


def read_markdown(path: str, data: bytes) -> RawDocument:
    doc = read_text(path, data)
    doc.kind = "markdown"
    return doc
