"""``make bench``: time the generator on synthesized sites and write a Markdown report.

    python tests/benchmark/run.py                       # the default: see README.md (over an hour)
    python tests/benchmark/run.py --quick               # N = 1,000 and 200 long documents, one run: a smoke test
    python tests/benchmark/run.py --sizes 4000 --long '' --runs 3 --no-disk --profile 4000

For each corpus, as medians of several runs, each build in a fresh process:

* **floor**: ``floor.py`` on one core: read, parse YAML and convert Markdown, nothing else;
* **cold**: output folder and build cache deleted first;
* **no change**: the same build again, nothing edited;
* **one edit**: one document's title changed (a different title each run), then a build;
  the edited page is checked for the new title;
* **serve** (tmpfs only): ``serve`` started on the site, the same kind of edit saved several
  times; the time until the edited page is served over HTTP (serve_bench.py).

Memory: ``max RSS`` is the largest single process (``wait4``); ``peak PSS`` is the sum over
a process and all its workers, sampled from ``/proc`` every 0.1 s (measure.py).

Corpora are synthesized once per (N, kind, seed, synthesizer version) under ``--root``
and shared by every bench on the machine; each run works in its own folder under
``--root``/runs/ with a hard-linked copy of the corpus (store.py). One size is also
measured with content and output on disk (``--disk-root``), reported beside.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from measure import ROOT, Run, environment, measure  # noqa: E402
from report import SizeResult, median, report  # noqa: E402
from serve_bench import serve_latency  # noqa: E402
from store import CorpusSpec, RunFolder, corpus, meta, replace_text  # noqa: E402

THEME = ROOT / "themes" / "default"
DEFAULT_SIZES = [1000, 4000, 10000, 64000]
DEFAULT_LONG = [1000]


def clean(site_dir: Path, output: Path) -> None:
    """Delete the output and everything a build keeps beside it (temporary folders, the cache)."""
    shutil.rmtree(output, ignore_errors=True)
    for p in site_dir.iterdir():
        if p.name.startswith(f".{output.name}.") or p.name in (".cache", ".zwgk-cache"):
            shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink()


class Bench:
    def __init__(self, args):
        self.args = args
        self.build_cmd = [sys.executable, "-m", "generator", "build", "--lang", "en", *args.build_arg]
        help_text = subprocess.run([sys.executable, "-m", "generator", "build", "--help"], cwd=ROOT,
                                   capture_output=True, text=True, env=environment()).stdout
        self.has_jobs = "--jobs" in help_text
        self.folders: dict[str, RunFolder] = {}

    def folder(self, where: str) -> RunFolder:
        if where not in self.folders:
            self.folders[where] = RunFolder(self.args.root if where == "tmpfs" else self.args.disk_root)
        return self.folders[where]

    def close(self) -> None:
        if not self.args.keep:
            for folder in self.folders.values():
                folder.remove()

    def build(self, content: Path, output: Path, extra: list[str] = ()) -> Run:
        command = [*self.build_cmd, "--content", str(content), "--output", str(output), "--theme", str(THEME),
                   *extra]
        run = measure(command, output.parent, self.args.timeout)
        if run.code != 0:
            raise SystemExit(f"build failed ({run.code}): {' '.join(command)}\n{run.stderr[-4000:]}")
        if re.search(r": (warning: |警告：)", run.stderr):  # in either language of the messages
            print(f"  note: the build printed warnings:\n{run.stderr[:2000]}", file=sys.stderr)
        return run

    def site(self, spec: CorpusSpec, where: str, runs: int) -> SizeResult:
        """Every measurement of one corpus in one place (tmpfs or disk)."""
        started = time.perf_counter()
        shared = corpus(self.args.root, spec)
        if where == "disk":
            shared = corpus(self.args.disk_root, spec, source=shared)
        site_dir = self.folder(where).site(spec.label, shared)
        info = meta(shared)
        result = SizeResult(spec.n, where, runs, spec.kind, body_chars=info.get("body_chars", {}),
                            documents=info["documents"] + info["interpretations"] + info["institutions"])
        result.phase_seconds["corpus"] = time.perf_counter() - started
        self.say = lambda text: print(f"  [{where} N={result.label}] {text}", file=sys.stderr, flush=True)
        try:
            self._builds(site_dir, result)
            victim = sorted((site_dir / "content" / "policies").glob("*.md"))
            victim = victim[len(victim) // 2]
            original = (shared / victim.relative_to(site_dir / "content")).read_bytes()
            self._timed(result, "edit", self._edits, site_dir, victim, result)
            if where == "tmpfs" and self.args.serve:
                self._timed(result, "serve", self._serve, site_dir, victim, result)
            if (shared / victim.relative_to(site_dir / "content")).read_bytes() != original:
                raise SystemExit(f"the shared corpus changed: {shared}; delete it and run again")
        finally:
            if not self.args.keep:
                shutil.rmtree(site_dir, ignore_errors=True)
        return result

    @staticmethod
    def _timed(result: SizeResult, phase: str, fn, *args) -> None:
        started = time.perf_counter()
        fn(*args)
        result.phase_seconds[phase] = result.phase_seconds.get(phase, 0.0) + time.perf_counter() - started

    def _builds(self, site_dir: Path, result: SizeResult) -> None:
        content, output, runs = site_dir / "content", site_dir / "output", result.runs
        started = time.perf_counter()
        for r in range(runs):
            run = measure([sys.executable, str(HERE / "floor.py"), str(content)], site_dir, self.args.timeout)
            if run.code != 0:
                raise SystemExit(f"floor failed: {run.stderr[-2000:]}")
            result.floor.append(run.seconds)
            result.floor_cpu.append(run.cpu_seconds)
            result.floor_max_rss = max(result.floor_max_rss, run.max_rss_mb)
            result.files = json.loads(run.stdout)["files"]
            self.say(f"floor {r + 1}/{runs}: {run.seconds:.2f} s ({run.cpu_seconds:.2f} s CPU)")
        result.phase_seconds["floor"] = time.perf_counter() - started
        started = time.perf_counter()
        for r in range(runs):
            clean(site_dir, output)
            run = self.build(content, output)
            result.cold.append(run.seconds)
            result.cold_cpu.append(run.cpu_seconds)
            result.cold_max_rss = max(result.cold_max_rss, run.max_rss_mb)
            result.cold_peak_pss = max(result.cold_peak_pss, run.peak_pss_mb)
            result.processes = max(result.processes, run.processes)
            self.say(f"cold {r + 1}/{runs}: {run.seconds:.2f} s ({run.cpu_seconds:.2f} s CPU), "
                     f"max RSS {run.max_rss_mb:.0f} MB, peak PSS {run.peak_pss_mb:.0f} MB over "
                     f"{run.processes} process(es)")
        result.pages = sum(1 for _ in output.rglob("*.html"))
        result.phase_seconds["cold"] = time.perf_counter() - started
        if self.args.serial and self.has_jobs:
            started = time.perf_counter()
            for r in range(runs):
                clean(site_dir, output)
                run = self.build(content, output, ["--jobs", "1"])
                result.cold_serial.append(run.seconds)
                self.say(f"cold on 1 core {r + 1}/{runs}: {run.seconds:.2f} s")
            clean(site_dir, output)
            self.build(content, output)
            result.phase_seconds["serial"] = time.perf_counter() - started
        self._timed(result, "no-change", self._nochange, content, output, result)

    def _rebuilt(self, run: Run, result: SizeResult) -> None:
        result.rebuild_max_rss = max(result.rebuild_max_rss, run.max_rss_mb)
        result.rebuild_peak_pss = max(result.rebuild_peak_pss, run.peak_pss_mb)

    def _nochange(self, content: Path, output: Path, result: SizeResult) -> None:
        for r in range(result.runs):
            run = self.build(content, output)
            result.nochange.append(run.seconds)
            result.nochange_cpu.append(run.cpu_seconds)
            self._rebuilt(run, result)
            self.say(f"no change {r + 1}/{result.runs}: {run.seconds:.2f} s ({run.cpu_seconds:.2f} s CPU)")

    def _edits(self, site_dir: Path, victim: Path, result: SizeResult) -> None:
        """One title edit per run, each saved by rename over the hard link; the original is put back."""
        content, output = site_dir / "content", site_dir / "output"
        original = victim.read_text(encoding="utf-8")
        page = output / "zcwj" / victim.stem / "index.html"
        try:
            for r in range(result.runs):
                title = f"基准测试修改后的标题第{r + 1}稿"
                replace_text(victim, re.sub(r"(?m)^标题: .*$", f"标题: {title}", original, count=1), site_dir)
                run = self.build(content, output)
                result.edit.append(run.seconds)
                result.edit_cpu.append(run.cpu_seconds)
                written = re.search(r"(\d+) pages written", run.stdout + run.stderr)
                if written:
                    result.edit_written.append(int(written.group(1)))
                self._rebuilt(run, result)
                shown = page.is_file() and title in page.read_text(encoding="utf-8")
                result.edit_checked &= shown
                self.say(f"one edit {r + 1}/{result.runs}: {run.seconds:.2f} s ({run.cpu_seconds:.2f} s CPU)"
                         + ("" if shown else " — EDIT NOT IN OUTPUT"))
        finally:
            replace_text(victim, original, site_dir)

    def _serve(self, site_dir: Path, victim: Path, result: SizeResult) -> None:
        edits = self.args.serve_edits or result.runs
        extra = [a for a in self.args.build_arg if a.startswith(("--jobs", "-j", "--no-cache"))]
        result.serve = s = serve_latency(site_dir, THEME, victim, edits, self.args.timeout, self.args.serve_poll, extra)
        self.say(f"serve: first build {s.first_build:.2f} s; edited page served after "
                 + ", ".join(f"{x:.2f}" for x in s.latency) + " s; rebuild published after "
                 + ", ".join(f"{x:.2f}" for x in s.done) + f" s; peak PSS {s.peak_pss_mb:.0f} MB"
                 + ("" if s.checked else " — " + "; ".join(s.notes)))


def _counts(text: str) -> list[int]:
    return [int(s) for s in text.split(",") if s.strip()]


def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Benchmark the generator on synthesized sites.")
    p.add_argument("--sizes", type=_counts, default=DEFAULT_SIZES,
                   help="comma-separated document counts (default: 1000,4000,10000,64000)")
    p.add_argument("--long", type=_counts, default=DEFAULT_LONG, metavar="SIZES",
                   help="comma-separated counts of long documents, 5,000–100,000 characters (default: 1000; "
                        "'' for none)")
    p.add_argument("--runs", type=int, default=5, help="runs per measurement below 10,000 documents (default 5)")
    p.add_argument("--large-runs", type=int, default=3, help="runs from 10,000 documents up (default 3)")
    p.add_argument("--root", type=Path, default=Path("/dev/shm/zwgk-bench"),
                   help="tmpfs folder: shared corpora in corpora/, this run's sites in runs/ (default /dev/shm/zwgk-bench)")
    p.add_argument("--disk-root", type=Path, default=Path("/var/tmp/zwgk-bench"), help="disk folder for --disk-size")
    p.add_argument("--disk-size", type=int, default=4000, help="also measure this N on disk (default 4000)")
    p.add_argument("--no-disk", action="store_const", const=0, dest="disk_size", help="skip the disk measurement")
    p.add_argument("--no-serve", action="store_false", dest="serve", help="skip the serve edit latency")
    p.add_argument("--serve-edits", type=int, default=0, help="edits while serving (default: as many as --runs)")
    p.add_argument("--serve-poll", type=float, default=0.01, help="seconds between fetches of the edited page")
    p.add_argument("--serial", action="store_true", help="also time cold builds with --jobs 1")
    p.add_argument("--seed", type=int, default=6)
    p.add_argument("--institutions", type=int, default=300, help="public institutions in each corpus (default 300)")
    p.add_argument("--quick", action="store_true", help="N = 1,000 and 200 long documents, one run, no disk")
    p.add_argument("--traditional", action="store_true", help="with the 繁體 mirror on (site.yaml traditional:)")
    p.add_argument("--keep", action="store_true", help="keep this run's folder (sites and outputs)")
    p.add_argument("--timeout", type=float, default=4 * 3600, help="seconds per process before it is killed")
    p.add_argument("--build-arg", action="append", default=[], metavar="ARG",
                   help="extra argument for `generator build` (repeatable), e.g. --build-arg=--jobs=1")
    p.add_argument("--profile", type=int, metavar="N", default=0,
                   help="also profile one cold build of N documents on one core with cProfile")
    p.add_argument("--out", type=Path, default=HERE / "results" / "results.md", help="Markdown file to write")
    args = p.parse_args(argv)
    if args.quick:
        args.sizes, args.long, args.runs, args.large_runs, args.disk_size = [1000], [200], 1, 1, 0
        args.serve_edits = args.serve_edits or 3
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    started = dt.datetime.now()
    args.load = os.getloadavg()
    bench = Bench(args)
    results: list[SizeResult] = []
    spec = lambda n, long=False: CorpusSpec(n, args.seed, long, args.traditional, args.institutions)  # noqa: E731
    runs = lambda n: args.runs if n < 10_000 else args.large_runs  # noqa: E731
    try:
        for n in args.sizes:
            results.append(bench.site(spec(n), "tmpfs", runs(n)))
            _write(results, args, started)
        for n in args.long:
            results.append(bench.site(spec(n, long=True), "tmpfs", runs(n)))
            _write(results, args, started)
        if args.disk_size:
            results.append(bench.site(spec(args.disk_size), "disk", runs(args.disk_size)))
            _write(results, args, started)
        if args.profile:
            profile(bench, args, spec(args.profile))
    finally:
        bench.close()
    print(report(results, args, started))
    ok = all(r.edit_checked and (r.serve is None or r.serve.checked) for r in results)
    return 0 if ok else 1


def _write(results: list[SizeResult], args, started) -> None:
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report(results, args, started), encoding="utf-8")
    args.out.with_suffix(".json").write_text(
        json.dumps([asdict(r) for r in results], ensure_ascii=False, indent=1), encoding="utf-8")


def profile(bench: Bench, args, spec: CorpusSpec) -> None:
    """cProfile one cold single-core build; the top functions go beside --out."""
    import pstats

    site_dir = bench.folder("tmpfs").site(spec.label + "-profile", corpus(args.root, spec))
    content, output = site_dir / "content", site_dir / "output"
    stats_file = site_dir / "build.prof"
    command = [sys.executable, "-m", "cProfile", "-o", str(stats_file), "-m", "generator", "build",
               "--content", str(content), "--output", str(output), "--theme", str(THEME),
               *(["--jobs", "1"] if bench.has_jobs else [])]
    run = measure(command, site_dir, args.timeout)
    if run.code != 0:
        raise SystemExit(f"profiled build failed: {run.stderr[-2000:]}")
    target = args.out.with_name(f"profile-{spec.n}.txt")
    with open(target, "w", encoding="utf-8") as f:
        f.write(f"cold build of N={spec.n:,} on one core under cProfile: {run.seconds:.1f} s\n\n")
        stats = pstats.Stats(str(stats_file), stream=f)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(35)
    print(f"profile written to {target}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
