"""Checking many files: in this process, or on every core with a pool of processes.

:func:`check_files` yields one outcome per input file, in the order of the input,
whatever the number of jobs: the result of a batch does not depend on how it was
computed. Files go to the workers in chunks, so that a worker checks many small
files per round trip. A file that cannot be read, or that trips a bug, is an error
of that file only; an error of the rule set (a pattern that runs too long) stops
the batch, as it does in one process.

Every document has one budget (:class:`Limits`): wall-clock time across reading,
normalizing and matching (``--timeout``) and memory (``--max-memory``), enforced
where the work is — an interval timer and an address-space limit around each
document, in this process for a serial batch (no process per file) and in the
worker otherwise, plus a CPU-time limit in the workers for work stuck in C code.

The pool is a :class:`concurrent.futures.ProcessPoolExecutor`: a worker that dies
(the OOM killer, a crash, the CPU limit) breaks the pool, which is noticed; the chunks
that were in flight are checked again file by file in a fresh worker, and the file
that kills that worker gets its own error row. Workers ignore Ctrl-C; the parent
ends them on Ctrl-C, SIGTERM or any error, so a batch never hangs.
"""
from __future__ import annotations

import os
# _signal: what signal re-exports as enums, without importing enum machinery on a check
import _signal as signal
import sys
import threading
import time
from typing import Any, Callable, Iterator

from fzcheck.engine.check import check_path
from fzcheck.errors import FzError, RuleSetError
from fzcheck.i18n import msg
from fzcheck.model import DocumentResult, Record

DEFAULT_TIMEOUT = 30.0  # seconds per document: reading, normalizing and matching
POLL = 0.25  # seconds between looks at whether a worker of a pool has ended
DEFAULT_MAX_MEMORY = 1 << 30  # bytes per document (address space above what the process had)
MAX_JOBS = 64


def _trace() -> str:
    import traceback  # only when something went wrong

    return traceback.format_exc()


class Limits(Record):
    """The budget of one document."""

    __slots__ = _fields = ("timeout", "max_memory")

    def __init__(self, timeout: float | None = DEFAULT_TIMEOUT, max_memory: int | None = DEFAULT_MAX_MEMORY):
        self.timeout = timeout  # None or 0: no limit
        self.max_memory = max_memory


class FileOutcome(Record):
    """What checking one file gave, the same whether it was checked here or on a worker."""

    __slots__ = _fields = ("path", "result", "error", "internal", "trace", "passed", "encoded", "ruleset_error")

    def __init__(self, path: str, result: DocumentResult | None = None, error: str | None = None,
                 internal: bool = False, trace: str = "", passed: bool = False, encoded: Any = None,
                 ruleset_error: tuple[str, str | None] | None = None):
        self.path = path
        self.result = result  # None when the file could not be checked, or only its encoding was kept
        self.error = error  # one line for the user when it was not checked
        self.internal = internal  # the error is a bug, not the file's fault
        self.trace = trace
        self.passed = passed  # the document passes the gate
        self.encoded = encoded  # what encode() made of the document (where it was checked)
        self.ruleset_error = ruleset_error  # (message, where): stops the batch


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def parse_jobs(value: str | int | None) -> int:
    """``--jobs``: a number of processes; 0 or ``auto`` means one per core; at most
    four per core (and never more than MAX_JOBS)."""
    if value is None:
        return 1
    text = str(value).strip().lower()
    if text in ("auto", "0", "all"):
        return cpu_count()
    try:
        n = int(text) if len(text) < 20 else -1
    except ValueError:
        raise FzError(f"--jobs: not a number of processes: {value!r} (a number, 0 or auto)") from None
    if n < 0:
        raise FzError(f"--jobs: not a number of processes: {value!r} (a number, 0 or auto)")
    return min(n or cpu_count(), max(1, min(MAX_JOBS, 4 * cpu_count())))


# -- the per-document guard ------------------------------------------------------------
class DocumentTimeout(BaseException):
    """Raised by the interval timer when a document runs over its time; a BaseException so
    that no reader's ``except Exception`` turns it into another message."""


def _on_alarm(signum, frame):  # pragma: no cover - timing
    raise DocumentTimeout()


def _vm_bytes() -> int:
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


class _Guard:
    """Time and memory limits around one document, in the process doing the work."""

    def __init__(self, limits: Limits | None, cpu: bool = False):
        self.limits = limits
        self.cpu = cpu
        self.timer = False
        self.old_as = None
        self.old_cpu = None

    def __enter__(self):
        lim = self.limits
        if lim is None:
            return self
        from fzcheck.readers import limits as rlimits

        if lim.timeout:
            rlimits.set_deadline(time.monotonic() + lim.timeout, lim.timeout)
            if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
                signal.signal(signal.SIGALRM, _on_alarm)
                signal.setitimer(signal.ITIMER_REAL, lim.timeout)
                self.timer = True
        try:
            import resource
        except ImportError:  # pragma: no cover - not POSIX
            return self
        if lim.max_memory:
            base = _vm_bytes()
            if base:
                try:
                    old = resource.getrlimit(resource.RLIMIT_AS)
                    want = base + lim.max_memory
                    if old[1] == resource.RLIM_INFINITY or want < old[1]:
                        if old[0] == resource.RLIM_INFINITY or want < old[0]:
                            resource.setrlimit(resource.RLIMIT_AS, (want, old[1]))
                            self.old_as = old
                except (ValueError, OSError):
                    pass
        if self.cpu and lim.timeout:
            # A backstop for code the interval timer cannot interrupt (a long call in C): the
            # soft CPU limit, this document's time beyond what the worker has spent so far, ends
            # the worker with SIGXCPU (left at its default action by _init_worker). Only the
            # soft limit: a hard limit can never be raised again, and a worker lives for many
            # documents (lowering it once capped a worker's whole life at timeout + 10 s of CPU).
            try:
                used = resource.getrusage(resource.RUSAGE_SELF)
                spent = used.ru_utime + used.ru_stime
                old = resource.getrlimit(resource.RLIMIT_CPU)
                soft = int(spent + lim.timeout + 5) + 1
                if old[1] != resource.RLIM_INFINITY:
                    soft = min(soft, old[1])
                resource.setrlimit(resource.RLIMIT_CPU, (soft, old[1]))
                self.old_cpu = old
            except (ValueError, OSError):
                pass
        return self

    def __exit__(self, *exc):
        if self.timer:
            signal.setitimer(signal.ITIMER_REAL, 0)
        if self.limits is not None and self.limits.timeout:
            from fzcheck.readers import limits as rlimits

            rlimits.set_deadline(None)
        if self.old_as is not None or self.old_cpu is not None:
            import resource

            try:
                if self.old_as is not None:
                    resource.setrlimit(resource.RLIMIT_AS, self.old_as)
                if self.old_cpu is not None:
                    resource.setrlimit(resource.RLIMIT_CPU, self.old_cpu)
            except (ValueError, OSError):
                pass
        return False


def _check_one(path: str, ruleset, options, encode: Callable[[DocumentResult], Any] | None = None,
               worker: bool = False, limits: Limits | None = None) -> FileOutcome:
    """Check one file. An error of the rule set raises here, and on a worker comes back as
    ``ruleset_error`` for the parent to raise; FZCHECK_DEBUG lets a bug raise in this process."""
    from fzcheck.rules.patterns import reset_budget

    shown = printable_path(path)
    try:
        reset_budget()
        with _Guard(limits, cpu=worker):
            result = check_path(path, ruleset, options)
            if shown != path:  # a name that is not UTF-8: shown escaped in every output
                result.path = shown
            encoded = encode(result) if encode is not None else None
    except DocumentTimeout:
        return FileOutcome(shown, error=msg("run.timeout", seconds=limits.timeout if limits else 0))
    except RuleSetError as exc:
        if not worker:
            raise
        return FileOutcome(shown, error=exc.message, ruleset_error=(exc.message, exc.path))
    except FzError as exc:
        return FileOutcome(shown, error=exc.message)
    except MemoryError:
        mb = (limits.max_memory >> 20) if limits and limits.max_memory else 0
        return FileOutcome(shown, error=msg("run.memory", mb=mb))
    except RecursionError:
        return FileOutcome(shown, error=msg("in.too_complex", what="nesting"))
    except (ValueError, OverflowError, TypeError, UnicodeError, ArithmeticError, LookupError) as exc:
        if not worker and os.environ.get("FZCHECK_DEBUG"):
            raise
        # a value in the file that the code did not expect: the file's problem, named as such
        return FileOutcome(shown, error=msg("run.bad_value", what=_short(exc)), internal=True,
                           trace=_trace())
    except Exception as exc:  # a bug must not lose the rest of the batch
        if not worker and os.environ.get("FZCHECK_DEBUG"):
            raise
        return FileOutcome(shown, error=msg("run.bad_value", what=_short(exc)), internal=True,
                           trace=_trace())
    if encode is not None:
        return FileOutcome(shown, passed=result.passed, encoded=encoded)
    return FileOutcome(shown, result=result, passed=result.passed)


def _short(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
    text = text if len(text) <= 120 else text[:117] + "…"
    return printable_path(text)


def printable_path(text: str) -> str:
    """A name as it can be shown and written anywhere: bytes that were not UTF-8 (surrogate
    escapes) and control characters (ESC, newline …) written as backslash escapes."""
    if text.isprintable():
        return text
    out = []
    for ch in text:
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:  # a byte of a non-UTF-8 name
            out.append(f"\\x{code - 0xDC00:02x}")
        elif 0xD800 <= code <= 0xDFFF or code < 0x20 or 0x7F <= code < 0xA0:
            out.append(ch.encode("unicode_escape", errors="backslashreplace").decode("ascii"))
        else:
            out.append(ch)
    return "".join(out)


# -- the worker side ---------------------------------------------------------------
_STATE: dict[str, Any] = {}


def _quiet_gc() -> None:
    """Move what is loaded now (rule set, compiled patterns) out of the cyclic collector's
    way: it then scans only what each document makes. (Collecting less often saves no time
    here and lets memory grow.)"""
    import gc

    gc.collect()
    gc.freeze()


def _init_worker(ruleset, options, encode, limits=None) -> None:
    # Ctrl-C is the parent's to handle (it ends the workers); SIGTERM simply ends a worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent()
    if hasattr(signal, "SIGXCPU"):
        signal.signal(signal.SIGXCPU, signal.SIG_DFL)
    _quiet_gc()
    _STATE["ruleset"] = ruleset
    _STATE["options"] = options
    _STATE["encode"] = encode
    _STATE["limits"] = limits


def _work(chunk: list[str]) -> list[FileOutcome]:
    ruleset, options, encode = _STATE["ruleset"], _STATE["options"], _STATE["encode"]
    limits = _STATE.get("limits")
    out = []
    for path in chunk:
        done = _check_one(path, ruleset, options, encode, worker=True, limits=limits)
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
                encode: Callable[[Any], Any] | None = None,
                limits: Limits | None = None) -> Iterator[FileOutcome]:
    """Check every path; yield a :class:`FileOutcome` per path, in input order.

    ``jobs`` > 1 checks on a pool of that many processes (never more than files).
    ``progress(n)`` is called after each group of n files is done. With ``encode``
    (a picklable function of a DocumentResult), each result is encoded where it was
    computed and only the encoding comes back (``outcome.encoded``, ``outcome.passed``):
    the JSON of a document, or the part of it a summary reads; the parent then neither
    rebuilds nor keeps the whole result objects. ``limits`` is the
    budget of each document (None: the readers' own limits only)."""
    jobs = max(1, min(jobs, len(paths)))
    if jobs == 1 or os.environ.get("FZCHECK_DEBUG"):  # in this process: a bug raises with its traceback
        if len(paths) > 1:
            _quiet_gc()
        for path in paths:
            yield _check_one(path, ruleset, options, encode, limits=limits)
            if progress:
                progress(1)
        return
    yield from _pooled(paths, ruleset, options, jobs, progress, encode, limits)


def _context():
    import multiprocessing as mp

    # fork shares the loaded rule set and the compiled patterns with the workers at no
    # cost; where it is not available (Windows) or not safe (macOS), spawn.
    if sys.platform.startswith("linux") and "fork" in mp.get_all_start_methods():
        return mp.get_context("fork")
    return mp.get_context("spawn")


_LIVE: set["_Pool"] = set()


def kill_all() -> None:
    """End every worker of this process's pools at once (Ctrl-C, SIGTERM)."""
    for pool in list(_LIVE):
        pool.kill()


def _die_with_parent() -> None:
    """Linux: a worker gets SIGKILL when the parent is gone, whatever ended it."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover
        pass


def lost_a_worker(ex) -> bool:
    """A worker of a ProcessPoolExecutor has ended (killed, out of memory): the pool is broken,
    whether or not the executor's own manager thread has noticed it yet."""
    for p in list((getattr(ex, "_processes", None) or {}).values()):
        try:
            if p.exitcode is not None:
                return True
        except (OSError, AttributeError, ValueError, AssertionError):  # pragma: no cover
            return True
    return False


def end_executor(ex) -> None:
    """End a ProcessPoolExecutor now: its workers killed, its manager thread ended (within 2 s),
    its futures cancelled or broken; never waits for a worker's work."""
    procs = list((getattr(ex, "_processes", None) or {}).values())
    # shutdown() forgets these; keep them to end the manager thread below.
    thread = getattr(ex, "_executor_manager_thread", None)
    results = getattr(ex, "_result_queue", None)
    for p in procs:
        try:
            p.kill()
        except (OSError, AttributeError, ValueError):
            pass
    for p in procs:
        try:
            p.join(1)
        except (OSError, AttributeError, ValueError, AssertionError):
            pass
    # A worker killed while writing its answer leaves half a message in the result pipe,
    # and the executor's manager thread waits for the rest for ever: the interpreter then
    # hangs at exit joining it (CPython 3.11). With the workers gone, this process holds
    # the pipe's last write end; closing it gives the reader end-of-file, and the thread
    # ends as for any broken pool. It also keeps the next pool's workers from inheriting it.
    writer = getattr(results, "_writer", None)
    if writer is not None:
        try:
            writer.close()
        except OSError:  # pragma: no cover
            pass
    try:
        ex.shutdown(wait=False, cancel_futures=True)
    except Exception:  # noqa: BLE001 - ending anyway
        pass
    # The next pool forks: let this one's manager thread end first, so that no thread of
    # ours is inside the executor's locks at the moment of the fork.
    if thread is not None and thread is not threading.current_thread():
        try:
            thread.join(2)
        except RuntimeError:  # pragma: no cover - never started
            pass


class _Pool:
    """A ProcessPoolExecutor that can be ended at once (its workers killed)."""

    def __init__(self, jobs: int, initargs: tuple):
        _LIVE.add(self)
        import warnings
        from concurrent.futures import ProcessPoolExecutor

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # fork with a thread (3.12+)
            self.ex = ProcessPoolExecutor(jobs, mp_context=_context(), initializer=_init_worker, initargs=initargs)

    def submit(self, fn, *args):
        import warnings

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                return self.ex.submit(fn, *args)
        except OSError as exc:  # fork refused (ulimit -u, memory)
            self.kill()
            raise FzError(f"--jobs: cannot start worker processes ({exc.strerror or exc}); use fewer") from None

    def processes(self) -> list:
        return list((getattr(self.ex, "_processes", None) or {}).values())

    def lost_a_worker(self) -> bool:
        return lost_a_worker(self.ex)

    def wait(self, futures, limit: float) -> tuple[set, bool]:
        """Wait for the first of ``futures`` to finish, for at most ``limit`` seconds; every
        ``POLL`` seconds look whether a worker has ended. Returns (finished, a worker ended).

        The executor marks its futures broken when a worker dies, but in a few CPython versions
        its manager thread can miss or hang on that (a worker killed while the call queue was
        being written); the batch must not wait for it."""
        from concurrent.futures import FIRST_COMPLETED, wait

        end = time.monotonic() + limit
        while True:
            left = end - time.monotonic()
            finished, _ = wait(futures, timeout=max(0.0, min(POLL, left)), return_when=FIRST_COMPLETED)
            if finished:
                return finished, False
            if self.lost_a_worker():
                return set(), True
            if left <= POLL:
                return set(), False

    def kill(self) -> None:
        _LIVE.discard(self)
        end_executor(self.ex)

    def close(self) -> None:
        _LIVE.discard(self)
        self.ex.shutdown(wait=True)


def _pooled(paths: list[str], ruleset, options, jobs: int, progress: Callable[[int], None] | None,
            encode: Callable[[Any], Any] | None, limits: Limits | None = None) -> Iterator[FileOutcome]:
    from concurrent.futures.process import BrokenProcessPool

    size = chunk_size(len(paths), jobs)
    chunks = list(_chunks(paths, size))
    initargs = (ruleset, options, encode, limits)
    per_file = (limits.timeout if limits and limits.timeout else 600.0) + 15
    stall = per_file * size + 30  # nothing at all done for this long: the workers are stuck
    pool = _Pool(jobs, initargs)
    window = jobs * 3
    pending: dict[Any, int] = {}
    results: dict[int, list[FileOutcome]] = {}
    submitted = 0
    given = 0
    try:
        while given < len(chunks):
            while submitted < len(chunks) and len(pending) < window:
                pending[pool.submit(_work, chunks[submitted])] = submitted
                submitted += 1
            while given in results:
                answers = results.pop(given)
                for done in answers:
                    if done.ruleset_error:
                        raise RuleSetError(*done.ruleset_error)
                    yield done
                if progress:
                    progress(len(chunks[given]))
                given += 1
            if given >= len(chunks) or not pending:
                continue
            finished, _ = pool.wait(list(pending), stall)
            lost: list[int] = []
            for fut in finished:
                i = pending.pop(fut)
                try:
                    results[i] = fut.result()
                except BrokenProcessPool:
                    lost.append(i)
            if lost or not finished:  # a worker died (or every worker is stuck): end this pool
                for fut, i in list(pending.items()):
                    if fut.done() and not fut.cancelled() and fut.exception() is None:
                        results[i] = fut.result()
                    else:
                        lost.append(i)
                pending.clear()
                pool.kill()
                for i in sorted(lost):
                    results[i] = _isolated(chunks[i], initargs, per_file)
                pool = _Pool(jobs, initargs)
        pool.close()
    except BaseException:
        pool.kill()
        raise


def _isolated(chunk: list[str], initargs: tuple, per_file: float) -> list[FileOutcome]:
    """Check again, one file at a time in a worker of its own, the files of a chunk whose
    worker died: the file that kills the worker again gets its own error row."""
    from concurrent.futures import TimeoutError as FutureTimeout
    from concurrent.futures.process import BrokenProcessPool

    out: list[FileOutcome] = []
    pool = _Pool(1, initargs)
    try:
        for path in chunk:
            started = time.monotonic()
            fut = pool.submit(_work, [path])
            finished, _ = pool.wait([fut], per_file)
            try:
                if finished:
                    answers = fut.result(timeout=0)
                    out.extend(answers)
                    if answers and answers[-1].ruleset_error:
                        break
                    continue
            except (BrokenProcessPool, FutureTimeout):
                pass
            pool.kill()
            timeout = initargs[3].timeout if initargs[3] is not None else None
            slow = timeout and time.monotonic() - started >= timeout
            out.append(FileOutcome(printable_path(path), error=msg("run.timeout", seconds=timeout) if slow
                                   else msg("run.worker_died")))
            pool = _Pool(1, initargs)
        pool.close()
    except BaseException:
        pool.kill()
        raise
    return out
