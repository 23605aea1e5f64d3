"""The Markdown report of a benchmark run: issue 15's targets first, then every figure behind them."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import synth
from measure import ROOT
from serve_bench import PREVIEW_QUIET_SECONDS, QUIET_SECONDS, ServeResult

#: The targets of issue 15 (ratios within one run, output on tmpfs).
COLD_RATIO, COLD_STRETCH = 0.43, 0.25
EDIT_RATIO = NOCHANGE_RATIO = 0.03
SERVE_SECONDS = {4000: 0.3, 64000: 1.0}
PER_DOC_RATIO = 1.2
PSS_MB = {10000: 250, 64000: 1024}


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


@dataclass
class SizeResult:
    n: int
    where: str
    runs: int
    kind: str = "standard"  # or "long": bodies of 5,000 to 100,000 characters (synth_long.py)
    pages: int = 0
    files: int = 0
    documents: int = 0
    body_chars: dict = field(default_factory=dict)
    floor: list[float] = field(default_factory=list)
    floor_cpu: list[float] = field(default_factory=list)
    cold_cpu: list[float] = field(default_factory=list)
    nochange_cpu: list[float] = field(default_factory=list)
    edit_cpu: list[float] = field(default_factory=list)
    cold: list[float] = field(default_factory=list)
    cold_serial: list[float] = field(default_factory=list)
    nochange: list[float] = field(default_factory=list)
    edit: list[float] = field(default_factory=list)
    edit_written: list[int] = field(default_factory=list)  # pages the one-edit build wrote
    cold_max_rss: float = 0.0
    cold_peak_pss: float = 0.0
    rebuild_max_rss: float = 0.0
    rebuild_peak_pss: float = 0.0
    floor_max_rss: float = 0.0
    processes: int = 0
    edit_checked: bool = True
    serve: ServeResult | None = None
    phase_seconds: dict = field(default_factory=dict)  # how long each part of the bench took
    notes: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.n:,}" + (" long" if self.kind == "long" else "")

    @property
    def peak_pss(self) -> float:
        """All processes together, the highest of cold, rebuilds and serve."""
        return max(self.cold_peak_pss, self.rebuild_peak_pss, self.serve.peak_pss_mb if self.serve else 0.0)

    @property
    def max_rss(self) -> float:
        return max(self.cold_max_rss, self.rebuild_max_rss, self.serve.max_rss_mb if self.serve else 0.0)

    def ratio(self, what: str) -> float:
        return median(getattr(self, what)) / median(self.floor)


# --------------------------------------------------------------------------- targets


def _find(results: list[SizeResult], n: int, kind: str = "standard") -> SizeResult | None:
    return next((r for r in results if r.where == "tmpfs" and r.n == n and r.kind == kind), None)


def _judge(value: float, limit: float) -> str:
    return "n/a" if value != value else ("yes" if value <= limit else "**no**")


def targets(results: list[SizeResult]) -> list[tuple[str, str, str, str, str]]:
    """(target, where, limit, measured, met?) for every target of issue 15."""
    rows = []

    def add(name: str, result: SizeResult | None, where: str, value, limit: float, unit: str, fmt: str) -> None:
        if result is None:
            rows.append((name, where, f"≤ {limit:{fmt}}{unit}", "not measured", "n/a"))
            return
        measured = value(result)
        rows.append((name, where, f"≤ {limit:{fmt}}{unit}", f"{measured:{fmt}}{unit}", _judge(measured, limit)))

    four = _find(results, 4000)
    add("cold build (search included) / floor", four, "N = 4,000", lambda r: r.ratio("cold"), COLD_RATIO, "×", ".2f")
    add("… stretch", four, "N = 4,000", lambda r: r.ratio("cold"), COLD_STRETCH, "×", ".2f")
    for r in results:
        if r.where == "tmpfs" and r.kind == "long":
            add("cold build / floor, long documents", r, f"N = {r.label}", lambda r: r.ratio("cold"),
                COLD_RATIO, "×", ".2f")
    for r in (r for r in results if r.where == "tmpfs"):
        add("one-file edit, build / floor", r, f"N = {r.label}", lambda r: r.ratio("edit"), EDIT_RATIO, "×", ".3f")
    for r in (r for r in results if r.where == "tmpfs"):
        add("no change / floor", r, f"N = {r.label}", lambda r: r.ratio("nochange"), NOCHANGE_RATIO, "×", ".3f")
    for n, limit in SERVE_SECONDS.items():
        found = _find(results, n)
        add("serve: edited page served after the save", found if found and found.serve else None,
            f"N = {n:,}", lambda r: r.serve.median_latency, limit, " s", ".2f")
    small, large = _find(results, 1000), _find(results, 64000)
    add("cold time per document, N = 64,000 / N = 1,000", large if small else None, "64,000 vs 1,000",
        lambda r: (median(r.cold) / r.n) / (median(small.cold) / small.n), PER_DOC_RATIO, "×", ".2f")
    for n, limit in PSS_MB.items():
        add("peak memory, all processes (PSS; cold, rebuilds, serve)", _find(results, n), f"N = {n:,}",
            lambda r: r.peak_pss, limit, " MB", ",.0f")
    return rows


# --------------------------------------------------------------------------- tables


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


def _table(header: list[str], align: str, rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + "|".join("---:" if a == "r" else "---" for a in align) + "|",
            *("| " + " | ".join(row) + " |" for row in rows)]


def _main_rows(results: list[SizeResult]) -> list[list[str]]:
    rows = []
    for r in results:
        floor, cold, nochange, edit = map(median, (r.floor, r.cold, r.nochange, r.edit))
        written = median(r.edit_written) if r.edit_written else float("nan")
        rows.append([r.label, r.where, str(r.runs), f"{r.pages:,}", _fmt(floor), _fmt(cold), f"{cold / floor:.2f}×",
                     f"{r.pages / cold:,.0f}", _fmt(nochange), f"{nochange / floor:.3f}×",
                     _fmt(edit) + ("" if r.edit_checked else " (STALE!)"), f"{edit / floor:.3f}×",
                     f"{written:,.0f}", f"{written / edit:,.1f}", f"{r.cold_peak_pss:,.0f}",
                     f"{r.rebuild_peak_pss:,.0f}", f"{r.max_rss:,.0f}", f"{r.floor_max_rss:,.0f}"])
    return rows


def _serve_rows(results: list[SizeResult]) -> list[list[str]]:
    rows = []
    for r in results:
        s = r.serve
        if s is None:
            continue
        spread = f" ({min(s.latency):.2f}–{max(s.latency):.2f})" if s.latency else ""
        rows.append([r.label, r.where, str(len(s.latency)), _fmt(s.first_build),
                     f"{s.median_latency:.2f}{spread}" + ("" if s.checked else " (STALE!)"),
                     f"{s.median_latency - PREVIEW_QUIET_SECONDS:.2f}", f"{median(s.done):.2f}", f"{median(s.build_seconds):.2f}",
                     f"{s.peak_pss_mb:,.0f}", f"{s.max_rss_mb:,.0f}",
                     "yes" if s.exit_code == 0 else f"**no** (exit {s.exit_code})"])
    return rows


def _corpus_rows(results: list[SizeResult]) -> list[list[str]]:
    rows, seen = [], set()
    for r in results:
        if (r.n, r.kind) in seen or not r.body_chars:
            continue
        seen.add((r.n, r.kind))
        b = r.body_chars
        rows.append([r.label, f"{r.documents:,}", f"{r.files:,}", f"{b['min']:,} / {b['median']:,} / {b['max']:,}",
                     f"{b['over_20000']:,}", f"{b['over_50000']:,}"])
    return rows


def _cpu_rows(results: list[SizeResult]) -> list[list[str]]:
    rows = []
    for r in results:
        fc, cc, nc, ec = map(median, (r.floor_cpu, r.cold_cpu, r.nochange_cpu, r.edit_cpu))
        rows.append([r.label, r.where, _fmt(fc), _fmt(cc), f"{cc / fc:.2f}×", f"{cc / r.n * 1000:.2f}",
                     _fmt(nc), _fmt(ec)])
    return rows


def _phase_rows(results: list[SizeResult]) -> list[list[str]]:
    return [[r.label, r.where, *(_fmt(r.phase_seconds[k]) if k in r.phase_seconds else "–" for k in PHASES),
             _fmt(sum(r.phase_seconds.values()))] for r in results]


PHASES = ("corpus", "floor", "cold", "serial", "no-change", "edit", "serve")


def report(results: list[SizeResult], args, started) -> str:
    cores = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores
    verdicts = targets(results)
    lines = [
        "# Benchmark results", "",
        f"* date: {started:%Y-%m-%d %H:%M}, generator commit {_git()}",
        f"* machine: **{cores} cores** (os.cpu_count(); {usable} usable), {_cpu_model()}, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}; "
        f"load average {args.load[0]:.2f} at the start, {os.getloadavg()[0]:.2f} at the end",
        f"* corpus: synth.py (standard) and synth_long.py (long), seed {args.seed}, synthesizer v{synth.VERSION}; "
        f"tmpfs root {args.root}" + (f", disk root {args.disk_root}" if args.disk_size else ""),
        f"* build command: `python -m generator build --lang en {' '.join(args.build_arg)}` (defaults: all cores, "
        "cache on, search index included); every figure is the median of the runs, each run a fresh process "
        "(interpreter start-up included); ratios are to the floor measured in the same run", "",
        "## Targets (issue 15)", "",
        *_table(["target", "where", "limit", "measured", "met?"], "llrrl", [list(v) for v in verdicts]), "",
    ]
    missed = [f"{v[0]} at {v[1]}: {v[3]} (limit {v[2].lstrip('≤ ')})" for v in verdicts if v[4] == "**no**"]
    absent = list(dict.fromkeys(v[1] for v in verdicts if v[4] == "n/a"))
    lines += ["Not reached: " + ("; ".join(missed) if missed else "none") + ".",
              *([f"Not measured in this run: {', '.join(absent)}."] if absent else []), "",
              "## Builds", "",
              *_table(["N docs", "where", "runs", "pages", "floor s", "cold s", "cold / floor", "cold pages/s",
                       "no-change s", "no-change / floor", "one-edit s", "edit / floor", "edit pages written",
                       "edit pages written/s", "peak PSS cold MB", "peak PSS rebuilds MB", "max RSS one proc MB",
                       "floor RSS MB"], "rlrrrrrrrrrrrrrrrr", _main_rows(results)), ""]
    serve = _serve_rows(results)
    if serve:
        lines += ["## serve: one-file edit", "",
                  f"serve shows the saved document's page once no file changed for {PREVIEW_QUIET_SECONDS:g} s "
                  f"(PREVIEW_QUIET_SECONDS in generator/commands/watching.py), rendered over the last build's site graph, "
                  f"and builds the whole site after {QUIET_SECONDS:g} s; every latency includes the first wait; the "
                  f"page is fetched every {args.serve_poll * 1000:.0f} ms.", "",
                  *_table(["N docs", "where", "edits", "first build s", "page served after save s, median (min–max)",
                           "minus the quiet wait s", "rebuild published s", "serve's build s", "peak PSS serve tree MB",
                           "max RSS MB", "stopped cleanly by SIGINT"], "rlrrrrrrrrl", serve), ""]
    lines += ["## CPU time", "", "User + system of the build and its workers (less sensitive than wall time to other "
              "load on the machine):", "",
              *_table(["N docs", "where", "floor CPU s", "cold CPU s", "cold CPU / floor CPU", "cold CPU ms/doc",
                       "no-change CPU s", "one-edit CPU s"], "rlrrrrrr", _cpu_rows(results)), ""]
    serial = [r for r in results if r.cold_serial]
    if serial:
        lines += ["Cold build on one core (`--jobs 1`) for the parallel speed-up:", "",
                  *_table(["N docs", "where", "cold 1 core s", "cold all cores s", "speed-up", "1 core / floor"],
                          "rlrrrr", [[r.label, r.where, _fmt(median(r.cold_serial)), _fmt(median(r.cold)),
                                      f"{median(r.cold_serial) / median(r.cold):.2f}×",
                                      f"{median(r.cold_serial) / median(r.floor):.2f}×"] for r in serial]), ""]
    lines += ["## Corpora", "",
              *_table(["N docs", "documents (policies + interpretations + institutions)", "content files",
                       "policy body, Chinese characters: min / median / max", "bodies > 20,000", "bodies > 50,000"],
                      "lrrrrr", _corpus_rows(results)), "",
              "## How long the bench took (s)", "",
              *_table(["N docs", "where", *PHASES, "total"], "rl" + "r" * (len(PHASES) + 1), _phase_rows(results)),
              "", *_notes(results), ""]
    return "\n".join(lines)


def _notes(results: list[SizeResult]) -> list[str]:
    notes = ["* floor = floor.py on one core: read + yaml.safe_load + Python-Markdown (tables, sane_lists, "
             "footnotes, toc) of every content file; pages = .html files written; cold pages/s = pages / cold s; "
             "edit pages written/s = pages the one-edit build wrote / its seconds",
             "* peak PSS: a process and all its workers together, sampled from /proc every 0.1 s (the build's for "
             "cold and rebuilds, serve's over its whole run); max RSS: the largest single process (wait4), "
             "of cold, rebuilds and serve"]
    tmpfs = {r.n: r for r in results if r.where == "tmpfs" and r.kind == "standard"}
    if len(tmpfs) >= 2:
        small, large = tmpfs[min(tmpfs)], tmpfs[max(tmpfs)]
        per_small, per_large = median(small.cold) / small.n, median(large.cold) / large.n
        notes.append(f"* time per document, cold: {per_small * 1000:.2f} ms at N={small.n:,}, "
                     f"{per_large * 1000:.2f} ms at N={large.n:,} ({per_large / per_small:.2f}×)")
    if any(not r.edit_checked or (r.serve and not r.serve.checked) for r in results):
        notes.append("* **STALE!**: after a one-file edit the page did not show the new title")
    notes += [f"* {r.label} {r.where}: {note}" for r in results for note in
              [*r.notes, *(r.serve.notes if r.serve else [])]]
    return notes
