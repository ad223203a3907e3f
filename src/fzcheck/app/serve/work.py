"""What a worker of ``fzcheck serve`` does with one uploaded file, and how its result is kept.

The check is the CLI's: :func:`fzcheck.readers.read_document`, :func:`fzcheck.engine.check.analyze`
and :func:`fzcheck.engine.check.check_document`. The worker keeps, beside the JSON of the result
(the contract of ``--format json``, plus each rule's description and each quote's place in the
text), the text as fzcheck read it and where each quote stands in it, for the report view.
A stored result is turned back into the engine's objects by :func:`decode`, so that the
renderers and the waivers work on it as on a fresh one.
"""
from __future__ import annotations

import os
import traceback
from typing import Any

_RULESETS: dict[Any, Any] = {}


def init_worker(rules: str | None, nice: int = 0) -> None:
    """Load the rule set once per worker; check at a lower priority than the page's server."""
    if nice:
        try:
            os.nice(nice)
        except (AttributeError, OSError):
            pass
    ruleset_for(rules)


def ruleset_for(rules: str | None):
    if rules not in _RULESETS:
        from fzcheck.rules.load import load_ruleset

        _RULESETS[rules] = load_ruleset(rules)
    return _RULESETS[rules]


def check_file(path: str, name: str, rules: str | None, lang: str, max_bytes: int,
               profile: str | None = None, timeout: float | None = None) -> dict[str, Any]:
    """{"result": …, "view": …} or {"error": one line for the reviewer}.

    Under the CLI's budget of one document (``timeout`` seconds, ``fzcheck check``'s default
    when None, 0 for none; its default --max-memory): a file that would hold the worker longer,
    or take more memory, gets its row's error instead, and the worker goes on with the next file."""
    from fzcheck.app.batch import DocumentTimeout, Limits, _Guard
    from fzcheck.engine.check import Options, analyze, check_document
    from fzcheck.errors import FzError
    from fzcheck.i18n import t
    from fzcheck.readers import read_document
    from fzcheck.rules.patterns import reset_budget

    limits = Limits() if timeout is None else Limits(timeout=timeout or None)
    try:
        ruleset = ruleset_for(rules)
        reset_budget()
        with _Guard(limits, cpu=True):
            raw = read_document(path, max_bytes)
            raw.path = name  # results and waivers name the file as the reviewer knows it
            doc = analyze(raw, ruleset)
            result = check_document(doc, ruleset, Options(lang=lang, max_bytes=max_bytes, profile=profile))
        return {"result": encode(result, lang), "view": view_of(doc, result, ruleset)}
    except DocumentTimeout:
        return {"error": t("serve.timeout", lang, seconds=limits.timeout)}
    except MemoryError:
        return {"error": t("serve.memory", lang, mb=(limits.max_memory or 0) >> 20)}
    except FzError as exc:
        return {"error": exc.message}
    except Exception as exc:  # noqa: BLE001 - a bug must not lose the batch; the row says so
        return {"error": f"internal error: {exc.__class__.__name__}: {exc}", "trace": traceback.format_exc()}


def annotated_docx(path: str, rules: str | None, lang: str, max_bytes: int, profile: str | None,
                   waivers: list[dict[str, Any]]) -> bytes | str:
    """The Word copy with comments (fzcheck.render.annotate), or why not."""
    from fzcheck.engine.check import Options
    from fzcheck.errors import FzError
    from fzcheck.render.annotate import annotate_to_bytes

    try:
        return annotate_to_bytes(path, ruleset_for(rules), Options(lang=lang, max_bytes=max_bytes, profile=profile,
                                                                   waivers=waivers))
    except FzError as exc:
        return exc.message


# -- results as JSON and back ---------------------------------------------------------------------

def encode(result, lang: str) -> dict[str, Any]:
    out = result.to_json(lang)

    def places(obj, js) -> None:
        for ev, ej in zip(obj.evidence, js["evidence"]):
            ej["pos"] = list(ev.pos)
        why = getattr(obj, "why_not", None)
        if why is not None and getattr(why, "evidence", None) is not None and "evidence" in (js.get("why_not") or {}):
            js["why_not"]["evidence"]["pos"] = list(why.evidence.pos)

    for r, rj in zip(result.results, out["results"]):
        rj["description"] = r.description
        places(r, rj)
        for it, ij in zip(r.items, rj["items"]):
            ij["weight"] = it.weight
            ij["credit"] = it.credit  # what a waiver of the item takes out of the rule
            places(it, ij)
    return out


def _build(cls, data: dict[str, Any], **given):
    """A result object (fzcheck.model.Record) from a JSON dict: the keys named like fields, and ``given``."""
    names = set(cls._fields)
    kwargs = {k: v for k, v in data.items() if k in names}
    kwargs.update(given)
    return cls(**kwargs)


def _title(data: dict[str, Any], lang: str) -> dict[str, str]:
    title = {k: data[f"title_{k}"] for k in ("zh", "en") if data.get(f"title_{k}")}
    if not title and data.get("title"):
        title = {lang: data["title"]}
    return title


def _evidence(items: list[dict[str, Any]]):
    from fzcheck.model import Evidence

    return [_build(Evidence, e, pos=tuple(e.get("pos") or (0, 0)), location=e.get("location") or {})
            for e in items]


def _why_not(data: dict[str, Any], lang: str) -> dict[str, Any]:
    """The "why not credited" of a stored result, as the model has it (when it has one)."""
    why = data.get("why_not")
    if not why:
        return {}
    try:
        from fzcheck.model import WhyNot
    except ImportError:  # an engine without it
        return {}
    ev = _evidence([why["evidence"]])[0] if why.get("evidence") else None
    return {"why_not": WhyNot(why.get("reason") or "", ev, {lang: why.get("message") or ""})}


def decode(data: dict[str, Any], lang: str):
    """The DocumentResult a stored result was made from (what the renderers need)."""
    from fzcheck.model import DocumentResult, ItemResult, RuleResult

    results = []
    for r in data["results"]:
        items = [_build(ItemResult, i, title=_title(i, lang) or {lang: i.get("title") or i["id"]},
                        evidence=_evidence(i.get("evidence") or []), **_why_not(i, lang))
                 for i in r.get("items") or []]
        results.append(_build(RuleResult, r, title=_title(r, lang), items=items,
                              evidence=_evidence(r.get("evidence") or []), description=r.get("description") or "",
                              **_why_not(r, lang)))
    return _build(DocumentResult, data, results=results)


# -- the text as read, and where the quotes stand in it ----------------------------------------

def _sentence_at(doc, para: int, offset: int):
    best = None
    for s in doc.sentences:
        if s.para == para and s.start <= offset < s.start + max(1, len(s.text)):
            best = s
    return best


def _place(location: dict[str, Any]) -> str:
    if "page" in location:
        return f"p{location['page']}:{location.get('line', '')}"
    if "paragraph" in location:
        return f"¶{location['paragraph']}"
    if "line" in location:
        return f"L{location['line']}"
    return ""


def _anchor(doc, rule, ruleset, headings: dict[str, int]) -> int:
    """The paragraph where a rule with nothing found belongs: the heading of its part."""
    roles: list[str] = []
    if rule is not None:
        if rule.kind == "section":
            roles = [rule.params.get("role", "")]
        else:
            for m in list(rule.evidence) + [m for it in rule.items for m in it.evidence]:
                roles += [r for r in (m.counts_in or ()) if r not in roles]
            if not roles and rule.group != "structure":
                roles = [r for r in ruleset.context.done_roles if r != "preamble"]
    for role in roles:
        if role in headings:
            return headings[role]
    return 0


def view_of(doc, result, ruleset) -> dict[str, Any]:
    role_of: dict[int, str] = {}
    heading: set[int] = set()
    headings: dict[str, int] = {}
    for s in doc.sentences:
        role_of.setdefault(s.para, s.role)
        if s.is_heading:
            heading.add(s.para)
            if s.section.depth == 1:
                headings.setdefault(s.role, s.para)
    paragraphs = [{"text": p.text, "h": i in heading, "role": role_of.get(i, ""),
                   "loc": _place(p.locations[0][1]) if p.locations else ""} for i, p in enumerate(doc.paragraphs)]
    marks = []
    for r in result.results:
        groups = [(None, r)] + [(it.id, it) for it in r.items]
        for item, obj in groups:
            evs = list(obj.evidence)
            why = getattr(obj, "why_not", None)
            if why is not None and getattr(why, "evidence", None) is not None and why.evidence not in evs:
                evs.append(why.evidence)  # the closest mention that did not count
            for ev in evs:
                p, off = ev.pos
                if not 0 <= p < len(doc.paragraphs):
                    continue
                s = _sentence_at(doc, p, off)
                s0, s1 = (s.start, s.start + len(s.text)) if s else (off, off + len(ev.match))
                marks.append({"p": p, "s0": s0, "s1": s1, "m0": off, "m1": off + len(ev.match),
                              "rule": r.id, "item": item, "status": ev.status,
                              "reason": getattr(ev, "reason", "") or ""})
    anchors = {r.id: _anchor(doc, ruleset.find_rule(r.id), ruleset, headings) for r in result.results}
    return {"paragraphs": paragraphs, "marks": marks, "anchors": anchors}
