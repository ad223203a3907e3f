"""`fzcheck serve` end to end in headless Chromium (selenium with Debian's chromium-driver):
the server runs in its own process on a free loopback port; a .docx, a .pdf and an unreadable
file go through the page's file input; the matrix fills in; a report opens with its evidence
highlighted and findings in the margin; a rule is overruled, the page reloaded and the overrule
is still there; the page prints to A4; the console holds no error.

Skipped, with the reason, when no Chromium with its driver is installed (.ci/run installs
Debian's chromium and chromium-driver). FZCHECK_SCREENSHOT=path keeps the screenshot of the
report view (the README's docs/serve-report.png comes from it).
"""
from __future__ import annotations

import base64
import io
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium (test extra) is not installed")
pytest.importorskip("starlette", reason="the 'serve' extra is not installed")
docx = pytest.importorskip("docx", reason="python-docx (test extra) is not installed")

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from tests.conftest import find_browser  # noqa: E402
from tests.readers_convert import to_pdf  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = (ROOT / "samples" / "qinghe-town-2023.txt").read_text(encoding="utf-8")


def _find(names) -> str | None:
    for name in names:
        path = shutil.which(name)
        if path:
            return path
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = free_port()
    data = tmp_path_factory.mktemp("serve-data")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen([sys.executable, "-m", "fzcheck", "serve", "--port", str(port), "--data", str(data),
                             "--jobs", "2"], cwd=str(ROOT), env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    end = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > end:
                out = proc.stdout.read() if proc.poll() is not None else ""
                proc.kill()
                pytest.fail(f"fzcheck serve did not start: {out}")
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="module")
def driver():
    browser = find_browser()
    chromedriver = _find(("chromedriver",))
    if not browser or not chromedriver:
        pytest.skip("no headless Chromium with its driver: install chromium and chromium-driver "
                    "(apt-get install chromium chromium-driver) to run the serve browser test")
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    opts = Options()
    opts.binary_location = browser
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-extensions", "--window-size=1280,900", "--lang=zh-CN"):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    d = webdriver.Chrome(service=Service(chromedriver), options=opts)
    d.set_page_load_timeout(30)
    yield d
    d.quit()


def make_docx(path: Path) -> None:
    doc = docx.Document()
    for line in SAMPLE.splitlines():
        if not line.strip():
            continue
        if re.match(r"^[一二三四五六七八九十]+、", line):
            doc.add_heading(line, level=1)
        else:
            doc.add_paragraph(line)
    doc.save(str(path))


def severe(d) -> list[str]:
    return [e["message"] for e in d.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]


def test_review_a_batch_in_the_browser(server, driver, tmp_path):
    files = tmp_path / "upload"
    files.mkdir()
    make_docx(files / "青禾镇2023年报告.docx")
    (files / "county-2023.pdf").write_bytes(to_pdf(SAMPLE.replace("青禾镇", "柳河县")))
    (files / "old-format.doc").write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 600)
    d = driver
    wait = WebDriverWait(d, 40, poll_frequency=0.1)

    d.get(server + "/")
    assert "审阅台" in d.title
    d.find_element(By.ID, "files").send_keys("\n".join(str(p) for p in sorted(files.iterdir())))
    wait.until(lambda d: "/b/" in d.current_url)
    wait.until(lambda d: d.find_element(By.ID, "batch").get_attribute("data-done") == "yes"
               and len(d.find_elements(By.CSS_SELECTOR, "#matrix tbody tr")) == 3)
    rows = {r.find_element(By.CSS_SELECTOR, "td.name").text: r for r in d.find_elements(By.CSS_SELECTOR, "#matrix tbody tr")}
    assert set(rows) == {"青禾镇2023年报告.docx", "county-2023.pdf", "old-format.doc"}
    assert "Word 97-2003" in rows["old-format.doc"].text
    assert rows["county-2023.pdf"].find_elements(By.CSS_SELECTOR, "td.cell.c-pass")
    d.find_element(By.ID, "only-failing").click()  # the filter: every readable report passes here
    assert not d.find_elements(By.CSS_SELECTOR, "#matrix tbody tr")
    d.find_element(By.ID, "only-failing").click()
    d.find_element(By.CSS_SELECTOR, "#matrix th[data-sort='score']").click()  # sorting does not break the table
    assert len(d.find_elements(By.CSS_SELECTOR, "#matrix tbody tr")) == 3
    batch_url = d.current_url

    # the report view: the text with its evidence, findings in the margin
    d.find_element(By.LINK_TEXT, "青禾镇2023年报告.docx").click()
    wait.until(lambda d: d.find_elements(By.ID, "text"))
    assert d.find_elements(By.CSS_SELECTOR, "#text .ev.ev-done")
    assert d.find_elements(By.CSS_SELECTOR, "#text .note.note-done")
    assert d.find_elements(By.CSS_SELECTOR, "#text .ev.ev-plan, #text .ev.ev-problem, #text .ev.ev-not_counted")
    score = d.find_element(By.CSS_SELECTOR, "#score-original .score").text
    d.find_element(By.CSS_SELECTOR, "#rule-leading-group a.goto").click()  # scrolls to its evidence
    assert d.execute_script("return location.hash") == "#ev-leading-group"

    # overrule a rule; reload; it is kept
    form = d.find_element(By.CSS_SELECTOR, "#rule-legal-advisor form.review")
    form.find_element(By.NAME, "reason").send_keys("法律顾问为县司法局统一派驻，另有台账")
    form.find_element(By.CSS_SELECTOR, "button.overrule").click()
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#rule-legal-advisor .decision"))
    d.refresh()
    decision = d.find_element(By.CSS_SELECTOR, "#rule-legal-advisor .decision").text
    assert "法律顾问为县司法局统一派驻" in decision
    assert d.find_element(By.CSS_SELECTOR, "#score-original .score").text == score
    assert d.find_elements(By.ID, "score-reviewed")

    # overrule one item of a rule (行政执法“三项制度”: 法制审核): the rule is credited again
    item = d.find_element(By.ID, "item-enforcement-systems-legal-review")
    item.find_element(By.TAG_NAME, "summary").click()
    item.find_element(By.NAME, "reason").send_keys("本镇本年度无重大执法决定")
    item.find_element(By.CSS_SELECTOR, "button.overrule").click()
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#item-enforcement-systems-legal-review .decision"))
    row = d.find_element(By.ID, "rule-enforcement-systems")
    assert "本镇本年度无重大执法决定" in row.text and row.find_elements(By.CSS_SELECTOR, ".reviewed-credit")
    d.execute_script("document.getElementById('rule-enforcement-systems').scrollIntoView()")
    d.execute_script("window.scrollBy(0, -120)")
    item_shot = d.get_screenshot_as_png()
    (tmp_path / "serve-item-overrule.png").write_bytes(item_shot)
    if os.environ.get("FZCHECK_SCREENSHOT_ITEM"):
        Path(os.environ["FZCHECK_SCREENSHOT_ITEM"]).write_bytes(item_shot)

    # the page prints to A4
    pdf = base64.b64decode(d.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True})["data"])
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    assert boxes and all(abs(float(w) - 595.3) < 2 and abs(float(h) - 841.9) < 2 for w, h in boxes)

    # a screenshot of the report view: text, highlights, margin notes
    d.execute_script("document.getElementById('text').scrollIntoView()")
    d.execute_script("window.scrollBy(0, 260)")
    shot = d.get_screenshot_as_png()
    (tmp_path / "serve-report.png").write_bytes(shot)
    keep = os.environ.get("FZCHECK_SCREENSHOT")
    if keep:
        Path(keep).write_bytes(shot)

    # the batch shows the reviewed score
    d.get(batch_url)
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#matrix .reviewed-mark"))
    assert severe(d) == [], "errors in the browser console"


def test_console_check_is_not_vacuous(server, driver):
    """A page error on the same server is seen by the console check above."""
    driver.get(server + "/static/missing.js")
    assert any("404" in m for m in severe(driver))
