"""Security headers for hosting the generated site, in the files static hosts read.

The site is static: every script and style sheet is a file of the theme, no
page has inline script, inline style or event-handler attributes, and content
HTML is sanitised. So the browser can be told to run nothing else, which turns
any injection that slipped through into an inert string:

* ``Content-Security-Policy``: only the site's own files (``'self'``) for
  scripts, styles, images, media, fonts and fetches; no plug-ins; no ``<base>``;
  forms submit to the site only; frames only from the hosts the site allows
  (site.yaml ``security.iframe_hosts``); and the site may only be framed by
  itself (or by the portals in ``security.frame_ancestors``);
* ``X-Content-Type-Options: nosniff``: an attachment is never run as the type a
  browser guesses (a CSV with ``<script>`` in it stays a CSV);
* ``Referrer-Policy``, ``Permissions-Policy`` (no camera, microphone,
  location, payment …), ``X-Frame-Options`` for old browsers,
  ``Cross-Origin-Opener-Policy``, and ``Strict-Transport-Security`` when the
  site is served over HTTPS.

:func:`files` gives the files a build writes into the output folder, all from
one policy: ``_headers`` (Netlify, Cloudflare Pages, EdgeOne Pages and other
hosts that read it), ``.htaccess`` (Apache with ``mod_headers``),
``web.config`` (IIS, which reads it from the site's folder) and
``_nginx.conf`` (nginx reads no file of a site by itself: the administrator
includes it in the ``server`` block). Every page also carries the policy
in a ``<meta http-equiv>`` tag (:func:`meta_csp`), so that a host that sends no
header still runs nothing but the site's own files.

The same files name the not-found page: a missing path answers ``404.html``
with status 404, and a missing path under the 繁體 mirror's folder the
mirror's own ``404.html`` (nginx chooses it by the path, IIS by a
``<location>``, Apache by a second ``.htaccess`` in the mirror's folder).
Cloudflare Pages finds the nearest ``404.html`` by itself; ``_headers`` cannot
say it, so Netlify shows the Simplified page under the mirror too.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from .schema import Boolean, Field, ListOf, Schema, Text

HOST_PATTERN = r"(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+"
ORIGIN_PATTERN = r"https://" + HOST_PATTERN + r"(:[0-9]{1,5})?"

#: The ``security:`` section of site.yaml (config.site_schema adds it).
SECURITY_SCHEMA = Schema("security", [
    Field("iframe_hosts", "iframe_hosts",
          ListOf(Text(pattern=HOST_PATTERN, pattern_label="a host name such as v.qq.com or *.example.gov.cn")),
          default=list,
          doc="Hosts whose `<iframe>` embeds (video players, maps) content may use, over HTTPS only; "
              "`*.example.cn` allows its subdomains. Each embed is sandboxed and needs a `title`. "
              "None by default: iframes are removed.",
          example="[v.qq.com, player.bilibili.com]"),
    Field("frame_ancestors", "frame_ancestors",
          ListOf(Text(pattern=ORIGIN_PATTERN, pattern_label="an https:// origin such as https://www.example.gov.cn")),
          default=list,
          doc="Other sites allowed to show this site in a frame (a provincial portal that embeds the column); "
              "by default only the site itself.",
          example="[https://www.jiangxi.gov.cn]"),
    Field("headers", "headers", Boolean(), default=True,
          doc="Write the security headers into the output for every kind of host: `_headers` (Netlify, Cloudflare "
              "Pages), `.htaccess` (Apache), `web.config` (IIS), `_nginx.conf` (nginx, to `include`), and the policy "
              "as a `<meta>` tag in every page.",
          example="true"),
])

#: Browser features the site never uses, switched off for it and everything it frames.
DISABLED_FEATURES = ("accelerometer", "camera", "geolocation", "gyroscope", "magnetometer", "microphone", "payment",
                     "usb")


def _settings(config) -> tuple[tuple[str, ...], tuple[str, ...], bool]:
    iframe_hosts = tuple(getattr(config, "iframe_hosts", None) or ())
    ancestors = tuple(getattr(config, "frame_ancestors", None) or ())
    https = urlsplit(getattr(config, "base_url", "") or "").scheme == "https"
    return iframe_hosts, ancestors, https


def csp(iframe_hosts=(), frame_ancestors=(), https: bool = True) -> str:
    """The Content-Security-Policy value."""
    frames = " ".join(f"https://{h}" for h in iframe_hosts) or "'none'"
    ancestors = " ".join(("'self'", *frame_ancestors))
    directives = [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "media-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "manifest-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        f"frame-src {frames}",
        f"frame-ancestors {ancestors}",
    ]
    if https:
        directives.append("upgrade-insecure-requests")
    return "; ".join(directives)


def security_headers(iframe_hosts=(), frame_ancestors=(), https: bool = True) -> dict[str, str]:
    """Every header and its value, in a fixed order."""
    fullscreen = " ".join(("self", *(f'"https://{h}"' for h in iframe_hosts)))
    out = {
        "Content-Security-Policy": csp(iframe_hosts, frame_ancestors, https),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "Permissions-Policy": ", ".join([*(f"{f}=()" for f in DISABLED_FEATURES), f"fullscreen=({fullscreen})"]),
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    if not frame_ancestors:
        out["X-Frame-Options"] = "SAMEORIGIN"  # cannot name other sites; CSP frame-ancestors does
    if https:
        out["Strict-Transport-Security"] = "max-age=31536000"
    return out


def headers_for(config) -> dict[str, str]:
    hosts, ancestors, https = _settings(config)
    return security_headers(hosts, ancestors, https)


def netlify(headers: dict[str, str]) -> str:
    """The ``_headers`` file: a path pattern, then indented ``Name: value`` lines."""
    return "# Security headers of the generated site (Netlify, Cloudflare Pages). Generated; do not edit.\n/*\n" + "".join(
        f"  {name}: {value}\n" for name, value in headers.items())


def htaccess(headers: dict[str, str], not_found: str = "") -> str:
    """The ``.htaccess`` file for Apache (needs ``mod_headers`` and ``AllowOverride FileInfo``), with the
    not-found page when given."""
    lines = ["# Security headers of the generated site (Apache mod_headers). Generated; do not edit.",
             "<IfModule mod_headers.c>"]
    lines += [f'  Header always set {name} "{_quoted(value)}"' for name, value in headers.items()]
    lines += ["</IfModule>"] + ([f"ErrorDocument 404 {not_found}"] if not_found else []) + [""]
    return "\n".join(lines)


def htaccess_folder(not_found: str) -> str:
    """The ``.htaccess`` of a folder with its own not-found page (the mirror's): Apache applies the
    nearest one, on top of the headers of the site's."""
    return ("# The not-found page of this folder (Apache). Generated; do not edit.\n"
            f"ErrorDocument 404 {not_found}\n")


def nginx(headers: dict[str, str]) -> str:
    """``add_header`` lines for an nginx ``server`` block (a ``location`` with its own ``add_header`` drops them)."""
    return "".join(f'add_header {name} "{_quoted(value)}" always;\n' for name, value in headers.items())


#: Files of the output that are configuration for hosts, not pages: never served.
HOST_FILES = ("_headers", ".htaccess", "web.config", "_nginx.conf", ".generator-output")


def nginx_conf(headers: dict[str, str], base_path: str = "/", folders: tuple[str, ...] = (),
               hidden: tuple[str, ...] = HOST_FILES) -> str:
    """``_nginx.conf``: to ``include`` in the ``server`` block whose ``root`` is the output folder.

    ``folders`` have their own not-found page (the mirror's): the page is chosen by the requested path
    with ``set``, not with a ``location`` of its own, which would take those paths away from the
    administrator's locations. ``hidden``: the host files, answered 404."""
    if folders:
        not_found = [f"set $zwgk_not_found {base_path}404.html;\n"]
        not_found += [f'if ($uri ~ "^{re.escape(base_path + folder)}/") '
                      f"{{ set $zwgk_not_found {base_path}{folder}/404.html; }}\n" for folder in folders]
        not_found.append("error_page 404 $zwgk_not_found;\n")
    else:
        not_found = [f"error_page 404 {base_path}404.html;\n"]
    pattern = "|".join(re.escape(name) for name in hidden)
    return (
        "# Security headers of the generated site for nginx. Generated; do not edit.\n"
        "# In the server block that serves this folder:  include /path/to/output/_nginx.conf;\n"
        "# A location with add_header lines of its own drops these: repeat them there.\n"
        + nginx(headers)
        + "".join(not_found)
        + f"location ~ ^{re.escape(base_path)}({pattern})$ {{ return 404; }}\n"
    )


#: File types the site publishes that older IIS versions do not know (it answers 404.3 for them).
IIS_TYPES = {".json": "application/json", ".bin": "application/octet-stream", ".vtt": "text/vtt",
             ".webm": "video/webm", ".mp4": "video/mp4", ".m4a": "audio/mp4", ".ogg": "audio/ogg",
             ".oga": "audio/ogg", ".opus": "audio/ogg", ".webp": "image/webp", ".svg": "image/svg+xml",
             ".csv": "text/csv; charset=utf-8", ".ofd": "application/ofd", ".7z": "application/x-7z-compressed"}


def _iis_not_found(page: str, indent: str) -> str:
    """An ``<httpErrors>`` section answering 404 with ``page`` (a URL from the server's root)."""
    return (f"{indent}<httpErrors>\n{indent}  <remove statusCode=\"404\" subStatusCode=\"-1\" />\n"
            f'{indent}  <error statusCode="404" path="{_attr(page)}" responseMode="ExecuteURL" />\n'
            f"{indent}</httpErrors>\n")


def iis(headers: dict[str, str], base_path: str = "/", folders: tuple[str, ...] = ()) -> str:
    """``web.config`` for IIS 7.5 and later: the headers, the file types, the not-found pages (the site's,
    and each of ``folders``' own in a ``<location>``), and the host files hidden.

    Only sections IIS lets a site's own web.config set by default (a locked section would make
    every page an error 500.19; ``httpErrors`` is open since IIS 7.5, with paths as URLs — ExecuteURL,
    which keeps the status 404); each entry is removed before it is added, so that one the server
    already has is not a duplicate."""
    add = "".join(f'        <remove name="{name}" />\n        <add name="{name}" value="{_attr(value)}" />\n'
                  for name, value in headers.items())
    types = "".join(f'      <remove fileExtension="{ext}" />\n      <mimeMap fileExtension="{ext}" mimeType="{kind}" />\n'
                    for ext, kind in IIS_TYPES.items())
    hidden = "".join(f'          <add segment="{_attr(name)}" />\n' for name in HOST_FILES if name != "web.config")
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        "<!-- Security headers of the generated site for IIS. Generated; do not edit. -->\n"
        "<configuration>\n  <system.webServer>\n    <httpProtocol>\n      <customHeaders>\n"
        '        <remove name="X-Powered-By" />\n'
        f"{add}      </customHeaders>\n    </httpProtocol>\n"
        f"    <staticContent>\n{types}    </staticContent>\n"
        + _iis_not_found(f"{base_path}404.html", "    ")
        + "    <security>\n      <requestFiltering>\n        <hiddenSegments>\n"
        f"{hidden}        </hiddenSegments>\n      </requestFiltering>\n    </security>\n"
        "  </system.webServer>\n"
        + "".join(f'  <location path="{_attr(folder)}">\n    <system.webServer>\n'
                  + _iis_not_found(f"{base_path}{folder}/404.html", "      ")
                  + "    </system.webServer>\n  </location>\n" for folder in folders)
        + "</configuration>\n"
    )


def _attr(value: str) -> str:
    return escape(value, {'"': "&quot;"})


#: Directives a ``<meta http-equiv>`` policy ignores (CSP 3, §3.3), and the upgrade that only a header
#: should ask for: a page opened from a local preview over http would lose its style sheets.
_HEADER_ONLY = ("frame-ancestors", "report-uri", "report-to", "sandbox", "upgrade-insecure-requests")


def meta_csp(config) -> str:
    """The policy for the pages' ``<meta http-equiv="Content-Security-Policy">``, or "" when switched off."""
    if not getattr(config, "security_headers", True):
        return ""
    directives = headers_for(config)["Content-Security-Policy"].split("; ")
    return "; ".join(d for d in directives if d.split(" ", 1)[0] not in _HEADER_ONLY)


def _quoted(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def files(config) -> dict[str, str]:
    """Output path → text of the host files a build writes (none when ``security.headers`` is false)."""
    if not getattr(config, "security_headers", True):
        return {}
    headers = headers_for(config)
    base_path = urlsplit(getattr(config, "base_url", "") or "").path or "/"
    mirror = getattr(config, "traditional", None)
    folders = (mirror.path,) if mirror is not None else ()  # folders with a 404.html of their own
    out = {"_headers": netlify(headers), ".htaccess": htaccess(headers, f"{base_path}404.html"),
           "web.config": iis(headers, base_path, folders)}
    out.update({f"{folder}/.htaccess": htaccess_folder(f"{base_path}{folder}/404.html") for folder in folders})
    hidden = (*HOST_FILES, *(f"{folder}/.htaccess" for folder in folders))
    out["_nginx.conf"] = nginx_conf(headers, base_path, folders, hidden)
    return out
