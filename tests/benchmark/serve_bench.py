"""Edit latency of ``serve``: from saving a document to the edited page being served over HTTP.

``python -m generator serve --port 0`` is started on a site; once its first build
is published (``/__zwgk__/status``: ``builds`` ≥ 1), one document's title is
changed several times, a different title each time, each an atomic save
(:func:`store.replace_text`). After each save the page is fetched every
``poll`` seconds until it shows the new title (the *latency*), while a second
thread long-polls ``/__zwgk__/status?wait=<epoch>`` for the end of the rebuild
(*done*; serve's own build time is in the status as ``seconds``). The next edit
waits for that, so each edit is one burst of its own. Serve is then stopped with
SIGINT, as Ctrl-C does; the summed PSS of its process tree is sampled
throughout.
"""

from __future__ import annotations

import json
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from measure import ROOT, TreeSampler, alive, environment, signal_pid, wait
from store import replace_text

STATUS = "__zwgk__/status"
#: serve waits for this long without changes before it previews the saved document's page, and for the second
#: before it builds (generator/commands/watching.py).
_SERVE = (ROOT / "generator" / "commands" / "watching.py").read_text()
_PREVIEW = re.search(r"(?m)^PREVIEW_QUIET_SECONDS = ([\d.]+)", _SERVE)
_QUIET = re.search(r"(?m)^QUIET_SECONDS = ([\d.]+)", _SERVE)
PREVIEW_QUIET_SECONDS = float(_PREVIEW.group(1)) if _PREVIEW else float("nan")
QUIET_SECONDS = float(_QUIET.group(1)) if _QUIET else float("nan")


@dataclass
class ServeResult:
    first_build: float = 0.0  # start of the process → first build published
    latency: list[float] = field(default_factory=list)  # save → the edited page served with the new title
    done: list[float] = field(default_factory=list)  # save → the rebuild published in /__zwgk__/status
    build_seconds: list[float] = field(default_factory=list)  # serve's own time for each rebuild
    peak_pss_mb: float = 0.0
    max_rss_mb: float = 0.0
    processes: int = 0
    checked: bool = True  # every edit was served
    exit_code: int | None = None  # after SIGINT: 0 when serve stopped cleanly
    stop_seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def median_latency(self) -> float:
        return statistics.median(self.latency) if self.latency else float("nan")


def _get(url: str, timeout: float = 10.0) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.read()
    except urllib.error.HTTPError as e:
        return e.read()
    except (urllib.error.URLError, OSError):
        return None


def _status(base: str, since: str | None = None, timeout: float = 25.0) -> dict | None:
    url = base + STATUS + (f"?wait={since}&timeout={timeout}" if since is not None else "")
    body = _get(url, timeout + 10)
    try:
        return json.loads(body) if body else None
    except ValueError:
        return None


def _address(stdout: Path, proc: subprocess.Popen, deadline: float) -> str:
    """The server's address from its first line (``serving … at http://127.0.0.1:PORT/``)."""
    while time.monotonic() < deadline and alive(proc):
        found = re.search(r"http://127\.0\.0\.1:\d+/", stdout.read_text(encoding="utf-8", errors="replace"))
        if found:
            return found.group(0)
        time.sleep(0.02)
    raise RuntimeError("serve printed no address")


def _published(base: str, since: dict | None, deadline: float) -> dict:
    """Long-poll until a build after the one of status ``since`` (None: any build) is published and none is
    running. (The epoch also changes when serve previews the edited page before building: count builds.)"""
    current = since["epoch"] if since else None
    builds = since["builds"] if since else 0
    while time.monotonic() < deadline:
        status = _status(base, current, timeout=min(25.0, max(0.1, deadline - time.monotonic())))
        if status is None:  # not answering yet
            time.sleep(0.05)
            continue
        if status["builds"] > builds and not status["building"]:
            return status
        current = status["epoch"]  # the epoch changes when a build is published: wait for that
    raise RuntimeError("serve did not publish a build in time")


def _served(url: str, needle: bytes, deadline: float, poll: float) -> float | None:
    """Fetch ``url`` every ``poll`` seconds until it contains ``needle``; the moment it did."""
    while time.monotonic() < deadline:
        body = _get(url)
        if body and needle in body:
            return time.perf_counter()
        time.sleep(poll)
    return None


def _one_edit(base: str, page_url: str, victim: Path, text: str, title: str, scratch: Path,
              timeout: float, poll: float, result: ServeResult) -> None:
    status = _status(base)
    if status is None:
        raise RuntimeError("serve stopped answering")
    since = status
    deadline = time.monotonic() + timeout
    finished: dict = {}

    def watch():
        try:
            finished["status"] = _published(base, since, deadline)
            finished["at"] = time.perf_counter()
        except RuntimeError:
            pass

    waiter = threading.Thread(target=watch, daemon=True)
    waiter.start()
    time.sleep(0.05)  # the long poll is waiting before the save
    replace_text(victim, text, scratch)
    saved = time.perf_counter()
    shown = _served(page_url, title.encode("utf-8"), deadline, poll)
    waiter.join(max(0.0, deadline - time.monotonic()))
    if shown is None:
        result.checked = False
        result.notes.append(f"the edited page never showed {title!r} within {timeout:.0f} s")
    else:
        result.latency.append(shown - saved)
    if "at" in finished:
        result.done.append(finished["at"] - saved)
        result.build_seconds.append(float(finished["status"].get("seconds") or 0.0))
        if not finished["status"].get("ok"):
            result.notes.append(f"a rebuild failed: {finished['status'].get('summary')}")


def serve_latency(site_dir: Path, theme: Path, victim: Path, edits: int, timeout: float,
                  poll: float = 0.01, extra: list[str] = ()) -> ServeResult:
    """Start serve on ``site_dir``/content → output, make ``edits`` title edits of ``victim``, stop it.
    The victim's original bytes are back in place afterwards."""
    content, output = site_dir / "content", site_dir / "output"
    command = [sys.executable, "-m", "generator", "serve", "--lang", "en", "--content", str(content),
               "--output", str(output), "--theme", str(theme), "--port", "0", *extra]
    original = victim.read_text(encoding="utf-8")
    page_url_path = f"zcwj/{victim.stem}/"
    result = ServeResult()
    stdout, stderr = site_dir / ".serve-stdout", site_dir / ".serve-stderr"
    with open(stdout, "wb") as out, open(stderr, "wb") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(command, cwd=site_dir, stdout=out, stderr=err, env=environment())
        sampler = TreeSampler(proc.pid).__enter__()
        try:
            base = _address(stdout, proc, time.monotonic() + 60)
            first = _published(base, None, time.monotonic() + timeout)
            result.first_build = time.perf_counter() - started
            if not first["ok"]:
                raise RuntimeError(f"serve's first build failed: {first.get('summary')}")
            for k in range(edits):
                title = f"基准测试服务修改后的标题第{k + 1}稿"
                text = re.sub(r"(?m)^标题: .*$", f"标题: {title}", original, count=1)
                _one_edit(base, base + page_url_path, victim, text, title, site_dir, timeout, poll, result)
        except RuntimeError as e:
            result.checked = False
            result.notes.append(f"{e}; serve said: {stderr.read_text(encoding='utf-8', errors='replace')[-1500:]}")
        finally:
            _stop(proc, result)
            sampler.__exit__(None, None, None)
            replace_text(victim, original, site_dir)
    result.peak_pss_mb, result.processes = sampler.peak_mb, sampler.processes
    return result


def _stop(proc: subprocess.Popen, result: ServeResult, grace: float = 60.0) -> None:
    """SIGINT, as Ctrl-C; killed after ``grace`` seconds (noted)."""
    asked = time.perf_counter()
    signal_pid(proc.pid, signal.SIGINT)
    timer = threading.Timer(grace, signal_pid, (proc.pid,))
    timer.start()
    try:
        code, usage = wait(proc)
    finally:
        timer.cancel()
    result.stop_seconds = time.perf_counter() - asked
    result.exit_code = code
    result.max_rss_mb = usage.ru_maxrss / 1024
    if code != 0:
        result.notes.append(f"serve exited with {code} after SIGINT ({result.stop_seconds:.1f} s)")
