"""The edited page first: ``serve`` renders the page of a document an editor just saved before the build.

A rebuild re-derives the whole site and takes seconds on a large one; the
editor is looking at one page. :class:`Preview` keeps the site graph of the
last good build in memory and, for a saved document it already knows, reads
that one file, gives the new document the facts the graph derived for the old
one (its URL, relations, 索引号 … — exactly what its type declares as
``derived``), and renders its page(s) with the theme. ``serve`` shows those
pages at once, then the full build replaces them with what it writes, which
also updates every list, relation and search entry the edit touched.

Anything the preview cannot vouch for is left to the build: a new, deleted or
unknown file, a file with errors, a theme or site.yaml change.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..cache import recording_reads
from ..errors import Report
from ..structure.site import Site
from .mirror import mirror_plan
from .pages import document_jobs, output_path, plan
from .renderer import Renderer


class Preview:
    """Renders single documents' pages over the site graph of the last good build."""

    def __init__(self, site: Site, theme_dir: Path):
        self.site = site
        self.theme_dir = theme_dir
        self.by_source = {os.path.abspath(doc.source): doc for doc in site.documents}
        self.types = {t.name: t for t in site.config.types}
        self.config_file = os.path.abspath(site.config.content_dir / "site.yaml")
        self.theme_prefix = os.path.abspath(theme_dir) + os.sep
        self._renderer: Renderer | None = None

    def renderer(self) -> Renderer:
        """The theme over the site, made once (with the 繁體 mirror, links go to pages that have a twin)."""
        if self._renderer is None:
            mirrored = frozenset()
            if self.site.config.traditional is not None:
                _, mirrored = mirror_plan(plan(self.site), self.site.config.traditional, self.site.config.language)
            self._renderer = Renderer(self.site, self.theme_dir, mirrored)
        return self._renderer

    def warm(self) -> None:
        """Compile the document templates now, not while the editor waits for the first preview."""
        renderer = self.renderer()
        for t in self.site.config.types:
            if t.page is not None and isinstance(t.page.template, str):
                renderer.env.get_template(t.page.template)

    def pages(self, paths: set[str]) -> dict[str, bytes] | None:
        """Output path → HTML of the pages of the saved documents, or ``None`` when only a build can tell
        (site.yaml or the theme changed: every page may look different). Other files are left to the build:
        a new or broken document, an editor's temporary file."""
        out: dict[str, bytes] = {}
        for path in map(os.path.abspath, paths):
            if path == self.config_file or path.startswith(self.theme_prefix):
                return None
            rendered = self._document_pages(path)
            if rendered is not None:
                out.update(rendered)
        return out

    def _document_pages(self, path: str) -> dict[str, bytes] | None:
        old = self.by_source.get(path)
        if old is None or not os.path.isfile(path):
            return None
        decl = self.types[old.type_name]
        if decl.page is None or decl.url is None:
            return None
        report = Report()
        with recording_reads(self.site.today):
            new = decl.read(Path(path), self.site.config, report)
        if new is None or report.errors:
            return None  # the build reports it, with the overlay
        for attr in decl.derived:
            if hasattr(old, attr):
                setattr(new, attr, getattr(old, attr))
        jobs = document_jobs(self.site, decl, new)
        if self.site.config.traditional is not None:
            jobs, _ = mirror_plan(jobs, self.site.config.traditional, self.site.config.language)
        renderer = self.renderer()
        return {output_path(job.url): renderer.render(job).encode("utf-8") for job in jobs
                if job.template is not None}
