"""Limits that protect the machine from hostile or runaway input.

The input size is checked before reading (``--max-size``). Inside a file, the
readers share one :class:`Budget`: it bounds how much text is extracted, how
many paragraphs and pages are processed, and how long parsing may take, and
turns an overrun into one clear :class:`InputError`.
"""
from __future__ import annotations

import time
from typing import TYPE_CHECKING

from fzcheck.errors import InputError
from fzcheck.model import Record

if TYPE_CHECKING:  # zipfile is imported by the readers of .docx, not by every run
    import zipfile

MAX_TEXT_CHARS = 5_000_000  # extracted text; a long report has ~50,000
MAX_PARAGRAPHS = 100_000
MAX_PAGES = 1_000
MAX_SECONDS = 60.0
# Zip containers (.docx): checked in the central directory before inflating.
MAX_MEMBER_BYTES = 64 * 1024 * 1024  # one XML part, inflated
MAX_TOTAL_BYTES = 256 * 1024 * 1024  # every part read, inflated
MAX_RATIO = 200  # inflated / compressed; XML compresses ~10:1, bombs 1000:1

# The whole document's deadline (time.monotonic()), set around each document by the batch
# (``--timeout``): every Budget and every long loop of a reader checks it.
_DEADLINE: list[float | None] = [None, 0.0]  # [deadline, the limit in seconds]


def set_deadline(when: float | None, seconds: float = 0.0) -> None:
    _DEADLINE[0] = when
    _DEADLINE[1] = seconds


def check_deadline() -> None:
    """Raise the one-line error when the document's time is up (for a reader's long loop)."""
    d = _DEADLINE[0]
    if d is not None and time.monotonic() > d:
        from fzcheck.i18n import msg

        raise InputError(msg("run.timeout", seconds=_DEADLINE[1]))


def deadline() -> float | None:
    return _DEADLINE[0]


def over_deadline() -> bool:
    d = _DEADLINE[0]
    return d is not None and time.monotonic() > d


class Budget(Record):
    __slots__ = _fields = ("max_chars", "max_paragraphs", "max_pages", "max_seconds", "chars", "paragraphs",
                           "started")

    def __init__(self, max_chars: int = MAX_TEXT_CHARS, max_paragraphs: int = MAX_PARAGRAPHS,
                 max_pages: int = MAX_PAGES, max_seconds: float = MAX_SECONDS, chars: int = 0, paragraphs: int = 0,
                 started: float | None = None):
        self.max_chars = max_chars
        self.max_paragraphs = max_paragraphs
        self.max_pages = max_pages
        self.max_seconds = max_seconds
        self.chars = chars
        self.paragraphs = paragraphs
        self.started = time.monotonic() if started is None else started

    def add(self, text: str) -> None:
        """Account for one extracted paragraph."""
        self.chars += len(text)
        self.paragraphs += 1
        if self.chars > self.max_chars:
            raise InputError(_msg("in.too_many_chars", n=self.max_chars))
        if self.paragraphs > self.max_paragraphs:
            raise InputError(_msg("in.too_many_paragraphs", n=self.max_paragraphs))
        if self.paragraphs % 256 == 0:
            self.tick()

    def tick(self) -> None:
        now = time.monotonic()
        d = _DEADLINE[0]
        if d is not None and now > d:
            from fzcheck.i18n import msg

            raise InputError(msg("run.timeout", seconds=_DEADLINE[1]))
        if now - self.started > self.max_seconds:
            raise InputError(_msg("in.read_slow", seconds=self.max_seconds))


def _msg(key: str, **kwargs: object) -> str:
    from fzcheck.i18n import msg

    return msg(key, **kwargs)


def read_member(zf: zipfile.ZipFile, name: str, total: list[int] | None = None,
                max_member: int = MAX_MEMBER_BYTES, max_ratio: float = MAX_RATIO,
                max_total: int = MAX_TOTAL_BYTES) -> bytes:
    """Read one member of a zip archive, refusing sizes and ratios of a zip bomb.

    The declared sizes are checked first (from the central directory, before
    anything is inflated); the read itself is capped too, since a hostile
    archive can lie about its sizes.
    """
    info = zf.getinfo(name)
    if info.flag_bits & 0x1:
        from fzcheck.i18n import msg

        raise InputError(msg("in.archive_encrypted"))
    declared = info.file_size
    if declared > max_member:
        raise InputError(_msg("in.zip_member", name=name, mb=f"{declared / 1048576:.0f}",
                              limit=f"{max_member / 1048576:.0f}"))
    if info.compress_size and declared / info.compress_size > max_ratio and declared > 1024 * 1024:
        raise InputError(_msg("in.zip_ratio", name=name, ratio=f"{declared / info.compress_size:.0f}"))
    if total is not None and total[0] + declared > max_total:
        raise InputError(_msg("in.zip_total", limit=f"{max_total / 1048576:.0f}"))
    with zf.open(info) as fh:
        data = fh.read(min(declared, max_member) + 1)
    if len(data) > declared or len(data) > max_member:
        raise InputError(_msg("in.zip_lies", name=name))
    if total is not None:
        total[0] += len(data)
    return data
