"""Read one ``content/annual-reports/<year>.yaml`` into an :class:`~.model.AnnualReport`, reporting every problem.

Separate because it is the one place that touches the file: YAML, the
schema, the dates, the Markdown sections and the privacy screen; what it
builds is the model, the printed tables and the rows.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from ... import privacy
from ...config import SiteConfig
from ...errors import Report
from ...readers import yaml_loader
from ...readers.markdown import RenderedBody, options, render
from ...readers.source import read_text
from ...readers.yaml_loader import Mapping, text_line
from ...schema import AlreadyReported, Date, FieldType, Invalid, Schema, Scope
from .cells import _rows_of, _strip_numbering
from .model import AnnualReport, Section
from .national_format import APPEAL_ROWS, NUMERALS, PROACTIVE_BLOCKS, REQUEST_ROWS, SECTION_TITLES
from .schemas import ANNUAL_REPORT_SCHEMA, APPEALS_SCHEMA, PROACTIVE_SCHEMA, REQUESTS_SCHEMA
from .tables import _appeals_table, _proactive_tables, _requests_table


_HEADING_ID = re.compile(r'<h([1-6]) id="([^"]*)"')
_HEADING = re.compile(r"<(/?)h([1-6])\b")


def _demote(html: str, prefix: str) -> str:
    """Headings inside a section go one level below its <h2>, with ids unique on the page."""
    html = _HEADING_ID.sub(lambda m: f'<h{m[1]} id="{prefix}-{m[2]}"', html)
    return _HEADING.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + 1, 6)}", html)


def _raw(mapping, schema: Schema, attr: str):
    if not isinstance(mapping, Mapping):
        return None, 0
    f = schema.field(attr)
    for key in (f.key, *f.aliases):
        if key in mapping:
            return mapping[key], mapping.line_of(key)
    return None, 0


def _render(value, line: int, source_lines, path: Path, config: SiteConfig, report: Report,
            prefix: str) -> RenderedBody | None:
    if not isinstance(value, str) or not value.strip():
        return None
    body = render(value.strip(), path, config.content_dir, text_line(source_lines, line), options(config))
    report.extend(body.diagnostics)
    return RenderedBody(_demote(body.html, prefix), body.links, [], body.text)


def _quiet(ftype: FieldType, value, scope: Scope):
    """Convert a value whose errors the schema reports anyway; ``None`` when it does not fit."""
    if value is None:
        return None
    try:
        return ftype.convert(value, Scope(scope.path, Report(), scope.env), 0)
    except (Invalid, AlreadyReported):
        return None


_CN_DIGITS = "〇一二三四五六七八九"


def _check_dates(raw: Mapping, path: Path, scope: Scope) -> None:
    """Year against file name, publication after the year and by the deadline. Runs even if other fields fail."""
    year_raw, year_line = _raw(raw, ANNUAL_REPORT_SCHEMA, "year")
    year = _quiet(ANNUAL_REPORT_SCHEMA.field("year").type, year_raw, scope)
    if year is None:
        return
    if re.fullmatch(r"\d{4}", path.stem) and path.stem != str(year):
        scope.error(year_line, f"年度 is {year} but the file is named {path.name}",
                    f"one file per year, named after it: rename the file to {year}.yaml, or correct 年度",
                    code="annual-report-year")
    title_raw, title_line = _raw(raw, ANNUAL_REPORT_SCHEMA, "title")
    if isinstance(title_raw, str) and str(year) not in title_raw \
            and "".join(_CN_DIGITS[int(d)] for d in str(year)) not in title_raw:
        scope.warning(title_line, f"标题 does not mention the year {year}",
                      f"a report's title names its year, e.g. ……{year}年政府信息公开工作年度报告; was it copied "
                      "from another year?", code="annual-report-year")
    pub_raw, pub_line = _raw(raw, ANNUAL_REPORT_SCHEMA, "published")
    published = _quiet(Date(), pub_raw, scope)
    if published is None:
        return
    if published <= dt.date(year, 12, 31):
        scope.error(pub_line, f"发布日期 {published} is not after the end of {year}, the year the report covers",
                    f"the report covers 1月1日–12月31日 of {year} and is published in {year + 1}; check 发布日期 and 年度",
                    code="annual-report-date")
    elif published > dt.date(year + 1, 1, 31):
        scope.warning(pub_line, f"发布日期 {published} is after 1月31日 {year + 1}, the statutory deadline",
                      "条例 第四十九条: a department publishes the previous year's report by 1月31日 (a government's "
                      "report is due by 3月31日); check the date", code="annual-report-date")


def read_annual_report(path: Path, config: SiteConfig, report: Report) -> AnnualReport | None:
    """Read ``content/annual-reports/<year>.yaml``; every problem goes to ``report``."""
    source = read_text(path, report)
    if source is None:
        return None
    raw = yaml_loader.load(source.text, path, report)
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        report.error(path, getattr(raw, "line", 1), "an annual report must be a mapping of fields",
                     "start with `年度: 2023` at the left margin, then 标题, 发布日期 …", code="annual-report")
        return None
    errors_before = len(report.errors)
    if not re.fullmatch(r"\d{4}", path.stem):
        report.error(path, 1, f"annual report file name {path.name!r} is not a year",
                     "name the file after the year it covers, e.g. 2023.yaml", code="bad-id")
    scope = Scope(path, report, {**config.vocabularies(), "content_dir": config.content_dir})
    raw = _strip_numbering(raw, scope)
    values = ANNUAL_REPORT_SCHEMA.validate(raw, scope)
    _check_dates(raw, path, scope)

    # Markdown is rendered from the raw text so link problems are reported with everything else.
    lines = source.text.split("\n")
    blocks: dict[str, RenderedBody | None] = {}
    for n, attr in ((1, "overview"), (5, "problems"), (6, "other")):
        value, line = _raw(raw, ANNUAL_REPORT_SCHEMA, attr)
        blocks[attr] = _render(value, line, lines, path, config, report, f"part-{n}")
    for n, attr, schema in ((2, "proactive", PROACTIVE_SCHEMA), (3, "requests", REQUESTS_SCHEMA),
                            (4, "appeals", APPEALS_SCHEMA)):
        table_raw, _ = _raw(raw, ANNUAL_REPORT_SCHEMA, attr)
        if isinstance(table_raw, Mapping):
            table_raw = _strip_numbering(table_raw, Scope(path, Report(), scope.env))
        value, line = _raw(table_raw, schema, "note")
        blocks[attr] = _render(value, line, lines, path, config, report, f"part-{n}")
    privacy.screen_content(path, source.text, raw, config, report, values=values,
                           bodies=[b for b in blocks.values() if b is not None])

    if values is None or len(report.errors) > errors_before:
        return None
    proactive = _rows_of(values["proactive"], [s for b in PROACTIVE_BLOCKS for s in b.rows])
    requests = _rows_of(values["requests"], REQUEST_ROWS)
    appeals = _rows_of(values["appeals"], APPEAL_ROWS)
    ids = [f"part-{n}" for n in range(1, 7)]
    sections = [
        Section(NUMERALS[0], SECTION_TITLES[0], ids[0], text=blocks["overview"]),
        Section(NUMERALS[1], SECTION_TITLES[1], ids[1], tables=_proactive_tables(proactive),
                note=blocks["proactive"]),
        Section(NUMERALS[2], SECTION_TITLES[2], ids[2], tables=[_requests_table(values["requests"])],
                note=blocks["requests"]),
        Section(NUMERALS[3], SECTION_TITLES[3], ids[3], tables=[_appeals_table(values["appeals"])],
                note=blocks["appeals"]),
        Section(NUMERALS[4], SECTION_TITLES[4], ids[4], text=blocks["problems"]),
        Section(NUMERALS[5], SECTION_TITLES[5], ids[5], text=blocks["other"]),
    ]
    return AnnualReport(
        year=values["year"], title=values["title"], published=values["published"], issuer=values["issuer"],
        index_no=values["index_no"], source=path, line=raw.line,
        lines=ANNUAL_REPORT_SCHEMA.lines(raw),
        sections=sections, proactive=proactive, requests=requests, appeals=appeals,
    )
