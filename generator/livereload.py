"""The development server behind ``serve``: static files, live reload, the error overlay.

Serves ``output/`` with clean URLs (``/zcwj/x/`` → ``index.html``, the site's
``404.html`` with status 404) and, on HTML responses only, injects

* ``<script src="/__zwgk__/livereload.js" data-epoch="…">``, a separate file, so
  a theme's no-inline-script (CSP) rule still holds;
* while the last build failed, an overlay listing every diagnostic (escaped),
  styled by ``/__zwgk__/livereload.css``.

Nothing is ever written into ``output/``: the injection happens on the way out.
Open tabs learn about new builds from Server-Sent Events (``/__zwgk__/events``)
and reload when the build *epoch* changes; ``/__zwgk__/status`` gives the same
state as JSON (``?wait=<epoch>`` long-polls until it changes), for tools and tests.

Only the standard library's :class:`ThreadingHTTPServer` is used. Every
connection thread ends when :meth:`LiveState.stop` is called, and
:meth:`DevServer.server_close` joins them, so stopping leaves no threads behind.
"""

from __future__ import annotations

import errno
import html
import json
import mimetypes
import os
import re
import socket
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from .errors import UsageError
from .i18n import CHINESE, label
from .live_state import BuildStatus, LiveState

#: URL prefix of the server's own files; no site path starts with it.
PREFIX = "/__zwgk__/"
SCRIPT_URL = PREFIX + "livereload.js"
STYLE_URL = PREFIX + "livereload.css"
EVENTS_URL = PREFIX + "events"
STATUS_URL = PREFIX + "status"
#: Seconds between keep-alive comments on an idle event stream.
PING_SECONDS = 15.0
#: Longest long-poll a client may ask for.
MAX_WAIT_SECONDS = 30.0
#: How long a request waits for ``output/`` to reappear while a build swaps it in.
SWAP_WAIT_SECONDS = 2.0

_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".vtt": "text/vtt; charset=utf-8",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
    ".webm": "video/webm",
    ".mp4": "video/mp4",
    ".mp3": "audio/mpeg",
    ".ogg": "audio/ogg",
    ".ofd": "application/ofd",
    ".wps": "application/vnd.ms-works",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


# --------------------------------------------------------------------------- injection


#: The overlay's own words: (title, note, close button) per language.
_OVERLAY_TEXT = {
    CHINESE: ("构建失败", "页面显示的是上一次成功构建的结果。修正下列问题并保存后，页面会自动刷新。", "关闭 (Esc)"),
    "en": ("Build failed", "The page shows the last good build; it reloads by itself once the files are fixed.",
           "Close (Esc)"),
}


def overlay_html(status: BuildStatus) -> str:
    """The error overlay: every diagnostic of the failed build, escaped, in a dialog-like box, in the
    language of the build's messages."""
    esc = html.escape
    lang = status.lang if status.lang in _OVERLAY_TEXT else "en"
    title, note, close = _OVERLAY_TEXT[lang]
    sep = label("sep", lang)
    items = []
    for d in status.diagnostics:
        where = f"{d.path}:{d.line}" if d.line else d.path
        hint = f'<div class="zwgk-hint">{esc(label("hint", lang))}{esc(d.hint)}</div>' if d.hint else ""
        items.append(
            f'<li class="zwgk-{esc(str(d.level))}"><code class="zwgk-where">{esc(where)}</code>: '
            f'<span class="zwgk-level">{esc(label(str(d.level), lang))}</span>{sep}'
            f'<span class="zwgk-message">{esc(d.message)}</span>{hint}</li>'
        )
    listing = f'<ol class="zwgk-diagnostics">{"".join(items)}</ol>' if items else ""
    detail = f'<pre class="zwgk-detail">{esc(status.detail)}</pre>' if status.detail else ""
    return (
        f'<link rel="stylesheet" href="{STYLE_URL}">'
        f'<div id="zwgk-overlay" class="zwgk-overlay" role="alert" lang="{lang}">'
        '<div class="zwgk-box">'
        f'<h2 class="zwgk-title">{title} · {esc(status.summary)}</h2>'
        f'<p class="zwgk-note">{note}</p>'
        f"{listing}{detail}"
        f'<button type="button" class="zwgk-close" data-zwgk-close>{close}</button>'
        "</div></div>"
    )


def script_tag(epoch: str) -> str:
    return f'<script src="{SCRIPT_URL}" data-epoch="{html.escape(epoch)}" defer></script>'


_BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)


def inject(page: bytes, epoch: str, status: BuildStatus | None) -> bytes:
    """Add the live-reload script (and the overlay when ``status`` failed) before ``</body>``."""
    extra = script_tag(epoch)
    if status is not None and not status.ok:
        extra = overlay_html(status) + extra
    data = extra.encode("utf-8")
    ends = list(_BODY_END.finditer(page))
    if not ends:
        return page + data
    at = ends[-1].start()
    return page[:at] + data + page[at:]


def placeholder_page(title: str, text: str) -> bytes:
    """A bare page for when there is no built site to show (first build running or failed)."""
    esc = html.escape
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n</head>\n<body>\n<main>\n<h1>{esc(title)}</h1>\n<p>{esc(text)}</p>\n"
        "</main>\n</body>\n</html>\n"
    ).encode("utf-8")


def _resource(name: str) -> bytes:
    return resources.files("generator").joinpath("data", name).read_bytes()


# --------------------------------------------------------------------------- HTTP


class DevServer(ThreadingHTTPServer):
    """A threading HTTP server over one output folder; request threads are joined on close."""

    daemon_threads = False
    block_on_close = True
    request_queue_size = 64

    def __init__(self, address: tuple[str, int], root: Path, state: LiveState):
        self.root = root
        self.state = state
        self.resources = {SCRIPT_URL: (_resource("livereload.js"), _TYPES[".js"]),
                          STYLE_URL: (_resource("livereload.css"), _TYPES[".css"])}
        super().__init__(address, Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{port}/"


def open_server(host: str, port: int, root: Path, state: LiveState) -> DevServer:
    """Bind the server; a busy port, a port below 1024 or an unknown host is a :class:`UsageError`."""
    if not 0 <= port <= 65535:
        raise UsageError(f"--port {port} is not a port number (0–65535)")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as e:
        raise UsageError(f"--host {host}: cannot resolve it ({e.strerror})")
    family = infos[0][0]
    server_class = type("DevServer6", (DevServer,), {"address_family": family}) \
        if family == socket.AF_INET6 else DevServer
    try:
        return server_class((host, port), root, state)
    except OSError as e:
        if e.errno == errno.EADDRINUSE:
            raise UsageError(f"port {port} on {host} is already in use (another `serve`?); "
                             f"stop that program or choose another port with --port")
        if e.errno == errno.EACCES:
            raise UsageError(f"not allowed to listen on port {port} on {host}; choose a port above 1023 with --port")
        if e.errno == errno.EADDRNOTAVAIL:
            raise UsageError(f"--host {host} is not an address of this machine")
        raise UsageError(f"cannot listen on {host}:{port}: {e.strerror}")


class Handler(SimpleHTTPRequestHandler):
    """GET and HEAD only; no directory listings; injection on HTML; single byte ranges on the rest."""

    server: DevServer
    protocol_version = "HTTP/1.0"  # one request per connection: nothing lingers at shutdown
    timeout = 30  # a silent client cannot hold a thread for ever
    server_version = "zwgk-serve"
    sys_version = ""

    def __init__(self, request, client_address, server):
        super().__init__(request, client_address, server, directory=str(server.root))

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass  # the terminal shows builds, not every request

    def do_GET(self):
        self._respond(head=False)

    def do_HEAD(self):
        self._respond(head=True)

    # ----------------------------------------------------------------- dispatch

    def _respond(self, head: bool) -> None:
        parts = urlsplit(self.path)
        try:
            if parts.path.startswith(PREFIX):
                self._internal(parts.path, parse_qs(parts.query), head)
            else:
                self._site_file(parts.path, parts.query, head)
        except (BrokenPipeError, ConnectionResetError, socket.timeout):
            pass  # the browser went away (a reload, a closed tab)

    def _send(self, status: int, body: bytes, content_type: str, head: bool, extra: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _internal(self, path: str, query: dict, head: bool) -> None:
        state = self.server.state
        if path in self.server.resources:
            body, ctype = self.server.resources[path]
            self._send(200, body, ctype, head)
        elif path == EVENTS_URL and not head:
            self._events()
        elif path == STATUS_URL:
            since = query.get("wait", [None])[0]
            if since is not None:
                try:
                    timeout = min(float(query.get("timeout", ["25"])[0]), MAX_WAIT_SECONDS)
                except ValueError:
                    timeout = 25.0
                state.wait_change(since, max(0.0, timeout))
            body = json.dumps(state.snapshot(), ensure_ascii=False).encode("utf-8")
            self._send(200, body, _TYPES[".json"], head)
        else:
            self._send(404, b"not found\n", _TYPES[".txt"], head)

    def _events(self) -> None:
        """Server-Sent Events: the current epoch at once, then every new one; comments keep it alive."""
        state = self.server.state
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(b"retry: 1000\n\n")
        sent = None
        while True:
            epoch = state.wait_change(sent, PING_SECONDS)
            if state.stopping:
                return
            if epoch != sent:
                self.wfile.write(f"event: epoch\ndata: {epoch}\n\n".encode("ascii"))
                sent = epoch
            else:
                self.wfile.write(b": ping\n\n")

    # ----------------------------------------------------------------- site files

    def _root_ready(self) -> bool:
        """``output/`` exists; during an atomic swap it is missing for an instant, so wait a little."""
        deadline = time.monotonic() + SWAP_WAIT_SECONDS
        while not self.server.root.is_dir():
            if time.monotonic() > deadline or self.server.state.stopping:
                return False
            time.sleep(0.02)
        return True

    def _site_file(self, path: str, query: str, head: bool) -> None:
        if not self._root_ready():
            self._no_site(head)
            return
        fs_path = self.translate_path(path)
        if os.path.isdir(fs_path):
            if not path.endswith("/"):
                location = path + "/" + ("?" + query if query else "")
                self._send(301, b"", _TYPES[".txt"], head, {"Location": location})
                return
            fs_path = os.path.join(fs_path, "index.html")
        preview = self.server.state.previewed(os.path.relpath(fs_path, self.server.root).replace(os.sep, "/"))
        if preview is not None:
            self._send(200, self._inject(preview), _TYPES[".html"], head)
            return
        if not os.path.isfile(fs_path):
            self._not_found(head)
            return
        if fs_path.endswith((".html", ".htm")):
            try:
                data = Path(fs_path).read_bytes()
            except OSError:
                self._not_found(head)
                return
            self._send(200, self._inject(data), _TYPES[".html"], head)
        else:
            self._static(fs_path, head)

    def _inject(self, data: bytes) -> bytes:
        return inject(data, *self.server.state.current())

    def _not_found(self, head: bool) -> None:
        page = self._nearest_not_found()
        try:
            data = page.read_bytes()
        except OSError:
            data = placeholder_page("页面未找到", "您访问的页面不存在。(404 Not Found)")
        self._send(404, self._inject(data), _TYPES[".html"], head)

    def _nearest_not_found(self) -> Path:
        """The 404.html of the deepest folder of the requested path that has one (the 繁體 mirror's under its
        folder), as the generated server configurations choose it (generator/headers.py)."""
        folder = found = self.server.root
        for part in [p for p in unquote(urlsplit(self.path).path).split("/") if p]:
            folder = folder / part
            if part in (".", "..") or "\\" in part or not folder.is_dir():
                break
            if (folder / "404.html").is_file():
                found = folder
        return found / "404.html"

    def _no_site(self, head: bool) -> None:
        state = self.server.state
        if state.status is None:
            data = placeholder_page("正在构建…", "网站正在构建，完成后本页会自动刷新。(building; this page reloads when done)")
        else:
            data = placeholder_page("尚无可显示的网站", "上一次构建没有成功，还没有可显示的网站。修正错误后本页会自动刷新。")
        self._send(503, self._inject(data), _TYPES[".html"], head, {"Retry-After": "1"})

    def _content_type(self, fs_path: str) -> str:
        suffix = os.path.splitext(fs_path)[1].lower()
        return _TYPES.get(suffix) or mimetypes.guess_type(fs_path)[0] or "application/octet-stream"

    def _static(self, fs_path: str, head: bool) -> None:
        """Any other file, streamed; a single ``Range: bytes=a-b`` is honoured (video seeking)."""
        try:
            f = open(fs_path, "rb")
        except OSError:
            self._not_found(head)
            return
        with f:
            size = os.fstat(f.fileno()).st_size
            start, end = 0, size - 1
            status = 200
            extra = {"Accept-Ranges": "bytes"}
            wanted = self.headers.get("Range")
            if wanted:
                m = re.fullmatch(r"\s*bytes=(\d*)-(\d*)\s*", wanted)
                if m and (m.group(1) or m.group(2)):
                    if m.group(1):
                        start = int(m.group(1))
                        end = min(int(m.group(2)), size - 1) if m.group(2) else size - 1
                    else:  # the last N bytes
                        start = max(0, size - int(m.group(2)))
                    if start > end or start >= size:
                        self._send(416, b"", _TYPES[".txt"], head, {"Content-Range": f"bytes */{size}"})
                        return
                    status = 206
                    extra["Content-Range"] = f"bytes {start}-{end}/{size}"
            length = end - start + 1 if size else 0
            self.send_response(status)
            self.send_header("Content-Type", self._content_type(fs_path))
            self.send_header("Content-Length", str(length))
            self.send_header("Cache-Control", "no-store")
            for name, value in extra.items():
                self.send_header(name, value)
            self.end_headers()
            if head or not length:
                return
            f.seek(start)
            left = length
            while left > 0 and not self.server.state.stopping:
                chunk = f.read(min(64 * 1024, left))
                if not chunk:
                    break
                self.wfile.write(chunk)
                left -= len(chunk)
