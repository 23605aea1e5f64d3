"""The annual report as the site uses it: metadata, the six sections, the numbers by row.

Separate so that the site graph, the renderer and the cross-checks depend on
the model, not on how a report file is read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ...readers.markdown import LinkRef, RenderedBody, excerpt
from .cells import Row
from .tables import Table


@dataclass
class Section:
    number: str  # 一 … 六
    title: str
    id: str
    text: RenderedBody | None = None
    tables: list[Table] = field(default_factory=list)
    note: RenderedBody | None = None

    @property
    def heading(self) -> str:
        return f"{self.number}、{self.title}"


@dataclass(eq=False)
class AnnualReport:
    """One year's 政府信息公开工作年度报告: metadata, the six sections, the numbers."""

    year: int
    title: str
    published: dt.date
    issuer: str
    index_no: str | None
    source: Path
    line: int
    lines: dict[str, int]
    sections: list[Section]
    #: The numbers by row, in table order: ``proactive["normative"]``, ``requests["results.withheld.state_secret"]``,
    #: ``appeals["litigation.direct"]``.
    proactive: dict[str, Row]
    requests: dict[str, Row]
    appeals: dict[str, Row]
    # --- filled by the site graph
    url: str = ""

    type_name = "annual_report"

    @property
    def id(self) -> str:
        return str(self.year)

    @property
    def tables(self) -> list[Table]:
        return [t for s in self.sections for t in s.tables]

    @property
    def blocks(self) -> list[RenderedBody]:
        return [b for s in self.sections for b in (s.text, s.note) if b is not None]

    @property
    def links(self) -> list[LinkRef]:
        """Links from the Markdown text to content files (pages and assets to publish)."""
        return [ref for b in self.blocks for ref in b.links]

    def bodies(self) -> list[RenderedBody]:
        """Every rendered Markdown part, for link resolution and checks (the site's common protocol)."""
        return self.blocks

    @property
    def description(self) -> str:
        return excerpt(self.sections[0].text.text if self.sections[0].text else "") or self.title

    @property
    def sort_key(self) -> tuple:
        """Sort with ``reverse=True`` for newest first."""
        return (self.year, self.published)
