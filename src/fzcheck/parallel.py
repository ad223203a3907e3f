"""Checking many files: in this process, or on every core with a pool of processes.

:func:`check_files` yields one outcome per input file, in the order of the input,
whatever the number of jobs: the result of a batch does not depend on how it was
computed. Files go to the workers in chunks, so that a worker checks many small
files per round trip. A file that cannot be read, or that trips a bug, is an error
of that file only; an error of the rule set (a pattern that runs too long) stops
the batch, as it does in one process.
"""
from __future__ import annotations

import os
import sys
import traceback
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator

from fzcheck.errors import FzError, RuleSetError

# A worker's answer for one file: ("ok", DocumentResult), ("error", message),
# ("internal", message, traceback) or ("ruleset", message, path).
Outcome = tuple


@dataclass
class FileOutcome:
    path: str
    result: Any = None  # DocumentResult when the file was checked (None when only its encoding was kept)
    error: str | None = None  # one line for the user when it was not
    internal: bool = False  # the error is a bug, not the file's fault
    trace: str = ""
    passed: bool = False  # the document passes the gate
    encoded: str | bytes | None = None  # the document as encode() wrote it (on the worker)


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def parse_jobs(value: str | int | None) -> int:
    """``--jobs``: a number of processes; 0 or ``auto`` means one per core."""
    if value is None:
        return 1
    text = str(value).strip().lower()
    if text in ("auto", "0", "all"):
        return cpu_count()
    try:
        n = int(text)
    except ValueError:
        raise FzError(f"--jobs: not a number of processes: {value!r} (a number, 0 or auto)") from None
    if n < 0:
        raise FzError(f"--jobs: not a number of processes: {value!r} (a number, 0 or auto)")
    return n or cpu_count()


def _check_one(path: str, ruleset, options, encode: Callable[[Any], str] | None = None) -> Outcome:
    from fzcheck.checker import check_path

    try:
        result = check_path(path, ruleset, options)
        if encode is not None:
            return ("encoded", result.passed, encode(result))
        return ("ok", result)
    except RuleSetError as exc:
        return ("ruleset", exc.message, exc.path)
    except FzError as exc:
        return ("error", exc.message)
    except Exception as exc:  # a bug must not lose the rest of the batch
        return ("internal", f"internal error: {exc.__class__.__name__}: {exc}", traceback.format_exc())


def _to_outcome(path: str, raw: Outcome) -> FileOutcome:
    kind = raw[0]
    if kind == "ok":
        return FileOutcome(path, result=raw[1], passed=raw[1].passed)
    if kind == "encoded":
        return FileOutcome(path, passed=raw[1], encoded=raw[2])
    if kind == "ruleset":
        raise RuleSetError(raw[1], raw[2])
    if kind == "internal":
        return FileOutcome(path, error=raw[1], internal=True, trace=raw[2])
    return FileOutcome(path, error=raw[1])


# -- the worker side ---------------------------------------------------------------
_STATE: dict[str, Any] = {}


def _quiet_gc() -> None:
    """Move what is loaded now (rule set, compiled patterns) out of the cyclic collector's
    way: it then scans only what each document makes. (Collecting less often saves no time
    here and lets memory grow.)"""
    import gc

    gc.collect()
    gc.freeze()


def _init_worker(ruleset, options, encode) -> None:
    _quiet_gc()
    _STATE["ruleset"] = ruleset
    _STATE["options"] = options
    _STATE["encode"] = encode


def _work(chunk: list[str]) -> list[Outcome]:
    ruleset, options, encode = _STATE["ruleset"], _STATE["options"], _STATE["encode"]
    out = []
    for path in chunk:
        raw = _check_one(path, ruleset, options, encode)
        out.append(raw)
        if raw[0] == "ruleset":
            break  # the batch stops here anyway
    return out


def chunk_size(n_files: int, jobs: int) -> int:
    """Files per task: large enough to spread the cost of a round trip, small enough to keep
    every worker busy until the end (about 8 tasks per worker, at most 32 files each)."""
    return max(1, min(32, n_files // (jobs * 8) or 1))


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def check_files(paths: list[str], ruleset, options, jobs: int = 1,
                progress: Callable[[int], None] | None = None,
                encode: Callable[[Any], str] | None = None) -> Iterator[FileOutcome]:
    """Check every path; yield a :class:`FileOutcome` per path, in input order.

    ``jobs`` > 1 checks on a pool of that many processes (never more than files).
    ``progress(n)`` is called after each group of n files is done. With ``encode``
    (a picklable function of a DocumentResult), each result is encoded where it was
    computed and only the encoding comes back (``outcome.encoded``, ``outcome.passed``):
    the parent then neither rebuilds nor keeps the result objects."""
    jobs = max(1, min(jobs, len(paths)))
    debug = bool(os.environ.get("FZCHECK_DEBUG"))
    if jobs == 1 or debug:  # FZCHECK_DEBUG: in this process, so that a bug raises with its traceback
        from fzcheck.checker import check_path

        if len(paths) > 1:
            _quiet_gc()
        for path in paths:
            try:
                result = check_path(path, ruleset, options)
                if encode is not None:
                    yield FileOutcome(path, passed=result.passed, encoded=encode(result))
                else:
                    yield FileOutcome(path, result=result, passed=result.passed)
            except RuleSetError:
                raise
            except FzError as exc:
                yield FileOutcome(path, error=exc.message)
            except Exception as exc:
                if debug:
                    raise
                yield FileOutcome(path, error=f"internal error: {exc.__class__.__name__}: {exc}", internal=True,
                                  trace=traceback.format_exc())
            if progress:
                progress(1)
        return
    yield from _pooled(paths, ruleset, options, jobs, progress, encode)


def _context():
    import multiprocessing as mp

    # fork shares the loaded rule set and the compiled patterns with the workers at no
    # cost; where it is not available (Windows) or not safe (macOS), spawn.
    if sys.platform.startswith("linux") and "fork" in mp.get_all_start_methods():
        return mp.get_context("fork")
    return mp.get_context("spawn")


def _pooled(paths: list[str], ruleset, options, jobs: int, progress: Callable[[int], None] | None,
            encode: Callable[[Any], str] | None) -> Iterator[FileOutcome]:
    size = chunk_size(len(paths), jobs)
    chunks = list(_chunks(paths, size))
    ctx = _context()
    pool = ctx.Pool(jobs, initializer=_init_worker, initargs=(ruleset, options, encode))
    try:
        for chunk, answers in zip(chunks, pool.imap(_work, chunks)):
            for path, raw in zip(chunk, answers):
                yield _to_outcome(path, raw)
            if progress:
                progress(len(chunk))
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()


class Progress:
    """A one-line progress bar on stderr, for batches on a terminal only."""

    def __init__(self, total: int, stream=None, label: str = "checking", enabled: bool | None = None):
        self.total = total
        self.done = 0
        self.stream = stream if stream is not None else sys.stderr
        if enabled is None:
            isatty = getattr(self.stream, "isatty", None)
            enabled = bool(isatty and isatty()) and total > 1 and not os.environ.get("FZCHECK_NO_PROGRESS")
        self.enabled = enabled
        self.label = label
        self._last = -1

    def __call__(self, n: int = 1) -> None:
        self.done += n
        if not self.enabled:
            return
        pct = self.done * 100 // max(1, self.total)
        if pct == self._last and self.done < self.total:
            return
        self._last = pct
        width = 30
        filled = width * self.done // max(1, self.total)
        self.stream.write(f"\r{self.label} [{'#' * filled}{'-' * (width - filled)}] "
                          f"{self.done}/{self.total} {pct:3d}%")
        self.stream.flush()

    def clear(self) -> None:
        """Wipe the bar (before another line goes to stderr); the next update redraws it."""
        if self.enabled and self._last >= 0:
            self.stream.write("\r" + " " * (len(self.label) + 60) + "\r")
            self.stream.flush()
            self._last = -1

    def close(self) -> None:
        self.clear()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()



# -- JSON, document by document ------------------------------------------------------
_MARK = "\x00fzcheck-documents\x00"


class JsonDocument:
    """Encodes one document as it stands inside the "documents" list of the JSON report,
    in UTF-8 (picklable, for the workers; bytes go back to the parent and into the file
    as they are). Uses the JSON renderer's own conversion, so the pieces put together
    are the renderer's output, character for character."""

    def __init__(self, lang: str):
        self.lang = lang

    def __call__(self, result) -> bytes:
        return self.text(result).encode("utf-8")

    def text(self, result) -> str:
        import json

        from fzcheck.render import Report
        from fzcheck.render.jsonfmt import to_dict

        doc = to_dict(Report("", "", [result], []), self.lang)["documents"][0]
        # at depth 2 of the report: every line after the first is indented by 4 more
        # spaces (JSON strings hold no raw newline, so this touches layout only)
        try:
            return dumps_indented(doc, "    ")
        except _NotPlain:
            return json.dumps(doc, ensure_ascii=False, indent=2).replace("\n", "\n    ")


class _NotPlain(Exception):
    """A value dumps_indented leaves to the json module."""


def dumps_indented(obj: Any, indent: str = "") -> str:
    """``json.dumps(obj, ensure_ascii=False, indent=2)`` for plain data (dicts with str keys,
    lists, tuples, str, int, float, bool, None), character for character, with every line
    after the first indented by ``indent`` more; about twice as fast (the json module has
    no C encoder for indented output). Anything else raises _NotPlain."""
    from json.encoder import encode_basestring

    enc = encode_basestring  # the C function when available, as json.dumps uses
    int_repr = int.__repr__
    float_repr = float.__repr__
    inf = float("inf")
    out: list[str] = []
    app = out.append

    def number(o: float) -> str:
        if o != o:
            return "NaN"
        if o == inf:
            return "Infinity"
        if o == -inf:
            return "-Infinity"
        return float_repr(o)

    def leaf(o: Any) -> str | None:
        if isinstance(o, str):
            return enc(o)
        if o is None:
            return "null"
        if o is True:
            return "true"
        if o is False:
            return "false"
        if isinstance(o, int):
            return int_repr(o)
        if isinstance(o, float):
            return number(o)
        return None

    def value(o: Any, ind: str) -> None:
        if isinstance(o, (list, tuple)):
            if not o:
                app("[]")
                return
            inner = ind + "  "
            sep = ",\n" + inner
            app("[\n" + inner)
            first = True
            for v in o:
                if first:
                    first = False
                else:
                    app(sep)
                t = type(v)  # the common cases without a call (exact types only)
                if t is str:
                    app(enc(v))
                elif t is dict or t is list:
                    value(v, inner)
                else:
                    text = leaf(v)
                    if text is None:
                        value(v, inner)
                    else:
                        app(text)
            app("\n" + ind + "]")
        elif isinstance(o, dict):
            if not o:
                app("{}")
                return
            inner = ind + "  "
            sep = ",\n" + inner
            app("{\n" + inner)
            first = True
            for k, v in o.items():
                if not isinstance(k, str):
                    raise _NotPlain(k)
                if first:
                    first = False
                else:
                    app(sep)
                t = type(v)
                if t is str:
                    app(enc(k) + ": " + enc(v))
                elif t is dict or t is list:
                    app(enc(k) + ": ")
                    value(v, inner)
                elif v is None:
                    app(enc(k) + ": null")
                else:
                    text = leaf(v)
                    app(enc(k) + ": ")
                    if text is None:
                        value(v, inner)
                    else:
                        app(text)
            app("\n" + ind + "}")
        else:
            text = leaf(o)
            if text is None:
                raise _NotPlain(o)
            app(text)

    value(obj, indent)
    return "".join(out)


def json_report(report, lang: str, documents: Iterable[str | bytes]) -> Iterator[str | bytes]:
    """The JSON report in pieces, identical to the JSON renderer's output for the same
    documents: ``report`` gives everything but the documents, which come already
    encoded (by :class:`JsonDocument`, str or UTF-8 bytes), in order. The part after the documents is made
    once they are all through, so that errors found on the way are in it."""
    from fzcheck.render.jsonfmt import render

    docs = iter(documents)
    first = next(docs, None)
    if first is None:
        yield render(report, lang)
        return
    yield _skeleton(report, lang, render)[0]
    yield first
    for d in docs:
        yield ",\n    "
        yield d
    yield _skeleton(report, lang, render)[1]


class _Placeholder:
    """Stands for a document in the skeleton of the report."""

    @staticmethod
    def to_json(lang: str) -> str:
        return _MARK


def _skeleton(report, lang: str, render) -> tuple[str, str]:
    """What the renderer writes before the first document and after the last."""
    import json

    saved = report.documents
    report.documents = [_Placeholder()]
    try:
        text = render(report, lang)
    finally:
        report.documents = saved
    parts = text.split(json.dumps(_MARK, ensure_ascii=False))
    if len(parts) != 2:  # pragma: no cover - the renderer changed shape; tests catch it
        raise RuntimeError("the JSON report cannot be written document by document")
    return parts[0], parts[1]
