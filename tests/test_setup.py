"""Setup a stranger can follow (issue 12, item 6): the README's first command makes its own
virtual environment (Debian and Ubuntu refuse pip into the system Python), .ci/run runs the
README's test command exactly, the pre-commit hook takes only what looks like a report, and
the README says where the tests' real reports come from and what is skipped without them."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _setup_commands() -> list[str]:
    section = README[README.index("## Set-up on a fresh machine"):README.index("## Usage")]
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", section, re.S)]


def test_first_command_makes_a_virtual_environment():
    first = _setup_commands()[0]
    assert first.startswith("python3 -m venv .venv && . .venv/bin/activate && pip install . && ")
    assert first.endswith("fzcheck check samples/qinghe-town-2023.txt")
    assert (ROOT / "samples" / "qinghe-town-2023.txt").is_file()


def test_ci_runs_the_readme_test_command_exactly():
    test_command = _setup_commands()[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command in ci.splitlines()
    assert "python3 -m venv .venv" in ci and ". .venv/bin/activate" in ci


def test_readme_says_where_the_real_reports_come_from():
    assert "../shared/corpus/seeds/" in README and "../shared/corpus/dev/" in README
    assert "skipped, each with the reason" in README


def test_pre_commit_hook_takes_only_reports():
    hook = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))[0]
    files, exclude = re.compile(hook["files"]), re.compile(hook["exclude"])

    def taken(path: str) -> bool:  # pre-commit: re.search on the path from the repository root
        return bool(files.search(path)) and not exclude.search(path)

    for path in ("drafts/qinghe-town-2023.txt", "reports/2023/county.docx", "2023年法治政府建设年度报告.docx",
                 "报告/某镇2023.pdf", "annual-report-2023.md", "草稿/第二稿.html"):
        assert taken(path), path
    for path in ("README.md", "docs/how-to.md", "docs/报告写法.md", "notes.md", "CONTRIBUTING.md",
                 "src/app.py", "index.html", "drafts/README.md", "reports/logo.png"):
        assert not taken(path), path
