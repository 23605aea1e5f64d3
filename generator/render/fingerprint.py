"""Fingerprints of pages: when two builds give a page the same fingerprint, its HTML is the same.

A page's template sees its context (documents, a pager, a column), the page
view, the site configuration and the theme. The fingerprint hashes all of it:

* every document in the context stands for its *digest*: its source bytes and
  the files it read, plus what the site graph derived for it (URL, 索引号,
  notice, relations, interpretation forms, link targets) and the source hashes
  of the documents it links to directly;
* a column stands for its place in the tree (the tree itself comes from
  site.yaml, which is in the global part); the items of a column or a term are
  not in the fingerprint unless a template actually read them, which
  :func:`generator.structure.reads.note` announces while the page renders;
* ``site`` reaches templates through :class:`TrackedSite`: reading anything but
  the structural parts marks the page *volatile*, and a volatile page is
  rendered on every build.

Anything the walker does not know how to hash makes the page volatile too:
false positives cost time, never correctness.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from typing import Any

from markupsafe import Markup

from ..structure.columns import Column
from ..structure.reads import note
from ..structure.site import Site
from ..structure.taxonomy import TermPage
from .pages import PageView

#: Site attributes whose result is covered by site.yaml (the global part of every fingerprint) or by the
#: digest of the document passed in: reading them does not make a page volatile.
STRUCTURAL = frozenset({
    "config", "columns", "all_columns", "tag_groups", "tags", "topics", "tag_page", "topic_page", "home_of",
    "contact_url",
})


_PAGE_VIEW_FIELDS = dataclasses.fields(PageView)


class Volatile(Exception):
    """The context holds something the walker cannot hash: render the page every time."""


class TrackedSite:
    """The site as templates see it: notes reads of non-structural, content-wide attributes."""

    def __init__(self, site: Site):
        self._site = site

    def __getattr__(self, name: str):
        if name not in STRUCTURAL:
            note(("site", name))
        return getattr(self._site, name)


def _fact(value, deep: bool, derived: dict[str, tuple[str, ...]]):
    """A derived value as plain data. A document stands for its source digest and URL; directly derived
    documents (a policy's 替代文件) also for their own derived facts, one level down (a list shows a
    neighbour's notice), further ones only by id."""
    if hasattr(value, "type_name") and hasattr(value, "source"):
        head = (value.type_name, str(value.source), value.url, getattr(value, "source_digest", ""))
        if not deep:
            return head + (value.id,)
        return head + tuple(_fact(getattr(value, attr, None), False, derived) for attr in derived[value.type_name])
    if isinstance(value, (list, tuple)):
        return tuple(_fact(v, deep, derived) for v in value)
    if isinstance(value, Column):
        return ("column", value.url)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__qualname__,
                *(_fact(getattr(value, f.name), deep, derived) for f in dataclasses.fields(value)))
    return repr(value)


def _derived(doc, derived: dict[str, tuple[str, ...]]) -> tuple:
    """What the site graph derived for a document that its pages (or lists showing it) may show: the
    attributes its content type declares (``ContentType.derived``), and the targets of its body links."""
    facts = tuple((attr, _fact(getattr(doc, attr, None), True, derived)) for attr in derived[doc.type_name])
    links = tuple((ref.kind, ref.target) for body in doc.bodies() for ref in body.links)
    return facts + (links,)


class Fingerprinter:
    """Computes page fingerprints for one build; document digests are computed once each."""

    def __init__(self, site: Site, global_digest: str):
        self.site = site
        self.global_digest = global_digest
        self._docs: dict[int, bytes] = {}
        self._memo: dict[int, bytes] = {}
        self._link_urls = site.url_of_source
        self._derived = {t.name: t.derived for t in site.config.types}
        self.dependencies: dict[tuple, str | None] = {}  # memo of dependency_digest

    def doc_digest(self, doc) -> bytes:
        key = id(doc)
        digest = self._docs.get(key)
        if digest is None:
            derived = _derived(doc, self._derived)
            # Page links in bodies are rewritten to the target's URL: a moved target changes this page.
            targets = tuple(self._link_urls.get(target) for kind, target in derived[-1] if kind == "page")
            digest = hashlib.blake2b(
                repr((doc.type_name, str(doc.source), getattr(doc, "source_digest", None), derived,
                      targets)).encode(),
                digest_size=16).digest()
            if getattr(doc, "source_digest", None) is None:
                raise Volatile(f"{doc.type_name} {doc.source} has no source digest")
            self._docs[key] = digest
        return digest

    def _encode(self, value: Any, depth: int = 0) -> bytes:
        """Bytes that stand for ``value``: scalars spelled out, containers as a (memoised) hash of their parts.

        Containers are memoised by identity: every context object lives until the
        build ends, and large shared parts (a column's page URLs, a document) are
        then hashed once, not once per page.
        """
        t = type(value)
        if t is str or t is Markup:
            return b"s" + value.encode("utf-8", "surrogatepass") + b"\x1f"
        if value is None or t in (int, float, bool):
            return f"{t.__name__[0]}{value!r}\x1f".encode()
        if t in (dt.date, dt.datetime):
            return b"d" + value.isoformat().encode() + b"\x1f"
        key = id(value)
        memo = self._memo.get(key)
        if memo is not None:
            return memo
        if depth > 12:
            raise Volatile("context nested too deeply to fingerprint")
        if hasattr(value, "type_name") and hasattr(value, "source"):
            out = b"D" + self.doc_digest(value)
        elif t is Column:
            page = self.doc_digest(value.page) if value.page is not None else b""
            out = b"C" + value.url.encode() + b"\x1f" + page
        elif t is TermPage:
            out = f"T{value.kind}:{value.url}:{value.term.name}\x1f".encode()
        elif t is Site or t is TrackedSite:
            out = b"S"
        elif t is PageView:
            out = b"P" + self._page_view(value)
        else:
            h = hashlib.blake2b(digest_size=16)
            if t in (list, tuple):
                h.update(b"[")
                for item in value:
                    h.update(self._encode(item, depth + 1))
            elif t is dict:
                h.update(b"{")
                for k in sorted(value, key=str):
                    h.update(self._encode(k, depth + 1))
                    h.update(self._encode(value[k], depth + 1))
            elif dataclasses.is_dataclass(value) and not isinstance(value, type):
                h.update(f"{t.__module__}.{t.__qualname__}(".encode())
                for f in dataclasses.fields(value):
                    h.update(f.name.encode())
                    h.update(self._encode(getattr(value, f.name), depth + 1))
            else:
                raise Volatile(f"cannot fingerprint a {t.__qualname__}")
            out = b"H" + h.digest()
        self._memo[key] = out
        return out

    @staticmethod
    def _page_view(view: PageView) -> bytes:
        """Every page has one, made of plain values (its column aside): one ``repr`` of them all is the same
        as walking them, many times faster. A value repr cannot spell the same way twice (an object's default
        repr has its address) only costs a render."""
        parts = [("column", v.url) if isinstance(v, Column) else v
                 for v in (getattr(view, f.name) for f in _PAGE_VIEW_FIELDS)]
        return hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=16).digest()

    def page_key(self, job) -> str | None:
        """The job's fingerprint, or ``None`` when the page must be rendered every time."""
        h = hashlib.blake2b(digest_size=16)
        h.update(self.global_digest.encode())
        h.update(f"{job.url}\x1f{job.template}\x1f".encode())
        try:
            h.update(self._encode(job.page))
            h.update(self._encode(job.context))
        except Volatile:
            return None
        return h.hexdigest()

    def known_dependencies(self, digests: dict[tuple, str | None]) -> None:
        """Take digests of dependencies made by another process over the same graph (they are the same)."""
        self.dependencies.update(digests)

    def dependency_digest(self, dep: list | tuple) -> str | None:
        """The current digest of something a page read while rendering (``None``: cannot tell)."""
        key = tuple(dep)
        if key not in self.dependencies:
            self.dependencies[key] = self._dependency_digest(key)
        return self.dependencies[key]

    def _dependency_digest(self, dep: tuple) -> str | None:
        kind = dep[0]
        if kind == "site":
            return None
        if kind == "column":
            column = next((c for c in self.site.all_columns if c.url == dep[1]), None)
            if column is None:
                return None
            items = column.items_untracked
        elif kind == "term":
            pages = self.site.tags if dep[1] == "tag" else self.site.topics
            term = next((t for t in pages if t.url == dep[2]), None)
            if term is None:
                return None
            items = term.items_untracked
        else:
            return None
        h = hashlib.blake2b(digest_size=16)
        for item in items:
            h.update(self.doc_digest(item))
        return h.hexdigest()
