"""Readers turn a file into paragraphs with locations in the original.

A reader is chosen by the file's content first and its name second, so that a
.txt that is really something else is still recognised. Each reader returns a
:class:`fzcheck.model.RawDocument`; normalization happens afterwards, in one place.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from fzcheck.errors import InputError
from fzcheck.model import RawDocument

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

Reader = Callable[[str, bytes], RawDocument]

# Text-like extensions that the plain-text reader accepts.
TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ""}
# Extensions that a batch picks up when walking a folder.
REPORT_SUFFIXES = {".txt", ".md", ".markdown"}


def sniff(data: bytes, suffix: str) -> str:
    """Name the kind of a file from its first bytes, falling back on its suffix."""
    if suffix in (".md", ".markdown"):
        return "markdown"
    return "text"


def _reader_for(kind: str) -> Reader:
    from fzcheck.readers import text

    readers: dict[str, Reader] = {"text": text.read_text, "markdown": text.read_markdown}
    try:
        return readers[kind]
    except KeyError:  # pragma: no cover - sniff only returns known kinds
        raise InputError(f"no reader for {kind} files") from None


def read_document(path: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES) -> RawDocument:
    p = Path(path)
    name = str(path)
    try:
        if p.is_dir():
            raise InputError("is a folder, not a report file", name)
        size = p.stat().st_size
        if max_bytes and size > max_bytes:
            raise InputError(
                f"file is {size / 1048576:.1f} MB, over the limit of {max_bytes / 1048576:.1f} MB "
                "(raise it with --max-size)", name)
        with open(p, "rb") as fh:
            data = fh.read(max_bytes + 1 if max_bytes else -1)
    except FileNotFoundError:
        raise InputError("no such file", name) from None
    except PermissionError:
        raise InputError("permission denied", name) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a report file", name) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", name) from None
    kind = sniff(data, p.suffix.lower())
    try:
        doc = _reader_for(kind)(name, data)
    except InputError as exc:
        exc.path = exc.path or name
        raise
    if not any(par.text.strip() for par in doc.paragraphs):
        raise InputError("the file has no text", name)
    return doc


def iter_report_files(paths: list[str]) -> list[str]:
    """Expand folders (recursively, sorted, symlink loops skipped) into report files."""
    out: list[str] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            seen: set[str] = set()
            for root, dirs, files in os.walk(p, followlinks=True):
                real = os.path.realpath(root)
                if real in seen:
                    dirs[:] = []
                    continue
                seen.add(real)
                dirs.sort()
                for f in sorted(files):
                    if Path(f).suffix.lower() in REPORT_SUFFIXES and not f.startswith("."):
                        out.append(os.path.join(root, f))
        else:
            out.append(raw)
    return out
