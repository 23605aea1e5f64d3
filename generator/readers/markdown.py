"""Markdown bodies to safe HTML, with links to other content files kept as tokens.

Conversion is a pure function of the body text, the file's location and the :class:`Options` (the
site's Markdown engine and iframe hosts), so its result can be cached and computed in worker processes.
Links cannot be final yet (a page's URL is known only once the site graph exists, and links are
written relative to the page that carries them), so every link to a content file becomes a token
``\\ue000N\\ue001`` and :func:`resolve_links` replaces the tokens when the page is rendered.

The converters are in :mod:`generator.readers.engines`, the sanitiser in
:mod:`generator.readers.sanitise`; everything either removes is reported, with its line.
Links to content files may only publish document, image and media types, never HTML, SVG or
script that would run on the site's origin. Bodies beyond the limits of
:mod:`generator.readers.bounds` are refused before conversion, which keeps hostile input from
taking unbounded time.
"""

from __future__ import annotations

import bisect
import html as html_module
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable
from urllib.parse import unquote, urlsplit

import lz4.block

from ..errors import Diagnostic, Level, display_path
from . import bounds, engines, layout, sanitise
from .paths import is_file, is_private, resolve_inside
from .source import CONTROL_RE

TOKEN_RE = re.compile("\ue000(\\d+)\ue001")
LINK_SCHEMES = sanitise.LINK_SCHEMES
#: File types a body may link to (and so publish): documents, archives, images, media, captions.
#: Never HTML, SVG, XML or script: served from the site's own origin, they could run script there.
LINKABLE_TYPES = frozenset({
    ".pdf", ".ofd", ".doc", ".docx", ".wps", ".xls", ".xlsx", ".et", ".ppt", ".pptx", ".dps", ".odt", ".ods",
    ".odp", ".rtf", ".csv", ".txt", ".zip", ".rar", ".7z", ".jpg", ".jpeg", ".png", ".gif", ".webp", ".mp4",
    ".webm", ".mp3", ".m4a", ".ogg", ".oga", ".opus", ".wav", ".vtt",
})
IMAGE_TYPES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp"})


@dataclass(frozen=True)
class Options:
    """What a site decides about its bodies: the hosts whose ``<iframe>`` embeds are kept (site.yaml
    ``security.iframe_hosts``; ``*.example.cn`` allows subdomains) and the Markdown engine."""

    iframe_hosts: tuple[str, ...] = ()
    engine: str = engines.DEFAULT


def options(config) -> Options:
    """The :class:`Options` of a site's configuration."""
    return Options(tuple(getattr(config, "iframe_hosts", None) or ()),
                   getattr(config, "markdown_engine", None) or engines.DEFAULT)


@dataclass(frozen=True)
class LinkRef:
    """A link from a body to a file in the content folder."""

    kind: str  # "page" (a .md file) or "asset" (any other file)
    target: str  # content-relative POSIX path
    fragment: str
    line: int


def excerpt(text: str, limit: int = 100) -> str:
    """The opening of a plain text for a description: at most ``limit`` characters, cut after the last
    sentence end (。；！？) when that keeps at least 20 characters."""
    text = text[:limit]
    cut = max(text.rfind(p) for p in "。；！？")
    return text[: cut + 1] if cut >= 20 else text


# LZ4, not zlib: a build packs every body once and unpacks it several times (rendering, search, 新旧对照).
# Measured on the 4,000-document bench's 75 MB of bodies: zlib at level 1 packs them in 0.79 s and unpacks in
# 0.31 s to a third of their size; LZ4 in 0.11 s and 0.04 s, to 0.43 of it.
def _pack(text: str) -> bytes:
    return lz4.block.compress(text.encode("utf-8", "surrogatepass")) if text else b""


def _unpack(packed: bytes) -> str:
    return lz4.block.decompress(packed).decode("utf-8", "surrogatepass") if packed else ""


class RenderedBody:
    """A converted Markdown body: sanitised HTML with link tokens, the links, what converting it found, and
    its plain text (for summaries and search).

    The HTML and the text are held compressed: together they are most of a loaded site's memory (on the
    4,000-document bench, 10.9 KB per document as Python strings, 5.9 KB packed), and a build reads each
    only a few times.
    """

    __slots__ = ("_html", "_text", "links", "diagnostics")

    def __init__(self, html: str, links: list[LinkRef] | None = None, diagnostics: list[Diagnostic] | None = None,
                 text: str = ""):
        self.html = html
        self.text = text
        self.links = links if links is not None else []
        self.diagnostics = diagnostics if diagnostics is not None else []

    @property
    def html(self) -> str:
        return _unpack(self._html)

    @html.setter
    def html(self, value: str) -> None:
        self._html = _pack(value)

    @property
    def text(self) -> str:
        return _unpack(self._text)

    @text.setter
    def text(self, value: str) -> None:
        self._text = _pack(value)

    def __eq__(self, other) -> bool:
        return isinstance(other, RenderedBody) and (self._html, self._text, self.links, self.diagnostics) == \
            (other._html, other._text, other.links, other.diagnostics)

    def __repr__(self) -> str:
        return f"RenderedBody({self.html[:40]!r}…, links={len(self.links)}, diagnostics={len(self.diagnostics)})"


class _Locator:
    """Lines of strings in a body, found in order: linear however many links a body has."""

    def __init__(self, body: str, first_line: int):
        self.body, self.first_line = body, first_line
        self.cursor = 0
        self.starts: list[int] | None = None
        self.memo: dict[str, int] = {}
        self.rescans = 0

    def line(self, needle: str) -> int:
        if not needle:
            return self.first_line
        if needle not in self.memo and self.body.find(needle) < 0:
            # Markdown rewrote it (backslash escapes, entities): look for its last path segment instead.
            tail = re.split(r"[\\/]", unquote(needle))[-1]
            needle = tail if len(tail) >= 3 else needle
        index = self.body.find(needle, self.cursor)
        if index < 0:
            if needle in self.memo:
                return self.memo[needle]
            # Out of order (a reference definition below): search from the top, a bounded number of times.
            self.rescans += 1
            index = self.body.find(needle) if self.rescans <= 200 else -1
        else:
            self.cursor = index
        if index < 0:
            return self.first_line
        if self.starts is None:
            self.starts = [0] + [m.end() for m in re.finditer("\n", self.body)]
        line = self.first_line + bisect.bisect_right(self.starts, index) - 1
        self.memo.setdefault(needle, line)
        return line


def _host_allowed(host: str | None, hosts: Iterable[str]) -> bool:
    host = (host or "").lower().rstrip(".")
    return bool(host) and any(host == h or (h.startswith("*.") and host.endswith(h[1:])) for h in hosts)


#: Windows drive and network paths and file: URLs: the sanitiser drops them as unknown schemes, silently.
#: (CommonMark writes a backslash as %5C.)
_LOCAL_PATH_RE = re.compile(r"""\s(?:href|src)\s*=\s*["']?\s*([A-Za-z]:(?:[\\/]|%5C)[^"'>\s]*|(?:\\|%5C){2}[^"'>\s]*"""
                            r"""|file:[^"'>\s]*)""", re.I)
#: The end of every match of _LOCAL_PATH_RE: a quick search, starting at an "=" (most bodies have no such link).
_LOCAL_VALUE_RE = re.compile(r"""=\s*["']?\s*(?:[A-Za-z]:(?:[\\/]|%5C)|(?:\\|%5C){2}|file:)""", re.I)
#: Finds at least what ``"<iframe" in html.lower()`` finds, without lowering the whole text.
_IFRAME_START_RE = re.compile("<iframe", re.I)
_IFRAME_RE = re.compile(r"<iframe\b([^>]*)>.*?</iframe>", re.S)
_ATTR_RE = re.compile(r'([a-z-]+)="([^"]*)"')


_BLOCK_END_RE = re.compile(r"</(?:p|li|h[1-6]|td|th|tr|div|blockquote|pre|dd|dt|caption)>|<br\s*/?>", re.I)
_TAG_RE = re.compile(r"<[^>]+>")


def html_to_text(html: str) -> str:
    """Plain text of sanitised HTML. Inline tags vanish without a space: Chinese has no word gaps."""
    text = _TAG_RE.sub("", _BLOCK_END_RE.sub(" ", html))
    return " ".join(html_module.unescape(text).split())  # white space collapsed, as \s+ → " " and strip()


def _without_controls(html: str, line: Callable[[], int], problem) -> str:
    """The HTML without the control characters that references such as ``&#1;`` decode to: they are not text,
    and not allowed in HTML or in the feed's XML."""
    m = CONTROL_RE.search(html)
    if m is None:
        return html
    problem(line(), f"a character reference to control character U+{ord(m.group()):04X} was removed",
            "such references are not text: remove them", Level.WARNING, "control-character")
    return CONTROL_RE.sub("", html)


def render(body: str, source: Path, content_dir: Path, first_line: int,
           opts: Options = Options(), hard_breaks: bool = False) -> RenderedBody:
    """Convert a Markdown body found at ``source`` (body starting at ``first_line``); with ``hard_breaks`` every
    line break inside a paragraph is kept."""
    result = RenderedBody("")
    shown: list[str] = []  # display_path resolves the path: only for a body with something to report
    hosts = tuple(sorted({str(h).strip().lower() for h in opts.iframe_hosts if str(h).strip()}))

    def problem(line: int, message: str, hint: str, level=Level.ERROR, code: str = "link"):
        if not shown:
            shown.append(display_path(source))
        result.diagnostics.append(Diagnostic(level, shown[0], line, message, hint, code))

    if "\ue000" in body:  # keep the text from forging link tokens
        body = body.replace("\ue000", "\ue000\u2060")
    raw_html = _convert(body, opts.engine, first_line, problem, hard_breaks)
    if raw_html is None:
        return result
    for line, message, hint in engines.notes(body, raw_html, opts.engine) + layout.unclosed(body):
        problem(first_line + line, message, hint, Level.WARNING, "markdown")
    audit = _audit(raw_html, body, first_line, hosts, problem)
    if audit is None:
        return result
    links = _Links(source, content_dir, hosts, _Locator(body, first_line), problem)
    html = sanitise.clean(raw_html, hosts, links.filter, "<" not in body and opts.engine == engines.COMMONMARK)
    if hosts and "<iframe" in html:
        html = _frames(html, lambda: links.locate.line("<iframe"), problem)
    if "&#" in body:  # source files hold no control characters (readers/source.py): only references make them
        html = _without_controls(html, lambda: links.locate.line("&#"), problem)
    # Without raw HTML the sanitiser removes no text (tests/test_markdown.py proves it for any such text).
    missing = sanitise.lost(raw_html, audit.removed_chars, html) if "<" in body else 0
    if missing > 0 and audit.open_foreign:
        name = audit.open_foreign[1:].split()[0].rstrip("/>").lower()
        problem(links.locate.line(audit.open_foreign), f"raw HTML <{name}> is never closed: the {missing:,} "
                "characters of text after it would disappear", f"close it with </{name}>, or remove it",
                Level.ERROR, "html")
    elif missing > 0:
        problem(first_line, f"the HTML sanitiser removed {missing:,} characters of text",
                "look for raw HTML in this text (text between < and >): write it as Markdown, or put it in "
                "backticks to show it as it is", Level.WARNING, "html")
    result.links = links.found
    html = layout.join_lines(layout.line_blocks(html))
    result.text = html_to_text(html)
    result.html = name_tables(html)
    return result


def _convert(body: str, engine: str, first_line: int, problem, hard_breaks: bool = False) -> str | None:
    """HTML of ``body`` before sanitising, or None when it goes beyond the limits (reported)."""
    if engine == engines.PYTHON_MARKDOWN:
        limit = bounds.check(body, engines.table_test(engine))
    else:
        limit = bounds.check_size(body)
    if limit is not None:
        problem(first_line + limit.line, limit.message, limit.hint, code="too-complex")
        return None
    try:
        raw_html = engines.convert(body, engine, hard_breaks)
    except engines.TooDeep:
        problem(first_line, "Markdown is nested too deeply to convert", "flatten the nested lists or quotes")
        return None
    # No deeper than it has start tags: most bodies have too few for the exact count to matter.
    too_many = raw_html.count("<") - raw_html.count("</") > bounds.MAX_HTML_DEPTH
    depth = bounds.html_depth(raw_html) if too_many else 0
    if depth > bounds.MAX_HTML_DEPTH:
        problem(first_line, f"HTML is nested {depth} levels deep, more than {bounds.MAX_HTML_DEPTH}",
                "remove the repeated opening tags", code="too-complex")
        return None
    return raw_html


def _audit(raw_html: str, body: str, first_line: int, hosts: tuple[str, ...], problem) -> sanitise.Audit | None:
    """Report raw HTML the sanitiser removes; None when text would be lost (an element or comment never
    closed: an error)."""
    locate = _Locator(body, first_line)  # its own: these come in another order than the links
    audit = sanitise.audit(raw_html, "<" in body)
    for f in audit.findings:
        problem(locate.line(f.needle), f.message, f.hint, f.level, "html")
    visible, _ = sanitise.without_comments(raw_html)
    for m in _LOCAL_PATH_RE.finditer(visible) if _LOCAL_VALUE_RE.search(visible) else ():
        written = unquote(html_module.unescape(m.group(1)))
        problem(locate.line(written), f"link {written!r} points to a file on a computer, not in the content folder",
                "copy the file into the content folder and link it with a relative path, e.g. files/附件1.pdf")
    if not hosts and _IFRAME_START_RE.search(visible) and "<iframe" in visible.lower():
        problem(locate.line("<iframe"), "raw HTML <iframe> is removed",
                "embedded frames are published only from hosts listed in site.yaml `security: {iframe_hosts: […]}`",
                Level.WARNING, "html")
    return None if any(f.level is Level.ERROR for f in audit.findings) else audit


def _frames(html: str, line: Callable[[], int], problem) -> str:
    """Allowed iframes with a fixed set of attributes in a fixed order; each needs a title."""
    def frame(m: re.Match) -> str:
        attrs = m.group(1)
        if ' src="' not in attrs:
            return ""  # its source was refused
        values = dict(_ATTR_RE.findall(attrs))
        if not values.get("title", "").strip():
            problem(line(), "an embedded <iframe> needs a title",
                    'add title="…" saying what it shows, e.g. <iframe title="政策解读视频" src="…">; '
                    "screen readers announce it", code="html")
        # The sanitiser adds attributes in hash order: write them in a fixed order, for stable output.
        ordered = [name for name in ("src", "title", "width", "height") if name in values] + list(sanitise.IFRAME_SET)
        return "<iframe " + " ".join(f'{name}="{values[name]}"' for name in ordered) + "></iframe>"

    return _IFRAME_RE.sub(frame, html)


class _Links:
    """Checks every ``href`` and ``src`` for the sanitiser and turns links to content files into tokens."""

    def __init__(self, source: Path, content_dir: Path, hosts: tuple[str, ...], locate: _Locator, problem):
        self.source, self.content_dir, self.hosts = source, content_dir, hosts
        self.locate, self.problem = locate, problem
        self.found: list[LinkRef] = []
        self.reported_schemes: set[str] = set()

    def filter(self, tag: str, attr: str, value: str):
        # nh3 ignores an exception raised here and keeps the value unchecked: fail closed instead.
        try:
            return self.check(tag, attr, value)
        except (OSError, ValueError) as e:
            self.problem(self.locate.line(value), f"link {value!r} cannot be checked ({e})",
                         "shorten the file name, or write the address without full-width or stray characters")
            return None

    def check(self, tag: str, attr: str, value: str):
        if attr not in ("href", "src"):
            return value
        problem, line = self.problem, self.locate.line(value)
        parts = urlsplit(value)
        # CommonMark percent-encodes what an entity wrote (java&#x09;script: → java%09script:): name its scheme.
        scheme = (parts.scheme or urlsplit(unquote(value)).scheme).lower()
        if tag == "iframe":
            if scheme == "https" and _host_allowed(parts.hostname, self.hosts):
                return value
            if self.hosts:
                problem(line, f"<iframe> from {parts.hostname or value!r} is removed",
                        "only https addresses on the hosts in site.yaml security.iframe_hosts may be embedded: "
                        + ", ".join(self.hosts), Level.WARNING, "html")
            return None
        if scheme and scheme not in LINK_SCHEMES:
            if scheme not in self.reported_schemes:
                self.reported_schemes.add(scheme)
                problem(line, f"link with the scheme {scheme}: is removed",
                        "links may use http:, https:, mailto:, tel: or a relative path", Level.WARNING, "html")
            return None
        if scheme or value.startswith("//"):
            if tag == "img" and scheme != "data":
                problem(line, f"image {value!r} is on another site and will not be shown",
                        "the site's Content-Security-Policy loads images only from the site itself: save the "
                        "image into the content folder and give its path", Level.WARNING, "html")
            return value
        if not parts.path:
            return value  # "#fragment" or "?query" within the page
        return self.content_file(tag, value, parts, line)

    def content_file(self, tag: str, value: str, parts, line: int):
        problem = self.problem
        if value.startswith("/") or value.startswith("\\"):
            problem(line, f"link {value!r} is an absolute path",
                    "link to the content file with a relative path, e.g. ../policies/other.md")
            return None
        target = resolve_inside(self.source.parent, unquote(parts.path), self.content_dir)
        if target is None:
            problem(line, f"link {value!r} points outside the content folder",
                    "only files inside the content folder can be linked")
            return None
        if not is_file(target):
            problem(line, f"link target {value!r} does not exist", f"no file {display_path(target)}")
            return None
        rel = target.relative_to(self.content_dir.resolve()).as_posix()
        suffix = PurePosixPath(rel).suffix.lower()
        if is_private(PurePosixPath(rel).parts):
            problem(line, f"link {value!r} leads to a private file",
                    "files and folders whose names start with '.' or '_' are never published")
            return None
        kind = "page" if suffix == ".md" else "asset"
        if tag == "img" and suffix not in IMAGE_TYPES:
            problem(line, f"image {value!r} is not a PNG, JPEG, GIF or WebP file",
                    "SVG can carry script; convert the image to PNG")
            return None
        if kind == "asset" and suffix not in LINKABLE_TYPES:
            problem(line, f"file type {suffix or '(none)'!r} of {value!r} cannot be published",
                    "link documents (PDF, OFD, Word, Excel …), archives, images or media; an HTML, SVG or script "
                    "file would run on the site's own address")
            return None
        # CommonMark percent-encodes addresses: the fragment is matched against heading ids, unencoded.
        self.found.append(LinkRef(kind, rel, unquote(parts.fragment), line))
        return f"\ue000{len(self.found) - 1}\ue001"
_TABLE_PARTS_RE = re.compile(r"<(h[1-6])\b[^>]*>(.*?)</\1>|<table\b[^>]*>|</table>", re.S | re.I)
#: Every table part _TABLE_PARTS_RE finds starts so: a quick search first, most bodies have no table.
_TABLE_TAG_RE = re.compile(r"<(?:table\b|/table>)", re.I)
_CAPTION_RE = re.compile(r"\s*<caption\b[^>]*>(.*?)</caption>", re.S | re.I)


def name_tables(html: str) -> str:
    """Wrap each top-level table in a focusable region named after its caption or the heading above it.

    Markdown tables have no caption, so a screen reader meets an unnamed table; on a phone a wide
    table must scroll inside its own box, which keyboard users can only scroll when it takes focus
    (WCAG 1.3.1, 2.1.1, 1.4.10). Runs on sanitised HTML: the wrapper is ours, not the editor's.
    """
    if not _TABLE_TAG_RE.search(html):
        return html
    out: list[str] = []
    pos = depth = 0
    heading = ""  # the HTML of the last heading outside a table: its text is needed only when a table follows
    used: dict[str, int] = {}
    for m in _TABLE_PARTS_RE.finditer(html):
        if m.group(1):
            if depth == 0:
                heading = m.group(2)
            continue
        out.append(html[pos:m.start()])
        pos = m.end()
        if m.group(0).startswith("</"):
            depth = max(depth - 1, 0)
            out.append(m.group(0) + ("</div>" if depth == 0 else ""))
            continue
        if depth == 0:
            caption = _CAPTION_RE.match(html, m.end())
            name = (html_to_text(caption.group(1)) if caption else "") or html_to_text(heading) or "表格"
            used[name] = used.get(name, 0) + 1
            label = name if used[name] == 1 else f"{name}（{used[name]}）"
            out.append(f'<div class="table-wrap" role="region" tabindex="0" aria-label="{html_module.escape(label)}">')
        depth += 1
        out.append(m.group(0))
    out.append(html[pos:])
    return "".join(out)


def resolve_links(html: str, links: list[LinkRef], url_of: Callable[[LinkRef], str | None]) -> str:
    """Replace link tokens with final URLs; ``url_of`` returns ``None`` for unknown targets."""
    if "\ue000" not in html:
        return html

    def sub(m: re.Match) -> str:
        index = int(m.group(1))
        if index >= len(links):
            return "#"
        url = url_of(links[index])
        return url if url is not None else "#"

    return TOKEN_RE.sub(sub, html)


