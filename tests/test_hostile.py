"""Hostile input: every bad file gets one clear line naming it and the problem, exit code 2,
no traceback, in bounded time; in a batch the other files are still checked and reported.

Each case is run through the real command (a subprocess), as a reviewer would run it. The
subprocess timeout is a guard against hangs, not a speed target (those live in bench/).
"""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.readers_convert import assemble_pdf

HANG_GUARD = 180  # seconds; a run that takes longer is a hang
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
GOOD = ("青禾镇2023年法治政府建设年度报告\n一、2023年度主要举措和成效\n成立了法治建设领导小组，聘请常年法律顾问。\n"
        "二、存在的不足和原因\n执法力量不足，究其原因是编制少。\n三、2024年工作安排\n继续努力。\n")


def fzcheck(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "FZCHECK_DEBUG"}
    return subprocess.run([sys.executable, "-m", "fzcheck", *args], capture_output=True, text=True,
                          timeout=HANG_GUARD, cwd=cwd, env=env)


def docx_bytes(document_xml: str, extra: dict[str, bytes] | None = None, deflate: bool = True) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", document_xml)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buf.getvalue()


def minimal_pdf(with_text: bool, encrypted: bool = False) -> bytes:
    """A one-page PDF written by hand: with or without a text layer, optionally encrypted."""
    content = b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET" if with_text else b"0 0 1 rg 10 10 100 100 re f"
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    if encrypted:
        objs.append(b"<< /Filter /Standard /V 1 /R 2 /O <" + b"00" * 32 + b"> /U <" + b"00" * 32 + b"> /P -4 >>")
    trailer = b""
    if encrypted:
        trailer = b" /Encrypt %d 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>]" \
            % len(objs)
    return assemble_pdf(objs, trailer)


def make_cases(tmp: Path) -> dict[str, tuple[Path, str]]:
    """name -> (file, a word the one-line message must contain)."""
    cases: dict[str, tuple[Path, str]] = {}

    def add(name: str, data: bytes, expect: str) -> None:
        p = tmp / name
        p.write_bytes(data)
        cases[name] = (p, expect)

    add("empty.txt", b"", "没有文字")
    add("whitespace.txt", " \n\t\n\u3000\n".encode(), "没有文字")
    add("binary.txt", bytes(range(256)) * 40, "binary")
    add("nul-bytes.txt", "一、主要举措\n成立了领导小组。\x00\x00\n".encode(), "二进制")
    add("image.docx", b"\x89PNG\r\n\x1a\n" + bytes(2000), "PNG")
    full = docx_bytes(f"<w:document {W}><w:body><w:p><w:r><w:t>一、工作</w:t></w:r></w:p></w:body></w:document>")
    add("truncated.docx", full[: len(full) // 2], "损坏")
    add("malformed-xml.docx", docx_bytes(f"<w:document {W}><w:body><w:p>broken"), "损坏")
    add("zip-bomb.docx", docx_bytes("<a>" + " " * (200 * 1024 * 1024) + "</a>"), "压缩炸弹")
    add("encrypted.pdf", minimal_pdf(with_text=True, encrypted=True), "加密")
    add("scan.pdf", minimal_pdf(with_text=False), "OCR")
    add("legacy.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000), ".docx")
    add("mixed-encodings.txt", "一、主要举措和成效\n".encode("utf-8") + "成立了领导小组。\n".encode("gbk")
        + "聘请法律顾问。\n".encode("utf-8"), "编码")
    big = tmp / "fifty-megabytes.txt"
    with open(big, "wb") as fh:  # sparse: the size is checked before anything is read
        fh.truncate(50 * 1024 * 1024)
    cases[big.name] = (big, "限制")
    cases["does-not-exist.txt"] = (tmp / "does-not-exist.txt", "文件不存在")
    return cases


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    return tmp, make_cases(tmp)


CASE_NAMES = ["empty.txt", "whitespace.txt", "binary.txt", "nul-bytes.txt", "image.docx", "truncated.docx",
              "malformed-xml.docx", "zip-bomb.docx", "encrypted.pdf", "scan.pdf", "legacy.doc",
              "mixed-encodings.txt", "fifty-megabytes.txt", "does-not-exist.txt"]


@pytest.mark.parametrize("name", CASE_NAMES)
def test_bad_file_gets_one_clear_line_and_exit_2(hostile, name):
    _, cases = hostile
    path, expect = cases[name]
    proc = fzcheck("check", "--format", "json", str(path))
    assert proc.returncode == 2
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith(str(path)) and expect.lower() in lines[0].lower(), lines[0]
    assert "Traceback" not in proc.stderr
    data = json.loads(proc.stdout)
    assert data["documents"] == [] and data["errors"][0]["path"] == str(path)


def test_batch_reports_every_bad_file_and_checks_the_good_one(hostile):
    tmp, cases = hostile
    good = tmp / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    paths = [str(cases[n][0]) for n in CASE_NAMES] + [str(good)]
    proc = fzcheck("check", "--format", "json", *paths)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    data = json.loads(proc.stdout)
    assert [d["path"] for d in data["documents"]] == [str(good)]
    assert sorted(e["path"] for e in data["errors"]) == sorted(paths[:-1])
    assert len([ln for ln in proc.stderr.splitlines() if ln.strip()]) == len(CASE_NAMES)


def test_folder_with_a_symlink_loop_a_pipe_and_a_broken_link(tmp_path):
    folder = tmp_path / "reports"
    (folder / "sub").mkdir(parents=True)
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "sub" / "loop").symlink_to(folder)  # a folder loop
    (folder / "dangling.txt").symlink_to(folder / "nowhere.txt")
    (folder / "self.txt").symlink_to(folder / "self.txt")  # a link to itself
    os.mkfifo(folder / "pipe.txt")  # reading it would block for ever
    proc = fzcheck("check", "--format", "json", str(folder))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    data = json.loads(proc.stdout)
    assert [Path(d["path"]).name for d in data["documents"]] == ["good.txt"]
    errors = {Path(e["path"]).name: e["error"] for e in data["errors"]}
    assert set(errors) == {"dangling.txt", "self.txt", "pipe.txt"}
    assert "不是普通文件" in errors["pipe.txt"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file(tmp_path):
    p = tmp_path / "secret.txt"
    p.write_text(GOOD, encoding="utf-8")
    p.chmod(0)
    proc = fzcheck("check", str(p))
    assert proc.returncode == 2 and "没有读取权限" in proc.stderr


def test_one_megabyte_line_without_a_newline(tmp_path):
    p = tmp_path / "one-line.txt"
    p.write_text("成立了法治建设领导小组，聘请了常年法律顾问，" * (1024 * 1024 // 66), encoding="utf-8")
    # the engine copes with a 1 MB line; on a busy CI machine it may take longer than the
    # default per-document budget (30 s), which is for hostile input: no limit here
    proc = fzcheck("check", "--format", "json", "--timeout", "0", str(p))
    assert proc.returncode == 1, proc.stderr
    doc = json.loads(proc.stdout)["documents"][0]
    assert next(r for r in doc["results"] if r["id"] == "leading-group")["status"] == "pass"
    assert doc["sections"] == []


def test_ten_thousand_headings(tmp_path):
    markers = ["一、", "（一）", "1.", "（1）", "①"]
    lines = [f"{markers[i % 5]}标题{i}" for i in range(10000)]
    p = tmp_path / "deep.txt"
    p.write_text("某镇2023年报告\n" + "\n".join(lines), encoding="utf-8")
    proc = fzcheck("check", "--format", "json", str(p))
    assert proc.returncode == 1, proc.stderr
    doc = json.loads(proc.stdout)["documents"][0]
    assert len(doc["sections"]) == 2000  # every fifth heading is a top-level part


def test_invalid_yaml_rule_set(tmp_path):
    rules = tmp_path / "bad.yaml"
    rules.write_text("id: x\nversion: '1'\nrules: [\n  - id: a\n", encoding="utf-8")
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    proc = fzcheck("check", "-r", str(rules), str(good))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert str(rules) in proc.stderr and "YAML" in proc.stderr


def test_rule_set_that_breaks_the_schema(tmp_path):
    rules = tmp_path / "schema.yaml"
    rules.write_text("id: x\nversion: '1'\nrules:\n  - id: a\n    title: 甲\n    severity: urgent\n"
                     "    weight: 1\n    evidence: [{any: ['甲']}]\n", encoding="utf-8")
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    proc = fzcheck("check", "-r", str(rules), str(good))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "severity" in proc.stderr and str(rules) in proc.stderr


def test_rule_set_with_a_catastrophic_pattern(tmp_path):
    rules = tmp_path / "slow.yaml"
    rules.write_text("id: slow\nversion: '1'\nrules:\n  - id: slow-rule\n    title: 慢\n    severity: required\n"
                     "    weight: 1\n    evidence: [{any: ['(a|aa)+$']}]\n", encoding="utf-8")
    report = tmp_path / "aaa.txt"
    report.write_text("某镇2023年报告\n" + "a" * 5000 + "!\n", encoding="utf-8")
    proc = fzcheck("check", "-r", str(rules), str(report))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "slow-rule" in proc.stderr and "(a|aa)+$" in proc.stderr


def test_rule_set_yaml_cannot_run_code(tmp_path):
    marker = tmp_path / "pwned"
    rules = tmp_path / "evil.yaml"
    rules.write_text(f"!!python/object/apply:os.system ['touch {marker}']\n", encoding="utf-8")
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    proc = fzcheck("check", "-r", str(rules), str(good))
    assert proc.returncode == 2 and not marker.exists()


def test_failed_run_does_not_destroy_an_existing_output(tmp_path):
    out = tmp_path / "report.json"
    out.write_text("previous report", encoding="utf-8")
    rules = tmp_path / "bad.yaml"
    rules.write_text("not: [valid", encoding="utf-8")
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    proc = fzcheck("check", "-r", str(rules), "-f", "json", "-o", str(out), str(good))
    assert proc.returncode == 2
    assert out.read_text(encoding="utf-8") == "previous report"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".fzcheck")] == []


def test_catastrophic_clause_separator_is_stopped_too(tmp_path):
    rules = tmp_path / "clause.yaml"
    rules.write_text("id: clause\nversion: '1'\ncontext:\n  lacking: ['没有']\n  clause_split: '(a|aa)+$'\n"
                     "rules:\n  - id: r\n    title: 甲\n    severity: required\n    weight: 1\n"
                     "    evidence: [{any: ['甲']}]\n", encoding="utf-8")
    report = tmp_path / "aaa.txt"
    # 没有 in the sentence: the clauses are looked at only in a sentence that holds what lacking needs
    report.write_text("某镇2023年报告\n甲没有" + "a" * 5000 + "!\n", encoding="utf-8")
    proc = fzcheck("check", "-r", str(rules), str(report))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "clause_split" in proc.stderr
