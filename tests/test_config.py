"""Configuration files: discovery upward, pyproject.toml, precedence, `fzcheck config`."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from fzcheck.app.cli import cli
from fzcheck.app.config import effective, find_config

ROOT = Path(__file__).resolve().parents[1]
PROVINCE = ROOT / "examples" / "province-extra.yaml"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def project(tmp_path, monkeypatch, sample_path):
    """A drafts folder with a configuration at its top and the sample two levels down."""
    top = tmp_path / "drafts"
    deep = top / "2023" / "towns"
    deep.mkdir(parents=True)
    (deep / "qinghe.txt").write_text(sample_path.read_text(encoding="utf-8"), encoding="utf-8")
    (top / "rules").mkdir()
    (top / "rules" / "prov.yaml").write_text(PROVINCE.read_text(encoding="utf-8"), encoding="utf-8")
    (top / "waivers.yaml").write_text("- rule: province.business-environment\n  reason: 本省2024年起执行\n",
                                      encoding="utf-8")
    monkeypatch.chdir(deep)
    return top


def test_found_upward_and_paths_relative_to_it(project):
    (project / "fzcheck.yaml").write_text("rules: rules/prov.yaml\nprofile: auto\nformat: json\n", encoding="utf-8")
    assert find_config() == project / "fzcheck.yaml"
    settings, path = effective()
    assert path == str(project / "fzcheck.yaml")
    assert settings["rules"].value == str(project / "rules" / "prov.yaml")
    assert settings["rules"].source == str(project / "fzcheck.yaml")
    assert settings["lang"].value == "zh" and settings["lang"].source == "default"
    res = run("check", "qinghe.txt")
    data = json.loads(res.stdout)  # format json from the file
    assert data["ruleset"]["id"] == "example-province"
    doc = data["documents"][0]
    assert doc["profile"]["name"] == "township" and doc["threshold"] == 70
    assert doc["profile"]["source"].startswith("auto (config ")


def test_command_line_wins(project):
    (project / ".fzcheck.yaml").write_text("format: json\nthreshold: 99\nprofile: county\n", encoding="utf-8")
    res = run("check", "--format", "text", "--fail-under", "50", "qinghe.txt")
    assert res.exit_code == 0, res.output
    assert "门槛 50" in res.output
    assert "单位类别: 县级以上人民政府；配置文件" in res.output  # profile still from the file
    res = run("check", "qinghe.txt")
    assert json.loads(res.stdout)["documents"][0]["threshold"] == 99 and res.exit_code == 1


def test_pyproject_table(project):
    (project / "pyproject.toml").write_text('[project]\nname = "drafts"\n\n[tool.fzcheck]\nlang = "en"\n'
                                            'waivers = "waivers.yaml"\nrules = "rules/prov.yaml"\n', encoding="utf-8")
    res = run("check", "--format", "json", "qinghe.txt")
    doc = json.loads(res.stdout)["documents"][0]
    assert doc["grade"] in ("excellent", "good")
    waived = next(r for r in doc["results"] if r["id"] == "province.business-environment")
    assert waived["status"] == "waived" and waived["waiver"]["reason"] == "本省2024年起执行"
    assert doc["passed"] is True and res.exit_code == 0


def test_nearest_configuration_wins_and_pyproject_without_table_is_skipped(project):
    (project / "fzcheck.yaml").write_text("lang: en\n", encoding="utf-8")
    (project / "2023" / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert find_config() == project / "fzcheck.yaml"
    (project / "2023" / "fzcheck.yaml").write_text("lang: zh\n", encoding="utf-8")
    assert find_config() == project / "2023" / "fzcheck.yaml"


def test_config_command_prints_values_and_sources(project):
    (project / "fzcheck.yaml").write_text("profile: auto\nthreshold: 70\n", encoding="utf-8")
    res = run("config", "--lang", "en")
    assert res.exit_code == 0
    lines = res.output.splitlines()
    assert lines[0] == f"configuration file: {project / 'fzcheck.yaml'}"
    assert f"profile    auto  ({project / 'fzcheck.yaml'})" in lines
    assert "threshold  70  (" + str(project / "fzcheck.yaml") + ")" in lines
    assert "lang       en  (command line)" in lines
    assert "format     text  (default)" in lines


def test_config_command_without_file_shows_the_rule_set_threshold(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    res = run("config")
    assert "configuration file: (none found)" in res.output
    assert "threshold  -  (default: the rule set's 60)" in res.output


@pytest.mark.parametrize("text,needle", [
    ("formt: json\n", "unknown key 'formt'"),
    ("format: xml\n", "unknown format 'xml'"),
    ("threshold: high\n", "'threshold' must be a number"),
    ("lang: fr\n", "unknown language 'fr'"),
])
def test_bad_configuration_is_one_line_exit_2(project, text, needle):
    (project / "fzcheck.yaml").write_text("profile: auto\n" + text, encoding="utf-8")
    res = run("check", "qinghe.txt")
    assert res.exit_code == 2
    assert res.output.startswith(f"fzcheck: {project / 'fzcheck.yaml'}:2:1: ")
    assert len(res.output.strip().splitlines()) == 1
    assert needle in res.output


def test_explicit_config_option(tmp_path, sample_path):
    cfg = tmp_path / "other.yaml"
    cfg.write_text("format: json\n", encoding="utf-8")
    res = run("check", "--config", cfg, sample_path)
    assert json.loads(res.stdout)["documents"][0]["passed"] is True
