"""Security headers for hosting: the files parse, the policy is strict, and the theme works under it
(no inline script, no inline style, no event handlers, nothing loaded from other sites)."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, THEME
from generator import BuildOptions, build, headers
from generator.documents import TYPES
from generator.errors import Report
from generator.readers.yaml_loader import load
from generator.schema import Scope


def parse_headers_file(text: str) -> dict[str, dict[str, str]]:
    """Netlify/Cloudflare ``_headers``: a path line, then indented ``Name: value`` lines."""
    out: dict[str, dict[str, str]] = {}
    current = None
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            assert line.startswith("/"), f"line {number}: a path must start with '/': {line!r}"
            current = out.setdefault(line.strip(), {})
            continue
        assert current is not None, f"line {number}: header before any path"
        name, sep, value = line.strip().partition(":")
        assert sep and re.fullmatch(r"[A-Za-z][A-Za-z0-9-]*", name), f"line {number}: not 'Name: value': {line!r}"
        assert name not in current, f"line {number}: {name} twice"
        current[name] = value.strip()
    return out


def directives(policy: str) -> dict[str, list[str]]:
    out = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            assert words[0] not in out, f"directive {words[0]} twice"
            out[words[0]] = words[1:]
    return out


def config(**kw):
    return SimpleNamespace(base_url=kw.pop("base_url", "https://wlj.example.gov.cn/"), **kw)


def test_headers_file_parses_and_has_every_header():
    files = headers.files(config())
    assert set(files) == {"_headers", ".htaccess", "web.config", "_nginx.conf"}
    parsed = parse_headers_file(files["_headers"])
    assert list(parsed) == ["/*"]
    got = parsed["/*"]
    for name in ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "Permissions-Policy",
                 "X-Frame-Options", "Cross-Origin-Opener-Policy", "Strict-Transport-Security"):
        assert name in got, name
    assert got["X-Content-Type-Options"] == "nosniff"
    assert got["X-Frame-Options"] == "SAMEORIGIN"
    assert got["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in got["Permissions-Policy"] and "geolocation=()" in got["Permissions-Policy"]


def test_content_security_policy_is_strict():
    policy = directives(headers.csp())
    assert policy["default-src"] == ["'self'"]
    for name in ("script-src", "style-src", "img-src", "media-src", "font-src", "connect-src", "form-action"):
        assert policy[name] == ["'self'"], name
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert "upgrade-insecure-requests" in policy
    flat = headers.csp()
    for weak in ("unsafe-inline", "unsafe-eval", "data:", "*;", "http:", "blob:"):
        assert weak not in flat, weak


def test_allowed_iframe_hosts_and_framing_portals_are_the_only_exceptions():
    got = headers.headers_for(config(iframe_hosts=("v.qq.com", "*.bilibili.com"),
                                     frame_ancestors=("https://www.jiangxi.gov.cn",)))
    policy = directives(got["Content-Security-Policy"])
    assert policy["frame-src"] == ["https://v.qq.com", "https://*.bilibili.com"]
    assert policy["frame-ancestors"] == ["'self'", "https://www.jiangxi.gov.cn"]
    assert "X-Frame-Options" not in got  # it cannot name another site; frame-ancestors does
    assert 'fullscreen=(self "https://v.qq.com" "https://*.bilibili.com")' in got["Permissions-Policy"]


def test_plain_http_sites_get_no_hsts_or_upgrade():
    got = headers.headers_for(config(base_url="http://intranet.example.gov.cn/"))
    assert "Strict-Transport-Security" not in got
    assert "upgrade-insecure-requests" not in got["Content-Security-Policy"]


def test_headers_can_be_switched_off():
    assert headers.files(config(security_headers=False)) == {}


def test_htaccess_and_nginx_lines():
    got = headers.headers_for(config())
    htaccess = headers.htaccess(got)
    assert htaccess.startswith("#") and "<IfModule mod_headers.c>" in htaccess and htaccess.rstrip().endswith(
        "</IfModule>")
    lines = [l.strip() for l in htaccess.splitlines() if l.strip().startswith("Header")]
    assert len(lines) == len(got)
    for line, (name, value) in zip(lines, got.items()):
        assert line == f'Header always set {name} "{value}"'
    nginx = headers.nginx(got).splitlines()
    assert nginx[0].startswith('add_header Content-Security-Policy "default-src \'self\';') and nginx[0].endswith(
        '" always;')
    assert all(re.fullmatch(r'add_header [A-Za-z-]+ "[^"]*" always;', line) for line in nginx)


def web_config_headers(text: str) -> dict[str, str]:
    """The custom headers an IIS ``web.config`` sets (each removed first, so none is a duplicate)."""
    import xml.etree.ElementTree as ET

    root = ET.fromstring(text.encode("utf-8"))
    custom = root.find("system.webServer/httpProtocol/customHeaders")
    removed = {e.get("name") for e in custom.findall("remove")}
    added = {e.get("name"): e.get("value") for e in custom.findall("add")}
    assert set(added) <= removed, "an <add> without its <remove> fails where the server sets the header too"
    return added


def test_web_config_for_iis_sets_every_header_from_the_same_policy():
    got = headers.headers_for(config(iframe_hosts=("v.qq.com",), frame_ancestors=("https://www.jiangxi.gov.cn",)))
    text = headers.files(config(iframe_hosts=("v.qq.com",), frame_ancestors=("https://www.jiangxi.gov.cn",)))[
        "web.config"]
    assert web_config_headers(text) == got  # quotes in Permissions-Policy survive the XML
    assert 'segment="_nginx.conf"' in text and 'fileExtension=".json"' in text


def test_nginx_snippet_has_the_headers_and_hides_the_host_files():
    got = headers.headers_for(config(base_url="https://www.example.gov.cn/xxgk/"))
    text = headers.files(config(base_url="https://www.example.gov.cn/xxgk/"))["_nginx.conf"]
    assert headers.nginx(got) in text
    assert "error_page 404 /xxgk/404.html;" in text
    location = re.search(r"location ~ (\S+) \{ return 404; \}", text).group(1)
    for name in ("_headers", ".htaccess", "web.config", "_nginx.conf", ".generator-output"):
        assert re.fullmatch(location, "/xxgk/" + name), name
    assert not re.fullmatch(location, "/xxgk/index.html")


def _iis_not_found(element) -> str:
    errors = element.find("httpErrors")
    assert [(r.get("statusCode"), r.get("subStatusCode")) for r in errors.findall("remove")] == [("404", "-1")]
    (error,) = errors.findall("error")
    assert error.get("statusCode") == "404" and error.get("responseMode") == "ExecuteURL"  # keeps the 404
    return error.get("path")


def test_a_missing_page_under_the_mirror_gets_the_mirror_404_in_every_server_config():
    """nginx by the path, IIS by a <location>, Apache by the mirror folder's own .htaccess; the site's own 404
    everywhere else, under the site's base path."""
    import xml.etree.ElementTree as ET

    from generator.traditional import Mirror

    files = headers.files(config(base_url="https://www.example.gov.cn/xxgk/", traditional=Mirror("tw", "fanti")))
    nginx = files["_nginx.conf"]
    chosen = re.findall(r'^if \(\$uri ~ "([^"]+)"\) \{ set \$zwgk_not_found (\S+); \}$', nginx, re.M)
    assert chosen == [(r"^/xxgk/fanti/", "/xxgk/fanti/404.html")]
    assert re.match(chosen[0][0], "/xxgk/fanti/zcwj/none/") and not re.match(chosen[0][0], "/xxgk/fantix/")
    assert "set $zwgk_not_found /xxgk/404.html;" in nginx and "error_page 404 $zwgk_not_found;" in nginx
    assert nginx.index("set $zwgk_not_found /xxgk/404.html;") < nginx.index("if ($uri") < nginx.index("error_page")
    location = re.search(r"location ~ (\S+) \{ return 404; \}", nginx).group(1)
    assert re.fullmatch(location, "/xxgk/fanti/.htaccess") and not re.fullmatch(location, "/xxgk/fanti/index.html")
    root = ET.fromstring(files["web.config"].encode("utf-8"))
    assert _iis_not_found(root.find("system.webServer")) == "/xxgk/404.html"
    (mirror,) = root.findall("location")
    assert mirror.get("path") == "fanti" and _iis_not_found(mirror.find("system.webServer")) == "/xxgk/fanti/404.html"
    assert files[".htaccess"].splitlines()[-1] == "ErrorDocument 404 /xxgk/404.html"
    assert [l for l in files["fanti/.htaccess"].splitlines() if not l.startswith("#")] == [
        "ErrorDocument 404 /xxgk/fanti/404.html"]
    # Without a mirror: one not-found page, no folder of its own.
    plain = headers.files(config(base_url="https://www.example.gov.cn/xxgk/"))
    assert "error_page 404 /xxgk/404.html;" in plain["_nginx.conf"] and "$zwgk" not in plain["_nginx.conf"]
    assert "<location" not in plain["web.config"] and set(plain) == {"_headers", ".htaccess", "web.config",
                                                                      "_nginx.conf"}


def test_the_readme_shows_the_nginx_snippet_the_demo_gets(demo_output):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = readme.split("repeat the include there. For the demo:\n\n```nginx\n", 1)[1].split("```", 1)[0]
    generated = (demo_output / "_nginx.conf").read_text(encoding="utf-8")
    assert shown.splitlines() == [l for l in generated.splitlines() if not l.startswith("#")]


def test_the_meta_policy_is_the_header_policy_without_what_a_meta_tag_cannot_carry():
    cfg = config(iframe_hosts=("v.qq.com",), frame_ancestors=("https://www.jiangxi.gov.cn",))
    header = directives(headers.headers_for(cfg)["Content-Security-Policy"])
    meta = directives(headers.meta_csp(cfg))
    assert {k: v for k, v in header.items() if k not in ("frame-ancestors", "upgrade-insecure-requests")} == meta
    assert headers.meta_csp(config(security_headers=False)) == ""


@pytest.mark.parametrize("text, ok", [
    ("iframe_hosts: [v.qq.com, '*.bilibili.com']", True),
    ("iframe_hosts: [https://v.qq.com/]", False),
    ("iframe_hosts: ['*']", False),
    ("iframe_hosts: [v.qq.com/x]", False),
    ("frame_ancestors: [https://www.jiangxi.gov.cn]", True),
    ("frame_ancestors: ['*']", False),
    ("frame_ancestors: [http://www.jiangxi.gov.cn]", False),
    ("headers: no", True),
    ("headers: 1", False),
])
def test_security_section_schema(text, ok):
    report = Report()
    values = headers.SECURITY_SCHEMA.validate(load(text, Path("site.yaml"), report), Scope(Path("site.yaml"), report))
    assert (values is not None) == ok, [d.message for d in report.diagnostics]


def test_security_section_is_wired_into_site_yaml():
    from generator import config as config_module

    assert any(f.key == "security" for f in config_module.site_schema(TYPES).fields)
    site = config_module.load_config(ROOT / "content", Report(), TYPES)
    assert hasattr(site, "iframe_hosts") and hasattr(site, "security_headers")


# --------------------------------------------------------------------------- the theme under the policy


@pytest.fixture(scope="module")
def demo_output(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "output"
    build(BuildOptions(content_dir=ROOT / "content", output_dir=out, theme_dir=THEME, use_cache=False, jobs=1))
    return out


def same_origin(url: str) -> bool:
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc and not url.startswith("//")


def test_theme_has_no_inline_script_style_or_handlers(demo_output):
    """Every built page: what the CSP would block is a theme bug (reported here with the page and element)."""
    offenders = []
    pages = sorted(demo_output.rglob("*.html"))
    assert len(pages) > 50
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        where = page.relative_to(demo_output).as_posix()
        for tag in soup.find_all(True):
            for attr, value in tag.attrs.items():
                if attr.lower().startswith("on"):
                    offenders.append(f"{where}: <{tag.name} {attr}=…> event handler")
                if attr.lower() == "style":
                    offenders.append(f"{where}: <{tag.name} style=…> inline style")
                values = value if isinstance(value, list) else [value]
                if any(str(v).strip().lower().startswith(("javascript:", "vbscript:", "data:")) for v in values):
                    offenders.append(f"{where}: <{tag.name} {attr}={value!r}>")
        for script in soup.find_all("script"):
            if script.string and script.string.strip() and script.get("type") not in ("application/ld+json",
                                                                                       "application/json"):
                offenders.append(f"{where}: inline <script> {script.string.strip()[:40]!r}")
            if script.get("src") and not same_origin(script["src"]):
                offenders.append(f"{where}: <script src={script['src']!r}> from another site")
        for style in soup.find_all("style"):
            offenders.append(f"{where}: inline <style>")
        for tag, attr in (("link", "href"), ("img", "src"), ("video", "src"), ("audio", "src"), ("source", "src"),
                          ("track", "src"), ("iframe", "src"), ("video", "poster"), ("object", "data"),
                          ("embed", "src")):
            for el in soup.find_all(tag):
                if tag == "link" and "stylesheet" not in (el.get("rel") or []) and "icon" not in (el.get("rel") or []):
                    continue
                if el.get(attr) and not same_origin(el[attr]):
                    offenders.append(f"{where}: <{tag} {attr}={el[attr]!r}> loads from another site")
        for form in soup.find_all("form"):
            if form.get("action") and not same_origin(form["action"]):
                offenders.append(f"{where}: <form action={form['action']!r}> submits to another site")
    assert offenders == [], "\n".join(offenders[:50])


def test_theme_styles_and_scripts_load_nothing_from_other_sites():
    offenders = []
    for css in THEME.glob("static/**/*.css"):
        text = css.read_text(encoding="utf-8")
        for m in re.finditer(r"""url\(\s*['"]?([^'")]+)""", text):
            if not same_origin(m.group(1).strip()):
                offenders.append(f"{css.name}: url({m.group(1)})")
        if re.search(r"@import\s+(url\()?['\"]?(https?:)?//", text):
            offenders.append(f"{css.name}: @import from another site")
        if "expression(" in text or "javascript:" in text:
            offenders.append(f"{css.name}: script in CSS")
    for js in THEME.glob("static/**/*.js"):
        text = js.read_text(encoding="utf-8")
        for pattern, what in ((r"\beval\s*\(", "eval()"), (r"new\s+Function\s*\(", "new Function()"),
                              (r"set(?:Timeout|Interval)\s*\(\s*['\"]", "string timer"),
                              (r"\.innerHTML\s*=|insertAdjacentHTML|document\.write", "HTML from strings"),
                              (r"setAttribute\(\s*['\"](?:style|on[a-z]+)['\"]", "inline style or handler"),
                              (r"https?://", "an address of another site")):
            if re.search(pattern, text):
                offenders.append(f"{js.name}: {what}")
    assert offenders == [], "\n".join(offenders)


def test_build_writes_the_header_files(demo_output):
    assert (demo_output / "_headers").is_file()
    parsed = parse_headers_file((demo_output / "_headers").read_text(encoding="utf-8"))
    assert parsed["/*"]["Content-Security-Policy"] == headers.csp(https=True)
    assert (demo_output / ".htaccess").read_text(encoding="utf-8") == headers.htaccess(headers.security_headers(),
                                                                                       "/404.html")
    assert web_config_headers((demo_output / "web.config").read_text(encoding="utf-8")) == parsed["/*"]
    assert headers.nginx(headers.security_headers()) in (demo_output / "_nginx.conf").read_text(encoding="utf-8")


def test_every_page_carries_the_policy_in_a_meta_tag_before_anything_it_loads(demo_output):
    expected = directives(headers.csp(https=True))
    del expected["frame-ancestors"], expected["upgrade-insecure-requests"]
    pages = sorted(demo_output.rglob("*.html"))
    for page in pages:
        head = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").head
        first = head.find(["meta", "link", "script", "style", "base"], attrs=lambda a: True)
        tags = head.find_all(True)
        meta = head.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert meta is not None, page
        assert directives(meta["content"]) == expected, page
        assert tags.index(meta) == 1 and tags[0].get("charset"), f"{page}: the policy must come first"
        assert first is tags[0]


def test_pre_commit_hook_manifest():
    """A content repository can run the content check on every commit with the pre-commit framework."""
    import yaml

    manifest = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert isinstance(manifest, list) and manifest
    by_id = {hook["id"]: hook for hook in manifest}
    hook = by_id["zwgk-check"]
    for key in ("id", "name", "entry", "language"):
        assert isinstance(hook.get(key), str) and hook[key], key
    assert hook["language"] == "python" and hook["pass_filenames"] is False
    assert hook["entry"].split()[:2] == ["zwgk", "check"] and "--strict" in hook["entry"]
    assert re.search(hook["files"], "content/policies/a.md") and not re.search(hook["files"], "README.md")
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^zwgk\s*=\s*"generator\.cli:main"', pyproject, re.M), "the hook's entry is a console script"
    for hook in manifest:
        assert set(hook) <= {"id", "name", "entry", "language", "files", "exclude", "types", "types_or",
                             "exclude_types", "always_run", "fail_fast", "verbose", "pass_filenames",
                             "require_serial", "description", "language_version", "minimum_pre_commit_version",
                             "args", "stages", "additional_dependencies"}, hook
