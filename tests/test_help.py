"""`--help` in Chinese by default and in English with --lang en; every command's and option's
help text has its Chinese (a new option without one fails here)."""
from __future__ import annotations

import subprocess
import sys

import click
import pytest

from fzcheck.app import helptext
from fzcheck.app.cli import cli


def _help(*args: str) -> str:
    out = subprocess.run([sys.executable, "-m", "fzcheck", *args], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return out.stdout


def _every_help_text() -> list[str]:
    texts = []

    def walk(cmd: click.Command, ctx: click.Context) -> None:
        texts.extend(x for x in (cmd.help, *(getattr(p, "help", None) for p in cmd.params)) if x)
        if isinstance(cmd, click.Group):
            for name in cmd.list_commands(ctx):
                sub = cmd.get_command(ctx, name)
                walk(sub, click.Context(sub, parent=ctx, info_name=name))

    walk(cli, click.Context(cli, info_name="fzcheck"))
    return texts


def test_every_help_text_has_its_chinese():
    missing = [t for t in _every_help_text() if helptext.translate(t) == t]
    assert not missing, missing


@pytest.mark.parametrize("args", [("--help",), ("check", "--help"), ("diff", "--help"), ("rules", "--help"),
                                  ("rules", "test", "--help"), ("annotate", "--help")])
def test_help_is_chinese_by_default(args):
    text = _help(*args)
    assert "用法：" in text and "选项：" in text
    assert "Usage:" not in text and "Show this message" not in text
    assert "[default" not in text


def test_check_help_in_chinese_names_the_options_in_chinese():
    text = _help("check", "--help")
    assert "退出码 0：全部报告通过" in text and "通过门槛分数" in text and "每份报告的时间限制" in text
    assert "Score threshold" not in text


def test_help_in_english_with_lang_en():
    text = _help("check", "--help", "--lang", "en")
    assert "Usage:" in text and "Score threshold of the gate" in text and "用法" not in text
    assert "Usage:" in _help("check", "--lang=en", "--help")


def test_the_group_lists_short_chinese_lines():
    text = _help("--help")
    assert "命令：" in text and "check     检查报告" in text and "serve     本机网页审阅一批报告。" in text
