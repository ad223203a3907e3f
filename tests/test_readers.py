"""Readers: every format of the same report gets the same judgement, with evidence pointing into the original."""
from __future__ import annotations

import io
import json
import zipfile

import pytest
from click.testing import CliRunner

from fzcheck.engine.check import check_path
from fzcheck.app.cli import cli
from fzcheck.errors import InputError
from fzcheck.readers import iter_report_files, read_document, sniff
from fzcheck.readers.docx import format_number
from fzcheck.readers.text import decode
from tests.readers_convert import (assemble_pdf, differences, docx_bytes, encode, numbering_xml, outcome, para,
                                   plain_text, run, to_docx, to_html, to_pdf)

# A report written for these tests. '|a|b|' lines are table rows (one cell per line in the .txt).
REPORT = """松林镇2023年法治政府建设工作报告
2023年，松林镇深入学习贯彻习近平法治思想，扎实推进法治政府建设。现将有关情况报告如下：
一、2023年度推进法治政府建设的主要举措和成效
（一）健全领导体制。成立了以镇党委书记为组长的法治政府建设领导小组，全年召开领导小组会议4次，研究法治建设重点问题6个。
（二）规范重大行政决策。对集镇供水改造项目通过座谈会听取群众意见32条，组织专家论证会1场，经法律顾问合法性审查后提交镇党委会集体讨论决定。
（三）严格规范公正文明执法。全面推行行政执法公示制度，配备执法记录仪6台，实现执法全过程记录。
|工作事项|完成情况|
|普法宣传活动|开展宪法宣传周等活动26场|
|政务公开|主动公开政府信息180条|
二、党政主要负责人履行推进法治建设第一责任人职责情况
镇党委书记、镇长切实履行推进法治建设第一责任人职责，全年专题研究法治建设工作3次，带头参加会前学法。
三、存在的不足和原因
一是重大执法决定法制审核力量不足，原因是专业人员缺乏。二是社会稳定风险评估工作开展不够。
四、2024年推进法治政府建设的主要安排
（一）开展重大行政决策社会稳定风险评估。
（二）全面推行重大执法决定法制审核制度。
松林镇人民政府
2024年3月20日
"""
TEXT = plain_text(REPORT)

FORMATS = {
    "utf8.txt": lambda: TEXT.encode("utf-8"),
    "bom.txt": lambda: encode(TEXT, "utf-8-sig"),
    "gbk.txt": lambda: encode(TEXT, "gbk"),
    "utf16.txt": lambda: encode(TEXT, "utf-16"),
    "utf16le-nobom.txt": lambda: encode(TEXT, "utf-16-le"),
    "report.md": lambda: TEXT.encode("utf-8"),
    "report.docx": lambda: to_docx(REPORT),
    "report.pdf": lambda: to_pdf(REPORT),
    "report.html": lambda: to_html(TEXT, charset="utf-8"),
    "gbk.htm": lambda: to_html(TEXT, charset="gbk"),
}


@pytest.fixture(scope="module")
def baseline(ruleset, tmp_path_factory):
    p = tmp_path_factory.mktemp("base") / "report.txt"
    p.write_text(TEXT, encoding="utf-8")
    return check_path(str(p), ruleset).to_json("zh")


def test_the_report_itself_is_judged_as_written(baseline):
    got = outcome(baseline)
    # What a reader that lost the structure (headings, the plan part, table cells) would get wrong.
    assert got["parts"] == ["achievements", "first_responsible", "shortcomings", "next_year"]
    assert got["major-decisions/expert-argument"] == "pass"
    assert got["major-decisions/risk-assessment"] == "problem_only"
    assert got["enforcement-systems/legal-review"] == "problem_only"
    assert got["placeholders"] == "pass" and got["year"] == 2023 and got["published"] == "2024-03-20"


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_format_gets_the_same_results(name, baseline, ruleset, tmp_path):
    p = tmp_path / name
    p.write_bytes(FORMATS[name]())
    got = check_path(str(p), ruleset).to_json("zh")
    assert differences(outcome(baseline), outcome(got)) == []


def _evidence(doc, rule_id):
    return next(r for r in doc["results"] if r["id"] == rule_id)["evidence"]


def test_docx_evidence_points_at_paragraph_and_table_cell(ruleset, tmp_path):
    p = tmp_path / "r.docx"
    p.write_bytes(to_docx(REPORT))
    doc = check_path(str(p), ruleset).to_json("zh")
    ev = _evidence(doc, "leading-group")[0]
    assert ev["location"] == {"paragraph": 4} and ev["line"] is None
    cells = [e for e in _evidence(doc, "quantified-results") if "table" in e["location"]]
    assert cells and cells[0]["location"] == {"paragraph": 10, "table": 1, "row": 2, "cell": 2}
    raw = read_document(p)
    by_number = {par.locations[0][1]["paragraph"]: par.text for par in raw.paragraphs}
    assert "领导小组" in by_number[4] and by_number[10] == "开展宪法宣传周等活动26场"


def test_pdf_evidence_points_at_page_and_line(ruleset, tmp_path):
    long_report = REPORT.replace("二、党政", "\n".join(["（四）推进政务公开。全年主动公开政府信息，回应群众关切。"] * 40)
                                 + "\n二、党政")
    p = tmp_path / "r.pdf"
    p.write_bytes(to_pdf(long_report))
    doc = check_path(str(p), ruleset).to_json("zh")
    first = _evidence(doc, "first-responsible-duty")[0]
    assert first["location"]["page"] >= 2 and first["line"] == first["location"]["line"]
    raw = read_document(p)
    # The location's line holds the evidence: find that line's paragraph and offset.
    page, line = first["location"]["page"], first["location"]["line"]
    hit = [par for par in raw.paragraphs if any(loc == {"page": page, "line": line} for _, loc in par.locations)]
    assert hit and "第一责任人" in hit[0].text
    assert not any("某某区人民政府" == par.text or par.text.strip("- ").isdigit() for par in raw.paragraphs)


def test_html_evidence_points_at_the_source_line(ruleset, tmp_path):
    page = to_html(TEXT)
    p = tmp_path / "r.html"
    p.write_bytes(page)
    doc = check_path(str(p), ruleset).to_json("zh")
    ev = _evidence(doc, "leading-group")[0]
    source_line = page.decode("utf-8").splitlines()[ev["line"] - 1]
    assert "领导小组" in source_line and "<p" in source_line


# ------------------------------------------------------------------ encodings

@pytest.mark.parametrize("encoding,expected", [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"),
                                               ("gbk", "gb18030"), ("utf-16", "utf-16"),
                                               ("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be")])
def test_encodings_are_detected(encoding, expected):
    text, used = decode(encode(TEXT, encoding))
    assert used == expected and text.lstrip("\ufeff") == TEXT


def test_big5_traditional_report_reads_as_simplified(ruleset, tmp_path):
    trad = ("鬆林鎮2023年法治政府建設工作報告\n一、主要舉措和成效\n成立了以鎮黨委書記為組長的法治政府建設領導小組，"
            "聘請了常年法律顧問，全年出具法律意見書12件。\n二、存在的問題\n執法人員素質有待提高。\n")
    raw = trad.encode("big5")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text, used = decode(raw)
    assert used == "big5hkscs" and text == trad
    p = tmp_path / "big5.txt"
    p.write_bytes(raw)
    doc = check_path(str(p), ruleset).to_json("zh")
    lg = next(r for r in doc["results"] if r["id"] == "leading-group")
    assert lg["status"] == "pass" and "领导小组" in lg["evidence"][0]["text"] and lg["evidence"][0]["line"] == 3


def test_gbk_lines_are_the_lines_of_the_file(ruleset, tmp_path):
    p = tmp_path / "gbk.txt"
    p.write_bytes(encode(TEXT, "gbk"))
    ev = _evidence(check_path(str(p), ruleset).to_json("zh"), "leading-group")[0]
    assert ev["location"] == {"line": 4} and "领导小组" in TEXT.splitlines()[3]


# ------------------------------------------------------------------ sniffing

def test_content_decides_not_the_name(tmp_path):
    (tmp_path / "really-docx.txt").write_bytes(to_docx(REPORT))
    (tmp_path / "really-text.docx").write_bytes(TEXT.encode("gb18030"))
    (tmp_path / "page").write_bytes(to_html(TEXT))
    assert read_document(tmp_path / "really-docx.txt").kind == "docx"
    assert read_document(tmp_path / "really-text.docx").kind == "text"
    assert read_document(tmp_path / "page").kind == "html"
    assert sniff(b"%PDF-1.7\n", ".txt") == "pdf"


def test_batch_picks_up_every_report_kind(tmp_path):
    """Every file received (an image too: it gets its row saying what to do); hidden files and
    Office lock files are not files anyone sent."""
    for name in ("a.txt", "b.docx", "c.pdf", "d.html", "e.htm", "f.doc", "g.png", ".hidden.docx", "~$b.docx"):
        (tmp_path / name).write_bytes(b"x")
    names = sorted(p.rsplit("/", 1)[-1] for p in iter_report_files([str(tmp_path)]))
    assert names == ["a.txt", "b.docx", "c.pdf", "d.html", "e.htm", "f.doc", "g.png"]


# ------------------------------------------------------------------ html

def test_html_keeps_the_article_and_drops_the_chrome(tmp_path):
    p = tmp_path / "page.html"
    p.write_bytes(to_html(TEXT, title="松林镇2023年法治政府建设工作报告", published="2024-03-21"))
    raw = read_document(p)
    texts = [par.text for par in raw.paragraphs]
    joined = "\n".join(texts)
    for chrome in ("政民互动", "请输入关键字", "_hmt", "行政执法三项制度", "关于聘请法律顾问的通知", "网站标识码", "当前位置"):
        assert chrome not in joined, chrome
    assert texts[0] == "松林镇2023年法治政府建设工作报告" and texts.count(texts[0]) == 1
    assert "发布时间: 2024-03-21" in raw.noise
    assert any(t.startswith("（一）健全领导体制") for t in texts)


def test_html_br_breaks_paragraphs_and_meta_date_is_kept(ruleset, tmp_path):
    page = ('<html><head><meta charset="gbk"><meta name="PubDate" content="2024-03-05 10:12">'
            '<script>alert("领导小组")</script></head><body><div class="nav"><a>首页</a><a>法律顾问</a></div>'
            '<div id="zoom">某镇2023年法治政府建设情况<br>一、主要举措和成效<br/>成立了法治政府建设领导小组。'
            '<br>二、存在的问题<br>执法人员不足。<br>三、下一步工作打算<br>明年将聘请法律顾问。</div>'
            '<div class="footer">版权所有：某镇人民政府</div></body></html>')
    p = tmp_path / "p.htm"
    p.write_bytes(page.encode("gbk"))
    raw = read_document(p)
    assert [par.text for par in raw.paragraphs][:3] == ["某镇2023年法治政府建设情况", "一、主要举措和成效",
                                                         "成立了法治政府建设领导小组。"]
    doc = check_path(str(p), ruleset)
    assert doc.published == "2024-03-05"
    legal = next(r for r in doc.results if r.id == "legal-advisor")
    assert legal.finding == "plan_only"  # the nav link 法律顾问 is not work done


# ------------------------------------------------------------------ docx

def test_word_numbering_formats():
    assert [format_number(n, "chineseCounting") for n in (1, 10, 11, 20, 21, 100, 105)] == [
        "一", "十", "十一", "二十", "二十一", "一百", "一百〇五"]
    assert format_number(3, "decimalEnclosedCircle") == "③"
    assert format_number(2, "ideographTraditional") == "乙"
    assert format_number(12, "decimalFullWidth") == "１２"
    assert format_number(4, "upperRoman") == "IV" and format_number(28, "lowerLetter") == "bb"
    assert format_number(1, "bullet") is None


def test_docx_numbering_restarts_and_overrides(tmp_path):
    extra = ('<w:num w:numId="2"><w:abstractNumId w:val="0"/>'
             '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>')
    body = "".join([
        para("甲", style="Heading1", num=(1, 0)), para("子一", num=(1, 1)), para("子二", num=(1, 1)),
        para("乙", style="Heading1", num=(1, 0)), para("子三", num=(1, 1)),
        para("丁", num=(1, 2)), para("戊", num=(1, 2)), para("己", num=(1, 1)), para("庚", num=(1, 2)),
        para("第五", num=(2, 0)),
    ])
    p = tmp_path / "n.docx"
    p.write_bytes(docx_bytes(body=body, numbering=numbering_xml(extra=extra)))
    texts = [par.text for par in read_document(p).paragraphs]
    assert texts == ["一、甲", "（一）子一", "（二）子二", "二、乙", "（一）子三", "1.丁", "2.戊", "（二）己", "1.庚",
                     "五、第五"]


def test_docx_tracked_changes_comments_textboxes_footnotes(tmp_path):
    txbx = ('<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic><a:graphicData>'
            '<wps:wsp><wps:txbx><w:txbxContent><w:p><w:r><w:t>文本框里的法律顾问聘任情况。</w:t></w:r></w:p>'
            '</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>'
            '<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>文本框里的法律顾问聘任情况。'
            '</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>')
    body = "".join([
        para(inner=run("我镇") + '<w:ins w:id="1" w:author="a"><w:r><w:t>成立了</w:t></w:r></w:ins>'
             + '<w:del w:id="2" w:author="a"><w:r><w:delText>尚未成立</w:delText></w:r></w:del>'
             + run("法治政府建设领导小组。") + '<w:commentRangeStart w:id="0"/>'
             + '<w:r><w:commentReference w:id="0"/></w:r>'
             + '<w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏文字</w:t></w:r>'),
        '<w:p><w:pPr><w:rPr><w:del w:id="3" w:author="a"/></w:rPr></w:pPr>' + run("删除段落标记后，") + "</w:p>",
        para("这一段与上一段相连。"),
        para(inner=run("详见说明") + '<w:r><w:footnoteReference w:id="1"/></w:r>' + run("。") + txbx),
        para("最后一段。"),
    ])
    foot = '<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t>脚注：全年审查合同31件。</w:t></w:r></w:p></w:footnote>'
    comments = '<w:comment w:id="0" w:author="a"><w:p><w:r><w:t>批注：这里要改</w:t></w:r></w:p></w:comment>'
    p = tmp_path / "t.docx"
    p.write_bytes(docx_bytes(body=body, footnotes=foot, comments=comments))
    pars = read_document(p).paragraphs
    texts = [par.text for par in pars]
    # Notes and text boxes follow their paragraph, in the order they are anchored; the text box
    # is read once although Word stores it twice (drawing and VML fallback).
    assert texts == ["我镇成立了法治政府建设领导小组。", "删除段落标记后，这一段与上一段相连。", "详见说明。",
                     "脚注：全年审查合同31件。", "文本框里的法律顾问聘任情况。", "最后一段。"]
    locs = [par.locations[0][1] for par in pars]
    assert locs[2] == {"paragraph": 4}
    assert locs[3] == {"paragraph": 4, "footnote": 1} and locs[4]["textbox"] == 1


def test_docx_heading_styles_without_numbers_become_headings(ruleset, tmp_path):
    body = "".join([
        para("某镇2023年法治政府建设年度报告", style="Heading1"),
        para("2023年，我镇扎实推进法治政府建设。"),
        para("主要举措和成效", style="Heading1"), para("成立了法治政府建设领导小组。"),
        para("存在的问题和不足", style="Heading1"), para("法律顾问作用发挥不够。"),
        para("下一步工作打算", style="Heading1"), para("明年将开展风险评估。"),
    ])
    p = tmp_path / "h.docx"
    p.write_bytes(docx_bytes(body=body))
    texts = [par.text for par in read_document(p).paragraphs]
    assert texts[0] == "某镇2023年法治政府建设年度报告" and texts[2] == "# 主要举措和成效"
    doc = check_path(str(p), ruleset)
    assert [s["role"] for s in doc.sections] == ["achievements", "shortcomings", "next_year"]


def test_docx_written_by_python_docx_with_word_template(ruleset, tmp_path):
    docx = pytest.importorskip("docx", reason="python-docx (test extra) writes this fixture")
    d = docx.Document()
    d.add_paragraph("某镇2023年法治政府建设年度报告", style="Title")
    d.add_paragraph("主要举措和成效", style="Heading 1")
    d.add_paragraph("成立了法治政府建设领导小组，全年召开会议3次。", style="List Number")
    d.add_paragraph("聘请律师担任法律顾问，审查合同20件。", style="List Number")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "事项", "数量"
    table.cell(1, 0).text, table.cell(1, 1).text = "普法活动", "12场"
    d.add_paragraph("存在的问题", style="Heading 1")
    d.add_paragraph("执法力量不足。")
    buf = io.BytesIO()
    d.save(buf)
    p = tmp_path / "pd.docx"
    p.write_bytes(buf.getvalue())
    pars = read_document(p).paragraphs
    texts = [par.text for par in pars]
    assert texts[:4] == ["某镇2023年法治政府建设年度报告", "# 主要举措和成效", "1.成立了法治政府建设领导小组，全年召开会议3次。",
                         "2.聘请律师担任法律顾问，审查合同20件。"]
    assert pars[7].text == "12场" and pars[7].locations[0][1]["cell"] == 2 and pars[7].locations[0][1]["row"] == 2


# ------------------------------------------------------------------ unsupported and hostile input

def _ole2(*streams: str) -> bytes:
    head = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504
    return head + b"".join(s.encode("utf-16-le") + b"\x00" * 16 for s in streams) + b"\x00" * 512


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _zip_bomb(size: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w", force_zip64=True) as fh:
            chunk = b"\x20" * (1 << 20)
            for _ in range(size >> 20):
                fh.write(chunk)
    return buf.getvalue()


def _scanned_pdf() -> bytes:
    from PIL import Image
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.drawInlineImage(Image.new("L", (200, 280), 255), 50, 50, 500, 700)
    c.showPage()
    c.save()
    return buf.getvalue()


def _encrypted_pdf(user: str) -> bytes:
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt=StandardEncryption(user, ownerPassword="owner", canPrint=0, canCopy=0))
    c.drawString(72, 780, "Annual report 2023: a leading group for the rule of law was set up.")
    c.drawString(72, 760, "A legal advisor reviewed 31 contracts.")
    c.showPage()
    c.save()
    return buf.getvalue()


def _pdf_without_unicode_map() -> bytes:
    """A PDF whose CID font has no ToUnicode map: the glyphs cannot be turned back into text."""
    glyphs = "".join(f"{n:04X}" for n in range(1, 60))
    stream = f"BT /F1 12 Tf 72 700 Td <{glyphs}> Tj 0 -20 Td <{glyphs}> Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /Embedded /Encoding /Identity-H /DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Embedded "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
    ]
    return assemble_pdf(objects)


UNSUPPORTED = {
    "nomap.pdf": (_pdf_without_unicode_map, "没有 Unicode 映射"),
    "old.doc": (lambda: _ole2("Root Entry", "WordDocument", "1Table"), "Word 97-2003 格式的 .doc 文件"),
    "old.wps": (lambda: _ole2("Root Entry", "WpsContent"), "WPS 中打开，另存为 .docx"),
    "locked.docx": (lambda: _ole2("Root Entry", "EncryptionInfo", "EncryptedPackage"), "设有密码的 Word 文件"),
    "scan.pdf": (_scanned_pdf, "没有文字层"),
    "secret.pdf": (lambda: _encrypted_pdf("secret"), "加密的 PDF"),
    "bomb.docx": (lambda: _zip_bomb(80 << 20), "压缩炸弹"),
    "dense.docx": (lambda: _zip_bomb(8 << 20), "压缩炸弹"),
    "broken.docx": (lambda: b"PK\x03\x04" + b"\x00" * 100, "损坏的 zip/.docx 文件"),
    "broken.pdf": (lambda: b"%PDF-1.4\n" + b"garbage " * 50, "PDF"),
    "notes.odt": (lambda: _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}),
                  "无法检查：.odt"),
    "photo.txt": (lambda: b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "请先做文字识别"),
    "letter.rtf": (lambda: b"{\\rtf1\\ansi hello}", "另存为 .docx"),
    "blob.txt": (lambda: b"\x01\x02\x00\x00\xff" * 50, "二进制"),
}


@pytest.mark.parametrize("name", sorted(UNSUPPORTED))
def test_unsupported_files_get_one_clear_line(name, tmp_path):
    make, hint = UNSUPPORTED[name]
    p = tmp_path / name
    p.write_bytes(make())
    with pytest.raises(InputError) as err:
        read_document(p)
    message = err.value.message
    assert hint in message and "\n" not in message and err.value.path == str(p)


def test_restricted_pdf_with_empty_user_password_still_reads(tmp_path):
    p = tmp_path / "restricted.pdf"
    p.write_bytes(_encrypted_pdf(""))
    assert [par.text for par in read_document(p).paragraphs][0].startswith("Annual report 2023: a leading group")


def test_max_size_is_enforced_before_reading(tmp_path):
    p = tmp_path / "big.txt"
    p.write_bytes(TEXT.encode("utf-8") * 40)
    with pytest.raises(InputError, match="--max-size"):
        read_document(p, max_bytes=10_000)
    assert read_document(p, max_bytes=1_000_000).paragraphs


def test_batch_goes_on_past_every_bad_file(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(TEXT, encoding="utf-8")
    bad = []
    for name in ("old.doc", "locked.docx", "scan.pdf", "bomb.docx", "photo.txt"):
        p = tmp_path / name
        p.write_bytes(UNSUPPORTED[name][0]())
        bad.append(str(p))
    res = CliRunner().invoke(cli, ["check", "--format", "json", *bad, str(good)])
    assert res.exit_code == 2
    data = json.loads(res.stdout)
    assert [d["path"] for d in data["documents"]] == [str(good)]
    assert [e["path"] for e in data["errors"]] == bad
    lines = res.stderr.strip().splitlines()
    assert len(lines) == len(bad) and all(line.startswith(path + ": ") for line, path in zip(lines, bad))
    assert "Traceback" not in res.output and "internal error" not in res.stderr


def test_folder_batch_reads_every_format(tmp_path):
    for name, make in FORMATS.items():
        (tmp_path / name).write_bytes(make())
    res = CliRunner().invoke(cli, ["check", "--format", "json", str(tmp_path)])
    data = json.loads(res.stdout)
    assert data["errors"] == [] and len(data["documents"]) == len(FORMATS)
    assert len({json.dumps(outcome(d), sort_keys=True) for d in data["documents"]}) == 1


# ------------------------------------------------------------------ mis-decoded text

def test_mojibake_lines_are_repaired_and_real_text_is_not(ruleset, tmp_path):
    from fzcheck.readers.text import repair_mojibake

    line = "（一）成立了法治政府建设领导小组，全年召开会议4次。"
    as_gbk = line.encode("utf-8").decode("gb18030", errors="replace")
    as_1252 = "聘请了法律顾问。".encode("utf-8").decode("cp1252", errors="replace")
    # Bytes lost in the first mis-decoding stay lost (as replacement marks); the rest comes back.
    assert repair_mojibake(as_gbk).startswith("（一）成立了法治政府建设领导小组，全年召")
    assert repair_mojibake(as_1252).endswith("请了法律顾问。")
    for real in TEXT.splitlines() + ["。ㄒ唬┘訌娊M織領導", "Café au lait", "鏈夊叧"]:
        assert repair_mojibake(real) == real
    lines = TEXT.splitlines()
    lines[3] = lines[3].encode("utf-8").decode("gb18030", errors="replace")
    p = tmp_path / "mojibake.txt"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    raw = read_document(p)
    assert raw.meta["mojibake_lines_repaired"] == 1
    ev = _evidence(check_path(str(p), ruleset).to_json("zh"), "leading-group")[0]
    assert ev["location"] == {"line": 4} and "领导小组" in ev["text"]


# -- reader messages in the chosen language (issue 12 item 4): Chinese by default, --lang en
LANG_CASES = {
    "old.doc": (lambda: _ole2("Root Entry", "WordDocument", "1Table"), "Word 97-2003 格式的 .doc 文件",
                "a Word 97-2003 .doc file"),
    "old.wps": (lambda: _ole2("Root Entry", "WpsContent"), "旧版二进制格式的 WPS 文档", "a WPS document in the old binary"),
    "locked.docx": (lambda: _ole2("Root Entry", "EncryptionInfo", "EncryptedPackage"), "设有密码的 Word 文件",
                    "a password-protected Word file"),
    "secret.pdf": (lambda: _encrypted_pdf("secret"), "加密的 PDF，需要密码", "an encrypted PDF that needs a password"),
    "broken.docx": (lambda: b"PK\x03\x04" + b"\x00" * 100, "损坏的 zip/.docx 文件", "a damaged zip/.docx file"),
    "fake.xlsx": (lambda: _zip({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<x/>"}), "Excel 工作簿",
                  "an Excel workbook"),
    "slides.pptx": (lambda: _zip({"[Content_Types].xml": b"<x/>", "ppt/presentation.xml": b"<x/>"}),
                    "PowerPoint 演示文稿", "a PowerPoint file"),
}


@pytest.mark.parametrize("name", sorted(LANG_CASES))
def test_reader_messages_follow_lang(name, tmp_path):
    make, zh, en = LANG_CASES[name]
    p = tmp_path / name
    p.write_bytes(make())
    out = CliRunner().invoke(cli, ["check", str(p)])
    assert out.exit_code == 2 and zh in out.output, out.output
    out = CliRunner().invoke(cli, ["check", "--lang", "en", str(p)])
    assert out.exit_code == 2 and en in out.output, out.output
