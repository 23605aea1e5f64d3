"""The printed tables: header ids, ``headers`` attributes and spans computed here, so templates only loop.

Separate because it is presentation (accessible table markup and the flat
form of the CSV download), built from rows already read and checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable

from .cells import Row, _format, _rows_of
from .national_format import (_APPLICANT_HEAD, APPEAL_ROWS, BALANCE_NOTE, OUTCOME_COLUMNS, PROACTIVE_BLOCKS,
                              REQUEST_ROWS, T_APPEALS, T_PROACTIVE, T_REQUESTS, Node, RowSpec)


@dataclass(frozen=True)
class Header:
    """A ``<th>``: ``headers`` lists the ids of the headers above (or left of) it."""

    text: str
    id: str
    scope: str  # "col" or "row"
    colspan: int = 1
    rowspan: int = 1
    headers: str = ""


@dataclass(frozen=True)
class Corner:
    """The top-left ``<td>`` of a table with row and column headers (table 三's 勾稽关系 note)."""

    text: str
    colspan: int
    rowspan: int


@dataclass(frozen=True)
class DataCell:
    """A ``<td>``: ``headers`` lists every row and column header that applies, outermost first."""

    text: str
    headers: str
    value: int | Decimal
    line: int
    total: bool = False


@dataclass(frozen=True)
class BodyRow:
    headers: tuple[Header, ...]  # the row headers that start in this row
    cells: tuple[DataCell, ...]
    total: bool = False


@dataclass(frozen=True)
class Table:
    """A table ready for the template, and its flat form for the CSV download."""

    id: str
    caption: str
    csv_title: str
    corner: Corner | None
    head: tuple[tuple[Header, ...], ...]
    body: tuple[BodyRow, ...]
    csv_header: tuple[str, ...]
    csv_rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class _RowNode:
    label: str
    children: tuple["_RowNode", ...] = ()
    row: Row | None = None
    total: bool = False


def _depth(nodes) -> int:
    return max((1 + _depth(n.children) for n in nodes), default=0)


def _leaves(node) -> int:
    return sum(_leaves(c) for c in node.children) if node.children else 1


class _Ids:
    """Header ids, unique on the page and the same in every build: ``report-t3-c1``, ``report-t3-r1`` …"""

    def __init__(self, prefix: str):
        self.prefix, self.counts = prefix, {}

    def __call__(self, kind: str) -> str:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        return f"{self.prefix}-{kind}{self.counts[kind]}"


def _head(columns: tuple[Node, ...], ids: _Ids, lead: list[Header]) -> tuple[list[list[Header]], list[list[Header]]]:
    """Header rows of a column tree, and for each data column the headers above it (outermost first)."""
    depth = _depth(columns)
    rows: list[list[Header]] = [list(lead) if i == 0 else [] for i in range(depth)]
    paths: list[list[Header]] = []

    def walk(node: Node, level: int, above: list[Header]):
        headers = " ".join(h.id for h in above)
        if node.children:
            h = Header(node.label, ids("c"), "col", colspan=_leaves(node), headers=headers)
            rows[level].append(h)
            for child in node.children:
                walk(child, level + 1, [*above, h])
        else:
            h = Header(node.label, ids("c"), "col", rowspan=depth - level, headers=headers)
            rows[level].append(h)
            paths.append([*above, h])

    for node in columns:
        walk(node, 0, [])
    return rows, paths


def _body(nodes: tuple[_RowNode, ...], ids: _Ids, col_paths: list[list[Header]],
          lead: list[Header]) -> tuple[list[BodyRow], list[tuple[str, ...]]]:
    """Body rows of a row tree; also the CSV rows (row label path, then the numbers)."""
    width = _depth(nodes)
    body: list[BodyRow] = []
    flat: list[tuple[str, ...]] = []
    pending: list[Header] = []

    def walk(node: _RowNode, level: int, left: list[Header]):
        headers = " ".join(h.id for h in [*lead, *left])
        if node.children:
            h = Header(node.label, ids("r"), "row", rowspan=_leaves(node), headers=headers)
            pending.append(h)
            for child in node.children:
                walk(child, level + 1, [*left, h])
            return
        h = Header(node.label, ids("r"), "row", colspan=width - level, headers=headers)
        pending.append(h)
        row_path = [*left, h]
        cells = tuple(
            DataCell(_format(c.value), " ".join(x.id for x in [*row_path, *col]), c.value, c.line,
                     total=node.total or col[-1].text == "总计")
            for c, col in zip(node.row.cells, col_paths)
        )
        body.append(BodyRow(tuple(pending), cells, node.total))
        pending.clear()
        flat.append(("/".join(x.text for x in row_path), *(c.text for c in cells)))

    for node in nodes:
        walk(node, 0, [])
    return body, flat


def _csv_header(col_paths: list[list[Header]]) -> list[str]:
    return ["/".join(h.text for h in path) for path in col_paths]


def _proactive_tables(rows: dict[str, Row]) -> list[Table]:
    tables = []
    for n, block in enumerate(PROACTIVE_BLOCKS, 1):
        table_id = f"report-t2-{n}"
        ids = _Ids(table_id)
        content = Header("信息内容", ids("c"), "col")
        head, col_paths = _head(tuple(Node(c.label) for c in block.columns), ids, [content])
        nodes = tuple(_RowNode(s.label, row=rows[s.attr]) for s in block.rows)
        body, flat = _body(nodes, ids, col_paths, [content])
        tables.append(Table(table_id, block.caption, f"二、{T_PROACTIVE} {block.caption}", None,
                            tuple(map(tuple, head)), tuple(body), ("信息内容", *_csv_header(col_paths)),
                            tuple(flat)))
    return tables


def _request_nodes(values: dict, specs: Iterable[RowSpec]) -> tuple[_RowNode, ...]:
    return tuple(
        _RowNode(s.label, _request_nodes(values[s.attr], s.children)) if s.children
        else _RowNode(s.label, row=values[s.attr], total=s.attr == "total")
        for s in specs
    )


def _requests_table(values: dict) -> Table:
    table_id = "report-t3"
    ids = _Ids(table_id)
    nodes = _request_nodes(values, REQUEST_ROWS)
    head, col_paths = _head(_APPLICANT_HEAD, ids, [])
    body, flat = _body(nodes, ids, col_paths, [])
    corner = Corner(BALANCE_NOTE, _depth(nodes), len(head))
    return Table(table_id, T_REQUESTS, f"三、{T_REQUESTS}", corner, tuple(map(tuple, head)), tuple(body),
                 ("项目", *_csv_header(col_paths)), tuple(flat))


def _appeals_table(values: dict) -> Table:
    table_id = "report-t4"
    ids = _Ids(table_id)
    outcomes = tuple(Node(c.label) for c in OUTCOME_COLUMNS)
    columns = (Node("行政复议", outcomes),
               Node("行政诉讼", (Node("未经复议直接起诉", outcomes), Node("复议后起诉", outcomes))))
    head, col_paths = _head(columns, ids, [])
    rows = _rows_of(values, APPEAL_ROWS)
    cells = [c for r in rows.values() for c in r.cells]
    data = tuple(DataCell(_format(c.value), " ".join(h.id for h in col), c.value, c.line, total=col[-1].text == "总计")
                 for c, col in zip(cells, col_paths))
    return Table(table_id, T_APPEALS, f"四、{T_APPEALS}", None, tuple(map(tuple, head)), (BodyRow((), data),),
                 tuple(_csv_header(col_paths)), (tuple(d.text for d in data),))
