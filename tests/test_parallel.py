"""Batch checking gives the same answer however it is computed: one job or many, rule set
cached or not, JSON written at once or document by document, keyword prefilter or not.
(No timings here: speed targets live in bench/run.py.)"""
from __future__ import annotations

import io
import json
import re

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from fzcheck.engine.check import Options, check_path
from fzcheck.app.cli import cli
from fzcheck.app.batch import check_files, chunk_size, parse_jobs
from fzcheck.app.progress import Progress
from fzcheck.render.jsonfmt import JsonDocument, dumps, json_report
from fzcheck.render import Report, render

from .conftest import SAMPLE, SEEDS


def _variant(text: str, n: int) -> str:
    """A sibling of the sample: another place and year, a paragraph dropped."""
    places = ["白沙镇", "东坪乡", "柳河街道", "石门镇", "南湖乡", "金桥镇"]
    text = text.replace("青禾镇", places[n % len(places)])
    text = re.sub(r"2023", str(2019 + n % 5), text)
    text = re.sub(r"2024", str(2020 + n % 5), text)
    lines = text.splitlines()
    del lines[6 + n % 8]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> list[str]:
    """A small batch: the sample, variations of it, the seed reports when present, and
    files that fail (empty, missing), in a deliberate order."""
    folder = tmp_path_factory.mktemp("batch")
    text = SAMPLE.read_text(encoding="utf-8")
    paths = []
    for n in range(9):
        p = folder / f"v{n:02d}.txt"
        p.write_text(_variant(text, n), encoding="utf-8")
        paths.append(str(p))
    empty = folder / "empty.txt"
    empty.write_text("\n\n", encoding="utf-8")
    paths.insert(3, str(empty))
    paths.insert(7, str(folder / "missing.txt"))
    paths.append(str(SAMPLE))
    if SEEDS.is_dir():
        paths.extend(str(p) for p in sorted(SEEDS.glob("*.txt")))
    return paths


def _run(args, env=None):
    return CliRunner().invoke(cli, args, catch_exceptions=False, env=env)


def _json(tmp_path, paths, *extra, env=None, name="out.json"):
    out = tmp_path / name
    res = _run(["check", "--format", "json", "-o", str(out), *extra, *paths], env=env)
    assert res.exit_code in (0, 1, 2), res.output
    return out.read_text(encoding="utf-8"), res.exit_code


def test_one_job_and_many_jobs_give_the_same_json(batch, tmp_path):
    serial, code1 = _json(tmp_path, batch, "--jobs", "1", name="serial.json")
    pooled, code2 = _json(tmp_path, batch, "--jobs", "2", name="pooled.json")
    auto, code3 = _json(tmp_path, batch, "--jobs", "auto", name="auto.json")
    assert serial == pooled == auto
    assert code1 == code2 == code3 == 2  # the empty and the missing file are errors of their own
    data = json.loads(serial)
    assert [d["path"] for d in data["documents"]] == [p for p in batch if "empty" not in p and "missing" not in p]
    assert [e["path"] for e in data["errors"]] == [p for p in batch if "empty" in p or "missing" in p]


def test_cached_and_uncached_rule_sets_give_the_same_json(batch, tmp_path):
    env_cache = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "FZCHECK_NO_CACHE": None}
    cold, _ = _json(tmp_path, batch, "--jobs", "2", env=env_cache, name="cold.json")  # fills the cache
    warm, _ = _json(tmp_path, batch, "--jobs", "2", env=env_cache, name="warm.json")  # reads it
    off, _ = _json(tmp_path, batch, env={"FZCHECK_NO_CACHE": "1"}, name="off.json")
    assert cold == warm == off


def test_text_report_is_the_same_with_many_jobs(batch):
    one = _run(["check", "--no-color", "--jobs", "1", *batch])
    two = _run(["check", "--no-color", "--jobs", "2", *batch])
    assert one.exit_code == two.exit_code
    assert one.output == two.output


def _joined(pieces) -> str:
    return "".join(p.decode("utf-8") if isinstance(p, bytes) else p for p in pieces)


def test_streamed_json_is_the_renderers_json(batch, ruleset, tmp_path):
    """The document-by-document JSON equals the JSON renderer's output, errors and all."""
    ok = [p for p in batch if "empty" not in p and "missing" not in p][:5]
    docs = [check_path(p, ruleset, Options()) for p in ok]
    errors = [{"path": "x.txt", "error": "no such file"}]
    for lang in ("zh", "en"):
        for errs in ([], errors):
            whole = render(Report(ruleset.id, ruleset.version, docs, list(errs)), "json", lang)
            streamed = _joined(json_report(Report(ruleset.id, ruleset.version, [], list(errs)), lang,
                                           (JsonDocument(lang)(d) for d in docs)))
            assert streamed == whole
    report = Report(ruleset.id, ruleset.version, [], errors)
    report.profile = {"requested": "auto", "source": "command line"}
    assert _joined(json_report(report, "zh", iter(()))) == render(report, "json", "zh")
    report.documents = docs[:1]
    whole = render(report, "json", "zh")
    report.documents = []
    assert _joined(json_report(report, "zh", [JsonDocument("zh")(docs[0])])) == whole


def test_check_files_keeps_input_order_and_errors(batch, ruleset):
    for jobs in (1, 2, 3):
        got = list(check_files(batch, ruleset, Options(), jobs))
        assert [o.path for o in got] == batch
        assert [o.error is None for o in got] == [("empty" not in p and "missing" not in p) for p in batch]
        assert all(o.result.path == o.path for o in got if o.error is None)


def test_progress_only_on_a_terminal():
    class Tty(io.StringIO):
        def isatty(self):
            return True

    quiet = io.StringIO()
    bar = Progress(10, stream=quiet)
    for _ in range(10):
        bar(1)
    bar.close()
    assert quiet.getvalue() == ""
    tty = Tty()
    with Progress(10, stream=tty) as bar:
        bar(4)
        bar.clear()
        bar(6)
    shown = tty.getvalue()
    assert "4/10" in shown and "10/10" in shown and shown.endswith("\r")
    one = Tty()
    with Progress(1, stream=one) as bar:  # a single file is not a batch
        bar(1)
    assert one.getvalue() == ""


def test_progress_bar_never_reaches_stdout(batch, tmp_path):
    res = _run(["check", "--format", "json", "--jobs", "2", *batch[:4]])
    start = res.output.index("{")
    assert "\r" not in res.output[start:]
    json.loads(res.output[start:])


def test_parse_jobs():
    assert parse_jobs("1") == 1
    assert parse_jobs("3") == 3
    assert parse_jobs("0") == parse_jobs("auto") >= 1
    with pytest.raises(Exception):
        parse_jobs("many")
    with pytest.raises(Exception):
        parse_jobs("-2")
    assert chunk_size(2000, 2) == 32 and chunk_size(10, 4) == 1


# the values a report holds: text, whole numbers, scores and credits (a few decimals)
_PLAIN = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-2**63, max_value=2**63 - 1)
    | st.floats(min_value=-1e6, max_value=1e6).map(lambda x: round(x, 4))
    | st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(_PLAIN)
def test_json_output_is_what_json_dumps_writes(obj):
    """orjson writes what json.dumps(..., ensure_ascii=False, indent=2) wrote before it."""
    assert dumps(obj) == json.dumps(obj, ensure_ascii=False, indent=2)


def test_text_orjson_refuses_still_goes_out():
    assert json.loads(dumps({"text": "a\udc80b"})) == {"text": "a\udc80b"}


def test_json_file_and_stdout_are_the_renderers_output(batch, ruleset, tmp_path):
    ok = [p for p in batch if "empty" not in p and "missing" not in p][:4]
    expected = render(Report(ruleset.id, ruleset.version, [check_path(p, ruleset, Options()) for p in ok], []),
                      "json", "zh")
    filed, _ = _json(tmp_path, ok, "--jobs", "2", name="f.json")
    printed = _run(["check", "--format", "json", *ok]).output
    assert filed == printed == expected
