"""The pipeline: read → normalize → outline → match → score.

The engine returns result objects; only the CLI prints and exits.
"""
from __future__ import annotations

from typing import Any

from fzcheck.engine import frontmatter, kinds, outline
from fzcheck.engine.doctype import detect as detect_doctype
from fzcheck.engine.match import MatchContext, may_match
from fzcheck.engine.normalize import normalize_document
from fzcheck.errors import RuleSetError
from fzcheck.i18n import t
from fzcheck.model import (FAIL, NOT_APPLICABLE, PASS, WAIVED, Document, DocumentResult, Paragraph, RawDocument,
                           RuleResult, Record)
from fzcheck.readers import DEFAULT_MAX_BYTES, read_document
from fzcheck.readers.text import paragraphs_from_text
from fzcheck.rules.model import RoleConfig, Rule, RuleSet
from fzcheck.rules.profiles import choose


class Roles:
    """Adapts a rule set's role patterns to what the outline parser asks."""

    def __init__(self, config: RoleConfig):
        self.config = config

    def _first(self, groups: dict, text: str, year: int | None, order: tuple[str, ...]) -> str | None:
        for role in order:
            group = groups.get(role)
            pat = group.compiled(year) if group else None
            if pat is not None and may_match(pat, text) and pat.search(text):
                return role
        return None

    def classify_heading(self, text: str, year: int | None) -> str | None:
        h = self.config.headings
        short = self._first(h, text, year, ("shortcomings",))
        plan = self._first(h, text, year, ("next_year",))
        if short and plan:
            return "combined"
        return self._first(h, text, year, ("first_responsible", "shortcomings", "next_year", "other",
                                           "achievements"))

    def classify_subheading(self, text: str, year: int | None) -> str | None:
        return self._first(self.config.subheadings, text, year, ("shortcomings", "next_year", "first_responsible"))

    def starts_next_year(self, text: str, year: int | None) -> bool:
        pat = self.config.next_year_start.compiled(year)
        return bool(pat is not None and may_match(pat, text) and pat.search(text))


def analyze(raw: RawDocument, ruleset: RuleSet) -> Document:
    """Normalize a read document and find its parts, year and date."""
    paragraphs, noise = normalize_document(raw)
    return analyze_paragraphs(raw.path, paragraphs, noise, ruleset, dict(raw.meta))


def analyze_paragraphs(path: str, paragraphs: list[Paragraph], noise: list[str], ruleset: RuleSet,
                       meta: dict[str, Any] | None = None) -> Document:
    headings = outline.find_headings(paragraphs)
    published, pub_source = frontmatter.detect_published(noise, paragraphs)
    year, year_source = frontmatter.detect_year(paragraphs, headings, published)
    root, sentences = outline.build(paragraphs, headings, Roles(ruleset.roles), year,
                                    ruleset.context.done_roles)
    meta = dict(meta or {})
    meta["published_source"] = pub_source
    meta.update(frontmatter.describe(paragraphs, noise, headings[0].para if headings else None))
    return Document(path, paragraphs, sentences, root, year, year_source, published, meta, furniture=list(noise))


def from_text(text: str, ruleset: RuleSet, path: str = "<text>") -> Document:
    """Analyze a string as if it were a UTF-8 text file (used by examples and tests)."""
    return analyze(RawDocument(path, paragraphs_from_text(text)), ruleset)


class Options(Record):
    __slots__ = _fields = ("lang", "fail_under", "max_bytes", "waivers", "profile", "profile_source", "as_report")

    def __init__(self, lang: str = "zh", fail_under: float | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
                 waivers: list[dict[str, Any]] | None = None, profile: str | None = None,
                 profile_source: str = "command line", as_report: bool = False):
        self.lang = lang
        self.fail_under = fail_under
        self.max_bytes = max_bytes
        self.waivers = [] if waivers is None else waivers
        self.profile = profile  # a profile name, "auto", or None for the base rules
        self.profile_source = profile_source  # where the profile was asked for
        self.as_report = as_report  # score it whatever kind of document its title names (a reviewer's call)


def evaluate_rule(rule: Rule, doc: Document, ctx: MatchContext, ruleset: RuleSet, lang: str = "zh") -> RuleResult:
    """One rule on one document: not applicable outside its years, else its kind's verdict."""
    if doc.year is not None and (rule.since_year and doc.year < rule.since_year
                                 or rule.until_year and doc.year > rule.until_year):
        return kinds.result(rule, lang, NOT_APPLICABLE, 0.0, t("msg.not_applicable_year", lang, year=doc.year),
                            finding="not_applicable")
    fn = kinds.KINDS.get(rule.kind)
    if fn is None:
        raise RuleSetError(f"rule '{rule.id}': unknown kind '{rule.kind}'", ruleset.path)
    return fn(rule, doc, ctx, lang)


def evaluate(doc: Document, ruleset: RuleSet, lang: str = "zh") -> list[RuleResult]:
    ctx = MatchContext(doc, ruleset)  # one per document, shared by every rule
    return [evaluate_rule(rule, doc, ctx, ruleset, lang) for rule in ruleset.rules]


def score(results: list[RuleResult]) -> float:
    """Weighted credit in percent of the rules that apply; info rules never weigh (whatever
    weight a rule set or profile gave them)."""
    counted = [r for r in results if r.status not in (NOT_APPLICABLE, WAIVED) and r.severity != "info"]
    total = sum(r.weight for r in counted)
    if not total:
        return 0.0
    return round(100.0 * sum(r.weight * r.credit for r in counted) / total, 1)


def gate(results: list[RuleResult], value: float, threshold: float) -> bool:
    """A report passes with a score at or above the threshold and no required rule failed
    (info rules never fail it)."""
    required_failed = any(r.severity == "required" and r.status == FAIL for r in results)
    return value >= threshold and not required_failed


def _warning_text(warning: dict[str, Any], lang: str) -> str:
    """A reader's warning in words (its lists joined the language's way)."""
    sep = t("sep.list", lang)
    fields = {k: sep.join(map(str, v)) if isinstance(v, list) else v for k, v in warning.items()}
    return t("warn." + warning["id"], lang, **fields)


def check_document(doc: Document, ruleset: RuleSet, options: Options | None = None) -> DocumentResult:
    options = options or Options()
    meta = {k: v for k, v in doc.meta.items() if v is not None}
    warnings = [dict(w, message=_warning_text(w, options.lang)) for w in meta.pop("warnings", [])]
    doctype = None if options.as_report else detect_doctype(doc, ruleset, options.lang)
    if doctype is not None:  # another kind of document: said to be so, not scored, fails the gate
        return DocumentResult(
            path=doc.path, year=doc.year, year_source=doc.year_source, published=doc.published, score=0.0,
            grade=t("doctype.not_scored", options.lang), passed=False,
            threshold=options.fail_under if options.fail_under is not None else ruleset.threshold,
            sections=[], results=[], meta=meta, doctype=doctype, warnings=warnings)
    choice = None
    if options.profile:
        ruleset, choice = choose(doc, ruleset, options.profile, options.profile_source)
    results = evaluate(doc, ruleset, options.lang)
    if options.waivers:
        from fzcheck.engine.waivers import apply_waivers  # only with waivers: their YAML machinery

        apply_waivers(results, options.waivers, doc.path, options.lang)
    value = score(results)
    threshold = options.fail_under if options.fail_under is not None else ruleset.threshold
    band = ruleset.grade(value)
    sections = [{"role": s.role, "heading": s.marker + s.heading, "line": s.line, "combined": s.combined}
                for s in doc.root.children]
    return DocumentResult(
        path=doc.path, year=doc.year, year_source=doc.year_source, published=doc.published,
        score=value, grade=band.get(options.lang) or band["zh"], passed=gate(results, value, threshold),
        threshold=threshold, sections=sections, results=results, meta=meta,
        profile=choice.to_json(options.lang) if choice else None, warnings=warnings,
    )


def check_path(path: str, ruleset: RuleSet, options: Options | None = None) -> DocumentResult:
    options = options or Options()
    raw = read_document(path, options.max_bytes)
    return check_document(analyze(raw, ruleset), ruleset, options)


__all__ = ["analyze", "check_document", "check_path", "evaluate", "score", "gate", "Options", "from_text",
           "PASS", "FAIL"]
