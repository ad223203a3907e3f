"""Each concept is defined once (issue 10): one status table, one rule order, every word
through i18n, no rule id in a renderer, each kind's parameters beside its code and equal to
the rule-set schema."""
from __future__ import annotations

import ast
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import regex

import fzcheck
from fzcheck.engine import diff as diffing
from fzcheck.engine.check import check_path
from fzcheck.engine.kinds import KINDS, ROLE, part_of
from fzcheck.model import (FAIL, ITEM_MISSING, ITEM_PASS, NOT_APPLICABLE, PARTIAL, PASS, ROLES, RULE_STATUSES, WAIVED,
                           DocumentResult, ItemResult, RuleResult, replace)
from fzcheck.render import Report, render
from fzcheck.render.common import (STATUS, catalogue_order, item_look, look, sorted_rules)
from fzcheck.render.diff import render_text as diff_text
from fzcheck.render.summary import columns, render_summary
from fzcheck.render.svg import coverage_chart
from fzcheck.rules.model import Rule
from fzcheck.rules.source import schema

SRC = Path(fzcheck.__file__).parent
RENDER = SRC / "render"
# render/rulesdoc.py (explain) is being reworked separately; it is held to the same rules there.
RENDERERS = sorted(p for p in RENDER.glob("*.py") if p.name not in ("common.py", "rulesdoc.py"))


def _rule(rid: str, status: str, group: str, severity: str = "required", weight: float = 2.0,
          items: list[ItemResult] | None = None) -> RuleResult:
    credit = {PASS: 1.0, PARTIAL: 0.5}.get(status, 0.0)
    return RuleResult(rid, {"zh": "规则" + rid, "en": "rule " + rid}, severity, weight, status, credit, status, [],
                      items or [], [], "消息", "建议", [{"doc": "《规定》", "article": "第一条"}], group)


@pytest.fixture(scope="module")
def made() -> Report:
    """Every status, groups interleaved, ties in status, severity and weight."""
    items = [ItemResult("a", {"zh": "甲", "en": "a"}, ITEM_PASS, [], []),
             ItemResult("b", {"zh": "乙", "en": "b"}, ITEM_MISSING, [], [])]
    results = [
        _rule("q-pass", PASS, "quality"),
        _rule("e-fail", FAIL, "element"),
        _rule("s-partial", PARTIAL, "structure", items=items),
        _rule("e-waived", WAIVED, "element"),
        _rule("q-fail", FAIL, "quality"),
        _rule("s-na", NOT_APPLICABLE, "structure", severity="info"),
        _rule("e-pass", PASS, "element", weight=5),
        _rule("s-fail", FAIL, "structure", severity="recommended"),
    ]
    doc = DocumentResult("made.txt", 2023, "title", "2024-01-10", 50.0, "C", False, 60.0, [], results)
    return Report("test", "1", [doc])


@pytest.fixture(scope="module")
def sample(ruleset, sample_path) -> Report:
    return Report(ruleset.id, ruleset.version, [check_path(str(sample_path), ruleset)])


# --- one status table -----------------------------------------------------------------------------------

def test_the_status_table_covers_every_status_once():
    assert set(STATUS) == set(RULE_STATUSES)
    for field in ("mark", "emoji", "term", "color"):
        values = [getattr(x, field) for x in STATUS.values()]
        assert len(set(values)) == len(values), field


def _constants(path: Path) -> list[tuple[int, str]]:
    """String constants of a module, without docstrings and regex patterns."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            skip.add(id(body[0].value))
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "compile":
            skip.update(id(a) for a in ast.walk(node))
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in skip]


@pytest.mark.parametrize("path", RENDERERS, ids=lambda p: p.name)
def test_no_renderer_has_a_status_table_of_its_own(path):
    shown = {x.mark for x in STATUS.values()} | {x.emoji for x in STATUS.values()} | {x.color for x in STATUS.values()}
    shown -= {look(NOT_APPLICABLE).mark}  # the en dash also stands for "no value"
    found = [(line, text) for line, text in _constants(path) if any(s in text for s in shown)]
    assert not found, f"{path.name} writes status marks or colours itself (use render.common.STATUS): {found}"


def test_every_renderer_shows_the_same_mark_for_the_same_status(made):
    d = made.documents[0]
    text = render(made, "text")
    md = render(made, "markdown")
    html = render(made, "html")
    svg = coverage_chart(d, "zh")
    for r in d.results:
        x = look(r.status)
        assert re.search(rf"^{re.escape(x.mark)} \S+ \({re.escape(r.id)}\)", text, re.M), (r.id, "text")
        assert re.search(rf"^### {re.escape(x.emoji)} .*\(`{re.escape(r.id)}`\)", md, re.M), (r.id, "markdown")
        row = re.search(rf'<tr class="row-{r.status}" [^>]*data-rule="{re.escape(r.id)}">(.*?)</tr>', html).group(1)
        assert f'background:{x.color}">{x.mark} ' in row, (r.id, "html")
        g = re.search(rf'<g class="rule" data-rule="{re.escape(r.id)}" data-status="{r.status}">(.*?)</g>', svg).group(1)
        assert f'<tspan fill="{x.color}">{x.mark}</tspan>' in g, (r.id, "svg")
    # items: done or not, with the marks of pass and fail
    assert f"{item_look(ITEM_PASS).mark} 甲" in text and f"{item_look(ITEM_MISSING).mark} 乙" in text
    assert f"{item_look(ITEM_PASS).emoji} 甲" in md and f"{item_look(ITEM_MISSING).emoji} 乙" in md
    # the batch summary, in every format that draws marks
    cols = columns(made)
    marks = "".join(look(d.results[[r.id for r in d.results].index(c.id)].status).mark for c in cols)
    assert marks in render_summary(made, "text")
    cells = re.findall(r'<td class="cell" data-status="([a-z_]+)" [^>]*style="background:([^"]+)">([^<]*)</td>',
                       render_summary(made, "html"))
    assert cells and all((color, mark) == (look(s).color, look(s).mark) for s, color, mark in cells)
    emoji = " | ".join(look(d.results[[r.id for r in d.results].index(c.id)].status).emoji for c in cols)
    assert emoji in render_summary(made, "markdown")


def test_the_diff_shows_the_same_marks(made):
    d = made.documents[0]
    new = replace(d, results=[_rule(r.id, PASS, r.group) for r in d.results])
    out = diff_text(diffing.compare(d, new), "en")
    assert f"{look(FAIL).mark} fail → {look(PASS).mark} pass" in out


def test_legends_list_statuses_in_the_table_order(made):
    words = {"zh": {PASS: "通过", PARTIAL: "部分", FAIL: "缺失", NOT_APPLICABLE: "不适用", WAIVED: "已豁免"}}["zh"]
    expected = [words[s] for s in STATUS]
    svg = coverage_chart(made.documents[0], "zh")
    legend = svg[svg.rindex("</g>"):]
    assert [w for w in re.findall(r">([^<>]+)</text>", legend)] == expected
    last = render_summary(made, "text").splitlines()[-2]
    # the table's statuses in order, then the grey mark of an info rule that is not met
    assert [part.split(" ", 1)[1] for part in last.strip().split("  ")] == expected + ["提示"]


# --- one rule order -------------------------------------------------------------------------------------

def _orders(report: Report) -> dict[str, list[str]]:
    """The order in which each format lists the rules of the report's one document."""
    d = report.documents[0]
    ids = [r.id for r in d.results]

    def by_position(text: str, pattern: str) -> list[str]:
        pos = {rid: text.index(pattern.format(rid)) for rid in ids}
        return sorted(ids, key=pos.get)

    html = render(report, "html")
    table = html[html.index('<table class="rules">'):]
    junit = ET.fromstring(render(report, "junit"))
    sarif = json.loads(render(report, "sarif"))["runs"][0]
    return {
        "text": by_position(render(report, "text"), " ({})  "),
        "markdown": by_position(render(report, "markdown"), "(`{}`)"),
        "html": re.findall(r'<tr class="row-[a-z_]+" [^>]*data-rule="([^"]+)"', table),
        "junit": [c.get("name").split(" ", 1)[0] for c in junit.iter("testcase")],
        "sarif results": [x["ruleId"] for x in sarif["results"]],
        "json": [r["id"] for r in json.loads(render(report, "json"))["documents"][0]["results"]],
        "sarif rules": [x["id"] for x in sarif["tool"]["driver"]["rules"]],
        "summary columns": [c.id for c in columns(report)],
        "coverage chart": re.findall(r'<g class="rule" data-rule="([^"]+)"', coverage_chart(d, "zh")),
    }


@pytest.mark.parametrize("which", ["made", "sample"])
def test_every_format_lists_rules_in_one_order(which, request):
    report = request.getfixturevalue(which)
    d = report.documents[0]
    listed = [r.id for r in sorted_rules(d.results)]
    catalogue = [r.id for r in catalogue_order(d.results)]
    orders = _orders(report)
    for fmt in ("text", "markdown", "html", "junit"):
        assert orders[fmt] == listed, fmt
    needs_work = {r.id for r in d.results if r.status in (FAIL, PARTIAL) and r.severity != "info"}
    assert orders["sarif results"] == [rid for rid in listed if rid in needs_work]  # notes only when asked
    for fmt in ("json", "sarif rules", "summary columns", "coverage chart"):
        assert orders[fmt] == catalogue, fmt


def test_the_order_itself(made):
    d = made.documents[0]
    assert [r.id for r in catalogue_order(d.results)] == [
        "q-pass", "q-fail", "e-fail", "e-waived", "e-pass", "s-partial", "s-fail", "s-na"]  # info rules last
    assert [r.id for r in sorted_rules(d.results)] == [
        "q-fail", "e-fail", "s-fail", "s-partial", "e-waived", "e-pass", "q-pass", "s-na"]


def test_streamed_json_keeps_the_order(made):
    from fzcheck.render.jsonfmt import JsonDocument, json_report
    streamed = "".join(p if isinstance(p, str) else p.decode() for p in
                       json_report(made, "zh", [JsonDocument("zh")(d) for d in made.documents]))
    assert streamed == render(made, "json")


# --- every word through i18n ----------------------------------------------------------------------------

WORDY = RENDERERS + [SRC / "rules" / "profiles.py", SRC / "engine" / "kinds.py"]
_HAN = regex.compile(r"\p{Han}")
_SEPARATORS = ("、", "；", "; ", ", ")  # t("sep.list"), t("sep.clause")


@pytest.mark.parametrize("path", WORDY, ids=lambda p: p.name)
def test_no_words_outside_i18n(path):
    found = [(line, text) for line, text in _constants(path) if _HAN.search(text) or text in _SEPARATORS]
    assert not found, f"{path.name} has words of its own (put them in fzcheck/i18n.py): {found}"
    assert '"zh":' not in path.read_text(encoding="utf-8"), path.name


# --- no rule id in a renderer ---------------------------------------------------------------------------

@pytest.mark.parametrize("path", RENDERERS, ids=lambda p: p.name)
def test_no_rule_id_in_a_renderer(path, ruleset):
    ids = {r.id for r in ruleset.rules} | {a for r in ruleset.rules for a in r.aliases}
    found = [(line, text) for line, text in _constants(path) if text in ids or text.startswith("structure.")]
    assert not found, f"{path.name} names rules (put it in the rule set): {found}"


def test_where_a_rule_belongs_is_data(ruleset):
    parts = {r.id: part_of(r) for r in ruleset.rules}
    assert parts["first-responsible-duty"] == "first_responsible"  # its `part:`
    assert parts["structure.causes"] == "shortcomings"  # where its evidence counts
    assert parts["structure.next-year"] == "next_year"  # a section's role
    assert parts["legal-advisor"] == "achievements"  # an element, by default
    assert parts["placeholders"] is None
    assert set(parts.values()) - {None} <= set(ROLES)


# --- each kind declares its parameters; the schema agrees -----------------------------------------------

_TYPES = {int: {"type": "integer"}, float: {"type": "number"}, list: {"type": "array"}, ROLE: {"$ref": "#/$defs/role"}}


def test_schema_kinds_and_roles_match_the_registry():
    s = schema()
    rule = s["$defs"]["rule"]
    assert set(rule["properties"]["kind"]["enum"]) == set(KINDS)
    assert tuple(s["$defs"]["role"]["enum"]) == ROLES


def test_schema_rule_keys_are_fields_or_declared_parameters():
    props = schema()["$defs"]["rule"]["properties"]
    fields = set(Rule._fields) - {"params", "source"}
    params = {p: t for k in KINDS.values() for p, t in k.params.items()}
    assert set(props) == fields | set(params)
    for name, typ in params.items():
        want = _TYPES[typ]
        assert {k: props[name][k] for k in want if k in props[name]} == want, name


def _required_by_schema(kind: str) -> set[str]:
    need: set[str] = set()
    for cond in schema()["$defs"]["rule"].get("allOf", []):
        k = cond["if"].get("properties", {}).get("kind", {})
        if k.get("const") == kind or kind in k.get("enum", ()):
            need.update(cond["then"].get("required", ()))
    return need


@pytest.mark.parametrize("name", sorted(KINDS))
def test_schema_requires_what_each_kind_requires(name):
    k = KINDS[name]
    if name == "element":  # evidence or items: an anyOf, not a plain requirement
        return
    assert _required_by_schema(name) == set(k.required) | set(k.needs)


def test_every_rule_gives_only_its_kinds_parameters(ruleset):
    for name in [None, *ruleset.profiles]:
        for r in ruleset.with_profile(name).rules:
            extra = set(r.params) - set(KINDS[r.kind].params)
            assert not extra, f"rule {r.id} (kind {r.kind}) gives {sorted(extra)}, which its kind does not take"


def test_the_web_page_takes_its_marks_and_orders_from_the_one_table():
    """fzcheck serve's script and review module hold no status table of their own."""
    from pathlib import Path

    from fzcheck.app.serve import review, web
    from fzcheck.render.common import ORDER, STATUS

    serve = Path(web.__file__).parent
    script = (serve / "static" / "app.js").read_text(encoding="utf-8")
    assert not any(look.mark in script for look in STATUS.values() if look.mark)
    assert review.STATUS_ORDER is ORDER
    marks = __import__("json").loads(web.status_marks())
    assert marks == {s: look.mark for s, look in STATUS.items()}
