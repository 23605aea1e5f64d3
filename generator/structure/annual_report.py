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
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Iterable


from ..config import REPEALED_STATES, SiteConfig
from .. import privacy
from ..errors import Report
from ..readers import yaml_loader
from ..readers.markdown import LinkRef, RenderedBody, iframe_hosts, render
from ..readers.source import read_text
from ..readers.yaml_loader import Mapping, Sequence
from ..schema import (AlreadyReported, Choice, Date, Field, FieldType, Integer, Invalid, Record, Schema, Scope, Text,
                      did_you_mean, type_name)

#: Where the reports live, relative to the content folder.
FOLDER = "annual-reports"

# --------------------------------------------------------------------------- the national format


@dataclass(frozen=True)
class Column:
    """A data column of a table; ``aliases`` are the short names editors write in mapping rows."""

    label: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class RowSpec:
    """One row (or group of rows) of the national format: YAML key, code name, printed label."""

    key: str
    attr: str
    label: str
    children: tuple["RowSpec", ...] = ()
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Node:
    """A column header of the printed table; leaves are data columns."""

    label: str
    children: tuple["Node", ...] = ()


# Section 二 (第二十条第（一）（五）（六）（八）项).
ISSUED, REPEALED, IN_FORCE = "本年制发件数", "本年废止件数", "现行有效件数"
_DOC_COLUMNS = (Column(ISSUED, ("本年制发",)), Column(REPEALED, ("本年废止",)), Column(IN_FORCE, ("现行有效",)))
_DECISIONS = (Column("本年处理决定数量", ("处理决定数量",)),)
_AMOUNT = (Column("本年收费金额（单位：万元）", ("本年收费金额", "收费金额")),)


@dataclass(frozen=True)
class _Block:
    caption: str
    columns: tuple[Column, ...]
    rows: tuple[RowSpec, ...]
    money: bool = False


PROACTIVE_BLOCKS = (
    _Block("第二十条第（一）项 规章和行政规范性文件", _DOC_COLUMNS, (
        RowSpec("规章", "rules", "规章"),
        RowSpec("行政规范性文件", "normative", "行政规范性文件", aliases=("规范性文件",)),
    )),
    _Block("第二十条第（五）项 行政许可", _DECISIONS, (RowSpec("行政许可", "licensing", "行政许可"),)),
    _Block("第二十条第（六）项 行政处罚和行政强制", _DECISIONS, (
        RowSpec("行政处罚", "penalty", "行政处罚"),
        RowSpec("行政强制", "enforcement", "行政强制"),
    )),
    _Block("第二十条第（八）项 行政事业性收费", _AMOUNT, (RowSpec("行政事业性收费", "fees", "行政事业性收费"),),
           money=True),
)

# Section 三: who applied (columns) and what became of the applications (rows).
APPLICANT_COLUMNS = (
    Column("自然人"), Column("商业企业"), Column("科研机构"), Column("社会公益组织"), Column("法律服务机构"),
    Column("其他"), Column("总计", ("合计",)),
)
_APPLICANT_HEAD = (Node("申请人情况", (
    Node("自然人"),
    Node("法人或其他组织", tuple(Node(c.label) for c in APPLICANT_COLUMNS[1:6])),
    Node("总计"),
)),)
#: The printed corner of table 三 states the column rule; it is a note, not a header.
BALANCE_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

_N = lambda key, attr, label, *aliases: RowSpec(key, attr, label, aliases=aliases)  # noqa: E731

REQUEST_ROWS = (
    _N("本年新收", "new", "一、本年新收政府信息公开申请数量", "本年新收政府信息公开申请数量"),
    _N("上年结转", "carried_over", "二、上年结转政府信息公开申请数量", "上年结转政府信息公开申请数量"),
    RowSpec("本年度办理结果", "results", "三、本年度办理结果", (
        _N("予以公开", "disclosed", "（一）予以公开"),
        _N("部分公开", "partly", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
           "部分公开（区分处理的，只计这一情形，不计其他情形）"),
        RowSpec("不予公开", "withheld", "（三）不予公开", (
            _N("属于国家秘密", "state_secret", "1.属于国家秘密"),
            _N("其他法律行政法规禁止公开", "prohibited", "2.其他法律行政法规禁止公开"),
            _N("危及“三安全一稳定”", "three_safety", "3.危及“三安全一稳定”", "危及三安全一稳定",
               '危及"三安全一稳定"'),
            _N("保护第三方合法权益", "third_party", "4.保护第三方合法权益"),
            _N("属于三类内部事务信息", "internal", "5.属于三类内部事务信息"),
            _N("属于四类过程性信息", "process", "6.属于四类过程性信息"),
            _N("属于行政执法案卷", "enforcement_files", "7.属于行政执法案卷"),
            _N("属于行政查询事项", "inquiry", "8.属于行政查询事项"),
        )),
        RowSpec("无法提供", "unable", "（四）无法提供", (
            _N("本机关不掌握相关政府信息", "not_held", "1.本机关不掌握相关政府信息"),
            _N("没有现成信息需要另行制作", "needs_creation", "2.没有现成信息需要另行制作"),
            _N("补正后申请内容仍不明确", "unclear", "3.补正后申请内容仍不明确"),
        )),
        RowSpec("不予处理", "not_processed", "（五）不予处理", (
            _N("信访举报投诉类申请", "petition", "1.信访举报投诉类申请"),
            _N("重复申请", "repeated", "2.重复申请"),
            _N("要求提供公开出版物", "publication", "3.要求提供公开出版物"),
            _N("无正当理由大量反复申请", "excessive", "4.无正当理由大量反复申请"),
            _N("要求行政机关确认或重新出具已获取信息", "confirmation", "5.要求行政机关确认或重新出具已获取信息"),
        )),
        RowSpec("其他处理", "other", "（六）其他处理", (
            _N("逾期不补正", "no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
               "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "申请人无正当理由逾期不补正"),
            _N("逾期未缴费", "unpaid_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
               "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "申请人逾期未按收费通知要求缴纳费用"),
            _N("其他", "other", "3.其他"),
        )),
        _N("总计", "total", "（七）总计", "合计"),
    )),
    _N("结转下年度继续办理", "carried_forward", "四、结转下年度继续办理", "结转下年度"),
)

# Section 四: three groups of five numbers, printed as one row under a three-level header.
OUTCOME_COLUMNS = (Column("结果维持"), Column("结果纠正"), Column("其他结果"), Column("尚未审结"),
                   Column("总计", ("合计",)))
APPEAL_ROWS = (
    _N("行政复议", "review", "行政复议"),
    RowSpec("行政诉讼", "litigation", "行政诉讼", (
        _N("未经复议直接起诉", "direct", "未经复议直接起诉"),
        _N("复议后起诉", "after_review", "复议后起诉"),
    )),
)

SECTION_TITLES = ("总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况",
                  "政府信息公开行政复议、行政诉讼情况", "存在的主要问题及改进情况", "其他需要报告的事项")
NUMERALS = ("一", "二", "三", "四", "五", "六")
T_PROACTIVE, T_REQUESTS, T_APPEALS = SECTION_TITLES[1:4]

# --------------------------------------------------------------------------- cell values


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


# --------------------------------------------------------------------------- schemas


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


def _sum(values: Iterable) -> int | Decimal:
    return sum(values, 0)


def _rows_of(values: dict, specs: Iterable[RowSpec], path: tuple[str, ...] = ()) -> dict[str, Row]:
    """Flatten converted values into ``{"results.withheld.state_secret": Row}`` in table order."""
    out = {}
    for s in specs:
        if s.children:
            out.update(_rows_of(values[s.attr], s.children, (*path, s.attr)))
        else:
            out[".".join((*path, s.attr))] = values[s.attr]
    return out


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
          doc="索引号 of the report, if it has one.", example="11360400MB1C23456X/2024-00002"),
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

# --------------------------------------------------------------------------- presentation


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


# --------------------------------------------------------------------------- model


@dataclass
class Section:
    number: str  # 一 … 六
    title: str
    id: str
    text: RenderedBody | None = None
    tables: list[Table] = field(default_factory=list)
    note: RenderedBody | None = None

    @property
    def heading(self) -> str:
        return f"{self.number}、{self.title}"


@dataclass(eq=False)
class AnnualReport:
    """One year's 政府信息公开工作年度报告: metadata, the six sections, the numbers."""

    year: int
    title: str
    published: dt.date
    issuer: str
    index_no: str | None
    source: Path
    line: int
    lines: dict[str, int]
    sections: list[Section]
    #: The numbers by row, in table order: ``proactive["normative"]``, ``requests["results.withheld.state_secret"]``,
    #: ``appeals["litigation.direct"]``.
    proactive: dict[str, Row]
    requests: dict[str, Row]
    appeals: dict[str, Row]
    # --- filled by the site graph
    url: str = ""

    type_name = "annual_report"

    @property
    def id(self) -> str:
        return str(self.year)

    @property
    def tables(self) -> list[Table]:
        return [t for s in self.sections for t in s.tables]

    @property
    def blocks(self) -> list[RenderedBody]:
        return [b for s in self.sections for b in (s.text, s.note) if b is not None]

    @property
    def links(self) -> list[LinkRef]:
        """Links from the Markdown text to content files (pages and assets to publish)."""
        return [ref for b in self.blocks for ref in b.links]

    def bodies(self) -> list[RenderedBody]:
        """Every rendered Markdown part, for link resolution and checks (the site's common protocol)."""
        return self.blocks

    @property
    def description(self) -> str:
        text = self.sections[0].text.text[:100] if self.sections[0].text else ""
        cut = max(text.rfind(p) for p in "。；！？")
        return text[: cut + 1] if cut >= 20 else (text or self.title)

    @property
    def sort_key(self) -> tuple:
        """Sort with ``reverse=True`` for newest first."""
        return (self.year, self.published)


# --------------------------------------------------------------------------- reading

_HEADING_ID = re.compile(r'<h([1-6]) id="([^"]*)"')
_HEADING = re.compile(r"<(/?)h([1-6])\b")


def _demote(html: str, prefix: str) -> str:
    """Headings inside a section go one level below its <h2>, with ids unique on the page."""
    html = _HEADING_ID.sub(lambda m: f'<h{m[1]} id="{prefix}-{m[2]}"', html)
    return _HEADING.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + 1, 6)}", html)


def _first_text_line(source_lines: list[str], key_line: int) -> int:
    """File line where a text value starts: the key's line, or the first line of a ``|``/``>`` block."""
    text = source_lines[key_line - 1] if 0 < key_line <= len(source_lines) else ""
    _, _, rest = text.partition(":")
    if not rest.strip().startswith(("|", ">")):
        return key_line
    n = key_line + 1
    while n <= len(source_lines) and not source_lines[n - 1].strip():
        n += 1
    return n


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
    body = render(value.strip(), path, config.content_dir, _first_text_line(source_lines, line), iframe_hosts(config))
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
        lines={f.attr: ANNUAL_REPORT_SCHEMA.line_of(raw, f.attr) for f in ANNUAL_REPORT_SCHEMA.fields},
        sections=sections, proactive=proactive, requests=requests, appeals=appeals,
    )


# --------------------------------------------------------------------------- cross-checks


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


# --------------------------------------------------------------------------- CSV


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
