"""A folder walk gives every file received a row (issue 12, item 1): a result, or what the
file is and what to do, in Chinese by default; the count always equals the files received.
Hidden files and Office lock files (~$x.docx) are not files anyone sent."""
from __future__ import annotations

import json
import zipfile

from click.testing import CliRunner

from fzcheck.app.cli import cli
from tests.readers_convert import to_docx

REPORT = ("某镇2023年法治政府建设工作报告\n一、主要举措和成效\n2023年，我镇聘请法律顾问1名。\n"
          "二、存在的不足\n法治宣传还不够深入。\n三、下一年度工作安排\n继续加强法治宣传。\n")


def _folder(tmp_path):
    d = tmp_path / "received"
    d.mkdir()
    (d / "a.txt").write_text(REPORT, encoding="utf-8")
    (d / "b.docx").write_bytes(to_docx(REPORT))
    (d / "no-extension").write_text(REPORT, encoding="utf-8")  # sniffed: a text report
    with zipfile.ZipFile(d / "c.odt", "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", "<office:document-content/>")
    with zipfile.ZipFile(d / "d.ofd", "w") as z:
        z.writestr("OFD.xml", "<ofd:OFD/>")
    (d / "scan.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(200))
    (d / "e.rtf").write_text("{\\rtf1 报告}", encoding="utf-8")
    (d / "sheet.xls").write_bytes(bytes(range(256)))
    (d / "blob").write_bytes(bytes(range(256)) * 4)
    (d / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (d / "~$b.docx").write_bytes(b"lock")
    return d, 9


def test_every_file_received_gets_one_row(tmp_path):
    folder, received = _folder(tmp_path)
    res = CliRunner().invoke(cli, ["check", "-f", "json", str(folder)])
    data = json.loads(res.stdout if hasattr(res, "stdout") else res.output)
    rows = {d["path"] for d in data["documents"]} | {e["path"] for e in data["errors"]}
    assert len(data["documents"]) + len(data["errors"]) == received == len(rows)
    why = {e["path"].rsplit("/", 1)[-1]: e["error"] for e in data["errors"]}
    assert why["c.odt"].startswith("无法检查：.odt") and "另存为 .docx" in why["c.odt"]
    assert "OFD" in why["d.ofd"] and "国家电子文件格式" in why["d.ofd"]
    assert why["scan.jpg"].startswith("图片或扫描件") and "文字识别" in why["scan.jpg"]
    assert "RTF" in why["e.rtf"] and "表格" in why["sheet.xls"] and why["blob"]
    assert {d["path"].rsplit("/", 1)[-1] for d in data["documents"]} == {"a.txt", "b.docx", "no-extension"}
