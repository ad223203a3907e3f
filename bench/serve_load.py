"""Load on `fzcheck serve`: 200 uploads of a ~10 KB report from 20 concurrent clients on 127.0.0.1.

Starts the server in its own process on a free loopback port with a temporary --data folder,
sends the uploads (each a new batch of one report, multipart POST /api/batches, as the page
does), then waits until every report is checked while it samples how fast the page and its
progress JSON answer. Bounded: a fixed number of requests, every wait has a timeout; it stops
by itself and stops the server.

    python bench/serve_load.py [--uploads 200] [--clients 20] [--jobs auto]

Prints requests/s, p50/p95/max latency of an upload, failed requests, reports checked per
second, and p50/p95 of the page while the batch is being checked. Standard library only
(the server needs the 'serve' extra).
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = (ROOT / "samples" / "qinghe-town-2023.txt").read_text(encoding="utf-8")


def report_10kb() -> bytes:
    """The sample report with its achievements told at more length: about 10 KB of UTF-8."""
    head, rest = SAMPLE.split("二、党政主要负责人", 1)
    extra = []
    n = 0
    while len((head + "".join(extra) + rest).encode("utf-8")) < 10_000:
        n += 1
        extra.append(f"（{n + 8}）深化基层依法治理。全年开展“法律进乡村”活动{n + 11}场，培训村（社区）“法律明白人”"
                     f"{n * 7 + 30}名，调解矛盾纠纷{n * 5 + 60}件，调解成功率98%。\n")
    return (head + "".join(extra) + "二、党政主要负责人" + rest).encode("utf-8")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def multipart(name: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\n"
            "Content-Type: text/plain\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(p / 100 * len(values) + 0.5) - 1))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--uploads", type=int, default=200)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--jobs", default="auto", help="the server's checking processes (--jobs of fzcheck serve)")
    ap.add_argument("--timeout", type=float, default=300, help="give up after this many seconds")
    args = ap.parse_args()

    port = free_port()
    data_dir = tempfile.mkdtemp(prefix="fzcheck-serve-load-")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    server = subprocess.Popen([sys.executable, "-m", "fzcheck", "serve", "--port", str(port), "--data", data_dir,
                               "--jobs", str(args.jobs)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        end = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > end:
                    print("the server did not start:", server.stderr.read().decode() if server.poll() is not None
                          else "timeout", file=sys.stderr)
                    return 2
                time.sleep(0.1)
        return run(port, args)
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
        import shutil

        shutil.rmtree(data_dir, ignore_errors=True)


def run(port: int, args) -> int:
    doc = report_10kb()
    lock = threading.Lock()
    latencies: list[float] = []
    failures: list[str] = []
    batches: list[str] = []
    todo = list(range(args.uploads))
    deadline = time.monotonic() + args.timeout

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < deadline:
            with lock:
                if not todo:
                    break
                i = todo.pop()
            body, ctype = multipart(f"report-{i:03d}.txt", doc)
            t0 = time.perf_counter()
            try:
                conn.request("POST", "/api/batches", body, {"Content-Type": ctype, "Accept": "application/json"})
                resp = conn.getresponse()
                payload = resp.read()
                dt = time.perf_counter() - t0
                with lock:
                    if resp.status == 201:
                        latencies.append(dt)
                        batches.append(json.loads(payload)["id"])
                    else:
                        failures.append(f"{resp.status} {payload[:100]!r}")
            except (OSError, http.client.HTTPException) as exc:
                with lock:
                    failures.append(repr(exc))
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.close()

    print(f"{args.uploads} uploads of a {len(doc) / 1024:.1f} KB report from {args.clients} concurrent clients "
          f"on 127.0.0.1 ({os.cpu_count()} cores)")
    t_start = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(args.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    t_up = time.perf_counter() - t_start

    # until every report is checked, sample how fast the page and the progress answer
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    page_lat: list[float] = []
    pending = set(batches)
    while pending and time.monotonic() < deadline:
        for b in list(pending):
            t0 = time.perf_counter()
            conn.request("GET", f"/api/b/{b}")
            resp = conn.getresponse()
            info = json.loads(resp.read())
            page_lat.append(time.perf_counter() - t0)
            if info["done"] == info["total"]:
                pending.discard(b)
            if len(page_lat) % 10 == 0:
                t0 = time.perf_counter()
                conn.request("GET", f"/b/{b}")
                conn.getresponse().read()
                page_lat.append(time.perf_counter() - t0)
        time.sleep(0.05)
    t_all = time.perf_counter() - t_start
    conn.close()

    ms = [x * 1000 for x in latencies]
    pms = [x * 1000 for x in page_lat]
    print(f"uploads: {len(latencies)} ok, {len(failures)} failed in {t_up:.2f} s -> {len(latencies) / t_up:.1f} requests/s")
    if ms:
        print(f"upload latency: p50 {statistics.median(ms):.1f} ms, p95 {pct(ms, 95):.1f} ms, max {max(ms):.1f} ms")
    print(f"checked: {len(batches) - len(pending)}/{len(batches)} reports in {t_all:.2f} s from the first upload "
          f"-> {(len(batches) - len(pending)) / t_all:.1f} reports/s")
    if pms:
        print(f"page and progress while checking: {len(pms)} requests, p50 {statistics.median(pms):.1f} ms, "
              f"p95 {pct(pms, 95):.1f} ms")
    for f in failures[:5]:
        print("failed:", f)
    return 1 if failures or pending else 0


if __name__ == "__main__":
    sys.exit(main())
