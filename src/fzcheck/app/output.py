"""Writing what the user named, and nothing else: one writer for every command that writes.

* a new path or a regular file: written to a temporary file in the same folder and moved
  into place (a failed or interrupted run never leaves half a report, nor the temporary
  file); a regular file with other hard links, or in a folder fzcheck may not create files
  in, is completed in a temporary file first and then copied into place, so the links and
  the folder stay as they were;
* a symbolic link: followed to its target, which is written as above; the link stays;
* a character device (``/dev/null``, ``/dev/stdout``, a terminal) or a FIFO: written into
  directly (a FIFO nobody reads is refused); a block device or a socket: refused;
* a folder, a missing folder, or one of the inputs: refused in one line before any work.

:func:`prepare` checks the path before a command does its work; :meth:`Target.write`
writes. ``-`` or no path is standard output.
"""
from __future__ import annotations

import errno
import os
import stat
import sys
from collections.abc import Iterable

from fzcheck.errors import FzError
from fzcheck.i18n import msg

Content = "str | bytes | Iterable[str | bytes]"


class OutputError(FzError):
    """The named output cannot be written."""


def _pieces(content) -> Iterable[str | bytes]:
    if isinstance(content, (str, bytes)):
        return [content]
    return content


def _encode(piece: str | bytes) -> bytes:
    if isinstance(piece, bytes):
        return piece
    # a file name that is not UTF-8 (surrogate escapes) is written escaped, never as broken UTF-8
    return piece.encode("utf-8", errors="backslashreplace")


def _default_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _ident(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return (st.st_dev, st.st_ino) if stat.S_ISREG(st.st_mode) else None


class Target:
    """Where the output goes, as checked by :func:`prepare`."""

    def __init__(self, shown: str | None, path: str | None, kind: str, mode: int | None = None):
        self.shown = shown  # the name the user gave
        self.path = path  # what is written (a link's target); None for stdout
        self.kind = kind  # "stdout", "new", "file", "linked" (other hard links), "stream" (device or FIFO)
        self.mode = mode

    def _error(self, key: str, **kw: object) -> OutputError:
        return OutputError(msg(key, **kw), self.shown)

    def write(self, content) -> None:
        if self.kind == "stdout":
            _write_stdout(content)
        elif self.kind == "stream":
            self._write_stream(content)
        else:
            self._write_file(content)

    # -- a device or a FIFO: straight in ------------------------------------------------
    def _write_stream(self, content) -> None:
        flags = os.O_WRONLY | getattr(os, "O_NOCTTY", 0)
        is_fifo = False
        try:
            is_fifo = stat.S_ISFIFO(os.stat(self.path).st_mode)
        except OSError:
            pass
        try:
            fd = os.open(self.path, flags | (os.O_NONBLOCK if is_fifo else 0))
        except OSError as exc:
            if exc.errno == errno.ENXIO:
                raise self._error("out.fifo_unread") from None
            raise self._error("out.cannot_write", why=exc.strerror or str(exc)) from None
        try:
            if is_fifo:
                os.set_blocking(fd, True)
            with os.fdopen(fd, "wb", closefd=True) as fh:
                for piece in _pieces(content):
                    fh.write(_encode(piece))
        except OSError as exc:
            raise self._error("out.cannot_write", why=exc.strerror or str(exc)) from None

    # -- a regular file or a new path: atomically -------------------------------------
    def _write_file(self, content) -> None:
        folder = os.path.dirname(os.path.abspath(self.path))
        in_place = self.kind == "linked"
        try:
            import tempfile  # only when writing a file (-o)

            fd, tmp = tempfile.mkstemp(prefix=".fzcheck-", suffix=".tmp", dir=folder)
        except OSError as exc:
            # a folder we may not create files in: a file that exists and can be written is still written
            if self.kind in ("file", "linked") and exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS) \
                    and os.access(self.path, os.W_OK):
                fd, tmp = tempfile.mkstemp(prefix=".fzcheck-", suffix=".tmp")
                in_place = True
            else:
                raise self._error("out.cannot_write", why=exc.strerror or str(exc)) from None
        try:
            try:
                with os.fdopen(fd, "wb") as fh:
                    for piece in _pieces(content):
                        fh.write(_encode(piece))
                if in_place:  # complete first, then copied into the existing file
                    with open(tmp, "rb") as src, open(self.path, "r+b") as dst:
                        dst.truncate(0)
                        import shutil

                        shutil.copyfileobj(src, dst, 1 << 20)
                    os.unlink(tmp)
                else:
                    os.chmod(tmp, self.mode if self.mode is not None else _default_mode())
                    os.replace(tmp, self.path)
            except OSError as exc:
                raise self._error("out.cannot_write", why=exc.strerror or str(exc)) from None
        except BaseException:  # an error, Ctrl-C, SIGTERM: no half report, no temporary file
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise


def prepare(output: str | None, inputs: Iterable[str] = (), streams: bool = True) -> Target:
    """Check where ``output`` goes before any work is done; refuse what must not be written.
    ``streams=False`` (a binary document, e.g. annotate's .docx) refuses devices and FIFOs too."""
    if not output or output == "-":
        return Target(None, None, "stdout")
    shown = output
    path = output
    try:
        if os.path.islink(path):
            path = os.path.realpath(path)  # written through; the link stays a link
        st = os.stat(path)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise OutputError(msg("out.cannot_write", why=exc.strerror or str(exc)), shown) from None
    except ValueError:  # a NUL in the name
        raise OutputError(msg("out.cannot_write", why="invalid name"), shown) from None
    if st is None:
        folder = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(folder):
            raise OutputError(msg("out.no_folder"), shown)
        if output.endswith(os.sep):
            raise OutputError(msg("out.no_folder"), shown)
        return Target(shown, path, "new")
    mode = st.st_mode
    if stat.S_ISDIR(mode):
        raise OutputError(msg("out.is_folder"), shown)
    if (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)) and streams:
        return Target(shown, path, "stream")
    if not stat.S_ISREG(mode):
        raise OutputError(msg("out.special"), shown)
    me = (st.st_dev, st.st_ino)
    for p in inputs:
        if _ident(p) == me:
            raise OutputError(msg("out.is_input"), shown)
    return Target(shown, path, "linked" if st.st_nlink > 1 else "file", stat.S_IMODE(mode))


def inputs_below(paths: Iterable[str]) -> list[str]:
    """Regular files named directly (cheap); folders are expanded by the caller."""
    return [p for p in paths if not os.path.isdir(p)]


def _write_stdout(content) -> None:
    stream = sys.stdout
    if stream is None:
        raise OutputError(msg("out.stdout_closed"), None)
    buffer = getattr(stream, "buffer", None)
    encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("_", "-")
    if not isinstance(content, (str, bytes)):  # all of it, then at once: never mixed with the error lines
        content = b"".join(_encode(p) for p in content)
    try:
        if buffer is not None and encoding in ("utf-8", "utf8"):
            stream.flush()
            for piece in _pieces(content):
                buffer.write(_encode(piece))
            buffer.flush()
        else:
            for piece in _pieces(content):
                text = piece.decode("utf-8") if isinstance(piece, bytes) else piece
                try:
                    stream.write(text)
                except UnicodeEncodeError:  # a terminal in GBK, Latin-1 …: escape what it cannot show
                    stream.write(text.encode(encoding, errors="backslashreplace").decode(encoding))
            stream.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError(msg("out.cannot_write", why=exc.strerror or str(exc)), "-") from None
    except ValueError:  # closed stream
        raise OutputError(msg("out.stdout_closed"), None) from None


def write_output(content, output: str | None, inputs: Iterable[str] = ()) -> None:
    """Check and write in one step (for commands that have their content before writing)."""
    prepare(output, inputs).write(content)


_OUR_COLOURS = None


def neutralise_terminal(text: str) -> str:
    """Escape the control characters of a text for a terminal (an OSC 52 in a report must not
    set the reviewer's clipboard): every C0/C1 control but newline and tab is shown as an
    escape, except the colour codes (ESC [ … m) fzcheck itself writes."""
    global _OUR_COLOURS
    if _OUR_COLOURS is None:  # through lazyre: rebuilt from the compiled-pattern cache, not compiled each run
        from fzcheck import lazyre

        _OUR_COLOURS = lazyre.compile(r"\x1b\[[0-9;]{0,12}m|[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")

    def fix(m):
        s = m.group(0)
        if len(s) > 1:
            return s
        return s.encode("unicode_escape").decode("ascii")

    return _OUR_COLOURS.sub(fix, text)
