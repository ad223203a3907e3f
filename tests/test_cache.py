"""The cache between runs: same results, safe when corrupt, stale or unwritable, off on request."""
from __future__ import annotations

import os
import stat

import pytest
import regex

from fzcheck.perf import cache
from fzcheck.rules.load import load_ruleset, rules_dir


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("FZCHECK_CACHE_DIR", str(folder))
    monkeypatch.delenv("FZCHECK_NO_CACHE", raising=False)
    return folder


def _same(a, b):
    assert a.raw == b.raw
    assert a.origins == b.origins
    assert [r.id for r in a.rules] == [r.id for r in b.rules]
    assert a.path == b.path


def test_cached_rule_set_is_the_loaded_one(cache_home, monkeypatch):
    first = load_ruleset()  # loads and stores
    assert any(n.startswith("ruleset-") for n in os.listdir(cache_home))
    second = load_ruleset()  # from the cache
    monkeypatch.setenv("FZCHECK_NO_CACHE", "1")
    fresh = load_ruleset()
    _same(first, second)
    _same(first, fresh)


def test_the_cache_is_used(cache_home, monkeypatch):
    load_ruleset()
    import fzcheck.rules.load as rs

    def boom(path):
        raise AssertionError("loaded again")

    monkeypatch.setattr(rs, "_load_recorded", boom)
    load_ruleset()  # served from the cache: the loader is not called


def test_no_cache_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("FZCHECK_CACHE_DIR", str(tmp_path / "c"))
    monkeypatch.setenv("FZCHECK_NO_CACHE", "1")
    load_ruleset()
    assert not (tmp_path / "c").exists()


def test_corrupt_entries_are_ignored(cache_home):
    good = load_ruleset()
    for name in os.listdir(cache_home):
        p = cache_home / name
        data = p.read_bytes()
        p.write_bytes(data[: len(data) // 2] + b"\x00garbage" + data[len(data) // 2 + 8:])
    _same(good, load_ruleset())
    for name in os.listdir(cache_home):
        (cache_home / name).write_bytes(b"")
    _same(good, load_ruleset())


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs a folder root cannot write to")
def test_unwritable_cache_folder_is_ignored(tmp_path, monkeypatch):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    monkeypatch.setenv("FZCHECK_CACHE_DIR", str(folder / "fzcheck"))
    load_ruleset()


def test_cache_dir_that_is_a_file_is_ignored(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("FZCHECK_CACHE_DIR", str(blocker))
    monkeypatch.delenv("FZCHECK_NO_CACHE", raising=False)
    assert load_ruleset().id == "annual-report"


def test_an_edited_rule_file_or_the_file_it_extends_is_read_again(cache_home, tmp_path):
    base = (rules_dir() / "annual-report.yaml").read_text(encoding="utf-8")
    parent = tmp_path / "parent.yaml"
    parent.write_text(base, encoding="utf-8")
    child = tmp_path / "child.yaml"
    child.write_text("extends: parent.yaml\nid: child\nversion: '1'\n", encoding="utf-8")
    first = load_ruleset(str(child))
    assert first.id == "child"
    parent.write_text(base.replace("threshold: 60", "threshold: 70"), encoding="utf-8")
    second = load_ruleset(str(child))
    assert first.threshold != second.threshold == 70
    child.write_text("extends: parent.yaml\nid: child2\nversion: '1'\n", encoding="utf-8")
    assert load_ruleset(str(child)).id == "child2"


def test_invalid_rule_sets_are_never_cached(cache_home, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\nversion: '1'\nrules: [{id: a}]\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(Exception):
            load_ruleset(str(bad))
    assert not any(n.startswith("ruleset-") for n in os.listdir(cache_home)) if cache_home.exists() else True


def test_compiled_patterns_are_rebuilt_identically(cache_home):
    sources = [r"(?<![村社])法律顾问(?=制度)", r"\d+(\.\d+)?\s*(件|次)", r"[\p{Han}]{2,4}镇", "(?i:produced by)\\b"]
    memo = cache._COMPILED
    memo.entries, memo.new = None, {}
    made = [cache.compile_regex(s) for s in sources]
    memo.save()
    memo.entries, memo.new = None, {}
    rebuilt = [cache.compile_regex(s) for s in sources]
    assert not memo.new  # all came from the cache
    text = "聘请法律顾问制度，村法律顾问，12.5件 3次，清河镇 Produced By x"
    for a, b, s in zip(made, rebuilt, sources):
        assert b.pattern == s and a.flags == b.flags
        assert [m.span() for m in a.finditer(text)] == [m.span() for m in b.finditer(text)] == \
               [m.span() for m in regex.compile(s).finditer(text)]


def test_yaml_data_is_the_parsed_yaml(cache_home):
    import yaml

    text = "a: [1, 2.5, 'x', null, true]\nb: {c: 中文}\n"
    assert cache.yaml_data(text) == cache.yaml_data(text) == yaml.safe_load(text)
    dated = "when: 2024-03-08\n"  # a date is not plain data: not cached, still right
    assert cache.yaml_data(dated) == yaml.safe_load(dated)


def test_an_exception_inside_a_cache_read_comes_out_as_itself(tmp_path, monkeypatch):
    """The document's time limit arrives as an exception from a signal handler, wherever the
    code is: inside a cache read it must come out as itself, with the file closed (a read
    through os.fdopen closed the descriptor twice and raised "Bad file descriptor" instead,
    which serve showed as an internal error, once in CI)."""
    import os as _os

    from fzcheck.perf import cache

    class Timeout(BaseException):
        pass

    entry = tmp_path / "entry"
    entry.write_bytes(b"x" * 1000)
    real_close = _os.close

    def fdopen(fd, *args, **kwargs):  # a file object made, then dropped, as the signal arrives
        real_close(fd)
        raise Timeout

    def read(fd, n):
        raise Timeout

    open_before = len(_os.listdir("/proc/self/fd")) if _os.path.isdir("/proc/self/fd") else None
    monkeypatch.setattr(_os, "fdopen", fdopen)
    monkeypatch.setattr(_os, "read", read)
    for _ in range(20):
        with pytest.raises(Timeout):
            cache._read_bytes(str(entry))
    monkeypatch.undo()
    if open_before is not None:
        assert len(_os.listdir("/proc/self/fd")) == open_before  # nothing left open
    assert cache._read_bytes(str(entry)) == b"x" * 1000
