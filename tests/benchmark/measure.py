"""Measuring processes: wall time, CPU time, max RSS (wait4) and peak PSS of a whole process tree."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


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


def tree(pid: int) -> list[int]:
    """``pid`` and all its descendants, now."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += _children(p)
    return out


def pss_kb(pid: int) -> int:
    """Proportional set size: pages shared after fork are split between the processes sharing them."""
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


class TreeSampler:
    """Samples the summed PSS of a process tree every ``interval`` seconds in a thread; keeps the peak."""

    def __init__(self, pid: int, interval: float = 0.1):
        self.pid = pid
        self.interval = interval
        self.peak_kb = 0
        self.processes = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name=f"pss-{pid}")

    def _run(self) -> None:
        while not self._done.wait(self.interval):
            pids = tree(self.pid)
            self.peak_kb = max(self.peak_kb, sum(pss_kb(p) for p in pids))
            self.processes = max(self.processes, len(pids))

    def __enter__(self) -> "TreeSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._done.set()
        self._thread.join()

    @property
    def peak_mb(self) -> float:
        return self.peak_kb / 1024


def environment() -> dict:
    """The generator of this checkout, no .pyc files written into it."""
    return {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}


def alive(proc: subprocess.Popen) -> bool:
    """Running (not a zombie), without reaping it: wait4 must still get its rusage."""
    try:
        with open(f"/proc/{proc.pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def signal_pid(pid: int, signum: int = signal.SIGKILL) -> None:
    """Signal without Popen.send_signal, which reaps an exited child (and loses its rusage)."""
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass


def wait(proc: subprocess.Popen) -> tuple[int, object]:
    """Reap ``proc`` with wait4: its exit code and the rusage of it and its reaped children."""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, usage


def measure(command: list[str], cwd: Path, timeout: float, sample: float = 0.1) -> Run:
    """Run ``command``; wall time, exit code, max RSS (wait4) and peak summed PSS of its process tree."""
    out_path, err_path = cwd / ".bench-stdout", cwd / ".bench-stderr"
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=err, env=environment())
        timer = threading.Timer(timeout, signal_pid, (proc.pid,))
        timer.start()
        try:
            with TreeSampler(proc.pid, sample) as sampler:
                code, usage = wait(proc)
                seconds = time.perf_counter() - started  # before the sampler's thread is joined
        finally:
            timer.cancel()
    return Run(seconds, code, usage.ru_maxrss / 1024, sampler.peak_mb, sampler.processes,
               usage.ru_utime + usage.ru_stime, out_path.read_text(encoding="utf-8", errors="replace"),
               err_path.read_text(encoding="utf-8", errors="replace"))
