"""The arithmetic rules of tables 三 and 四: row totals, the 勾稽关系 of each column, the results total.

Separate from the schemas that run them because these are the rules
supervisors and the public check by hand; each broken one names the table,
the row, the column and both numbers.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Iterable

from ...schema import Scope
from .cells import _rows_of
from .national_format import APPEAL_ROWS, APPLICANT_COLUMNS, REQUEST_ROWS, T_APPEALS, T_REQUESTS


def _sum(values: Iterable) -> int | Decimal:
    return sum(values, 0)


def _check_requests(values, mapping, scope: Scope) -> bool:
    """The three rules of table 三: row totals, 本列勾稽关系, and （七）总计 as the sum of the results."""
    rows = _rows_of(values, REQUEST_ROWS)
    ok = True
    parts = APPLICANT_COLUMNS[:-1]
    for row in rows.values():
        total, cells = row.cells[-1], row.cells[:-1]
        added = _sum(c.value for c in cells)
        if total.value != added:
            scope.error(total.line, f"{T_REQUESTS} › {row.path}: 总计 is {total.value} but 自然人 … 其他 add up "
                                    f"to {added}",
                        " + ".join(f"{c.column} {c.value}" for c in cells) + f" = {added}; correct 总计 or one of "
                        f"the {len(parts)} numbers before it", code="annual-report-sum")
            ok = False
    results = {k: r for k, r in rows.items() if k.startswith("results.") and k != "results.total"}
    groups = [s for s in REQUEST_ROWS[2].children if s.attr != "total"]
    for i, column in enumerate(APPLICANT_COLUMNS):
        new, old = rows["new"].cells[i], rows["carried_over"].cells[i]
        done, left = rows["results.total"].cells[i], rows["carried_forward"].cells[i]
        if new.value + old.value != done.value + left.value:
            scope.error(left.line,
                        f"{T_REQUESTS}, column {column.label}: 本年新收 + 上年结转 = {new.value} + {old.value} = "
                        f"{new.value + old.value} but 本年度办理结果 › 总计 + 结转下年度继续办理 = {done.value} + "
                        f"{left.value} = {done.value + left.value}",
                        f"in every column 一 + 二 = 三（七）总计 + 四 (本列数据的勾稽关系); check 本年新收 (line "
                        f"{new.line}), 上年结转 (line {old.line}), 总计 (line {done.line}) and this row",
                        code="annual-report-sum")
            ok = False
        added = _sum(r.cells[i].value for r in results.values())
        if done.value != added:
            by_group = []
            for g in groups:
                prefix = f"results.{g.attr}"
                by_group.append((g.key, _sum(r.cells[i].value for k, r in results.items()
                                             if k == prefix or k.startswith(prefix + "."))))
            scope.error(done.line,
                        f"{T_REQUESTS} › 本年度办理结果 › 总计, column {column.label}: 总计 is {done.value} but "
                        f"予以公开 … 其他处理 add up to {added}",
                        " + ".join(f"{k} {v}" for k, v in by_group) + f" = {added}; correct 总计 or the rows above "
                        "it: （七）总计 = （一）+（二）+ every numbered row of （三）–（六）", code="annual-report-sum")
            ok = False
    return ok


def _check_appeals(values, mapping, scope: Scope) -> bool:
    ok = True
    for row in _rows_of(values, APPEAL_ROWS).values():
        total, parts = row.cells[-1], row.cells[:-1]
        added = _sum(c.value for c in parts)
        if total.value != added:
            scope.error(total.line, f"{T_APPEALS} › {row.path}: 总计 is {total.value} but 结果维持 + 结果纠正 + 其他结果 "
                                    f"+ 尚未审结 = {' + '.join(str(c.value) for c in parts)} = {added}",
                        "correct 总计 or one of the four numbers before it", code="annual-report-sum")
            ok = False
    return ok
