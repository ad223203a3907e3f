"""Small helpers for building reports in tests."""
from __future__ import annotations

from fzcheck.engine.check import Options, check_document, from_text


def check_text(text: str, ruleset, **options):
    return check_document(from_text(text, ruleset), ruleset, Options(**options))


def result_of(doc_result, rule_id):
    for r in doc_result.results:
        if r.id == rule_id:
            return r
    raise KeyError(rule_id)


def item_of(rule_result, item_id):
    for i in rule_result.items:
        if i.id == item_id:
            return i
    raise KeyError(item_id)
