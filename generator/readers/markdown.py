"""Markdown bodies to safe HTML, with links to other content files kept as tokens.

Conversion is a pure function of the body text and the file's location, so its
result can be cached and computed in worker processes. Links cannot be final
yet (a page's URL is known only once the site graph exists, and links are
written relative to the page that carries them), so every link to a content
file becomes a token ``\\ue000N\\ue001`` and :func:`resolve_links` replaces the
tokens when the page is rendered.

Every body passes the nh3 allow-list sanitiser: no script, no event handlers,
no style attributes, no ``javascript:``/``vbscript:``/``data:`` URLs, no forms,
no SVG or MathML, no ``<base>`` or ``<meta>``, and no iframes except from the
hosts a site allows (``iframe_hosts``), which are sandboxed and need a title.
Links to content files may only publish document, image and media types, never
HTML, SVG or script that would run on the site's origin. What the sanitiser
removes for safety is reported as a warning, so an editor learns why it is
missing (styles pasted from Word are dropped quietly).
Bodies beyond the limits of :mod:`generator.readers.bounds` are refused before
conversion, which keeps hostile input from taking unbounded time.
"""

from __future__ import annotations

import bisect
import html as html_module
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable
from urllib.parse import unquote, urlsplit

import markdown
import nh3
from markdown.extensions.toc import remove_fnrefs, render_inner_html, slugify_unicode, strip_tags, unique
from markdown.treeprocessors import Treeprocessor

from ..errors import Diagnostic, Level, display_path
from . import bounds
from .paths import is_file, is_private, resolve_inside

TOKEN_RE = re.compile("\ue000(\\d+)\ue001")
LINK_SCHEMES = {"http", "https", "mailto", "tel"}

_TAGS = set(nh3.ALLOWED_TAGS) - {"center", "strike", "tt", "acronym", "map", "area"}
_ATTRIBUTES = {
    "*": {"lang", "title", "dir"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height"},
    "th": {"rowspan", "colspan", "headers", "scope", "id"},
    "td": {"rowspan", "colspan", "headers"},
    "ol": {"start", "reversed", "type"},
    "col": {"span"},
    "colgroup": {"span"},
    "time": {"datetime"},
    "data": {"value"},
    "abbr": {"title"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    **{f"h{n}": {"id"} for n in range(1, 7)},
}
#: Elements removed with their content (the others are unwrapped, keeping their text).
_CLEAN_CONTENT = frozenset({"script", "style", "iframe", "object", "embed", "template", "noscript", "textarea",
                            "select", "svg", "math"})
#: What an allowed iframe may say itself, and what the sanitiser sets on every iframe.
IFRAME_ATTRIBUTES = {"src", "title", "width", "height"}
IFRAME_SET = {"sandbox": "allow-scripts allow-same-origin allow-presentation", "allowfullscreen": "",
              "referrerpolicy": "strict-origin-when-cross-origin", "loading": "lazy"}
#: File types a body may link to (and so publish): documents, archives, images, media, captions.
#: Never HTML, SVG, XML or script: served from the site's own origin, they could run script there.
LINKABLE_TYPES = frozenset({
    ".pdf", ".ofd", ".doc", ".docx", ".wps", ".xls", ".xlsx", ".et", ".ppt", ".pptx", ".dps", ".odt", ".ods",
    ".odp", ".rtf", ".csv", ".txt", ".zip", ".rar", ".7z", ".jpg", ".jpeg", ".png", ".gif", ".webp", ".mp4",
    ".webm", ".mp3", ".m4a", ".ogg", ".oga", ".opus", ".wav", ".vtt",
})
IMAGE_TYPES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp"})
#: Raw HTML the sanitiser drops, with the reason given to the editor. (Styles pasted from Word are dropped
#: quietly: losing them is harmless, and they are too common to warn about.)
_REMOVED = (
    (re.compile(r"<script\b", re.I), "raw HTML <script>", "scripts are never published"),
    (re.compile(r"<(?:form|input|button|textarea|select)\b", re.I), "a raw HTML form", "forms are not published; link to the "
     "online service (办事链接) instead"),
    (re.compile(r"<(?:object|embed|applet|frame|frameset)\b", re.I), "raw HTML <object> or <embed>", "plug-ins are not published"),
    (re.compile(r"<(?:svg|math)\b", re.I), "inline SVG or MathML", "inline SVG and MathML can carry script; use a PNG image"),
    (re.compile(r"<(?:base|meta)\b", re.I), "raw HTML <base> or <meta>", "page metadata comes from the front matter"),
    (re.compile(r"<[A-Za-z][^<>]*?\son[a-z]+\s*=", re.I), "an event handler attribute (on…=)", "event handlers run script"),
    (re.compile(r"""\s[a-z:-]+\s*=\s*["']?\s*(?:javascript|vbscript|data|blob):""", re.I),
     "a javascript:, vbscript: or data: address", "links may use http:, https:, mailto:, tel: or a relative path"),
)


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


@dataclass
class RenderedBody:
    html: str  # sanitised HTML with link tokens
    links: list[LinkRef] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    text: str = ""  # plain text, for summaries and search


class _TableScope(Treeprocessor):
    """Header cells of Markdown tables get ``scope`` so screen readers can relate cells."""

    def run(self, root):
        for table in root.iter("table"):
            for th in table.iter("th"):
                th.set("scope", "col")
        return None


class _HeadingLevels(Treeprocessor):
    """The body's top heading level becomes <h2>, whatever the editor started with.

    The page title is the only <h1>; a body that starts at ``##`` (or ``###``)
    would otherwise skip a level, which screen-reader users navigate by.
    Relative levels are kept; nothing goes below <h6>.
    """

    def run(self, root):
        headings = [el for el in root.iter() if el.tag in _HEADING_TAGS]
        if not headings:
            return None
        shift = 2 - min(int(el.tag[1]) for el in headings)
        for el in headings:
            el.tag = f"h{min(6, int(el.tag[1]) + shift)}"
        return None


_HEADING_TAGS = {f"h{n}" for n in range(1, 7)}


class _HeadingIds(Treeprocessor):
    """Give every heading the id the ``toc`` extension would (so ``#第一条`` links keep working).

    The ``toc`` extension also builds and serialises a table of contents for
    every document, which the pages never show; that was 5% of a build.
    """

    def run(self, root):
        used = {el.attrib["id"] for el in root.iter() if "id" in el.attrib}
        counters: dict[str, int] = {}
        for el in root.iter():
            if el.tag in _HEADING_TAGS and "id" not in el.attrib:
                name = strip_tags(render_inner_html(remove_fnrefs(el), self.md))
                el.attrib["id"] = unique(slugify_unicode(html_module.unescape(name), "-"), used, counters)
        return None


class _Extension(markdown.Extension):
    def extendMarkdown(self, md):
        md.treeprocessors.register(_TableScope(md), "table_scope", 0)
        # After the inline patterns (priority 20), levels first, then ids from the final text.
        md.treeprocessors.register(_HeadingLevels(md), "heading_levels", 6)
        md.treeprocessors.register(_HeadingIds(md), "heading_ids", 5)


def _new_markdown() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=["tables", "sane_lists", "footnotes", _Extension()],
        output_format="html",
    )


_md: markdown.Markdown | None = None


def _converter() -> markdown.Markdown:
    # One instance per process, reset per document: building one costs ~1 ms.
    global _md
    if _md is None:
        _md = _new_markdown()
    return _md.reset()


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


def _without_comments(html: str) -> str:
    """``html`` without its comments (the sanitiser drops them, nothing in them needs a warning)."""
    if "<!--" not in html:
        return html
    out, pos = [], 0
    while True:
        start = html.find("<!--", pos)
        if start < 0:
            out.append(html[pos:])
            break
        out.append(html[pos:start])
        end = html.find("-->", start + 4)
        if end < 0:
            break
        pos = end + 3
    return "".join(out)


#: Windows drive and network paths and file: URLs: the sanitiser drops them as unknown schemes, silently.
_LOCAL_PATH_RE = re.compile(r"""\s(?:href|src)\s*=\s*["']?\s*([A-Za-z]:[\\/][^"'>\s]*|\\\\[^"'>\s]*|file:[^"'>\s]*)""",
                            re.I)
_IFRAME_RE = re.compile(r"<iframe\b([^>]*)>.*?</iframe>", re.S)
_ATTR_RE = re.compile(r'([a-z-]+)="([^"]*)"')


_BLOCK_END_RE = re.compile(r"</(?:p|li|h[1-6]|td|th|tr|div|blockquote|pre|dd|dt|caption)>|<br\s*/?>", re.I)
_TAG_RE = re.compile(r"<[^>]+>")
_SPACE_RE = re.compile(r"\s+")


def html_to_text(html: str) -> str:
    """Plain text of sanitised HTML. Inline tags vanish without a space: Chinese has no word gaps."""
    text = _TAG_RE.sub("", _BLOCK_END_RE.sub(" ", html))
    return _SPACE_RE.sub(" ", html_module.unescape(text)).strip()


def render(body: str, source: Path, content_dir: Path, first_line: int,
           iframe_hosts: Iterable[str] = ()) -> RenderedBody:
    """Convert a Markdown body found at ``source`` (body starting at ``first_line``).

    ``iframe_hosts`` are the hosts whose ``<iframe>`` embeds are kept (site.yaml
    ``security.iframe_hosts``; ``*.example.cn`` allows subdomains).
    """
    result = RenderedBody("")
    shown = display_path(source)
    hosts = tuple(sorted({str(h).strip().lower() for h in iframe_hosts if str(h).strip()}))

    def problem(line: int, message: str, hint: str, level=Level.ERROR, code: str = "link"):
        result.diagnostics.append(Diagnostic(level, shown, line, message, hint, code))

    if "\ue000" in body:  # keep the text from forging link tokens
        body = body.replace("\ue000", "\ue000\u2060")
    converter = _converter()
    limit = bounds.check(body, lambda block: converter.parser.blockprocessors["table"].test(None, block))
    if limit is not None:
        problem(first_line + limit.line, limit.message, limit.hint, code="too-complex")
        return result
    try:
        raw_html = converter.convert(body)
    except RecursionError:
        global _md
        _md = None
        problem(first_line, "Markdown is nested too deeply to convert", "flatten the nested lists or quotes")
        return result
    depth = bounds.html_depth(raw_html)
    if depth > bounds.MAX_HTML_DEPTH:
        problem(first_line, f"HTML is nested {depth} levels deep, more than {bounds.MAX_HTML_DEPTH}",
                "remove the repeated opening tags", code="too-complex")
        return result

    locate = _Locator(body, first_line)
    visible = _without_comments(raw_html)
    for pattern, what, why in _REMOVED:
        m = pattern.search(visible)
        if m:
            problem(locate.line(m.group()[:7]), f"{what} is removed", why, Level.WARNING, "html")
    for m in _LOCAL_PATH_RE.finditer(visible):
        written = html_module.unescape(m.group(1))
        problem(locate.line(written), f"link {written!r} points to a file on a computer, not in the content folder",
                "copy the file into the content folder and link it with a relative path, e.g. files/附件1.pdf")
    if not hosts and "<iframe" in visible.lower():
        problem(locate.line("<iframe"), "raw HTML <iframe> is removed",
                "embedded frames are published only from hosts listed in site.yaml `security: {iframe_hosts: […]}`",
                Level.WARNING, "html")
    reported_schemes: set[str] = set()

    def link_filter(tag: str, attr: str, value: str):
        # nh3 ignores an exception raised here and keeps the value unchecked: fail closed instead.
        try:
            return check_link(tag, attr, value)
        except (OSError, ValueError) as e:
            problem(locate.line(value), f"link {value!r} cannot be checked ({e})",
                    "shorten the file name, or write the address without full-width or stray characters")
            return None

    def check_link(tag: str, attr: str, value: str):
        if attr not in ("href", "src"):
            return value
        line = locate.line(value)
        parts = urlsplit(value)
        scheme = parts.scheme.lower()
        if tag == "iframe":
            if scheme == "https" and _host_allowed(parts.hostname, hosts):
                return value
            if hosts:
                problem(line, f"<iframe> from {parts.hostname or value!r} is removed",
                        "only https addresses on the hosts in site.yaml security.iframe_hosts may be embedded: "
                        + ", ".join(hosts), Level.WARNING, "html")
            return None
        if scheme and scheme not in LINK_SCHEMES:
            if scheme not in reported_schemes:
                reported_schemes.add(scheme)
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
        if value.startswith("/") or value.startswith("\\"):
            problem(line, f"link {value!r} is an absolute path",
                    "link to the content file with a relative path, e.g. ../policies/other.md")
            return None
        target = resolve_inside(source.parent, unquote(parts.path), content_dir)
        if target is None:
            problem(line, f"link {value!r} points outside the content folder",
                    "only files inside the content folder can be linked")
            return None
        if not is_file(target):
            problem(line, f"link target {value!r} does not exist", f"no file {display_path(target)}")
            return None
        rel = target.relative_to(content_dir.resolve()).as_posix()
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
        result.links.append(LinkRef(kind, rel, parts.fragment, line))
        return f"\ue000{len(result.links) - 1}\ue001"

    tags, clean_content, attributes, set_values = _TAGS, _CLEAN_CONTENT, _ATTRIBUTES, None
    if hosts:
        tags = _TAGS | {"iframe"}
        clean_content = _CLEAN_CONTENT - {"iframe"}
        attributes = {**_ATTRIBUTES, "iframe": IFRAME_ATTRIBUTES}
        set_values = {"iframe": IFRAME_SET}
    html = nh3.clean(
        raw_html,
        tags=tags,
        clean_content_tags=clean_content,
        attributes=attributes,
        attribute_filter=link_filter,
        url_schemes=LINK_SCHEMES,
        link_rel=None,
        strip_comments=True,
        set_tag_attribute_values=set_values,
    )
    if hosts and "<iframe" in html:
        def frame(m: re.Match) -> str:
            attrs = m.group(1)
            if ' src="' not in attrs:
                return ""  # its source was refused above
            values = dict(_ATTR_RE.findall(attrs))
            if not values.get("title", "").strip():
                problem(locate.line("<iframe"), "an embedded <iframe> needs a title",
                        'add title="…" saying what it shows, e.g. <iframe title="政策解读视频" src="…">; '
                        "screen readers announce it", code="html")
            # The sanitiser adds attributes in hash order: write them in a fixed order, for stable output.
            ordered = [name for name in ("src", "title", "width", "height") if name in values] + list(IFRAME_SET)
            return "<iframe " + " ".join(f'{name}="{values[name]}"' for name in ordered) + "></iframe>"
        html = _IFRAME_RE.sub(frame, html)
    result.html = html
    result.text = html_to_text(result.html)
    result.html = name_tables(result.html)
    return result


_TABLE_PARTS_RE = re.compile(r"<(h[1-6])\b[^>]*>(.*?)</\1>|<table\b[^>]*>|</table>", re.S | re.I)
_CAPTION_RE = re.compile(r"\s*<caption\b[^>]*>(.*?)</caption>", re.S | re.I)


def name_tables(html: str) -> str:
    """Wrap each top-level table in a focusable region named after its caption or the heading above it.

    Markdown tables have no caption, so a screen reader meets an unnamed table; on a phone a wide
    table must scroll inside its own box, which keyboard users can only scroll when it takes focus
    (WCAG 1.3.1, 2.1.1, 1.4.10). Runs on sanitised HTML: the wrapper is ours, not the editor's.
    """
    out: list[str] = []
    pos = depth = 0
    heading = ""
    used: dict[str, int] = {}
    for m in _TABLE_PARTS_RE.finditer(html):
        if m.group(1):
            if depth == 0:
                heading = html_to_text(m.group(2))
            continue
        out.append(html[pos:m.start()])
        pos = m.end()
        if m.group(0).startswith("</"):
            depth = max(depth - 1, 0)
            out.append(m.group(0) + ("</div>" if depth == 0 else ""))
            continue
        if depth == 0:
            caption = _CAPTION_RE.match(html, m.end())
            name = (html_to_text(caption.group(1)) if caption else "") or heading or "表格"
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


def iframe_hosts(config) -> tuple[str, ...]:
    """The hosts whose iframes a site allows (site.yaml ``security.iframe_hosts``), none by default."""
    return tuple(getattr(config, "iframe_hosts", None) or ())
