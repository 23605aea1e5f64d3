"""Markdown bodies to safe HTML, with links to other content files kept as tokens.

Conversion is a pure function of the body text and the file's location, so its
result can be cached and computed in worker processes. Links cannot be final
yet (a page's URL is known only once the site graph exists, and links are
written relative to the page that carries them), so every link to a content
file becomes a token ``\\ue000N\\ue001`` and :func:`resolve_links` replaces the
tokens when the page is rendered.

Every body passes the nh3 allow-list sanitiser: no script, no event handlers,
no ``javascript:``/``data:`` URLs, no forms, no iframes.
"""

from __future__ import annotations

import html as html_module
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable
from urllib.parse import unquote, urlsplit

import markdown
import nh3
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import Treeprocessor

from ..errors import Diagnostic, Level, display_path
from .paths import resolve_inside

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


@dataclass(frozen=True)
class LinkRef:
    """A link from a body to a file in the content folder."""

    kind: str  # "page" (a .md file) or "asset" (any other file)
    target: str  # content-relative POSIX path
    fragment: str
    line: int


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


class _Extension(markdown.Extension):
    def extendMarkdown(self, md):
        md.treeprocessors.register(_TableScope(md), "table_scope", 0)
        # Before the toc treeprocessor (priority 5), which gives the headings their ids.
        md.treeprocessors.register(_HeadingLevels(md), "heading_levels", 6)


def _new_markdown() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=["tables", "sane_lists", "footnotes", "toc", _Extension()],
        extension_configs={"toc": {"slugify": slugify_unicode, "permalink": False}},
        output_format="html",
    )


_md: markdown.Markdown | None = None


def _converter() -> markdown.Markdown:
    # One instance per process, reset per document: building one costs ~1 ms.
    global _md
    if _md is None:
        _md = _new_markdown()
    return _md.reset()


def _line_of(body: str, needle: str, first_line: int) -> int:
    index = body.find(needle) if needle else -1
    return first_line + body.count("\n", 0, index) if index >= 0 else first_line


_BLOCK_END_RE = re.compile(r"</(?:p|li|h[1-6]|td|th|tr|div|blockquote|pre|dd|dt|caption)>|<br\s*/?>", re.I)
_TAG_RE = re.compile(r"<[^>]+>")
_SPACE_RE = re.compile(r"\s+")


def html_to_text(html: str) -> str:
    """Plain text of sanitised HTML. Inline tags vanish without a space: Chinese has no word gaps."""
    text = _TAG_RE.sub("", _BLOCK_END_RE.sub(" ", html))
    return _SPACE_RE.sub(" ", html_module.unescape(text)).strip()


def render(body: str, source: Path, content_dir: Path, first_line: int) -> RenderedBody:
    """Convert a Markdown body found at ``source`` (body starting at ``first_line``)."""
    result = RenderedBody("")
    shown = display_path(source)

    def problem(line: int, message: str, hint: str, level=Level.ERROR):
        result.diagnostics.append(Diagnostic(level, shown, line, message, hint, "link"))

    try:
        raw_html = _converter().convert(body)
    except RecursionError:
        global _md
        _md = None
        problem(first_line, "Markdown is nested too deeply to convert", "flatten the nested lists or quotes")
        return result

    def link_filter(tag: str, attr: str, value: str):
        if attr not in ("href", "src"):
            return value
        line = _line_of(body, value, first_line)
        parts = urlsplit(value)
        if parts.scheme or value.startswith("//"):
            return value  # nh3 has already removed schemes outside LINK_SCHEMES
        if not parts.path:
            return value  # "#fragment" or "?query" within the page
        if value.startswith("/"):
            problem(line, f"link {value!r} is an absolute path",
                    "link to the content file with a relative path, e.g. ../policies/other.md")
            return None
        target = resolve_inside(source.parent, unquote(parts.path), content_dir)
        if target is None:
            problem(line, f"link {value!r} points outside the content folder",
                    "only files inside the content folder can be linked")
            return None
        if not target.is_file():
            problem(line, f"link target {value!r} does not exist", f"no file {display_path(target)}")
            return None
        rel = target.relative_to(content_dir.resolve()).as_posix()
        kind = "page" if PurePosixPath(rel).suffix.lower() == ".md" else "asset"
        result.links.append(LinkRef(kind, rel, parts.fragment, line))
        return f"\ue000{len(result.links) - 1}\ue001"

    result.html = nh3.clean(
        raw_html,
        tags=_TAGS,
        clean_content_tags={"script", "style", "iframe", "object", "embed", "template", "noscript", "textarea",
                            "select", "svg", "math"},
        attributes=_ATTRIBUTES,
        attribute_filter=link_filter,
        url_schemes=LINK_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
    result.text = html_to_text(result.html)
    return result


def resolve_links(html: str, links: list[LinkRef], url_of: Callable[[LinkRef], str | None]) -> str:
    """Replace link tokens with final URLs; ``url_of`` returns ``None`` for unknown targets."""
    if "\ue000" not in html:
        return html

    def sub(m: re.Match) -> str:
        ref = links[int(m.group(1))]
        url = url_of(ref)
        return url if url is not None else "#"

    return TOKEN_RE.sub(sub, html)
