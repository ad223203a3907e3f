"""Helpers shared by the printed and CI renderers (html, markdown, sarif, junit, summary)."""
from __future__ import annotations

import os
from dataclasses import dataclass

from fzcheck.i18n import pick, t
from fzcheck.model import FAIL, NOT_APPLICABLE, PARTIAL, PASS, WAIVED, DocumentResult, Evidence, RuleResult, WhyNot

# Missing and partial first, then waived, passed, not applicable.
ORDER = {FAIL: 0, PARTIAL: 1, WAIVED: 2, PASS: 3, NOT_APPLICABLE: 4}
SEVERITY_ORDER = {"required": 0, "recommended": 1, "info": 2}
GROUP_ORDER = {"structure": 0, "element": 1, "quality": 2}
MAX_EVIDENCE = 4  # quotes shown per rule that needs work; one for a rule that passes


def sorted_rules(results: list[RuleResult]) -> list[RuleResult]:
    return sorted(results, key=lambda r: (ORDER.get(r.status, 9), SEVERITY_ORDER.get(r.severity, 9), -r.weight))


def title_of(r: RuleResult, lang: str) -> str:
    return pick(r.title, lang) or r.id


def basis_text(r: RuleResult) -> str:
    return "；".join(b.get("doc", "") + (b.get("article") or "") for b in r.basis)


def points(r: RuleResult) -> str:
    if r.status in (NOT_APPLICABLE, WAIVED):
        return "–"
    return f"{round(r.weight * r.credit, 1):g}/{r.weight:g}"


def place_text(location: dict, line: int | None, lang: str) -> str:
    """Where evidence stands in the original: page and line of a PDF, paragraph (and table
    cell) of a .docx, line of a text file."""
    loc = location or {}
    if loc.get("page"):
        if loc.get("line"):
            return t("report.page_line", lang, page=loc["page"], line=loc["line"])
        return t("report.page", lang, page=loc["page"])
    if loc.get("paragraph"):
        text = t("report.paragraph", lang, paragraph=loc["paragraph"])
        if loc.get("cell") and loc.get("row") and loc.get("table"):
            text += " " + t("report.cell", lang, table=loc["table"], row=loc["row"], cell=loc["cell"])
        return text
    if line:
        return t("report.line", lang, line=line)
    return ""


def profile_text(profile: dict | None, lang: str) -> str:
    """Which profile (kind of reporting unit) was applied, and why; "" without --profile."""
    if not profile:
        return ""
    if lang == "zh":
        return f"{profile['title']}；{profile['reason']}"
    return f"{profile['title']} ({profile['reason']})"


def location_text(ev: Evidence, lang: str) -> str:
    parts = [p for p in (place_text(ev.location, ev.line, lang), ev.section) if p]
    return " · ".join(parts)


def hit_text(ev: Evidence, lang: str) -> str:
    status = (t("hit." + ev.status, lang)
              if ev.status in ("done", "plan", "problem", "negated", "found", "not_counted") else ev.status)
    return f"{status} · {t('role.' + ev.role, lang)}"


def why_text(why: WhyNot | None, lang: str, with_place: bool = True) -> str:
    """Why an element or item was not credited, in words: the reason, and where the closest
    mention stands ("" when there is no reason to give)."""
    if why is None:
        return ""
    words = pick(why.text, lang)
    if why.evidence is None or not with_place:
        return words
    loc = location_text(why.evidence, lang)
    return f"{words}（{loc}）" if lang == "zh" and loc else (f"{words} ({loc})" if loc else words)


def shown_evidence(r: RuleResult) -> tuple[list[Evidence], int]:
    """The quotes to print for a rule, and how many more there are."""
    limit = 1 if r.status == PASS else MAX_EVIDENCE
    return r.evidence[:limit], max(0, len(r.evidence) - limit)


def doc_title(d: DocumentResult) -> str:
    return d.meta.get("title") or os.path.basename(d.path)


def gate_text(d: DocumentResult, lang: str) -> str:
    return t("report.gate_pass", lang) if d.passed else t("report.gate_fail", lang)


def required_failed(d: DocumentResult, lang: str) -> str:
    """The titles of the required rules that fail (why a report with a good score fails the gate)."""
    sep = ", " if lang == "en" else "、"
    return sep.join(title_of(r, lang) for r in sorted_rules(d.results) if r.severity == "required" and r.status == FAIL)


def group_name(group: str, lang: str) -> str:
    key = "group." + group
    text = t(key, lang)
    return group if text == key else text


@dataclass
class Area:
    group: str
    rules: list[RuleResult]

    @property
    def counted(self) -> list[RuleResult]:
        return [r for r in self.rules if r.status not in (NOT_APPLICABLE, WAIVED)]

    @property
    def coverage(self) -> float | None:
        """Weighted credit of the area in percent; None when nothing in it applies."""
        total = sum(r.weight for r in self.counted)
        if not total:
            return None
        return 100.0 * sum(r.weight * r.credit for r in self.counted) / total


def areas(d: DocumentResult) -> list[Area]:
    groups: dict[str, list[RuleResult]] = {}
    for r in d.results:
        groups.setdefault(r.group or "element", []).append(r)
    return [Area(g, rs) for g, rs in sorted(groups.items(), key=lambda kv: (GROUP_ORDER.get(kv[0], 9), kv[0]))]


def relative_uri(path: str, base: str | None = None) -> str:
    """A path as a relative URI (forward slashes) when it lies under base (the working folder)."""
    base = os.path.abspath(base or os.getcwd())
    full = os.path.abspath(path)
    try:
        rel = os.path.relpath(full, base)
    except ValueError:  # another drive on Windows
        rel = full
    if rel.startswith(".."):
        rel = full
    return rel.replace(os.sep, "/")


def first_line(r: RuleResult, d: DocumentResult) -> int | None:
    """Where a finding points: its first quoted evidence, else the start of the relevant section."""
    # What needs work (a plan, a problem, a lacking clause) before what is done.
    for ev in sorted(r.evidence, key=lambda ev: ev.status == "done"):
        if ev.line:
            return ev.line
    role = r.found_in[0] if r.found_in else _ROLE_OF_RULE.get(r.id, _ROLE_OF_GROUP.get(r.group))
    for s in d.sections:
        if s.get("line") and (role is None or s.get("role") == role):
            return s["line"]
    return None


_ROLE_OF_GROUP = {"element": "achievements"}
_ROLE_OF_RULE = {"structure.causes": "shortcomings", "first-responsible-duty": "first_responsible"}
