"""The search page in the page plan.

``search_job(site)`` is the plan entry for ``search/`` (template ``search.html``,
context :func:`generator.search.search_context`); the renderer writes the index files.
"""

from __future__ import annotations

from . import SEARCH_URL, search_context

TITLE = "站内搜索"


def search_job(site):
    """The page plan's Job for the search page."""
    from ..render.pages import Job, PageView  # the render layer imports this module: import late

    page = PageView(SEARCH_URL, TITLE, "search", site.config.language, [("首页", ""), (TITLE, None)], None,
                    f"{site.config.name}{TITLE}", {"ColumnName": TITLE, "ColumnType": "搜索"})
    return Job(SEARCH_URL, "search.html", page, search_context(site))
