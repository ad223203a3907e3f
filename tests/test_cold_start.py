"""What the cold start of `fzcheck check` skips between runs (issue 16) never changes what it
finds: a pattern that passed its checks is not checked again, but one that fails is, every
time; a rule file is not read a second time for freshness only when the text its loader read
is the one of the very bytes the cache entry's key holds."""
from __future__ import annotations

import pytest

from fzcheck.perf import cache


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("FZCHECK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("FZCHECK_NO_CACHE", raising=False)
    return tmp_path


def test_a_pattern_that_passed_is_not_checked_again_one_that_fails_always_is(cache_home):
    calls = []
    src = "测试${year}年(?:甲|乙)"
    assert cache.checked_pattern(src, 2023, lambda: calls.append(1)) is True
    assert cache.checked_pattern(src, 2023, lambda: calls.append(1)) is False  # passed before
    assert cache.checked_pattern(src, 2024, lambda: calls.append(1)) is True  # ${year}: per year
    plain = "测试(?:甲|乙)年度"
    cache.checked_pattern(plain, 2023, lambda: calls.append(1))
    assert cache.checked_pattern(plain, 2019, lambda: calls.append(1)) is False  # no ${…}: any year
    assert len(calls) == 3

    def fails():
        calls.append(1)
        raise ValueError("does not compile")

    for _ in range(2):
        with pytest.raises(ValueError):
            cache.checked_pattern("bad(", 2023, fails)
    assert len(calls) == 5


def _loader(data, reads):
    class Loaded:
        def __init__(self):
            self.data, self.path, self.origins = data, "rules.yaml", {}

    return lambda path: (Loaded(), reads)


def test_the_rule_file_is_trusted_by_its_key_only_when_the_loader_read_those_bytes(cache_home):
    rules = cache_home / "rules.yaml"
    rules.write_text("id: a\n", encoding="utf-8")
    # the loader read what the key holds: stored as KEY_TEXT, found again without a second read
    data, _, _ = cache.load_ruleset_data(str(rules), _loader({"v": 1}, [(str(rules), "id: a\n")]))
    assert data == {"v": 1}
    assert cache.load_ruleset_data(str(rules), _loader({"v": 2}, []))[0] == {"v": 1}
    # the file changed between the key's read and the loader's (the loader read other text):
    # its digest is kept, and the entry is not trusted on the key alone
    other = cache_home / "other.yaml"
    other.write_text("id: b\n", encoding="utf-8")
    cache.load_ruleset_data(str(other), _loader({"v": 3}, [(str(other), "id: CHANGED\n")]))
    assert cache.load_ruleset_data(str(other), _loader({"v": 4}, [(str(other), "id: b\n")]))[0] == {"v": 4}
    # an edit gives another key
    rules.write_text("id: a2\n", encoding="utf-8")
    assert cache.load_ruleset_data(str(rules), _loader({"v": 5}, [(str(rules), "id: a2\n")]))[0] == {"v": 5}


def test_a_tampered_entry_is_ignored(cache_home):
    rules = cache_home / "rules.yaml"
    rules.write_text("id: a\n", encoding="utf-8")
    cache.load_ruleset_data(str(rules), _loader({"v": 1}, [(str(rules), "id: a\n")]))
    folder = cache_home / "cache"
    (entry,) = [p for p in folder.iterdir() if p.name.startswith("ruleset-")]
    raw = bytearray(entry.read_bytes())
    raw[-2] ^= 1  # one bit of the payload
    entry.write_bytes(bytes(raw))
    assert cache.load_ruleset_data(str(rules), _loader({"v": 2}, [(str(rules), "id: a\n")]))[0] == {"v": 2}


def test_one_report_checked_as_the_program_ends_with_all_its_output_and_caches(tmp_path):
    """`python -m fzcheck check FILE` ends with os._exit once done (no interpreter teardown):
    the same output and exit code as when main returns through the interpreter's own exit
    (main called from other code), and the caches written (the exit handlers ran)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    sample = str(Path(__file__).resolve().parents[1] / "samples" / "qinghe-town-2023.txt")
    env = dict(os.environ, FZCHECK_CACHE_DIR=str(tmp_path / "cache"))
    env.pop("FZCHECK_NO_CACHE", None)
    through_main = "import sys; from fzcheck.app.cli import main; sys.argv = ['fzcheck', *sys.argv[1:]]; main()"
    for args in (["check", "-f", "json", sample], ["check", sample], ["check", str(tmp_path / "missing.txt")],
                 ["check", "--lang", "en", "-f", "markdown", sample]):
        quick = subprocess.run([sys.executable, "-m", "fzcheck", *args], env=env, capture_output=True, timeout=120)
        usual = subprocess.run([sys.executable, "-c", through_main, *args], env=env, capture_output=True,
                               timeout=120)
        assert (quick.returncode, quick.stdout, quick.stderr) == (usual.returncode, usual.stdout, usual.stderr)
        assert quick.stdout and quick.returncode in (0, 1, 2)
    written = {name.split("-")[0] for name in os.listdir(tmp_path / "cache")}
    assert {"ruleset", "patterns", "checked", "literals"} <= written
