"""A PDF carrying struck-through text (a tracked deletion printed to PDF) is read as
printed, and the result warns about it; underlines and table rules do not warn."""
from __future__ import annotations

import io
import json

import pytest
from click.testing import CliRunner

from fzcheck.app.cli import cli
from fzcheck.engine.check import check_path
from fzcheck.readers import read_document

pytest.importorskip("reportlab")

BODY = ["2023年，我镇坚持依法行政，聘请法律顾问1名，审查合同12件。",
        "全年开展普法宣传活动8次，发放资料3000余份。",
        "重大行政决策均经合法性审查，无一例被撤销。"]


def _pdf(strike: str | None = None, underline: bool = False, table_rule: bool = False) -> bytes:
    """One A4 page of text; ``strike``: a line drawn through those words of the second line
    (as Word prints a tracked deletion)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    font, size = "STSong-Light", 12.0
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setFont(font, 16)
    c.drawString(150, 760, "某某镇2023年法治政府建设年度报告")
    c.setFont(font, size)
    y = 720.0
    for n, line in enumerate(BODY):
        c.drawString(72, y, line)
        if n == 1 and strike:
            x0 = 72 + c.stringWidth(line[: line.index(strike)], font, size)
            x1 = x0 + c.stringWidth(strike, font, size)
            c.setLineWidth(0.8)
            c.line(x0, y + size * 0.35, x1, y + size * 0.35)
        if n == 1 and underline:
            c.setLineWidth(0.8)
            c.line(72, y - 2, 72 + c.stringWidth(line, font, size), y - 2)
        if table_rule:
            c.setLineWidth(0.5)
            c.line(60, y + size * 1.1, 520, y + size * 1.1)  # a rule between rows
        y -= size * 2
    c.showPage()
    c.save()
    return buf.getvalue()


def test_struck_text_warns_and_is_still_read(tmp_path):
    path = tmp_path / "struck.pdf"
    path.write_bytes(_pdf(strike="发放资料3000余份"))
    raw = read_document(str(path))
    text = "".join(p.text for p in raw.paragraphs)
    assert "发放资料3000余份" in text  # read as printed
    (warning,) = raw.meta["warnings"]
    assert warning["id"] == "pdf.struck_through" and warning["pages"] == [1]
    assert warning["sample"] == "发放资料3000余份" and warning["chars"] == len("发放资料3000余份")
    out = CliRunner().invoke(cli, ["check", str(path)])
    assert "警告：PDF中有10个字带删除线（第1页，如“发放资料3000余份”）" in out.output
    en = CliRunner().invoke(cli, ["check", "--lang", "en", str(path)])
    assert "warning: 10 characters of the PDF are struck through (pages 1" in en.output
    doc = json.loads(CliRunner().invoke(cli, ["check", "-f", "json", str(path)]).output)["documents"][0]
    assert doc["warnings"][0]["id"] == "pdf.struck_through" and "删除线" in doc["warnings"][0]["message"]
    assert doc["score"] > 0  # still checked
    # the printed reports say it too, under the header
    md = CliRunner().invoke(cli, ["check", "-f", "markdown", str(path)]).output
    assert "> 警告：PDF中有10个字带删除线（第1页" in md
    for args in (["-f", "html"], ["-f", "html", "--gaps-only"]):
        page = CliRunner().invoke(cli, ["check", *args, str(path)]).output
        assert '<p class="warning">警告：PDF中有10个字带删除线（第1页' in page
    docx = pytest.importorskip("docx")
    from fzcheck.render.annotate import annotate_to_bytes

    first = docx.Document(io.BytesIO(annotate_to_bytes(str(path)))).comments
    assert "PDF中有10个字带删除线" in next(iter(first)).text  # the title's comment


@pytest.mark.parametrize("kind", ["plain", "underline", "table_rule"])
def test_no_warning_without_a_strike(tmp_path, kind):
    path = tmp_path / f"{kind}.pdf"
    path.write_bytes(_pdf(underline=kind == "underline", table_rule=kind == "table_rule"))
    assert "warnings" not in read_document(str(path)).meta
    assert check_path(str(path), __import__("fzcheck.rules.load", fromlist=["x"]).load_ruleset()).warnings == []


def test_the_web_page_of_a_struck_pdf_warns_too(tmp_path):
    """fzcheck serve's report page shows the readers' warnings under the header, as the
    printed reports do; a PDF without a strike shows none."""
    pytest.importorskip("starlette", reason="the 'serve' extra is not installed")
    pytest.importorskip("httpx", reason="httpx (test extra) is needed by Starlette's TestClient")
    import warnings
    import time

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient
    from fzcheck.app.serve.web import create_app

    files = [("files", ("struck.pdf", _pdf(strike="发放资料3000余份"), "application/pdf")),
             ("files", ("plain.pdf", _pdf(), "application/pdf"))]
    with TestClient(create_app(tmp_path / "data", jobs=1), base_url="http://127.0.0.1:8765") as c:
        r = c.post("/api/batches", files=files)
        assert r.status_code == 201, r.text
        batch = r.json()["id"]
        end = time.monotonic() + 60
        while (p := c.get(f"/api/b/{batch}").json())["done"] < p["total"]:
            assert time.monotonic() < end, p
            time.sleep(0.1)
        rows = {row["name"]: row["n"] for row in p["rows"]}
        struck = c.get(f"/b/{batch}/r/{rows['struck.pdf']}").text
        assert '<p class="reader-warning" role="note">警告：PDF中有10个字带删除线（第1页' in struck
        assert "reader-warning" not in c.get(f"/b/{batch}/r/{rows['plain.pdf']}").text
