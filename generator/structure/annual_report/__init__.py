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
so callers keep importing from ``generator.structure.annual_report``:

- :mod:`.national_format`: the tables of the national format, as data;
- :mod:`.cells`: the numbers, cell by cell, and the rows they make;
- :mod:`.rules`: the arithmetic rules of tables 三 and 四;
- :mod:`.schemas`: the schema of a report file (also the README reference);
- :mod:`.tables`: the printed tables and their CSV form;
- :mod:`.model`: :class:`AnnualReport` and its sections;
- :mod:`.reading`: :func:`read_annual_report`, one file into the model;
- :mod:`.crosschecks`: against the policy library, and between years;
- :mod:`.csv_export`: :func:`to_csv`.
"""

from __future__ import annotations

from .cells import Cell, Cells, Row
from .crosschecks import check_against_library, check_years, library_counts
from .csv_export import to_csv
from .model import AnnualReport, Section
from .national_format import (APPEAL_ROWS, APPLICANT_COLUMNS, BALANCE_NOTE, IN_FORCE, ISSUED, NUMERALS,
                              OUTCOME_COLUMNS, PROACTIVE_BLOCKS, REPEALED, REQUEST_ROWS, SECTION_TITLES, T_APPEALS,
                              T_PROACTIVE, T_REQUESTS, Column, Node, RowSpec)
from .reading import FOLDER, read_annual_report
from .schemas import ANNUAL_REPORT_SCHEMA, ANNUAL_REPORT_SCHEMAS, APPEALS_SCHEMA, PROACTIVE_SCHEMA, REQUESTS_SCHEMA
from .tables import BodyRow, Corner, DataCell, Header, Table

__all__ = [
    "ANNUAL_REPORT_SCHEMA", "ANNUAL_REPORT_SCHEMAS", "APPEALS_SCHEMA", "APPEAL_ROWS", "APPLICANT_COLUMNS",
    "BALANCE_NOTE", "FOLDER", "IN_FORCE", "ISSUED", "NUMERALS", "OUTCOME_COLUMNS", "PROACTIVE_BLOCKS",
    "PROACTIVE_SCHEMA", "REPEALED", "REQUESTS_SCHEMA", "REQUEST_ROWS", "SECTION_TITLES", "T_APPEALS", "T_PROACTIVE",
    "T_REQUESTS", "AnnualReport", "BodyRow", "Cell", "Cells", "Column", "Corner", "DataCell", "Header", "Node", "Row",
    "RowSpec", "Section", "Table", "check_against_library", "check_years", "library_counts", "read_annual_report",
    "to_csv",
]
