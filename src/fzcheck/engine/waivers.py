"""Waivers: a reviewer accepts an exception to a rule, with a reason and an expiry."""
from __future__ import annotations

import datetime as dt
import fnmatch
import os
from typing import Any

from fzcheck.errors import FzError
from fzcheck.i18n import msg, t
from fzcheck.model import WAIVED, RuleResult
from fzcheck.rules.source import read_yaml


def load_waivers(path: str) -> list[dict[str, Any]]:
    """Read a waivers file: a list (or {waivers: [...]}) of {rule, reason, expires?, files?}.
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
        out.append({"rule": entry["rule"], "reason": entry["reason"], "expires": expires,
                    "files": globs, "source": path})
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
    for w in waivers:
        if not active(w, today) or not applies_to(w, path):
            continue
        for r in results:
            if r.id == w["rule"]:
                r.status = WAIVED
                r.waiver = {"reason": w["reason"], "expires": w["expires"].isoformat() if w["expires"] else None}
                r.message = t("msg.waived", lang, reason=w["reason"]) + "；" + r.message if lang == "zh" \
                    else t("msg.waived", lang, reason=w["reason"]) + "; " + r.message


def expired(waivers: list[dict[str, Any]], today: dt.date | None = None) -> list[dict[str, Any]]:
    return [w for w in waivers if not active(w, today)]


def unknown_rules(waivers: list[dict[str, Any]], ruleset: Any) -> list[dict[str, Any]]:
    """Waivers naming a rule the rule set does not have (nor any of its profiles adds)."""
    known = {r.id for r in ruleset.rules}
    for ov in (getattr(ruleset, "profiles", None) or {}).values():
        known |= {r["id"] for r in ov.get("add") or []}
    return [w for w in waivers if w["rule"] not in known]
