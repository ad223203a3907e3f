"""Start-up stays lean (issue 16): nothing compiled at import, nothing imported that a
`fzcheck check` of a text file does not use. Speed itself is measured in bench/run.py, not
here; these tests keep the structure that makes it fast."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "qinghe-town-2023.txt"

# what a check of a .txt report with a cached rule set never needs
NOT_NEEDED = ["yaml", "jsonschema", "fzcheck.app.serve", "fzcheck.app.annotate_cmd", "fzcheck.render.summary",
              "fzcheck.rules.validate", "fzcheck.engine.waivers", "zipfile", "docx", "lxml", "pdfminer",
              "importlib.resources", "opencc",  # opencc: the sample is simplified text (tests/test_t2s_skip.py)
              "pathlib", "fzcheck.rules.tailor", "fzcheck.rules.source", "hashlib", "tomllib", "importlib.util",
              "fzcheck.app.commands", "signal"]  # signal: batch uses _signal (no enum classes built)
# no class on that path is made by @dataclass (each would generate and exec its methods at
# every start; fzcheck.model.Record is the cheap replacement; the dataclasses module itself
# comes with orjson for --format json)

PROBE = r"""
import json, sys
import regex

def refuse(*a, **k):
    raise AssertionError("regex.compile at import")

real = regex.compile
regex.compile = refuse  # a module that compiles at import fails here
import fzcheck.app.cli, fzcheck.engine.check, fzcheck.engine.normalize, fzcheck.engine.frontmatter
regex.compile = real
from fzcheck.lazyre import LazyPattern
compiled = [f"{m}.{k}" for m, mod in list(sys.modules.items()) if m.startswith("fzcheck")
            for k, v in vars(mod).items() if isinstance(v, LazyPattern) and "_compiled" in vars(v)]
if sys.argv[1:]:
    sys.argv = ["fzcheck", "check", "--format", "json", sys.argv[1]]
    try:
        fzcheck.app.cli.main()
    except SystemExit:
        pass
made_by_dataclass = [f"{m}.{k}" for m, mod in list(sys.modules.items()) if m.startswith("fzcheck")
                     for k, v in vars(mod).items()
                     if isinstance(v, type) and v.__module__ == m and "__dataclass_fields__" in vars(v)]
print("\n" + json.dumps({"compiled_at_import": compiled, "modules": sorted(sys.modules),
                         "dataclasses": made_by_dataclass}))
"""


def _probe(tmp_path, *args: str) -> dict:
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
    env.pop("FZCHECK_NO_CACHE", None)
    env.pop("FZCHECK_CACHE_DIR", None)
    out = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, env=env,
                         cwd=tmp_path, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_no_pattern_is_compiled_at_import(tmp_path):
    assert _probe(tmp_path)["compiled_at_import"] == []


def test_a_cached_check_imports_only_what_it_uses(tmp_path):
    _probe(tmp_path, str(SAMPLE))  # fills the cache
    probe = _probe(tmp_path, str(SAMPLE))
    modules = set(probe["modules"])
    assert "fzcheck.engine.match" in modules  # it did check
    assert [m for m in NOT_NEEDED if m in modules] == []
    assert probe["dataclasses"] == []


def test_records_behave_as_the_dataclasses_they_replace():
    import copy
    import inspect
    import pickle

    import fzcheck.app.config
    import fzcheck.readers.limits
    import fzcheck.render
    import fzcheck.render.common
    import fzcheck.rules.load
    import fzcheck.rules.model
    import fzcheck.rules.profiles
    from fzcheck.model import Evidence, Record, Section, fields, replace

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    records = list(subclasses(Record))
    assert len(records) >= 20
    for cls in records:  # the constructor takes exactly the fields, in order; no instance dict
        params = list(inspect.signature(cls.__init__).parameters)[1:]
        assert tuple(params) == cls._fields == fields(cls), cls
        assert "__dict__" not in dir(cls) or cls.__dict__.get("__slots__") is not None, cls
    a = Evidence("t", "m", 3, "s", "achievements", "done")
    b = Evidence("t", "m", 3, "s", "achievements", "done")
    assert a == b and a is not b and a != replace(b, line=4) and a != ("t",)
    assert a.location == {} and a.location is not b.location  # a fresh default each time
    assert repr(a).startswith("Evidence(text='t', match='m', line=3, ")
    assert pickle.loads(pickle.dumps(a)) == a == copy.deepcopy(a)
    with pytest.raises(TypeError):
        hash(a)
    with pytest.raises(AttributeError):
        a.not_a_field = 1
    with pytest.raises(TypeError):
        replace(a, not_a_field=1)
    top = Section("h", "一、", 1, 1, 1, "achievements")
    top.children.append(Section("c", "（一）", 2, 2, 2, "achievements", parent=top))
    assert "parent=..." in repr(top)  # a cycle is shown once, as dataclasses do


def test_lazy_commands_are_listed_and_run():
    from click.testing import CliRunner

    from fzcheck.app.cli import cli

    help_text = CliRunner().invoke(cli, ["--help"]).output
    assert "annotate" in help_text and "serve" in help_text
    result = CliRunner().invoke(cli, ["annotate", "--help"])
    assert result.exit_code == 0 and "Usage" in result.output


def test_a_lazy_pattern_behaves_as_the_compiled_one():
    import pickle

    import regex

    from fzcheck import lazyre

    lazy = lazyre.compile(r"(\d{4})\s*年", regex.IGNORECASE)
    real = regex.compile(r"(\d{4})\s*年", regex.IGNORECASE)
    text = "2023年 与 2024 年"
    assert [m.group(1) for m in lazy.finditer(text)] == [m.group(1) for m in real.finditer(text)]
    assert lazy.sub("X", text) == real.sub("X", text)
    assert lazy.pattern == real.pattern and lazy.flags == real.flags
    assert pickle.loads(pickle.dumps(lazy)).search(text).group(1) == "2023"
