"""fzcheck annotate: the reviewer's marked-up copy, opened as a reviewer would open it."""
from __future__ import annotations

import copy
import hashlib
import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

docx = pytest.importorskip("docx", reason="python-docx (the 'annotate' extra) is not installed")
if not hasattr(docx.document.Document, "add_comment"):  # pragma: no cover
    pytest.skip("python-docx >= 1.2 is needed for comments", allow_module_level=True)

import lxml.etree as ET  # noqa: E402
from click.testing import CliRunner  # noqa: E402

from fzcheck.app.cli import cli  # noqa: E402
from fzcheck.render.annotate import MissingExtra, annotate, default_output, require_docx  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from readers_convert import to_docx, to_html, to_pdf  # noqa: E402

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MARKS = (W + "commentRangeStart", W + "commentRangeEnd")


def comments(data: bytes) -> list[tuple[str, str, str]]:
    """(anchor text, comment text, author) for every comment, in comment order."""
    z = zipfile.ZipFile(io.BytesIO(data))
    root = ET.fromstring(z.read("word/document.xml"))
    open_: dict[str, list[str]] = {}
    anchor: dict[str, str] = {}
    for el in root.iter():
        if el.tag == W + "commentRangeStart":
            open_[el.get(W + "id")] = []
        elif el.tag == W + "commentRangeEnd":
            anchor[el.get(W + "id")] = "".join(open_.pop(el.get(W + "id"), []))
        elif el.tag in (W + "t", W + "tab"):
            for v in open_.values():
                v.append(el.text or "" if el.tag == W + "t" else "\t")
    d = docx.Document(io.BytesIO(data))
    return [(anchor.get(str(c.comment_id), ""), c.text, c.author) for c in d.comments]


def find(cs, start: str):
    hits = [c for c in cs if c[1].startswith(start)]
    assert hits, f"no comment starting {start!r} in {[c[1].splitlines()[0] for c in cs]}"
    return hits[0]


def canonical_body(data: bytes) -> bytes:
    """document.xml less fzcheck's traces: comment marks and reference runs removed, runs that
    differ only by having been split merged back (same attributes and rPr)."""
    root = ET.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    for el in list(root.iter(*MARKS)):
        el.getparent().remove(el)
    for ref in list(root.iter(W + "commentReference")):
        r = ref.getparent()
        r.getparent().remove(r)
    def same(a, b) -> bool:
        ra, rb = a.find(W + "rPr"), b.find(W + "rPr")
        return dict(a.attrib) == dict(b.attrib) and \
            (ET.tostring(ra) if ra is not None else b"") == (ET.tostring(rb) if rb is not None else b"")

    for parent in list(root.iter()):
        prev = None
        for el in list(parent):
            if el.tag != W + "r":
                prev = None
                continue
            if prev is not None and same(prev, el):
                for c in [c for c in el if c.tag != W + "rPr"]:
                    last = prev[-1] if len(prev) else None
                    if c.tag == W + "t" and last is not None and last.tag == W + "t":
                        last.text = (last.text or "") + (c.text or "")
                    else:
                        prev.append(c)
                parent.remove(el)
            else:
                prev = el
    for t in root.iter(W + "t"):
        t.attrib.pop("{http://www.w3.org/XML/1998/namespace}space", None)
    return ET.tostring(root, method="c14n")


# ------------------------------------------------------------------ a seed report

@pytest.fixture(scope="module")
def waxing(seeds_dir, ruleset):
    return annotate(str(seeds_dir / "waxing-town-2021.txt"), ruleset)


def test_title_summary(waxing):
    cs = comments(waxing.data)
    anchor, text, author = cs[0]
    assert anchor == "巴彦县洼兴镇2021年度法治政府建设情况"
    assert text.startswith("fzcheck 检查：得分") and "等级" in text and "未通过" in text
    assert "必备项缺失：" in text and "法律顾问" in text
    assert {c[2] for c in cs} == {"fzcheck"}
    assert waxing.comments == len(cs)


def test_credited_comment_on_its_sentence(waxing):
    anchor, text, _ = find(comments(waxing.data), "✔ 法治建设领导机构：已落实")
    assert "法治建设工作领导小组" in anchor and anchor.endswith("。")


def test_not_credited_with_reason(waxing):
    cs = comments(waxing.data)
    problem = [c for c in cs if c[1].startswith("✘ 法律顾问（公职律师）制度：此处不算落实——只在存在的不足中提及")]
    assert problem and "法律顾问" in problem[0][0] and problem[0][0].startswith("(三)在行政决策方面")
    plan = [c for c in cs if c[1].startswith("✘ 法律顾问（公职律师）制度：此处不算落实——只是计划")]
    assert plan and plan[0][0].startswith("加强与法律顾问的沟通和联系")
    assert "修改建议：" in plan[0][1]


def test_missing_at_the_heading_of_its_part(waxing, seeds_dir, ruleset):
    cs = comments(waxing.data)
    anchor, text, _ = find(cs, "✘ 行政执法“三项制度”（必备）：缺少")
    assert anchor == "一、推进法治政府建设的主要举措和成效。"
    assert "修改建议：" in text and "依据：" in text and "118号" in text and "要求：" in text
    # 原因分析 belongs in the shortcomings part
    pu = comments(annotate(str(seeds_dir / "puchang-town-2024.txt"), ruleset).data)
    anchor, text, _ = find(pu, "✘ 缺少：不足的原因分析（必备）")
    assert anchor == "三、存在的问题" and "依据：" in text


def test_clean_copy_has_the_outline_as_headings(waxing):
    d = docx.Document(io.BytesIO(waxing.data))
    styles = {p.text: p.style.name for p in d.paragraphs}
    assert styles["巴彦县洼兴镇2021年度法治政府建设情况"] == "Title"
    assert styles["一、推进法治政府建设的主要举措和成效。"] == "Heading 1"


def test_english(seeds_dir, ruleset):
    from fzcheck.engine.check import Options

    cs = comments(annotate(str(seeds_dir / "waxing-town-2021.txt"), ruleset, Options(lang="en"),
                           author="Reviewer").data)
    assert cs[0][1].startswith("fzcheck: score")
    assert any(c[1].endswith(": done") and c[1].startswith("✔") for c in cs)
    assert any("does not count here — only named as a shortcoming" in c[1] for c in cs)
    assert {c[2] for c in cs} == {"Reviewer"}


@pytest.mark.parametrize("kind", ["docx", "pdf", "html"])
def test_other_input_kinds(kind, seeds_dir, ruleset, tmp_path):
    text = (seeds_dir / "puchang-town-2024.txt").read_text(encoding="utf-8")
    data = {"docx": lambda: to_docx(text), "pdf": lambda: to_pdf(text), "html": lambda: to_html(text)}[kind]()
    path = tmp_path / f"report.{kind}"
    path.write_bytes(data)
    cs = comments(annotate(str(path), ruleset).data)
    assert cs[0][1].startswith("fzcheck 检查：得分")
    assert find(cs, "✘ 缺少：不足的原因分析（必备）")[0].endswith("存在的问题")
    credited = find(cs, "✔ 法律顾问（公职律师）制度：已落实")[0]
    assert "法律顾问" in credited and credited.endswith("。")
    assert path.read_bytes() == data


# ------------------------------------------------------------------ a .docx stays as it was

def _rich_docx(path: Path) -> None:
    """Styles, a header, a table, mixed formatting inside a sentence, a tracked insertion and
    a comment of another reviewer."""
    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "某某镇人民政府"
    d.add_paragraph("某某镇2023年法治政府建设工作情况报告", style="Title")
    d.add_paragraph("一、主要举措和成效", style="Heading 1")
    p = d.add_paragraph()
    p.add_run("我镇聘请")
    p.add_run("律师事务所律师担任政府法律顾问").bold = True
    p.add_run("，全年审查合同12份。镇党委")
    existing = p.add_run("专题研究法治政府建设2次")
    p.add_run("。")
    d.add_comment(existing, text="请核实次数", author="王审核", initials="王")
    table = d.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "普法活动"
    table.cell(0, 1).text = "开展普法宣传活动15场。"
    d.add_paragraph("二、存在的不足", style="Heading 1")
    q = d.add_paragraph("个别干部法治意识不强。")
    ins = ET.SubElement(q._p, W + "ins", {W + "id": "901", W + "author": "李起草", W + "date": "2024-01-05T00:00:00Z"})
    r = ET.SubElement(ins, W + "r")
    ET.SubElement(r, W + "t").text = "行政执法人员培训不足。"
    d.add_paragraph("三、下一年度工作安排", style="Heading 1")
    d.add_paragraph("2024年将进一步加强领导干部学法。")
    d.save(str(path))


def test_docx_body_unchanged_but_comments(tmp_path, ruleset):
    src = tmp_path / "report.docx"
    _rich_docx(src)
    before = hashlib.sha256(src.read_bytes()).hexdigest()
    out = annotate(str(src), ruleset).data
    assert hashlib.sha256(src.read_bytes()).hexdigest() == before  # input only read
    assert canonical_body(out) == canonical_body(src.read_bytes())
    zin, zout = zipfile.ZipFile(src), zipfile.ZipFile(io.BytesIO(out))
    assert zin.read("word/header1.xml") == zout.read("word/header1.xml") or \
        ET.tostring(ET.fromstring(zin.read("word/header1.xml")), method="c14n") == \
        ET.tostring(ET.fromstring(zout.read("word/header1.xml")), method="c14n")
    # the same text for fzcheck's reader, tracked insertion included
    from fzcheck.readers.docx import read_docx

    assert [p.text for p in read_docx("a", src.read_bytes()).paragraphs] == \
        [p.text for p in read_docx("b", out).paragraphs]
    cs = comments(out)
    assert ("专题研究法治政府建设2次", "请核实次数", "王审核") in cs
    legal = find(cs, "✔ 法律顾问（公职律师）制度：已落实")
    assert legal[0] == "我镇聘请律师事务所律师担任政府法律顾问，全年审查合同12份。"  # across runs, split inside one
    assert find(cs, "✔ 专题研究法治政府建设：已落实")[0] == "镇党委专题研究法治政府建设2次。"
    assert find(cs, "fzcheck 检查：")[0] == "某某镇2023年法治政府建设工作情况报告"


def test_reannotating_replaces_earlier_comments(tmp_path, ruleset):
    src = tmp_path / "report.docx"
    _rich_docx(src)
    first = tmp_path / "report.reviewed.docx"
    first.write_bytes(annotate(str(src), ruleset).data)
    second = annotate(str(first), ruleset).data
    a, b = comments(first.read_bytes()), comments(second)
    assert a == b
    assert sum(1 for c in b if c[2] == "王审核") == 1
    doc_a = zipfile.ZipFile(first).read("word/document.xml")
    doc_b = zipfile.ZipFile(io.BytesIO(second)).read("word/document.xml")
    assert doc_a == doc_b  # same splits, same marks, same ids


# ------------------------------------------------------------------ the command

def test_cli_default_output_and_batch_goes_on(tmp_path, seeds_dir):
    src = tmp_path / "puchang.txt"
    shutil.copy(seeds_dir / "puchang-town-2024.txt", src)
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04 not really")
    res = CliRunner().invoke(cli, ["annotate", str(bad), str(src)])
    assert res.exit_code == 2
    assert Path(default_output(str(src))).name == "puchang.reviewed.docx"
    assert (tmp_path / "puchang.reviewed.docx").exists()
    assert not (tmp_path / "bad.reviewed.docx").exists()
    # a folder: fzcheck's own copies are skipped
    res = CliRunner().invoke(cli, ["annotate", str(tmp_path), "-o", str(tmp_path / "out")])
    assert (tmp_path / "out" / "puchang.reviewed.docx").exists()
    assert not (tmp_path / "out" / "puchang.reviewed.reviewed.docx").exists()


def test_cli_never_writes_over_the_input_or_a_special_file(tmp_path, seeds_dir):
    src = tmp_path / "r.docx"
    _rich_docx(src)
    before = src.read_bytes()
    res = CliRunner().invoke(cli, ["annotate", str(src), "-o", str(src)])
    assert res.exit_code == 2 and src.read_bytes() == before
    if os.path.exists("/dev/null"):
        res = CliRunner().invoke(cli, ["annotate", str(src), "-o", "/dev/null"])
        assert res.exit_code == 2
    assert [p.name for p in tmp_path.iterdir()] == ["r.docx"]  # no temporary file left


def test_missing_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "docx", None)
    with pytest.raises(MissingExtra, match=r"fzcheck\[annotate\]"):
        require_docx()
    res = CliRunner().invoke(cli, ["annotate", "x.txt"])
    assert res.exit_code == 2 and "fzcheck[annotate]" in res.output


# ------------------------------------------------------------------ LibreOffice

def test_libreoffice_renders_the_comments(waxing, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("LibreOffice (soffice) is not installed; .ci/run installs Debian's libreoffice-writer")
    src = tmp_path / "w.docx"
    src.write_bytes(waxing.data)
    opts = ('pdf:writer_pdf_Export:{"ExportNotes":{"type":"boolean","value":"true"},'
            '"ExportNotesInMargin":{"type":"boolean","value":"true"}}')
    env = {**os.environ, "HOME": str(tmp_path)}  # a profile of its own
    proc = subprocess.run([soffice, "--headless", "--convert-to", opts, "--outdir", str(tmp_path), str(src)],
                          capture_output=True, timeout=240, env=env)
    pdf = tmp_path / "w.pdf"
    assert pdf.exists(), proc.stderr.decode(errors="replace")
    from pdfminer.high_level import extract_text
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    page_text = extract_text(str(pdf))
    notes = []
    with open(pdf, "rb") as fh:
        for page in PDFPage.create_pages(PDFDocument(PDFParser(fh))):
            for a in resolve1(page.annots) or []:
                c = resolve1(a).get("Contents")
                if isinstance(c, bytes):
                    notes.append(c.decode("utf-16") if c.startswith(b"\xfe\xff") else c.decode("latin-1"))
    # LibreOffice >= 7.5 draws them in the margin (page text); 7.4 (Debian 12) as PDF notes.
    in_margin = "法治建设领导机构：已落实" in page_text.replace("\n", "")
    as_notes = any("法治建设领导机构：已落实" in n for n in notes)
    assert in_margin or as_notes
    assert "巴彦县洼兴镇" in page_text


def test_annotate_reads_the_configuration_and_waivers_like_check(tmp_path, seeds_dir, monkeypatch):
    """The title comment's score, grade and gate are `fzcheck check`'s for the same file and
    configuration (fzcheck.yaml found upward: threshold, waivers, profile), and the same options."""
    import json
    import re

    work = tmp_path / "office"
    (work / "reports").mkdir(parents=True)
    report = work / "reports" / "waxing-town-2021.txt"
    shutil.copy(seeds_dir / "waxing-town-2021.txt", report)
    (work / "waivers.yaml").write_text(
        "- {rule: legal-advisor, reason: 县司法局统一派驻}\n"
        "- {rule: major-decisions, item: risk-assessment, reason: 本年度无重大决策}\n", encoding="utf-8")
    (work / "fzcheck.yaml").write_text("threshold: 45\nwaivers: waivers.yaml\nprofile: township\n", encoding="utf-8")
    monkeypatch.chdir(work / "reports")  # the configuration is found upward

    def title(*args) -> tuple[str, str]:
        out = tmp_path / "copy.docx"
        res = CliRunner().invoke(cli, ["annotate", str(report), "-o", str(out), *args])
        assert res.exit_code == 0, res.output
        return comments(out.read_bytes())[0][1], res.output

    def checked(*args) -> dict:
        res = CliRunner().invoke(cli, ["check", "-f", "json", str(report), *args])
        return json.loads(res.stdout)["documents"][0]

    for args in ([], ["--fail-under", "70"], ["--waivers", str(tmp_path / "none.yaml")]):
        if "--waivers" in args:
            (tmp_path / "none.yaml").write_text("[]\n", encoding="utf-8")
        text, _ = title(*args)
        d = checked(*args)
        score = float(re.search(r"得分([\d.]+)", text).group(1))
        assert score == d["score"], (args, text, d["score"])
        assert f"门槛{d['threshold']:g}" in text and ("未通过" in text) == (not d["passed"]) and d["grade"] in text
    text, _ = title()
    assert "门槛45" in text and "法律顾问（公职律师）制度" not in text.split("必备项缺失")[-1]  # waived: not a gap
    plain, _ = title("--config", str(tmp_path / "empty.yaml")) if (tmp_path / "empty.yaml").write_text(
        "lang: zh\n", encoding="utf-8") else ("", "")
    assert "门槛60" in plain and "法律顾问" in plain  # another configuration, another call
    res = CliRunner().invoke(cli, ["annotate", str(report), "--fail-under", "120"])
    assert res.exit_code == 2


def test_evidence_in_a_footnote_is_anchored_at_its_reference_mark(tmp_path, ruleset):
    """python-docx has no footnote API: a finding in a footnote goes on the note's reference
    mark in the text, saying which note; nothing is lost in a part the library does not write."""
    from readers_convert import docx_bytes, para, run

    body = "".join([para("青禾镇2023年法治政府建设年度报告"), para("一、2023年度推进法治政府建设的主要举措和成效"),
                    para(inner=run("成立了法治政府建设工作领导小组。法律服务情况详见注释")
                         + '<w:r><w:footnoteReference w:id="1"/></w:r>' + run("。")),
                    para("二、存在的不足和原因"), para("执法力量薄弱。")])
    foot = ('<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t>聘请律师事务所为常年法律顾问，'
            '审查合同12件。</w:t></w:r></w:p></w:footnote>')
    src = tmp_path / "foot.docx"
    src.write_bytes(docx_bytes(body=body, footnotes=foot))
    done = annotate(str(src), ruleset)
    cs = comments(done.data)
    in_note = [c for c in cs if c[1].startswith("（在脚注1中）")]
    assert any("法律顾问" in c[1] for c in in_note), cs
    assert all(c[0] == "" for c in in_note)  # on the reference mark's run (no text of its own)
    z = zipfile.ZipFile(io.BytesIO(done.data))
    assert b"commentRange" not in z.read("word/footnotes.xml")  # the note part is untouched
    assert z.read("word/footnotes.xml") == zipfile.ZipFile(src).read("word/footnotes.xml")
    assert done.comments == len(cs)
    root = ET.fromstring(z.read("word/document.xml"))
    ids = {el.get(W + "id") for el in root.iter(W + "commentRangeStart")}
    assert len(ids) == len(cs)  # every comment has its anchor in the body
