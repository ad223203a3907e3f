"""The registry of rule kinds. Each kind turns a rule and a document into a result.

Kinds know how to judge (evidence for an element, a part of the report, a count,
an absence, a date), never what any particular element is: that is in the rules.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Callable

import regex

from fzcheck import lazyre

from fzcheck.i18n import LANGS, pick, t
from fzcheck.engine.match import (MatchContext, closest, evidence, find_hits, found_in, item_status, may_match,
                                  to_evidence)
from fzcheck.model import (ACHIEVEMENTS, FAIL, HIT_DONE, HIT_EXCLUDED, HIT_FOUND, HIT_PROBLEM, ITEM_MISSING, ITEM_PASS, NEXT_YEAR,
                           NOT_APPLICABLE, PARTIAL, PASS, PREAMBLE,
                           Document, Evidence, ItemResult, RuleResult, WhyNot, short_heading, Record)
from fzcheck.engine.outline import iter_sections
from fzcheck.rules.model import Rule
from fzcheck.rules.patterns import Group, compile_pattern

KindFn = Callable[[Rule, Document, MatchContext, str], RuleResult]

# The type of a parameter that names a part of a report (one of model.ROLES).
ROLE = "role"


class Kind(Record):
    """A rule kind: its judge and the parameters its rules may carry beside the common
    fields (they arrive in ``rule.params``). ``params`` maps each name to its type (int,
    float, list, or ROLE); ``required`` names those a rule of the kind must give;
    ``needs`` names common fields it must give (evidence). The rule-set schema says the
    same (tests/test_kinds_schema.py keeps them equal). Made once per kind at import, never changed."""

    __slots__ = _fields = ("name", "judge", "params", "required", "needs")

    def __init__(self, name: str, judge: KindFn, params: dict[str, Any] | None = None,
                 required: tuple[str, ...] = (), needs: tuple[str, ...] = ()):
        self.name = name
        self.judge = judge
        self.params = {} if params is None else params
        self.required = required
        self.needs = needs

    def __call__(self, rule: Rule, doc: Document, ctx: MatchContext, lang: str) -> RuleResult:
        return self.judge(rule, doc, ctx, lang)


KINDS: dict[str, Kind] = {}


def kind(name: str, params: dict[str, Any] | None = None, required: tuple[str, ...] = (),
         needs: tuple[str, ...] = ()):
    def register(fn: KindFn) -> KindFn:
        KINDS[name] = Kind(name, fn, dict(params or {}), tuple(required), tuple(needs))
        return fn
    return register


def part_of(rule: Rule) -> str | None:
    """The part of a report where a rule's element belongs: its ``part`` or ``role``, else
    where its matchers count, else (an element) the achievements; None for the rest."""
    named = rule.params.get("part") or rule.params.get("role")
    if named:
        return named
    for m in list(rule.evidence) + [m for item in rule.items for m in item.evidence]:
        if m.counts_in:
            return m.counts_in[0]
    return ACHIEVEMENTS if rule.kind == "element" else None


def status_from_credit(credit: float) -> str:
    if credit >= 1 - 1e-9:
        return PASS
    return PARTIAL if credit > 0 else FAIL


def result(rule: Rule, lang: str, status: str, credit: float, message: str, *, finding: str = "",
           items: list[ItemResult] | None = None, ev: list[Evidence] | None = None,
           roles: list[str] | None = None) -> RuleResult:
    res = RuleResult(
        id=rule.id, title=rule.title, severity=rule.severity, weight=rule.weight, status=status,
        credit=credit, finding=finding or status, found_in=roles or [], items=items or [], evidence=ev or [],
        message=message, fix=pick(rule.fix, lang) if status != PASS else "", basis=rule.basis, group=rule.group,
        description=pick(rule.description, lang), part=part_of(rule), kind=rule.kind,
    )
    if status in (FAIL, PARTIAL):  # every rule that is not credited says why (elements say more)
        res.why_not = WhyNot(finding or status, None, {lang: message})
    return res


def why_not(doc: Document, ctx: MatchContext, hits, matchers=()) -> WhyNot:
    """The closest mention of an element or item that is not credited, and why; when the
    report itself has none, a mention in the page furniture (a breadcrumb, index metadata)."""
    reason, ev = closest(doc, hits, ctx)
    if ev is None and doc.furniture:
        ev = _in_furniture(doc, ctx, matchers)
        if ev is not None:
            reason = FURNITURE
    text = ctx.reason_titles.get(reason) or {lang: t(f"why.{reason}", lang) for lang in LANGS}
    return WhyNot(reason, ev, text)


FURNITURE = "furniture"


def _in_furniture(doc: Document, ctx: MatchContext, matchers) -> Evidence | None:
    for m in matchers:
        pat = m.any.compiled(ctx.year)
        if pat is None or not may_match(pat, ctx.furniture_text()):  # no line holds a literal it needs
            continue
        for line in doc.furniture:
            found = pat.search(line)
            if found:
                text = line if len(line) <= 120 else line[:119] + "…"
                return Evidence(text, found.group(0), None, "", PREAMBLE, HIT_EXCLUDED, reason=FURNITURE,
                                original=text, original_match=found.group(0))
    return None


def _finding_message(status: str, credit: float, lang: str, why: WhyNot | None = None) -> str:
    if status == ITEM_PASS:
        return t("msg.found", lang) if credit >= 1 else t("msg.partial_credit", lang)
    if status == ITEM_MISSING and why is not None and why.evidence is not None:
        return t("msg.not_counted", lang, why=pick(why.text, lang))
    return t(f"msg.{status}", lang)


@kind("element", params={"part": ROLE})
def element(rule: Rule, doc: Document, ctx: MatchContext, lang: str) -> RuleResult:
    if not rule.items:
        hits = [h for m in rule.evidence for h in find_hits(ctx, m, judge_deeds=True)]
        status, credit = item_status(hits)
        if status != ITEM_PASS:
            why: WhyNot | None = why_not(doc, ctx, hits, rule.evidence)
        elif credit < 1:  # only weak evidence (a heading that names it): partial credit
            best = evidence(doc, hits, limit=1, ctx=ctx)
            why = WhyNot("weak", best[0] if best else None, {lang: t("msg.partial_credit", lang)})
        else:
            why = None
        res = result(rule, lang, status_from_credit(credit), credit, _finding_message(status, credit, lang, why),
                     finding=status, ev=evidence(doc, hits, ctx=ctx), roles=found_in(doc, hits))
        res.why_not = why
        return res
    # A collective name ("五大程序") credits every item only where it reports work done.
    collective_all = [h for m in rule.collective for h in find_hits(ctx, m, collective=True, judge_deeds=True)]
    collective = [h for h in collective_all if h.status == HIT_DONE]
    items: list[ItemResult] = []
    all_hits = list(collective)
    total = sum(i.weight for i in rule.items)
    earned = 0.0
    for item in rule.items:
        hits = [h for m in item.evidence for h in find_hits(ctx, m, judge_deeds=True)]
        all_hits.extend(hits)
        status, credit = item_status(hits + collective)
        own_status, _ = item_status(hits)
        by_collective = status == ITEM_PASS and own_status != ITEM_PASS
        earned += item.weight * credit
        items.append(ItemResult(item.id, item.title, status, evidence(doc, hits + collective, limit=2, ctx=ctx),
                                found_in(doc, hits + collective), item.weight, by_collective,
                                why_not(doc, ctx, hits + collective_all, item.evidence) if status != ITEM_PASS
                                else None,
                                credit=credit))
    credit = earned / total if total else 0.0
    done = sum(1 for i in items if i.status == ITEM_PASS)
    message = t("msg.items", lang, total=len(items), done=done)
    # "not mentioned" only when nothing close was found; a mention set aside is "not counted"
    missing = [t("out.aside", lang, text=pick(i.title, lang),
                 aside=t("item.not_counted" if i.status == ITEM_MISSING and i.why_not is not None
                         and i.why_not.evidence is not None else "item." + i.status, lang))
               for i in items if i.status != ITEM_PASS]
    if missing:
        message += t("msg.items_missing", lang, names=t("sep.list", lang).join(missing))
    summary = ITEM_PASS if done == len(items) else ("partial" if done else "missing")
    res = result(rule, lang, status_from_credit(credit), credit, message, finding=summary, items=items,
                 ev=evidence(doc, all_hits, limit=5, ctx=ctx), roles=found_in(doc, all_hits))
    if done < len(items):
        res.why_not = why_not(doc, ctx, [h for h in all_hits + collective_all if h.status != HIT_DONE])
    return res


def _heading_evidence(doc: Document, section) -> Evidence:
    for i, s in enumerate(doc.sentences):
        if s.is_heading and s.section is section:
            from fzcheck.engine.match import Hit

            return to_evidence(doc, Hit(i, 0, len(s.text), HIT_DONE))
    return Evidence(section.marker + section.heading, section.heading, section.line, section.path(),
                    section.role, HIT_DONE)


@kind("section", params={"role": ROLE, "sub_credit": float}, required=("role",))
def section(rule: Rule, doc: Document, ctx: MatchContext, lang: str) -> RuleResult:
    role = rule.params["role"]
    tops = [s for s in doc.root.children
            if s.role == role or (s.combined and role == NEXT_YEAR)]
    if tops:
        ev = [_heading_evidence(doc, s) for s in tops[:2]]
        return result(rule, lang, PASS, 1.0, t("msg.section_found", lang, heading=short_heading(
            tops[0].marker + tops[0].heading, 40)), ev=ev, roles=[role])
    sub_credit = float(rule.params.get("sub_credit", 0))
    subs = [s for s in iter_sections(doc.root) if s.depth > 1 and s.role == role]
    if subs and sub_credit > 0:
        return result(rule, lang, PARTIAL, sub_credit, t("msg.section_sub", lang, heading=short_heading(
            subs[0].marker + subs[0].heading, 40)), finding="sub_heading",
            ev=[_heading_evidence(doc, subs[0])], roles=[role])
    return result(rule, lang, FAIL, 0.0, t("msg.section_missing", lang), finding="missing")


@kind("count", params={"min": int}, needs=("evidence",))
def count(rule: Rule, doc: Document, ctx: MatchContext, lang: str) -> RuleResult:
    need = int(rule.params.get("min", 1))
    hits = [h for m in rule.evidence for h in find_hits(ctx, m) if h.status == HIT_DONE]
    n = len(hits)
    credit = min(1.0, n / need)
    return result(rule, lang, status_from_credit(credit), credit, t("msg.count", lang, n=n, min=need),
                  finding=str(n), ev=evidence(doc, hits, limit=5, ctx=ctx), roles=found_in(doc, hits))


@kind("absence", needs=("evidence",))
def absence(rule: Rule, doc: Document, ctx: MatchContext, lang: str) -> RuleResult:
    hits = [h for m in rule.evidence for h in find_hits(ctx, m)]
    if not hits:
        return result(rule, lang, PASS, 1.0, t("msg.absent_ok", lang), finding="none")
    shown = evidence(doc, hits, limit=5, ctx=ctx)
    for e in shown:  # what must be absent is "found", wherever it stands
        e.status = HIT_FOUND
    return result(rule, lang, FAIL, 0.0, t("msg.absent_found", lang, n=len(hits)), finding=str(len(hits)),
                  ev=shown, roles=found_in(doc, hits))


@kind("deadline", params={"month": int, "day": int, "year_offset": int}, required=("month", "day"))
def deadline(rule: Rule, doc: Document, ctx: MatchContext, lang: str) -> RuleResult:
    if not doc.published or doc.year is None:
        msg = t("msg.deadline_unknown", lang) if not doc.published else t("msg.year_unknown", lang)
        return result(rule, lang, NOT_APPLICABLE, 0.0, msg, finding="unknown")
    year = doc.year + int(rule.params.get("year_offset", 1))
    try:
        limit = dt.date(year, int(rule.params["month"]), int(rule.params["day"]))
    except ValueError:
        limit = dt.date(year, int(rule.params["month"]), 28)
    published = dt.date.fromisoformat(doc.published)
    ev = [Evidence(doc.published, doc.published, None, "", "preamble", HIT_DONE,
                   {"source": doc.meta.get("published_source")})]
    if published <= limit:
        return result(rule, lang, PASS, 1.0, t("msg.deadline_ok", lang, date=doc.published,
                                                 deadline=limit.isoformat()), finding="on_time", ev=ev)
    return result(rule, lang, FAIL, 0.0, t("msg.deadline_late", lang, date=doc.published,
                                            deadline=limit.isoformat()), finding="late", ev=ev)


_YEAR_IN = lazyre.compile(r"(?<![\d\-—–~至到])((?:19|20)\d{2})\s*年")


@kind("year-consistency", params={"anachronisms": list})
def year_consistency(rule: Rule, doc: Document, ctx: MatchContext, lang: str) -> RuleResult:
    year = doc.year
    if year is None:
        return result(rule, lang, NOT_APPLICABLE, 0.0, t("msg.year_unknown", lang), finding="unknown")
    problems: list[str] = []
    ev: list[Evidence] = []
    from fzcheck.engine.match import Hit

    for top in doc.root.children:
        m = _YEAR_IN.search(top.heading)
        if not m:
            continue
        got = int(m.group(1))
        key = None
        if top.role == NEXT_YEAR and got != year + 1:
            key, want = "msg.year_plan", year + 1
        elif top.role in ("achievements", "first_responsible") and got != year:
            key, want = "msg.year_heading", year
        if key:
            problems.append(t(key, lang, got=got, want=want))
            if len(ev) < 5:
                ev.append(_heading_evidence(doc, top))
            if len(problems) > 6:
                break
    if doc.published and int(doc.published[:4]) != year + 1 and doc.meta.get("published_source") == "page":
        problems.append(t("msg.year_published", lang, got=doc.published[:4], want=year + 1))
    # only the sentences that can hold a year (the prefilter), unless the loop stops at once
    cand = ctx.candidates_of(_YEAR_IN) if len(problems) <= 6 else None
    for i in range(len(doc.sentences)) if cand is None else cand:
        s = doc.sentences[i]
        for m in _YEAR_IN.finditer(s.text):
            if int(m.group(1)) > year + 1:
                problems.append(t("msg.year_future", lang, got=m.group(1)))
                ev.append(to_evidence(doc, Hit(i, m.start(), m.end(), HIT_PROBLEM)))
                break
        if len(problems) > 6:
            break
    for entry in rule.params.get("anachronisms", []):
        if year >= int(entry["since"]):
            continue
        pat = compile_pattern(entry["term"], year)
        cand = ctx.candidates(Group([entry["term"]]))  # the sentences the term could match
        for i in range(len(doc.sentences)) if cand is None else cand:
            s = doc.sentences[i]
            m = pat.search(s.text)
            if m:
                problems.append(t("msg.anachronism", lang, term=m.group(0), since=entry["since"]))
                ev.append(to_evidence(doc, Hit(i, m.start(), m.end(), HIT_PROBLEM)))
                break
    if not problems:
        return result(rule, lang, PASS, 1.0, t("msg.years_ok", lang, year=year), finding="consistent")
    problems_text = t("sep.clause", lang).join(dict.fromkeys(problems))
    return result(rule, lang, FAIL, 0.0, t("msg.years_bad", lang, year=year, problems=problems_text),
                  finding="inconsistent", ev=ev[:5])
