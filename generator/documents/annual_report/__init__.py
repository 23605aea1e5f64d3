"""The 政府信息公开工作年度报告 in the national 2021 format (国办公开办函〔2021〕30号).

One YAML file per year, ``content/annual-reports/<year>.yaml``. The report has
six fixed sections; 一、五、六 are Markdown written by the editor, 二、三、四
are the national statistics tables. Editors copy those numbers from a
spreadsheet and typos are common, while the tables are checked arithmetically
by supervisors and by the public; so every cell keeps its line, and every
broken rule of the format (the 勾稽关系 of table 三, the totals of table 四) is
reported at the cell, naming the table, the row, the column and both numbers.

The row keys are the national row names (numbering such as ``一、`` or ``1.``
may be kept when pasted from the template), so a report reads like the
printed form. The model keeps the numbers (for checks and the CSV download)
and presentation-ready tables whose header ids and ``headers`` attributes are
computed here: templates only loop.

The package has one module per job; this module re-exports the public names,
so callers keep importing from ``generator.documents.annual_report``:

- :mod:`.national_format`: the tables of the national format, as data;
- :mod:`.cells`: the numbers, cell by cell, and the rows they make;
- :mod:`.rules`: the arithmetic rules of tables 三 and 四;
- :mod:`.schemas`: the schema of a report file (also the README reference);
- :mod:`.tables`: the printed tables and their CSV form;
- :mod:`.model`: :class:`AnnualReport` and its sections;
- :mod:`.reading`: :func:`read_annual_report`, one file into the model;
- :mod:`.crosschecks`: against the policy library, and between years.
"""

from __future__ import annotations

from ..base import ContentType, DocumentMeta, PageSpec, SearchSpec
from .cells import Cell, Cells, Row
from .crosschecks import check_against_library, check_years, library_counts
from .model import AnnualReport, Section
from .national_format import (APPEAL_ROWS, APPLICANT_COLUMNS, BALANCE_NOTE, IN_FORCE, ISSUED, NUMERALS,
                              OUTCOME_COLUMNS, PROACTIVE_BLOCKS, REPEALED, REQUEST_ROWS, SECTION_TITLES, T_APPEALS,
                              T_PROACTIVE, T_REQUESTS, Column, Node, RowSpec)
from .reading import read_annual_report
from .schemas import ANNUAL_REPORT_SCHEMA, ANNUAL_REPORT_SCHEMAS, APPEALS_SCHEMA, PROACTIVE_SCHEMA, REQUESTS_SCHEMA
from .tables import BodyRow, Corner, DataCell, Header, Table

__all__ = [
    "ANNUAL_REPORT_SCHEMA", "ANNUAL_REPORT_SCHEMAS", "APPEALS_SCHEMA", "APPEAL_ROWS", "APPLICANT_COLUMNS",
    "BALANCE_NOTE", "IN_FORCE", "ISSUED", "NUMERALS", "OUTCOME_COLUMNS", "PROACTIVE_BLOCKS",
    "PROACTIVE_SCHEMA", "REPEALED", "REQUESTS_SCHEMA", "REQUEST_ROWS", "SECTION_TITLES", "T_APPEALS", "T_PROACTIVE",
    "T_REQUESTS", "AnnualReport", "BodyRow", "Cell", "Cells", "Column", "Corner", "DataCell", "Header", "Node", "Row",
    "RowSpec", "Section", "Table", "check_against_library", "check_years", "library_counts", "read_annual_report",
    "TYPE", "csv_rows",
]


def csv_rows(rep: AnnualReport) -> list[list[str]]:
    """The report's tables for the CSV download: one block per printed table (its title, one header row —
    a multi-level header flattened to ``法人或其他组织/商业企业`` — and the data rows), blocks separated by
    a blank row; the first block names the report."""
    rows = [[rep.title], ["发布机构", rep.issuer], ["发布日期", rep.published.isoformat()],
            ["统计期限", f"{rep.year}年1月1日至{rep.year}年12月31日"]]
    for table in rep.tables:
        rows += [[], [table.csv_title], list(table.csv_header), *map(list, table.csv_rows)]
    return rows


def _context(site, rep: AnnualReport) -> dict:
    return {"report": rep, "csv_url": f"{rep.id}.csv"}


def _meta(site, rep: AnnualReport) -> DocumentMeta:
    return DocumentMeta(rep.issuer, ["政府信息公开", "年度报告"], rep.published, rep.published, rep.description)


def _is_number(cell: str) -> bool:
    return cell.replace(",", "").replace(".", "").replace("-", "").strip().isdigit()


def search_fields(rep: AnnualReport) -> list[str]:
    out = [rep.title, rep.issuer, rep.index_no or ""]
    for section in rep.sections:
        out += [section.heading, *(b.text if b is not None else "" for b in (section.text, section.note))]
        for table in section.tables:  # captions and row/column labels; the numbers are not worth matching
            labels = [*table.csv_header, *(c for row in table.csv_rows for c in row if not _is_number(c))]
            out += [table.caption, " ".join(p for p in labels if p)]
    return out


def _link(library: dict, config, report) -> None:
    for rep in library["annual_report"]:
        check_against_library(rep, library.get("policy", []), config.agency.sponsor, report)
    check_years(library["annual_report"], report)


TYPE = ContentType(
    name="annual_report", label="年度报告", folder="annual-reports", suffixes=(".yaml", ".yml"),
    model=AnnualReport, read=read_annual_report, schemas=ANNUAL_REPORT_SCHEMAS, url="nb/{id}/",
    list_filters=(), order=lambda docs: sorted(docs, key=lambda r: r.sort_key, reverse=True), link=_link,
    page=PageSpec("annual_report.html", _context, _meta, files=lambda rep: {f"{rep.id}.csv": csv_rows(rep)}),
    search=SearchSpec(search_fields, lambda r: r.published, lambda r: r.description,
                      lambda r, config: {"issuer": r.issuer}, lambda r: [r.index_no]),
)
