"""JSON output: the contract other tools build on (fields are added, never renamed)."""
from __future__ import annotations

import json
from typing import Any, Iterable, Iterator

import orjson

from fzcheck.model import DocumentResult, replace
from fzcheck.render import Report
from fzcheck.render.common import catalogue_order


def document_json(d: DocumentResult, lang: str) -> dict:
    """One document as JSON, its rules in the rule set's order (common.catalogue_order)."""
    return replace(d, results=catalogue_order(d.results)).to_json(lang)


def to_dict(report: Report, lang: str) -> dict:
    out = {
        "tool": {"name": "fzcheck", "version": report.tool_version},
        "ruleset": {"id": report.ruleset_id, "version": report.ruleset_version},
        "lang": lang,
        "documents": [document_json(d, lang) for d in report.documents],
        "errors": report.errors,
    }
    if report.profile:
        out["profile"] = report.profile
    return out


def dumps(obj: Any) -> str:
    """Indented JSON (two spaces, UTF-8 text, not \\u escapes), as every JSON output of fzcheck
    writes it: orjson, whose output equals ``json.dumps(obj, ensure_ascii=False, indent=2)``
    except for the exponent of very small or large floats (1e-7, not 1e-07). Text orjson
    refuses (a lone surrogate) goes through the json module, escaped."""
    return _dumps(obj).decode("utf-8")


def _dumps(obj: Any) -> bytes:
    try:
        return orjson.dumps(obj, option=orjson.OPT_INDENT_2)
    except orjson.JSONEncodeError:
        # a lone surrogate is written as its JSON escape (\\udc80), which reads back the same
        return json.dumps(obj, ensure_ascii=False, indent=2).encode("utf-8", "backslashreplace")


def render(report: Report, lang: str = "zh", color: bool = False) -> str:
    return dumps(to_dict(report, lang)) + "\n"


# ---------------------------------------------------------------------------- document by document
# The JSON report of a batch goes out one document at a time (``check --format json``):
# each document is encoded where it was checked (on a worker with --jobs) and written
# between the parts of the report before and after the "documents" list. The pieces put
# together are render()'s output, byte for byte (tests/test_parallel.py).
_DOC_INDENT = b"\n    "  # a document stands at depth 2 of the report


class JsonDocument:
    """Encodes one document as it stands inside the "documents" list of the JSON report, as
    UTF-8 bytes (picklable, for the workers)."""

    def __init__(self, lang: str):
        self.lang = lang

    def __call__(self, result) -> bytes:
        # JSON strings hold no raw newline: the replacement touches the layout only
        return _dumps(document_json(result, self.lang)).replace(b"\n", _DOC_INDENT)


def _envelope(report: Report, lang: str) -> tuple[str, str]:
    """What the report holds before the first document and after the last, written out
    field by field in the order of to_dict()."""
    fields = to_dict(Report(report.ruleset_id, report.ruleset_version, [], report.errors, report.profile,
                            report.tool_version), lang)
    names = list(fields)
    at = names.index("documents")

    def member(name: str) -> str:
        return "  " + dumps(name) + ": " + dumps(fields[name]).replace("\n", "\n  ")

    before = "{\n" + "".join(member(n) + ",\n" for n in names[:at]) + '  "documents": [\n    '
    after = "\n  ]" + "".join(",\n" + member(n) for n in names[at + 1:]) + "\n}\n"
    return before, after


def json_report(report: Report, lang: str, documents: Iterable[bytes]) -> Iterator[str | bytes]:
    """The JSON report in pieces, identical to render() for the same documents: ``report``
    gives everything but the documents, which come already encoded by :class:`JsonDocument`,
    in order. The part after the documents is made once they are all through, so that
    errors found on the way are in it."""
    docs = iter(documents)
    first = next(docs, None)
    if first is None:
        yield render(report, lang)
        return
    yield _envelope(report, lang)[0]
    yield first
    for d in docs:
        yield ",\n    "
        yield d
    yield _envelope(report, lang)[1]
