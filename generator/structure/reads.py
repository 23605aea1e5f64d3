"""What a page reads from the site graph while it renders, for the fingerprints of incremental builds.

A column's or a term's list of documents is not part of a page's fingerprint
unless the page's template actually reads it. The graph only announces such
reads (:func:`note`); the renderer listens while a page renders
(:func:`noting`) and keeps what it heard with the page. The graph itself
knows nothing of caches.
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager

_heard: contextvars.ContextVar[set | None] = contextvars.ContextVar("generator_reads_of_the_graph", default=None)


def note(dependency: tuple) -> None:
    """Called where collections are read (a column's items, a term's documents, the site's lists)."""
    heard = _heard.get()
    if heard is not None:
        heard.add(dependency)


@contextmanager
def noting():
    """Collect the dependencies noted inside the block (one page's rendering)."""
    heard: set[tuple] = set()
    token = _heard.set(heard)
    try:
        yield heard
    finally:
        _heard.reset(token)
