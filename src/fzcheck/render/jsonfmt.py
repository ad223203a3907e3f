"""JSON output: the contract other tools build on (fields are added, never renamed)."""
from __future__ import annotations

import json
from typing import Any, Iterable, Iterator

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


# ---------------------------------------------------------------------------- document by document
_MARK = "\x00fzcheck-documents\x00"


class JsonDocument:
    """Encodes one document as it stands inside the "documents" list of the JSON report,
    in UTF-8 (picklable, for the workers; bytes go back to the parent and into the file
    as they are). Uses the JSON renderer's own conversion, so the pieces put together
    are the renderer's output, character for character."""

    def __init__(self, lang: str):
        self.lang = lang

    def __call__(self, result) -> bytes:
        return self.text(result).encode("utf-8")

    def text(self, result) -> str:
        doc = to_dict(Report("", "", [result], []), self.lang)["documents"][0]
        # at depth 2 of the report: every line after the first is indented by 4 more
        # spaces (JSON strings hold no raw newline, so this touches layout only)
        try:
            return dumps_indented(doc, "    ")
        except _NotPlain:
            return json.dumps(doc, ensure_ascii=False, indent=2).replace("\n", "\n    ")


class _NotPlain(Exception):
    """A value dumps_indented leaves to the json module."""


def dumps_indented(obj: Any, indent: str = "") -> str:
    """``json.dumps(obj, ensure_ascii=False, indent=2)`` for plain data (dicts with str keys,
    lists, tuples, str, int, float, bool, None), character for character, with every line
    after the first indented by ``indent`` more; about twice as fast (the json module has
    no C encoder for indented output). Anything else raises _NotPlain."""
    from json.encoder import encode_basestring

    enc = encode_basestring  # the C function when available, as json.dumps uses
    int_repr = int.__repr__
    float_repr = float.__repr__
    inf = float("inf")
    out: list[str] = []
    app = out.append

    def number(o: float) -> str:
        if o != o:
            return "NaN"
        if o == inf:
            return "Infinity"
        if o == -inf:
            return "-Infinity"
        return float_repr(o)

    def leaf(o: Any) -> str | None:
        if isinstance(o, str):
            return enc(o)
        if o is None:
            return "null"
        if o is True:
            return "true"
        if o is False:
            return "false"
        if isinstance(o, int):
            return int_repr(o)
        if isinstance(o, float):
            return number(o)
        return None

    def value(o: Any, ind: str) -> None:
        if isinstance(o, (list, tuple)):
            if not o:
                app("[]")
                return
            inner = ind + "  "
            sep = ",\n" + inner
            app("[\n" + inner)
            first = True
            for v in o:
                if first:
                    first = False
                else:
                    app(sep)
                t = type(v)  # the common cases without a call (exact types only)
                if t is str:
                    app(enc(v))
                elif t is dict or t is list:
                    value(v, inner)
                else:
                    text = leaf(v)
                    if text is None:
                        value(v, inner)
                    else:
                        app(text)
            app("\n" + ind + "]")
        elif isinstance(o, dict):
            if not o:
                app("{}")
                return
            inner = ind + "  "
            sep = ",\n" + inner
            app("{\n" + inner)
            first = True
            for k, v in o.items():
                if not isinstance(k, str):
                    raise _NotPlain(k)
                if first:
                    first = False
                else:
                    app(sep)
                t = type(v)
                if t is str:
                    app(enc(k) + ": " + enc(v))
                elif t is dict or t is list:
                    app(enc(k) + ": ")
                    value(v, inner)
                elif v is None:
                    app(enc(k) + ": null")
                else:
                    text = leaf(v)
                    app(enc(k) + ": ")
                    if text is None:
                        value(v, inner)
                    else:
                        app(text)
            app("\n" + ind + "}")
        else:
            text = leaf(o)
            if text is None:
                raise _NotPlain(o)
            app(text)

    value(obj, indent)
    return "".join(out)


def json_report(report, lang: str, documents: Iterable[str | bytes]) -> Iterator[str | bytes]:
    """The JSON report in pieces, identical to the JSON renderer's output for the same
    documents: ``report`` gives everything but the documents, which come already
    encoded (by :class:`JsonDocument`, str or UTF-8 bytes), in order. The part after the documents is made
    once they are all through, so that errors found on the way are in it."""
    docs = iter(documents)
    first = next(docs, None)
    if first is None:
        yield render(report, lang)
        return
    yield _skeleton(report, lang, render)[0]
    yield first
    for d in docs:
        yield ",\n    "
        yield d
    yield _skeleton(report, lang, render)[1]


class _Placeholder:
    """Stands for a document in the skeleton of the report."""

    @staticmethod
    def to_json(lang: str) -> str:
        return _MARK


def _skeleton(report, lang: str, render) -> tuple[str, str]:
    """What the renderer writes before the first document and after the last."""
    saved = report.documents
    report.documents = [_Placeholder()]
    try:
        text = render(report, lang)
    finally:
        report.documents = saved
    parts = text.split(json.dumps(_MARK, ensure_ascii=False))
    if len(parts) != 2:  # pragma: no cover - the renderer changed shape; tests catch it
        raise RuntimeError("the JSON report cannot be written document by document")
    return parts[0], parts[1]
