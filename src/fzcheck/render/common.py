"""Helpers shared by every renderer (text, html, svg, markdown, sarif, junit, summary, diff,
annotate): the one status table, the one rule order, titles, places and reasons in words."""
from __future__ import annotations

import os

from fzcheck.i18n import pick, t
from fzcheck.model import (FAIL, HIT_DONE, HIT_EXCLUDED, HIT_FOUND, HIT_NEGATED, HIT_PLAN, HIT_PROBLEM, HIT_STATUSES,
                           ITEM_MISSING, ITEM_PASS, NOT_APPLICABLE, ItemResult, PARTIAL, PASS, RULE_STATUSES, STATUS_REASONS, WAIVED,
                           DocumentResult, Evidence, RuleResult, WhyNot)
from fzcheck.model import Record


class Look(Record):
    """How a rule status is shown: its mark (terminal, HTML, SVG), its mark in Markdown, its
    terminal colour (a click colour name) and its colour on a page. Its words are
    ``i18n.t("status." + status)``. Immutable and hashable (a frozen record)."""
    __slots__ = _fields = ("mark", "emoji", "term", "color")

    def __init__(self, mark: str, emoji: str, term: str, color: str):
        setattr_ = object.__setattr__
        setattr_(self, "mark", mark)
        setattr_(self, "emoji", emoji)
        setattr_(self, "term", term)
        setattr_(self, "color", color)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field '{name}'")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field '{name}'")

    def __hash__(self) -> int:
        return hash((self.mark, self.emoji, self.term, self.color))

    def __reduce__(self):  # copied and pickled through the constructor (no attribute is set)
        return (Look, (self.mark, self.emoji, self.term, self.color))


# The one status table, in the order every report lists rules and legends:
# missing and partial first, then waived, passed, not applicable.
STATUS: dict[str, Look] = {
    FAIL: Look("✘", "❌", "red", "#c62828"),
    PARTIAL: Look("◐", "🟡", "yellow", "#e0a100"),
    WAIVED: Look("≈", "⚪", "cyan", "#5c8fb8"),
    PASS: Look("✔", "✅", "green", "#2e7d32"),
    NOT_APPLICABLE: Look("–", "➖", "bright_black", "#9e9e9e"),
}
assert set(STATUS) == set(RULE_STATUSES)
UNKNOWN = Look("", "", "", "#9e9e9e")
# An info rule that is not met: a note, never a red cross (it never weighs nor fails the gate).
INFO = Look("ⓘ", "ℹ️", "bright_black", "#9e9e9e")
MUTED_PASS = "#cfcfcf"  # a grey column's (info, profile-only) pass in the printed matrix
ORDER = {status: i for i, status in enumerate(STATUS)}
SEVERITY_ORDER = {"required": 0, "recommended": 1, "info": 2}

# Evidence (a quoted mention): the colour of its status on a page; its words are
# ``i18n.t("hit." + status)``.
HIT_COLOR: dict[str, str] = {
    HIT_DONE: STATUS[PASS].color,
    HIT_PLAN: STATUS[PARTIAL].color,
    HIT_PROBLEM: STATUS[FAIL].color,
    HIT_NEGATED: STATUS[FAIL].color,
    HIT_FOUND: STATUS[FAIL].color,
    HIT_EXCLUDED: "#757575",
}
assert set(HIT_COLOR) == set(HIT_STATUSES)
MAX_EVIDENCE = 4  # quotes shown per rule that needs work; one for a rule that passes


def look(status: str) -> Look:
    """The look of a rule status ("" marks for an unknown one)."""
    return STATUS.get(status, UNKNOWN)


def rule_look(r: RuleResult) -> Look:
    """The look of a rule's result: an info rule that is not met is grey, never red."""
    if r.info and r.status in (FAIL, PARTIAL):
        return INFO
    return look(r.status)


def item_look(status: str) -> Look:
    """An item of a rule is done or not: the look of a rule that passes or fails."""
    if status == WAIVED:  # set aside by a waiver (an item overruled)
        return STATUS[WAIVED]
    return STATUS[PASS] if status == ITEM_PASS else STATUS[FAIL]


def status_text(status: str | None, lang: str) -> str:
    """A rule status in words ("–" for none)."""
    return t("status." + status, lang) if status else "–"


def rule_status_text(r: RuleResult, lang: str) -> str:
    """A rule's status in the words of its kind: a rule that must find nothing (placeholders,
    disclosure) and found something "does not comply" (不符合), never "missing"; a late
    publication or inconsistent years too. An info rule's words say it is only a note."""
    key = f"status.{r.status}.{r.kind}"
    text = t(key, lang)
    if text == key:
        text = t("status." + r.status, lang)
    if r.info and r.status in (FAIL, PARTIAL):
        text = t("out.aside", lang, text=text, aside=t("severity.info", lang))
    return text


def item_status_text(item: "ItemResult", lang: str) -> str:
    """An item's status: "not mentioned" (未提及) only when nothing close was found; an item
    with a closest mention set aside "is mentioned but not counted"."""
    if item.status == ITEM_MISSING and item.why_not is not None and item.why_not.evidence is not None:
        return t("item.not_counted", lang)
    return t("item." + item.status, lang)


def catalogue_order(results: list[RuleResult]) -> list[RuleResult]:
    """Rules as the rule set lists them, grouped by area (structure, elements, quality …) in
    the order the areas first appear, info rules after all of them: the order of the batch summary's columns, the SARIF
    rule list and the coverage chart, and the tie-break of :func:`sorted_rules`."""
    groups: dict[str, int] = {}
    for r in results:
        groups.setdefault(r.group or "element", len(groups))
    position = {id(r): i for i, r in enumerate(results)}
    # info rules apart, at the end (they never weigh nor fail the gate)
    return sorted(results, key=lambda r: (r.info, groups[r.group or "element"], position[id(r)]))


def sorted_rules(results: list[RuleResult]) -> list[RuleResult]:
    """The one order in which every report lists a document's rules: what needs work first
    (status, then severity, then weight), ties in :func:`catalogue_order`."""
    return sorted(catalogue_order(results),
                  key=lambda r: (r.info, ORDER.get(r.status, len(ORDER)), SEVERITY_ORDER.get(r.severity, 9), -r.weight))


def title_of(r: RuleResult, lang: str) -> str:
    return pick(r.title, lang) or r.id


def basis_text(r: RuleResult, lang: str = "zh") -> str:
    return t("sep.clause", lang).join(b.get("doc", "") + (b.get("article") or "") for b in r.basis)


def points(r: RuleResult) -> str:
    if r.status in (NOT_APPLICABLE, WAIVED) or r.info:
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
    return t("out.profile", lang, title=profile["title"], reason=profile["reason"])


def location_text(ev: Evidence, lang: str) -> str:
    parts = [p for p in (place_text(ev.location, ev.line, lang), ev.section) if p]
    return " · ".join(parts)


def hit_status_text(status: str, lang: str) -> str:
    return t("hit." + status, lang) if status in HIT_STATUSES else status


def hit_text(ev: Evidence, lang: str) -> str:
    return f"{hit_status_text(ev.status, lang)} · {t('role.' + ev.role, lang)}"


def tells_more(why: WhyNot | None) -> bool:
    """Whether a reason adds to what the finding and the quoted evidence say: a closest
    mention set aside for a reason of its own (not merely a plan, a problem, a lacking)."""
    return why is not None and why.evidence is not None and why.reason not in STATUS_REASONS


def why_text(why: WhyNot | None, lang: str, with_place: bool = True) -> str:
    """Why an element or item was not credited, in words: the reason, and where the closest
    mention stands ("" when there is no reason to give)."""
    if why is None:
        return ""
    words = pick(why.text, lang)
    if why.evidence is None or not with_place:
        return words
    loc = location_text(why.evidence, lang)
    return t("out.aside", lang, text=words, aside=loc) if loc else words


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
    return t("sep.list", lang).join(title_of(r, lang) for r in sorted_rules(d.results) if r.severity == "required" and r.status == FAIL)


def gate_reason(d: DocumentResult, lang: str) -> str:
    """Why a report fails the gate, in words: the required rules that fail, and the score
    against the threshold when it is below; "" for a report that passes."""
    if d.passed:
        return ""
    if d.not_a_report:
        return doctype_reason(d, lang)
    reasons = []
    failed = required_failed(d, lang)
    if failed:
        reasons.append(t("gate.required", lang, names=failed))
    if d.score < d.threshold:
        reasons.append(t("gate.score", lang, score=f"{d.score:g}", threshold=f"{d.threshold:g}"))
    return t("sep.clause", lang).join(reasons)


def doctype_reason(d: DocumentResult, lang: str) -> str:
    """Why a document is not checked as a report: 不是法治政府建设年度报告，而是…（标题“…”）."""
    return t("gate.not_a_report", lang, what=d.doctype["what"], why=d.doctype["why"]) if d.not_a_report else ""


def doctype_line(d: DocumentResult, lang: str) -> str:
    """The plain line at the top of every format for a document of another type; "" for a report."""
    return t("doctype.not_a_report", lang, what=d.doctype["what"], why=d.doctype["why"]) if d.not_a_report else ""


def gate_line(d: DocumentResult, lang: str) -> str:
    """The gate with its reason: 未通过（必备项缺失：…；得分49低于门槛60）."""
    why = gate_reason(d, lang)
    return t("out.aside", lang, text=gate_text(d, lang), aside=why) if why else gate_text(d, lang)


def is_gap(r: RuleResult) -> bool:
    """What a gaps-only report lists: a rule that weighs and is missing or partial."""
    return r.status in (FAIL, PARTIAL) and not r.info


def group_name(group: str, lang: str) -> str:
    key = "group." + group
    text = t(key, lang)
    return group if text == key else text


class Area(Record):
    __slots__ = _fields = ("group", "rules")

    def __init__(self, group: str, rules: list[RuleResult]):
        self.group = group
        self.rules = rules

    @property
    def counted(self) -> list[RuleResult]:
        return [r for r in self.rules if r.status not in (NOT_APPLICABLE, WAIVED) and not r.info]

    @property
    def coverage(self) -> float | None:
        """Weighted credit of the area in percent; None when nothing in it applies."""
        total = sum(r.weight for r in self.counted)
        if not total:
            return None
        return 100.0 * sum(r.weight * r.credit for r in self.counted) / total


def areas(d: DocumentResult) -> list[Area]:
    groups: dict[str, list[RuleResult]] = {}
    for r in catalogue_order(d.results):  # info rules in an area of their own, the last
        groups.setdefault("info" if r.info else r.group or "element", []).append(r)
    return [Area(g, rs) for g, rs in groups.items()]


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
    """Where a finding points: its first quoted evidence, else the start of the part where the
    rule's element belongs (the rule's ``part``), else of the first part."""
    # What needs work (a plan, a problem, a lacking clause) before what is done.
    for ev in sorted(r.evidence, key=lambda ev: ev.status == HIT_DONE):
        if ev.line:
            return ev.line
    role = r.found_in[0] if r.found_in else r.part
    lines = [s["line"] for s in d.sections if s.get("line")]
    return next((s["line"] for s in d.sections if s.get("line") and s.get("role") == role), lines[0] if lines else None)
