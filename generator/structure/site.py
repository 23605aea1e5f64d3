"""The site graph: every document, column, relation and taxonomy, built once.

Built after all content is read and before anything is rendered, so that
cross-links, the home column of each document, listings and site-wide checks
(unique ids and URLs, references, empty columns) see the whole site. The
graph knows no content type by name: it follows the declarations in
``config.types`` (see :mod:`generator.documents`), each of which may add a
pass over the library (a policy's relations, an interpretation's policies).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from ..config import SiteConfig
from ..errors import Report, display_path
from ..documents.withdrawn import Withdrawal
from .columns import Column, build_columns, fill_columns, walk_all
from .index_numbers import check_index_numbers
from .taxonomy import TermPage, grouped, term_pages


@dataclass
class Site:
    """The whole site as templates and the page plan see it.

    ``library`` holds every document by type name, in each type's order
    (policies newest first, the directory in directory order …); ``columns``
    is the column tree with what each column lists; ``home_column`` the
    deepest column listing each document (its breadcrumb).
    """

    config: SiteConfig
    library: dict[str, list]
    columns: list[Column]
    home_column: dict[tuple[str, str], Column]  # (type, id) → column
    tags: list[TermPage]
    topics: list[TermPage]
    url_of_source: dict[str, str]  # content-relative path → URL
    withdrawn: list[Withdrawal] = field(default_factory=list)  # content/withdrawn.yaml, newest first

    @property
    def today(self) -> dt.date:
        """The build date: every date-dependent fact is computed from it."""
        return self.config.today

    @property
    def policies(self) -> list:
        return self.library.get("policy", [])

    @property
    def interpretations(self) -> list:
        return self.library.get("interpretation", [])

    @property
    def annual_reports(self) -> list:
        return self.library.get("annual_report", [])

    @property
    def institutions(self) -> list:
        return self.library.get("institution", [])

    @property
    def documents(self) -> list:
        """Every document of every type, in registry order."""
        return [doc for t in self.config.types for doc in self.library.get(t.name, [])]

    @property
    def indexed(self) -> list:
        """Every document of a type that carries a 索引号: they share one numbering."""
        return [doc for t in self.config.types if t.indexed for doc in self.library.get(t.name, [])]

    @cached_property
    def contact_url(self) -> str | None:
        """The column showing the 联系方式 page (the footer links it), if there is one. (Every page's footer
        asks; the tree is complete once the graph is assembled.)"""
        return next((c.url for c in walk_all(self.columns) if c.page is not None and c.page.kind == "联系方式"), None)

    @property
    def structure(self) -> str:
        """What every page's frame may show beyond site.yaml: which kind of page each column shows."""
        return "|".join(f"{c.url}={c.page.kind if c.page is not None else ''}" for c in walk_all(self.columns))

    @property
    def pages(self) -> list:
        """The disclosure pages, in column order."""
        return [c.page for c in walk_all(self.columns) if c.page is not None]

    @cached_property
    def all_columns(self) -> list[Column]:
        return list(walk_all(self.columns))

    @property
    def tag_groups(self) -> list[tuple[str, list[TermPage]]]:
        return grouped(self.tags)

    def home_of(self, item) -> Column | None:
        return self.home_column.get((item.type_name, item.id))

    def tag_page(self, name: str) -> TermPage | None:
        return next((t for t in self.tags if t.term.name == name), None)

    def topic_page(self, name: str) -> TermPage | None:
        return next((t for t in self.topics if t.term.name == name), None)


def unique_ids(documents: list, report: Report) -> list:
    """The documents of one type whose id (file name) no earlier one has; each duplicate is a located error."""
    by_id: dict[str, object] = {}
    unique = []
    for p in documents:
        other = by_id.get(p.id)
        if other is not None:
            report.error(p.source, 1, f"document id {p.id!r} is also used by {display_path(other.source)}",
                         "file names must be unique across all content folders; rename one", code="duplicate-id")
            continue
        by_id[p.id] = p
        unique.append(p)
    return unique


def _assign_urls(library: dict[str, list], config: SiteConfig, report: Report) -> None:
    owner: dict[str, object] = {}
    for t in config.types:
        if t.url is None:
            continue
        for doc in library[t.name]:
            doc.url = config.urls[t.name].format(id=doc.id, year=getattr(doc, "year", ""))
            other = owner.setdefault(doc.url, doc)
            if other is not doc:  # two URL patterns of site.yaml `urls:` meet
                report.error(doc.source, 1, f"its page {doc.url} is also the page of {display_path(other.source)}",
                             "rename one of the files, or give the two types different `urls:` in site.yaml",
                             code="duplicate-url")


def _show_pages(columns: list[Column], pages: list, home: dict) -> None:
    """Each disclosure page is shown at the column that names it (the first, if several do)."""
    by_id = {page.id: page for page in pages}
    for column in walk_all(columns):
        page = by_id.get(column.spec.page or "")
        if page is not None:
            column.page = page
            page.url, page.column_description = column.url, column.description
            home.setdefault((page.type_name, page.id), column)


def _check_links(site: Site, report: Report) -> None:
    for doc in site.documents:
        for body in doc.bodies():
            for ref in body.links:
                if ref.kind == "page" and ref.target not in site.url_of_source:
                    report.unresolved(doc.source, ref.line, f"link to {ref.target} does not lead to a published page",
                                      "link to a document's .md file, or to an attachment", "link",
                                      name=ref.target, what="link", types=tuple(site.library))


def assemble(config: SiteConfig, documents: dict[str, list], report: Report,
             withdrawn: list[Withdrawal] | None = None) -> Site:
    """Build the graph from every document read (by type) and add every site-wide problem to ``report``."""
    library = {t.name: t.order(unique_ids(documents.get(t.name, []), report)) for t in config.types}
    _assign_urls(library, config, report)
    for t in config.types:
        if t.link is not None:
            t.link(library, config, report)
    columns = build_columns(config.columns)
    listed = {t.name: library[t.name] for t in config.types if t.list_filters is not None}
    home = fill_columns(columns, listed, config, report)
    _show_pages(columns, [doc for t in config.types if t.url is None for doc in library[t.name]], home)
    policies = library.get("policy", [])
    site = Site(
        config=config, library=library, columns=columns, home_column=home,
        tags=term_pages(config.tags, "tag", "tags", policies, "tags"),
        topics=term_pages(config.topics, "topic", "topics", policies, "topic"),
        url_of_source={}, withdrawn=withdrawn or [],
    )
    check_index_numbers(site.indexed, site.withdrawn, config, report)
    root = config.content_dir
    site.url_of_source = {d.source.relative_to(root).as_posix(): d.url for d in site.documents if d.url}
    _check_links(site, report)
    return site
