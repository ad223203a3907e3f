"""A cache of loaded rule sets (and other YAML data) between runs.

Loading a rule set means parsing YAML, validating it against the JSON Schema and
compiling every pattern once to check it: most of the start-up time of a run on one
file. When that succeeded before for the very same bytes, the result (the merged,
validated data) is read back instead.

* Where: ``$FZCHECK_CACHE_DIR``, else ``$XDG_CACHE_HOME/fzcheck``, else
  ``~/.cache/fzcheck`` (``%LOCALAPPDATA%\\fzcheck`` on Windows).
* Off: ``FZCHECK_NO_CACHE=1``.
* Also kept: compiled patterns (:func:`compile_regex`), in the form the ``regex``
  package itself pickles a pattern to (its compiled code), keyed by the package's
  version, so that a run rebuilds them instead of compiling them again.
* Key: a hash of the rule file's path and bytes, the fzcheck version and the Python
  version, and a digest of every file of the fzcheck package (its path, size, inode and
  modification and status-change times; its content on a file system with whole-second
  times), so that an edited or moved module never reads an entry its older self wrote. An entry lists
  every file read while loading (``extends``) with the hash of the text read; the entry
  is used only when all of them still hold that text.
* Safe: only successful loads are stored (errors are always found afresh); an entry
  that cannot be read, is corrupt or stale is ignored; a cache folder that cannot be
  written is ignored. Nothing read is trusted: every entry carries a MAC (keyed BLAKE2b,
  the keyed mode BLAKE2 was designed for in place of HMAC, ~4 × quicker here than
  HMAC-SHA256 over the ~400 KB of compiled patterns) under a secret key of this user's own
  (``$XDG_CONFIG_HOME/fzcheck/cache.key``, made once,
  readable by the user only, never in the cache folder), so an entry somebody else wrote
  (a shared cache folder, a CI cache restored from elsewhere) is ignored, and no
  compiled pattern code reaches ``regex`` unless this user's fzcheck wrote it; an entry
  that is not a regular file (a FIFO, a link to /dev/zero) is never opened for reading. The cache never changes a result: it holds exactly the data the
  loader returned, in :mod:`marshal` form (plain values only; anything else is not
  cached).
"""
from __future__ import annotations

import marshal
import os
import sys
from typing import Any, Callable

from fzcheck import lazyre

try:  # the built-in module: much quicker to import than hashlib (OpenSSL)
    from _blake2 import blake2b as _blake2b
except ImportError:  # pragma: no cover - other Pythons
    from hashlib import blake2b as _blake2b

FORMAT = 4  # bump when the layout of an entry changes (3: BLAKE2b digests and MACs instead of SHA-256;
# 4: checked patterns kept as a digest, patterns compiled only to check them no longer kept)


def _hasher():
    return _blake2b(digest_size=32)

MAX_ENTRIES = 64  # older entries are removed beyond this


def enabled() -> bool:
    return os.environ.get("FZCHECK_NO_CACHE", "").strip().lower() in ("", "0", "false", "no")


def cache_dir() -> str:
    explicit = os.environ.get("FZCHECK_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        if sys.platform == "win32":
            base = os.environ.get("LOCALAPPDATA") or os.path.join(os.path.expanduser("~"), "AppData", "Local")
        else:
            base = os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "fzcheck")


def _digest(*parts: bytes | str) -> str:
    h = _hasher()
    for p in parts:
        b = p.encode("utf-8", "surrogatepass") if isinstance(p, str) else p
        h.update(len(b).to_bytes(8, "little"))
        h.update(b)
    return h.hexdigest()


_STATE: list[str] = []


def _package_files(root: str) -> list[tuple[str, str]]:
    """(path inside the package, full path) of every source and data file, in a stable order."""
    out = []
    skip = len(os.path.join(root, ""))  # root is absolute and normal: its files' paths start with it
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".py", ".json", ".yaml")):
                full = os.path.join(folder, name)
                out.append((full[skip:].replace(os.sep, "/"), full))
    return out


def _code_state() -> str:
    """The fzcheck version, the Python version, the entry format and a digest of every source and
    data file of the package: its path inside the package, size, inode and modification and
    status-change times in nanoseconds (an edit, a move, a rename, a file replaced or restored
    with its old modification time all change one of them, the status-change time being
    set by the system on every write), so an older entry can never look fresh. On a file
    system whose times are whole seconds (an edit within the same second could keep them),
    the files' content instead. Computed once per process."""
    if not _STATE:
        from fzcheck import __version__

        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # the fzcheck package
        files = _package_files(root)
        fine = False
        stamps = []  # "path\0stamp\0" for each file, hashed at once (no file name holds a NUL)
        for rel, full in files:
            try:
                st = os.stat(full)
            except OSError:
                stamps.append(f"{rel}\0unreadable\0")
                continue
            fine = fine or bool(st.st_mtime_ns % 1_000_000_000 or st.st_ctime_ns % 1_000_000_000)
            stamps.append(f"{rel}\0{st.st_size}:{st.st_ino}:{st.st_mtime_ns}:{st.st_ctime_ns}\0")
        h = _hasher()
        h.update("".join(stamps).encode("utf-8", "surrogatepass"))
        if not fine:  # whole-second times: the content itself
            h = _hasher()
            for rel, full in files:
                data = _read_bytes(full)
                h.update(_digest(rel, data if data is not None else b"\0unreadable").encode())
        _STATE.append("|".join([__version__, sys.version, str(FORMAT), ("stat:" if fine else "") + h.hexdigest()]))
    return _STATE[0]


MAX_ENTRY_BYTES = 64 * 1024 * 1024


def _read_bytes(path: str, limit: int = MAX_ENTRY_BYTES) -> bytes | None:
    """A regular file's bytes (None for anything else, or over ``limit``); never blocks on a FIFO."""
    import stat

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except (OSError, ValueError):
        return None
    # Read with os.read on the descriptor this function owns, closed once in ``finally``: a
    # file object made with os.fdopen could close it first when an exception arrives from a
    # signal handler (the document's time limit) inside fdopen, and the second close then
    # raised EBADF in place of that exception (serve reported "Bad file descriptor" instead of
    # the time limit, once in CI).
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
            return None
        chunks = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks) if size <= limit else None
    except OSError:
        return None
    finally:
        os.close(fd)


_SECRET: list[bytes] = []


def _key_file() -> str:
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return os.path.join(base, "fzcheck", "cache.key")


def _secret() -> bytes:
    """This user's key for the cache's MACs: made once, kept outside the cache folder.
    When it cannot be kept, a key for this process only (the cache is then not reused)."""
    if not _SECRET:
        path = _key_file()
        key = _read_bytes(path, 4096)
        if not key or len(key) < 32:
            key = os.urandom(32)
            try:
                os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "wb") as fh:
                    fh.write(key)
            except OSError:
                again = _read_bytes(path, 4096)  # another run made it meanwhile
                if again and len(again) >= 32:
                    key = again
        _SECRET.append(key)
    return _SECRET[0]


def _mac(key: str, payload: bytes) -> str:
    """The MAC of an entry: BLAKE2b keyed with this user's secret (at most 64 bytes: a longer
    one is hashed down first), over the entry's key (its length first) and its payload."""
    secret = _secret()
    if len(secret) > 64:
        secret = _blake2b(secret).digest()
    h = _blake2b(key=secret, digest_size=32, person=b"fzcheck-cache")
    k = key.encode()
    h.update(len(k).to_bytes(8, "little"))
    h.update(k)
    h.update(payload)
    return h.hexdigest()


def _entry_path(kind: str, key: str) -> str:
    return os.path.join(cache_dir(), f"{kind}-{key[:40]}.marshal")


def _get(kind: str, key: str) -> Any:
    """The stored value, or None when absent, unreadable, corrupt or from another key."""
    raw = _read_bytes(_entry_path(kind, key))
    if raw is None:
        return None
    try:
        entry = marshal.loads(raw)
        if not (isinstance(entry, tuple) and len(entry) == 4 and entry[0] == FORMAT and entry[1] == key
                and isinstance(entry[3], bytes) and entry[2] == _mac(key, entry[3])):
            return None
        return marshal.loads(entry[3])
    except (EOFError, ValueError, TypeError):
        return None


def _put(kind: str, key: str, value: Any) -> None:
    """Store a value; silently nothing when it is not plain data or the folder is not writable."""
    try:
        payload = marshal.dumps(value)
    except ValueError:  # not plain data (a date in the YAML, …): not cached
        return
    data = marshal.dumps((FORMAT, key, _mac(key, payload), payload))
    folder = cache_dir()
    target = _entry_path(kind, key)
    tmp = f"{target}.{os.getpid()}.tmp"
    try:
        os.makedirs(folder, exist_ok=True)
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        return
    _prune(folder)


def _prune(folder: str) -> None:
    try:
        names = [n for n in os.listdir(folder) if n.endswith(".marshal")]
        if len(names) <= MAX_ENTRIES:
            return
        paths = sorted((os.path.join(folder, n) for n in names), key=lambda p: os.stat(p).st_mtime)
        for p in paths[: len(paths) - MAX_ENTRIES]:
            os.unlink(p)
    except OSError:
        pass


# -- rule sets -----------------------------------------------------------------------
def load_ruleset_data(path: str, load: Callable[[str], tuple[Any, list[tuple[str, str]]]]) -> tuple[Any, str, dict]:
    """``load(path)`` (the validating loader) returns an object with ``data``, ``path`` and
    ``origins``, and the files it read with the text it read; give back those three, from
    the cache when every file read last time still holds that text."""
    if not enabled():
        loaded, _ = load(path)
        return loaded.data, loaded.path, loaded.origins
    main = _read_bytes(path)
    full = os.path.abspath(path)
    key = _digest("ruleset", _code_state(), full, main if main is not None else b"\0missing")
    if main is not None:
        hit = _get("ruleset", key)
        if _fresh(hit, full):
            _, data, loaded_path, origins = hit
            return data, loaded_path, origins
    loaded, reads = load(path)  # raises on an invalid rule set: errors are never cached
    # the digest of the very text the loader read (a file edited meanwhile cannot slip in);
    # for the rule file itself, when that text is the one of the bytes in the key, KEY_TEXT
    deps = list(dict.fromkeys((os.path.abspath(p), _digest(text)) for p, text in reads))
    if main is not None:
        try:
            as_key = _digest(main.decode("utf-8-sig"))  # the text of the bytes in the key, read as the loader reads
        except UnicodeDecodeError:
            as_key = None
        deps = [(p, KEY_TEXT if p == full and d == as_key else d) for p, d in deps]
        _put("ruleset", key, (deps, loaded.data, loaded.path, loaded.origins))
    return loaded.data, loaded.path, loaded.origins


# A file read while loading whose text was the one of the very bytes the entry's key holds (the
# rule file itself, read once for the key and once by the loader): an entry found under that
# key has it unchanged, without reading and hashing it again.
KEY_TEXT = "key"


def _fresh(hit: Any, keyed: str = "") -> bool:
    if not (isinstance(hit, tuple) and len(hit) == 4 and isinstance(hit[0], list) and isinstance(hit[3], dict)):
        return False
    for dep in hit[0]:
        if not (isinstance(dep, tuple) and len(dep) == 2):
            return False
        if dep[1] == KEY_TEXT and dep[0] == keyed:
            continue
        raw = _read_bytes(dep[0]) if isinstance(dep[0], str) else None
        if raw is None:
            return False
        try:
            text = raw.decode("utf-8-sig")  # as the loader reads it
        except UnicodeDecodeError:
            return False
        if _digest(text) != dep[1]:
            return False
    return True


# -- other YAML data -----------------------------------------------------------------
def yaml_data(text: str) -> Any:
    """``yaml.safe_load(text)``, from the cache when the same text was loaded before
    (PyYAML is then not even imported)."""
    if enabled():
        key = _digest("yaml", _code_state(), text)
        hit = _get("yaml", key)
        if hit is not None:
            return hit[0]
    import yaml

    data = yaml.safe_load(text)
    if enabled():
        _put("yaml", key, (data,))
    return data


# -- compiled patterns ---------------------------------------------------------------
class _Memo:
    """A table of computed values kept between runs: loaded on first use, what this run adds
    written back when it ends."""

    MAX = 4096

    def __init__(self, kind: str, key: Callable[[], str]):
        self.kind = kind
        self._key = key
        self.key = ""
        self.entries: dict[str, Any] | None = None
        self.new: dict[str, Any] = {}

    def get(self, name: str) -> Any:
        if self.entries is None:
            self.entries = {}
            self.key = self._key()
            stored = _get(self.kind, self.key)
            if isinstance(stored, dict):
                self.entries = stored
            import atexit

            atexit.register(self.save)
        hit = self.entries.get(name)
        return self.new.get(name) if hit is None else hit  # also what this run added

    def add(self, name: str, value: Any) -> None:
        if len(self.new) < self.MAX:
            self.new[name] = value

    def save(self) -> None:
        if not self.new or not enabled():
            return
        merged = dict(self.entries or {})
        stored = _get(self.kind, self.key)  # another run may have added some meanwhile
        if isinstance(stored, dict):
            merged.update(stored)
        merged.update(self.new)
        if len(merged) > self.MAX:
            merged = dict(self.new)
        self.new = {}
        _put(self.kind, self.key, merged)


def _regex_key() -> str:
    import regex

    return _digest("regex", str(getattr(regex, "__version__", "?")), str(int(regex.DEFAULT_VERSION)), sys.version,
                   str(FORMAT))


_COMPILED = _Memo("patterns", _regex_key)
_CONSTRUCT: list[Callable[..., Any]] = []


def _reduce(pattern) -> tuple[Callable[..., Any], tuple]:
    import copyreg

    return copyreg.dispatch_table[type(pattern)](pattern)


def compile_regex(source: str, flags: int = 0, keep: bool = True):
    """``regex.compile(source, flags)``, rebuilt from the cache when this pattern was compiled in an
    earlier run (with the same version of ``regex``). A pattern is stored as the ``regex``
    package pickles it (``copyreg``: its constructor and its compiled code), rebuilt with
    that constructor, and checked to be the pattern asked for. ``keep=False``: a pattern
    compiled only to see that it compiles, not stored (the table every check reads stays small)."""
    import regex

    if not enabled():
        return regex.compile(source, flags)
    if not _CONSTRUCT:
        try:
            _CONSTRUCT.append(_reduce(regex.compile(""))[0])
        except Exception:  # pragma: no cover - a regex without its pickling support
            return regex.compile(source, flags)
    name = f"{flags}\0{source}" if flags else source  # the flags given are part of the key
    args = _COMPILED.get(name)
    if args is not None:
        try:
            pattern = _CONSTRUCT[0](*args)
            if pattern.pattern == source:
                return pattern
        except Exception:
            pass
    pattern = regex.compile(source, flags)
    try:
        construct, args = _reduce(pattern)
        marshal.dumps(args)
    except Exception:  # pragma: no cover - a regex without its pickling support
        return pattern
    if construct is _CONSTRUCT[0] and keep:
        _COMPILED.add(name, args)
    return pattern


lazyre.COMPILE[:] = [compile_regex]  # patterns compiled on first use come from this cache too


def _literals_key() -> str:
    return _digest("literals", _code_state())


_LITERALS = _Memo("literals", _literals_key)


def literals(source: str, compute: Callable[[str], Any]) -> Any:
    """``compute(source)`` (the keyword prefilter's analysis of a pattern), kept between runs."""
    if not enabled():
        return compute(source)
    hit = _LITERALS.get(source)
    if isinstance(hit, tuple) and len(hit) == 1:
        return None if hit[0] is None else frozenset(hit[0])
    value = compute(source)
    _LITERALS.add(source, (None if value is None else tuple(sorted(value)),))
    return value


def _checked_key() -> str:
    return _digest("checked", _code_state(), _regex_key())


_CHECKED = _Memo("checked", _checked_key)


def checked_pattern(source: str, year: int | None, check: Callable[[], None]) -> bool:
    """``check()``: the checks of a rule-set pattern for a report year (its shape, that it
    compiles for that year and for the years around it), which raise when it fails them.
    A pattern that passed them before (with the same fzcheck and ``regex``) is not checked
    again; a pattern without ``${…}`` passes or fails them alike for every year. Only passes
    are kept (under a digest of the pattern); a pattern that fails is checked, and fails,
    every time. True when the checks were run now."""
    if not enabled():
        check()
        return True
    name = _digest(str(year) if "${" in source else "any year", source)[:32]
    if _CHECKED.get(name) is True:
        return False
    check()
    _CHECKED.add(name, True)
    return True


# -- the characters OpenCC's t2s would change -----------------------------------------
def _find_spec(name: str) -> Any:
    """``importlib.util.find_spec(name)`` for a top-level module, without importing
    importlib.util (0.2 ms at every start): what it does for such a name, through the import
    system's own finder, which is always loaded."""
    module = sys.modules.get(name)
    if module is not None:
        spec = getattr(module, "__spec__", None)
        if spec is None:
            raise ValueError(f"{name}.__spec__ is None")
        return spec
    try:
        from _frozen_importlib import _find_spec
    except ImportError:  # pragma: no cover - another Python
        from importlib.util import find_spec

        return find_spec(name)
    return _find_spec(name, None)


def _opencc_share() -> str | None:
    """OpenCC's data folder, found without importing OpenCC (which loads its library)."""
    try:
        spec = _find_spec("opencc")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin:
        return None
    return os.path.join(os.path.dirname(spec.origin), "clib", "share", "opencc")


def t2s_changing(config: str = "t2s.json") -> frozenset[str] | None:
    """The characters OpenCC's ``t2s`` dictionaries change: of each entry whose conversion differs
    from its key, the key's characters that differ (all of them when the lengths differ;
    TSPhrases' 瞭解 → 了解 puts 瞭 in, though 瞭 alone stays 瞭), or None
    when that cannot be known (caching off, no dictionary tool, a ``t2s.json`` in the working
    folder that OpenCC would read instead, anything unexpected): then every paragraph goes
    through OpenCC as before. A text with none of these characters is its own conversion:
    each dictionary match in it is an entry that maps its key to itself, character for character.

    Kept in the cache under the configuration's bytes and each dictionary file's path, size,
    inode and modification and change times (an updated or edited dictionary gives another
    key); built once with OpenCC's own ``opencc_dict``."""
    if not enabled() or os.path.isfile(config):
        return None
    share = _opencc_share()
    if share is None:
        return None
    try:
        path = os.path.join(share, config)
        with open(path, "rb") as fh:
            conf = fh.read()
        files = [os.path.join(share, f) for f in _T2S_FILE.findall(conf.decode("utf-8"))]
        stamps = [_stamp(f) for f in [path, *files]]
    except (OSError, UnicodeDecodeError):
        return None
    if not files:
        return None
    key = _digest("t2s", str(FORMAT), conf, *files, *stamps)
    hit = _get("t2s", key)
    if isinstance(hit, tuple) and len(hit) == 1 and isinstance(hit[0], str):
        return frozenset(hit[0])
    chars = _t2s_build(share, files)
    if chars is None:
        return None
    _put("t2s", key, ("".join(sorted(chars)),))
    return frozenset(chars)


_T2S_FILE = lazyre.compile(r'"file"\s*:\s*"([^"\\/]+)"')  # a dictionary named in OpenCC's configuration


def _stamp(path: str) -> str:
    st = os.stat(path)
    return f"{st.st_size}:{st.st_ino}:{st.st_mtime_ns}:{st.st_ctime_ns}"


def _t2s_build(share: str, files: list[str]) -> set[str] | None:
    import subprocess
    import tempfile

    tool = os.path.join(os.path.dirname(os.path.dirname(share)), "bin", "opencc_dict")
    if not os.path.isfile(tool):
        return None
    chars: set[str] = set()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for n, f in enumerate(files):
                out = os.path.join(tmp, f"{n}.txt")
                subprocess.run([tool, "-i", f, "-o", out, "-f", "ocd2", "-t", "text"], check=True,
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               timeout=60)
                with open(out, encoding="utf-8") as fh:
                    lines = fh.read().splitlines()
                if not lines:
                    return None
                for line in lines:
                    k, sep, values = line.partition("\t")
                    if not sep or not k:
                        return None
                    first = values.split(" ")[0]
                    if len(first) != len(k):
                        chars.update(k)
                    else:  # only the characters it changes (any match of the entry holds one)
                        chars.update(a for a, b in zip(k, first) if a != b)
    except (OSError, subprocess.SubprocessError, UnicodeDecodeError):
        return None
    return chars


# -- which patterns run over joined sentences (fzcheck.engine.match.joinable) ----------
_JOINABLE = _Memo("joinable", lambda: _digest("joinable", _code_state(), _regex_key()))


def joinable_answer(source: str, flags: int, compute: Callable[[], str | None]) -> str | None:
    """``compute()``, the separator a pattern may be scanned over joined sentences with (or
    None), kept between runs like the prefilter's literals."""
    if not enabled():
        return compute()
    name = f"{flags}\0{source}"
    hit = _JOINABLE.get(name)
    if isinstance(hit, tuple) and len(hit) == 1 and (hit[0] is None or isinstance(hit[0], str)):
        return hit[0]
    value = compute()
    _JOINABLE.add(name, (value,))
    return value


def preload() -> None:
    """Read now the tables a check reads on its first pattern (compiled patterns, the
    prefilter's literals, joinable scans, checked patterns): the command line calls it while
    it loads everything else, before it sets all of that aside from the garbage collector."""
    if enabled():
        for memo in (_COMPILED, _LITERALS, _JOINABLE, _CHECKED):
            memo.get("")
