"""Tag (标签) and 主题分类 pages: each term with the documents that carry it."""

from __future__ import annotations

from dataclasses import dataclass, field

from .reads import note
from ..config import Term


@dataclass
class TermPage:
    """A tag or 主题分类 with the documents that carry it, newest first."""

    term: Term
    kind: str  # "tag" or "topic"
    url: str
    items_untracked: list = field(default_factory=list)

    @property
    def items(self) -> list:
        """The documents carrying the term. Reading it while a page renders makes that page depend on it."""
        note(("term", self.kind, self.url))
        return self.items_untracked


def term_pages(terms: list[Term], kind: str, prefix: str, documents: list, attr: str) -> list[TermPage]:
    """Pages in vocabulary order; ``documents`` are already sorted newest first."""
    pages = {t.name: TermPage(t, kind, f"{prefix}/{t.slug}/") for t in terms}
    for doc in documents:
        values = getattr(doc, attr)
        for name in values if isinstance(values, list) else [values]:
            pages[name].items_untracked.append(doc)
    return [pages[t.name] for t in terms]


def grouped(pages: list[TermPage]) -> list[tuple[str, list[TermPage]]]:
    """Terms grouped as in the catalogue, in catalogue order."""
    groups: dict[str, list[TermPage]] = {}
    for page in pages:
        groups.setdefault(page.term.group, []).append(page)
    return list(groups.items())
