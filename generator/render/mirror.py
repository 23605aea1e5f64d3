"""The 繁體 mirror at render time: the page plan once more under a prefix, its HTML converted with OpenCC.

The site graph stays one. Every HTML (and feed) page of the plan gets a twin at
``<path>/<url>`` rendered from the same template and context (a page's data
files, CSV and JSON, are copied as they are); only the page view differs (``mirror``: the prefix; links between pages stay inside the
mirror, see :func:`generator.render.environment.site_target`). The rendered
HTML is then converted *text node by text node*, so URLs, ids, form values and
code are never touched, and what is written in Traditional stays as written.

Which text is converted is decided by the ``lang`` attributes the theme writes
in the *site's* terms: an element marked with a Simplified tag (the page itself
as ``<html lang="zh-CN">``, the site's navigation on a Traditional document's
page, a Simplified title inside a Traditional document) is converted and its
tag becomes the mirror's (``zh-Hant``); an element marked with any other tag (a
document written in Traditional, ``lang="zh-Hant"``) is left as it is, and so
are ``<code>``, ``<kbd>``, ``<samp>``, ``<script>``, ``<style>`` and anything
marked ``translate="no"`` (the 简体 link of the switch).

What a page leaves as written it leaves as written wherever the page repeats
it inside converted text: a Traditional document's title is its ``<h1>`` and
also part of the ``<title>`` (the site's name after it is converted) and of the
head's metadata, which are in the site's language; OpenCC would turn its 台灣
into 臺灣 there.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from ..traditional import Mirror, converter, is_simplified, written_in_traditional
from .pages import Job

#: Page kinds without a twin: sitemap.xml lists the pages of both versions itself.
UNMIRRORED = frozenset({"sitemap-xml"})

#: The accessible names of the switch links, each in its own script.
LABELS = {"simplified": ("简体", "简体中文版"), "traditional": ("繁體", "繁體中文版")}


@dataclass(frozen=True)
class Version:
    """The page in one script: for the 简/繁 switch and ``<link rel="alternate" hreflang>``."""

    lang: str
    url: str  # site-relative
    label: str  # the link text, in the version's own script
    name: str  # the link's accessible name
    current: bool


def mirror_plan(jobs: list[Job], mirror: Mirror, site_lang: str) -> tuple[list[Job], frozenset[str]]:
    """The plan with every page's twin appended, and the URLs of the pages that have one.

    Each page (on both sides) learns its two versions; the site map lists both.
    """
    mirrored = frozenset(job.url for job in jobs
                         if job.template is not None and job.page is not None and job.page.kind not in UNMIRRORED)
    twins: list[Job] = []
    for job in jobs:
        if job.template is None:  # a page's data file (CSV, JSON): copied as it is, so relative links work
            twins.append(Job(mirror.prefix + job.url, None, None, data=job.data))
        if job.url not in mirrored:
            continue
        twin_url = mirror.prefix + job.url
        simplified, traditional = (site_lang, job.url, *LABELS["simplified"]), \
            (mirror.lang, twin_url, *LABELS["traditional"])
        job.page = dataclasses.replace(job.page, versions=(Version(*simplified, True), Version(*traditional, False)))
        twin_page = dataclasses.replace(job.page, url=twin_url, mirror=mirror.prefix,
                                        versions=(Version(*simplified, False), Version(*traditional, True)))
        twins.append(Job(twin_url, job.template, twin_page, job.context))
    for job in jobs:
        if job.page is not None and job.page.kind == "sitemap-xml":
            entries = job.context["entries"]
            job.context = {**job.context,
                           "entries": entries + [(mirror.prefix + url, updated) for url, updated in entries
                                                 if url in mirrored]}
    return jobs + twins, mirrored


# --------------------------------------------------------------------------- converting a rendered page

_TOKEN = re.compile(r"""<!--.*?-->|<(/?)([A-Za-z][A-Za-z0-9:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>""", re.S)
_ATTR = re.compile(r"""([^\s"'>/=]+)(?:(\s*=\s*)("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
#: Elements whose text is never converted.
_VERBATIM = frozenset({"code", "kbd", "samp", "script", "style"})
_RAW = frozenset({"script", "style"})  # their content is not markup
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
                   "wbr"})
#: Attributes whose values people read (or hear): converted like text.
_TEXT_ATTRS = frozenset({"alt", "title", "aria-label", "aria-description", "aria-roledescription",
                         "aria-valuetext", "placeholder", "label"})
#: Text left as written is kept inside converted text from this length on (a single character or two
#: would also match Simplified words that must be converted).
_KEPT_MIN = 4


class PageConverter:
    """Converts rendered pages of one site to one mirror (one OpenCC call per page)."""

    def __init__(self, mirror: Mirror):
        self.lang = mirror.lang
        self.convert = converter(mirror.variant)

    def __call__(self, html: str) -> str:
        out: list[str] = []  # pieces of the page; those at `todo` positions are converted
        todo: list[int] = []
        kept: set[str] = set()  # text the page leaves as written (in another language than the site's)
        stack: list[tuple[str, bool]] = []  # open elements: (name, convert inside?)
        converting = True
        pos = 0
        for m in _TOKEN.finditer(html):
            if m.start() < pos:  # inside a raw-text element already copied
                continue
            self._text(html[pos:m.start()], converting, out, todo, kept)
            pos = m.end()
            closing, name, attrs = m.group(1), m.group(2), m.group(3)
            if name is None:  # a comment
                out.append(m.group(0))
                continue
            name = name.lower()
            if closing:
                out.append(m.group(0))
                for depth in range(len(stack) - 1, -1, -1):
                    if stack[depth][0] == name:
                        del stack[depth:]
                        converting = stack[-1][1] if stack else True
                        break
                continue
            inside = self._start_tag(m.group(0), name, attrs, converting and name not in _VERBATIM, out, todo,
                                     kept)
            if name in _RAW:
                end = html.find(f"</{name}", pos)
                end = len(html) if end < 0 else end
                out.append(html[pos:end])
                pos = end
            elif name not in _VOID and not attrs.rstrip().endswith("/"):
                stack.append((name, inside))
                converting = inside
        self._text(html[pos:], converting, out, todo, kept)
        for at, text in zip(todo, self._convert([out[i] for i in todo], kept)):
            out[at] = text
        return "".join(out)

    def _convert(self, pieces: list[str], kept: set[str]) -> list[str]:
        """The pieces converted, except where they repeat text the page keeps as written."""
        kept = [k for k in kept if len(k) >= _KEPT_MIN]
        kept = {k for k, traditional in zip(kept, written_in_traditional(kept)) if traditional}
        if not kept:
            return self.convert(pieces)
        pattern = re.compile("|".join(re.escape(k) for k in sorted(kept, key=len, reverse=True)))
        parts = [pattern.split(p) for p in pieces]  # no groups: what is between the kept strings
        found = [pattern.findall(p) for p in pieces]
        converted = iter(self.convert([text for between in parts for text in between]))
        out = []
        for between, same in zip(parts, found):
            texts = [next(converted) for _ in between]
            out.append("".join(t + k for t, k in zip(texts, same + [""])))
        return out

    @staticmethod
    def _text(text: str, converting: bool, out: list[str], todo: list[int], kept: set[str]) -> None:
        if _CJK.search(text):
            if converting:
                todo.append(len(out))
            else:
                kept.add(text.strip())
        out.append(text)

    def _start_tag(self, tag: str, name: str, attrs: str, inside: bool, out: list[str], todo: list[int],
                   kept: set[str]) -> bool:
        """Write the start tag (its language rewritten, its readable attributes as pieces to convert when the
        element's text is, else kept); return whether the element's content is converted."""
        found = {a.group(1).lower(): a for a in _ATTR.finditer(attrs)} if "=" in attrs else {}
        if "translate" in found and _value(found["translate"]).lower() == "no":
            out.append(tag)
            return False
        rewrite = []
        for key in ("lang", "xml:lang"):
            if key in found:
                simplified = is_simplified(_value(found[key]))
                inside = simplified and name not in _VERBATIM
                if simplified:
                    rewrite.append(key)
        readable = [key for key, a in found.items() if a.group(3) and _CJK.search(a.group(3))
                    and (key in _TEXT_ATTRS or key.startswith("data-") or (key == "content" and name == "meta"))]
        if not inside:
            kept.update(_value(found[key]).strip() for key in readable)
            readable = []
        if not rewrite and not readable:
            out.append(tag)
            return inside
        offset = 1 + len(name)  # where attrs begin in the tag ("<name")
        last = 0
        for key in sorted((*rewrite, *readable), key=lambda k: found[k].start(3)):
            a = found[key]
            quoted = a.group(3)[0] in "\"'"
            value_start, value_end = a.start(3) + quoted, a.end(3) - quoted
            out.append(tag[last:offset + value_start])
            if key in rewrite:
                out.append(self.lang)
            else:
                todo.append(len(out))
                out.append(attrs[value_start:value_end])
            last = offset + value_end
        out.append(tag[last:])
        return inside


def _value(attr: re.Match) -> str:
    value = attr.group(3) or ""
    return value[1:-1] if value[:1] in "\"'" else value


# --------------------------------------------------------------------------- the mirror's search index


def mirror_variant(columns: list[dict], mirror: Mirror):
    """How the mirror's search index presents the documents (under its prefix): their text converted (so
    results, snippets and highlights are in Traditional), except documents written in Traditional, and the
    names of columns, kinds, 发布机构 and 有效性 shown converted. Result URLs stay site-relative: search.js
    resolves them against the mirror's root. Filter values stay as they are (they are what the filter menus'
    values and the URLs carry). Documents are converted only when their batch or record is made again."""
    from functools import lru_cache

    from ..search.index import Variant

    convert = converter(mirror.variant)
    one = lru_cache(maxsize=None)(lambda text: convert([text])[0])

    def twin(doc):
        if doc.language and not is_simplified(doc.language):
            return doc
        title, summary, *fields = convert([doc.title, doc.summary, *doc.fields])
        converted = dict(zip(doc.fields, fields))  # the key fields are some of the fields: the same text
        keys = [converted.get(k) or one(k) for k in doc.key_fields]
        return dataclasses.replace(doc, title=title, summary=summary, fields=fields, key_fields=keys)

    return Variant(key=mirror.digest, prefix=mirror.prefix, twin=twin, display=one,
                   columns=[{**c, "name": one(c["name"])} for c in columns])
