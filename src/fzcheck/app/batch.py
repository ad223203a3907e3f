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
from typing import Any, Callable, Iterator

from fzcheck.engine.check import check_path
from fzcheck.errors import FzError, RuleSetError
from fzcheck.model import DocumentResult


@dataclass
class FileOutcome:
    """What checking one file gave, the same whether it was checked here or on a worker."""

    path: str
    result: DocumentResult | None = None  # None when the file could not be checked, or only its encoding was kept
    error: str | None = None  # one line for the user when it was not checked
    internal: bool = False  # the error is a bug, not the file's fault
    trace: str = ""
    passed: bool = False  # the document passes the gate
    encoded: bytes | None = None  # the document as encode() wrote it (where it was checked)
    ruleset_error: tuple[str, str | None] | None = None  # (message, where): stops the batch


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


def _check_one(path: str, ruleset, options, encode: Callable[[DocumentResult], bytes] | None = None,
               worker: bool = False) -> FileOutcome:
    """Check one file. An error of the rule set raises here, and on a worker comes back as
    ``ruleset_error`` for the parent to raise; FZCHECK_DEBUG lets a bug raise in this process."""
    try:
        result = check_path(path, ruleset, options)
    except RuleSetError as exc:
        if not worker:
            raise
        return FileOutcome(path, error=exc.message, ruleset_error=(exc.message, exc.path))
    except FzError as exc:
        return FileOutcome(path, error=exc.message)
    except Exception as exc:  # a bug must not lose the rest of the batch
        if not worker and os.environ.get("FZCHECK_DEBUG"):
            raise
        return FileOutcome(path, error=f"internal error: {exc.__class__.__name__}: {exc}", internal=True,
                           trace=traceback.format_exc())
    if encode is not None:
        return FileOutcome(path, passed=result.passed, encoded=encode(result))
    return FileOutcome(path, result=result, passed=result.passed)


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


def _work(chunk: list[str]) -> list[FileOutcome]:
    ruleset, options, encode = _STATE["ruleset"], _STATE["options"], _STATE["encode"]
    out = []
    for path in chunk:
        done = _check_one(path, ruleset, options, encode, worker=True)
        out.append(done)
        if done.ruleset_error:
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
    if jobs == 1 or os.environ.get("FZCHECK_DEBUG"):  # in this process: a bug raises with its traceback
        if len(paths) > 1:
            _quiet_gc()
        for path in paths:
            yield _check_one(path, ruleset, options, encode)
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
            for done in answers:
                if done.ruleset_error:
                    raise RuleSetError(*done.ruleset_error)
                yield done
            if progress:
                progress(len(chunk))
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()
