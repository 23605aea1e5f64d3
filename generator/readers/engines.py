"""The Markdown converters a site can choose (site.yaml ``markdown: {engine: …}``), before sanitising.

``commonmark`` (the default) is comrak, a compiled CommonMark + GFM converter, with GFM tables and
footnotes and CJK-friendly emphasis: CommonMark's flanking rules leave ``**决策公开。**对涉及`` and
``**《条例》**第十条`` unbolded, a pattern Chinese editors write all the time. Chosen by measurement
(2026-12, on the demo's bodies and on synthesized Chinese documents, in characters per second): comrak
0.0.16 25–42 M, cmarkgfm 19–27 M (no CJK-friendly emphasis), comrak-ext 11–29 M, markdown-it-py 1.2–1.4 M,
mistune 1.2–2.0 M, Python-Markdown 3.11.3 0.7–0.85 M. The README's "Speed and memory" has the build figures.

``python-markdown`` keeps Python-Markdown (tables, sane lists, footnotes) for content written for it,
e.g. sites moving from MkDocs or Pelican.

Both give the same HTML shape to what follows: the body's top heading level becomes ``<h2>`` (the page
title is the only ``<h1>``), headings get the ids Python-Markdown's ``toc`` extension gives (so
``#第一条`` links keep working), header cells of Markdown tables get ``scope="col"``, and footnotes
link both ways with ``fn:…``/``fnref:…`` ids. Raw HTML is passed through untouched, for the sanitiser.
"""

from __future__ import annotations

import html as html_module
import re
from functools import lru_cache
from typing import Callable
from urllib.parse import unquote

import comrak
import markdown
from markdown.extensions.toc import remove_fnrefs, render_inner_html, slugify_unicode, strip_tags, unique
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from .layout import LINE_BLOCKS

COMMONMARK = "commonmark"
PYTHON_MARKDOWN = "python-markdown"
ENGINES = (COMMONMARK, PYTHON_MARKDOWN)
DEFAULT = COMMONMARK


#: Footnote backlinks say where they go, in the page's language.
BACKLINK_TITLE = "返回注释 {} 的引用处"


class TooDeep(Exception):
    """The converter ran out of stack on deeply nested input."""


def convert(body: str, engine: str, hard_breaks: bool = False) -> str:
    """HTML of ``body`` in the dialect ``engine``, raw HTML included, not yet sanitised. With ``hard_breaks``
    every line break inside a paragraph is kept as ``<br>`` (transcripts and text versions keep their lines)."""
    if engine == PYTHON_MARKDOWN:
        try:
            return _python_markdown(hard_breaks).convert(body)
        except RecursionError:
            _md.pop(hard_breaks, None)  # its state is broken half-way
            raise TooDeep from None
    render = _RENDER_HARD if hard_breaks else _RENDER
    return _finish(comrak.render_markdown(body, extension_options=_EXTENSIONS, render_options=render).rstrip("\n"))


def table_test(engine: str) -> Callable[[str], bool] | None:
    """For :func:`bounds.check`: whether a block is a table (Python-Markdown then converts it per row)."""
    if engine == PYTHON_MARKDOWN:
        return lambda block: _python_markdown().parser.blockprocessors["table"].test(None, block)
    return None


def notes(body: str, html: str, engine: str) -> list[tuple[int, str, str]]:
    """Text of ``body`` that CommonMark shows other than its editor (or Python-Markdown) meant, as (0-based line,
    message, hint): a footnote nothing refers to (dropped), ``#标题`` without a space (not a heading), a link
    whose address has a space (not a link)."""
    if engine != COMMONMARK:
        return []
    found = []
    prose = _CODE_RE.sub("", html) if "<code" in html else html  # what is written in code is shown as it is
    if "[^" in body:
        for m in _FOOTNOTE_DEFINITION_RE.finditer(body):
            label = m.group(1)
            if f'id="fn:{html_module.escape(label)}"' not in html and \
                    f"[^{html_module.escape(label, False)}]:" not in html:  # neither shown nor written in code
                found.append((body.count("\n", 0, m.start()), f"footnote [^{label}] is never referred to, so its "
                              "text is not shown", f"refer to it in the text with [^{label}], or delete it"))
    if "#" in body:
        for m in _HASH_RE.finditer(body):
            if f"<p>{html_module.escape(m.group(1), False)}" in prose:
                found.append((body.count("\n", 0, m.start()), f"{m.group(1)[:20]!r} is not a heading",
                              "put a space after the # signs: # 标题"))
    if "](" in body:
        for m in _SPACED_LINK_RE.finditer(body):
            if html_module.escape(m.group(), False) in prose:
                found.append((body.count("\n", 0, m.start()), f"{m.group()!r} is not a link: its address has a space",
                              f"write the address in angle brackets, [{m.group(1)}](<{m.group(2)}>), or rename the "
                              "file without spaces"))
    return found


_FOOTNOTE_DEFINITION_RE = re.compile(r"^[ \t>]*\[\^([^\]\n]+)\]:", re.M)
_HASH_RE = re.compile(r"^ {0,3}(#{1,6}[^\s#][^\n#]*)$", re.M)  # not #话题# (a topic tag)
_CODE_RE = re.compile(r"<code\b.*?</code>", re.S)
_SPACED_LINK_RE = re.compile(r"\[([^\[\]\n]{1,200})\]\(([^()<>\s]+ [^()<>\n]*?)\)")


# --------------------------------------------------------------------------- commonmark (comrak)

_EXTENSIONS = comrak.ExtensionOptions()
_EXTENSIONS.table = True
_EXTENSIONS.footnotes = True
_EXTENSIONS.cjk_friendly_emphasis = True
_RENDER = comrak.RenderOptions()
_RENDER.unsafe_ = True  # raw HTML goes to the sanitiser, which reports what it removes
# Marks every element comrak made (raw HTML has none), so headings and tables written in HTML are left alone.
_RENDER.sourcepos = True
_RENDER_HARD = comrak.RenderOptions()
_RENDER_HARD.unsafe_, _RENDER_HARD.sourcepos, _RENDER_HARD.hardbreaks = True, True, True

_SOURCEPOS = ' data-sourcepos="'
_HEADING_RE = re.compile(r'<h([1-6]) data-sourcepos="[^"]*">(.*?)</h\1>', re.S)
_HEADING_LEVEL_RE = re.compile(r'<h([1-6]) data-sourcepos="')
_SOURCEPOS_RE = re.compile(r' data-sourcepos="[^"]*"')
_FNREF_RE = re.compile(r'<sup class="footnote-ref"><a href="#fn-[^"]*" id="fnref-[^"]*" data-footnote-ref>.*?</a></sup>')
_FOOTNOTE_ID_RE = re.compile(r'(id|href)="(#?)(fn|fnref)-([^"]*)"')
#: ``slugify_unicode(name, "-")`` of Python-Markdown's toc extension, compiled: a slug is word characters and '-'.
_SLUG_DROP_RE = re.compile(r"[^\w\s-]")
_SLUG_SPACE_RE = re.compile(r"[-\s]+")
_SECTION_RE = re.compile(r'<section data-sourcepos="[^"]*" class="footnotes" data-footnotes>')
_BACKREF_RE = re.compile(r' class="footnote-backref" data-footnote-backref data-footnote-backref-idx="([^"-]*)[^"]*"'
                         r' aria-label="[^"]*"')


def _finish(html: str) -> str:
    """Heading levels and ids, table header scopes and footnote ids on comrak's output (see the module doc)."""
    if _SOURCEPOS not in html:
        return html
    if "<h" in html:
        levels = [int(level) for level in _HEADING_LEVEL_RE.findall(html)]
        if levels:
            html = _headings(html, 2 - min(levels))
    html = html.replace('<th data-sourcepos="', '<th scope="col" data-sourcepos="')
    if "data-footnote" in html:
        html = _footnotes(html)
    return _SOURCEPOS_RE.sub("", html)


def _headings(html: str, shift: int) -> str:
    used: set[str] = set()
    counters: dict[str, int] = {}

    def heading(m: re.Match) -> str:
        level = min(6, int(m.group(1)) + shift)
        inner = m.group(2)
        if "<" in inner or "&" in inner:
            name = html_module.unescape(strip_tags(_FNREF_RE.sub("", _SOURCEPOS_RE.sub("", inner))))
        else:  # plain text, most headings: what strip_tags would give
            name = " ".join(inner.split())
        slug = unique(_slug(name), used, counters)
        return f'<h{level} id="{slug}">{inner}</h{level}>'

    return _HEADING_RE.sub(heading, html)


@lru_cache(maxsize=4096)
def _slug(name: str) -> str:
    """``slugify_unicode(name, "-")``; documents share many headings (一、总体要求)."""
    return _SLUG_SPACE_RE.sub("-", _SLUG_DROP_RE.sub("", name).strip().lower())


def _footnotes(html: str) -> str:
    """comrak's ``fn-1``/``fnref-1`` ids as Python-Markdown's ``fn:1``/``fnref:1``, its backlinks titled in
    Chinese, and its footnote section as Python-Markdown's: a ``<div>`` with a rule at the top."""
    html = _FOOTNOTE_ID_RE.sub(lambda m: f'{m.group(1)}="{m.group(2)}{m.group(3)}:'
                                         f'{html_module.escape(unquote(m.group(4)))}"', html)
    html = _BACKREF_RE.sub(lambda m: f' title="{BACKLINK_TITLE.format(m.group(1))}"', html)
    section = _SECTION_RE.search(html)
    end = html.rfind("</section>")  # the footnotes come last
    if section is None or end < section.end():
        return html
    return f'{html[:section.start()]}<div class="footnote">\n<hr>{html[section.end():end]}</div>{html[end + 10:]}'


# --------------------------------------------------------------------------- python-markdown


class _TableScope(Treeprocessor):
    """Header cells of Markdown tables get ``scope`` so screen readers can relate cells."""

    def run(self, root):
        for table in root.iter("table"):
            for th in table.iter("th"):
                th.set("scope", "col")
        return None


_HEADING_TAGS = {f"h{n}" for n in range(1, 7)}


class _HeadingLevels(Treeprocessor):
    """The body's top heading level becomes <h2>; relative levels are kept; nothing goes below <h6>."""

    def run(self, root):
        headings = [el for el in root.iter() if el.tag in _HEADING_TAGS]
        if not headings:
            return None
        shift = 2 - min(int(el.tag[1]) for el in headings)
        for el in headings:
            el.tag = f"h{min(6, int(el.tag[1]) + shift)}"
        return None


class _HeadingIds(Treeprocessor):
    """Give every heading the id the ``toc`` extension would.

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


class _LineBlocks(Preprocessor):
    """The fenced line blocks (```落款, ```分行) as CommonMark writes them, ``<pre><code class="language-…">``,
    so :mod:`generator.readers.layout` finishes both engines' alike. Only these fences: other ``` stay what
    they always were in this dialect. Like Python-Markdown's own fenced_code, at the top level only."""

    FENCE_RE = re.compile(r"^(?P<fence>`{3,}|~{3,})[ \t]*(?P<kind>%s)(?:[ \t][^\n`]*)?\n(?P<text>.*?)^(?P=fence)[`~]*[ \t]*$"
                          % "|".join(LINE_BLOCKS), re.M | re.S)

    def run(self, lines):
        text = "\n".join(lines)
        if "```" not in text and "~~~" not in text:
            return lines

        def block(m: re.Match) -> str:
            html = f'<pre><code class="language-{m.group("kind")}">{html_module.escape(m.group("text"))}</code></pre>'
            return "\n\n" + self.md.htmlStash.store(html) + "\n\n"

        return self.FENCE_RE.sub(block, text).split("\n")


_md: dict[bool, markdown.Markdown] = {}


def _python_markdown(hard_breaks: bool = False) -> markdown.Markdown:
    # One instance per process and mode, reset per document: building one costs ~1 ms.
    if hard_breaks not in _md:
        md = markdown.Markdown(
            extensions=["tables", "sane_lists", "footnotes", _Extension()] + (["nl2br"] if hard_breaks else []),
            extension_configs={"footnotes": {"BACKLINK_TITLE": BACKLINK_TITLE.replace("{}", "%d")}},
            output_format="html",
        )
        md.preprocessors.register(_LineBlocks(md), "line_blocks", 25)  # before raw HTML (20) is stashed
        _md[hard_breaks] = md
    return _md[hard_breaks].reset()
