"""The search page in the page plan, and a stand-alone installer for tests and tools.

``search_job(site)`` is the plan entry for ``search/`` (template ``search.html``,
context :func:`generator.search.search_context`). ``install(site, theme_dir, root)``
writes the index and renders the page into an already built output folder; the
tests use it so that they do not depend on how the build wires search in.
"""

from __future__ import annotations

from pathlib import Path

from . import SEARCH_URL, build_index, search_context

TITLE = "站内搜索"


def search_job(site):
    """The page plan's Job for the search page."""
    from ..render.pages import Job, PageView  # the render layer imports this module: import late

    page = PageView(SEARCH_URL, TITLE, "search", site.config.language, [("首页", ""), (TITLE, None)], None,
                    f"{site.config.name}{TITLE}", {"ColumnName": TITLE, "ColumnType": "搜索"})
    return Job(SEARCH_URL, "search.html", page, search_context(site))


def install(site, theme_dir: Path, root: Path, *, page: bool = True) -> list[str]:
    """Write the index files (and, unless ``page`` is false, search/index.html) under ``root``."""
    files = dict(build_index(site))
    if page:
        from ..render.renderer import Renderer

        files[SEARCH_URL + "index.html"] = Renderer(site, Path(theme_dir)).render(search_job(site)).encode("utf-8")
    for rel, data in files.items():
        target = Path(root, rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return sorted(files)
