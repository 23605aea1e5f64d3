"""``serve``: ignore rules, debouncing, injection and the overlay, the HTTP server, and the whole
command end to end in a subprocess (edit → reload, break → overlay, fix → page back, Ctrl-C).

The browser test at the end drives Chromium through Playwright when both are installed.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from generator.commands.build import BuildOptions
from generator.commands.serve import IgnoreRules, Rebuilder, SiteBuilder
from generator.errors import ContentError, Report, ThemeError, UsageError
from generator.live_state import BuildStatus, LiveState
from generator.livereload import SCRIPT_URL, inject, open_server, overlay_html

from conftest import ROOT, THEME, Site

# --------------------------------------------------------------------------- helpers

pytestmark = pytest.mark.slow  # real servers and processes / a synthesized site of hundreds of pages


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_is_free(port: int) -> bool:
    """Can a server listen on ``port`` again? (SO_REUSEADDR, as servers bind: closed connections
    in TIME_WAIT do not count, a socket still listening does.)"""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
            s.listen()
        except OSError:
            return False
        return True


def fetch(url: str, method: str = "GET", headers: dict | None = None, timeout: float = 10):
    """(status, headers, body bytes); HTTP errors are returned, not raised; redirects not followed."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with opener.open(request, timeout=timeout) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def status_of(base: str, wait: str | None = None, timeout: float = 10) -> dict:
    url = base + "__zwgk__/status" + (f"?wait={wait}&timeout={timeout}" if wait is not None else "")
    return json.loads(fetch(url, timeout=timeout + 5)[2])


# --------------------------------------------------------------------------- ignore rules


@pytest.mark.parametrize("rel, ignored", [
    ("content/policies/a.md", False),
    ("content/site.yaml", False),
    ("content/policies/files/附件1.pdf", False),
    ("content/interpretations/media/yitu.png", False),
    ("themes/default/templates/base.html", False),
    ("themes/default/static/site.css", False),
    ("content/_draft.md", False),  # cheap to rebuild; drafts may turn into documents
    ("output/index.html", True),
    ("output/zcwj/a/index.html", True),
    (".output.tmp-k2j3/zcwj/a/index.html", True),
    (".output.old-9x8/site/index.html", True),
    (".output.cache/build.sqlite", True),
    (".output.cache/build.sqlite-journal", True),
    ("content/policies/.a.md.swp", True),
    ("content/policies/.a.md.swx", True),
    ("content/policies/a.md~", True),
    ("content/policies/.#a.md", True),
    ("content/policies/#a.md#", True),
    ("content/policies/4913", True),
    ("content/policies/sedgjS3wU", True),
    ("content/policies/sedimentation.md", False),
    ("themes/default/static/.site.css.caf907b6.tmp", True),
    ("content/policies/a.md___jb_tmp___", True),
    ("content/policies/.goutputstream-XYZ12", True),
    ("content/.git/index", True),
    ("themes/default/__pycache__/x.pyc", True),
    ("content/.DS_Store", True),
])
def test_ignore_rules(tmp_path, rel, ignored):
    rules = IgnoreRules(tmp_path / "output")
    assert rules.ignored(tmp_path / rel) is ignored


def test_ignore_rules_judge_only_folders_below_the_project(tmp_path):
    project = tmp_path / ".cache" / ".output.x" / "proj"  # e.g. a checkout under ~/.cache/
    rules = IgnoreRules(project / "output", watched=[project / "content", project / "themes" / "default"])
    assert not rules.ignored(project / "content" / "policies" / "a.md")
    assert not rules.ignored(project / "themes" / "default" / "templates" / "base.html")
    assert rules.ignored(project / "content" / ".git" / "index")
    assert rules.ignored(project / ".output.tmp-abc" / "index.html")


def test_ignore_rules_follow_the_output_name(tmp_path):
    rules = IgnoreRules(tmp_path / "site-out")
    assert rules.ignored(tmp_path / "site-out" / "index.html")
    assert rules.ignored(tmp_path / ".site-out.tmp-abc" / "index.html")
    assert not rules.ignored(tmp_path / "content" / "policies" / "a.md")


# --------------------------------------------------------------------------- debouncing


class Recorder:
    """A build function that records what it was asked to build, and when."""

    def __init__(self, seconds: float = 0.0):
        self.seconds = seconds
        self.batches: list[tuple[float, set[str]]] = []
        self.started = threading.Event()

    def __call__(self, batch: set[str]) -> None:
        self.started.set()
        time.sleep(self.seconds)
        self.batches.append((time.monotonic(), set(batch)))


def test_a_burst_of_edits_is_one_build_after_the_quiet_period():
    build = Recorder()
    rebuilder = Rebuilder(build, quiet=0.25)
    rebuilder.start()
    try:
        for n in range(6):
            rebuilder.changed([f"a{n}.md"])
            last = time.monotonic()
            time.sleep(0.05)
        assert rebuilder.idle(5)
        time.sleep(0.3)
        assert len(build.batches) == 1
        done, batch = build.batches[0]
        assert batch == {f"a{n}.md" for n in range(6)}
        assert done - last >= 0.25
    finally:
        assert rebuilder.stop()


def test_a_change_during_a_build_triggers_exactly_one_more_build():
    build = Recorder(seconds=0.5)
    rebuilder = Rebuilder(build, quiet=0.05)
    rebuilder.start()
    try:
        rebuilder.changed(["first.md"])
        assert build.started.wait(5)
        for name in ("x.md", "y.md", "z.md"):
            rebuilder.changed([name])
            time.sleep(0.02)
        time.sleep(0.1)
        assert rebuilder.idle(5)
        time.sleep(0.2)
        assert [batch for _, batch in build.batches] == [{"first.md"}, {"x.md", "y.md", "z.md"}]
    finally:
        assert rebuilder.stop()


def test_continuous_edits_do_not_starve_the_build():
    build = Recorder()
    rebuilder = Rebuilder(build, quiet=0.2, max_delay=0.4)
    rebuilder.start()
    try:
        end = time.monotonic() + 1.3
        while time.monotonic() < end:
            rebuilder.changed(["busy.md"])
            time.sleep(0.05)
        assert len(build.batches) >= 2  # a build at least every max_delay, not only at the end
    finally:
        assert rebuilder.stop()


def test_stop_while_idle_joins_at_once():
    rebuilder = Rebuilder(Recorder())
    rebuilder.start()
    started = time.monotonic()
    assert rebuilder.stop()
    assert time.monotonic() - started < 1
    assert not any(t.name == "zwgk-build" for t in threading.enumerate())


def test_stop_cancels_a_build_that_does_not_finish():
    cleaned = threading.Event()

    def endless(batch):
        try:
            while True:
                time.sleep(0.01)
        finally:
            cleaned.set()  # like AtomicOutput removing its half-written folder

    rebuilder = Rebuilder(endless, quiet=0.01)
    rebuilder.start()
    rebuilder.changed(["a.md"])
    time.sleep(0.2)
    assert rebuilder.stop(grace=0.2)
    assert cleaned.is_set()


# --------------------------------------------------------------------------- injection and overlay

PAGE = "<!DOCTYPE html>\n<html><head><title>t</title></head><body><main>正文</main>\n</body>\n</html>\n".encode()


def _failed(*diagnostics, summary="build failed: 2 error(s), 0 warning(s)") -> BuildStatus:
    report = Report()
    for path, line, message, hint in diagnostics:
        report.error(path, line, message, hint)
    return BuildStatus(False, summary, tuple(report.sorted()))


def test_inject_adds_the_script_file_before_the_last_body_end():
    out = inject(PAGE, "abc-3", BuildStatus(True, "built"))
    text = out.decode("utf-8")
    assert f'<script src="{SCRIPT_URL}" data-epoch="abc-3" defer></script></body>' in text
    assert "zwgk-overlay" not in text
    assert "正文" in text
    assert text.count("<script") == 1 and "<script>" not in text  # no inline script (CSP)


def test_inject_without_body_end_appends_and_handles_upper_case():
    assert inject(b"<p>bare</p>", "e", None).endswith(b'defer></script>')
    out = inject(b"<HTML><BODY>x</BODY></HTML>", "e", None)
    assert out.index(b"<script") < out.index(b"</BODY>")


def test_overlay_lists_every_diagnostic_escaped():
    status = _failed(("content/policies/a.md", 9, "unknown field '<script>alert(1)</script>'", "did you mean '发布机构'?"),
                     ("content/policies/b&c.md", 3, "有效性 is 现行有效 but the document is replaced by new", ""))
    text = inject(PAGE, "e", status).decode("utf-8")
    assert "<script>alert" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "content/policies/a.md:9" in text
    assert "content/policies/b&amp;c.md:3" in text
    assert "hint: did you mean &#x27;发布机构&#x27;?" in text
    assert text.count('<li class="zwgk-error">') == 2
    assert 'href="/__zwgk__/livereload.css"' in text
    assert " style=" not in text and "onclick" not in text  # CSP: no inline style or handlers
    assert text.index("zwgk-overlay") < text.index("</body>")


def test_overlay_shows_a_message_without_diagnostics():
    html = overlay_html(BuildStatus(False, "build failed", detail="theme not found: <t> has no templates/ folder"))
    assert "theme not found: &lt;t&gt;" in html


# --------------------------------------------------------------------------- one build, printed and published


class _Out:
    def __init__(self):
        self.text = ""

    def write(self, s):
        self.text += s

    def flush(self):
        pass


def _builder(build_fn):
    out, err = _Out(), _Out()
    state = LiveState()
    return SiteBuilder(BuildOptions(), state, out=out, err=err, build_fn=build_fn), state, out, err


def test_content_errors_are_printed_like_build_and_published_with_every_diagnostic():
    report = Report()
    report.error("content/policies/a.md", 9, "unknown field '发文机关' in policy front matter", "did you mean '发布机构'?")
    report.error("content/policies/b.md", 4, "发布日期: '2023-02-30' is not a real calendar date",
                 "check the month and day")
    report.warning("content/policies/c.md", 6, "文号 uses the wrong brackets", "write 〔2023〕")

    def failing(options):
        raise ContentError(report)

    builder, state, out, err = _builder(failing)
    status = builder({"content/policies/a.md"})
    assert not status.ok and state.failed and state.builds == 1
    assert len(status.diagnostics) == 3
    assert "content/policies/a.md:9: error: unknown field '发文机关' in policy front matter\n" \
           "    hint: did you mean '发布机构'?" in err.text
    assert "build failed: 2 error(s), 1 warning(s); still serving the last good build" in err.text
    assert "changed: " in out.text


def test_theme_errors_bugs_and_usage_errors_keep_the_server_going():
    def theme(options):
        raise ThemeError("unexpected end of template", "themes/default/templates/base.html", 12)

    builder, state, _, err = _builder(theme)
    status = builder()
    assert not status.ok and status.diagnostics[0].line == 12
    assert "base.html:12" in err.text

    def bug(options):
        raise KeyError("oops")

    builder, state, _, err = _builder(bug)
    status = builder()
    assert not status.ok and "KeyError" in status.detail and "Traceback" in err.text

    def usage(options):
        raise UsageError("content folder not found: content")

    builder, state, _, err = _builder(usage)
    with pytest.raises(UsageError):
        builder(first=True)  # the first build: `serve` exits with code 2
    status = builder()  # later (the folder was removed while serving): shown, not fatal
    assert not status.ok and "content folder not found" in status.detail


# --------------------------------------------------------------------------- the HTTP server


@pytest.fixture
def server(tmp_path):
    out = tmp_path / "output"
    (out / "zcwj" / "a").mkdir(parents=True)
    (out / "empty").mkdir()
    (out / "static").mkdir()
    (out / "index.html").write_bytes(PAGE)
    (out / "zcwj" / "a" / "index.html").write_text("<html><body><h1>文件甲</h1></body></html>", encoding="utf-8")
    (out / "404.html").write_text("<html><body><h1>页面未找到</h1></body></html>", encoding="utf-8")
    (out / "static" / "site.css").write_text("body { color: #000; }\n", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("not for the web", encoding="utf-8")
    state = LiveState()
    before = set(threading.enumerate())
    srv = open_server("127.0.0.1", 0, out, state)
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    base = srv.url
    yield base, state, out
    state.stop()
    srv.shutdown()
    thread.join(5)
    srv.server_close()
    assert set(threading.enumerate()) <= before  # every request thread joined
    assert port_is_free(srv.server_address[1])


def test_clean_urls_injection_and_404(server):
    base, state, out = server
    status, headers, body = fetch(base + "zcwj/a/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert "文件甲" in body.decode() and SCRIPT_URL in body.decode()
    assert headers["Cache-Control"] == "no-store"
    status, headers, _ = fetch(base + "zcwj/a")
    assert status == 301 and headers["Location"] == "/zcwj/a/"
    status, _, body = fetch(base + "%7A%63wj/a/index.html")  # percent-encoded path
    assert status == 200 and "文件甲" in body.decode()
    status, _, body = fetch(base + "no/such/page/")
    assert status == 404 and "页面未找到" in body.decode() and SCRIPT_URL in body.decode()
    status, _, body = fetch(base + "empty/")  # a folder without index.html: no listing
    assert status == 404 and b"empty" not in body.split(b"<h1>")[0]
    status, _, body = fetch(base + "../secret.txt")
    assert status == 404 and b"not for the web" not in body
    status, _, body = fetch(base + "%2e%2e/secret.txt")
    assert status == 404 and b"not for the web" not in body


def test_a_missing_page_of_the_mirror_gets_the_mirrors_404_page(server):
    """As the generated server configurations do (generator/headers.py): the nearest folder's 404.html."""
    base, _, out = server
    (out / "zh-hant" / "zcwj").mkdir(parents=True)
    (out / "zh-hant" / "404.html").write_text("<html><body><h1>頁面未找到</h1></body></html>", encoding="utf-8")
    for path in ("zh-hant/no/such/page/", "zh-hant/zcwj/none/", "zh-hant/x.pdf", "zh-hant/zcwj/../none/"):
        status, _, body = fetch(base + path)
        assert status == 404 and "頁面未找到" in body.decode() and SCRIPT_URL in body.decode(), path
    for path in ("zh-hantx/", "no/zh-hant/", "%2e%2e/zh-hant/x/"):
        status, _, body = fetch(base + path)
        assert status == 404 and "页面未找到" in body.decode(), path


def test_other_files_are_not_touched_and_ranges_work(server):
    base, _, out = server
    status, headers, body = fetch(base + "static/site.css")
    assert status == 200 and body == (out / "static" / "site.css").read_bytes()
    assert headers["Content-Type"].startswith("text/css")
    status, headers, body = fetch(base + "static/site.css", headers={"Range": "bytes=0-3"})
    assert status == 206 and body == b"body" and headers["Content-Range"].startswith("bytes 0-3/")
    status, headers, body = fetch(base + "static/site.css", method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 0
    status, _, _ = fetch(base + "static/site.css", headers={"Range": "bytes=999-"})
    assert status == 416


def test_livereload_files_status_and_long_poll(server):
    base, state, out = server
    status, headers, body = fetch(base + "__zwgk__/livereload.js")
    assert status == 200 and headers["Content-Type"].startswith("text/javascript") and b"EventSource" in body
    status, headers, body = fetch(base + "__zwgk__/livereload.css")
    assert status == 200 and b".zwgk-overlay" in body
    first = status_of(base)
    assert first["ok"] is None and first["builds"] == 0

    def later():
        time.sleep(0.3)
        state.publish(BuildStatus(False, "build failed: 1 error(s), 0 warning(s)",
                                  tuple(_failed(("content/policies/a.md", 7, "bad <date>", "")).diagnostics)))

    threading.Thread(target=later).start()
    started = time.monotonic()
    changed = status_of(base, wait=first["epoch"], timeout=10)
    assert 0.2 < time.monotonic() - started < 5
    assert changed["epoch"] != first["epoch"] and changed["ok"] is False
    assert changed["diagnostics"][0]["line"] == 7
    page = fetch(base)[2].decode()
    assert "content/policies/a.md:7" in page and "bad &lt;date&gt;" in page
    assert f'data-epoch="{changed["epoch"]}"' in page
    assert "zwgk" not in (out / "index.html").read_text(encoding="utf-8")  # nothing written into output/


def test_event_stream_sends_the_epoch_and_each_new_one(server):
    base, state, _ = server
    host, port = base[len("http://"):].rstrip("/").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall(b"GET /__zwgk__/events HTTP/1.1\r\nHost: x\r\n\r\n")
        received = b""
        while b"event: epoch" not in received:
            received += conn.recv(4096)
        assert b"text/event-stream" in received and f"data: {state.epoch}".encode() in received
        state.publish(BuildStatus(True, "built"))
        received = b""
        while b"\n\n" not in received:
            received += conn.recv(4096)
        assert f"event: epoch\ndata: {state.epoch}\n\n".encode() in received


def test_no_output_yet_is_a_page_that_reloads_itself(tmp_path):
    state = LiveState()
    srv = open_server("127.0.0.1", 0, tmp_path / "missing", state)
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        import generator.livereload as lr
        old, lr.SWAP_WAIT_SECONDS = lr.SWAP_WAIT_SECONDS, 0.1
        try:
            status, headers, body = fetch(srv.url)
        finally:
            lr.SWAP_WAIT_SECONDS = old
        assert status == 503 and SCRIPT_URL in body.decode()
    finally:
        state.stop()
        srv.shutdown()
        thread.join(5)
        srv.server_close()


def test_a_busy_port_is_a_usage_error(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        with pytest.raises(UsageError, match=f"port {port} .* already in use"):
            open_server("127.0.0.1", port, tmp_path, LiveState())
    with pytest.raises(UsageError):
        open_server("127.0.0.1", 70000, tmp_path, LiveState())


# --------------------------------------------------------------------------- end to end


def _serve_command() -> list[str]:
    return [sys.executable, "-m", "generator", "serve", "--lang", "en"]


class Served:
    """``serve`` running in a subprocess on a scratch site."""

    def __init__(self, site: Site, port: int, *extra: str):
        self.site = site
        self.port = port
        self.base = f"http://127.0.0.1:{port}/"
        self.out_path = site.root / "serve.out"
        self.err_path = site.root / "serve.err"
        command = [*_serve_command(), "--content", str(site.content), "--output", str(site.output),
                   "--theme", str(THEME), "--port", str(port), *extra]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        with open(self.out_path, "wb") as out, open(self.err_path, "wb") as err:
            self.proc = subprocess.Popen(command, cwd=site.root, stdout=out, stderr=err, env=env)

    @property
    def stderr(self) -> str:
        return self.err_path.read_text(encoding="utf-8")

    @property
    def stdout(self) -> str:
        return self.out_path.read_text(encoding="utf-8")

    def wait_ready(self, timeout: float = 60) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"serve exited: {self.stdout}\n{self.stderr}"
            try:
                state = status_of(self.base)
                if state["builds"] >= 1:
                    return state
            except (urllib.error.URLError, ConnectionError, json.JSONDecodeError):
                pass
            time.sleep(0.1)
        raise AssertionError(f"serve did not build in {timeout} s: {self.stdout}\n{self.stderr}")

    def wait_build_after(self, epoch: str, timeout: float = 60) -> dict:
        """The state after the next build (a preview of the edited page, which comes first, is skipped)."""
        deadline = time.monotonic() + timeout
        builds = int(epoch.split("-")[1].split(".")[0])
        while time.monotonic() < deadline:
            state = status_of(self.base, wait=epoch, timeout=5)
            if state["builds"] > builds:
                return state
            epoch = state["epoch"]
        raise AssertionError(f"no rebuild in {timeout} s: {self.stdout}\n{self.stderr}")

    def page(self, url: str) -> tuple[int, str]:
        status, _, body = fetch(self.base + url)
        return status, body.decode("utf-8")

    def stop(self, sig=signal.SIGINT, timeout: float = 10) -> int:
        self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError(f"serve did not stop within {timeout} s: {self.stderr}")


@pytest.fixture
def served(site):
    site.policy("a", "第一条 本办法适用于全市。", 标题="测试市公共文化服务办法")
    site.policy("b", "第一条 本规定自发布之日起施行。", 标题="测试市旅游景区管理规定", 发布日期="2023-05-06")
    running = Served(site, free_port())
    yield running
    if running.proc.poll() is None:
        running.proc.kill()
        running.proc.wait()


def test_serve_edit_break_fix_and_stop(site, served):
    state = served.wait_ready()
    assert state["ok"] is True, served.stderr
    status, html = served.page("zcwj/a/")
    assert status == 200 and "测试市公共文化服务办法" in html and SCRIPT_URL in html
    assert "zwgk-overlay" not in html

    # an edit: the epoch changes and the page shows it
    started = time.monotonic()
    site.policy("a", "第一条 本办法适用于全市。", 标题="测试市公共文化服务管理办法（修订）")
    state = served.wait_build_after(state["epoch"])
    assert state["ok"] is True, served.stderr
    assert time.monotonic() - started < 15
    assert "测试市公共文化服务管理办法（修订）" in served.page("zcwj/a/")[1]

    # a broken file: overlay with file:line on every page, the last good output still served
    bad = site.policy("a", "第一条 本办法适用于全市。", 标题="测试市公共文化服务管理办法（修订）", 发布日期="2023-02-30")
    state = served.wait_build_after(state["epoch"])
    assert state["ok"] is False
    line = next(n for n, text in enumerate(bad.read_text(encoding="utf-8").splitlines(), 1) if "2023-02-30" in text)
    status, html = served.page("zcwj/a/")
    assert status == 200 and "zwgk-overlay" in html
    assert f"policies/a.md:{line}" in html and "2023-02-30" in html
    assert "测试市公共文化服务管理办法（修订）" in html  # the last good page
    status, html = served.page("no-such-page/")
    assert status == 404 and f"policies/a.md:{line}" in html
    assert f"policies/a.md:{line}: error:" in served.stderr  # and in the terminal, as `build` prints it

    # fixed: the overlay is gone, the edit is live
    site.policy("a", "第一条 本办法适用于全市。", 标题="测试市公共文化服务管理办法（第二次修订）")
    state = served.wait_build_after(state["epoch"])
    assert state["ok"] is True, served.stderr
    status, html = served.page("zcwj/a/")
    assert "zwgk-overlay" not in html and "（第二次修订）" in html

    # nothing of the dev server is written into output/, and its temporary folders are gone
    assert not any("__zwgk__" in p.read_text(encoding="utf-8", errors="replace")
                   for p in site.output.rglob("*.html"))
    assert not list(site.root.glob(".output.tmp-*"))

    # editor noise does not rebuild
    builds = state["builds"]
    (site.content / "policies" / ".a.md.swp").write_bytes(b"swap")
    (site.content / "policies" / "4913").write_bytes(b"")
    time.sleep(1.0)
    assert status_of(served.base)["builds"] == builds

    # Ctrl-C: exit 0 within a few seconds, port free, no traceback
    started = time.monotonic()
    assert served.stop(signal.SIGINT) == 0
    assert time.monotonic() - started < 5
    assert port_is_free(served.port)
    assert "Traceback" not in served.stderr


def test_serve_stops_on_sigterm_and_refuses_a_busy_port(site, served):
    served.wait_ready()
    second = Served(site, served.port)
    assert second.proc.wait(30) == 2
    assert "already in use" in second.stderr and "Traceback" not in second.stderr
    assert served.stop(signal.SIGTERM) == 0
    assert port_is_free(served.port)


def test_serve_with_a_broken_first_build_shows_the_overlay_then_recovers(site):
    site.policy("a", "正文。", 发布日期="2023-13-01")
    running = Served(site, free_port())
    try:
        state = running.wait_ready()
        assert state["ok"] is False
        status, html = running.page("")
        assert status == 503 and "policies/a.md:" in html  # no site yet: the placeholder carries the overlay
        site.policy("a", "正文。")
        state = running.wait_build_after(state["epoch"])
        assert state["ok"] is True, running.stderr
        status, html = running.page("zcwj/a/")
        assert status == 200 and "zwgk-overlay" not in html
        assert running.stop() == 0
    finally:
        if running.proc.poll() is None:
            running.proc.kill()
            running.proc.wait()


def test_serve_refuses_missing_folders(site, tmp_path):
    command = [*_serve_command(), "--content", str(tmp_path / "nope"), "--output", str(site.output),
               "--theme", str(THEME), "--port", str(free_port())]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 2 and "content folder not found" in result.stderr


# --------------------------------------------------------------------------- in a real browser

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def test_the_page_reloads_by_itself_in_chromium(site, served):
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    served.wait_ready()
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))

            # The theme's rule: no inline script or style. Serve the pages under a strict CSP.
            def with_csp(route):
                if route.request.resource_type != "document":
                    route.continue_()  # the event stream never ends: it cannot be fetched whole
                    return
                response = route.fetch()
                headers = {**response.headers, "content-security-policy": "default-src 'self'"}
                route.fulfill(response=response, headers=headers)

            page.route("**/*", with_csp)
            page.goto(served.base + "zcwj/a/")
            assert "测试市公共文化服务办法" in page.inner_text("h1")
            # Wait for the event stream to be open before editing.
            page.wait_for_timeout(500)

            site.policy("a", "第一条 本办法适用于全市。", 标题="浏览器里自动刷新的标题")
            # (expect() polls from Playwright's own world: the page's CSP forbids eval in the page's)
            sync_api.expect(page.locator("h1")).to_contain_text("浏览器里自动刷新的标题", timeout=30_000)

            site.policy("a", "正文。", 标题="浏览器里自动刷新的标题", 发布日期="2023-02-30")
            page.wait_for_selector("#zwgk-overlay", state="visible", timeout=30_000)
            assert "policies/a.md:" in page.inner_text("#zwgk-overlay")
            page.keyboard.press("Escape")
            page.wait_for_selector("#zwgk-overlay", state="hidden", timeout=5_000)

            site.policy("a", "正文。", 标题="修好以后的标题")
            sync_api.expect(page.locator("h1")).to_contain_text("修好以后的标题", timeout=30_000)
            # The edited page is previewed first, under the last build's overlay; the build then clears it.
            sync_api.expect(page.locator("#zwgk-overlay")).to_have_count(0, timeout=30_000)
            assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
            page.unroute_all(behavior="ignoreErrors")
        finally:
            browser.close()
    assert served.stop() == 0
