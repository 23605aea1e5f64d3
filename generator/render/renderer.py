"""Render the page plan with the theme and hand every file to the writer."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import quote, urlsplit

import jinja2
from markupsafe import Markup

from .. import headers
from ..cache import Cache, code_digest, file_digest, text_digest, tree_digest
from ..output import Writer
from .. import parallel
from ..parallel import beside, ordered_map
from ..readers.markdown import resolve_links
from ..readers.media import make_thumbnail
from ..search import SEARCH_URL
from ..search.index import IndexFiles, Variant, describe, site_columns, update
from ..search.text import documents
from ..structure.reads import noting
from ..structure.site import Site
from .environment import make_environment, relative_url, site_target, theme_error
from .fingerprint import Fingerprinter, TrackedSite
from .mirror import PageConverter, mirror_plan, mirror_variant
from .pages import Job, output_path, plan


def assets(site: Site) -> list[str]:
    """Content files the site publishes: what each type declares (attachments, media) and the files its
    bodies link, each once."""
    found: set[str] = set()
    for t in site.config.types:
        for doc in site.library[t.name]:
            found.update(t.assets(doc))
            found.update(ref.target for body in doc.bodies() for ref in body.links if ref.kind == "asset")
    return sorted(found)


def thumbnails(site: Site) -> list:
    """List-size copies of images that documents show in lists (infographics), made by the renderer."""
    return [doc.thumbnail for doc in site.documents if getattr(doc, "thumbnail", None) is not None]


class Renderer:
    """The theme's Jinja environment over one site graph: renders a page plan's jobs to HTML.

    Templates see ``site`` through :class:`TrackedSite`, so what a page reads
    beyond its own context is recorded for incremental builds.
    """

    def __init__(self, site: Site, theme_dir: Path, mirrored: frozenset[str] = frozenset(),
                 compiled: Path | None = None):
        self.site = site
        self.theme_dir = theme_dir
        self.mirrored = mirrored  # pages with a twin in the 繁體 mirror
        self.env = make_environment(theme_dir, site.config.base_path, mirrored, compiled)
        self.to_mirror = PageConverter(site.config.traditional) if site.config.traditional else None
        base = site.config.base_url

        @jinja2.pass_context
        def absolute(ctx, target: str, exact: bool = False) -> str:
            target = target if exact else site_target(ctx["page"], target, mirrored)
            return base + quote(target, safe="/#?=&%.-_~")

        self.env.globals.update(
            site=TrackedSite(site),
            search_url=SEARCH_URL,
            site_domain=urlsplit(base).netloc,
            content_security_policy=headers.meta_csp(site.config),
            absolute=absolute,
        )
        site_lang = site.config.language

        @jinja2.pass_context
        def lang_attr(ctx, doc=None) -> Markup:
            """` lang="…"` for a document's title where it stands among text in another language (a 繁體
            title in a list, a 简体 one on a 繁體 document's page), or without a document for a value of the
            site's own vocabularies (主题分类, 发布机构) there; nothing where the languages agree."""
            lang = getattr(doc, "language", None) or site_lang
            return Markup(' lang="%s"') % lang if lang != (ctx.get("ui_lang") or ctx["page"].lang) else Markup("")

        self.env.globals["lang_attr"] = lang_attr
        self.env.filters["query_escape"] = lambda s: quote(str(s), safe="")
        self.env.globals["html"] = jinja2.pass_context(lambda ctx, rendered: self._html(ctx, rendered))

    def _html(self, ctx, rendered) -> Markup:
        """A rendered Markdown part with its link tokens resolved relative to the current page."""
        if rendered is None:
            return Markup("")
        page = ctx["page"]

        def target(ref):
            url = self.site.url_of_source.get(ref.target) if ref.kind == "page" else ref.target
            if url is None:
                return None
            return relative_url(page.url, site_target(page, url, self.mirrored) + ("#" + ref.fragment if ref.fragment
                                                                                 else ""))

        return Markup(resolve_links(rendered.html, rendered.links, target))

    def preload(self) -> None:
        """Compile every template of the theme now, before workers are forked: each worker (a new one every
        :data:`RENEW_AFTER` pages) then finds them compiled instead of loading them again. A template that does
        not compile is left for the page that uses it to report, as without preloading."""
        for name in self.env.list_templates(filter_func=lambda n: not n.startswith(".")):
            try:
                self.env.get_template(name)
            except (jinja2.TemplateError, UnicodeDecodeError):
                pass

    def render(self, job: Job) -> str:
        try:
            template = self.env.get_template(job.template)
            html = template.render(page=job.page, **job.context)
            return self.to_mirror(html) if job.page.mirror else html
        except jinja2.TemplateError as e:
            raise theme_error(e, self.theme_dir, job.template) from None
        except Exception as e:
            located = theme_error(e, self.theme_dir, job.template, require_frame=True)
            if located is None:
                raise  # not in a template: a bug in the generator, keep the traceback
            raise located from None


@dataclass
class RenderStats:
    written: int = 0
    reused: int = 0
    #: What the new output holds, for the cache: page URL → (fingerprint, [[dependency, digest]]),
    #: content file → digest. Stored only once the output has been swapped in.
    pages: dict[str, tuple[str, list]] = field(default_factory=dict)
    assets: dict[str, str] = field(default_factory=dict)


_renderer: Renderer | None = None  # inherited by forked workers
_writer: Writer | None = None
#: Pages a worker renders before a new one is forked in its place. A worker copies the parts of the site graph
#: its pages touch (measured at 4,000 documents: one worker rendering every page, +115 MB; 256 pages, +25 MB).
#: Renewed every 1,024 pages, the build's peak memory at 10,000 documents went from 1,040–1,070 MB to
#: 790–900 MB (two runs each), for no measurable time at 4,000 (renewing every 256 pages cost 8%).
RENEW_AFTER = 1024


def _render_one(job: Job) -> list:
    """Render one page into the new output; return what it read while rendering (worker side)."""
    assert _renderer is not None and _writer is not None
    with noting() as uses:
        html = _renderer.render(job)
    _writer.put(output_path(job.url), html)
    return sorted(uses)


@dataclass
class _Claims:
    """Everything a build writes besides its pages, claimed in the writer before anything is written."""

    static: list[Path]
    headers: dict[str, str]
    published: list[str]
    thumbnails: list


def _claim(site: Site, theme_dir: Path, writer: Writer, plan_jobs: list[Job]) -> _Claims:
    """Claim every path first: collisions are found before anything is written, also in workers."""
    for job in plan_jobs:
        writer.claim(output_path(job.url), origin=f"page {job.url or '/'}")
    static = theme_dir / "static"
    static_root = static.resolve()
    # Only files really inside the theme: a symlink in static/ must not publish /etc/passwd.
    static_files = sorted(p for p in static.rglob("*") if p.is_file() and static_root in p.resolve().parents) \
        if static.is_dir() else []
    for src in static_files:
        writer.claim("static/" + src.relative_to(static).as_posix(), origin=f"theme file {src}")
    header_files = headers.files(site.config)
    for rel in header_files:
        writer.claim(rel, origin="security headers")
    published = assets(site)
    for rel in published:
        writer.claim(rel, origin=f"content file {rel}")
    thumbs = thumbnails(site)
    for thumb in thumbs:
        writer.claim(thumb.url, origin=f"thumbnail of {thumb.source}")
    return _Claims(static_files, header_files, published, thumbs)


def render_site(site: Site, theme_dir: Path, writer: Writer, *, cache: Cache | None = None,
                previous: Path | None = None, jobs: int = 1,
                progress: Callable[[int, int], None] | None = None) -> RenderStats:
    """Write every page, the theme's static files and the published content files.

    With a cache and the previous output, a page whose fingerprint (and whatever
    it read while rendering) is unchanged is linked from the previous output
    instead of rendered; the result is byte-identical to a full build.
    """
    global _renderer, _writer
    plan_jobs, mirrored = plan(site), frozenset()
    if site.config.traditional is not None:
        plan_jobs, mirrored = mirror_plan(plan_jobs, site.config.traditional, site.config.language)
    claims = _claim(site, theme_dir, writer, plan_jobs)
    stats = RenderStats()
    old_assets = cache.assets() if cache is not None and previous is not None else {}

    def sink(rel: str, data: bytes) -> None:
        writer.claim(rel, origin="search index")
        writer.put(rel, data)

    def search() -> None:  # made here while the workers render (one core would otherwise wait)
        for index in _search_indexes(site, cache, old_assets, previous, sink):
            # Claimed and written as soon as made, in the new output only (a collision still fails the build
            # before the swap): the index's bytes are not held while the rest of the pages render.
            for rel in index.files:
                writer.claim(rel, origin="search index")
            index.write(writer, previous)
            stats.assets.update(index.digests)

    # Fingerprints are computed in one process, not in every worker: each would walk the whole graph again and
    # copy the memory it touches (measured: no faster on two cores).
    global_digest = text_digest(code_digest(), site.config.digest, site.structure, tree_digest(theme_dir),
                                site.config.traditional.digest if site.config.traditional else "")
    fingerprints = Fingerprinter(site, global_digest)
    known = cache.pages() if cache is not None and previous is not None else {}
    if known:  # which pages to render, found in a worker while this process updates the search index
        sorting = beside(lambda: _sort_out(plan_jobs, known, fingerprints, writer, previous), search,
                         jobs if len(plan_jobs) >= parallel.MIN_PARALLEL_ITEMS else 1)
        fingerprints.known_dependencies(sorting.dependencies)
        searched = True
    else:
        sorting, searched = _sort_out(plan_jobs, known, fingerprints, writer, previous), False
    todo = [plan_jobs[n] for n in sorting.todo]
    keys = sorting.keys
    stats.written += sorting.data_files
    stats.reused += len(sorting.reused)
    stats.pages.update((url, known[url]) for url in sorting.reused)
    total = len(plan_jobs)
    if progress:
        progress(stats.reused + stats.written, total)

    def alongside() -> None:
        if not searched:
            search()
        if cache is not None and not known:  # nothing to reuse: the fingerprints are only for the next build
            keys.update((job.url, fingerprints.page_key(job)) for job in todo)

    _renderer = Renderer(site, theme_dir, mirrored, cache.templates_dir if cache is not None else None)
    _writer = writer
    try:
        used = ordered_map(_render_one, todo, jobs, (lambda n: progress(n, total)) if progress else None,
                           alongside=alongside, renew_after=RENEW_AFTER, before_fork=_renderer.preload)
    finally:
        _renderer = _writer = None
    for job, uses in zip(todo, used):
        stats.written += 1
        deps = [[list(dep), fingerprints.dependency_digest(dep)] for dep in uses]
        if keys.get(job.url) is not None and all(digest is not None for _, digest in deps):
            stats.pages[job.url] = (keys[job.url], deps)
    _write_files(site, theme_dir, writer, claims, previous, old_assets, stats)
    return stats


@dataclass
class _Sorting:
    """Which pages of the plan to render (``todo``, their numbers in it) and which were linked from the previous
    output (``reused``, by URL); made in a worker, so plain data that pickles small."""

    todo: list[int]
    reused: list[str]
    keys: dict[str, str | None]  # page URL → fingerprint, of the pages checked
    dependencies: dict[tuple, str | None]  # what the reused pages read, and its digest now
    data_files: int = 0  # files of data only (no template), written as they are


def _sort_out(plan_jobs: list[Job], known: dict[str, tuple[str, list]], fingerprints: Fingerprinter,
              writer: Writer, previous: Path | None) -> _Sorting:
    """The pages to render. The others are linked from the previous output: their fingerprints, and what they
    read while rendering, are unchanged. Files made of data only are written here. With nothing to reuse
    (``known`` empty) no fingerprint is made here: a cold build makes them while the workers render."""
    sorting = _Sorting([], [], {}, {})
    for n, job in enumerate(plan_jobs):
        if job.template is None:
            writer.put(output_path(job.url), job.data)
            sorting.data_files += 1
            continue
        if not known:
            sorting.todo.append(n)
            continue
        key = sorting.keys[job.url] = fingerprints.page_key(job)
        entry = known.get(job.url)
        if key is not None and entry is not None and entry[0] == key and \
                all(fingerprints.dependency_digest(dep) == digest for dep, digest in entry[1]) and \
                writer.reuse(previous, output_path(job.url)):
            sorting.reused.append(job.url)
        else:
            sorting.todo.append(n)
            if entry is not None:  # what it read last time it will most likely read again: digested here
                for dep, _ in entry[1]:
                    fingerprints.dependency_digest(dep)
    sorting.dependencies = fingerprints.dependencies
    return sorting


def _write_files(site: Site, theme_dir: Path, writer: Writer, claims: _Claims, previous: Path | None,
                 old_assets: dict[str, str], stats: RenderStats) -> None:
    """The theme's static files, the security headers, the published content files and thumbnails; the
    content files and thumbnails unchanged since the previous output are linked from it."""
    content_dir = site.config.content_dir
    static = theme_dir / "static"
    for src in claims.static:
        writer.put("static/" + src.relative_to(static).as_posix(), src.read_bytes())
    for rel, text in claims.headers.items():
        writer.put(rel, text)
    for rel in claims.published:
        digest = file_digest(content_dir / rel)
        if not (old_assets.get(rel) == digest and writer.reuse(previous, rel)):
            writer.put(rel, (content_dir / rel).read_bytes())
        stats.assets[rel] = digest
    for thumb in claims.thumbnails:
        digest = text_digest(file_digest(content_dir / thumb.source), str(thumb.width), str(thumb.height))
        if not (old_assets.get(thumb.url) == digest and writer.reuse(previous, thumb.url)):
            writer.put(thumb.url, make_thumbnail(content_dir / thumb.source, thumb.width, max_height=thumb.height))
        stats.assets[thumb.url] = digest


def _search_indexes(site: Site, cache: Cache | None, old_assets: dict[str, str], previous: Path | None,
                    sink: Callable[[str, bytes], None]) -> Iterator[IndexFiles]:
    """The site's search index and the 繁體 mirror's, each made from what changed since the previous build."""
    docs, columns = documents(site), site_columns(site)  # made once: both indexes share them
    variants = [Variant()]
    if site.config.traditional is not None:
        variants.append(mirror_variant(columns, site.config.traditional))
    description = describe(docs)
    batches, folders = set(), set()
    for variant in variants:  # one at a time: each is written before the next is made
        index = update(docs, columns, site.config, variant=variant, cache=cache, previous=previous,
                       old_assets=old_assets, description=description, sink=sink)
        batches.update(index.batches)
        folders.add(index.folder)
        yield index
    if cache is not None:
        cache.keep_search_batches(batches, folders)
