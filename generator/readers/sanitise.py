"""The allow-list sanitiser (nh3) for converted bodies, and an account of the text it removes.

No script, no event handlers, no style attributes, no ``javascript:``/``vbscript:``/``data:`` URLs, no
forms, no SVG or MathML, no ``<base>`` or ``<meta>``, and no iframes except from the hosts a site allows
(``iframe_hosts``), which are sandboxed and need a title.

Text an editor wrote never disappears without a word. Some elements are deleted with everything inside
them (``<script>``, ``<style>``, ``<template>`` …), and some make the HTML parser read everything up to
their end tag as raw text (``<style>``, ``<textarea>``, ``<title>`` …): one such element left open would
take the rest of the document with it. So before sanitising, :func:`audit` finds every such element in
the converted HTML: an unclosed one is an error, a removed one a warning that says how many characters of
text went with it. After sanitising, :func:`lost` compares the visible text with what was expected, so
anything else the sanitiser dropped (a processing instruction, a CDATA section) is reported too.
"""

from __future__ import annotations

import html as html_module
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

import nh3

from ..errors import Level
from .layout import LINE_BLOCKS

LINK_SCHEMES = {"http", "https", "mailto", "tel"}

_TAGS = set(nh3.ALLOWED_TAGS) - {"center", "strike", "tt", "acronym", "map", "area"}
_ATTRIBUTES = {
    "*": {"lang", "title", "dir"},
    "a": {"href", "hreflang", "id"},
    "sup": {"id"},
    "li": {"id"},
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
#: Ids other than those of headings and header cells: only footnotes' (``fn:1``, ``fnref:1``, ``fnref2:1``).
_FOOTNOTE_ID_RE = re.compile(r"fn(?:ref\d*)?:\S+")
_ANY_ID = frozenset({"th", *(f"h{n}" for n in range(1, 7))})
#: Elements removed with their content (the others are unwrapped, keeping their text).
CLEAN_CONTENT = frozenset({"script", "style", "iframe", "object", "embed", "template", "noscript", "textarea",
                           "select", "svg", "math"})
#: Elements whose content the HTML parser reads as text up to their end tag (``noscript`` too, as a browser
#: with script does). ``plaintext`` has no end tag at all.
_RAW_TEXT = frozenset({"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript"})
#: Every element that must be closed: the raw-text ones, those removed with their content (``embed`` is
#: void), and ``pre``, which CommonMark reads as raw HTML up to ``</pre>``.
WATCHED = (CLEAN_CONTENT - {"embed"}) | _RAW_TEXT | {"pre", "plaintext"}
#: What an allowed iframe may say itself, and what the sanitiser sets on every iframe.
IFRAME_ATTRIBUTES = {"src", "title", "width", "height"}
#: The only classes kept: those of the line blocks (```落款, ```分行), which :mod:`generator.readers.layout` finishes.
_CLASSES = {"code": {f"language-{kind}" for kind in LINE_BLOCKS}}
IFRAME_SET = {"sandbox": "allow-scripts allow-same-origin allow-presentation", "allowfullscreen": "",
              "referrerpolicy": "strict-origin-when-cross-origin", "loading": "lazy"}

_FORMS = "forms are not published; link to the online service (办事链接) instead"
#: Why each element removed with its content is removed (iframes have their own messages).
_WHY = {
    "script": "scripts are never published",
    "style": "the look of a page comes from the site's theme; write emphasis and headings in Markdown",
    "textarea": _FORMS,
    "select": _FORMS,
    "object": "plug-ins are not published",
    "svg": "inline SVG and MathML can carry script; use a PNG image",
    "math": "inline SVG and MathML can carry script; use a PNG image",
    "template": "a <template> is never shown; write its text outside it",
    "noscript": "the site works without script, so <noscript> is never needed: write its text outside it",
}
#: Other raw HTML the sanitiser drops, with the reason given to the editor.
_REMOVED = (
    (re.compile(r"<(?:form|input|button)\b", re.I), "a raw HTML form", _FORMS),
    (re.compile(r"<(?:embed|applet|frame|frameset)\b", re.I), "raw HTML <embed> or <applet>",
     "plug-ins are not published"),
    (re.compile(r"<(?:base|meta)\b", re.I), "raw HTML <base> or <meta>", "page metadata comes from the front matter"),
    (re.compile(r"<[A-Za-z][^<>]*?\son[a-z]+\s*=", re.I), "an event handler attribute (on…=)", "event handlers run script"),
    (re.compile(r"""\s[a-z:-]+\s*=\s*["']?\s*(?:javascript|vbscript|data|blob):""", re.I),
     "a javascript:, vbscript: or data: address", "links may use http:, https:, mailto:, tel: or a relative path"),
)


@dataclass(frozen=True)
class Finding:
    """A problem with raw HTML; ``needle`` is text of the body that locates it."""

    needle: str
    level: Level
    message: str
    hint: str


#: A start or end tag, with quoted attribute values that may hold '>'.
_TAG_RE = re.compile(r"""</?[A-Za-z][^\s/>]*(?:"[^"]*"|'[^']*'|[^'">])*>""")
_SPACE_RE = re.compile(r"\s+")
_START_RE = re.compile(r"""<(%s)(?=[\s/>])(?:"[^"]*"|'[^']*'|[^'">])*>""" % "|".join(sorted(WATCHED)), re.I)


def visible_chars(html: str) -> int:
    """Characters of text in ``html``, not counting white space (the content of raw-text elements counts)."""
    return len(_SPACE_RE.sub("", html_module.unescape(_TAG_RE.sub("", html))))


def without_comments(html: str) -> tuple[str, int]:
    """``html`` without its comments (the sanitiser drops them, and hiding text is what they are for), and the
    offset of a comment that is never closed, or -1."""
    if "<!--" not in html:
        return html, -1
    out, pos = [], 0
    while True:
        start = html.find("<!--", pos)
        if start < 0:
            out.append(html[pos:])
            return "".join(out), -1
        out.append(html[pos:start])
        end = html.find("-->", start + 4)
        if end < 0:
            return "".join(out), start
        pos = end + 3


@lru_cache(maxsize=None)
def _tag_re(name: str) -> re.Pattern:
    if name in _RAW_TEXT:  # only the end tag counts
        return re.compile(rf"</{name}(?=[\s/>])[^>]*>?", re.I)
    return re.compile(rf"<(/?){name}(?=[\s/>])", re.I)


def _end(html: str, name: str, start: int) -> tuple[int, int] | None:
    """Where the element opened just before ``start`` ends: (end of its content, end of its end tag)."""
    if name in _RAW_TEXT:
        m = _tag_re(name).search(html, start)
        return (m.start(), m.end()) if m else None
    depth = 1
    for m in _tag_re(name).finditer(html, start):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            close = html.find(">", m.end())
            return m.start(), (close + 1 if close >= 0 else len(html))
    return None


def _unclosed(name: str, tag: str, after: str) -> Finding:
    chars = visible_chars(after)
    if name in ("title", "xmp", "noembed", "noframes", "plaintext", "pre"):
        lost = "its HTML and Markdown would show as code" if name != "pre" else "its Markdown would not be converted"
    else:
        lost = f"its {chars:,} characters of text would disappear"
    if name == "plaintext":
        return Finding(tag, Level.ERROR, f"raw HTML <plaintext> turns the rest of the text into code ({lost})",
                       "remove <plaintext>; for code, indent it by four spaces or fence it with ```")
    return Finding(tag, Level.ERROR, f"raw HTML <{name}> is never closed: everything after it belongs to it, so "
                   f"{lost}", f"close it with </{name}>, or remove it; to show the tag itself, put it in "
                   f"backticks: `<{name}>`")


@dataclass
class Audit:
    """What :func:`audit` found."""

    findings: list[Finding]
    removed_chars: int  # text inside the elements the sanitiser deletes with their content
    #: An unclosed ``<svg>`` or ``<math>``: the parser leaves it at the next paragraph, list or heading, so how
    #: much text went with it is known only after sanitising.
    open_foreign: str | None = None


def audit(raw_html: str, raw: bool = True) -> Audit:
    """Problems with raw HTML in converted ``raw_html``, and how many characters of text the sanitiser will
    remove with the elements it deletes (see the module doc). ``raw`` is False when the Markdown had no
    '<': then the HTML is all the converter's, and only its link addresses need a look."""
    result = Audit([], 0)
    if not raw:
        _addresses(raw_html, result)
        return result
    visible, open_comment = without_comments(raw_html)
    if open_comment >= 0:
        chars = visible_chars(raw_html[open_comment + 4:])
        result.findings.append(Finding("<!--", Level.ERROR, f"an HTML comment <!-- is never closed: everything after "
                                       f"it is hidden, {chars:,} characters of text", "close the comment with -->, "
                                       "or write \\<!-- to show the characters themselves"))
    removed: dict[str, list] = {}
    pos = 0
    while (m := _START_RE.search(visible, pos)) is not None:
        name = m.group(1).lower()
        foreign = name in ("svg", "math")
        self_closed = foreign and m.group().endswith("/>")  # foreign elements may close themselves
        end = (m.end(), m.end()) if self_closed else None if name == "plaintext" else _end(visible, name, m.end())
        chars = 0
        if end is None and foreign:
            result.open_foreign = result.open_foreign or m.group()
            pos = m.end()
        elif end is None:
            result.findings.append(_unclosed(name, m.group(), visible[m.end():]))
            break  # the rest is inside it
        else:
            pos = end[1]
            inner = visible[m.end():end[0]]
            chars = len(_SPACE_RE.sub("", inner)) if name in _RAW_TEXT else visible_chars(inner)
        if name in CLEAN_CONTENT:
            result.removed_chars += chars
            if name != "iframe":  # iframes: see the messages in markdown.render
                entry = removed.setdefault(name, [m.group(), 0, 0])
                entry[1] += 1
                entry[2] += chars
    for name, (tag, count, chars) in removed.items():
        result.findings.append(Finding(tag, Level.WARNING, _removed(name, count, chars), _WHY[name]))
    for pattern, what, why in _REMOVED:
        m = pattern.search(visible)
        if m:
            result.findings.append(Finding(m.group()[:7], Level.WARNING, f"{what} is removed", why))
    return result


def _removed(name: str, count: int, chars: int) -> str:
    # Whole sentences, not pieces: each is one entry of the message catalogue (generator/i18n).
    if count > 1 and chars:
        return f"raw HTML <{name}> is removed {count} times, with the {chars:,} characters of text inside it"
    if count > 1:
        return f"raw HTML <{name}> is removed {count} times"
    if chars:
        return f"raw HTML <{name}> is removed, with the {chars:,} characters of text inside it"
    return f"raw HTML <{name}> is removed"


def _addresses(html: str, result: Audit) -> None:
    pattern, what, why = _REMOVED[-1]
    m = pattern.search(html) if ":" in html else None  # a quick test first: most bodies have no address
    if m:
        result.findings.append(Finding(m.group()[:7], Level.WARNING, f"{what} is removed", why))


def lost(raw_html: str, removed_chars: int, clean_html: str) -> int:
    """Characters of text the sanitiser dropped beyond ``removed_chars`` (those :func:`audit` reported)."""
    return visible_chars(without_comments(raw_html)[0]) - removed_chars - visible_chars(clean_html)


class _Cleaners(threading.local):
    """The allow-lists, built once (building them is a third of the time of cleaning a small body), and the
    attribute filter of the body being cleaned on this thread, which the built ones call."""

    def __init__(self):
        self.built: dict[bool, nh3.Cleaner] = {}
        self.filter: Callable[[str, str, str], str | None] = lambda tag, attr, value: value

    def get(self, iframes: bool) -> nh3.Cleaner:
        if iframes not in self.built:
            tags, clean_content, attributes, set_values = _TAGS, CLEAN_CONTENT, _ATTRIBUTES, None
            if iframes:
                tags = _TAGS | {"iframe"}
                clean_content = CLEAN_CONTENT - {"iframe"}
                attributes = {**_ATTRIBUTES, "iframe": IFRAME_ATTRIBUTES}
                set_values = {"iframe": IFRAME_SET}
            self.built[iframes] = nh3.Cleaner(
                tags=tags, clean_content_tags=clean_content, attributes=attributes, attribute_filter=_filter_attribute,
                url_schemes=LINK_SCHEMES, link_rel=None, strip_comments=True, set_tag_attribute_values=set_values,
                allowed_classes=_CLASSES)
        return self.built[iframes]


_cleaners = _Cleaners()


def _filter_attribute(tag: str, attr: str, value: str):
    if attr == "id":
        return value if tag in _ANY_ID or _FOOTNOTE_ID_RE.fullmatch(value) else None
    return _cleaners.filter(tag, attr, value)


def clean(raw_html: str, hosts: tuple[str, ...], attribute_filter: Callable[[str, str, str], str | None],
          converted: bool = False) -> str:
    """``raw_html`` through the allow-list; ``attribute_filter`` checks and rewrites ``href`` and ``src``.
    ``converted``: the HTML is all comrak's (the Markdown had no raw HTML), so it may need no parsing."""
    html = _as_cleaned(raw_html) if converted else None
    if html is not None:
        return html
    cleaner = _cleaners.get(bool(hosts))
    previous, _cleaners.filter = _cleaners.filter, attribute_filter
    try:
        html = cleaner.clean(raw_html)
    finally:
        _cleaners.filter = previous
    # nh3 leaves class="" where it removed every class.
    return html.replace('<code class="">', "<code>") if '<code class="' in html else html


#: comrak's tags that the allow-list keeps as they are (nothing in them to check or drop) ...
_KEPT = frozenset({f"<{name}>" for name in ("p", "blockquote", "ul", "ol", "li", "em", "strong", "code", "pre", "table",
                                             "thead", "tbody", "tr", "td")}
                  | {f"</{name}>" for name in ("p", "blockquote", "ul", "ol", "li", "em", "strong", "code", "pre",
                                               "table", "thead", "tbody", "tr", "td", "th", "h1", "h2", "h3", "h4",
                                               "h5", "h6")}
                  | {'<th scope="col">'})
_KEPT_RE = re.compile(r'<h[1-6] id="[\w-]*">|<ol start="[0-9]+">|<code class="language-(?:%s)">' % "|".join(LINE_BLOCKS))
#: ... and those it writes otherwise: void elements without the slash, column alignment dropped.
_REWRITTEN = {"<br />": "<br>", "<hr />": "<hr>",
              **{f'<th scope="col" align="{a}">': '<th scope="col">' for a in ("left", "center", "right")},
              **{f'<td align="{a}">': "<td>" for a in ("left", "center", "right")}}
_CONVERTED_TAG_RE = re.compile(r"<[^>]*>")
#: The character references comrak writes (the serialiser writes " in text as it is): HTML with others is left to
#: the sanitiser.
_OTHER_REFERENCE_RE = re.compile(r"&(?!amp;|lt;|gt;|quot;)")


def _as_cleaned(html: str) -> str | None:
    """What the allow-list makes of comrak's HTML made only of the tags above (no link, image or footnote, which
    need their addresses and ids checked), without parsing it: comrak nests them correctly, so the sanitiser
    only writes some tags and character references its own way (tests/test_markdown.py compares the two on
    generated Markdown). None for any other HTML."""
    if _OTHER_REFERENCE_RE.search(html):
        return None
    for tag in set(_CONVERTED_TAG_RE.findall(html)):
        if tag not in _KEPT and tag not in _REWRITTEN and not _KEPT_RE.fullmatch(tag):
            return None
    for tag, cleaned in _REWRITTEN.items():
        if tag in html:
            html = html.replace(tag, cleaned)
    if "&quot;" in html:
        html = html.replace("&quot;", '"')
    return html.replace("\xa0", "&nbsp;") if "\xa0" in html else html  # as the serialiser writes it
