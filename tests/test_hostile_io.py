"""Hostile conditions around the run (issue 13): what -o may touch, batches whose workers die
or that are interrupted, rule-set/configuration/waiver files that are bombs, and text that
lies. Every case runs the real command under a small time and memory limit and asserts one
line naming the file, exit 2 (or a correct judgement), no traceback, and that nothing else
on disk changed. Inputs come from small generators; nothing large is stored."""
from __future__ import annotations

import json
import os
import resource
import signal
import struct
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

GOOD = ("某镇2023年法治政府建设年度报告\n一、2023年主要举措和成效\n成立了法治建设领导小组，聘请常年法律顾问。\n"
        "二、存在的不足和原因\n执法力量不足，究其原因是编制少。\n三、2024年工作安排\n继续努力。\n")
LIMIT_S = 20
LIMIT_AS = 2 << 30


def _limits():
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_AS, LIMIT_AS))


def fz(*args, cwd=None, timeout=LIMIT_S, env=None, **kw):
    """The real command, under a time and an address-space limit."""
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "fzcheck", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=timeout, preexec_fn=_limits, env={**os.environ, **(env or {})}, **kw)
    proc.seconds = time.monotonic() - started
    return proc


def one_line(proc, name: str) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stderr
    assert name in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def good(tmp_path):
    p = tmp_path / "r.txt"
    p.write_text(GOOD, encoding="utf-8")
    return p


def _snapshot(folder: Path) -> dict[str, tuple]:
    out = {}
    for p in sorted(folder.rglob("*")):
        st = p.lstat()
        content = p.read_bytes() if stat.S_ISREG(st.st_mode) else (os.readlink(p) if p.is_symlink() else None)
        out[str(p)] = (stat.S_IFMT(st.st_mode), st.st_ino, content)
    return out


# -- F1: -o writes only what the user named ---------------------------------------------
def test_output_to_a_fifo_is_written_through_and_stays_a_fifo(tmp_path, good):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    proc = fz("check", "-f", "json", "-o", fifo, good)
    got = reader.communicate(timeout=LIMIT_S)[0]
    assert proc.returncode == 1, proc.stderr
    assert json.loads(got)["documents"][0]["path"] == str(good)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    # nobody reads it: refused in one line, not blocked
    proc = fz("check", "-o", fifo, good)
    one_line(proc, "fifo")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_output_through_a_symlink_keeps_the_link(tmp_path, good):
    target = tmp_path / "target.json"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(target.name)
    proc = fz("check", "-f", "json", "-o", link, good)
    assert proc.returncode == 1, proc.stderr
    assert link.is_symlink() and os.readlink(link) == target.name
    assert json.loads(target.read_text(encoding="utf-8"))["documents"]
    assert not list(tmp_path.glob(".fzcheck-*"))


@pytest.mark.skipif(os.geteuid() != 0, reason="mknod of a character device needs root")
def test_output_to_a_character_device_is_written_into_not_replaced(tmp_path, good):
    dev = tmp_path / "fakenull"
    os.mknod(dev, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a /dev/null of our own
    before = dev.lstat()
    proc = fz("check", "-o", dev, good)
    assert proc.returncode == 1, proc.stderr
    after = dev.lstat()
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev and after.st_ino == before.st_ino


def test_output_to_a_folder_or_the_input_is_refused_before_any_work(tmp_path, good):
    folder = tmp_path / "adir"
    folder.mkdir()
    (folder / "keep.txt").write_text("x")
    before = _snapshot(tmp_path)
    for args, name in ((["-o", folder, good], "adir"), (["-o", good, good], "r.txt"),
                       (["-o", tmp_path / "missing" / "x.json", good], "x.json")):
        one_line(fz("check", *args), name)
        one_line(fz("check", "--lang", "en", *args), name)
    one_line(fz("diff", good, good, "-o", folder), "adir")
    assert _snapshot(tmp_path) == before


def test_output_with_other_hard_links_keeps_them(tmp_path, good):
    out = tmp_path / "out.txt"
    out.write_text("old")
    twin = tmp_path / "twin.txt"
    os.link(out, twin)
    assert fz("check", "-o", out, good).returncode == 1
    assert out.stat().st_ino == twin.stat().st_ino and twin.read_text(encoding="utf-8") != "old"


def test_english_error_lines_with_lang_en(tmp_path, good):
    line = one_line(fz("check", "--lang", "en", "-o", tmp_path, good), str(tmp_path))
    assert "folder" in line
    line = one_line(fz("check", "-o", tmp_path, good), str(tmp_path))
    assert "文件夹" in line


# -- F2: a batch never hangs, and answers for every file ---------------------------------
def _batch(tmp_path, n):
    b = tmp_path / "b"
    b.mkdir()
    for i in range(n):
        (b / f"r{i:04d}.txt").write_text(GOOD, encoding="utf-8")
    return b


def _children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return [int(x) for x in out]


def test_a_worker_killed_mid_batch_costs_at_most_its_file(tmp_path):
    b = _batch(tmp_path, 400)
    out = tmp_path / "out.json"
    p = subprocess.Popen([sys.executable, "-m", "fzcheck", "check", "--jobs", "2", "-f", "json", "-o", str(out),
                          str(b)], stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 10
    workers: list[int] = []
    while time.monotonic() < deadline and not workers:
        workers = _children(p.pid)
        time.sleep(0.05)
    assert workers, "no worker started"
    time.sleep(0.3)
    try:
        os.kill(workers[0], signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        err = p.communicate(timeout=60)[1]
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        pytest.fail("the batch hung after a worker died")
    assert "Traceback" not in err
    assert p.returncode in (1, 2), err
    report = json.loads(out.read_text(encoding="utf-8"))
    answered = len(report["documents"]) + len(report["errors"])
    assert answered == 400
    assert len(report["errors"]) <= 1  # the file that killed the worker (none if it was between files)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_batch_ends_at_once_leaving_nothing(tmp_path, sig):
    b = _batch(tmp_path, 1500)
    out = tmp_path / "out.json"
    out.write_text("previous", encoding="utf-8")
    p = subprocess.Popen([sys.executable, "-m", "fzcheck", "check", "--jobs", "2", "-f", "json", "-o", str(out),
                          str(b)], stderr=subprocess.PIPE, text=True, start_new_session=True,
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not _children(p.pid):
        time.sleep(0.05)
    time.sleep(0.5)
    workers = _children(p.pid)
    sent = time.monotonic()
    if sig == signal.SIGINT:
        os.killpg(p.pid, sig)  # Ctrl-C reaches the whole group
    else:
        os.kill(p.pid, sig)  # CI cancels the parent
    try:
        err = p.communicate(timeout=10)[1]
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        pytest.fail("the batch hung after " + signal.Signals(sig).name)
    assert time.monotonic() - sent < 5
    assert "Traceback" not in err and len([ln for ln in err.splitlines() if ln.strip()]) <= 2, err
    assert p.returncode in (130, 143), p.returncode
    assert out.read_text(encoding="utf-8") == "previous"
    assert not list(tmp_path.glob(".fzcheck-*"))
    time.sleep(0.3)
    for w in workers:  # no worker outlives the run
        try:
            os.kill(w, 0)
            state = Path(f"/proc/{w}/stat").read_text().split()[2]
            assert state == "Z", f"worker {w} still running"
        except (ProcessLookupError, FileNotFoundError):
            pass


def test_every_other_file_of_a_batch_is_reported(tmp_path):
    b = _batch(tmp_path, 6)
    (b / "bad.txt").write_bytes(b"\x00\x01binary")
    (b / "lines.txt").write_text("甲\n" * 150_000, encoding="utf-8")
    for jobs in ("1", "2"):
        proc = fz("check", "--jobs", jobs, "-f", "json", b)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr
        report = json.loads(proc.stdout)
        assert len(report["documents"]) == 6 and len(report["errors"]) == 2
        assert len(proc.stderr.strip().splitlines()) == 2


# -- F3/F6: one budget per document --------------------------------------------------------
def test_the_per_document_timeout_ends_a_slow_file_with_one_line(tmp_path):
    p = tmp_path / "slow.txt"
    # one long line of many short clauses (3.9 MB): over a second of reading and matching on
    # the 2-core machine, several times the 0.2-s budget
    p.write_text("成立了法治建设领导小组，聘请了常年法律顾问，" * 60000, encoding="utf-8")
    proc = fz("check", "--timeout", "0.2", p)
    line = one_line(proc, "slow.txt")
    assert "0.2" in line and proc.seconds < 10


def test_too_many_lines_of_plain_text_are_refused_early(tmp_path):
    p = tmp_path / "lines.txt"
    p.write_bytes(b"a\n" * 1_000_000)
    proc = fz("check", p)
    one_line(proc, "lines.txt")
    assert proc.seconds < 10


@pytest.mark.parametrize("value", ["abc", "1e999", "-5MB", "nan"])
def test_absurd_option_values_are_usage_errors(good, value):
    proc = fz("check", "--max-size", value, good)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


@pytest.mark.parametrize("value", ["nan", "150", "-1"])
def test_fail_under_out_of_range_is_a_usage_error(good, value):
    proc = fz("check", "--fail-under", value, good)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


# -- F5/F8: YAML inputs are bounded ---------------------------------------------------------
def _bomb(key: str) -> str:
    lines = ["a0: &a0 ['lol']"] + [f"a{i}: &a{i} [{', '.join(['*a%d' % (i - 1)] * 9)}]" for i in range(1, 10)]
    return "x: &x\n" + "\n".join("  " + ln for ln in lines) + f"\n{key}: *x\n"


@pytest.mark.parametrize("option,key", [("--config", "format"), ("-r", "id"), ("--waivers", "reason")])
def test_alias_bombs_are_refused_at_once(tmp_path, good, option, key):
    p = tmp_path / "bomb.yaml"
    p.write_text(_bomb(key), encoding="utf-8")
    proc = fz("check", option, p, good, env={"FZCHECK_NO_CACHE": "1"})
    one_line(proc, "bomb.yaml")
    assert proc.seconds < 10


@pytest.mark.parametrize("option", ["--config", "-r", "--waivers"])
def test_deep_nesting_nul_and_special_files_are_one_line(tmp_path, good, option):
    deep = tmp_path / "deep.yaml"
    deep.write_text("[" * 20000 + "]" * 20000, encoding="utf-8")
    nul = tmp_path / "nul.yaml"
    nul.write_bytes(b"a: b\x00c\n")
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    for p in (deep, nul, fifo, Path("/dev/zero")):
        proc = fz("check", option, p, good, env={"FZCHECK_NO_CACHE": "1"})
        one_line(proc, p.name)
        assert proc.seconds < 10


@pytest.mark.parametrize("field", ["weight: .nan", "weight: .inf", "threshold: .nan", "weight: 9" + "9" * 5000])
def test_nan_infinity_and_huge_numbers_in_a_rule_set_are_refused(tmp_path, good, field):
    from fzcheck.rules.load import rules_dir

    text = (rules_dir() / "annual-report.yaml").read_text(encoding="utf-8")
    key, value = field.split(": ")
    import re

    text = re.sub(rf"(?m)^(\s*){key}: .*$", lambda m: f"{m.group(1)}{key}: {value}", text, count=1)
    p = tmp_path / "nan.yaml"
    p.write_text(text, encoding="utf-8")
    one_line(fz("check", "-r", p, good, env={"FZCHECK_NO_CACHE": "1"}), "nan.yaml")


def test_a_pyproject_nested_deeply_in_a_parent_folder_breaks_nothing(tmp_path, good):
    (tmp_path / "pyproject.toml").write_text("[tool.fzcheck]\nx = " + "[" * 5000 + "]" * 5000 + "\n")
    proc = fz("check", good, cwd=tmp_path)
    assert proc.returncode in (1, 2) and "Traceback" not in proc.stderr


# -- F4/F10: patterns and the cache ----------------------------------------------------------
def test_a_slow_pattern_is_bounded_across_the_whole_document(tmp_path):
    rules = tmp_path / "slow.yaml"
    rules.write_text(
        "id: slow\nversion: '1'\nthreshold: 60\nrules:\n"
        "  - id: slow\n    title: {zh: 慢, en: slow}\n    group: element\n    severity: required\n    weight: 1\n"
        "    kind: element\n    evidence:\n      - any: ['(a|aa)+$']\n", encoding="utf-8")
    report = tmp_path / "aaa.txt"
    report.write_text("\n".join("a" * 27 + "b" for _ in range(200)), encoding="utf-8")
    proc = fz("check", "-r", rules, report, env={"FZCHECK_NO_CACHE": "1"}, timeout=60)
    if proc.returncode == 2:
        assert "Traceback" not in proc.stderr and ("slow" in proc.stderr or "aaa.txt" in proc.stderr)
    assert proc.seconds < 45


def test_cache_entries_written_by_someone_else_are_ignored(tmp_path, good):
    cache = tmp_path / "c"
    env = {"FZCHECK_CACHE_DIR": str(cache), "XDG_CONFIG_HOME": str(tmp_path / "cfg1")}
    first = fz("check", "-f", "json", good, env=env)
    assert list(cache.iterdir())
    # another user (another key) finds the same entries: they are not trusted, same result
    other = fz("check", "-f", "json", good, env={**env, "XDG_CONFIG_HOME": str(tmp_path / "cfg2")})
    assert json.loads(other.stdout)["documents"][0]["score"] == json.loads(first.stdout)["documents"][0]["score"]
    for entry in cache.iterdir():  # a FIFO in place of an entry is never opened for reading
        entry.unlink()
        os.mkfifo(entry)
    proc = fz("check", "-f", "json", good, env=env)
    assert proc.returncode == 1 and proc.seconds < 10


# -- F7, F9, F11, F14, F15, F18: text is data -------------------------------------------------
def test_a_page_declaring_latin1_over_utf8_is_read_as_utf8(tmp_path):
    p = tmp_path / "page.html"
    body = "".join(f"<p>{ln}</p>" for ln in GOOD.splitlines())
    p.write_bytes(f'<html><head><meta charset="iso-8859-1"></head><body>{body}</body></html>'.encode("utf-8"))
    proc = fz("check", "-f", "json", p)
    doc = json.loads(proc.stdout)["documents"][0]
    assert next(r for r in doc["results"] if r["id"] == "leading-group")["status"] == "pass"


def test_line_numbers_are_grep_n_numbers(tmp_path):
    p = tmp_path / "ff.txt"
    p.write_text("某镇2023年法治政府建设年度报告\f\n一、2023年主要举措和成效\u2028\n成立了法治建设领导小组，聘请常年法律顾问。\n",
                 encoding="utf-8")
    doc = json.loads(fz("check", "-f", "json", p).stdout)["documents"][0]
    ev = next(r for r in doc["results"] if r["id"] == "leading-group")["evidence"][0]
    assert ev["line"] == 3


@pytest.mark.parametrize("fmt", ["json", "sarif", "html", "text", "csv"])
def test_a_file_name_that_is_not_utf8_is_checked_and_written_escaped(tmp_path, fmt):
    d = tmp_path / "d"
    d.mkdir()
    name = os.fsencode(str(d)) + b"/" + "报告".encode("gbk") + b".txt"
    with open(name, "w", encoding="utf-8") as fh:
        fh.write(GOOD)
    out = tmp_path / f"out.{fmt}"
    args = ["check", "-f", fmt, "-o", out, d] if fmt != "csv" else ["check", "--summary", "-f", "csv", "-o", out, d]
    proc = fz(*args)
    assert proc.returncode == 1, proc.stderr
    out.read_bytes().decode("utf-8")  # valid UTF-8


def test_a_gbk_terminal_gets_escapes_not_a_crash(good):
    proc = fz("check", good, env={"PYTHONIOENCODING": "gbk"}, errors="replace")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr


def test_a_closed_stdout_is_one_line(good):
    proc = subprocess.run([sys.executable, "-m", "fzcheck", "check", str(good)], stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, timeout=LIMIT_S,
                          preexec_fn=lambda: os.close(1))
    assert "Traceback" not in proc.stderr


def test_a_folder_walk_stays_inside_the_folder(tmp_path, good):
    d = tmp_path / "reports"
    d.mkdir()
    (d / "ok.txt").write_text(GOOD, encoding="utf-8")
    (d / "root").symlink_to("/")
    secret = tmp_path / "secret.txt"
    secret.write_text(GOOD, encoding="utf-8")
    (d / "secret.txt").symlink_to(secret)
    proc = fz("check", "-f", "json", d)
    docs = json.loads(proc.stdout)["documents"]
    assert [Path(x["path"]).name for x in docs] == ["ok.txt"]
    assert proc.seconds < 10 and "root" in proc.stderr and "secret.txt" in proc.stderr


def test_terminal_escapes_in_a_report_and_a_name_are_neutralised(tmp_path):
    p = tmp_path / "esc\x1b]0;TITLE\x07.txt"
    p.write_text(GOOD.replace("成立了", "\x1b]52;c;aGk=\x07成立了"), encoding="utf-8")
    proc = fz("check", p)
    assert "\x1b]" not in proc.stdout and "\x07" not in proc.stdout
    bad = tmp_path / "line\nbreak.txt"
    bad.write_bytes(b"\x00\x01")
    proc = fz("check", bad)
    one_line(proc, "break.txt")


# -- F3: tiny structured files ------------------------------------------------------------------
def _docx(tmp_path, name: str, body: str, notes: str | None = None, numbering: str | None = None) -> Path:
    import zipfile

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    p = tmp_path / name
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>')
        z.writestr("word/document.xml", f'<?xml version="1.0"?><w:document {w}><w:body>{body}</w:body></w:document>')
        if notes is not None:
            z.writestr("word/footnotes.xml", f'<?xml version="1.0"?><w:footnotes {w}>{notes}</w:footnotes>')
        if numbering is not None:
            z.writestr("word/numbering.xml", f'<?xml version="1.0"?><w:numbering {w}>{numbering}</w:numbering>')
    return p


def _para(text: str, extra: str = "") -> str:
    return f"<w:p>{extra}<w:r><w:t>{text}</w:t></w:r></w:p>"


def test_docx_footnote_fan_out_is_read_once(tmp_path):
    refs = lambda n: "<w:r>" + '<w:footnoteReference w:id="%s"/>' % n * 2000 + "</w:r>"  # noqa: E731
    body = "".join(_para(ln) for ln in GOOD.splitlines()) + f"<w:p>{refs(1)}</w:p>"
    notes = (f'<w:footnote w:id="1"><w:p>{refs(2)}</w:p></w:footnote>'
             f'<w:footnote w:id="2"><w:p>{refs(3)}</w:p></w:footnote><w:footnote w:id="3"><w:p/></w:footnote>')
    proc = fz("check", _docx(tmp_path, "fan.docx", body, notes))
    assert proc.returncode == 1 and proc.seconds < 10, proc.stderr


def test_docx_roman_numbers_from_a_trillion_and_odd_values(tmp_path):
    numbering = ('<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1000000000000"/>'
                 '<w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'
                 '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>')
    num = '<w:pPr><w:numPr><w:ilvl w:val="abc"/><w:numId w:val="1"/></w:numPr></w:pPr>'
    body = "".join(_para(ln, num if i == 1 else "") for i, ln in enumerate(GOOD.splitlines()))
    body += '<w:p><w:r><w:sym w:char="D800"/><w:sym w:char="' + "F" * 5000 + '"/></w:r></w:p>'
    proc = fz("check", _docx(tmp_path, "roman.docx", body, numbering=numbering))
    assert proc.returncode == 1 and proc.seconds < 10, proc.stderr


def test_docx_nested_text_boxes(tmp_path):
    box = _para("甲")
    for _ in range(30):
        box = ('<w:p><w:r><w:drawing><w:txbxContent>' + box + '</w:txbxContent></w:drawing></w:r></w:p>')
    body = "".join(_para(ln) for ln in GOOD.splitlines()) + box
    proc = fz("check", _docx(tmp_path, "boxes.docx", body))
    assert proc.returncode == 1 and proc.seconds < 10, proc.stderr


def test_html_with_hundreds_of_thousands_of_attributes(tmp_path):
    p = tmp_path / "attrs.html"
    attrs = " ".join(f"a{i}=x" for i in range(200_000))
    p.write_text(f"<html><body><div {attrs}>{GOOD}</div></body></html>", encoding="utf-8")
    proc = fz("check", p)
    one_line(proc, "attrs.html")
    assert proc.seconds < 10


def test_a_text_mentioning_pdf_magic_is_a_text(tmp_path):
    p = tmp_path / "r.txt"
    p.write_text(GOOD.replace("继续努力。", "附件格式为%PDF-1.7。"), encoding="utf-8")
    assert fz("check", p).returncode == 1


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the pool forks its workers on Linux only")
def test_a_dead_worker_is_noticed_even_when_the_executor_misses_it():
    """Some CPython versions' executor can miss (or hang on) a worker killed at the wrong moment,
    so its futures are never marked broken; the batch looks at its workers itself. Here the
    future waited on is one the executor never completes: only that look can end the wait."""
    from concurrent.futures import Future

    from fzcheck.app.batch import _Pool
    from fzcheck.rules.load import load_ruleset
    from fzcheck.engine.check import Options

    pool = _Pool(1, (load_ruleset(), Options(), None, None))
    try:
        assert pool.submit(os.getpid).result(timeout=30) != os.getpid()
        never = Future()
        assert pool.wait([never], 0.5) == (set(), False)  # alive: waits its limit, nothing lost
        os.kill(pool.processes()[0].pid, signal.SIGKILL)
        started = time.monotonic()
        assert pool.wait([never], 60) == (set(), True)
        assert time.monotonic() - started < 5
    finally:
        pool.kill()


def _half_an_answer(fd: int) -> None:
    """In a worker: write the start of a long answer to the result pipe, then die."""
    os.write(fd, struct.pack("!i", 1 << 20) + b"\0" * 16)
    os.kill(os.getpid(), signal.SIGKILL)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the pool forks its workers on Linux only")
def test_a_worker_dying_mid_answer_leaves_no_thread_that_would_hang_the_exit():
    """A worker killed while writing its answer leaves half a message in the result pipe; the
    executor's manager thread then waits for the rest, and the interpreter would hang at exit
    joining it (CI saw `check --jobs 2` never end after a worker was killed). Killing the pool
    must end that thread."""
    from fzcheck.app.batch import _Pool
    from fzcheck.engine.check import Options
    from fzcheck.rules.load import load_ruleset

    pool = _Pool(1, (load_ruleset(), Options(), None, None))
    writer = pool.ex._result_queue._writer
    thread = None
    try:
        pool.submit(_half_an_answer, writer.fileno())
        thread = pool.ex._executor_manager_thread
        deadline = time.monotonic() + 10
        while not pool.lost_a_worker() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert pool.lost_a_worker()
        time.sleep(0.3)
        assert thread.is_alive()  # stuck reading the rest of the answer
        pool.kill()
        thread.join(5)
        assert not thread.is_alive()
    finally:
        if thread is not None and thread.is_alive():  # let this test process end anyway
            writer.close()


_CPU_PROBE = r"""
import resource, sys, threading, time
from fzcheck.app.batch import _Guard, Limits

def burn(seconds):
    x = time.process_time()
    while time.process_time() - x < seconds:
        pass

before = resource.getrlimit(resource.RLIMIT_CPU)
if sys.argv[1] == "many":
    inside = []
    for _ in range(3):
        with _Guard(Limits(timeout=0.2), cpu=True):
            used = resource.getrusage(resource.RUSAGE_SELF)
            inside.append((resource.getrlimit(resource.RLIMIT_CPU), used.ru_utime + used.ru_stime))
            burn(0.1)
    print(repr((before, inside, resource.getrlimit(resource.RLIMIT_CPU))))
else:  # a document the interval timer cannot stop (not the main thread): the CPU limit ends it
    def doc():
        with _Guard(Limits(timeout=0.1), cpu=True):
            burn(30)
    t = threading.Thread(target=doc)
    t.start()
    t.join()
    print("survived")
"""


@pytest.mark.skipif(not hasattr(resource, "RLIMIT_CPU"), reason="needs RLIMIT_CPU")
def test_the_cpu_backstop_limits_each_document_not_the_workers_life(tmp_path):
    """A worker checks many documents: its CPU limit is this document's budget beyond what it
    has spent, a soft limit only (a hard limit lowered once can never be raised again, which
    had capped a worker's whole life at timeout + 10 s of CPU); afterwards the limits are as
    they were."""
    out = subprocess.run([sys.executable, "-c", _CPU_PROBE, "many"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    before, inside, after = eval(out.stdout)  # noqa: S307 - our own repr of tuples
    assert after == before
    for (soft, hard), spent in inside:
        assert hard == before[1]  # never lowered
        assert spent + 5 <= soft <= spent + 7


@pytest.mark.skipif(not hasattr(signal, "SIGXCPU"), reason="needs SIGXCPU")
def test_the_cpu_backstop_ends_a_document_the_timer_cannot_stop(tmp_path):
    """About 6 s of CPU: the 0.1-s budget plus the backstop's 5-s margin."""
    out = subprocess.run([sys.executable, "-c", _CPU_PROBE, "one"], capture_output=True, text=True, timeout=60)
    assert out.returncode == -signal.SIGXCPU and "survived" not in out.stdout
