"""Checks that need more than one file: a report against the policy library, and consecutive years.

Separate because they run once the whole site is read, and only warn: the
library may be incomplete, and the report is the official record.
"""

from __future__ import annotations

import datetime as dt

from ...config import REPEALED_STATES
from ...errors import Report
from .model import AnnualReport
from .national_format import IN_FORCE, ISSUED, REPEALED, T_PROACTIVE, T_REQUESTS


def library_counts(policies: list, sponsor: str, year: int) -> dict[str, list]:
    """The agency's own 规范性文件 issued in, repealed in, and in force at the end of ``year``.

    A document counts as repealed on its 有效性变更日期 when it is 失效 or 废止
    today; an amended (已修改) document stays in force.
    """
    end = dt.date(year, 12, 31)
    own = [p for p in policies if p.category == "规范性文件" and p.issuer == sponsor]

    def gone_by(p, day: dt.date) -> bool:
        return p.validity in REPEALED_STATES and p.validity_date is not None and p.validity_date <= day

    key = lambda p: (p.published, p.id)  # noqa: E731
    return {
        ISSUED: sorted((p for p in own if p.published.year == year), key=key),
        REPEALED: sorted((p for p in own if p.validity in REPEALED_STATES and p.validity_date is not None
                          and p.validity_date.year == year), key=key),
        IN_FORCE: sorted((p for p in own if p.published <= end and not gone_by(p, end)), key=key),
    }


def _doc_list(docs: list, limit: int = 8) -> str:
    if not docs:
        return "none"
    shown = "、".join(f"《{p.title}》({p.id})" for p in docs[:limit])
    return shown + (f" and {len(docs) - limit} more" if len(docs) > limit else "")


def check_against_library(rep: AnnualReport, policies: list, sponsor: str, report: Report) -> None:
    """Warn where the report's 行政规范性文件 numbers differ from what the policy library holds.

    Warnings, not errors: the library may be incomplete (older documents not
    yet entered), and the report is the official record; but a mismatch is
    usually a typo in one or the other, which is what supervisors check.
    """
    counted = library_counts(policies, sponsor, rep.year)
    row = rep.proactive["normative"]
    what = {ISSUED: f"published in {rep.year}", REPEALED: f"repealed or expired in {rep.year}",
            IN_FORCE: f"in force on {rep.year}-12-31"}
    for column, docs in counted.items():
        cell = row.cell(column)
        if cell.value != len(docs):
            report.warning(rep.source, cell.line,
                           f"{T_PROACTIVE} › 行政规范性文件 › {column} is {cell.value} but the policy library has "
                           f"{len(docs)} 规范性文件 of {sponsor} {what[column]}: {_doc_list(docs)}",
                           "correct the report, or the 文种/发布机构/发布日期/有效性 of the documents in "
                           "content/policies/ (documents missing from the library are not counted)",
                           code="annual-report-library")


def check_years(reports: list[AnnualReport], report: Report) -> None:
    """Warnings between consecutive years: 现行有效 carried forward, 结转 carried over, copied text."""
    by_year = {r.year: r for r in reports}
    for rep in sorted(reports, key=lambda r: r.year):
        prev = by_year.get(rep.year - 1)
        if prev is None:
            continue
        for attr, name in (("rules", "规章"), ("normative", "行政规范性文件")):
            before, row = prev.proactive[attr].cell(IN_FORCE).value, rep.proactive[attr]
            issued, repealed, now = (row.cell(c).value for c in (ISSUED, REPEALED, IN_FORCE))
            if before + issued - repealed != now:
                report.warning(rep.source, row.cell(IN_FORCE).line,
                               f"{T_PROACTIVE} › {name} › {IN_FORCE} is {now} but {prev.year}'s {before} + {issued} "
                               f"{ISSUED} − {repealed} {REPEALED} = {before + issued - repealed}",
                               f"现行有效({rep.year}) = 现行有效({prev.year}) + 本年制发 − 本年废止; check this row and "
                               f"{prev.source.name}", code="annual-report-series")
        old, new = prev.requests["carried_forward"], rep.requests["carried_over"]
        for before, cell in zip(old.cells, new.cells):
            if before.value != cell.value:
                report.warning(rep.source, cell.line,
                               f"{T_REQUESTS} › 上年结转, column {cell.column}: {cell.value} but {prev.year}'s "
                               f"结转下年度继续办理 is {before.value}",
                               f"applications carried forward at the end of {prev.year} are carried over into "
                               f"{rep.year}; check this row and {prev.source.name} line {before.line}",
                               code="annual-report-series")
        for n, attr in ((0, "overview"), (4, "problems")):
            a, b = prev.sections[n].text, rep.sections[n].text
            if a and b and a.text == b.text:
                report.warning(rep.source, rep.lines[attr],
                               f"{rep.sections[n].heading} is word for word the same as in {prev.year}",
                               "reports must not be copied from year to year (国办公开办函〔2021〕30号); describe "
                               f"{rep.year}", code="annual-report-series")
