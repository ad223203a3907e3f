"""Shared fixtures. The real reports live in ../shared/corpus/seeds beside the checkout
(CI has it); a user's clone does not, and the tests that need them skip with the reason."""
from __future__ import annotations

import os
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
