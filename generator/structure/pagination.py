"""Split a list into numbered pages with clean URLs (``col/``, ``col/page/2/`` …)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence


@dataclass(frozen=True)
class Pager:
    number: int
    count: int  # number of pages
    url: str
    items: Sequence
    total: int  # number of items over all pages
    first_index: int  # 1-based position of the first item on this page
    urls: tuple[str, ...]

    @property
    def prev_url(self) -> str | None:
        return self.urls[self.number - 2] if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.urls[self.number] if self.number < self.count else None

    @property
    def window(self) -> list[int | None]:
        """Page numbers to link: first, last, and two either side of this one; ``None`` marks a gap."""
        wanted = {1, self.count, *range(self.number - 2, self.number + 3)}
        out: list[int | None] = []
        for n in sorted(x for x in wanted if 1 <= x <= self.count):
            if out and out[-1] is not None and n > out[-1] + 1:
                out.append(None)
            out.append(n)
        return out


def page_url(base: str, number: int) -> str:
    return base if number == 1 else f"{base}page/{number}/"


def paginate(items: Sequence, per_page: int, base_url: str) -> list[Pager]:
    """Always at least one page, so an empty list still renders (with its empty note)."""
    count = max(1, -(-len(items) // per_page))
    urls = tuple(page_url(base_url, n) for n in range(1, count + 1))
    return [
        Pager(n, count, urls[n - 1], items[(n - 1) * per_page: n * per_page], len(items), (n - 1) * per_page + 1,
              urls)
        for n in range(1, count + 1)
    ]
