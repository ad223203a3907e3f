"""OpenCC is loaded only for a paragraph holding a character its t2s dictionaries change
(perf.cache.t2s_changing): a text without any of them is its own conversion."""
from __future__ import annotations

import pytest

from fzcheck.engine import normalize
from fzcheck.perf import cache

from .conftest import SAMPLE, SEEDS

opencc = pytest.importorskip("opencc")


@pytest.fixture(scope="module")
def changing(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.setenv("FZCHECK_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    mp.delenv("FZCHECK_NO_CACHE", raising=False)
    try:
        chars = cache.t2s_changing()
        again = cache.t2s_changing()  # from the cache this time
    finally:
        mp.undo()
    if chars is None:
        pytest.skip("no opencc_dict beside this OpenCC")
    assert again == chars
    return chars


def test_every_character_outside_the_set_is_kept_and_so_is_any_run_of_them(changing):
    convert = opencc.OpenCC("t2s").convert
    kept = "".join(chr(c) for r in ((0x3000, 0x303F), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF),
                                    (0xFF00, 0xFFEF), (0x20000, 0x2A6DF))
                   for c in range(*r) if chr(c) not in changing)
    assert convert(kept) == kept  # every pair of neighbours too: no phrase of them changes
    for ch in kept[::97]:
        assert convert(ch) == ch


@pytest.mark.parametrize("text", ["瞭解情況", "明瞭", "乾燥", "於是", "甚麼", "法律顧問"])
def test_a_text_the_conversion_changes_holds_a_character_of_the_set(changing, text):
    convert = opencc.OpenCC("t2s").convert
    assert convert(text) != text
    assert not changing.isdisjoint(text)


def test_reports_convert_as_before(changing):
    convert = opencc.OpenCC("t2s").convert
    paths = [SAMPLE] + (sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else [])
    for p in paths:
        for line in p.read_text(encoding="utf-8").splitlines():
            if changing.isdisjoint(line):
                assert convert(line) == line


def test_unknown_set_converts_every_paragraph(monkeypatch):
    monkeypatch.setattr(normalize, "_changing", lambda: None)
    assert normalize.normalize_text("法律顧問") == "法律顾问"


def test_a_t2s_json_in_the_working_folder_means_unknown(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "t2s.json").write_text("{}", encoding="utf-8")
    assert cache.t2s_changing() is None
