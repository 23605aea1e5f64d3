"""The column tree (栏目): URLs, ancestry, and which documents each column lists."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

from ..config import ColumnSpec, ListSpec


@dataclass(eq=False)
class Column:
    spec: ColumnSpec
    url: str
    parent: "Column | None" = None
    children: list["Column"] = field(default_factory=list)
    items: list = field(default_factory=list)

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


_FIELD_OF_FILTER = {"category": "category", "validity": "validity", "topic": "topic", "issuer": "issuer"}


def matches(spec: ListSpec, doc) -> bool:
    """Does ``doc`` belong in a column listing ``spec``? Tags match if any tag is wanted."""
    if spec.type != doc.type_name:
        return False
    for name, wanted in spec.filters:
        if name == "tag":
            if not wanted.intersection(doc.tags):
                return False
        elif getattr(doc, _FIELD_OF_FILTER[name]) not in wanted:
            return False
    return True
