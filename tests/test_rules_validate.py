"""`fzcheck rules validate`: problems at the right line and column, semantic checks, safe loading."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from fzcheck.app.cli import cli
from fzcheck.errors import RuleSetError
from fzcheck.rules.load import collect_problems, load_ruleset

ROOT = Path(__file__).resolve().parents[1]
PROVINCE = ROOT / "examples" / "province-extra.yaml"

BASE = """\
id: mini
version: "1"
weights_total: 10
rules:
  - id: one
    title: 一
    severity: required
    weight: 6
    evidence:
      - any: ['法律顾问']
  - id: two
    title: 二
    severity: recommended
    weight: 4
    evidence:
      - any: ['政务公开']
"""


def write(tmp_path: Path, text: str, name: str = "rules.yaml") -> Path:
    p = tmp_path / name
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


def line_of(path: Path, needle: str) -> int:
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return n
    raise AssertionError(needle)


def col_of(path: Path, needle: str) -> int:
    line = path.read_text(encoding="utf-8").splitlines()[line_of(path, needle) - 1]
    return line.index(needle) + 1


def validate(*files):
    return CliRunner().invoke(cli, ["rules", "validate", *map(str, files)])


def test_a_clean_file_is_ok(tmp_path):
    p = write(tmp_path, BASE)
    res = validate(p)
    assert res.exit_code == 0 and res.output.strip() == f"{p}: ok"


def test_misspelt_key_is_reported_at_its_own_line_and_column(tmp_path):
    p = write(tmp_path, BASE.replace("    weight: 4", "    wieght: 4"))
    probs = collect_problems(str(p))
    where = {(x.line, x.column): x.message for x in probs}
    assert (line_of(p, "wieght"), 5) in where
    assert "unknown key 'wieght'" in where[(line_of(p, "wieght"), 5)]
    assert "rule 'two'" in where[(line_of(p, "wieght"), 5)]
    # the missing weight is reported too, at the rule
    assert any("'weight' is a required property" in m for m in where.values())
    res = validate(p)
    assert res.exit_code == 2
    assert f"{p}:{line_of(p, 'wieght')}:5: rule 'two': unknown key 'wieght'" in res.output


def test_wrong_enum_value_points_at_the_value_key(tmp_path):
    p = write(tmp_path, BASE.replace("severity: recommended", "severity: must"))
    (prob,) = collect_problems(str(p))
    assert (prob.line, prob.column) == (line_of(p, "severity: must"), 5)
    assert "'must' is not one of" in prob.message


def test_pattern_that_does_not_compile_points_at_the_pattern(tmp_path):
    p = write(tmp_path, BASE.replace("['政务公开']", "['政务(公开']"))
    (prob,) = collect_problems(str(p))
    assert (prob.line, prob.column) == (line_of(p, "政务(公开"), col_of(p, "'政务(公开'"))
    assert "rule 'two'" in prob.message and "does not compile" in prob.message


def test_duplicate_rule_id_is_reported_at_the_second_one(tmp_path):
    p = write(tmp_path, BASE.replace("id: two", "id: one"))
    probs = collect_problems(str(p))
    dup = [x for x in probs if "duplicate rule id" in x.message]
    assert len(dup) == 1 and dup[0].line == 11 and dup[0].column == 5


def test_weights_that_do_not_add_up(tmp_path):
    p = write(tmp_path, BASE.replace("weights_total: 10", "weights_total: 100"))
    (prob,) = collect_problems(str(p))
    assert (prob.line, prob.column) == (3, 1)
    assert "add up to 10, not 100" in prob.message


def test_unknown_section_role(tmp_path):
    p = write(tmp_path, BASE.replace("      - any: ['政务公开']", "      - any: ['政务公开']\n        counts_in: [summary]"))
    (prob,) = collect_problems(str(p))
    assert prob.line == line_of(p, "counts_in")
    assert "'summary' is not one of" in prob.message


def test_unknown_ids_in_overrides_disable_and_profiles(tmp_path):
    p = write(tmp_path, BASE + textwrap.dedent("""\
        disable: [three]
        overrides:
          rules:
            fourr: {weight: 2}
        profiles:
          township:
            rules:
              one: {severity: info}
              fivee: {enabled: false}
    """))
    msgs = {x.line: x.message for x in collect_problems(str(p))}
    assert "unknown rule id 'three'" in msgs[line_of(p, "disable: [three]")]
    assert "unknown rule id 'fourr'" in msgs[line_of(p, "fourr")]
    assert "profile 'township'" in msgs[line_of(p, "fivee")] and "'fivee'" in msgs[line_of(p, "fivee")]
    assert len(msgs) == 3  # 'one' is a known id


def test_yaml_syntax_error_has_line_and_column(tmp_path):
    p = write(tmp_path, "id: x\nversion: '1'\nrules:\n  - id: a\n    title: t\n   severity: required\n")
    res = validate(p)
    assert res.exit_code == 2
    assert res.output.startswith(f"{p}:6:4: invalid YAML")
    assert "Traceback" not in res.output


def test_key_written_twice_is_reported(tmp_path):
    p = write(tmp_path, BASE.replace("    weight: 6\n", "    weight: 6\n    weight: 6\n"))
    (prob,) = collect_problems(str(p))
    assert prob.line == 9 and "written twice" in prob.message


def test_python_tags_are_refused_and_never_run(tmp_path):
    marker = tmp_path / "pwned"
    p = write(tmp_path, f"id: x\nversion: !!python/object/apply:os.system ['touch {marker}']\nrules: []\n")
    with pytest.raises(RuleSetError) as err:
        load_ruleset(str(p))
    assert str(err.value).startswith(f"{p}:2:")
    assert "invalid YAML" in str(err.value)
    assert not marker.exists()


def test_check_with_a_broken_rule_set_is_one_line_and_exit_2(tmp_path, sample_path):
    p = write(tmp_path, BASE.replace("['政务公开']", "['政务(公开']"))
    res = CliRunner().invoke(cli, ["check", "-r", str(p), str(sample_path)])
    assert res.exit_code == 2
    lines = [x for x in res.output.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"fzcheck: {p}:{line_of(p, '政务(公开')}:")


def test_every_problem_is_listed_not_only_the_first(tmp_path):
    p = write(tmp_path, BASE.replace("severity: recommended", "severity: must").replace("title: 一", "titel: 一"))
    res = validate(p)
    assert res.exit_code == 2
    assert len(res.output.strip().splitlines()) >= 2


# -------------------------------------------------------------------- extends
def test_extends_relative_file_overrides_and_adds(tmp_path):
    write(tmp_path, BASE, "base.yaml")
    child = write(tmp_path, """\
        id: child
        version: "2"
        extends: base.yaml
        threshold: 80
        disable: [two]
        rules:
          - id: three
            title: 三
            severity: required
            weight: 2
            evidence:
              - any: ['述法']
        overrides:
          rules:
            one: {weight: 3, severity: recommended}
    """, "child.yaml")
    rs = load_ruleset(str(child))
    assert rs.id == "child" and rs.threshold == 80
    assert [r.id for r in rs.rules] == ["one", "three"]
    assert rs.rule("one").weight == 3 and rs.rule("one").severity == "recommended"
    # the base's weights_total is not inherited (the child changed the weights)
    assert rs.weights_total is None


def test_extends_missing_and_cycle(tmp_path):
    a = write(tmp_path, "id: a\nversion: '1'\nextends: b.yaml\nrules: []\n", "a.yaml")
    write(tmp_path, "id: b\nversion: '1'\nextends: a.yaml\nrules: []\n", "b.yaml")
    probs = collect_problems(str(a))
    assert any("cycle" in x.message for x in probs)
    c = write(tmp_path, "id: c\nversion: '1'\nextends: nowhere.yaml\nrules: []\n", "c.yaml")
    (prob,) = collect_problems(str(c))
    assert (prob.line, prob.column) == (3, 1) and "nowhere.yaml" in prob.message


def test_error_in_the_extended_file_names_that_file(tmp_path):
    write(tmp_path, BASE.replace("['政务公开']", "['政务(公开']"), "base.yaml")
    child = write(tmp_path, "id: child\nversion: '1'\nextends: base.yaml\n", "child.yaml")
    (prob,) = collect_problems(str(child))
    assert prob.file.endswith("base.yaml") and prob.line == line_of(tmp_path / "base.yaml", "政务(公开")


# -------------------------------------------------------------------- the shipped files
def test_shipped_and_example_rule_sets_validate():
    res = validate(ROOT / "rules" / "annual-report.yaml", PROVINCE)
    assert res.exit_code == 0, res.output
    assert res.output.count(": ok") == 2
