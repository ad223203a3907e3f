"""Evidence quotes the report's own characters (issue 12, item 3): the whole sentence as the
file has it (full-width punctuation, traditional characters, pinyin annotations as written),
so that Ctrl-F in Word, a browser or a PDF viewer finds it; the JSON keeps the normalized
``text``/``match`` and adds ``original``/``original_match``.

For .txt the quote must stand verbatim in the file; for .docx, .pdf and .html in the text the
reader extracted before normalization (Word's own numbering, a PDF's line breaks and a page's
markup are not characters of the text). The real reports are read from ../shared; without
them those tests are skipped.
"""
from __future__ import annotations

import pytest

from fzcheck.engine.check import check_document, check_path, from_text
from fzcheck.engine.normalize import normalize_text
from fzcheck.readers import read_document
from fzcheck.readers.text import decode
from tests.readers_convert import CONVERSIONS


def _evidence(doc: dict):
    for r in doc["results"]:
        for ev in r["evidence"] + [e for it in r.get("items", []) for e in it["evidence"]]:
            yield r["id"], ev
        for why in [r.get("why_not")] + [it.get("why_not") for it in r.get("items", [])]:
            if why and why.get("evidence"):
                yield r["id"], why["evidence"]


def _check_quotes(doc: dict, haystack: str, label: str) -> int:
    checked = 0
    for rid, ev in _evidence(doc):
        if "source" in ev["location"]:  # metadata (a page's date), not a quote
            continue
        assert ev.get("original"), (label, rid, ev)
        assert ev["original"] in haystack, (label, rid, ev["original"])
        assert ev["original_match"] and ev["original_match"] in ev["original"], (label, rid, ev)
        # the quote is what was matched: normalized, it holds the normalized match
        assert ev["match"] in normalize_text(ev["original"]) or ev["location"].get("paragraph"), (label, rid, ev)
        checked += 1
    return checked


def test_quote_keeps_full_width_and_traditional_characters(ruleset):
    text = ("某某縣2023年法治政府建設年度報告\n一、主要舉措和成效\n"
            "（一）2023年，本縣聘請了3名法律顧問（律師），全年審查合同12件。\n")
    doc = check_document(from_text(text, ruleset), ruleset)
    evs = [ev for r in doc.results if r.id == "legal-advisor" for ev in r.evidence]
    assert evs, "the legal advisor is found"
    ev = evs[0]
    assert ev.original == "（一）2023年，本縣聘請了3名法律顧問（律師），全年審查合同12件。"
    assert ev.original_match == "法律顧問" and ev.match == "法律顾问"
    assert ev.text.startswith("(一)2023年,本县")  # the normalized text is kept, as before
    j = ev.to_json()
    assert j["original"] == ev.original and j["text"] == ev.text and j["match"] == "法律顾问"


def test_quote_is_the_whole_sentence(ruleset):
    long = "全年" + "开展普法宣传活动，" * 20 + "并聘请了法律顾问参与重大决策合法性审查。"
    doc = check_document(from_text(f"某镇2023年法治政府建设工作报告\n一、主要举措和成效\n{long}另一句话。\n", ruleset), ruleset)
    ev = next(ev for r in doc.results if r.id == "legal-advisor" for ev in r.evidence)
    assert ev.original == long and "…" in ev.text  # text stays the short window of today


def test_kangxi_radicals_are_quoted_as_written(ruleset):
    text = "某镇2023年法治政府建设⼯作报告\n⼀、主要举措和成效\n2023年，我镇聘请法律顾问1名，出具法律意见书5件。\n"
    doc = check_document(from_text(text, ruleset), ruleset)
    ev = next(ev for r in doc.results if r.id == "legal-advisor" for ev in r.evidence)
    assert ev.original in text


@pytest.fixture(scope="module")
def converted(seeds_dir, ruleset, tmp_path_factory):
    out = tmp_path_factory.mktemp("quotes")
    results = []
    for seed in sorted(seeds_dir.glob("*.txt")):
        text = seed.read_text(encoding="utf-8")
        results.append(("txt", seed, check_path(str(seed), ruleset).to_json("zh")))
        for fmt in ("docx", "pdf", "html"):
            suffix, convert = CONVERSIONS[fmt]
            path = out / (seed.stem + suffix)
            path.write_bytes(convert(text))
            results.append((fmt, path, check_path(str(path), ruleset).to_json("zh")))
    return results


@pytest.mark.parametrize("fmt", ["txt", "docx", "pdf", "html"])
def test_seed_quotes_are_verbatim_in_the_original(fmt, converted):
    checked = 0
    for f, path, doc in converted:
        if f != fmt:
            continue
        if fmt == "txt":
            haystack = decode(path.read_bytes())[0]  # the file itself
        else:  # the text the reader extracted, before normalization
            haystack = "\n".join(p.text for p in read_document(path).paragraphs)
        checked += _check_quotes(doc, haystack, f"{path.name}")
    assert checked > 50
