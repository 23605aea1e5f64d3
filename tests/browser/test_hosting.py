"""Every page type in Chromium under each way the site is hosted, with the policy the build generated:

* nginx (Debian's, started here on a loopback port) with the generated ``_nginx.conf`` included in its
  ``server`` block; where nginx is not installed, a test server sending the headers that file sets;
* IIS, as a test server sending the headers of the generated ``web.config``;
* a host that sends no header at all: only the pages' ``<meta http-equiv>`` policy.

Each loads every page type and a missing page (of the site, and of the 繁體 mirror), and expects no CSP
violation, no console error and no request to another site. Which not-found page a missing path gets is
checked under those and under Apache too (a test server applying the generated ``.htaccess`` files: their
headers, and the ``ErrorDocument`` of the nearest one).
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import socket
import subprocess
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from .conftest import _Handler, new_tab

pytestmark = pytest.mark.browser

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)


def nginx_headers(snippet: str) -> dict[str, str]:
    return {m.group(1): m.group(2).replace('\\"', '"')
            for m in re.finditer(r'^add_header (\S+) "((?:[^"\\]|\\.)*)" always;$', snippet, re.M)}


def iis_headers(web_config: str) -> dict[str, str]:
    custom = ET.fromstring(web_config.encode("utf-8")).find("system.webServer/httpProtocol/customHeaders")
    return {e.get("name"): e.get("value") for e in custom.findall("add")}


def iis_not_found(web_config: str) -> dict[str, str]:
    """Folder ("" for the site) → the URL of the 404 page web.config names for it (its <location>s)."""
    root = ET.fromstring(web_config.encode("utf-8"))
    scopes = [("", root)] + [(loc.get("path"), loc) for loc in root.findall("location")]
    return {folder: scope.find("system.webServer/httpErrors/error[@statusCode='404']").get("path")
            for folder, scope in scopes}


def apache_headers(htaccess: str) -> dict[str, str]:
    return {m.group(1): m.group(2).replace('\\"', '"')
            for m in re.finditer(r'^\s*Header always set (\S+) "((?:[^"\\]|\\.)*)"$', htaccess, re.M)}


def apache_not_found(root: Path) -> dict[str, str]:
    """Folder → the ``ErrorDocument 404`` of its .htaccess (Apache applies the nearest one)."""
    out = {}
    for path in root.rglob(".htaccess"):
        m = re.search(r"^ErrorDocument 404 (\S+)$", path.read_text(encoding="utf-8"), re.M)
        if m:
            out[path.parent.relative_to(root).as_posix().replace(".", "")] = m.group(1)
    return out


class _Headers(_Handler):
    """The test server of conftest, sending the given headers instead of its own policy, and for a missing
    path the not-found page of the deepest folder that names one (folder → URL; the site's 404.html when
    none is given)."""

    policy: dict[str, str] = {}  # (not `headers`: the handler keeps the request's there)
    not_found: dict[str, str] = {}

    def end_headers(self):
        for name, value in self.policy.items():
            self.send_header(name, value)
        self.send_header("Cache-Control", "no-store")
        http.server.SimpleHTTPRequestHandler.end_headers(self)

    def send_error(self, code, message=None, explain=None):
        path = self.path.split("?", 1)[0].lstrip("/")
        folders = [f for f in self.not_found if not f or path == f or path.startswith(f + "/")]
        if code != 404 or not folders:
            return super().send_error(code, message, explain)
        body = (Path(self.directory) / self.not_found[max(folders, key=len)].lstrip("/")).read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def _serve(root: Path, headers: dict[str, str], not_found: dict[str, str] | None = None):
    handler = functools.partial(type("H", (_Headers,), {"policy": headers, "not_found": not_found or {}}),
                                directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _nginx_config(root: Path, work: Path, port: int) -> str:
    temp = "".join(f"  {kind}_temp_path {work / kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi",
                                                                        "scgi"))
    user = "user root;\n" if os.geteuid() == 0 else ""  # the workers must read the test's private temp folder
    return (f"{user}worker_processes 1;\ndaemon off;\npid {work / 'nginx.pid'};\nerror_log {work / 'error.log'};\n"
            "events { worker_connections 64; }\n"
            f"http {{\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n"
            f"  access_log off;\n{temp}"
            f"  server {{\n    listen 127.0.0.1:{port};\n    root {root};\n    index index.html;\n"
            f"    include {root / '_nginx.conf'};\n  }}\n}}\n")


@pytest.fixture(scope="module")
def hosts(built_site, tmp_path_factory):
    """Base URL of the site under each host, and the headers each is expected to send."""
    root = built_site.root
    snippet = (root / "_nginx.conf").read_text(encoding="utf-8")
    started, servers = {}, []
    nginx = None
    if NGINX:
        work = tmp_path_factory.mktemp("nginx")
        port = _free_port()
        (work / "nginx.conf").write_text(_nginx_config(root, work, port), encoding="utf-8")
        nginx = subprocess.Popen([NGINX, "-c", str(work / "nginx.conf"), "-p", str(work), "-e", str(work / "error.log")],
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if nginx.poll() is not None:
                    break
                time.sleep(0.05)
        if nginx.poll() is not None:
            raise AssertionError(f"nginx did not start: {nginx.stdout.read().decode()}\n"
                                 f"{(work / 'error.log').read_text() if (work / 'error.log').exists() else ''}")
        started["nginx"] = (f"http://127.0.0.1:{port}/", nginx_headers(snippet))
    else:  # no nginx on this machine: the same headers from a test server
        httpd, url = _serve(root, nginx_headers(snippet))
        servers.append(httpd)
        started["nginx (test server)"] = (url, nginx_headers(snippet))
    web_config = (root / "web.config").read_text(encoding="utf-8")
    iis = iis_headers(web_config)
    httpd, url = _serve(root, iis, iis_not_found(web_config))
    servers.append(httpd)
    started["iis"] = (url, iis)
    apache = apache_headers((root / ".htaccess").read_text(encoding="utf-8"))
    httpd, url = _serve(root, apache, apache_not_found(root))
    servers.append(httpd)
    started["apache (test server)"] = (url, apache)
    httpd, url = _serve(root, {})
    servers.append(httpd)
    started["meta tag only"] = (url, {})
    yield started
    for httpd in servers:
        httpd.shutdown()
        httpd.server_close()
    if nginx is not None:
        nginx.terminate()
        nginx.wait(timeout=10)


def test_the_generated_nginx_snippet_is_served_by_a_real_nginx(hosts):
    if NGINX is None:
        pytest.skip("nginx is not installed (make test installs Debian's nginx); tested with a test server")
    import urllib.error
    import urllib.request

    base, expected = hosts["nginx"]
    with urllib.request.urlopen(base) as response:
        assert {name: response.headers[name] for name in expected} == expected
    for hidden in ("_nginx.conf", "web.config", "_headers", ".htaccess", ".generator-output"):
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(base + hidden)
        assert e.value.code == 404 and e.value.headers["Content-Security-Policy"] == expected[
            "Content-Security-Policy"], hidden
        assert "<html" in e.value.read().decode("utf-8"), "the site's own 404 page"


def _not_found(base: str, path: str) -> tuple[int, str, str]:
    """Status, page language and title of a missing path."""
    import urllib.error
    import urllib.request

    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(base + path)
    html = e.value.read().decode("utf-8")
    return e.value.code, re.search(r'<html lang="([^"]+)"', html).group(1), re.search(r"<title>([^<]*)", html).group(1)


@pytest.mark.parametrize("host", ["nginx", "iis", "apache"])
def test_a_missing_page_gets_the_404_page_of_its_version(built_site, hosts, host):
    """Under the 繁體 mirror's folder the mirror's 404.html (Traditional), elsewhere the site's."""
    base = hosts[host if host in hosts else next(h for h in hosts if h.startswith(host))][0]
    assert (built_site.root / "zh-hant" / "404.html").is_file(), "the demo publishes the 繁體 mirror"
    assert _not_found(base, "zcwj/no-such-document/") == (404, "zh-CN", "页面未找到 - 江州市文化和旅游局")
    hidden = ["zh-hant/.htaccess"] if host == "nginx" else []  # the test servers do not hide host files
    for path in ["zh-hant/zcwj/no-such-document/", "zh-hant/no-such-file.pdf", *hidden]:
        assert _not_found(base, path) == (404, "zh-Hant", "頁面未找到 - 江州市文化和旅遊局"), path
    assert _not_found(base, "zh-hantx/a/")[1] == "zh-CN"


@pytest.mark.parametrize("host", ["nginx", "iis", "meta tag only"])
def test_every_page_type_runs_without_a_violation(browser, built_site, hosts, host):
    name = host if host in hosts else next(h for h in hosts if h.startswith(host))
    base, expected = hosts[name]
    assert len(built_site.types) > 15
    problems = []
    missing = [("missing page", "zcwj/no-such-document/"), ("missing mirror page", "zh-hant/zcwj/no-such-document/")]
    for kind, url in [*built_site.types.items(), *missing]:
        tab = new_tab(browser, base, viewport={"width": 1280, "height": 900})
        try:
            response = tab.goto(url, status=404 if kind.startswith("missing") else 200)
            sent = {h: response.headers.get(h.lower()) for h in expected}
            if sent != expected:
                problems.append(f"{kind} ({url}): headers {sent}")
            tab.page.wait_for_load_state("networkidle")
            try:
                tab.assert_clean()
            except AssertionError as e:
                problems.append(f"{kind} ({url or '/'}): {e}")
        finally:
            tab.context.close()
    assert not problems, f"under {name}:\n" + "\n".join(problems)


#: Runs in the page: an injected inline script must be blocked by the policy (header or meta tag).
_INJECT = """() => {
  const s = document.createElement('script');
  s.textContent = 'window.__injected = true';
  document.head.appendChild(s);
  return window.__injected === true;
}"""


@pytest.mark.parametrize("host", ["nginx", "iis", "meta tag only"])
def test_the_policy_is_in_force_under_each_host(browser, hosts, host):
    """Zero violations above means something only if the policy applies: an injected script is blocked."""
    name = host if host in hosts else next(h for h in hosts if h.startswith(host))
    tab = new_tab(browser, hosts[name][0])
    try:
        tab.goto("")
        assert tab.page.evaluate(_INJECT) is False, f"an inline script ran under {name}"
        assert any(v.startswith("script-src") for v in tab.csp_violations()), tab.csp_violations()
    finally:
        tab.context.close()
