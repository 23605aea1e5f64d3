"""The report's tables as a CSV download that Excel opens with the Chinese intact.

Separate because it is an output format of its own, with its own safety
rule (no cell that a spreadsheet would run as a formula).
"""

from __future__ import annotations

import csv
import io

from .model import AnnualReport


def _csv_safe(value: str) -> str:
    """Text that spreadsheet programs will not run as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def to_csv(rep: AnnualReport) -> str:
    """The report's tables as CSV: UTF-8 with a BOM (so Excel reads Chinese), CRLF, deterministic.

    One block per printed table: its title, one header row (a multi-level
    header is flattened to ``法人或其他组织/商业企业``), the data rows; blocks
    are separated by a blank line. The first block names the report.
    """
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow([_csv_safe(rep.title)])
    w.writerow(["发布机构", _csv_safe(rep.issuer)])
    w.writerow(["发布日期", rep.published.isoformat()])
    w.writerow(["统计期限", f"{rep.year}年1月1日至{rep.year}年12月31日"])
    for table in rep.tables:
        w.writerow([])
        w.writerow([table.csv_title])
        w.writerow(table.csv_header)
        for row in table.csv_rows:
            w.writerow(row)
    return "\ufeff" + out.getvalue()
