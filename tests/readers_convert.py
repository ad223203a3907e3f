"""Build the same report in every input format the readers understand.

Used by the reader tests (on small reports written for them) and, as a script,
to convert the real seed reports to every format and compare the results::

    python tests/readers_convert.py [SEEDS_DIR] [--out DIR] [--keep]

The converted files are written to a temporary folder (never into the
repository). Each text line becomes a paragraph; outline markers at the start
of a line (一、 （一） 1. （1） ①) become Word automatic numbering in the .docx,
so the numbers are no longer in the paragraph text.
"""
from __future__ import annotations

import html as htmlmod
import io
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_WIDTH[0x3000] = 0x20


def text_lines(text: str) -> list[str]:
    return text.splitlines()


# ---------------------------------------------------------------- encodings

def encode(text: str, encoding: str) -> bytes:
    """The text in a legacy or UTF-16 encoding (GBK means GB18030 for what GBK lacks)."""
    if encoding == "gbk":
        return text.encode("gb18030")
    if encoding == "utf-16":
        return text.encode("utf-16")  # with BOM
    if encoding == "utf-8-sig":
        return text.encode("utf-8-sig")
    return text.encode(encoding)


# ---------------------------------------------------------------- html

NAV = ["首页", "政务公开", "法律顾问", "行政执法", "领导小组", "法治政府", "政民互动", "办事服务"]


def to_html(text: str, title: str = "", charset: str = "utf-8", published: str | None = None) -> bytes:
    """A page as a government site serves it: nav, breadcrumb, article, share bar, footer."""
    lines = text_lines(text)
    body = "\n".join(f'<p style="text-indent:2em">{htmlmod.escape(line.strip())}</p>'
                     for line in lines if line.strip())
    nav = "".join(f'<li><a href="/{i}.html">{n}</a></li>' for i, n in enumerate(NAV))
    info = f'<span>发布时间：{published}</span>' if published else ""
    page = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{htmlmod.escape(title or "政务公开")}_某某区人民政府</title>
<style>.nav li{{float:left}} p{{line-height:2}}</style>
<script>var _hmt = _hmt || []; document.write("法律顾问 领导小组 重大行政决策");</script>
</head>
<body>
<div class="header"><div class="logo">某某区人民政府</div>
<ul class="nav">{nav}</ul>
<div class="search"><input type="text" value="请输入关键字"><button>搜索</button></div></div>
<div class="main">
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 法治政府建设</div>
<div class="article">
{f'<h1>{htmlmod.escape(title)}</h1>' if title else ''}
<div class="info">{info}<span>字号：<a>大</a> <a>中</a> <a>小</a></span></div>
<div id="zoom" class="TRS_Editor">
{body}
</div>
<div class="bdshare">分享到：<a class="bds_weixin">微信</a><a class="bds_tsina">微博</a></div>
<div class="print"><a href="javascript:window.print()">【打印本页】</a><a href="javascript:window.close()">【关闭窗口】</a></div>
</div>
<div class="related"><h3>相关链接</h3><ul><li><a href="/a">关于聘请法律顾问的通知</a></li><li><a href="/b">行政执法公示</a></li></ul></div>
</div>
<div class="footer"><p>主办：某某区人民政府办公室　承办：某某区大数据中心</p>
<p>网站标识码：5001170002　<a href="https://beian.miit.gov.cn">渝ICP备12345678号</a></p></div>
<script>console.log("行政执法三项制度")</script>
</body></html>
"""
    enc = {"gbk": "gb18030", "gb2312": "gb18030"}.get(charset, charset)
    return page.encode(enc)


# ---------------------------------------------------------------- comparison

def outcome(doc: dict) -> dict:
    """What must not change between formats: every rule's and item's status, the score, the parts."""
    out: dict = {"score": doc["score"], "year": doc["year"], "published": doc["published"],
                 "parts": [s["role"] for s in doc["sections"]]}
    for r in doc["results"]:
        out[r["id"]] = r["status"]
        for it in r.get("items", []):
            out[f"{r['id']}/{it['id']}"] = it["status"]
    return out


def differences(a: dict, b: dict) -> list[str]:
    return [f"{k}: {a.get(k)!r} != {b.get(k)!r}" for k in sorted(set(a) | set(b), key=str) if a.get(k) != b.get(k)]


# ---------------------------------------------------------------- blocks

def plain_text(report: str) -> str:
    """The .txt form of a report whose table rows are written as '|a|b|' lines: one cell per line."""
    out = []
    for line in text_lines(report):
        if line.startswith("|"):
            out.extend(c.strip() for c in line.strip("|").split("|"))
        else:
            out.append(line)
    return "\n".join(out) + "\n"


def _marker(line: str) -> tuple[int, int] | None:
    """(rank, length) of an outline marker opening the line (width-folded for the test only)."""
    from fzcheck.zhtext import find_heading

    found = find_heading(line.translate(_WIDTH))
    if not found:
        return None
    marker, rank, end = found
    if marker.startswith("#") or rank not in (1, 2, 3, 4, 5):
        return None
    return int(rank), end


def blocks_from_text(report: str, numbering: bool = True) -> list[tuple]:
    """Paragraph blocks: ('p', text) | ('num', level, text, style) | ('table', rows)."""
    blocks: list[tuple] = []
    rows: list[list[str]] = []
    for raw in text_lines(report):
        if raw.startswith("|"):
            rows.append([c.strip() for c in raw.strip("|").split("|")])
            continue
        if rows:
            blocks.append(("table", rows))
            rows = []
        line = raw.strip(" \t\u3000")
        if not line:
            continue
        found = _marker(line) if numbering else None
        if found:
            rank, end = found
            rest = line[end:]
            short = len(rest) <= 40 and "。" not in rest.rstrip("。")
            style = {1: "Heading1", 2: "Heading2"}.get(rank) if short else None
            blocks.append(("num", rank - 1, rest, style))
        else:
            blocks.append(("p", line))
    if rows:
        blocks.append(("table", rows))
    return blocks


# ---------------------------------------------------------------- docx

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_LEVELS = [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3."), ("decimal", "（%4）"),
           ("decimalEnclosedCircle", "%5")]


def run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def para(text: str = "", style: str | None = None, num: tuple[int, int] | None = None, inner: str | None = None) -> str:
    ppr = ""
    if style or num:
        ppr = "<w:pPr>"
        if style:
            ppr += f'<w:pStyle w:val="{style}"/>'
        if num:
            ppr += f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>'
        ppr += "</w:pPr>"
    return f"<w:p>{ppr}{inner if inner is not None else run(text)}</w:p>"


def table_xml(rows: list[list[str]]) -> str:
    out = ['<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/></w:tblPr>']
    for row in rows:
        out.append("<w:tr>" + "".join(f'<w:tc><w:tcPr><w:tcW w:w="2000" w:type="dxa"/></w:tcPr>{para(c)}</w:tc>'
                                      for c in row) + "</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def body_xml(blocks: list[tuple]) -> str:
    out = []
    for b in blocks:
        if b[0] == "p":
            out.append(para(b[1]))
        elif b[0] == "num":
            out.append(para(b[2], style=b[3], num=(1, b[1])))
        elif b[0] == "table":
            out.append(table_xml(b[1]))
        elif b[0] == "xml":
            out.append(b[1])
    return "".join(out)


def numbering_xml(levels=_LEVELS, extra: str = "") -> str:
    lvls = "".join(f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{txt}"/>'
                   f'<w:lvlJc w:val="left"/></w:lvl>' for i, (fmt, txt) in enumerate(levels))
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:numbering xmlns:w="{W_NS}">'
            f'<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="multilevel"/>{lvls}</w:abstractNum>'
            f'<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>{extra}</w:numbering>')


STYLES_XML = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{W_NS}">
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/></w:style>
</w:styles>"""

_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def docx_bytes(blocks: list[tuple] | None = None, body: str | None = None, numbering: str | None = None,
               footnotes: str | None = None, comments: str | None = None, styles: str = STYLES_XML,
               compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A minimal, valid .docx (Word and python-docx open it) with the given body and parts."""
    content = body if body is not None else body_xml(blocks or [])
    ns = (f'xmlns:w="{W_NS}" xmlns:r="{_REL}" '
          'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
          'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
          'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
          'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
          'xmlns:v="urn:schemas-microsoft-com:vml" mc:Ignorable="wps"')
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {ns}><w:body>{content}'
                '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>')
    parts = {"word/document.xml": document, "word/styles.xml": styles,
             "word/numbering.xml": numbering if numbering is not None else numbering_xml()}
    rel_types = {"word/styles.xml": "styles", "word/numbering.xml": "numbering", "word/footnotes.xml": "footnotes",
                 "word/comments.xml": "comments"}
    if footnotes is not None:
        parts["word/footnotes.xml"] = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                                       f'<w:footnotes xmlns:w="{W_NS}">'
                                       '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
                                       f'</w:footnote>{footnotes}</w:footnotes>')
    if comments is not None:
        parts["word/comments.xml"] = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                                      f'<w:comments xmlns:w="{W_NS}">{comments}</w:comments>')
    overrides = "".join(f'<Override PartName="/{name}" ContentType="{_CT}.{rel_types.get(name, "document.main").split("/")[-1]}+xml"/>'
                        if name != "word/document.xml" else
                        f'<Override PartName="/word/document.xml" ContentType="{_CT}.document.main+xml"/>'
                        for name in parts)
    types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             f'<Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="word/document.xml"/></Relationships>')
    doc_rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                + "".join(f'<Relationship Id="rId{i + 1}" Type="{_REL}/{rel_types[name]}" Target="{name[5:]}"/>'
                          for i, name in enumerate(n for n in parts if n in rel_types))
                + "</Relationships>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        zf.writestr("[Content_Types].xml", types)
        zf.writestr("_rels/.rels", rels)
        zf.writestr("word/_rels/document.xml.rels", doc_rels)
        for name, xml in parts.items():
            zf.writestr(name, xml)
    return buf.getvalue()


def to_docx(report: str) -> bytes:
    """The report as Word writes it: outline numbers generated by Word's list numbering."""
    return docx_bytes(blocks_from_text(report))


# ---------------------------------------------------------------- pdf

def assemble_pdf(objects: list[bytes], trailer_extra: bytes = b"") -> bytes:
    """A PDF file from its numbered objects (1 is the catalog), with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer_extra, xref)
    return bytes(out)


def to_pdf(report: str, header: str = "某某区人民政府", size: float = 12.0) -> bytes:
    """The report printed to PDF (reportlab, with its built-in Chinese CID font: no font file needed).

    Paragraphs get a two-character first-line indent and wrap at the text width
    (mid-sentence, as a word processor does); each page has a running header and
    a page number footer, which the reader must drop.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    font = "STSong-Light"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    width, height = A4
    left, right, top, bottom = 72.0, width - 72.0, height - 80.0, 80.0
    lead = size * 1.6
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    state = {"page": 1, "y": top}

    def chrome() -> None:
        c.setFont(font, 9)
        c.drawCentredString(width / 2, height - 40, header)
        c.drawCentredString(width / 2, 40, f"- {state['page']} -")
        c.setFont(font, size)

    def new_page() -> None:
        c.showPage()
        state["page"] += 1
        state["y"] = top
        chrome()

    def put(x: float, text: str) -> None:
        if state["y"] < bottom:
            new_page()
        c.drawString(x, state["y"], text)
        state["y"] -= lead

    chrome()
    for line in plain_text(report).splitlines():
        text = line.strip(" \t\u3000")
        if not text:
            continue
        x = left + 2 * size
        piece = ""
        for ch in text:
            if pdfmetrics.stringWidth(piece + ch, font, size) > right - x:
                put(x, piece)
                x, piece = left, ""
            piece += ch
        put(x, piece)
    c.save()
    return buf.getvalue()


# ---------------------------------------------------------------- all formats

CONVERSIONS = {
    "gbk": (".gbk.txt", lambda text: encode(text, "gbk")),
    "utf16": (".utf16.txt", lambda text: encode(text, "utf-16")),
    "utf16le": (".utf16le.txt", lambda text: encode(text, "utf-16-le")),
    "docx": (".docx", lambda text: to_docx(text)),
    "pdf": (".pdf", lambda text: to_pdf(text)),
    "html": (".html", lambda text: to_html(text)),
    "html-gbk": (".gbk.html", lambda text: to_html(text, charset="gbk")),
}


def main(argv: list[str]) -> int:
    """Convert every seed report to every format in a temporary folder and compare the results."""
    import argparse
    import tempfile

    from fzcheck.engine.check import check_path
    from fzcheck.rules.load import load_ruleset

    here = Path(__file__).resolve().parents[1]
    ap = argparse.ArgumentParser(description=main.__doc__)
    ap.add_argument("seeds", nargs="?", default=str(here.parent / "shared" / "corpus" / "seeds"))
    ap.add_argument("--out", help="folder for the converted files (default: a temporary one, removed)")
    args = ap.parse_args(argv)
    ruleset = load_ruleset()
    seeds = sorted(Path(args.seeds).glob("*.txt"))
    if not seeds:
        print(f"no .txt reports in {args.seeds}")
        return 2
    tmp = None if args.out else tempfile.TemporaryDirectory()
    out = Path(args.out or tmp.name)
    out.mkdir(parents=True, exist_ok=True)
    same = total = 0
    print(f"{'report':<38} " + " ".join(f"{fmt:>8}" for fmt in CONVERSIONS))
    for seed in seeds:
        text = seed.read_text(encoding="utf-8")
        base = outcome(check_path(str(seed), ruleset).to_json("zh"))
        cells, notes = [], []
        for fmt, (suffix, convert) in CONVERSIONS.items():
            path = out / (seed.stem + suffix)
            path.write_bytes(convert(text))
            try:
                diff = differences(base, outcome(check_path(str(path), ruleset).to_json("zh")))
            except Exception as exc:  # noqa: BLE001 - report and go on
                diff = [f"error: {exc}"]
            total += 1
            same += not diff
            cells.append("same" if not diff else f"{len(diff)} diff")
            notes.extend(f"    {fmt}: {d}" for d in diff)
        print(f"{seed.name:<38} " + " ".join(f"{c:>8}" for c in cells))
        for n in notes:
            print(n)
    n_results = len(base)
    print(f"{same}/{total} conversions give the same results as the .txt original "
          f"({n_results} compared values each: score, year, date, parts, every rule and item status)")
    if tmp:
        tmp.cleanup()
    return 0 if same == total else 1


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    raise SystemExit(main(sys.argv[1:]))
