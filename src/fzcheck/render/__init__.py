"""Renderers: small pure functions from a :class:`Report` to text.

Register a new output format by adding it to ``FORMATS``; the CLI offers every
name listed there for ``--format``.
"""
from __future__ import annotations

import importlib
from typing import Callable

from fzcheck import __version__
from fzcheck.model import DocumentResult
from fzcheck.model import Record


class Report(Record):
    __slots__ = _fields = ("ruleset_id", "ruleset_version", "documents", "errors", "profile", "tool_version",
                           "gaps_only", "show_info")

    def __init__(self, ruleset_id: str, ruleset_version: str, documents: list[DocumentResult],
                 errors: list[dict[str, str]] | None = None, profile: dict | None = None,
                 tool_version: str = __version__, gaps_only: bool = False, show_info: bool = False):
        self.ruleset_id = ruleset_id
        self.ruleset_version = ruleset_version
        self.documents = documents
        self.errors = [] if errors is None else errors  # {"path", "error"}
        self.profile = profile
        self.tool_version = tool_version
        # --gaps-only: list only what weighs and is missing or partial, with why, fix and basis
        self.gaps_only = gaps_only
        # SARIF: info rules that are not met as results of level "note" (--info); never by default
        self.show_info = show_info


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
