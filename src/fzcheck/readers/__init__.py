"""Readers turn a file into paragraphs with locations in the original.

A reader is chosen by the file's content first and its name second, so that a
.txt that is really something else is still recognised. Each reader returns a
:class:`fzcheck.model.RawDocument`; normalization happens afterwards, in one place.
"""
from __future__ import annotations

import os
import stat
import re
from typing import Callable

from fzcheck.errors import InputError
from fzcheck.i18n import msg
from fzcheck.model import RawDocument

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

Reader = Callable[[str, bytes], RawDocument]

# Text-like extensions that the plain-text reader accepts.
TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ""}
# Extensions of the files fzcheck reads. A folder walk takes every file (hidden files and
# editors' lock files aside), so that each file received gets its row: a result, or what
# it is and what to do ("无法检查：.odt 请另存为 .docx"); the count equals the files received.
REPORT_SUFFIXES = {".txt", ".md", ".markdown", ".docx", ".pdf", ".html", ".htm", ".doc", ".wps"}


def _skipped_in_walk(name: str) -> bool:
    """Files no one sent as a report: hidden files, Office lock files (~$x.docx), Thumbs.db."""
    return name.startswith((".", "~$")) or name.lower() in ("thumbs.db", "desktop.ini")

_OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")
_HTML: list[re.Pattern[bytes]] = []  # compiled on the first file that holds a "<"


def _html_patterns() -> list[re.Pattern[bytes]]:
    """(the start of an HTML page, an <html> or <body> tag anywhere): both need a "<"."""
    if not _HTML:
        _HTML[:] = [re.compile(rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|title)\b",
                               re.IGNORECASE | re.DOTALL),
                    re.compile(rb"<(html|body)\b[^>]*>", re.IGNORECASE)]
    return _HTML


def _suffix(path: str | os.PathLike[str]) -> str:
    """pathlib's suffix of a path's last part (.txt; "" for .bashrc or "name."), without pathlib."""
    name = os.path.basename(os.fspath(path).rstrip("/" + os.sep))
    i = name.rfind(".")
    return name[i:] if 0 < i < len(name) - 1 else ""


def _ole2_kind(data: bytes, suffix: str) -> str:
    """Tell an encrypted Office file from a legacy Word/WPS binary (both are OLE2)."""
    names = data[:1 << 20]
    if "EncryptedPackage".encode("utf-16-le") in names or "EncryptionInfo".encode("utf-16-le") in names:
        raise InputError(msg("in.office_encrypted"))
    if suffix == ".wps" or "WpsContent".encode("utf-16-le") in names or b"Kingsoft" in names:
        raise InputError(msg("in.wps_binary"))
    if "WordDocument".encode("utf-16-le") in names or suffix == ".doc":
        raise InputError(msg("in.doc_binary"))
    raise InputError(msg("in.ole_other"))


def _zip_kind(data: bytes) -> str:
    import io
    import zipfile

    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise InputError(msg("in.zip_damaged")) from None
    except NotImplementedError as exc:  # pragma: no cover - exotic zip features
        raise InputError(msg("in.zip_unsupported", why=exc)) from None
    if "word/document.xml" in names:
        return "docx"
    if "OFD.xml" in names or any(n.lower().endswith("/ofd.xml") for n in names):
        raise InputError(msg("in.kind.ofd"))
    if "content.xml" in names or "mimetype" in names:
        raise InputError(msg("in.kind.odt"))
    if any(n.startswith("xl/") for n in names):
        raise InputError(msg("in.excel"))
    if any(n.startswith("ppt/") for n in names):
        raise InputError(msg("in.powerpoint"))
    raise InputError(msg("in.kind.zip"))


# Kinds named by their extension when their first bytes do not tell (a spreadsheet, slides …).
_OTHER_KINDS = {".xls": "in.kind.sheet", ".xlsx": "in.kind.sheet", ".et": "in.kind.sheet", ".csv": "in.kind.sheet",
                ".ppt": "in.kind.slides", ".pptx": "in.kind.slides", ".dps": "in.kind.slides",
                ".ofd": "in.kind.ofd", ".odt": "in.kind.odt", ".rtf": "in.kind.rtf",
                ".zip": "in.kind.zip", ".rar": "in.kind.zip", ".7z": "in.kind.zip"}


def sniff(data: bytes, suffix: str) -> str:
    """Name the kind of a file from its first bytes, falling back on its suffix.

    Raises :class:`InputError` with what the file is and what to do for the
    kinds that cannot be read (legacy .doc/.wps, encrypted Office files, images …).
    """
    head = data[:1024]
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _zip_kind(data)
    if head.lstrip(b"\xef\xbb\xbf \t\r\n\x00").startswith(b"%PDF-") or (
            b"%PDF-" in head and suffix not in TEXT_SUFFIXES | {".html", ".htm"}):
        return "pdf"  # a text that mentions "%PDF-1.7" in its first lines is still a text
    if head.startswith(_OLE2):
        return _ole2_kind(data, suffix)
    if head.startswith(b"{\\rtf"):
        raise InputError(msg("in.kind.rtf"))
    for magic, what in ((b"\x89PNG", "PNG"), (b"\xff\xd8\xff", "JPEG"), (b"II*\x00", "TIFF"), (b"MM\x00*", "TIFF"),
                        (b"GIF8", "GIF"), (b"BM", "BMP")):
        if head.startswith(magic) and (what != "BMP" or suffix == ".bmp"):
            raise InputError(msg("in.kind.image", what=what))
    if suffix in _OTHER_KINDS:
        raise InputError(msg(_OTHER_KINDS[suffix], suffix=suffix))
    if suffix == ".pdf":
        raise InputError(msg("in.not_pdf"))
    if head.startswith(b"MIME-Version:") or b"Content-Type: multipart/related" in head:
        raise InputError(msg("in.mht"))
    body = head.lstrip(b"\xef\xbb\xbf")
    start = data[:8192]
    if suffix in (".html", ".htm", ".xhtml", ".shtml") or (
            b"<" in start and (_html_patterns()[0].match(body) or _html_patterns()[1].search(start))):
        return "html"
    if suffix in (".md", ".markdown"):
        return "markdown"
    return "text"


def _reader_for(kind: str) -> Reader:
    if kind in ("text", "markdown"):
        from fzcheck.readers import text

        return text.read_text if kind == "text" else text.read_markdown
    if kind == "html":
        from fzcheck.readers import html

        return html.read_html
    if kind == "docx":
        from fzcheck.readers import docx

        return docx.read_docx
    if kind == "pdf":
        from fzcheck.readers import pdf

        return pdf.read_pdf
    raise InputError(f"no reader for {kind} files")  # pragma: no cover - sniff only returns known kinds


def read_document(path: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES) -> RawDocument:
    p = os.fspath(path)
    name = str(path)
    try:
        if os.path.isdir(p or "."):  # as pathlib: "" is the current folder
            raise InputError(msg("in.folder"), name)
        st = os.stat(p)
        if not stat.S_ISREG(st.st_mode):
            raise InputError(msg("in.not_regular"), name)
        size = st.st_size
        if max_bytes and size > max_bytes:
            raise InputError(msg("in.too_big", size=f"{size / 1048576:.1f}", limit=f"{max_bytes / 1048576:.1f}"), name)
        with open(p, "rb") as fh:
            data = fh.read(max_bytes + 1 if max_bytes else -1)
    except FileNotFoundError:
        raise InputError(msg("in.no_file"), name) from None
    except PermissionError:
        raise InputError(msg("in.denied"), name) from None
    except IsADirectoryError:
        raise InputError(msg("in.folder"), name) from None
    except OSError as exc:
        raise InputError(msg("cfg.bad_text", why=exc.strerror or exc), name) from None
    if max_bytes and len(data) > max_bytes:
        raise InputError(msg("in.too_big_read", limit=f"{max_bytes / 1048576:.1f}"), name)
    try:
        kind = sniff(data, _suffix(p).lower())
        doc = _reader_for(kind)(name, data)
    except InputError as exc:
        exc.path = exc.path or name
        raise
    except MemoryError:
        raise InputError(msg("in.memory"), name) from None
    except RecursionError:
        raise InputError(msg("in.too_deep"), name) from None
    if not any(par.text.strip() for par in doc.paragraphs):
        raise InputError(msg("in.no_text"), name)
    return doc


def _inside(path: str, root: str) -> bool:
    real = os.path.realpath(path)
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def iter_report_files(paths: list[str], warn: Callable[[str, str], None] | None = None) -> list[str]:
    """Expand folders (recursively, sorted, symlink loops skipped) into report files.

    A walk stays inside the folder given: a symbolic link that leads out of it (to ``/``,
    to a secret file) is not followed; ``warn(path, message)`` is told about it."""
    from fzcheck.i18n import msg

    out: list[str] = []
    for raw in paths:
        if os.path.isdir(raw or "."):
            from pathlib import Path  # only for a folder (its walk's paths as before)

            p = Path(raw)
            top = os.path.realpath(p)
            seen: set[str] = set()

            def leaves(full: str) -> bool:
                """A link out of the folder given: said so, never followed."""
                if os.path.islink(full) and not _inside(full, top):
                    if warn is not None:
                        warn(full, msg("in.symlink_out"))
                    return True
                return False

            for root, dirs, files in os.walk(p, followlinks=True):
                real = os.path.realpath(root)
                if real in seen:
                    dirs[:] = []
                    continue
                seen.add(real)
                dirs[:] = [d for d in sorted(dirs) if not leaves(os.path.join(root, d))]
                for f in sorted(files):
                    if not _skipped_in_walk(f):
                        full = os.path.join(root, f)
                        if not leaves(full):
                            out.append(full)
        else:
            out.append(raw)
    return out
