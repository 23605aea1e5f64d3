"""The numbers of the statistics tables, cell by cell: each written value becomes a number with its line.

Separate because it is where editors' typos are caught (text, full-width
digits, thousands separators, a missing column), each bad cell reported on
its own, before any arithmetic rule looks at the rows.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable

from ...readers.yaml_loader import Mapping, Sequence
from ...schema import AlreadyReported, FieldType, Invalid, Record, Scope, did_you_mean, type_name
from .national_format import Column, RowSpec


@dataclass(frozen=True)
class Cell:
    """One number of a table, with the line it was written on."""

    column: str
    value: int | Decimal
    line: int


@dataclass(frozen=True)
class Row:
    """The numbers of one row, in column order. ``path`` names it as the YAML does (不予公开 › 属于国家秘密)."""

    path: str
    cells: tuple[Cell, ...]
    line: int

    @property
    def values(self) -> list:
        return [c.value for c in self.cells]

    def cell(self, column: str) -> Cell:
        return next(c for c in self.cells if c.column == column)


_FULLWIDTH_DIGITS = re.compile("[０-９]")
_PLAIN_NUMBER = re.compile(r"\s*\d+(\.\d+)?\s*")
_GROUPED_NUMBER = re.compile(r"\s*\d{1,3}([,，]\d{3})+(\.\d+)?\s*")
_NOTHING = {"-", "—", "－", "/", "无", "空", "—/—", "——"}


def _format(value: int | Decimal) -> str:
    return format(value, "f") if isinstance(value, Decimal) else str(value)


class Cells(FieldType):
    """A row of numbers: a list in column order, a mapping column → number, or one number.

    Each cell is checked on its own and every bad cell is reported, so a row
    with two typos gives two errors, each naming table, row and column.
    """

    def __init__(self, table: str, row: str, columns: tuple[Column, ...], money: bool = False):
        self.table, self.row, self.columns, self.money = table, row, columns, money
        what = "a non-negative number" if money else "a whole number"
        if len(columns) == 1:
            self.label = f"{what} ({columns[0].label})"
        else:
            self.label = f"a list of {len(columns)} whole numbers: " + ", ".join(c.label for c in columns)

    def example(self) -> str:
        return "0" if len(self.columns) == 1 else "[" + ", ".join("0" for _ in self.columns) + "]"

    def _where(self, column: Column | None = None) -> str:
        parts = [self.table, self.row]
        if column is not None:
            parts.append(column.label)
        return " › ".join(parts)

    def convert(self, value, scope, line):
        where = self._where()
        n = len(self.columns)
        order = "、".join(c.label for c in self.columns)
        if isinstance(value, Mapping):
            items = self._from_mapping(value, scope)
            if items is None:
                raise AlreadyReported()
        elif isinstance(value, list):
            if len(value) != n:
                scope.error(line, f"{where}: {len(value)} number(s) but the table has {n} columns ({order})",
                            f"write {n} numbers in this order, 0 where there is nothing: {self.example()}",
                            code="annual-report-cells")
                raise AlreadyReported()
            lines = [value.line_of(i) if isinstance(value, Sequence) else line for i in range(n)]
            items = list(zip(self.columns, value, lines))
        elif n == 1:
            items = [(self.columns[0], value, line)]
        else:
            scope.error(line, f"{where}: expected {self.label}, got {type_name(value)}",
                        f"write the {n} numbers of the row as a list: {self.example()}", code="annual-report-cells")
            raise AlreadyReported()
        cells, ok = [], True
        for column, raw, cell_line in items:
            try:
                cells.append(Cell(column.label, self._number(raw), cell_line))
            except Invalid as e:
                scope.error(cell_line, f"{self._where(column)}: {e.message}", e.hint, code="annual-report-cells")
                ok = False
        if not ok:
            raise AlreadyReported()
        return Row(self.row, tuple(cells), line)

    def _from_mapping(self, value: Mapping, scope: Scope):
        by_name = {}
        for c in self.columns:
            for name in (c.label, *c.aliases):
                by_name[name] = c
        found: dict[str, tuple] = {}
        ok = True
        for key, raw in value.items():
            column = by_name.get(key)
            if column is None:
                scope.error(value.line_of(key), f"{self._where()}: unknown column {key!r}",
                            did_you_mean(key, by_name) or "columns: " + "、".join(c.label for c in self.columns),
                            code="annual-report-cells")
                ok = False
            elif column.label in found:
                scope.error(value.line_of(key), f"{self._where()}: column {column.label} is given twice",
                            "keep only one of them", code="annual-report-cells")
                ok = False
            else:
                found[column.label] = (column, raw, value.line_of(key))
        for c in self.columns:
            if c.label not in found and ok:
                scope.error(value.line, f"{self._where()}: column {c.label} is missing",
                            f"add `{c.label}: 0` (write 0 where there is nothing to report)",
                            code="annual-report-cells")
                ok = False
        return [found[c.label] for c in self.columns] if ok else None

    def _number(self, raw) -> int | Decimal:
        nothing = "write 0 where there is nothing to report"
        if raw is None:
            raise Invalid("the cell is empty", nothing)
        if isinstance(raw, bool):
            raise Invalid(f"expected a number, got {type_name(raw)}", "write digits only, e.g. 3")
        if isinstance(raw, str):
            text = raw.strip()
            if _FULLWIDTH_DIGITS.search(text):
                hint = "use ASCII digits 0–9, not full-width digits"
            elif _GROUPED_NUMBER.fullmatch(text):
                hint = "write the number without thousands separators, e.g. 1200"
            elif _PLAIN_NUMBER.fullmatch(text):
                hint = f"remove the quotes: write {text}, not \"{text}\""
            elif text in _NOTHING or not text:
                hint = nothing
            else:
                hint = "write digits only, e.g. 3"
            raise Invalid(f"expected a number, got text {text!r}", hint)
        if not isinstance(raw, (int, float)):
            raise Invalid(f"expected a number, got {type_name(raw)}", "write digits only, e.g. 3")
        if isinstance(raw, float) and not math.isfinite(raw):
            raise Invalid(f"{raw!r} is not a number", "write digits only, e.g. 3")
        if raw < 0:
            raise Invalid(f"{_format(raw)} is negative", "counts and amounts cannot be negative")
        if self.money:
            return Decimal(repr(raw)) if isinstance(raw, float) else raw
        if isinstance(raw, float):
            hint = f"write {int(raw)}" if raw.is_integer() else "a number of cases is a whole number"
            raise Invalid(f"{raw!r} is not a whole number", hint)
        return raw


class _Rows(Record):
    """A mapping of table rows. Keys may keep the national numbering (``1.属于国家秘密``)."""

    def convert(self, value, scope, line):
        if isinstance(value, Mapping):
            value = _strip_numbering(value, scope)
        return super().convert(value, scope, line)


_NUMBERING = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+\s*[.．、)）])\s*")


def _strip_numbering(mapping: Mapping, scope: Scope) -> Mapping:
    """The same mapping with ``一、``/``（三）``/``1.`` prefixes removed from its keys, lines kept."""
    if not any(_NUMBERING.match(k) for k in mapping):
        return mapping
    out = Mapping()
    out.line, out.lines = mapping.line, {}
    for key, value in mapping.items():
        bare = _NUMBERING.sub("", key, count=1) or key
        if bare in out:
            scope.error(mapping.line_of(key), f"{key!r} repeats {bare!r} (line {out.lines[bare]})",
                        "keep one of the two", code="duplicate-field")
            continue
        out[bare] = value
        out.lines[bare] = mapping.line_of(key)
    return out


def _rows_of(values: dict, specs: Iterable[RowSpec], path: tuple[str, ...] = ()) -> dict[str, Row]:
    """Flatten converted values into ``{"results.withheld.state_secret": Row}`` in table order."""
    out = {}
    for s in specs:
        if s.children:
            out.update(_rows_of(values[s.attr], s.children, (*path, s.attr)))
        else:
            out[".".join((*path, s.attr))] = values[s.attr]
    return out
