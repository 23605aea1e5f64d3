"""``make bench``: time the generator on synthesized sites of N documents and write a Markdown table.

    python tests/benchmark/run.py                       # N = 1,000, 4,000, 64,000 on /dev/shm, disk at 4,000
    python tests/benchmark/run.py --quick               # N = 1,000, one run: a smoke test
    python tests/benchmark/run.py --sizes 4000 --runs 3 --no-disk --profile

For each N, as medians of several runs, each build in a fresh process:

* **cold**: output folder and build cache deleted first;
* **no change**: the same build again, nothing edited;
* **one edit**: one document's title changed (a different title each run), then a build;
  the edited page is checked for the new title;
* **floor**: ``floor.py`` on one core: read, parse YAML and convert Markdown, nothing else.

Memory: ``max RSS`` is the largest single process (``wait4`` rusage of the build,
which covers its waited-for workers); ``peak PSS`` is the sum over the build and
all its worker processes, sampled from ``/proc`` every 0.1 s (PSS splits pages
shared after fork, so the sum does not count them twice).

Corpora are synthesized once per (N, seed, synthesizer version) under ``--root``
(tmpfs: the machine's disk is slow and noisy) and reused. One size is also
measured with content and output on disk (``--disk-root``), reported beside.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
THEME = ROOT / "themes" / "default"
sys.path.insert(0, str(HERE))

import synth  # noqa: E402

DEFAULT_SIZES = [1000, 4000, 64000]


# --------------------------------------------------------------------------- measuring one process


@dataclass
class Run:
    seconds: float
    code: int
    max_rss_mb: float  # largest single process
    peak_pss_mb: float  # all processes together (0 when /proc is not available)
    processes: int  # most processes seen at once
    cpu_seconds: float = 0.0  # user + system of the process and its reaped workers
    stdout: str = field(default="", repr=False)
    stderr: str = field(default="", repr=False)


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{task}/children") as f:
                    found += [int(c) for c in f.read().split()]
            except OSError:
                pass
    except OSError:
        pass
    return found


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += _children(p)
    return out


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
    except (OSError, ValueError):
        return 0


def measure(command: list[str], cwd: Path, timeout: float, sample: float = 0.1) -> Run:
    """Run ``command``; wall time, exit code, max RSS (wait4) and peak summed PSS of its process tree."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
    out_path, err_path = cwd / ".bench-stdout", cwd / ".bench-stderr"
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=err, env=env)
        peak = {"pss": 0, "procs": 0}
        done = threading.Event()

        def sampler():
            while not done.wait(sample):
                pids = _tree(proc.pid)
                peak["pss"] = max(peak["pss"], sum(_pss_kb(p) for p in pids))
                peak["procs"] = max(peak["procs"], len(pids))

        thread = threading.Thread(target=sampler, daemon=True)
        thread.start()
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
            done.set()
        seconds = time.perf_counter() - started
        thread.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
    return Run(seconds, proc.returncode, usage.ru_maxrss / 1024, peak["pss"] / 1024, peak["procs"],
               usage.ru_utime + usage.ru_stime, out_path.read_text(encoding="utf-8", errors="replace"),
               err_path.read_text(encoding="utf-8", errors="replace"))


# --------------------------------------------------------------------------- one site


#: Appended to the synthesized site.yaml by --traditional: the 繁體 mirror on.
TRADITIONAL = "\ntraditional:\n  enabled: true\n"


def corpus(root: Path, n: int, seed: int, traditional: bool = False) -> Path:
    """The content folder for N documents under ``root``, synthesized unless already there."""
    content = root / (f"n{n}-traditional" if traditional else f"n{n}") / "content"
    marker = content / "_bench.json"
    if marker.is_file():
        meta = json.loads(marker.read_text(encoding="utf-8"))
        if meta.get("version") == synth.VERSION and meta.get("seed") == seed and meta.get("documents") == n:
            return content
    shutil.rmtree(content, ignore_errors=True)
    started = time.perf_counter()
    print(f"  synthesizing {n:,} documents into {content} …", file=sys.stderr, flush=True)
    synth.synthesize(n, content, seed)
    if traditional:
        with (content / "site.yaml").open("a", encoding="utf-8") as f:
            f.write(TRADITIONAL)
    print(f"  … {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    return content


def clean(site_dir: Path, output: Path) -> None:
    """Delete the output and everything a build keeps beside it (temporary folders, the cache)."""
    shutil.rmtree(output, ignore_errors=True)
    for p in site_dir.iterdir():
        if p.name.startswith(f".{output.name}.") or p.name in (".cache", ".zwgk-cache"):
            shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink()


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


@dataclass
class SizeResult:
    n: int
    where: str
    runs: int
    pages: int = 0
    files: int = 0
    documents: int = 0
    floor: list[float] = field(default_factory=list)
    floor_cpu: list[float] = field(default_factory=list)
    cold_cpu: list[float] = field(default_factory=list)
    nochange_cpu: list[float] = field(default_factory=list)
    edit_cpu: list[float] = field(default_factory=list)
    cold: list[float] = field(default_factory=list)
    cold_serial: list[float] = field(default_factory=list)
    nochange: list[float] = field(default_factory=list)
    edit: list[float] = field(default_factory=list)
    cold_max_rss: float = 0.0
    cold_peak_pss: float = 0.0
    rebuild_max_rss: float = 0.0
    floor_max_rss: float = 0.0
    processes: int = 0
    edit_checked: bool = True
    notes: list[str] = field(default_factory=list)


class Bench:
    def __init__(self, args):
        self.args = args
        self.build_cmd = [sys.executable, "-m", "generator", "build", *args.build_arg]
        help_text = subprocess.run([sys.executable, "-m", "generator", "build", "--help"], cwd=ROOT,
                                   capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}).stdout
        self.has_jobs = "--jobs" in help_text

    def build(self, content: Path, output: Path, extra: list[str] = ()) -> Run:
        command = [*self.build_cmd, "--content", str(content), "--output", str(output), "--theme", str(THEME),
                   *extra]
        run = measure(command, output.parent, self.args.timeout)
        if run.code != 0:
            raise SystemExit(f"build failed ({run.code}): {' '.join(command)}\n{run.stderr[-4000:]}")
        if re.search(r": (warning: |警告：)", run.stderr):  # in either language of the messages
            print(f"  note: the build printed warnings:\n{run.stderr[:2000]}", file=sys.stderr)
        return run

    def site(self, n: int, base: Path, where: str, runs: int) -> SizeResult:
        content = corpus(self.args.root, n, self.args.seed, self.args.traditional)
        if base != self.args.root:  # on disk: copy the corpus there
            target = base / f"n{n}" / "content"
            if not (target / "_bench.json").is_file() or \
                    (target / "_bench.json").read_bytes() != (content / "_bench.json").read_bytes():
                shutil.rmtree(target, ignore_errors=True)
                shutil.copytree(content, target)
            content = target
        site_dir = content.parent
        output = site_dir / "output"
        result = SizeResult(n, where, runs)
        meta = json.loads((content / "_bench.json").read_text(encoding="utf-8"))
        result.documents = meta["documents"] + meta["interpretations"] + meta["institutions"]
        say = lambda text: print(f"  [{where} N={n:,}] {text}", file=sys.stderr, flush=True)  # noqa: E731

        for r in range(runs):
            run = measure([sys.executable, str(HERE / "floor.py"), str(content)], site_dir, self.args.timeout)
            if run.code != 0:
                raise SystemExit(f"floor failed: {run.stderr[-2000:]}")
            result.floor.append(run.seconds)
            result.floor_cpu.append(run.cpu_seconds)
            result.floor_max_rss = max(result.floor_max_rss, run.max_rss_mb)
            result.files = json.loads(run.stdout)["files"]
            say(f"floor {r + 1}/{runs}: {run.seconds:.2f} s ({run.cpu_seconds:.2f} s CPU)")

        for r in range(runs):
            clean(site_dir, output)
            run = self.build(content, output)
            result.cold.append(run.seconds)
            result.cold_cpu.append(run.cpu_seconds)
            result.cold_max_rss = max(result.cold_max_rss, run.max_rss_mb)
            result.cold_peak_pss = max(result.cold_peak_pss, run.peak_pss_mb)
            result.processes = max(result.processes, run.processes)
            say(f"cold {r + 1}/{runs}: {run.seconds:.2f} s ({run.cpu_seconds:.2f} s CPU), "
                f"max RSS {run.max_rss_mb:.0f} MB, "
                f"peak PSS {run.peak_pss_mb:.0f} MB over {run.processes} process(es)")
        result.pages = sum(1 for _ in output.rglob("*.html"))

        if self.args.serial and self.has_jobs:
            for r in range(runs):
                clean(site_dir, output)
                run = self.build(content, output, ["--jobs", "1"])
                result.cold_serial.append(run.seconds)
                say(f"cold on 1 core {r + 1}/{runs}: {run.seconds:.2f} s")
            clean(site_dir, output)
            self.build(content, output)

        for r in range(runs):
            run = self.build(content, output)
            result.nochange.append(run.seconds)
            result.nochange_cpu.append(run.cpu_seconds)
            result.rebuild_max_rss = max(result.rebuild_max_rss, run.max_rss_mb)
            say(f"no change {r + 1}/{runs}: {run.seconds:.2f} s ({run.cpu_seconds:.2f} s CPU)")

        victim = sorted((content / "policies").glob("*.md"))[len(list((content / "policies").glob("*.md"))) // 2]
        original = victim.read_bytes()
        page = output / "zcwj" / victim.stem / "index.html"
        try:
            for r in range(runs):
                text = original.decode("utf-8")
                title = f"基准测试修改后的标题第{r + 1}稿"
                victim.write_text(re.sub(r"(?m)^标题: .*$", f"标题: {title}", text, count=1), encoding="utf-8")
                run = self.build(content, output)
                result.edit.append(run.seconds)
                result.edit_cpu.append(run.cpu_seconds)
                result.rebuild_max_rss = max(result.rebuild_max_rss, run.max_rss_mb)
                shown = page.is_file() and title in page.read_text(encoding="utf-8")
                result.edit_checked &= shown
                say(f"one edit {r + 1}/{runs}: {run.seconds:.2f} s ({run.cpu_seconds:.2f} s CPU)"
                    + ("" if shown else " — EDIT NOT IN OUTPUT"))
        finally:
            victim.write_bytes(original)
        if not self.args.keep:
            clean(site_dir, output)
        return result


# --------------------------------------------------------------------------- report


def _git() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True).stdout.strip()
        return head + (" (with uncommitted changes)" if dirty else "")
    except OSError:
        return "unknown"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _fmt(seconds: float) -> str:
    return f"{seconds:.2f}" if seconds < 100 else f"{seconds:.0f}"


def report(results: list[SizeResult], args, started: dt.datetime) -> str:
    cores = os.cpu_count()
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = cores
    lines = [
        "# Benchmark results",
        "",
        f"* date: {started:%Y-%m-%d %H:%M}, generator commit {_git()}",
        f"* machine: {cores} cores (os.cpu_count(); {usable} usable), {_cpu_model()}, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}; "
        f"load average {args.load[0]:.2f} at the start, {os.getloadavg()[0]:.2f} at the end",
        f"* corpus: tests/benchmark/synth.py, seed {args.seed}, synthesizer v{synth.VERSION}; "
        f"tmpfs root {args.root}" + (f", disk root {args.disk_root}" if args.disk_size else ""),
        f"* build command: `python -m generator build {' '.join(args.build_arg)}` (defaults: all cores, cache on); "
        "every figure is the median of the runs, each run a fresh process (interpreter start-up included)",
        "",
        "| N docs | where | runs | pages | floor s | cold s | cold / floor | cold pages/s | no-change s | "
        "no-change / floor | one-edit s | edit / floor | peak PSS all procs MB | max RSS one proc MB | floor RSS MB |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        floor, cold, nochange, edit = map(median, (r.floor, r.cold, r.nochange, r.edit))
        lines.append(
            f"| {r.n:,} | {r.where} | {r.runs} | {r.pages:,} | {_fmt(floor)} | {_fmt(cold)} | {cold / floor:.2f}× | "
            f"{r.pages / cold:,.0f} | {_fmt(nochange)} | {nochange / floor:.3f}× | {_fmt(edit)}"
            f"{'' if r.edit_checked else ' (STALE!)'} | {edit / floor:.3f}× | {r.cold_peak_pss:,.0f} | "
            f"{r.cold_max_rss:,.0f} | {r.floor_max_rss:,.0f} |")
    lines += ["", "CPU time (user + system, build and workers; less sensitive than wall time to other load on "
              "the machine):", "",
              "| N docs | where | floor CPU s | cold CPU s | cold CPU / floor CPU | cold CPU ms/doc | "
              "no-change CPU s | one-edit CPU s |",
              "|---:|---|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        fc, cc, nc, ec = map(median, (r.floor_cpu, r.cold_cpu, r.nochange_cpu, r.edit_cpu))
        lines.append(f"| {r.n:,} | {r.where} | {_fmt(fc)} | {_fmt(cc)} | {cc / fc:.2f}× | {cc / r.n * 1000:.2f} | "
                     f"{_fmt(nc)} | {_fmt(ec)} |")
    serial = [r for r in results if r.cold_serial]
    if serial:
        lines += ["", "Cold build on one core (`--jobs 1`) for the parallel speed-up:", "",
                  "| N docs | where | cold 1 core s | cold all cores s | speed-up | 1 core / floor |",
                  "|---:|---|---:|---:|---:|---:|"]
        for r in serial:
            one, allc, floor = median(r.cold_serial), median(r.cold), median(r.floor)
            lines.append(f"| {r.n:,} | {r.where} | {_fmt(one)} | {_fmt(allc)} | {one / allc:.2f}× | "
                         f"{one / floor:.2f}× |")
    tmpfs = {r.n: r for r in results if r.where == "tmpfs"}
    notes = []
    if len(tmpfs) >= 2:
        small, large = tmpfs[min(tmpfs)], tmpfs[max(tmpfs)]
        per_small, per_large = median(small.cold) / small.n, median(large.cold) / large.n
        notes.append(f"* time per document, cold: {per_small * 1000:.2f} ms at N={small.n:,}, "
                     f"{per_large * 1000:.2f} ms at N={large.n:,} ({per_large / per_small:.2f}×)")
    notes.append("* floor = floor.py on one core: read + yaml.safe_load + Markdown "
                 "(tables, sane_lists, footnotes, toc) "
                 "of every content file; pages = .html files written; cold pages/s = pages / cold seconds")
    notes.append("* peak PSS: the build and its worker processes together, sampled every 0.1 s; "
                 "max RSS: the largest single process (wait4)")
    if any(not r.edit_checked for r in results):
        notes.append("* **STALE!**: after a one-file edit the page did not show the new title")
    lines += ["", *notes, ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Benchmark the generator on synthesized sites.")
    p.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)),
                   help="comma-separated document counts (default: 1000,4000,64000)")
    p.add_argument("--runs", type=int, default=5, help="runs per measurement below 10,000 documents (default 5)")
    p.add_argument("--large-runs", type=int, default=3, help="runs from 10,000 documents up (default 3)")
    p.add_argument("--root", type=Path, default=Path("/dev/shm/zwgk-bench"), help="tmpfs folder for the sites")
    p.add_argument("--disk-root", type=Path, default=Path("/var/tmp/zwgk-bench"), help="disk folder for --disk-size")
    p.add_argument("--disk-size", type=int, default=4000, help="also measure this N on disk (default 4000)")
    p.add_argument("--no-disk", action="store_const", const=0, dest="disk_size", help="skip the disk measurement")
    p.add_argument("--serial", action="store_true", help="also time cold builds with --jobs 1")
    p.add_argument("--seed", type=int, default=6)
    p.add_argument("--quick", action="store_true", help="N=1,000, one run, no disk: a smoke test")
    p.add_argument("--traditional", action="store_true", help="with the 繁體 mirror on (site.yaml traditional:)")
    p.add_argument("--keep", action="store_true", help="keep the last output folders")
    p.add_argument("--timeout", type=float, default=4 * 3600, help="seconds per process before it is killed")
    p.add_argument("--build-arg", action="append", default=[], metavar="ARG",
                   help="extra argument for `generator build` (repeatable), e.g. --build-arg=--jobs=1")
    p.add_argument("--profile", type=int, metavar="N", default=0,
                   help="also profile one cold build of N documents on one core with cProfile")
    p.add_argument("--out", type=Path, default=HERE / "results" / "results.md", help="Markdown file to write")
    args = p.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.quick:
        sizes, args.runs, args.large_runs, args.disk_size = [1000], 1, 1, 0
    started = dt.datetime.now()
    args.load = os.getloadavg()
    bench = Bench(args)
    results = []
    for n in sizes:
        runs = args.runs if n < 10_000 else args.large_runs
        results.append(bench.site(n, args.root, "tmpfs", runs))
        _write(results, args, started)
    if args.disk_size:
        results.append(bench.site(args.disk_size, args.disk_root, "disk", args.runs if args.disk_size < 10_000
                                  else args.large_runs))
        _write(results, args, started)
    if args.profile:
        profile(bench, args)
    print(report(results, args, started))
    return 0 if all(r.edit_checked for r in results) else 1


def _write(results, args, started) -> None:
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report(results, args, started), encoding="utf-8")
    args.out.with_suffix(".json").write_text(
        json.dumps([asdict(r) for r in results], ensure_ascii=False, indent=1), encoding="utf-8")


def profile(bench: Bench, args) -> None:
    """cProfile one cold single-core build; the top functions go beside --out."""
    import pstats

    content = corpus(args.root, args.profile, args.seed, args.traditional)
    site_dir = content.parent
    output = site_dir / "output"
    clean(site_dir, output)
    stats_file = site_dir / "build.prof"
    command = [sys.executable, "-m", "cProfile", "-o", str(stats_file), "-m", "generator", "build",
               "--content", str(content), "--output", str(output), "--theme", str(THEME),
               *(["--jobs", "1"] if bench.has_jobs else [])]
    run = measure(command, site_dir, args.timeout)
    if run.code != 0:
        raise SystemExit(f"profiled build failed: {run.stderr[-2000:]}")
    target = args.out.with_name(f"profile-{args.profile}.txt")
    with open(target, "w", encoding="utf-8") as f:
        f.write(f"cold build of N={args.profile:,} on one core under cProfile: {run.seconds:.1f} s\n\n")
        stats = pstats.Stats(str(stats_file), stream=f)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(35)
    clean(site_dir, output)
    print(f"profile written to {target}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
