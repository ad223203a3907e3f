"""A report's web page printed to PDF by a browser reads as the same report (issue 12, item 1).

Each seed report is served as a government web page (``readers_convert.to_html``: menu,
breadcrumb, share bar, related links, footer) and printed with headless Chromium, with the
browser's own header and footer (date, page title, address, page numbers) as a reviewer's
print has them. The PDF's text layer then spells many characters as Kangxi radicals and
CJK radical supplement forms (⼀ ⼈ ⾏ ⺠ ⻚ for 一 人 行 民 页) and — as ―: the normalizer folds
them, the site's header and tail are page furniture, and the score, the parts and every
element's and item's status equal those of the .txt; the breadcrumb or menu is never the
title; evidence quotes stand verbatim in the text the PDF reader extracted.

Skipped, with the reason, when Chromium or the real reports (../shared) are absent.
"""
from __future__ import annotations

import subprocess
import unicodedata

import pytest

from fzcheck.engine.check import check_path
from fzcheck.readers import read_document
from tests.readers_convert import differences, outcome, to_html

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-extensions"]


def print_pdf(browser: str, page, pdf, profile) -> None:
    profile.mkdir(exist_ok=True)
    subprocess.run([browser, *FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={pdf}",
                    page.resolve().as_uri()], capture_output=True, timeout=120)
    if not pdf.exists() or pdf.stat().st_size < 1000:
        pytest.skip(f"{browser} did not print {page.name} to PDF in this environment")


@pytest.fixture(scope="module")
def printed(browser, seeds_dir, ruleset, tmp_path_factory):
    out = tmp_path_factory.mktemp("printed")
    results = {}
    for seed in sorted(seeds_dir.glob("*.txt")):
        page = out / (seed.stem + ".html")
        page.write_bytes(to_html(seed.read_text(encoding="utf-8")))
        pdf = out / (seed.stem + ".pdf")
        print_pdf(browser, page, pdf, out / "profile")
        results[seed.name] = (pdf, check_path(str(seed), ruleset).to_json("zh"),
                              check_path(str(pdf), ruleset).to_json("zh"))
    assert len(results) >= 5
    return results


def test_printed_pdf_spells_with_radicals(printed):
    """The fixture is what the issue describes: the text layer has Kangxi/supplement radicals."""
    pdf = next(iter(printed.values()))[0]
    text = "".join(p.text for p in read_document(pdf).paragraphs)
    radicals = [c for c in text if 0x2E80 <= ord(c) <= 0x2FDF]
    assert len(radicals) > 20, "Chromium's PDF no longer uses radical code points; the test proves less"
    assert {unicodedata.name(c).split()[0] for c in radicals} >= {"KANGXI"}


def test_printed_page_gets_the_judgement_of_the_text(printed):
    diffs = {name: differences(outcome(txt), outcome(pdf)) for name, (_, txt, pdf) in printed.items()}
    assert {k: v for k, v in diffs.items() if v} == {}


def test_printed_page_title_is_never_the_breadcrumb(printed):
    for name, (_, txt, pdf) in printed.items():
        title = pdf["meta"].get("title")
        assert title == txt["meta"].get("title"), name
        assert not title or not any(w in title for w in ("首页", "当前位置", ">")), (name, title)


def test_printed_page_quotes_stand_in_the_extracted_text(printed):
    checked = 0
    for name, (path, _, doc) in printed.items():
        text = "\n".join(p.text for p in read_document(path).paragraphs)
        for r in doc["results"]:
            for ev in r["evidence"] + [e for it in r.get("items", []) for e in it["evidence"]]:
                if "source" in ev["location"]:
                    continue
                assert ev["original"] in text, (name, r["id"], ev["original"])
                assert set(ev["location"]) == {"page", "line"}, ev["location"]
                checked += 1
    assert checked > 50
