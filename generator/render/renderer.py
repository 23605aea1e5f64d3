"""Render the page plan with the theme and hand every file to the writer."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, urlsplit

import jinja2

from ..output import Writer
from ..structure.site import Site
from .environment import make_environment, theme_error
from .pages import Job, output_path, plan


def assets(site: Site) -> list[str]:
    """Content files the site publishes: attachments and files linked from bodies, each once."""
    found: set[str] = set()
    for doc in site.policies:
        found.update(a.path for a in doc.attachments)
        found.update(ref.target for ref in doc.body.links if ref.kind == "asset")
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
        writer.write(output_path(job.url), renderer.render(job), origin=f"page {job.url or '/'}")
    static = theme_dir / "static"
    if static.is_dir():
        for src in sorted(p for p in static.rglob("*") if p.is_file()):
            writer.copy(src, "static/" + src.relative_to(static).as_posix(), origin=f"theme file {src}")
    content_dir = site.config.content_dir
    for rel in assets(site):
        writer.copy(content_dir / rel, rel, origin=f"content file {rel}")
    return len(jobs)
