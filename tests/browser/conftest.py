"""Browser test harness: build the demo, serve it on 127.0.0.1, drive Debian's Chromium.

Every session builds ``content/`` afresh into a temporary folder through the
CLI (the demo changes while people work), serves it with ``http.server`` in a
thread, and drives ``/usr/bin/chromium`` (or ``$CHROMIUM``) through Playwright
with ``executable_path`` (no browser download). The server sends a strict
``Content-Security-Policy: default-src 'self'``, so an inline script, an inline
style or a third-party request shows up as a violation in the tests.

Tests skip, saying why, only when a tool is absent (Chromium, Playwright, node
packages, Java); everything else fails loudly.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from generator.traditional import is_simplified

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
NODE_MODULES = ROOT / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
CSP = "default-src 'self'"
#: WCAG 2.0 and 2.1, levels A and AA: what GB/T 37668-2019 二级 follows.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: localStorage key of the reading aids (static/a11y.js).
SETTINGS_KEY = "zwgk-a11y"

INSTALL_HINT = "run `npm ci` at the repository root (package.json pins axe-core and vnu-jar)"
#: The build date of the demo under test: the demo's drafts for comment are open, closed and answered on it,
#: whatever day the tests run (the checks of the state script move the browser's clock instead).
DEMO_TODAY = "2026-12-07"


# --------------------------------------------------------------------------- the built demo

@dataclass
class BuiltSite:
    root: Path
    html_files: list[str]  # site-relative paths ("zcwj/a/index.html")
    types: dict[str, str] = field(default_factory=dict)  # page type → site-relative URL ("zcwj/a/")

    def soup(self, rel: str) -> BeautifulSoup:
        return _soup(self.root / rel)


@functools.lru_cache(maxsize=None)
def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def url_of(rel: str) -> str:
    """The URL path a file is served at: ``a/index.html`` → ``a/``."""
    if rel == "index.html":
        return ""
    return rel[: -len("index.html")] if rel.endswith("/index.html") else rel


def classify(site: BuiltSite) -> dict[str, str]:
    """One page of every page type the demo has: the first file (in sorted order) of each kind.

    The kinds come from the templates' ``tpl-*`` body classes and from what a page shows
    (validity, language, interpretation form, what a column lists), so new content types
    appear here without editing a list of URLs.
    """
    found: dict[str, str] = {}

    for path in site.html_files:
        soup = site.soup(path)
        # A page of the 繁體 mirror (its 简/繁 switch leads to Simplified): its kind is the Simplified page's,
        # marked " [繁體]", and its path is read without the mirror's folder.
        switch = soup.select_one("a.script-switch[hreflang]")
        mirror = switch is not None and is_simplified(switch["hreflang"])
        rel = path.split("/", 1)[1] if mirror else path

        def add(kind: str, _rel: str, path=path, mirror=mirror) -> None:
            found.setdefault(kind + (" [繁體]" if mirror else ""), url_of(path))

        body = soup.body
        classes = set(body.get("class", [])) if body else set()
        lang = soup.html.get("lang", "") if soup.html else ""
        # Written in Traditional: the page's language is the document's, the site's frame is marked apart.
        own_language = lang.lower().startswith("zh-hant") and soup.select_one("header.site-header[lang]") is not None
        tpl = next((c[4:] for c in classes if c.startswith("tpl-")), "")
        if rel == "index.html":
            add("home", rel)
        elif rel == "404.html":
            add("404", rel)
        elif tpl == "policy":
            meta = soup.select_one(".doc-meta .validity")
            state = next((c[9:] for c in meta.get("class", []) if c.startswith("validity-")), "?") if meta else "?"
            add(f"policy ({state})", rel)
            if own_language:
                add("policy (zh-Hant)", rel)
            if soup.select_one(".doc-body table"):
                add("policy (body table)", rel)
            if soup.select_one(".attachments"):
                add("policy (attachments)", rel)
            if not soup.select_one(".doc-body"):
                add("policy (source link only)", rel)
        elif tpl == "draft":
            label = soup.select_one(".draft-period .draft-status")
            add(f"draft ({label.get_text(strip=True) if label else '?'})", rel)
        elif tpl == "interpretation":
            if own_language:
                add("interpretation (zh-Hant)", rel)
            else:
                form = soup.select_one(".doc-meta dd")
                add(f"interpretation ({form.get_text(strip=True) if form else '?'})", rel)
        elif tpl in ("terms", "term"):
            vocabulary = "tag" if rel.startswith("tags/") else "topic" if rel.startswith("topics/") else "term"
            add(f"{vocabulary} index" if tpl == "terms" else f"{vocabulary} page", rel)
        elif tpl == "column":
            if "/page/" in rel:
                add("column (list, later page)", rel)
            elif soup.select_one(".doc-list .interp-item"):
                add("column (interpretations)", rel)
            elif soup.select_one(".list-group-heading"):
                add("column (grouped list)", rel)
            elif soup.select_one(".doc-list .report-item"):
                add("column (annual reports)", rel)
            elif soup.select_one(".doc-list .message-item"):
                add("column (messages)", rel)
            elif soup.select_one(".doc-list"):
                add("column (documents)", rel)
            elif soup.select_one(".empty"):
                add("column (empty, with reason)", rel)
            elif soup.select_one(".column-children"):
                add("column (navigation)", rel)
            else:
                add("column (other)", rel)
        elif tpl:
            add(tpl.replace("-", " "), rel)
        else:  # a template without a tpl-* class (e.g. search.html): its page kind
            kind = next((c[5:] for c in classes if c.startswith("page-")), "")
            if kind:
                add(kind, rel)
    return found


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> BuiltSite:
    """The demo content built into a fresh folder with the default theme, through the CLI."""
    out = tmp_path_factory.mktemp("site") / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--content", "content", "--output", str(out),
         "--today", DEMO_TODAY],
        cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=600,
    )
    assert proc.returncode == 0, f"demo build failed:\n{proc.stdout}\n{proc.stderr}"
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))
    assert files, "the build wrote no HTML"
    site = BuiltSite(out, files)
    site.types = classify(site)
    return site


# --------------------------------------------------------------------------- the server

class _Handler(http.server.SimpleHTTPRequestHandler):
    """Static files with a strict CSP; missing paths get 404.html with status 404, as a host would."""

    def end_headers(self):
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def log_message(self, format, *args):  # keep pytest output clean
        pass


_Handler.extensions_map = {**_Handler.extensions_map, ".js": "text/javascript", ".svg": "image/svg+xml",
                           ".vtt": "text/vtt", ".webm": "video/webm", ".mp4": "video/mp4"}


@pytest.fixture(scope="session")
def server(built_site) -> str:
    """Base URL (``http://127.0.0.1:PORT/``) of the built demo."""
    handler = functools.partial(_Handler, directory=str(built_site.root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


# --------------------------------------------------------------------------- the browser

@pytest.fixture(scope="package")
def browser():
    # Package scope, not session: Playwright's sync API allows one running instance per thread,
    # and other test modules (tests/test_search.py, tests/test_serve.py) start their own after these.
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (install Debian's `chromium` or set $CHROMIUM)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed "
                                   "(pip install -e '.[test]')")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


#: Listens for CSP violations before any page script runs.
_WATCH = """
window.__csp = [];
window.addEventListener('securitypolicyviolation', function (e) {
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sourceFile || '') + ':' + e.lineNumber);
});
"""


class Tab:
    """A page in its own browser context, with the errors it raised collected."""

    def __init__(self, context, base: str):
        self.context = context
        self.base = base
        self.page = context.new_page()
        self.errors: list[str] = []
        self.external: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.page.on("console", self._console)
        self.page.on("request", self._request)
        self.page.on("response", self._response)

    def _console(self, message):
        # A failed load is reported by _response with its URL (and a page's own 404 status is expected).
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.errors.append(f"console error: {message.text}")

    def _response(self, response):
        if response.status >= 400 and response.request.resource_type != "document":
            self.errors.append(f"HTTP {response.status}: {response.url}")

    def _request(self, request):
        if not request.url.startswith(self.base) and not request.url.startswith(("data:", "blob:", "about:")):
            self.external.append(request.url)

    def goto(self, url: str, *, status: int = 200):
        response = self.page.goto(self.base + url, wait_until="load")
        assert response is not None and response.status == status, f"{url}: HTTP {response and response.status}"
        return response

    def csp_violations(self) -> list[str]:
        return self.page.evaluate("window.__csp || []")

    def assert_clean(self):
        """No script error, no console error (CSP reports are console errors), no third-party request."""
        problems = self.errors + self.csp_violations() + [f"third-party request: {u}" for u in self.external]
        assert not problems, "\n".join(problems)


def new_tab(browser, server, **options) -> Tab:
    context = browser.new_context(locale="zh-CN", **options)
    context.add_init_script(_WATCH)
    return Tab(context, server)


@pytest.fixture
def tab(browser, server):
    t = new_tab(browser, server, viewport={"width": 1280, "height": 900})
    yield t
    t.context.close()


@pytest.fixture
def make_tab(browser, server):
    """Factory for tabs with their own viewport, zoom (device_scale_factor) or other context options."""
    made = []

    def make(**options) -> Tab:
        t = new_tab(browser, server, **options)
        made.append(t)
        return t

    yield make
    for t in made:
        t.context.close()


# --------------------------------------------------------------------------- axe and vnu

@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_JS.is_file():
        pytest.skip(f"axe-core not installed ({AXE_JS} missing): {INSTALL_HINT}")
    return AXE_JS.read_text(encoding="utf-8")


def run_axe(page, axe_source: str, tags=AXE_TAGS) -> list[dict]:
    """axe-core's violations on the current page (injected through the driver, so the page's CSP stays strict)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source)
    result = page.evaluate(
        "async (tags) => { const r = await axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']}); return r.violations.map(v => ({id: v.id, impact: v.impact,"
        " help: v.help, nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))})); }",
        list(tags),
    )
    return result


def format_violations(url: str, violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{url or '/'}: [{v['impact']}] {v['id']}: {v['help']}")
        for n in v["nodes"][:5]:
            lines.append(f"    {n['target']}: {(n['summary'] or '').splitlines()[-1] if n['summary'] else ''}")
        if len(v["nodes"]) > 5:
            lines.append(f"    … and {len(v['nodes']) - 5} more")
    return "\n".join(lines)


@pytest.fixture(scope="session")
def vnu_command() -> list[str]:
    if not VNU_JAR.is_file():
        pytest.skip(f"the Nu Html Checker is not installed ({VNU_JAR} missing): {INSTALL_HINT}")
    java = shutil.which("java")
    if java is None:
        pytest.skip("Java is not installed (the Nu Html Checker needs a JRE: apt-get install default-jre-headless)")
    return [java, "-Xss8m", "-jar", str(VNU_JAR)]


def vnu_messages(command: list[str], files: list[Path]) -> list[dict]:
    proc = subprocess.run([*command, "--format", "json", "--stdout", *map(str, files)],
                          capture_output=True, text=True, encoding="utf-8", timeout=900)
    try:
        return json.loads(proc.stdout or proc.stderr)["messages"]
    except (ValueError, KeyError):
        raise AssertionError(f"vnu did not answer in JSON (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}")


def local_path(site_root: Path, page_rel: str, href: str) -> tuple[Path, str] | None:
    """The file an internal link of the page ``page_rel`` points at, and its fragment; None for external links."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    base = "" if page_rel == "404.html" and href.startswith("/") else os.path.dirname(page_rel)
    path = unquote(parts.path)
    if not path:
        target = page_rel
    elif path.startswith("/"):
        target = path.lstrip("/")
    else:
        target = os.path.normpath(os.path.join(base, path)).replace(os.sep, "/")
    if target in ("", "."):
        target = "index.html"
    elif path.endswith("/") or (site_root / target).is_dir():
        target = target.rstrip("/") + "/index.html"
    return site_root / target, unquote(parts.fragment)


# --------------------------------------------------------------------------- colours

def parse_colour(css: str) -> tuple[float, float, float, float]:
    """``rgb(…)``/``rgba(…)`` (what getComputedStyle returns) → (r, g, b, alpha)."""
    import re

    numbers = [float(n) for n in re.findall(r"[\d.]+", css)]
    if len(numbers) == 3:
        numbers.append(1.0)
    if len(numbers) != 4:
        raise ValueError(f"not an rgb() colour: {css!r}")
    return tuple(numbers)  # type: ignore[return-value]


def contrast(a: str, b: str) -> float:
    """WCAG 2.x contrast ratio of two opaque CSS colours."""

    def luminance(css: str) -> float:
        r, g, b_, _ = parse_colour(css)
        lin = [(c / 255) / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in (r, g, b_)]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


#: JavaScript: the background colour an element sits on (first opaque background up the tree).
BACKGROUND_OF = """(el) => {
  for (let e = el; e; e = e.parentElement) {
    const c = getComputedStyle(e).backgroundColor;
    const m = c.match(/[\\d.]+/g);
    if (m && (m.length < 4 || parseFloat(m[3]) > 0.5)) return c;
  }
  return 'rgb(255, 255, 255)';
}"""
