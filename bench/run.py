#!/usr/bin/env python3
"""Benchmark of fzcheck: cold start, batch throughput, growth and peak memory.

Usage (from the checkout, with fzcheck installed in the running Python's environment):

    python bench/run.py                 # every figure, about three minutes
    python bench/run.py --quick         # smaller corpus, fewer repeats (a smoke run)

It builds a corpus in a temporary folder from the project's own sample report
(samples/qinghe-town-2023.txt) and variations of it (place names replaced,
paragraphs dropped or duplicated, years shifted), plus the real reports of
../shared/corpus/seeds when that folder is present (and variations of them), then
prints, in one run on the same machine:

* cold start: median wall time of ``fzcheck check one-report.txt`` divided by that
  of ``python -c pass`` (target <= 6) and by that of ``python -c "import click, regex"``,
  the floor of its libraries (target <= 1.4), the three interleaved, with the CPU time of
  each beside (steadier than the wall time on a shared machine);
* warm check: median time to check a 10 KB report (and encode its JSON) in a process
  that has already checked one, as the web page, an editor integration or a library
  caller does (target <= 5 ms);
* batch: reports per second for 2,000 reports with ``--jobs`` = all cores, JSON out
  (target >= 1,000/s on 2 cores) and ``--summary`` out, and with one job;
* growth: time for 1,000, 2,000 and 4,000 reports, and for one report of 10 KB,
  100 KB and 1 MB (as many lines, as one paragraph, and as one sentence without any
  full stop or comma): both must grow linearly;
* peak memory of the batch run (proportional set size summed over the process tree,
  so that forked workers' shared pages count once; target <= 300 MB).

Each figure is printed with its target and PASS or MISS. Throughput is the median of
three runs, and the CPU time per report is printed beside it: on a machine shared with
other work the wall time varies, the CPU time much less.

Only the standard library is used; fzcheck runs as a subprocess, exactly as a user
runs it, with Python's bytecode cache on as in any installation. fzcheck's own cache
lives in a private folder (XDG_CACHE_HOME points into the temporary folder), so the
user's cache is left alone; the cold start is measured with that cache warm (as for a
pre-commit hook after its first run) and, for comparison, with FZCHECK_NO_CACHE=1.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "qinghe-town-2023.txt"
SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"

PLACES = ["青禾镇", "白沙镇", "东坪乡", "柳河街道", "石门镇", "南湖乡", "金桥镇", "杨柳街道", "清水镇", "龙泉乡",
          "红旗镇", "新华街道", "三江镇", "北山乡", "长林镇", "平安街道", "大河镇", "高桥乡", "西塘镇", "凤凰街道"]
_YEAR = re.compile(r"(?<!\d)(20[12]\d)(?!\d)")

# ----------------------------------------------------------------------------- corpus


def _decode(data: bytes) -> str:
    for enc in ("utf-8-sig", "gb18030", "big5"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def source_reports() -> list[tuple[str, str]]:
    """(name, text) of every report the corpus is made from."""
    out = [(SAMPLE.stem, _decode(SAMPLE.read_bytes()))]
    if SEEDS.is_dir():
        for p in sorted(SEEDS.glob("*.txt")):
            out.append((p.stem, _decode(p.read_bytes())))
    return out


def vary(text: str, rng: random.Random) -> str:
    """A plausible sibling of a report: another place, another year, paragraphs
    dropped or repeated, figures changed."""
    place = rng.choice(PLACES)
    text = text.replace("青禾镇", place).replace("青禾", place[:2])
    shift = rng.choice([-3, -2, -1, 0, 0, 1])
    if shift:
        text = _YEAR.sub(lambda m: str(int(m.group(1)) + shift), text)
    lines = text.splitlines()
    out = []
    for n, line in enumerate(lines):
        body = n > 3 and len(line) > 30 and not re.match(r"\s*[一二三四五六七八九十]+、", line)
        r = rng.random()
        if body and r < 0.08:
            continue  # dropped
        out.append(re.sub(r"(?<!\d)(\d{1,3})(?=[条件次场名个台期])",
                          lambda m: str(max(1, int(m.group(1)) + rng.randint(-2, 5))), line) if body else line)
        if body and r > 0.93:
            out.append(line)  # duplicated
    return "\n".join(out) + "\n"


def build_corpus(folder: Path, n: int, sources: list[tuple[str, str]], seed: int = 6) -> list[Path]:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        name, text = sources[i % len(sources)]
        if i >= len(sources):
            text = vary(text, rng)
        p = folder / f"{i:06d}-{name}.txt"
        p.write_text(text, encoding="utf-8")
        paths.append(p)
    return paths


def sized_report(size: int, shape: str = "lines", seed: int = 7) -> str:
    """A report of about ``size`` bytes: the sample's title and opening, its
    achievements repeated with varied figures until the size is reached, then its
    remaining parts. ``shape``: ``lines`` (one paragraph per line), ``paragraph`` (the
    body in one line) or ``sentence`` (the body in one line without any full stop or
    comma: one sentence, one clause)."""
    rng = random.Random(seed)
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    start = next(i for i, l in enumerate(lines) if l.startswith("一、"))
    stop = next(i for i, l in enumerate(lines) if l.startswith("二、"))
    head, body, tail = lines[: start + 1], [l for l in lines[start + 1: stop] if l.strip()], lines[stop:]
    fixed = len("\n".join(head + tail).encode("utf-8"))
    chunks: list[str] = []
    total = fixed
    while total < size:
        line = re.sub(r"\d+", lambda m: str(int(m.group(0)) + rng.randint(0, 9)), rng.choice(body))
        chunks.append(line)
        total += len(line.encode("utf-8")) + 1
    if shape == "sentence":
        body = re.sub(r"[。！？；，、,.;!?]", "", "".join(chunks))
        return "\n".join(head) + "\n" + body + "\n" + "\n".join(tail) + "\n"
    if shape == "paragraph":
        return "\n".join(head) + "\n" + "".join(chunks) + "".join(tail) + "\n"
    return "\n".join(head + chunks + tail) + "\n"


# ----------------------------------------------------------------------------- measuring


class TreeMemory:
    """Samples the resident memory summed over a process and its descendants (Linux /proc)."""

    def __init__(self, pid: int, interval: float = 0.05):
        self.pid = pid
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.available = os.path.isdir("/proc")
        self._page = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096

    def _tree(self) -> list[int]:
        children: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat", "rb") as fh:
                    stat = fh.read()
            except OSError:
                continue
            ppid = int(stat[stat.rfind(b")") + 2:].split()[1])
            children.setdefault(ppid, []).append(int(entry))
        out, todo = [], [self.pid]
        while todo:
            p = todo.pop()
            out.append(p)
            todo.extend(children.get(p, []))
        return out

    def _rss(self) -> int:
        """Proportional set size (shared pages split between the processes that share them,
        so forked workers are not counted twice), else resident set size."""
        total = 0
        for p in self._tree():
            try:
                with open(f"/proc/{p}/smaps_rollup", "rb") as fh:
                    for line in fh:
                        if line.startswith(b"Pss:"):
                            total += int(line.split()[1]) * 1024
                            break
                continue
            except (OSError, IndexError, ValueError):
                pass
            try:
                with open(f"/proc/{p}/statm", "rb") as fh:
                    total += int(fh.read().split()[1]) * self._page
            except (OSError, IndexError, ValueError):
                continue
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.peak = max(self.peak, self._rss())
            except OSError:
                pass
            self._stop.wait(self.interval)

    def __enter__(self):
        if self.available:
            self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        if self.available:
            self._thread.join()


LAST_CPU = [0.0]  # CPU seconds (user + system, all processes) of the last run()
CWD: list[str | None] = [None]  # where commands run: the temporary folder (no pyproject.toml or fzcheck.yaml above it)


def run(cmd: list[str], env: dict[str, str], measure_memory: bool = False) -> tuple[float, int, int]:
    """Run a command; return (wall seconds, exit code, peak tree RSS in bytes or 0)."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=CWD[0])
    peak = 0
    if measure_memory:
        with TreeMemory(proc.pid) as mem:
            _, err = proc.communicate()
        peak = mem.peak
    else:
        _, err = proc.communicate()
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    LAST_CPU[0] = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    if proc.returncode not in (0, 1):
        raise SystemExit(f"bench: {' '.join(cmd[:6])} … exited {proc.returncode}:\n{err.decode(errors='replace')[-2000:]}")
    return wall, proc.returncode, peak


MEDIAN_CPU: list[float] = []  # median CPU seconds of each command of the last median_wall()


def median_wall(cmds: list[list[str]], env: dict[str, str], repeat: int) -> list[float]:
    """Median wall time of each command; runs are interleaved so drift hits all alike.
    The median CPU time of each is left in MEDIAN_CPU."""
    times: list[list[float]] = [[] for _ in cmds]
    cpus: list[list[float]] = [[] for _ in cmds]
    for _ in range(repeat):
        for k, cmd in enumerate(cmds):
            times[k].append(run(cmd, env)[0])
            cpus[k].append(LAST_CPU[0])
    MEDIAN_CPU[:] = [statistics.median(c) for c in cpus]
    return [statistics.median(t) for t in times]


WARM = r"""
import statistics, sys, time
from fzcheck.engine.check import Options, check_path
from fzcheck.render.jsonfmt import JsonDocument
from fzcheck.rules.load import load_ruleset

path, first, repeat = sys.argv[1], sys.argv[2], int(sys.argv[3])
ruleset, options, encode = load_ruleset(), Options(), JsonDocument("zh")
encode(check_path(first, ruleset, options))  # the process has checked one report
times = []
for _ in range(repeat):
    t0 = time.perf_counter()
    encode(check_path(path, ruleset, options))
    times.append(time.perf_counter() - t0)
print(statistics.median(times), min(times))
"""


def warm_check(path: Path, first: Path, env: dict[str, str], repeat: int) -> tuple[float, float]:
    """(median, best) seconds to check one report and encode its JSON in a process that has
    checked another one before (the library call the web page and an editor make)."""
    out = subprocess.run([sys.executable, "-c", WARM, str(path), str(first), str(repeat)], capture_output=True,
                         text=True, env=env, cwd=CWD[0])
    if out.returncode:
        raise SystemExit(f"bench: warm check failed:\n{out.stderr[-2000:]}")
    median, best = map(float, out.stdout.split())
    return median, best


def load() -> str:
    try:
        return "load " + " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:  # pragma: no cover - no load average
        return "load n/a"


def find_fzcheck(explicit: str | None) -> list[str]:
    if explicit:
        return [explicit]
    beside = Path(sys.executable).with_name("fzcheck")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("fzcheck")
    if found:
        return [found]
    return [sys.executable, "-m", "fzcheck"]


def has_option(fz: list[str], option: str, env: dict[str, str]) -> bool:
    out = subprocess.run(fz + ["check", "--help"], capture_output=True, text=True, env=env)
    return option in out.stdout


# ----------------------------------------------------------------------------- report

ROWS: list[tuple[str, str, str, str]] = []


def row(name: str, value: str, target: str = "", ok: bool | None = None) -> None:
    verdict = "" if ok is None else ("PASS" if ok else "MISS")
    ROWS.append((name, value, target, verdict))
    print(f"  {name:<44} {value:>24}  {target:<22} {verdict}", flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--fzcheck", help="the fzcheck executable (default: beside this Python, or on PATH)")
    ap.add_argument("--reports", type=int, default=2000, help="reports in the batch run (default 2000)")
    ap.add_argument("--repeat", type=int, default=21, help="runs per cold-start median (default 21)")
    ap.add_argument("--quick", action="store_true", help="a smoke run: 200 reports, 5 repeats, sizes up to 100 KB")
    ap.add_argument("--keep", metavar="DIR", help="build the corpus in DIR and keep it")
    args = ap.parse_args()
    if args.quick:
        args.reports, args.repeat = 200, 5
    growth_n = [n * args.reports // 2000 for n in (1000, 2000, 4000)]
    sizes = [10_000, 100_000, 300_000] if args.quick else [10_000, 100_000, 1_000_000]

    fz = find_fzcheck(args.fzcheck)
    cores = os.cpu_count() or 1
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="fzcheck-bench-"))
    CWD[0] = str(work)
    env = dict(os.environ)
    env["XDG_CACHE_HOME"] = str(work / "cache")
    env.pop("FZCHECK_NO_CACHE", None)
    env.pop("FZCHECK_CACHE_DIR", None)
    # as in any ordinary installation, Python keeps the bytecode of what it imports (here in
    # the temporary folder: nothing is written into the checkout or the environment)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    try:
        version = subprocess.run(fz + ["--version"], capture_output=True, text=True, env=env).stdout.strip()
        jobs_ok = has_option(fz, "--jobs", env)
        print(f"fzcheck bench — {version}; {platform.python_implementation()} {platform.python_version()}; "
              f"{cores} cores ({platform.machine()}, {platform.system()} {platform.release()}); "
              f"{platform.processor() or ''}".rstrip("; "))
        sources = source_reports()
        print("bytecode cache on (PYTHONPYCACHEPREFIX in the temporary folder), fzcheck's cache in "
              "XDG_CACHE_HOME there too")
        print(f"corpus: {len(sources)} source reports ({'sample + seeds' if len(sources) > 1 else 'sample only'}) "
              f"and variations, in {work}")
        corpus = work / "corpus"
        paths = build_corpus(corpus / "all", max(growth_n), sources)
        sets = {}
        for n in sorted(set(growth_n + [args.reports])):
            folder = corpus / f"n{n}"
            folder.mkdir(parents=True, exist_ok=True)
            for p in paths[:n]:
                os.link(p, folder / p.name)
            sets[n] = folder
        one = paths[0]
        out_json = work / "out.json"

        # -- cold start ----------------------------------------------------------
        print(f"\ncold start ({load()})")
        run(fz + ["check", str(one)], env)  # warm the OS file cache and fzcheck's rule-set cache
        run(fz + ["check", str(one)], env)  # (the first run writes the pattern cache)
        base, floor, warm = median_wall([[sys.executable, "-c", "pass"],
                                         [sys.executable, "-c", "import click, regex"],
                                         fz + ["check", str(one)]], env, args.repeat)
        cpu_base, cpu_floor, cpu_warm = MEDIAN_CPU
        row("python -c pass (median)", f"{base * 1000:.1f} ms (CPU {cpu_base * 1000:.1f})")
        row("python -c 'import click, regex' (median)", f"{floor * 1000:.1f} ms (CPU {cpu_floor * 1000:.1f})")
        row("fzcheck check one-report.txt (median)", f"{warm * 1000:.1f} ms (CPU {cpu_warm * 1000:.1f})")
        row("cold start ÷ python -c pass", f"{warm / base:.2f} (CPU {cpu_warm / cpu_base:.2f})", "<= 6",
            warm / base <= 6)
        row("cold start ÷ import click, regex", f"{warm / floor:.2f} (CPU {cpu_warm / cpu_floor:.2f})", "<= 1.4",
            warm / floor <= 1.4)
        nocache = dict(env, FZCHECK_NO_CACHE="1")
        (first,) = median_wall([fz + ["check", str(one)]], nocache, max(3, args.repeat // 3))
        row("  same with FZCHECK_NO_CACHE=1", f"{first * 1000:.1f} ms ({first / base:.2f}x)")

        # -- warm check ----------------------------------------------------------
        print(f"\nwarm check: one more report in a process that has checked one ({load()})")
        ten = work / "ten-kb.txt"
        ten.write_text(sized_report(10_000, "lines"), encoding="utf-8")
        median, best = warm_check(ten, one, env, 15 if args.quick else 51)
        row(f"{ten.stat().st_size / 1000:.0f} KB report, check + JSON (median)", f"{median * 1000:.2f} ms "
            f"(best {best * 1000:.2f})", "<= 5 ms", median <= 0.005)

        # -- batch ---------------------------------------------------------------
        print(f"\nbatch of {args.reports} reports (--format json -o FILE; {load()})")
        batch = sets[args.reports]

        def batch_cmd(jobs: int | None, folder: Path) -> list[str]:
            cmd = fz + ["check", "--format", "json", "-o", str(out_json)]
            if jobs_ok and jobs is not None:
                cmd += ["--jobs", str(jobs)]
            return cmd + [str(folder)]

        all_jobs = cores if jobs_ok else None
        runs = 1 if args.quick else 3

        cpu_per_report: dict[int | None, float] = {}

        def rate(jobs: int | None) -> tuple[float, float]:
            """Median wall time of the batch over a few runs (others may share the machine)."""
            walls, cpus = [], []
            for _ in range(runs):
                walls.append(run(batch_cmd(jobs, batch), env)[0])
                cpus.append(LAST_CPU[0])
            wall = statistics.median(walls)
            cpu_per_report[jobs] = statistics.median(cpus) / args.reports
            return args.reports / wall, wall

        rate_all, wall_all = rate(all_jobs)
        result = json.loads(out_json.read_text(encoding="utf-8"))
        if result.get("errors") or len(result["documents"]) != args.reports:
            print(f"  warning: {len(result.get('errors') or [])} errors, {len(result['documents'])} documents")
        label = f"--jobs {cores}" if jobs_ok else "(no --jobs option: serial)"
        row(f"reports/s, {label} (median of {runs})", f"{rate_all:.0f}/s ({wall_all:.2f} s)", ">= 1000/s on 2 cores",
            rate_all >= 1000 * min(cores, 2) / 2)
        cpu = cpu_per_report[all_jobs]
        row("  CPU time per report (all processes)", f"{cpu * 1000:.2f} ms",
            f"(at most {cores / cpu:.0f}/s on {cores} idle cores)")
        summary_cmd = fz + ["check", "--summary", "--format", "csv", "-o", str(work / "summary.csv")]
        if jobs_ok:
            summary_cmd += ["--jobs", str(cores)]
        walls = [run(summary_cmd + [str(batch)], env)[0] for _ in range(runs)]
        wall_sum = statistics.median(walls)
        row(f"reports/s, {label} --summary (csv)", f"{args.reports / wall_sum:.0f}/s ({wall_sum:.2f} s)")
        if jobs_ok:
            rate_one, wall_one = rate(1)
            row(f"reports/s, --jobs 1 (median of {runs})", f"{rate_one:.0f}/s ({wall_one:.2f} s)")
            row("  CPU time per report", f"{cpu_per_report[1] * 1000:.2f} ms")
            row(f"speed-up with {cores} jobs", f"{rate_all / rate_one:.2f}x", f"(ideal {cores}x)")
        # memory in runs of their own: sampling /proc takes CPU from the batch
        peak = run(batch_cmd(all_jobs, batch), env, measure_memory=True)[2]
        row(f"peak memory, {label} (PSS, all processes)", f"{peak / 2**20:.0f} MB" if peak else "n/a",
            "<= 300 MB", (peak / 2**20 <= 300) if peak else None)
        if jobs_ok:
            peak_one = run(batch_cmd(1, batch), env, measure_memory=True)[2]
            row("peak memory, --jobs 1", f"{peak_one / 2**20:.0f} MB" if peak_one else "n/a")

        # -- growth --------------------------------------------------------------
        print(f"\ngrowth with the number of reports ({'--jobs ' + str(cores) if jobs_ok else 'serial'})")
        per = []
        for n in growth_n:
            wall = run(batch_cmd(all_jobs, sets[n]), env)[0]
            per.append(wall / n)
            row(f"{n} reports", f"{wall:.2f} s ({wall / n * 1000:.2f} ms/report)")
        row("ms/report, largest / smallest batch", f"{per[-1] / per[0]:.2f}", "<= 1.3 (linear)", per[-1] / per[0] <= 1.3)

        print("\ngrowth with the size of one report (wall time minus the one-report run)")
        big = work / "big"
        big.mkdir(exist_ok=True)
        shapes = {"lines": " report", "paragraph": " as one paragraph", "sentence": " as one sentence"}
        for shape, label in shapes.items():
            costs = []
            for size in sizes:
                p = big / f"r{size}-{shape}.txt"
                p.write_text(sized_report(size, shape), encoding="utf-8")
                real = p.stat().st_size
                (wall,) = median_wall([fz + ["check", "--format", "json", str(p)]], env, 3 if size < 500_000 else 1)
                cost = max(wall - warm, 1e-4)
                costs.append((real, cost))
                row(f"{real / 1000:.0f} KB{label}",
                    f"{wall * 1000:.0f} ms ({cost / real * 1e6:.2f} s/MB)")
            (s1, c1), (s2, c2) = costs[-2], costs[-1]
            ratio = (c2 / s2) / (c1 / s1)
            row(f"s/MB, {s2 // 1000} KB / {s1 // 1000} KB{label.replace(' report', '')}",
                f"{ratio:.2f}", "<= 1.5 (linear)", ratio <= 1.5)
        print()
        return 0
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
