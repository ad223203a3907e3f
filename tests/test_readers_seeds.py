"""The real reports, converted to every input format, get the judgement of their .txt original.

The converted files are written to a temporary folder only (the reports are test data, never copied
into the repository). Evidence must point at the paragraph (.docx), the page and line (.pdf) or the
line (text, web page) where the matched words stand in the converted file.
"""
from __future__ import annotations

import pytest

from fzcheck.engine.check import check_path
from fzcheck.engine.normalize import normalize_text
from fzcheck.readers import read_document
from tests.readers_convert import CONVERSIONS, differences, outcome

SEEDS = ["dashi-street-2023.txt", "puchang-town-2024.txt", "waxing-town-2021.txt",
         "xx-county-template-traditional.txt", "zhaohua-town-2021.txt"]


@pytest.fixture(scope="module")
def converted(seeds_dir, ruleset, tmp_path_factory):
    out = tmp_path_factory.mktemp("seeds")
    results = {}
    for name in sorted(p.name for p in seeds_dir.glob("*.txt")):
        text = (seeds_dir / name).read_text(encoding="utf-8")
        results[(name, "txt")] = check_path(str(seeds_dir / name), ruleset).to_json("zh")
        for fmt, (suffix, convert) in CONVERSIONS.items():
            path = out / (name[:-4] + suffix)
            path.write_bytes(convert(text))
            results[(name, fmt)] = (path, check_path(str(path), ruleset).to_json("zh"))
    return results


def test_every_seed_is_converted(seeds_dir, converted):
    names = {name for name, _ in converted}
    assert names == {p.name for p in seeds_dir.glob("*.txt")} and len(names) >= 5


@pytest.mark.parametrize("fmt", sorted(CONVERSIONS))
def test_seed_results_are_the_same_in_every_format(fmt, converted):
    diffs = {}
    for (name, f), value in converted.items():
        if f != fmt:
            continue
        got = differences(outcome(converted[(name, "txt")]), outcome(value[1]))
        if got:
            diffs[name] = got
    assert diffs == {}


def _matches_by_location(doc):
    for r in doc["results"]:
        for ev in r["evidence"] + [e for it in r.get("items", []) for e in it["evidence"]]:
            yield ev


@pytest.mark.parametrize("fmt", ["docx", "pdf", "html", "gbk", "utf16"])
def test_seed_evidence_points_at_the_right_place(fmt, converted):
    checked = 0
    for (name, f), value in converted.items():
        if f != fmt:
            continue
        path, doc = value
        raw = read_document(path)
        for ev in _matches_by_location(doc):
            loc = ev["location"]
            assert loc, ev
            if "source" in loc:  # metadata evidence (e.g. the page's publication date), not a place in the text
                continue
            if fmt == "docx":
                assert set(loc) & {"paragraph"} and ev["line"] is None
                where = [p for p in raw.paragraphs if p.locations[0][1] == loc]
            elif fmt == "pdf":
                assert set(loc) == {"page", "line"}
                where = [p for p in raw.paragraphs if any(l == loc for _, l in p.locations)]
            elif fmt == "html":  # the paragraph a reader of the page counts, and the source line
                assert set(loc) == {"line", "paragraph"} and ev["line"] == loc["line"]
                where = [raw.paragraphs[loc["paragraph"] - 1]]
                assert where[0].locations[0][1]["line"] == loc["line"]
            else:
                assert set(loc) == {"line"} and ev["line"] == loc["line"]
                where = [p for p in raw.paragraphs if p.locations[0][1] == loc]
            assert where, (name, ev)
            assert any(ev["match"] in normalize_text(p.text) for p in where), (name, ev["match"], loc)
            checked += 1
    assert checked > 50


def test_seed_text_lines_are_the_original_lines(converted):
    """Re-encoded text keeps line numbers: evidence of GBK and UTF-16 copies equals the UTF-8 original's."""
    for (name, f), value in converted.items():
        if f not in ("gbk", "utf16"):
            continue
        base = [ev["line"] for ev in _matches_by_location(converted[(name, "txt")])]
        assert [ev["line"] for ev in _matches_by_location(value[1])] == base
