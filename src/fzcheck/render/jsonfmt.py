"""JSON output: the contract other tools build on (fields are added, never renamed)."""
from __future__ import annotations

import json

from fzcheck.render import Report


def to_dict(report: Report, lang: str) -> dict:
    out = {
        "tool": {"name": "fzcheck", "version": report.tool_version},
        "ruleset": {"id": report.ruleset_id, "version": report.ruleset_version},
        "lang": lang,
        "documents": [d.to_json(lang) for d in report.documents],
        "errors": report.errors,
    }
    if report.profile:
        out["profile"] = report.profile
    return out


def render(report: Report, lang: str = "zh", color: bool = False) -> str:
    return json.dumps(to_dict(report, lang), ensure_ascii=False, indent=2) + "\n"
