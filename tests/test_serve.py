"""`fzcheck serve` through its HTTP API (Starlette's TestClient): uploads and progress, a row per
unreadable file, overrules kept across a restart and exported as a waivers file the CLI reads,
the token beyond loopback, archives with unsafe paths or bombs refused, report text escaped."""
from __future__ import annotations

import io
import time
import warnings
import zipfile
from pathlib import Path

import pytest
import yaml

pytest.importorskip("starlette", reason="the 'serve' extra is not installed (pip install -e '.[test]')")
pytest.importorskip("httpx", reason="httpx (test extra) is needed by Starlette's TestClient")
pytest.importorskip("multipart", reason="python-multipart (serve extra) is not installed")
pytest.importorskip("jinja2", reason="jinja2 (serve extra) is not installed")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # Starlette 1.x would rather have httpx2
    from starlette.testclient import TestClient

from fzcheck.app.serve.web import create_app  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = (ROOT / "samples" / "qinghe-town-2023.txt").read_bytes()
LOCAL = "http://127.0.0.1:8765"

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def client(data: Path, **kw) -> TestClient:
    kw.setdefault("jobs", 1)
    base = kw.pop("base_url", LOCAL)
    return TestClient(create_app(data, **kw), base_url=base)


def upload(c: TestClient, *files: tuple[str, bytes], batch: str | None = None) -> dict:
    url = f"/api/b/{batch}/files" if batch else "/api/batches"
    r = c.post(url, files=[("files", (name, data, "application/octet-stream")) for name, data in files])
    assert r.status_code == 201, r.text
    return r.json()


def wait(c: TestClient, batch: str, timeout: float = 60) -> dict:
    end = time.monotonic() + timeout
    while True:
        p = c.get(f"/api/b/{batch}").json()
        if p["done"] == p["total"]:
            return p
        assert time.monotonic() < end, f"not checked in {timeout} s: {p}"
        time.sleep(0.1)


def rows_by_name(p: dict) -> dict:
    return {r["name"]: r for r in p["rows"]}


def test_upload_progress_and_a_row_per_unreadable_file(tmp_path):
    with client(tmp_path) as c:
        page = c.get("/")
        assert page.status_code == 200 and "审阅台" in page.text
        assert "script-src 'self'" in page.headers["content-security-policy"]
        b = upload(c, ("qinghe.txt", SAMPLE), ("old.doc", bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 600),
                   ("scan.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 100), ("empty.txt", b""))
        assert len(b["added"]) == 4
        first = c.get(f"/api/b/{b['id']}").json()
        assert first["total"] == 4
        p = wait(c, b["id"])
        rows = rows_by_name(p)
        ok = rows["qinghe.txt"]
        assert ok["state"] == "done" and ok["score"] > 60 and ok["passed"] is True and ok["status"]["leading-group"]
        assert "Word 97-2003" in rows["old.doc"]["error"]
        assert "PNG" in rows["scan.png"]["error"]
        assert rows["empty.txt"]["state"] == "error"
        assert {c_["id"] for c_ in p["columns"]} >= {"leading-group", "major-decisions"}
        report = c.get(f"/b/{b['id']}/r/{ok['n']}")
        assert report.status_code == 200 and 'class="ev ev-done' in report.text and 'class="note note-done' in report.text
        # a row that failed has a page saying why, never a 500
        bad = c.get(f"/b/{b['id']}/r/{rows['old.doc']['n']}")
        assert bad.status_code == 200 and "Word 97-2003" in bad.text
        csv_text = c.get(f"/b/{b['id']}/matrix.csv").content.decode("utf-8-sig")
        assert "qinghe.txt" in csv_text and "old.doc" in csv_text
        gap = c.get(f"/b/{b['id']}/gap.html")
        assert gap.status_code == 200 and "<script" not in gap.text
        assert "script" not in gap.headers["content-security-policy"]  # the printed report's own policy
        more = upload(c, ("again.txt", SAMPLE), batch=b["id"])
        assert more["added"] == [5]
        assert wait(c, b["id"])["total"] == 5


def test_overrule_survives_a_restart_and_is_exported_as_waivers(tmp_path):
    data = tmp_path / "data"
    with client(data) as c:
        b = upload(c, ("qinghe-town-2023.txt", SAMPLE))["id"]
        wait(c, b)
        url = f"/b/{b}/r/1/review"
        r = c.post(url, data={"rule": "leading-group", "decision": "overrule", "reason": ""}, follow_redirects=False)
        assert r.status_code == 303 and "error=reason" in r.headers["location"]  # a reason is required
        r = c.post(url, data={"rule": "leading-group", "decision": "overrule", "reason": "本镇由党委统一领导"},
                   follow_redirects=False)
        assert r.status_code == 303
        r = c.post(url, json={"rule": "shufa", "decision": "agree", "reason": ""}, headers={"accept": "application/json"})
        assert r.status_code == 200 and r.json()["decision"] == "agree"
        before = c.get(f"/api/b/{b}").json()["rows"][0]
    with client(data) as c:  # a new server on the same --data
        page = c.get(f"/b/{b}/r/1")
        assert page.status_code == 200 and "本镇由党委统一领导" in page.text and "score-reviewed" in page.text
        row = c.get(f"/api/b/{b}").json()["rows"][0]
        assert row["reviewed"] == before["reviewed"] and row["reviewed"]["overrules"] == 1
        text = c.get(f"/b/{b}/waivers.yaml").text
        entries = yaml.safe_load(text)
        assert entries == [{"rule": "leading-group", "reason": "本镇由党委统一领导", "files": ["qinghe-town-2023.txt"]}]
        reviewed = c.get(f"/b/{b}/reviewed.json").json()["documents"][0]
        lg = next(r for r in reviewed["results"] if r["id"] == "leading-group")
        assert lg["status"] == "waived" and reviewed["review"]["original"]["status"]["leading-group"] == "pass"
        assert {d["decision"] for d in reviewed["review"]["decisions"]} == {"overrule", "agree"}
        original = c.get(f"/b/{b}/results.json").json()["documents"][0]
        assert next(r for r in original["results"] if r["id"] == "leading-group")["status"] == "pass"
        gap = c.get(f"/b/{b}/r/1/gap.html").text
        assert "本镇由党委统一领导" in gap  # the printed page shows the overrule
        # undo
        c.post(f"/b/{b}/r/1/review", data={"rule": "leading-group", "decision": "undo"})
        assert "reviewed" not in c.get(f"/api/b/{b}").json()["rows"][0]

    # the exported file is the CLI's waivers format: the same overrule, the same score
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(text, encoding="utf-8")
    report = tmp_path / "qinghe-town-2023.txt"
    report.write_bytes(SAMPLE)
    from fzcheck.engine.check import Options, check_path
    from fzcheck.engine.waivers import load_waivers
    from fzcheck.rules.load import load_ruleset

    result = check_path(str(report), load_ruleset(), Options(waivers=load_waivers(str(waivers))))
    assert next(r for r in result.results if r.id == "leading-group").status == "waived"
    assert result.score == row["reviewed"]["score"]
    other = tmp_path / "other.txt"
    other.write_bytes(SAMPLE)
    assert next(r for r in check_path(str(other), load_ruleset(), Options(waivers=load_waivers(str(waivers)))).results
                if r.id == "leading-group").status == "pass"  # limited to that report


def test_token_required_beyond_loopback(tmp_path):
    with client(tmp_path, host="0.0.0.0", token="s3cret-token", base_url="http://10.0.0.5:8765") as c:
        assert c.get("/").status_code == 401
        assert c.post("/api/batches", files=[("files", ("a.txt", SAMPLE))]).status_code == 401
        assert c.get("/?token=wrong").status_code == 401
        r = c.get("/?token=s3cret-token", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/" and "fzcheck_token" in r.headers["set-cookie"]
        assert "httponly" in r.headers["set-cookie"].lower() and "samesite=strict" in r.headers["set-cookie"].lower()
        assert c.get("/").status_code == 200  # the cookie now
    with client(tmp_path, host="0.0.0.0", token="s3cret-token", base_url="http://10.0.0.5:8765") as c:
        assert c.get("/", headers={"authorization": "Bearer s3cret-token"}).status_code == 200


def test_serve_generates_a_token_beyond_loopback(tmp_path, monkeypatch):
    import uvicorn

    from fzcheck.app.serve import run

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(kw))
    lines: list[str] = []
    run(host="0.0.0.0", port=9999, data=str(tmp_path), echo=lines.append, jobs=1)
    text = "\n".join(lines)
    assert "token" in text and "?token=" in text and seen["host"] == "0.0.0.0"
    lines.clear()
    run(host="127.0.0.1", port=9999, data=str(tmp_path), echo=lines.append, jobs=1)
    assert "?token=" not in "\n".join(lines)


def test_loopback_refuses_other_host_names_and_cross_origin_posts(tmp_path):
    with client(tmp_path) as c:
        assert c.get("/", headers={"host": "evil.example"}).status_code == 421  # DNS rebinding
        r = c.post("/api/batches", files=[("files", ("a.txt", SAMPLE))], headers={"origin": "http://evil.example"})
        assert r.status_code == 403


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_zip_of_reports_with_traversal_and_bomb_refused(tmp_path):
    data = tmp_path / "data"
    archive = _zip({"../../evil.txt": SAMPLE, "/etc/passwd.txt": SAMPLE, "county/qinghe.txt": SAMPLE,
                    "county/bomb.txt": b"\0" * (30 * 1024 * 1024), "photo.jpg": b"\xff\xd8\xff" + b"\0" * 10,
                    "__MACOSX/county/._qinghe.txt": b"x"})
    with client(data) as c:
        b = upload(c, ("region.zip", archive))["id"]
        rows = rows_by_name(wait(c, b))
        assert set(rows) == {"region.zip/../../evil.txt", "region.zip//etc/passwd.txt", "region.zip/county/qinghe.txt",
                             "region.zip/county/bomb.txt"}
        assert "traversal" in rows["region.zip/../../evil.txt"]["error"]
        assert "traversal" in rows["region.zip//etc/passwd.txt"]["error"]
        assert "zip bomb" in rows["region.zip/county/bomb.txt"]["error"] or "limit" in rows["region.zip/county/bomb.txt"]["error"]
        assert rows["region.zip/county/qinghe.txt"]["state"] == "done"
    assert not (tmp_path / "evil.txt").exists() and not list(tmp_path.rglob("evil.txt"))


def test_gbk_names_in_a_zip_from_chinese_windows():
    from fzcheck.app.serve.uploads import member_name

    info = zipfile.ZipInfo("青禾镇.txt".encode("gbk").decode("cp437"))  # no UTF-8 flag: as Windows writes it
    assert member_name(info) == "青禾镇.txt"


def test_too_large_file_gets_a_row(tmp_path):
    with client(tmp_path, max_bytes=2000) as c:
        b = upload(c, ("big.txt", SAMPLE), ("small.txt", "法治政府建设年度报告\n一、主要举措\n成立领导小组。".encode()))["id"]
        rows = rows_by_name(wait(c, b))
        assert "limit" in rows["big.txt"]["error"] and rows["small.txt"]["state"] == "done"


def test_report_text_is_escaped(tmp_path):
    hostile = SAMPLE.decode("utf-8").replace(
        "五、", "五、").replace("（五）推进政务公开。", "（五）推进政务公开<script>alert('x')</script><img src=x onerror=alert(1)>。")
    with client(tmp_path) as c:
        b = upload(c, ("<img src=y onerror=alert(2)>.txt", hostile.encode("utf-8")))["id"]
        p = wait(c, b)
        assert p["rows"][0]["name"] == "<img src=y onerror=alert(2)>.txt"  # JSON; the page puts it in with textContent
        page = c.get(f"/b/{b}/r/1").text
        assert "<script>alert" not in page and "<img src=x" not in page
        assert "<img src=y" not in page
        assert "&lt;script&gt;alert" in page and "&lt;img src=y onerror=alert(2)&gt;.txt" in page
        assert page.count("<script") == 2  # the words (JSON data) and /static/app.js, nothing else
        assert "<script>alert" not in c.get(f"/b/{b}/gap.html").text


def test_no_listing_and_unknown_ids(tmp_path):
    with client(tmp_path) as c:
        b = upload(c, ("a.txt", SAMPLE))["id"]
        assert len(b) >= 32
        assert c.get("/api/b/").status_code == 404
        assert c.get("/b/").status_code == 404
        assert c.get("/api/b/" + "A" * 32).status_code == 404
        assert c.get("/b/../fzcheck-serve.sqlite3").status_code == 404
        wait(c, b)
        assert c.post(f"/b/{b}/delete").status_code == 200
        assert c.get(f"/api/b/{b}").status_code == 404
        assert not (tmp_path / "files" / b).exists()


def test_word_copy_download_when_annotate_is_there(tmp_path):
    docx = pytest.importorskip("docx", reason="python-docx is not installed")
    from fzcheck.app.serve.web import annotate_available

    if not annotate_available():
        pytest.skip("fzcheck annotate is not available")
    d = docx.Document()
    for line in SAMPLE.decode("utf-8").splitlines():
        if line.strip():
            d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    with client(tmp_path) as c:
        b = upload(c, ("qinghe.docx", buf.getvalue()))["id"]
        wait(c, b)
        assert "annotated.docx" in c.get(f"/b/{b}/r/1").text
        r = c.get(f"/b/{b}/r/1/annotated.docx")
        assert r.status_code == 200 and r.content[:2] == b"PK"


def crash_on_killer(path, name, *args):
    """The workers' function of the next tests: a file named killer* ends its worker at once,
    as a crash in a parser or the OOM killer would; any other file is checked as usual."""
    import os

    from fzcheck.app.serve.work import check_file

    if name.startswith("killer"):
        os._exit(70)
    return check_file(path, name, *args)


def test_a_file_that_kills_its_worker_gets_its_own_row_and_the_pool_lives_on(tmp_path):
    with client(tmp_path, jobs=2, check=crash_on_killer) as c:
        files = [(f"r{i:02d}.txt", SAMPLE) for i in range(6)]
        files.insert(3, ("killer.txt", SAMPLE))
        b = upload(c, *files)["id"]
        rows = rows_by_name(wait(c, b, timeout=120))
        assert rows["killer.txt"]["state"] == "error"
        assert "意外终止" in rows["killer.txt"]["error"]  # run.worker_died, in the batch's language
        assert all(rows[f"r{i:02d}.txt"]["state"] == "done" for i in range(6)), rows  # the others: checked
        # every later upload is checked by the new pool
        later = upload(c, ("later.txt", SAMPLE), batch=b)
        rows = rows_by_name(wait(c, b, timeout=60))
        assert rows["later.txt"]["state"] == "done" and rows["later.txt"]["score"] > 60
        again = upload(c, ("killer2.txt", SAMPLE), ("after.txt", SAMPLE))["id"]  # and it survives a second death
        rows = rows_by_name(wait(c, again, timeout=60))
        assert rows["killer2.txt"]["state"] == "error" and rows["after.txt"]["state"] == "done"
        assert later["added"] == [8]
        assert c.app.state.checker().generation == 2


def test_a_worker_killed_from_outside_mid_batch(tmp_path):
    import os
    import signal

    with client(tmp_path, jobs=2) as c:
        n = 60
        b = upload(c, *[(f"r{i:02d}.txt", SAMPLE) for i in range(n)])["id"]
        pool = c.app.state.checker().pool
        deadline = time.monotonic() + 30
        while not (getattr(pool, "_processes", None) or {}) and time.monotonic() < deadline:
            time.sleep(0.02)
        victim = next(iter(pool._processes))
        os.kill(victim, signal.SIGKILL)
        p = wait(c, b, timeout=120)
        errors = [r for r in p["rows"] if r["state"] == "error"]
        assert len(errors) <= 1, errors  # the file it was checking (none if it was between files)
        assert sum(r["state"] == "done" for r in p["rows"]) >= n - 1
        # The checks are fast: the batch may have ended before the kill reached an idle worker,
        # so the dead worker is noticed at the latest when the next file is sent to the pool.
        b2 = upload(c, ("after.txt", SAMPLE))["id"]
        assert wait(c, b2, timeout=60)["rows"][0]["state"] == "done"
        assert c.app.state.checker().generation == 1  # noticed once: a new pool, which checked it


def test_overrule_an_item_recomputes_the_rule_and_is_exported(tmp_path):
    data = tmp_path / "data"
    with client(data) as c:
        b = upload(c, ("qinghe-town-2023.txt", SAMPLE))["id"]
        before = wait(c, b)["rows"][0]
        url = f"/b/{b}/r/1/review"
        r = c.post(url, json={"rule": "enforcement-systems", "item": "nope", "decision": "overrule", "reason": "x"})
        assert r.status_code == 400  # an item the rule does not have
        r = c.post(url, json={"rule": "enforcement-systems", "item": "legal-review", "decision": "overrule",
                              "reason": "本镇无重大执法决定"}, headers={"accept": "application/json"})
        assert r.status_code == 200 and r.json()["item"] == "legal-review"
        assert r.json()["credit"] == 1.0 and r.json()["score"] > before["score"]
        c.post(url, data={"rule": "major-decisions", "item": "risk-assessment", "decision": "agree", "reason": ""})
    with client(data) as c:  # kept across a restart
        page = c.get(f"/b/{b}/r/1").text
        assert 'id="item-enforcement-systems-legal-review" class="no is-reviewed"' in page
        assert "本镇无重大执法决定" in page and "score-reviewed" in page and 'class="reviewed-credit"' in page
        # the rule's lead says what the review did; the checker's call stays, marked as such
        row_html = page.split('id="rule-enforcement-systems"')[1].split('<td class="act">')[0]
        assert '<div class="msg reviewed-msg">复核后：已豁免“重大执法决定法制审核”：本镇无重大执法决定</div>' in row_html
        assert '<div class="msg muted">检查结果：' in row_html
        assert page.count("reviewed-msg") == 1  # only the rule a call changed
        row = c.get(f"/api/b/{b}").json()["rows"][0]
        assert row["reviewed"]["overrules"] == 1 and row["reviewed"]["score"] > before["score"]
        text = c.get(f"/b/{b}/waivers.yaml").text
        assert yaml.safe_load(text) == [{"rule": "enforcement-systems", "item": "legal-review",
                                         "reason": "本镇无重大执法决定", "files": ["qinghe-town-2023.txt"]}]
        doc = c.get(f"/b/{b}/reviewed.json").json()["documents"][0]
        es = next(r for r in doc["results"] if r["id"] == "enforcement-systems")
        assert es["status"] == "pass" and next(i for i in es["items"] if i["id"] == "legal-review")["status"] == "waived"
        assert doc["review"]["original"]["items"]["enforcement-systems"]["legal-review"] == "problem_only"
        assert {(d["rule"], d.get("item"), d["decision"]) for d in doc["review"]["decisions"]} == {
            ("enforcement-systems", "legal-review", "overrule"), ("major-decisions", "risk-assessment", "agree")}
        assert "本镇无重大执法决定" in c.get(f"/b/{b}/r/1/gap.html").text  # the printed page
    # the CLI reads the exported file and gives the same score
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(text, encoding="utf-8")
    report = tmp_path / "qinghe-town-2023.txt"
    report.write_bytes(SAMPLE)
    from fzcheck.engine.check import Options, check_path
    from fzcheck.engine.waivers import load_waivers
    from fzcheck.rules.load import load_ruleset

    result = check_path(str(report), load_ruleset(), Options(waivers=load_waivers(str(waivers))))
    assert result.score == row["reviewed"]["score"]


SMALL = """青禾镇2023年法治政府建设年度报告
一、2023年度推进法治政府建设的主要举措和成效
（一）成立了法治政府建设工作领导小组。严格履行公众参与、专家论证、风险评估、合法性审查、集体讨论决定等法定程序。
（二）聘请律师事务所为常年法律顾问，出具法律意见书5件，审查合同12件，代理诉讼2件。
二、党政主要负责人履行推进法治建设第一责任人职责情况
主要负责人切实履行推进法治建设第一责任人职责，亲自部署。
三、存在的不足和原因
执法力量薄弱。究其原因，一是编制不足。
四、2024年工作安排
继续努力。
"""


# Forty sentences of routine work per heading block: each report takes a few ms to check, so a
# batch of 100 keeps two workers busy for well over a second even on a fast machine.
FILLER = "".join(f"（{i}）本年度组织开展执法检查{i}次，印发工作通知{i + 2}份，推动各项任务落实到位。\n" for i in range(5, 405))


def test_a_100_report_batch_stays_responsive(tmp_path):
    """While one batch of 100 reports is being checked, the batch page and its progress JSON
    answer within 200 ms (p95 of the polls made while the batch is busy, at least 5), and every
    row ends checked."""
    body = SMALL.replace("四、2024年工作安排", FILLER + "四、2024年工作安排")
    with client(tmp_path, jobs=2) as c:
        files = [(f"镇{i:03d}-2023.txt", body.replace("青禾镇", f"第{i}镇").encode()) for i in range(100)]
        b = upload(c, *files)["id"]
        page_ms, json_ms, seen_busy = [], [], 0
        for _ in range(20):
            t0 = time.perf_counter()
            page = c.get(f"/b/{b}")
            page_t = (time.perf_counter() - t0) * 1000
            t0 = time.perf_counter()
            p = c.get(f"/api/b/{b}").json()
            json_t = (time.perf_counter() - t0) * 1000
            assert page.status_code == 200 and p["total"] == 100
            if p["done"] == p["total"]:
                break  # only polls answered while the workers were busy are measured
            seen_busy += 1
            page_ms.append(page_t)
            json_ms.append(json_t)
            time.sleep(0.02)
        assert seen_busy >= 5, f"the batch was done after {seen_busy} polls: too few to measure"

        def p95(xs):
            return sorted(xs)[int(0.95 * len(xs)) - 1]

        print(f"batch page p95 {p95(page_ms):.1f} ms, progress JSON p95 {p95(json_ms):.1f} ms, polls while busy {seen_busy}")
        assert p95(page_ms) < 200, f"batch page p95 {p95(page_ms):.0f} ms: {sorted(page_ms)}"
        assert p95(json_ms) < 200, f"progress JSON p95 {p95(json_ms):.0f} ms: {sorted(json_ms)}"
        p = wait(c, b, timeout=180)
        assert [r["state"] for r in p["rows"]] == ["done"] * 100
        assert all(r["score"] > 0 for r in p["rows"])


def test_a_report_over_the_time_limit_gets_its_row_and_the_worker_goes_on(tmp_path):
    """serve checks each report under a time budget (--timeout, the CLI's default 30 s): a file
    that would hold its worker longer gets an error row saying so, the next files are checked."""
    slow = ("成立了法治建设领导小组，聘请了常年法律顾问，" * 60000).encode()  # 3.9 MB: over a second
    with client(tmp_path, jobs=1, timeout=0.2) as c:
        b = upload(c, ("slow.txt", slow), ("qinghe-town-2023.txt", SAMPLE))["id"]
        rows = rows_by_name(wait(c, b, timeout=60))
        assert rows["slow.txt"]["state"] == "error"
        assert "0.2秒的时间限制" in rows["slow.txt"]["error"] and "fzcheck check --timeout" in rows["slow.txt"]["error"]
        assert rows["qinghe-town-2023.txt"]["state"] == "done"
        assert c.app.state.checker().generation == 0  # the worker lived on: no pool was rebuilt


def half_an_answer_on_half(path, name, *args):
    """The workers' function of the next test: for a file named half*, the worker writes the
    start of a long answer to its result pipe and dies (as if killed while answering)."""
    import gc
    import os
    import struct
    from multiprocessing.queues import SimpleQueue

    from fzcheck.app.serve.work import check_file

    if name.startswith("half"):
        for q in [o for o in gc.get_objects() if isinstance(o, SimpleQueue)]:
            os.write(q._writer.fileno(), struct.pack("!i", 1 << 20) + b"\0" * 16)
        os._exit(70)
    return check_file(path, name, *args)


def test_a_worker_dying_mid_answer_costs_its_file_only_and_leaves_no_stuck_thread(tmp_path):
    """A worker killed while writing its answer leaves half a message in the result pipe: the
    executor's thread then waits for the rest for ever, nothing in flight finishes and the
    server hangs at exit (CI saw it). serve notices the dead worker itself."""
    import threading
    from concurrent.futures.process import _ExecutorManagerThread

    with client(tmp_path, jobs=2, check=half_an_answer_on_half) as c:
        files = [("half.txt", SAMPLE)] + [(f"r{i}.txt", SAMPLE) for i in range(3)]
        rows = rows_by_name(wait(c, upload(c, *files)["id"], timeout=60))
        assert rows["half.txt"]["state"] == "error" and "意外终止" in rows["half.txt"]["error"]
        assert [rows[f"r{i}.txt"]["state"] for i in range(3)] == ["done"] * 3
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(isinstance(t, _ExecutorManagerThread) and t.is_alive()
                                              for t in threading.enumerate()):
        time.sleep(0.1)
    assert not [t for t in threading.enumerate() if isinstance(t, _ExecutorManagerThread) and t.is_alive()]
