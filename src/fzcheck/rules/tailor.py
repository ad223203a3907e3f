"""Tailoring a rule set as operations on its raw data: ``extends`` (merge), ``disable``,
``overrides`` and the overrides of a profile.

A profile changes only what it names: a rule keeps the severity and weight its rule set gave
it unless the profile sets them explicitly; and an extending rule set's explicit
``overrides`` (a province's) beat the profiles it inherits (:func:`keep_explicit`)."""
from __future__ import annotations

import copy
from typing import Any


def apply_overrides(data: dict[str, Any], ov: dict[str, Any]) -> dict[str, Any]:
    """Apply an overrides block (title, threshold, disable, rules{id: {...}}, add) in place."""
    if not ov:
        return data
    if "title" in ov:
        data["title"] = ov["title"]
    if "threshold" in ov:
        data["threshold"] = ov["threshold"]
    rules = data.setdefault("rules", [])
    gone = set(ov.get("disable") or [])
    for rid, change in (ov.get("rules") or {}).items():
        if change.get("enabled") is False:
            gone.add(rid)
            continue
        for r in rules:
            if r["id"] == rid:
                for key in ("weight", "severity", "min"):
                    if key in change:
                        r[key] = change[key]
    data["rules"] = [r for r in rules if r["id"] not in gone] + [copy.deepcopy(r) for r in ov.get("add") or []]
    return data


def apply_own_overrides(data: dict[str, Any]) -> dict[str, Any]:
    """A rule set's top-level ``disable`` and ``overrides`` applied to itself."""
    if data.get("disable"):
        apply_overrides(data, {"disable": data["disable"]})
    if data.get("overrides"):
        apply_overrides(data, data["overrides"])
    return data


def merge(base: dict[str, Any] | None, child: dict[str, Any]) -> dict[str, Any]:
    """``child`` extending ``base``: child keys win, rules with a known id replace the base's,
    new rules are added, profiles and detection patterns are merged; then the child's own
    ``disable`` and ``overrides`` apply. ``weights_total`` is not inherited."""
    if base is None:
        return apply_own_overrides(copy.deepcopy(child))
    out = copy.deepcopy(base)
    out.pop("weights_total", None)
    child = copy.deepcopy(child)
    for key in ("id", "version", "title", "threshold", "grades", "weights_total", "doctypes"):
        if key in child:
            out[key] = child[key]
    for key in ("roles", "context"):
        if key in child:
            merged = dict(out.get(key) or {})
            for sub, value in child[key].items():
                if isinstance(value, dict) and isinstance(merged.get(sub), dict):
                    merged[sub] = {**merged[sub], **value}
                else:
                    merged[sub] = value
            out[key] = merged
    rules = out.setdefault("rules", [])
    index = {r["id"]: n for n, r in enumerate(rules)}
    for r in child.get("rules", []):
        if r["id"] in index:
            rules[index[r["id"]]] = r
        else:
            index[r["id"]] = len(rules)
            rules.append(r)
    if child.get("profiles"):
        out["profiles"] = {**(out.get("profiles") or {}), **child["profiles"]}
    if child.get("profile_detection"):
        det = dict(out.get("profile_detection") or {})
        cdet = child["profile_detection"]
        if "ignore" in cdet:
            det["ignore"] = cdet["ignore"]
        # the extending file's profiles come first: they win ties with the base's
        base_patterns = det.get("patterns") or {}
        child_patterns = cdet.get("patterns") or {}
        det["patterns"] = {**child_patterns, **{k: v for k, v in base_patterns.items() if k not in child_patterns}}
        out["profile_detection"] = det
    for key in ("extends", "disable", "overrides"):
        out.pop(key, None)
    if child.get("disable"):
        apply_overrides(out, {"disable": child["disable"]})
    if child.get("overrides"):
        apply_overrides(out, child["overrides"])
        keep_explicit(out, child["overrides"], set((child.get("profiles") or {}).keys()))
    return out


TAILORED = ("weight", "severity", "min")


def keep_explicit(data: dict[str, Any], ov: dict[str, Any], own: set[str]) -> None:
    """A province's explicit override beats the profiles it inherits: a key the extending
    file's ``overrides`` sets for a rule (severity, weight, min) is taken out of the changes
    every inherited profile makes to that rule, so ``--profile`` keeps the province's value;
    the rest of a profile's change to the rule still applies. Profiles the extending file
    defines itself (``own``) are its own word and stay as written."""
    explicit = {rid: {k for k in TAILORED if k in (change or {})} for rid, change in (ov.get("rules") or {}).items()}
    explicit = {rid: keys for rid, keys in explicit.items() if keys}
    if not explicit:
        return
    for name, profile in (data.get("profiles") or {}).items():
        if name in own or not isinstance(profile, dict):
            continue
        changes = profile.get("rules") or {}
        for rid, keys in explicit.items():
            change = changes.get(rid)
            if isinstance(change, dict):
                changes[rid] = {k: v for k, v in change.items() if k not in keys}
