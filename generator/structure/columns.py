"""The column tree (栏目): URLs, ancestry, and which documents each column lists."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

from .reads import note
from ..config import ColumnSpec, ListSpec, SiteConfig
from ..errors import Report


@dataclass(eq=False)
class Column:
    """A column (栏目) in the built tree: its URL, parent and children, what it lists (``items``, filled
    from the library by its ``list:`` filters) or the disclosure page it shows."""

    spec: ColumnSpec
    url: str
    parent: "Column | None" = None
    children: list["Column"] = field(default_factory=list)
    items_untracked: list = field(default_factory=list)
    page: object = None  # the DisclosurePage shown at this column's URL, if the spec names one

    @property
    def items(self) -> list:
        """What the column lists. Reading it while a page renders makes that page depend on it."""
        note(("column", self.url))
        return self.items_untracked

    @items.setter
    def items(self, value: list) -> None:
        self.items_untracked = value

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def slug(self) -> str:
        return self.spec.slug

    @property
    def description(self) -> str:
        return self.spec.description

    @property
    def list(self) -> ListSpec | None:
        return self.spec.list

    @property
    def empty_reason(self) -> str:
        return self.spec.empty_reason

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def depth(self) -> int:
        return len(self.ancestors)

    @property
    def ancestors(self) -> list["Column"]:
        """Outermost first, not including this column."""
        out = []
        node = self.parent
        while node is not None:
            out.append(node)
            node = node.parent
        return out[::-1]

    @property
    def trail(self) -> list["Column"]:
        return [*self.ancestors, self]

    @property
    def root(self) -> "Column":
        return self.trail[0]

    def walk(self) -> Iterator["Column"]:
        yield self
        for child in self.children:
            yield from child.walk()


def build_columns(specs: list[ColumnSpec], parent: Column | None = None) -> list[Column]:
    out = []
    for spec in specs:
        column = Column(spec, (parent.url if parent else "") + spec.slug + "/", parent)
        column.children = build_columns(spec.children, column)
        out.append(column)
    return out


def walk_all(roots: list[Column]) -> Iterator[Column]:
    for root in roots:
        yield from root.walk()


def matches(spec: ListSpec, item) -> bool:
    """Does ``item`` belong in a column listing ``spec``? A list-valued field (标签) matches on any value."""
    if spec.type != item.type_name:
        return False
    for name, wanted in spec.filters:
        value = getattr(item, name)
        if isinstance(value, list):
            if not wanted.intersection(value):
                return False
        elif value not in wanted:
            return False
    return True


def fill_columns(roots: list[Column], items_by_type: dict[str, list], config: SiteConfig,
                 report: Report) -> dict[tuple[str, str], Column]:
    """Fill every listing column; return each item's home column (keyed by type and id).

    The deepest column that lists an item is its home: the breadcrumb then shows
    the full disclosure path (… > 履职依据 > 规范性文件), not a general library.
    """
    home: dict[tuple[str, str], Column] = {}
    for column in walk_all(roots):
        if column.list is None:
            continue
        column.items = [item for item in items_by_type.get(column.list.type, []) if matches(column.list, item)]
        for item in column.items:
            key = (item.type_name, item.id)
            if key not in home or column.depth > home[key].depth:
                home[key] = column
    for type_name, items in items_by_type.items():
        for item in items:
            if (type_name, item.id) not in home:
                report.warning(item.source, item.line, f"the {type_name} is not listed in any column",
                               "add a column to site.yaml whose `list:` takes it (check its 文种/有效性/形式)",
                               code="unlisted")
    for column in walk_all(roots):
        if not column.is_leaf or column.empty_reason:
            continue
        if column.list is not None and not column.items:
            report.error(config.path, column.spec.line, f"column {column.name!r} lists nothing",
                         "government site checks fail empty columns: add content, or give the column an "
                         "`empty_reason:` (e.g. 本机关未制定此类文件) that is shown instead", code="empty-column")
        elif column.list is None and column.spec.page is None:
            report.error(config.path, column.spec.line, f"column {column.name!r} has no list, page or children",
                         "give it a `list:`, a `page:` or `children:`, or an `empty_reason:`", code="empty-column")
    return home
