"""The schema of an annual report file: its fields, and the table schemas built from the national format.

Separate because the schemas are also documentation: the README's field
reference is generated from :data:`ANNUAL_REPORT_SCHEMAS`.
"""

from __future__ import annotations

from typing import Iterable

from ...config import INDEX_DOC
from ... import privacy
from ...schema import Choice, Date, Field, FieldType, Integer, Record, Schema, Text
from .cells import Cells, _Rows
from .national_format import (APPEAL_ROWS, APPLICANT_COLUMNS, OUTCOME_COLUMNS, PROACTIVE_BLOCKS, REQUEST_ROWS,
                              SECTION_TITLES, T_APPEALS, T_PROACTIVE, T_REQUESTS, Column, RowSpec)
from .rules import _check_appeals, _check_requests


def _row_fields(table: str, specs: Iterable[RowSpec], columns: tuple[Column, ...], money: bool = False,
                path: tuple[str, ...] = ()) -> list[Field]:
    fields = []
    for s in specs:
        here = (*path, s.key)
        if s.children:
            sub = Schema(" › ".join((table, *here)), _row_fields(table, s.children, columns, money, here))
            ftype: FieldType = _Rows(sub, f"the rows of {s.label}")
            example = "{" + ", ".join(c.key + ": …" for c in s.children[:2]) + ", …}"
        else:
            ftype = Cells(table, " › ".join(here), columns, money)
            example = ftype.example()
        fields.append(Field(s.key, s.attr, ftype, required=True, aliases=(s.attr, *s.aliases), doc=s.label,
                            example=example))
    return fields


def _note_field() -> Field:
    return Field("说明", "note", Text(multiline=True), aliases=("note",), synonyms=("备注", "注"),
                 doc="Optional Markdown note shown under the table(s).", example="本年度未收取行政事业性收费。")


def _proactive_fields() -> list[Field]:
    fields = []
    for block in PROACTIVE_BLOCKS:
        fields += _row_fields(T_PROACTIVE, block.rows, block.columns, block.money)
    return fields


PROACTIVE_SCHEMA = Schema(T_PROACTIVE, [*_proactive_fields(), _note_field()])
REQUESTS_SCHEMA = Schema(T_REQUESTS, [*_row_fields(T_REQUESTS, REQUEST_ROWS, APPLICANT_COLUMNS), _note_field()],
                         rules=[_check_requests])
APPEALS_SCHEMA = Schema(T_APPEALS, [*_row_fields(T_APPEALS, APPEAL_ROWS, OUTCOME_COLUMNS), _note_field()],
                        rules=[_check_appeals])

_MARKDOWN = Text(multiline=True)
_MARKDOWN.label = "Markdown text"

ANNUAL_REPORT_SCHEMA = Schema("annual report", [
    Field("年度", "year", Integer(2008, 2100), required=True, aliases=("year",), synonyms=("年份", "报告年度"),
          doc="The year the report covers (1月1日–12月31日); must equal the file name.", example="2023"),
    Field("标题", "title", Text(max_length=200), required=True, aliases=("title",), synonyms=("名称",),
          doc="Full title of the report.", example="江州市文化和旅游局2023年政府信息公开工作年度报告"),
    Field("发布机构", "issuer", Choice("issuers", "an issuer from vocabularies.issuers"), required=True,
          aliases=("issuer",), synonyms=("发文机关", "发布单位", "来源"),
          doc="The body whose report this is (full standard name).", example="江州市文化和旅游局"),
    Field("发布日期", "published", Date(), required=True, aliases=("published",), synonyms=("发文日期", "日期"),
          doc="Publication date: after the year ends; a department's deadline is 1月31日.", example="2024-01-26"),
    Field("索引号", "index_no", Text(allow_numbers=True), aliases=("index_no",), synonyms=("索引",),
          required_by_site=True, doc=INDEX_DOC, example="11360400MB1C23456X/2024-00002"),
    Field(SECTION_TITLES[0], "overview", _MARKDOWN, required=True, aliases=("overview",),
          doc="一、总体情况 (Markdown, several paragraphs: see the example file).", example="2023年，本局……"),
    Field(SECTION_TITLES[1], "proactive", _Rows(PROACTIVE_SCHEMA, "the rows of table 二"), required=True,
          aliases=("主动公开", "proactive"), doc="二、主动公开政府信息情况: the rows of table 二, see below.",
          example="{规章: [0, 0, 0], …}"),
    Field(SECTION_TITLES[2], "requests", _Rows(REQUESTS_SCHEMA, "the rows of table 三"), required=True,
          aliases=("依申请公开", "申请情况", "requests"),
          doc="三、收到和处理政府信息公开申请情况: the rows of table 三, see below.",
          example="{本年新收: [0, 0, 0, 0, 0, 0, 0], …}"),
    Field(SECTION_TITLES[3], "appeals", _Rows(APPEALS_SCHEMA, "the rows of table 四"), required=True,
          aliases=("复议诉讼", "行政复议、行政诉讼情况", "appeals"),
          doc="四、政府信息公开行政复议、行政诉讼情况: the rows of table 四, see below.",
          example="{行政复议: [0, 0, 0, 0, 0], …}"),
    Field(SECTION_TITLES[4], "problems", _MARKDOWN, required=True,
          aliases=("存在问题及改进情况", "问题及改进", "problems"),
          doc="五、存在的主要问题及改进情况 (Markdown).", example="一是……；二是……。"),
    Field(SECTION_TITLES[5], "other", _MARKDOWN, required=True, aliases=("其他事项", "other"),
          doc="六、其他需要报告的事项 (Markdown); usually the 信息处理费 collected. Write 无。 if there is nothing.",
          example="本机关2023年未收取信息处理费。"),
    privacy.REVIEW_FIELD,
])


def _nested(name: str, schema: Schema) -> dict[str, Schema]:
    out = {name: schema}
    for f in schema.fields:
        if isinstance(f.type, Record) and f is not privacy.REVIEW_FIELD:  # documented once, for every type
            out.update(_nested(f"{name}.{f.attr}", f.type.schema))
    return out


#: Every schema of an annual report, for the README reference: ``annual_report``,
#: ``annual_report.proactive``, ``annual_report.requests.results.withheld`` …
ANNUAL_REPORT_SCHEMAS = _nested("annual_report", ANNUAL_REPORT_SCHEMA)
