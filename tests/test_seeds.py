"""The five real reports of ../shared/corpus/seeds, checked against what a careful reviewer found.

Skipped, with the reason, where ../shared is not beside the checkout."""
import pytest
import yaml

from fzcheck.engine.check import check_path

STATUS = {"pass": "done", "plan_only": "plan_only", "problem_only": "problem_only", "missing": "absent",
          "negated": "absent"}
SECTIONS = {"achievements": "structure.achievements", "shortcomings": "structure.shortcomings",
            "causes": "structure.causes", "first_responsible": "structure.first-responsible",
            "next_year": "structure.next-year"}


@pytest.fixture(scope="module")
def checked(seeds_dir, ruleset):
    expected = yaml.safe_load((seeds_dir / "expected.yaml").read_text(encoding="utf-8"))
    return {name: (labels, check_path(str(seeds_dir / name), ruleset)) for name, labels in expected.items()}


def cases(kind):
    from tests.conftest import SEEDS

    if not (SEEDS / "expected.yaml").exists():
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"{SEEDS} is absent"))]
    expected = yaml.safe_load((SEEDS / "expected.yaml").read_text(encoding="utf-8"))
    out = []
    for name, labels in expected.items():
        for key, value in labels.items():
            if kind == "element" and isinstance(value, str) and value in STATUS.values():
                out.append(pytest.param((name, key, None, value), id=f"{name}:{key}"))
            elif kind == "element" and isinstance(value, dict) and key != "sections":
                for item, status in value.items():
                    if item != "collective":
                        out.append(pytest.param((name, key, item, status), id=f"{name}:{key}/{item}"))
            elif kind == "section" and key == "sections":
                for part, present in value.items():
                    if present in (True, False):
                        out.append(pytest.param((name, SECTIONS[part], present), id=f"{name}:{part}"))
    return out


def rule(result, rid):
    return next(r for r in result.results if r.id == rid)


@pytest.mark.parametrize("case", cases("element"))
def test_element_status_matches_reviewer(checked, case):
    name, rid, item, want = case
    _, result = checked[name]
    r = rule(result, rid)
    got = next(i for i in r.items if i.id == item).status if item else r.finding
    # "absent" covers both "not mentioned" and "stated as lacking"
    assert STATUS[got] == want


@pytest.mark.parametrize("case", cases("section"))
def test_parts_match_reviewer(checked, case):
    name, rid, present = case
    _, result = checked[name]
    assert (rule(result, rid).status == "pass") is present


def test_year_and_publication_date(checked):
    for name, (labels, result) in checked.items():
        assert result.year == labels["year"], name
        published = labels.get("published")
        assert result.published == (str(published) if published else None), name


def test_quantified_and_placeholders(checked):
    for name, (labels, result) in checked.items():
        assert (rule(result, "quantified-results").status == "pass") is labels["quantified-results"], name
        assert (rule(result, "placeholders").status == "fail") is labels["placeholders"], name


def test_template_report_fails_the_gate_on_placeholders(checked):
    _, result = checked["xx-county-template-traditional.txt"]
    ph = rule(result, "placeholders")
    assert ph.status == "fail" and not result.passed
    assert any("xx" in e.match.lower() for e in ph.evidence)
