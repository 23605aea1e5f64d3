"""Render the page plan with the theme and hand every file to the writer."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, urlsplit

import jinja2
from markupsafe import Markup

from ..output import Writer
from ..readers.markdown import resolve_links
from ..readers.media import make_thumbnail
from ..structure.site import Site
from .environment import make_environment, relative_url, theme_error
from .pages import Job, output_path, plan


def assets(site: Site) -> list[str]:
    """Content files the site publishes: attachments and files linked from bodies, each once."""
    found: set[str] = set()
    for doc in site.policies:
        found.update(a.path for a in doc.attachments)
    for interp in site.interpretations:
        found.update(m.path for m in (interp.image, interp.poster, interp.captions, *interp.videos, *interp.audios)
                     if m is not None)
    for page in site.pages:
        found.update(page.attachments)
    for doc in (*site.policies, *site.interpretations, *site.reports, *site.pages):
        for body in doc.bodies():
            found.update(ref.target for ref in body.links if ref.kind == "asset")
    return sorted(found)


class Renderer:
    def __init__(self, site: Site, theme_dir: Path):
        self.site = site
        self.theme_dir = theme_dir
        self.env = make_environment(theme_dir, site.config.base_path)
        base = site.config.base_url
        self.env.globals.update(
            site=site,
            site_domain=urlsplit(base).netloc,
            absolute=lambda target: base + quote(target, safe="/#?=&%.-_~"),
        )
        self.env.filters["query_escape"] = lambda s: quote(str(s), safe="")
        self.env.globals["html"] = jinja2.pass_context(lambda ctx, rendered: self._html(ctx, rendered))

    def _html(self, ctx, rendered) -> Markup:
        """A rendered Markdown part with its link tokens resolved relative to the current page."""
        if rendered is None:
            return Markup("")
        page_url = ctx["page"].url

        def target(ref):
            url = self.site.url_of_source.get(ref.target) if ref.kind == "page" else ref.target
            if url is None:
                return None
            return relative_url(page_url, url + ("#" + ref.fragment if ref.fragment else ""))

        return Markup(resolve_links(rendered.html, rendered.links, target))

    def render(self, job: Job) -> str:
        try:
            template = self.env.get_template(job.template)
            return template.render(page=job.page, **job.context)
        except jinja2.TemplateError as e:
            raise theme_error(e, self.theme_dir, job.template) from None
        except Exception as e:
            located = theme_error(e, self.theme_dir, job.template, require_frame=True)
            if located is None:
                raise  # not in a template: a bug in the generator, keep the traceback
            raise located from None


def render_site(site: Site, theme_dir: Path, writer: Writer) -> int:
    """Write every page, the theme's static files and the published content files; return the page count."""
    renderer = Renderer(site, theme_dir)
    jobs = plan(site)
    for job in jobs:
        data = job.data if job.template is None else renderer.render(job)
        writer.write(output_path(job.url), data, origin=f"page {job.url or '/'}")
    static = theme_dir / "static"
    if static.is_dir():
        for src in sorted(p for p in static.rglob("*") if p.is_file()):
            writer.copy(src, "static/" + src.relative_to(static).as_posix(), origin=f"theme file {src}")
    content_dir = site.config.content_dir
    for rel in assets(site):
        writer.copy(content_dir / rel, rel, origin=f"content file {rel}")
    for interp in site.interpretations:
        thumb = interp.thumbnail
        if thumb is not None:
            data = make_thumbnail(content_dir / thumb.source, thumb.width, max_height=thumb.height)
            writer.write(thumb.url, data, origin=f"thumbnail of {thumb.source}")
    return len(jobs)
