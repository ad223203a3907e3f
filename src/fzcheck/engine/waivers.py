"""Waivers: a reviewer accepts an exception to a rule, with a reason and an expiry.

An entry with ``item:`` sets aside one item of a rule (风险评估 of the major-decisions rule)
instead of the whole rule: the item is waived, and the rule's credit is computed again over
the items that remain, each with the weight and credit the check gave it (a rule whose every
item is waived is waived). Score, grade and gate then follow from the rules as always."""
from __future__ import annotations

import datetime as dt
import fnmatch
import os
from typing import Any

from fzcheck.errors import FzError
from fzcheck.i18n import msg, t
from fzcheck.model import ITEM_PASS, PASS, WAIVED, RuleResult
from fzcheck.rules.source import read_yaml


def load_waivers(path: str) -> list[dict[str, Any]]:
    """Read a waivers file: a list (or {waivers: [...]}) of {rule, item?, reason, expires?, files?}.
    Every value is type-checked; a wrong one is one line naming the file and the entry."""
    data = read_yaml(path)
    if isinstance(data, dict):
        data = data.get("waivers")
    if not isinstance(data, list):
        raise FzError(msg("waiver.not_list"), path)
    out = []
    for n, entry in enumerate(data, start=1):
        if not isinstance(entry, dict) or not _text(entry.get("rule")) or not _text(entry.get("reason")):
            raise FzError(msg("waiver.needs", n=n), path)
        expires = entry.get("expires")
        if isinstance(expires, dt.datetime):  # 2020-01-01 10:00:00: the day is what counts
            expires = expires.date()
        elif expires is not None and not isinstance(expires, dt.date):
            try:
                expires = dt.date.fromisoformat(str(expires))
            except ValueError:
                raise FzError(msg("waiver.expires", n=n, value=str(expires)[:40]), path) from None
        files = entry.get("files")
        if files is None:
            globs: list[str] = []
        elif isinstance(files, str):
            globs = [files]
        elif isinstance(files, list) and all(isinstance(g, str) for g in files):
            globs = list(files)
        else:
            raise FzError(msg("waiver.files", n=n), path)
        item = entry.get("item")
        if item is not None and not _text(item):
            raise FzError(msg("waiver.item", n=n), path)
        w = {"rule": entry["rule"], "reason": entry["reason"], "expires": expires, "files": globs, "source": path}
        if item is not None:
            w["item"] = item.strip()
        out.append(w)
    return out


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def active(waiver: dict[str, Any], today: dt.date | None = None) -> bool:
    expires = waiver.get("expires")
    return expires is None or expires >= (today or dt.date.today())


def applies_to(waiver: dict[str, Any], path: str) -> bool:
    globs = waiver.get("files") or []
    if not globs:
        return True
    name = os.path.basename(path)
    return any(fnmatch.fnmatch(path, g) or fnmatch.fnmatch(name, g) for g in globs)


def apply_waivers(results: list[RuleResult], waivers: list[dict[str, Any]], path: str, lang: str,
                  today: dt.date | None = None) -> None:
    """Waive what the waivers name: whole rules first, then items of the rules left."""
    live = [w for w in waivers if active(w, today) and applies_to(w, path)]
    for w in live:
        if w.get("item"):
            continue
        for r in results:
            if r.id == w["rule"]:
                r.status = WAIVED
                r.waiver = {"reason": w["reason"], "expires": w["expires"].isoformat() if w["expires"] else None}
                r.message = _waived(t("msg.waived", lang, reason=w["reason"]), r.message, lang)
    for w in live:
        if not w.get("item"):
            continue
        for r in results:
            if r.id == w["rule"] and r.status != WAIVED:
                _waive_item(r, w, lang)


def _waived(head: str, message: str, lang: str) -> str:
    return head + ("；" if lang == "zh" else "; ") + message


def find_item(r: RuleResult, name: str):
    """The item of a result named by its id or by its title (in any language)."""
    for it in r.items:
        if it.id == name or name in (it.title or {}).values():
            return it
    return None


def item_credit(it) -> float:
    """The credit the check gave an item (a stored result without it: done is full credit)."""
    if getattr(it, "credit", None) is not None:
        return float(it.credit)
    return 1.0 if it.status == ITEM_PASS else 0.0


def _waive_item(r: RuleResult, w: dict[str, Any], lang: str) -> None:
    from fzcheck.engine.kinds import status_from_credit

    it = find_item(r, w["item"])
    if it is None or it.status == WAIVED:
        return
    it.credit = item_credit(it)
    it.status = WAIVED
    it.waiver = {"reason": w["reason"], "expires": w["expires"].isoformat() if w.get("expires") else None}
    left = [i for i in r.items if i.status != WAIVED]
    total = sum(i.weight for i in left)
    title = (it.title or {}).get(lang) or (it.title or {}).get("zh") or it.id
    head = t("msg.item_waived", lang, item=title, reason=w["reason"])
    if not left or not total:
        r.status = WAIVED
        r.waiver = {"reason": w["reason"], "expires": it.waiver["expires"]}
    else:
        r.credit = sum(i.weight * item_credit(i) for i in left) / total
        r.status = status_from_credit(r.credit)
        if r.status == PASS:
            r.fix = ""
    r.message = _waived(head, r.message, lang)


def expired(waivers: list[dict[str, Any]], today: dt.date | None = None) -> list[dict[str, Any]]:
    return [w for w in waivers if not active(w, today)]


def unknown_rules(waivers: list[dict[str, Any]], ruleset: Any) -> list[dict[str, Any]]:
    """Waivers naming a rule the rule set does not have (nor any of its profiles adds)."""
    known = {r.id for r in ruleset.rules}
    items: dict[str, set[str]] = {r.id: {i.id for i in r.items} | {v for i in r.items for v in (i.title or {}).values()}
                                  for r in ruleset.rules}
    for ov in (getattr(ruleset, "profiles", None) or {}).values():
        for r in ov.get("add") or []:
            known.add(r["id"])
            for i in r.get("items") or []:
                if isinstance(i, dict):
                    title = i.get("title")
                    items.setdefault(r["id"], set()).update(
                        [i.get("id")] + (list(title.values()) if isinstance(title, dict) else [title]))
    out = []
    for w in waivers:
        if w["rule"] not in known:
            out.append(w)
        elif w.get("item") and w["item"] not in items.get(w["rule"], set()):
            out.append({**w, "rule": f"{w['rule']} / item: {w['item']}"})
    return out
