"""Every page type in Chromium under each way the site is hosted, with the policy the build generated:

* nginx (Debian's, started here on a loopback port) with the generated ``_nginx.conf`` included in its
  ``server`` block; where nginx is not installed, a test server sending the headers that file sets;
* IIS, as a test server sending the headers of the generated ``web.config``;
* a host that sends no header at all: only the pages' ``<meta http-equiv>`` policy.

Each loads every page type and a missing page, and expects no CSP violation, no console error and no
request to another site.
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


class _Headers(_Handler):
    """The test server of conftest, sending the given headers instead of its own policy."""

    policy: dict[str, str] = {}  # (not `headers`: the handler keeps the request's there)

    def end_headers(self):
        for name, value in self.policy.items():
            self.send_header(name, value)
        self.send_header("Cache-Control", "no-store")
        http.server.SimpleHTTPRequestHandler.end_headers(self)


def _serve(root: Path, headers: dict[str, str]):
    handler = functools.partial(type("H", (_Headers,), {"policy": headers}), directory=str(root))
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
    iis = iis_headers((root / "web.config").read_text(encoding="utf-8"))
    httpd, url = _serve(root, iis)
    servers.append(httpd)
    started["iis"] = (url, iis)
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


@pytest.mark.parametrize("host", ["nginx", "iis", "meta tag only"])
def test_every_page_type_runs_without_a_violation(browser, built_site, hosts, host):
    name = host if host in hosts else next(h for h in hosts if h.startswith(host))
    base, expected = hosts[name]
    assert len(built_site.types) > 15
    problems = []
    for kind, url in [*built_site.types.items(), ("missing page", "zcwj/no-such-document/")]:
        tab = new_tab(browser, base, viewport={"width": 1280, "height": 900})
        try:
            response = tab.goto(url, status=404 if kind == "missing page" else 200)
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
