"""The page plan: every page the site has, its URL, template and context.

The plan is derived from the site graph alone, so it is the same in every
process and in every build of the same content (parallel and incremental
builds rely on that).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..search import SEARCH_URL, search_context
from ..structure.columns import Column
from ..structure.pagination import Pager, paginate
from ..structure.site import Site
from ..structure.taxonomy import TermPage
from .exports import csv_text, directory_csv, directory_json, group_institutions

HOME_LATEST = 10


@dataclass
class PageView:
    """What every template knows about the page being rendered."""

    url: str
    title: str
    kind: str
    lang: str
    breadcrumbs: list[tuple[str, str | None]] = field(default_factory=list)
    column: Column | None = None
    description: str = ""
    meta: dict[str, str] = field(default_factory=dict)
    absolute_links: bool = False
    updated: "dt.date | None" = None  # for sitemap.xml <lastmod>
    #: On the 繁體 mirror: its path prefix ("zh-hant/"); "" on the site itself (see generator.render.mirror).
    mirror: str = ""
    #: The page in each script when the mirror is on (mirror.Version, simplified first), for the 简/繁 switch.
    versions: tuple = ()

    @property
    def section(self) -> Column | None:
        """The top-level column this page is in, for highlighting the navigation."""
        return self.column.root if self.column else None


@dataclass
class Job:
    """One output file: a page rendered from ``template``, or ``data`` written as it is (CSV, JSON)."""

    url: str
    template: str | None
    page: PageView | None
    context: dict[str, Any] = field(default_factory=dict)
    data: str | bytes | None = None


def output_path(url: str) -> str:
    """The file a URL is written to: ``a/b/`` → ``a/b/index.html``."""
    return url + "index.html" if url.endswith("/") or url == "" else url


def _newest(items) -> dt.date | None:
    return max((getattr(d, "published", None) or d.updated for d in items), default=None)


def _column_items(column: Column) -> list:
    return [item for c in column.walk() for item in c.items]


def _crumbs(site: Site, column: Column | None, last: str | None = None) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = [("首页", "")]
    if column is not None:
        out += [(c.name, c.url) for c in column.trail]
    if last is not None:
        out.append((last, None))
    else:
        out[-1] = (out[-1][0], None)
    return out


def _column_meta(site: Site, column: Column | None, column_type: str) -> dict[str, str]:
    return {"ColumnName": column.name if column else site.config.name, "ColumnType": column_type}


def _pager_title(title: str, pager: Pager) -> str:
    return title if pager.number == 1 else f"{title}（第{pager.number}页）"


def _home(site: Site) -> Job:
    page = PageView("", site.config.name, "home", site.config.language, [], None, site.config.description,
                    {"ColumnName": "首页", "ColumnType": "首页"}, updated=_newest(site.policies))
    return Job("", "home.html", page, {"latest": site.policies[:HOME_LATEST]})


DIRECTORY_FILE = "minglu"  # 名录: the directory's CSV and JSON files are minglu.csv and minglu.json


def _directory(site: Site, column: Column, meta: dict, crumbs) -> list[Job]:
    """The institution directory: one grouped page (not paginated) and its data files."""
    insts = column.items
    page = PageView(column.url, column.name, "column", site.config.language, crumbs, column,
                    column.description or column.name, meta, updated=max((i.updated for i in insts), default=None))
    context = {"column": column, "groups": group_institutions(insts, site.config.institution_categories,
                                                              site.config.districts),
               "csv_url": DIRECTORY_FILE + ".csv", "json_url": DIRECTORY_FILE + ".json",
               "complaints_phone": site.config.agency.complaints_phone}
    return [Job(column.url, "institutions.html", page, context),
            Job(column.url + DIRECTORY_FILE + ".csv", None, None, data=directory_csv(insts)),
            Job(column.url + DIRECTORY_FILE + ".json", None, None,
                data=directory_json(insts, site.config.name, site.config.base_url,
                                    site.config.agency.complaints_phone))]


def _columns(site: Site) -> list[Job]:
    jobs = []
    for column in site.all_columns:
        meta = _column_meta(site, column, "信息列表" if column.list else "栏目导航")
        if column.list is not None and column.list.type == "institution":
            jobs += _directory(site, column, meta, _crumbs(site, column))
            continue
        listing = _listing(site, column, meta)
        if listing is not None:
            jobs.append(listing)
            continue
        pagers = paginate(column.items, site.config.per_page, column.url) if column.list else [None]
        for pager in pagers:
            title = _pager_title(column.name, pager) if pager else column.name
            crumbs = _crumbs(site, column)
            if pager and pager.number > 1:
                crumbs = _crumbs(site, column, f"第{pager.number}页")
                crumbs[-2] = (column.name, column.url)
            doc = column.page if pager is None or pager.number == 1 else None
            if doc is not None:
                title, meta = doc.title, {**meta, "ColumnType": "信息页"}
            page = PageView(pager.url if pager else column.url, title, "column", site.config.language, crumbs, column,
                            column.description or column.name, meta,
                            updated=doc.updated if doc else _newest(pager.items if pager else _column_items(column)))
            template = _template_of(site, doc) if doc is not None else "column.html"
            jobs.append(Job(page.url, template, page, {"column": column, "pager": pager, "doc": doc,
                                                       **_view(site, column, pager)}))
    return jobs


def _listing(site: Site, column: Column, meta: dict) -> Job | None:
    """A column listing a type that shows its list as one page of its own (a ``ColumnView`` with a template)."""
    spec = _column_view(site, column)
    if spec is None or spec.template is None:
        return None
    page = PageView(column.url, column.name, "column", site.config.language, _crumbs(site, column), column,
                    column.description or column.name, meta, updated=_newest(column.items))
    return Job(column.url, spec.template, page, {"column": column, **spec.context(site, column)})


def _column_view(site: Site, column: Column):
    """The ColumnView of the type a column lists, if it declares one."""
    return next((t.column for t in site.config.types if column.list is not None and t.name == column.list.type),
                None)


def _view(site: Site, column: Column, pager: Pager | None) -> dict:
    """What the listed type's ColumnView adds to a list page: headed groups and its scripts."""
    view = _column_view(site, column)
    if view is None or pager is None:
        return {"groups": None, "scripts": ()}
    return {"groups": view.groups(list(pager.items), column.items) if view.groups else None,
            "scripts": view.scripts}


def _template_of(site: Site, doc) -> str:
    spec = next(t.page for t in site.config.types if t.name == doc.type_name)
    return spec.template(doc) if callable(spec.template) else spec.template


def document_jobs(site: Site, decl, doc) -> list[Job]:
    """A document's own page, as its type declares it, and the files published beside it."""
    spec = decl.page
    column = site.home_of(doc)
    meta = spec.meta(site, doc)
    page_meta = {**_column_meta(site, column, "文章"), "ArticleTitle": doc.title, "PubDate": meta.date.isoformat(),
                 "ContentSource": meta.source, "Keywords": ",".join(meta.keywords), "Description": meta.description}
    page = PageView(doc.url, doc.title, "document", meta.language or site.config.language,
                    _crumbs(site, column, doc.title), column, meta.description, page_meta, updated=meta.updated)
    jobs = [Job(doc.url, _template_of(site, doc), page, spec.context(site, doc))]
    for name, rows in (spec.files(doc) if spec.files is not None else {}).items():
        jobs.append(Job(doc.url + name, None, None, data=csv_text(rows)))
    return jobs


def _comparison(site: Site, comparison) -> Job:
    """A 新旧对照 page, under the newer document (see :mod:`generator.documents.policy.comparisons`).

    Its context is the pair: both documents' digests are its fingerprint, so an edit to either text renders
    it again; the comparison itself is computed while the page renders.
    """
    old, new = comparison.old, comparison.new
    column = site.home_of(new)
    crumbs = _crumbs(site, column, "新旧对照")
    crumbs.insert(-1, (new.title, new.url))
    description = f"{comparison.title}：新旧文本逐一对照，标出新增、删除和修改的内容。"
    meta = {**_column_meta(site, column, "文章"), "ArticleTitle": comparison.title,
            "PubDate": new.published.isoformat(), "ContentSource": new.issuer, "Description": description}
    page = PageView(comparison.url, comparison.title, "comparison", new.language or site.config.language, crumbs,
                    column, description, meta, updated=max(old.published, new.published))
    return Job(comparison.url, "comparison.html", page, {"comparison": comparison, "old": old, "new": new})


def _terms(site: Site, groups: list[tuple[str, list[TermPage]]], kind: str, url: str, name: str) -> list[Job]:
    crumbs = [("首页", ""), (name, None)]
    index = PageView(url, name, "terms", site.config.language, crumbs, None, name,
                     {"ColumnName": name, "ColumnType": "分类导航"})
    jobs = [Job(url, "terms.html", index, {"groups": groups, "kind": kind, "heading": name})]
    terms = [t for _, members in groups for t in members]
    for term in terms:
        if not term.items:
            continue
        for pager in paginate(term.items, site.config.per_page, term.url):
            title = _pager_title(f"{name}：{term.term.name}", pager)
            crumbs = [("首页", ""), (name, url), (term.term.name, None if pager.number == 1 else term.url)]
            if pager.number > 1:
                crumbs.append((f"第{pager.number}页", None))
            page = PageView(pager.url, title, "term", site.config.language, crumbs, None, title,
                            {"ColumnName": name, "ColumnType": "信息列表"}, updated=_newest(pager.items))
            jobs.append(Job(pager.url, "term.html", page, {"term": term, "pager": pager, "heading": name}))
    return jobs


#: ColumnType meta of the site-wide pages, for gov-site crawlers.
_COLUMN_TYPES = {"sitemap": "网站地图", "404": "错误页", "feed": "订阅", "sitemap-xml": "网站地图", "withdrawn": "信息列表"}

#: The page listing content/withdrawn.yaml (已撤销文件), written when it has a record.
WITHDRAWN_URL = "chexiao/"


SEARCH_TITLE = "站内搜索"


def _search(site: Site) -> Job:
    page = PageView(SEARCH_URL, SEARCH_TITLE, "search", site.config.language, [("首页", ""), (SEARCH_TITLE, None)],
                    None, f"{site.config.name}{SEARCH_TITLE}", {"ColumnName": SEARCH_TITLE, "ColumnType": "搜索"})
    return Job(SEARCH_URL, "search.html", page, search_context(site))


def _simple(site: Site, url: str, template: str, title: str, kind: str, absolute: bool = False,
            **context) -> Job:
    crumbs = [("首页", ""), (title, None)]
    page = PageView(url, title, kind, site.config.language, crumbs, None, title,
                    {"ColumnName": title, "ColumnType": _COLUMN_TYPES[kind]}, absolute_links=absolute)
    return Job(url, template, page, context)


def plan(site: Site) -> list[Job]:
    """Every page of the site, in a deterministic order."""
    jobs = [_home(site)]
    jobs += _columns(site)
    jobs += [job for t in site.config.types if t.page is not None and t.url is not None
             for doc in site.library[t.name] for job in document_jobs(site, t, doc)]
    jobs += [_comparison(site, c) for p in site.policies for c in p.comparisons if c.new is p]
    jobs += _terms(site, site.tag_groups, "tag", "tags/", "标签")
    jobs += _terms(site, [("", site.topics)], "topic", "topics/", "主题分类")
    jobs.append(_search(site))
    if site.withdrawn:
        jobs.append(_simple(site, WITHDRAWN_URL, "withdrawn.html", "已撤销文件", "withdrawn", withdrawn=site.withdrawn))
    jobs.append(_simple(site, "sitemap/", "sitemap.html", "网站地图", "sitemap",
                        withdrawn_url=WITHDRAWN_URL if site.withdrawn else None))
    listed = [(job.url, job.page.updated) for job in jobs if job.page is not None]
    jobs.append(_simple(site, "404.html", "404.html", "页面未找到", "404", absolute=True))
    feed = site.policies[: site.config.feed_entries]
    jobs.append(_simple(site, "feed.xml", "feed.xml", "最新文件", "feed", entries=feed,
                        updated=_newest(feed) or dt.date(1970, 1, 1)))
    jobs.append(_simple(site, "sitemap.xml", "sitemap.xml", "sitemap.xml", "sitemap-xml", entries=listed))
    return jobs
