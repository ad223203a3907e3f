"""Shared fixtures. The real reports live in ../shared/corpus/seeds beside the checkout
(CI has it); a user's clone does not, and the tests that need them skip with the reason."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

# The tests keep fzcheck's cache in a folder of their own, never in the user's ~/.cache
# (subprocesses inherit it). A test that needs another folder sets it itself.
os.environ.setdefault("FZCHECK_CACHE_DIR", tempfile.mkdtemp(prefix="fzcheck-test-cache-"))

from fzcheck.rules.load import load_ruleset

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"
SAMPLE = ROOT / "samples" / "qinghe-town-2023.txt"


@pytest.fixture(scope="session")
def ruleset():
    return load_ruleset()


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not (SEEDS / "expected.yaml").exists():
        pytest.skip(f"the real reports are not here ({SEEDS} is absent: it sits beside the checkout in CI)")
    return SEEDS


@pytest.fixture(scope="session")
def sample_path() -> Path:
    return SAMPLE


# Headless Chromium for the tests that print pages (Debian's chromium; others by their names).
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


def find_browser() -> str | None:
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.fixture(scope="session")
def browser() -> str:
    path = find_browser()
    if not path:
        pytest.skip("no headless browser: install Debian's chromium (apt-get install chromium) to print the pages")
    return path
