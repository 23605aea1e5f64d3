"""The 重大行政决策事项目录 of one year: its schema, model and reader.

One Markdown file per year, ``content/decision-catalogues/<year>.md``: the
front matter lists the decisions (决策事项, 承办单位, 决策依据, 计划完成时间,
状态) with what each links to — its draft for comment, interpretations, the
hearing and the deliberation, the final document; the body holds the
catalogue's notes. References are resolved in :mod:`.links`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from ... import privacy
from ...config import SiteConfig
from ...errors import Report
from ...readers.markdown import RenderedBody, excerpt
from ...readers.yaml_loader import Mapping, text_line
from ...schema import (Choice, ContentFile, Date, Field, FieldType, Integer, Invalid, ListOf, Record,
                       Reference, Schema, Scope, Text, Url, type_name)
from ..base import (ATTACHMENT_TYPES, Attachment, attachment, files_open, raw_field, render_part,
                    start_markdown)

#: 状态 of a decision item. 已调整: moved to another year or withdrawn (说明 says which).
STATES = ("未启动", "推进中", "已完成", "已调整")
DONE, ADJUSTED = "已完成", "已调整"
#: The statutory procedures of a major decision (《重大行政决策程序暂行条例》), as catalogues list them.
PROCEDURES = ("公众参与", "专家论证", "风险评估", "合法性审查", "集体讨论决定")


@dataclass(frozen=True)
class Planned:
    """计划完成时间: a month (due by its last day) or a day."""

    last_day: dt.date
    label: str  # as the page shows it: 2026年10月 or 2026年10月15日


class PlannedDate(FieldType):
    label = "a month (YYYY-MM) or a date (YYYY-MM-DD)"

    def convert(self, value, scope, line):
        if isinstance(value, dt.date):
            return Planned(value, f"{value.year}年{value.month}月{value.day}日")
        text = str(value).strip() if isinstance(value, (str, int)) else None
        if text is None:
            raise Invalid(f"expected {self.label}, got {type_name(value)}", "write the month as 2026-10")
        m = re.fullmatch(r"(\d{4})-(\d{1,2})", text)
        if m:
            year, month = int(m[1]), int(m[2])
            if not 1 <= month <= 12:
                raise Invalid(f"{text!r} is not a real month", "write the month as YYYY-MM, e.g. 2026-10")
            return Planned(dt.date(year, month, calendar.monthrange(year, month)[1]), f"{year}年{month}月")
        cn = re.fullmatch(r"(\d{4})\s*年\s*(\d{1,2})\s*月", text)
        if cn:
            raise Invalid(f"{text!r} is not in the form YYYY-MM", f"write it as {int(cn[1]):04d}-{int(cn[2]):02d}")
        day = Date().convert(text, scope, line)
        return Planned(day, f"{day.year}年{day.month}月{day.day}日")


def _something_to_read(values, mapping, scope: Scope) -> bool:
    if values["text"] or values["file"] or values["link"]:
        return True
    scope.error(mapping.line, "the record gives nothing to read", "add `说明:` (a summary), `文件:` (the minutes "
                "or the report) or `链接:` (where it is published)", code="decision-material")
    return False


MATERIAL_SCHEMA = Schema("a hearing or deliberation", [
    Field("日期", "date", Date(), required=True, aliases=("date",), doc="The day it was held.", example="2026-09-10"),
    Field("会议", "meeting", Text(), aliases=("meeting",), synonyms=("名称",),
          doc="What it was: the meeting or hearing, as it is called.", example="局党组2026年第18次会议"),
    Field("说明", "text", Text(multiline=True), aliases=("text",), synonyms=("情况", "结果"),
          doc="What happened and what was decided (Markdown).", example="会议审议通过……"),
    Field("文件", "file", ContentFile(ATTACHMENT_TYPES, "an attachment path"), aliases=("file",),
          doc="The minutes or the report as a file, relative to the catalogue.", example="files/tingzheng.pdf"),
    Field("链接", "link", Url(), aliases=("link",), doc="Where it is published, if elsewhere.",
          example="https://www.jiangzhou.gov.cn/…"),
], rules=[_something_to_read])

ITEM_SCHEMA = Schema("a decision item", [
    Field("决策事项", "subject", Text(max_length=200), required=True, aliases=("subject",), synonyms=("事项", "名称"),
          doc="The decision, as the catalogue names it.", example="制定《江州市旅游民宿管理办法》"),
    Field("承办单位", "unit", Text(), required=True, aliases=("unit",), synonyms=("承办处室", "责任单位"),
          doc="The body that prepares it.", example="江州市文化和旅游局资源开发处"),
    Field("决策依据", "basis", Text(multiline=True), required=True, aliases=("basis",), synonyms=("依据",),
          doc="Its legal and policy basis (Markdown).", example="《中华人民共和国旅游法》第……条"),
    Field("计划完成时间", "planned", PlannedDate(), required=True, aliases=("planned",), synonyms=("完成时间",),
          doc="When it is due: a month (`2026-10`) or a day; past it without a 决策文件 is a warning.",
          example="2026-10"),
    Field("履行程序", "procedures", ListOf(Choice(PROCEDURES)), default=list, aliases=("procedures",),
          synonyms=("决策程序", "法定程序"), doc="The procedures it goes through: " + ", ".join(PROCEDURES) + ".",
          example="[公众参与, 合法性审查, 集体讨论决定]"),
    Field("状态", "state", Choice(STATES), required=True, aliases=("state",),
          doc="未启动, 推进中, 已完成 or 已调整 (moved or withdrawn; say why in 说明).", example="推进中"),
    Field("意见征集", "draft", Reference(), aliases=("draft",), synonyms=("决策草案", "草案"),
          doc="Its draft for comment (a file name in content/drafts/): the draft, its background (起草说明) and the "
              "comment results.", example="2026-minsu-guanli-banfa"),
    Field("解读", "interpretations", ListOf(Reference()), default=list, aliases=("interpretations",),
          synonyms=("政策解读", "解读材料"), doc="Interpretations of the draft or the decision (file names).",
          example="[2026-xiaofeiquan-banfa-jiedu]"),
    Field("听证", "hearing", Record(MATERIAL_SCHEMA, "a hearing {日期, 说明 …}"), aliases=("hearing",),
          synonyms=("听证会",), doc="The hearing, if one was held: `日期`, `会议`, `说明`, `文件` or `链接`.",
          example="{日期: 2026-09-10, 说明: ……}"),
    Field("审议", "deliberation", Record(MATERIAL_SCHEMA, "a deliberation {日期, 会议 …}"), aliases=("deliberation",),
          synonyms=("会议审议", "集体讨论"), doc="The collective deliberation: `日期`, `会议`, `说明`, `文件` or `链接`.",
          example="{日期: 2026-10-15, 会议: 局党组会议, 说明: 审议通过}"),
    Field("决策文件", "final", Reference(), aliases=("final",), synonyms=("正式文件",),
          doc="The policy document of the decision (file name or 索引号); defaults to the draft's 正式文件.",
          example="2026-xiaofeiquan-banfa"),
    Field("说明", "note", Text(multiline=True), aliases=("note",), synonyms=("备注",),
          doc="A note shown with the item (required for 已调整: where it went and why).", example="调整至2027年度目录。"),
])

CATALOGUE_SCHEMA = Schema("decision catalogue front matter", [
    Field("标题", "title", Text(max_length=200), required=True, aliases=("title",),
          doc="Title of the catalogue.", example="江州市文化和旅游局2026年度重大行政决策事项目录"),
    Field("年度", "year", Integer(2000, 2100), required=True, aliases=("year",),
          doc="The year it covers; the file is named after it (2026.md).", example="2026"),
    Field("发布机构", "issuer", Choice("issuers", "an issuer from vocabularies.issuers"), required=True,
          aliases=("issuer",), doc="The body that publishes it.", example="江州市文化和旅游局"),
    Field("发布日期", "published", Date(), required=True, aliases=("published",), doc="Publication date.",
          example="2026-03-20"),
    Field("文号", "doc_no", Text(allow_numbers=True), aliases=("doc_no",), doc="文号 of the notice publishing it.",
          example="江文旅发〔2026〕5号"),
    Field("索引号", "index_no", Text(allow_numbers=True), aliases=("index_no",), doc="索引号, if it has one.",
          example="11360400MB1C23456X/2026-00003"),
    Field("事项", "items", ListOf(Record(ITEM_SCHEMA, "a decision item"), unique=False, min_items=1), required=True,
          aliases=("items",), doc="The decisions, in the catalogue's order (see the table below).",
          example="[{决策事项: …, 承办单位: …}]"),
    privacy.REVIEW_FIELD,
])


@dataclass(frozen=True)
class Material:
    """A hearing or a deliberation of a decision."""

    date: dt.date
    meeting: str | None
    text: RenderedBody | None
    file: Attachment | None
    link: str | None


@dataclass(eq=False)
class DecisionItem:
    number: int  # 序号, from 1
    line: int
    lines: dict[str, int]
    subject: str
    unit: str
    basis: RenderedBody
    planned: Planned
    procedures: list[str]
    state: str
    note: str | None
    hearing: Material | None
    deliberation: Material | None
    refs: dict  # draft, interpretations, final: as written (Located)
    catalogue: object = None  # the DecisionCatalogue it belongs to
    # --- filled by the site graph
    draft: object = None
    interpretations: list = field(default_factory=list)
    final: object = None

    @property
    def anchor(self) -> str:
        return f"sx-{self.number}"


@dataclass(eq=False)
class DecisionCatalogue:
    id: str
    source: Path
    line: int
    lines: dict[str, int]
    title: str
    year: int
    issuer: str
    published: dt.date
    doc_no: str | None
    index_no: str | None
    items: list[DecisionItem]
    body: RenderedBody
    url: str = ""

    type_name = "decision_catalogue"

    @property
    def description(self) -> str:
        return excerpt(self.body.text) or self.title

    def bodies(self) -> list[RenderedBody]:
        parts = [self.body]
        for item in self.items:
            parts += [item.basis, *(m.text for m in (item.hearing, item.deliberation) if m and m.text)]
        return parts


def _material(value, raw, path: Path, config: SiteConfig, source_lines, report: Report) -> Material | None:
    if value is None:
        return None
    text = None
    if value["text"]:
        text = render_part(value["text"], path, config, text_line(source_lines, MATERIAL_SCHEMA.line_of(raw, "text")),
                           report)
    file = attachment(value["file"], config.content_root) if value["file"] else None
    return Material(value["date"], value["meeting"], text, file, value["link"])


def _item(number: int, values: dict, raw, path: Path, config: SiteConfig, source_lines, report: Report):
    lines = ITEM_SCHEMA.lines(raw)
    basis = render_part(values["basis"], path, config, text_line(source_lines, lines["basis"]), report)

    def material(attr: str) -> Material | None:
        return _material(values[attr], raw_field(raw, ITEM_SCHEMA, attr), path, config, source_lines, report)

    if values["state"] == ADJUSTED and not values["note"]:
        report.warning(path, lines["state"], f"item {number} is 已调整 but says nothing about it",
                       "add `说明:`: where the decision went (a later catalogue) or why it was withdrawn",
                       code="decision-item")
    return DecisionItem(number, raw.line if isinstance(raw, Mapping) else 0, lines, values["subject"], values["unit"],
                        basis, values["planned"], values["procedures"], values["state"], values["note"],
                        material("hearing"), material("deliberation"),
                        {k: values[k] for k in ("draft", "interpretations", "final")})


def read_catalogue(path: Path, config: SiteConfig, report: Report) -> DecisionCatalogue | None:
    """Read one year's catalogue; every problem goes to ``report``."""
    started = start_markdown(path, config, report, CATALOGUE_SCHEMA)
    if started is None:
        return None
    source, values = started.source, started.values
    catalogue = _catalogue(path, started, config, report) if started.ok else None
    privacy.screen_content(path, source.text, source.meta, config, report, values=values,
                           bodies=catalogue.bodies() if catalogue else [started.body])
    return catalogue


def _catalogue(path: Path, started, config: SiteConfig, report: Report) -> DecisionCatalogue | None:
    source, values, scope = started.source, started.values, started.scope
    lines = CATALOGUE_SCHEMA.lines(source.meta)
    if path.stem != str(values["year"]):
        report.error(path, lines["year"], f"年度 is {values['year']} but the file is named {path.name}",
                     f"one file per year, named after it: rename the file to {values['year']}.md, or correct 年度",
                     code="decision-year")
        return None
    files = [m["file"] for item in values["items"] for m in (item["hearing"], item["deliberation"]) if m and m["file"]]
    if not files_open(files, config.content_root, scope):
        return None
    source_lines = source.text.splitlines()
    raws = raw_field(source.meta, CATALOGUE_SCHEMA, "items") or []
    items = [_item(n, v, raws[n - 1] if n - 1 < len(raws) else None, path, config, source_lines, report)
             for n, v in enumerate(values["items"], 1)]
    catalogue = DecisionCatalogue(
        id=path.stem, source=path, line=source.meta.line, lines=lines, title=values["title"], year=values["year"],
        issuer=values["issuer"], published=values["published"], doc_no=values["doc_no"], index_no=values["index_no"],
        items=items, body=started.body)
    for item in items:
        item.catalogue = catalogue
    return catalogue


__all__ = ["ADJUSTED", "CATALOGUE_SCHEMA", "DONE", "ITEM_SCHEMA", "MATERIAL_SCHEMA", "PROCEDURES", "STATES",
           "DecisionCatalogue", "DecisionItem", "Material", "Planned", "read_catalogue"]
