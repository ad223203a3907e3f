"""Uploaded files and .zip archives of reports, under the readers' limits.

Each upload becomes entries ``(name, content, suffix, error)``: a report to check, or a row
saying why it is not checked (too large, an unsafe path in an archive, a possible zip bomb).
Nothing here writes a file under a name taken from the upload.
"""
from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from fzcheck.errors import InputError
from fzcheck.readers import DEFAULT_MAX_BYTES, REPORT_SUFFIXES
from fzcheck.readers.limits import MAX_RATIO, MAX_TOTAL_BYTES, read_member

MAX_FILES = 500  # reports in one batch (an archive's members count one by one)
MAX_REQUEST_BYTES = MAX_TOTAL_BYTES  # one upload request, all files together
_SUFFIX = re.compile(r"^\.[a-z0-9]{1,8}$")


@dataclass
class Entry:
    name: str
    content: bytes | None
    suffix: str
    error: str | None = None


def clean_name(name: str) -> str:
    """The name to show: the last part of what the browser sent, without control characters."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable())
    return name[:200] or "unnamed"


def suffix_of(name: str) -> str:
    suffix = PurePosixPath(name).suffix.lower()
    return suffix if _SUFFIX.match(suffix) else ""


def is_archive(data: bytes) -> bool:
    """A .zip of reports (a .docx is a zip too, but holds word/document.xml)."""
    if not data.startswith(b"PK\x03\x04") and not data.startswith(b"PK\x05\x06"):
        return False
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except (zipfile.BadZipFile, ValueError, OSError, NotImplementedError):
        return False
    return "word/document.xml" not in names and "[Content_Types].xml" not in names and "mimetype" not in names


def member_name(info: zipfile.ZipInfo) -> str:
    """Archives made on Chinese Windows store names in GBK without saying so."""
    name = info.filename
    if not info.flag_bits & 0x800:
        try:
            name = name.encode("cp437").decode("gbk")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return name


def unsafe(name: str) -> bool:
    """A member whose path would leave the folder it is unpacked in."""
    n = name.replace("\\", "/")
    if n.startswith("/") or re.match(r"^[A-Za-z]:", n):
        return True
    return ".." in n.split("/") or posixpath.normpath(n).startswith("..")


def unpack(name: str, data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> list[Entry]:
    """The reports of an archive; members that are not reports are left out."""
    shown = clean_name(name)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, NotImplementedError):
        return [Entry(shown, None, "", "a damaged .zip file (cannot read its directory)")]
    out: list[Entry] = []
    total = [0]
    for info in infos:
        mname = member_name(info)
        label = f"{shown}/{mname}"
        if unsafe(mname):
            out.append(Entry(label, None, "", "refused: the archive member's path leaves the archive (path traversal)"))
            continue
        if info.is_dir():
            continue
        base = mname.replace("\\", "/").rsplit("/", 1)[-1]
        if base.startswith(".") or "__MACOSX/" in mname or suffix_of(base) not in REPORT_SUFFIXES:
            continue
        if len(out) >= MAX_FILES:
            out.append(Entry(label, None, "", f"more than {MAX_FILES} reports in the archive; the rest are left out"))
            break
        if info.file_size > max_bytes:
            out.append(Entry(label, None, "", f"file is {info.file_size / 1048576:.1f} MB, over the limit of "
                                             f"{max_bytes / 1048576:.1f} MB"))
            continue
        try:
            content = read_member(zf, info.filename, total, max_member=max_bytes, max_ratio=MAX_RATIO)
        except InputError as exc:
            out.append(Entry(label, None, "", exc.message))
            if "inflate to more than" in exc.message:
                break
            continue
        except (zipfile.BadZipFile, ValueError, OSError, NotImplementedError, EOFError) as exc:
            out.append(Entry(label, None, "", f"cannot unpack this member: {exc}"))
            continue
        out.append(Entry(label, content, suffix_of(base)))
    if not out:
        out.append(Entry(shown, None, "", "the archive holds no report files (.docx .pdf .html .txt …)"))
    return out


def entries(name: str, data: bytes, truncated: bool, max_bytes: int = DEFAULT_MAX_BYTES) -> list[Entry]:
    """One uploaded file: a report, an archive of reports, or a row saying why not."""
    shown = clean_name(name)
    if truncated:
        return [Entry(shown, None, "", f"file is over the limit of {max_bytes / 1048576:.1f} MB")]
    if is_archive(data) and suffix_of(shown) == ".zip":
        return unpack(shown, data, max_bytes)
    return [Entry(shown, data, suffix_of(shown))]
