"""Renderers: small pure functions from a :class:`Report` to text.

Register a new output format by adding it to ``FORMATS``; the CLI offers every
name listed there for ``--format``.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Callable

from fzcheck import __version__
from fzcheck.model import DocumentResult


@dataclass
class Report:
    ruleset_id: str
    ruleset_version: str
    documents: list[DocumentResult]
    errors: list[dict[str, str]] = field(default_factory=list)  # {"path", "error"}
    profile: dict | None = None
    tool_version: str = __version__
    # --gaps-only: list only what weighs and is missing or partial, with why, fix and basis
    gaps_only: bool = False
    # SARIF: info rules that are not met as results of level "note" (--info); never by default
    show_info: bool = False


Renderer = Callable[[Report, str, bool], str]

# format name -> "module:function"; modules are imported only when used.
FORMATS: dict[str, str] = {
    "text": "fzcheck.render.text:render",
    "json": "fzcheck.render.jsonfmt:render",
    "markdown": "fzcheck.render.markdown:render",
    "sarif": "fzcheck.render.sarif:render",
    "junit": "fzcheck.render.junit:render",
    "html": "fzcheck.render.html:render",
    "csv": "fzcheck.render.summary:render_csv",  # always the batch summary
}


def renderer(name: str) -> Renderer:
    module, _, func = FORMATS[name].partition(":")
    return getattr(importlib.import_module(module), func)


def render(report: Report, fmt: str, lang: str = "zh", color: bool = False) -> str:
    return renderer(fmt)(report, lang, color)
