"""A reviewer's calls on a checked report, and what they change.

An overrule is a waiver of the CLI (fzcheck.engine.waivers): the rule — or one item of it
(``item:``, e.g. 风险评估 of the major-decisions rule) — is set aside with the reviewer's
reason, the rule's credit, the score, grade and gate are computed again by the engine's own
functions. "agree" is recorded and changes nothing. The checker's original result is kept.
A call is stored under its key: the rule's id, or ``rule/item`` for an item.
"""
from __future__ import annotations

import datetime as dt
import fnmatch
import itertools
import json
from typing import Any

import yaml

from fzcheck.app.serve.work import decode
from fzcheck.model import HIT_DONE, HIT_EXCLUDED, HIT_FOUND, HIT_NEGATED, HIT_PLAN, HIT_PROBLEM
from fzcheck.render.common import ORDER

# The one status order (render.common): what needs work first. A highlighted sentence with
# several mentions takes the most serious one's look: a problem before a plan before done.
STATUS_ORDER = ORDER
HIT_ORDER = {HIT_NEGATED: 0, HIT_PROBLEM: 1, HIT_FOUND: 2, HIT_EXCLUDED: 3, HIT_PLAN: 4, HIT_DONE: 5}


def review_key(rule: str, item: str | None = None) -> str:
    return f"{rule}/{item}" if item else rule


def split_key(key: str) -> tuple[str, str | None]:
    rule, _, item = key.partition("/")
    return rule, item or None


def _target(key: str) -> dict[str, str]:
    rule, item = split_key(key)
    return {"rule": rule, "item": item} if item else {"rule": rule}


def as_waivers(reviews: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Overrules as entries of a loaded waivers file (fzcheck.engine.waivers.load_waivers)."""
    return [{**_target(key), "reason": r["reason"], "expires": None, "files": [], "source": "review"}
            for key, r in reviews.items() if r["decision"] == "overrule"]


def reviewed(data: dict[str, Any], reviews: dict[str, dict[str, Any]], ruleset, lang: str):
    """The DocumentResult with the overrules applied as waivers, scored and gated again."""
    from fzcheck.engine.check import gate, score
    from fzcheck.engine.waivers import apply_waivers

    d = decode(data, lang)
    waivers = as_waivers(reviews)
    if waivers:
        apply_waivers(d.results, waivers, d.path, lang)
        d.score = score(d.results)
        d.passed = gate(d.results, d.score, d.threshold)
        band = ruleset.grade(d.score)
        d.grade = band.get(lang) or band["zh"]
    return d


def glob_escape(name: str) -> str:
    """A file name as a glob that matches only itself."""
    return "".join(f"[{c}]" if c in "*?[]" else c for c in name)


def waivers_yaml(entries: list[tuple[str, dict[str, dict[str, Any]]]], batch: str) -> str:
    """The batch's overrules in the CLI's waivers format (``fzcheck check --waivers FILE``):
    one entry per overruled rule and report, limited to that report by ``files``."""
    out = []
    for name, reviews in entries:
        for key, r in reviews.items():
            if r["decision"] == "overrule":
                out.append({**_target(key), "reason": r["reason"], "files": [glob_escape(name)]})
    head = (f"# fzcheck waivers: overrules of review batch {batch[:6]}…, "
            f"{dt.datetime.now().strftime('%Y-%m-%d %H:%M')}\n"
            "# use: fzcheck check --waivers waivers.yaml REPORTS…\n")
    return head + (yaml.safe_dump(out, allow_unicode=True, sort_keys=False) if out else "[]\n")


def matches_own_file(name: str) -> bool:
    return fnmatch.fnmatch(name, glob_escape(name))


def review_json(original: dict[str, Any], d, reviews: dict[str, dict[str, Any]], lang: str) -> dict[str, Any]:
    """One document of the reviewed JSON: the reviewed result, plus the checker's call kept."""
    out = d.to_json(lang)
    out["review"] = {
        "original": {"score": original["score"], "grade": original["grade"], "passed": original["passed"],
                     "status": {r["id"]: r["status"] for r in original["results"]},
                     "credit": {r["id"]: r["credit"] for r in original["results"]},
                     "items": {r["id"]: {i["id"]: i["status"] for i in r["items"]}
                               for r in original["results"] if r.get("items")}},
        "decisions": [{**_target(key), "decision": r["decision"], "reason": r["reason"],
                       "at": dt.datetime.fromtimestamp(r["at"], dt.timezone.utc).isoformat(timespec="seconds")}
                      for key, r in reviews.items()],
    }
    return out


def dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2) + "\n"


# -- the report view ----------------------------------------------------------------------------

def _why(r: dict[str, Any]) -> str:
    """The lead's "why not credited" reason when the result has one."""
    for key in ("why", "why_not", "not_credited", "uncredited", "reason"):
        v = r.get(key)
        if isinstance(v, str) and v:
            return v
        if isinstance(v, dict):
            text = v.get("message") or v.get("text")
            if text:
                return str(text)
    return ""


def segments(text: str, marks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The paragraph cut where quotes begin and end; each piece knows its quotes."""
    cuts = {0, len(text)}
    for m in marks:
        for k in ("s0", "s1", "m0", "m1"):
            cuts.add(max(0, min(len(text), m[k])))
    cuts_sorted = sorted(cuts)
    out = []
    first_seen: set[str] = set()
    for a, b in itertools.pairwise(cuts_sorted):
        inside = [m for m in marks if m["s0"] <= a and b <= m["s1"]]
        if not inside:
            out.append({"text": text[a:b], "cls": "", "ids": [], "rules": ""})
            continue
        status = min((m["status"] for m in inside), key=lambda s: HIT_ORDER.get(s, 9))
        is_match = any(m["m0"] <= a and b <= m["m1"] for m in inside)
        ids = []
        for m in inside:
            if m["rule"] not in first_seen:
                first_seen.add(m["rule"])
                ids.append("ev-" + m["rule"])
        out.append({"text": text[a:b], "cls": f"ev ev-{status}" + (" hit" if is_match else ""), "ids": ids,
                    "rules": " ".join(sorted({m["rule"] for m in inside}))})
    return out


def _aligned(stored: list[dict[str, Any]], items: list[Any]) -> list[Any]:
    by_id = {i.id: i for i in items}
    return [by_id.get(i["id"]) for i in stored]


def _reviewed_head(reviewed: str, original: str) -> str:
    """What the reviewer's calls say of a rule (the waiver's words the engine puts before its
    message: "分项“…”已豁免（理由）"), "" when they changed nothing. The checker's own
    message, which follows, stays on the page as the checker's call."""
    if reviewed == original:
        return ""
    if original and reviewed.endswith(original):
        return reviewed[: -len(original)].rstrip("；; ")
    return reviewed


def page_model(data: dict[str, Any], d, reviews: dict[str, dict[str, Any]], lang: str, t) -> dict[str, Any]:
    """Paragraphs with their pieces and margin notes; the rules for the summary."""
    result, view = data["result"], data["view"]
    original = {r["id"]: r for r in result["results"]}
    rules = []
    for r in sorted(d.results, key=lambda r: (STATUS_ORDER.get(original[r.id]["status"], 9), r.id)):
        o = original[r.id]
        rules.append({"id": r.id, "title": r.title.get(lang) or r.title.get("zh") or r.id,
                      "status": o["status"], "reviewed": r.status, "severity": r.severity,
                      "credit": o["credit"], "reviewed_credit": r.credit, "weight": r.weight,
                      "message": o["message"], "fix": o["fix"], "why": _why(o), "review": reviews.get(r.id),
                      "reviewed_message": _reviewed_head(r.message, o["message"]),
                      "items": [{"id": i["id"], "title": i.get("title") or i["id"], "status": i["status"],
                                 "reviewed": ri.status if ri is not None else i["status"],
                                 "review": reviews.get(review_key(r.id, i["id"]))}
                                for i, ri in zip(o["items"], _aligned(o["items"], r.items))]})
    by_id = {r["id"]: r for r in rules}
    marks_by_para: dict[int, list[dict[str, Any]]] = {}
    for m in view["marks"]:
        marks_by_para.setdefault(m["p"], []).append(m)
    notes_by_para: dict[int, list[dict[str, Any]]] = {}
    for p, marks in marks_by_para.items():
        grouped: dict[tuple[str, str], dict[str, Any]] = {}  # (rule, words) -> one note naming its items
        for m in sorted(marks, key=lambda m: (m["s0"], m["rule"])):
            r = by_id.get(m["rule"])
            if r is None:
                continue
            item = next((i for i in original[m["rule"]]["items"] if i["id"] == m["item"]), None) if m["item"] else None
            if m["status"] == "done":
                words = t("hit.done")
            elif m.get("reason") and t("why." + m["reason"]) != "why." + m["reason"]:
                words = t("note.not_counted", what=t("why." + m["reason"]))
            else:
                words = t("note.not_counted", what=t("hit." + m["status"]))
            why = (_why(item) if item else r["why"]) if m["status"] != "done" else ""
            if why and why in words:
                why = ""
            note = grouped.get((m["rule"], words))
            if note is None:
                note = grouped[(m["rule"], words)] = {
                    "rule": r, "items": [], "hit": m["status"], "words": words, "why": why,
                    "cls": "note-done" if m["status"] == "done" else f"note-{m['status']}"}
                notes_by_para.setdefault(p, []).append(note)
            if item:
                title = item.get("title") or item["id"]
                if title not in note["items"]:
                    note["items"].append(title)
            elif why and not note["why"]:
                note["why"] = why
        for note in notes_by_para.get(p, []):
            note["item"] = "、".join(note["items"]) if lang == "zh" else ", ".join(note["items"])
    for r in rules:  # nothing found: at the heading of the part where it belongs
        o = original[r["id"]]
        if r["status"] in ("fail", "partial") and not o["evidence"] and not any(i["evidence"] for i in o["items"]):
            p = view["anchors"].get(r["id"], 0)
            notes_by_para.setdefault(p, []).insert(0, {
                "rule": r, "item": "", "hit": "missing", "words": t("note.missing"), "why": r["why"] or r["message"],
                "cls": "note-missing", "anchor": True})
    paras = []
    for i, p in enumerate(view["paragraphs"]):
        paras.append({"i": i, "h": p["h"], "loc": p["loc"], "role": p["role"],
                      "segments": segments(p["text"], marks_by_para.get(i, [])), "notes": notes_by_para.get(i, [])})
    return {"paragraphs": paras, "rules": rules}
