"""Plain text and Markdown: decode, then one paragraph per non-empty line."""
from __future__ import annotations

import codecs

from fzcheck.errors import InputError
from fzcheck.model import Paragraph, RawDocument

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes as text: BOMs first, then strict UTF-8, GB18030 and Big5."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data.decode(enc, errors="replace"), enc
    if b"\x00" in data[:4096]:
        raise InputError("binary data, not a text file (it contains NUL bytes)")
    for enc in ("utf-8", "gb18030", "big5"):
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    raise InputError("cannot decode the text (not UTF-8, GB18030 or Big5)")


def paragraphs_from_text(text: str) -> list[Paragraph]:
    out = []
    for n, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            out.append(Paragraph(line, [(0, {"line": n})]))
    return out


def read_text(path: str, data: bytes) -> RawDocument:
    text, enc = decode(data)
    return RawDocument(path, paragraphs_from_text(text), kind="text", meta={"encoding": enc})


def read_markdown(path: str, data: bytes) -> RawDocument:
    doc = read_text(path, data)
    doc.kind = "markdown"
    return doc
