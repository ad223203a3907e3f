"""The HTML gap report in a real browser (headless Chromium): no script or policy errors in the
console, the score and every rule on the page, A4 pages when printed, a new page per report.

Skipped, with the reason, only when no Chromium/Chrome is installed (.ci/run installs Debian's).
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from fzcheck.engine.check import check_path
from fzcheck.render import Report, render

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-extensions", "--enable-logging=stderr", "--v=0"]


def run(browser: str, tmp: Path, page: Path, *extra: str) -> tuple[str, list[str]]:
    """Load a page; return the DOM (or '') and the console lines the browser logged."""
    profile = tmp / "profile"
    profile.mkdir(exist_ok=True)
    proc = subprocess.run([browser, *FLAGS, f"--user-data-dir={profile}", *extra, page.resolve().as_uri()],
                          capture_output=True, text=True, timeout=120)
    console = [line for line in proc.stderr.splitlines() if ":CONSOLE" in line]
    return proc.stdout, console


def pdf_pages(pdf: Path) -> list[tuple[float, float]]:
    data = pdf.read_bytes()
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", data)
    count = len(re.findall(rb"/Type\s*/Page(?!s)", data))
    assert count, "no pages in the PDF"
    return [(float(w), float(h)) for w, h in boxes][:count] or [(0.0, 0.0)] * count


def test_console_capture_works(browser, tmp_path):
    """The check below is not vacuous: a script error and a blocked external image are both seen."""
    probe = tmp_path / "probe.html"
    probe.write_text('<!DOCTYPE html><meta charset="utf-8">'
                     "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                     "script-src 'unsafe-inline'\"><img src=\"https://example.invalid/x.png\">"
                     '<script>throw new Error("probe-error")</script>', encoding="utf-8")
    _, console = run(browser, tmp_path, probe, "--dump-dom")
    text = "\n".join(console)
    assert "probe-error" in text and "example.invalid" in text


def test_seed_reports_in_the_browser(browser, tmp_path, ruleset, seeds_dir):
    for seed in sorted(seeds_dir.glob("*.txt")):
        d = check_path(str(seed), ruleset)
        page = tmp_path / (seed.stem + ".html")
        page.write_text(render(Report(ruleset.id, ruleset.version, [d]), "html"), encoding="utf-8")
        dom, console = run(browser, tmp_path, page, "--dump-dom")
        assert not console, f"{seed.name}: console messages: {console}"
        assert f'data-score="{d.score:g}"' in dom, seed.name
        rows = re.findall(r'<tr class="row-[a-z_]+" [^>]*data-rule="([^"]+)"', dom)
        assert rows and sorted(rows) == sorted(r.id for r in d.results), seed.name


def test_printed_on_a4_with_a_new_page_per_report(browser, tmp_path, ruleset, sample_path):
    d = check_path(str(sample_path), ruleset)
    pages = {}
    for name, docs in (("one", [d]), ("two", [d, d])):
        page = tmp_path / f"{name}.html"
        page.write_text(render(Report(ruleset.id, ruleset.version, docs), "html"), encoding="utf-8")
        pdf = tmp_path / f"{name}.pdf"
        _, console = run(browser, tmp_path, page, "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
        assert not console, console
        pages[name] = pdf_pages(pdf)
    for w, h in pages["one"] + pages["two"]:
        assert abs(w - 595.3) < 1.5 and abs(h - 841.9) < 1.5, (w, h)  # A4 in points
    # the second report starts on a page of its own: exactly twice the pages of one
    assert len(pages["one"]) >= 2 and len(pages["two"]) == 2 * len(pages["one"])
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-f", str(len(pages["one"]) + 1), "-l", str(len(pages["one"]) + 1),
                               "-layout", str(tmp_path / "two.pdf"), "-"], capture_output=True, text=True).stdout
        assert d.meta["title"] in text.replace(" ", "")[:400]
        # the header row of the rules table is repeated on a continuation page
        last = subprocess.run(["pdftotext", "-f", "3", "-l", "3", str(tmp_path / "one.pdf"), "-"],
                              capture_output=True, text=True).stdout
        if len(pages["one"]) >= 3:
            assert "检查项" in last.replace(" ", "")[:200]
