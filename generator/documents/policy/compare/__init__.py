"""新旧对照: the old and new texts of a document aligned article by article, the changes marked.

A pure function of the two bodies' sanitised HTML, with no site and no theme:
:func:`compare` returns rows (one per article, chapter heading or paragraph)
with a status (新增 / 删除 / 修改 / 未变), the texts with ``<ins>``/``<del>``
marks, and the summary counts.

- :mod:`.units`: the articles (or paragraphs) of a body; text before the first
  article or chapter (an issuing notice, a decision's list of changes) is left
  out and counted; when either body has no articles both are compared by paragraph;
- :mod:`.align`: which old unit becomes which new one (similarity, then an
  order-preserving alignment with a bonus for the same article number);
- :mod:`.marks`: the changes inside a modified unit, in ``<del>`` and ``<ins>``.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from .align import align
from .marks import added, deleted, marked_pair
from .units import Unit, article_units, blocks, cn_number, has_articles, paragraph_units

__all__ = ["Group", "Result", "Row", "cn_number", "compare", "has_articles"]

ADDED, DELETED, MODIFIED, SAME = "新增", "删除", "修改", "未变"
STATUSES = (MODIFIED, ADDED, DELETED, SAME)  # the order of the summary
STATUS_CLASS = {ADDED: "added", DELETED: "deleted", MODIFIED: "modified", SAME: "same"}


@dataclass(frozen=True)
class Row:
    """One unit of the comparison: an article, a heading or a paragraph, old and new."""

    kind: str  # "article", "heading" or "paragraph"
    status: str  # 新增, 删除, 修改 or 未变
    label: str  # 第九条 (the new numbering; the old one for a deleted unit), a heading's text, 第3段
    former: str | None  # the old label when it differs (原第八条), for a renumbered unit
    old: tuple[Markup, ...]  # the old text by paragraph, deletions marked ((), for an added unit)
    new: tuple[Markup, ...]  # the new text by paragraph, additions marked ((), for a deleted unit)
    anchor: str  # the row's id on the page

    @property
    def status_class(self) -> str:
        return STATUS_CLASS[self.status]


@dataclass(frozen=True)
class Group:
    """A heading (a chapter) and the rows under it; the first group of a text without one has none."""

    heading: Row | None
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Result:
    mode: str  # "article" or "paragraph"
    groups: tuple[Group, ...]
    counts: dict[str, int]  # rows of the main unit (articles or paragraphs) by status, in STATUSES order
    heading_counts: dict[str, int]
    preamble: tuple[int, int]  # blocks before the first article, old and new, not compared

    @property
    def unit(self) -> str:
        return "条" if self.mode == "article" else "段"

    @property
    def summary(self) -> str:
        """修改 12 条，新增 3 条，删除 1 条，未变 20 条 (the page writes the same from ``counts``)."""
        return "，".join(f"{status} {n} {self.unit}" for status, n in self.counts.items())

    @property
    def heading_changes(self) -> list[tuple[str, int]]:
        """The headings changed, by status (修改 1, 新增 5); empty when every heading stayed."""
        return [(status, n) for status, n in self.heading_counts.items() if n and status != SAME]

    @property
    def changed(self) -> list[Row]:
        """Every changed article (or paragraph), in reading order: the page's index of changes."""
        return [row for group in self.groups for row in group.rows if row.status != SAME]


def units_of(old_html: str, new_html: str) -> tuple[str, list[Unit], list[Unit], tuple[int, int]]:
    """The mode and the units compared: articles when both texts have them, else paragraphs."""
    old_blocks, new_blocks = blocks(old_html), blocks(new_html)
    (old_units, old_skipped), (new_units, new_skipped) = article_units(old_blocks), article_units(new_blocks)
    if any(u.kind == "article" for u in old_units) and any(u.kind == "article" for u in new_units):
        return "article", old_units, new_units, (old_skipped, new_skipped)
    return "paragraph", paragraph_units(old_blocks), paragraph_units(new_blocks), (0, 0)


def _row(old: Unit | None, new: Unit | None, anchor: str) -> Row:
    if new is None:
        return Row(old.kind, DELETED, old.label, None, tuple(deleted(old.text)), (), anchor)
    if old is None:
        return Row(new.kind, ADDED, new.label, None, (), tuple(added(new.text)), anchor)
    # A renumbered article or chapter says where it was; a paragraph's position is no news.
    former = old.label if old.label != new.label and new.kind != "paragraph" else None
    if old.text == new.text:
        same = tuple(escape(p) for p in new.paras)
        return Row(new.kind, SAME, new.label, former, same, same, anchor)
    marked_old, marked_new = marked_pair(old.text, new.text)
    return Row(new.kind, MODIFIED, new.label, former, tuple(marked_old), tuple(marked_new), anchor)


def compare(old_html: str, new_html: str) -> Result:
    """Align two bodies and mark their differences (see the module's docstring)."""
    mode, old, new, preamble = units_of(old_html, new_html)
    groups: list[Group] = []
    current: tuple[Row | None, list[Row]] = (None, [])
    counts = dict.fromkeys(STATUSES, 0)
    heading_counts = dict.fromkeys(STATUSES, 0)
    for k, (i, j) in enumerate(align(old, new)):
        row = _row(old[i] if i is not None else None, new[j] if j is not None else None, f"d{k + 1}")
        if row.kind == "heading":
            if current[0] is not None or current[1]:
                groups.append(Group(current[0], tuple(current[1])))
            current = (row, [])
            heading_counts[row.status] += 1
        else:
            current[1].append(row)
            counts[row.status] += 1
    if current[0] is not None or current[1]:
        groups.append(Group(current[0], tuple(current[1])))
    return Result(mode, tuple(groups), counts, heading_counts, preamble)
