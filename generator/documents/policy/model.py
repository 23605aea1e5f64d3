"""The policy document (政策文件 / 规范性文件): its front-matter schema and model.

One Markdown file per document under ``content/policies/``. Front-matter keys
are the Chinese names editors know from disclosure catalogues (标题, 索引号,
发布机构 …); each also has an English alias for tools and developers.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from ...config import INDEX_DOC, VALIDITY_STATES, SiteConfig
from ... import privacy
from ...errors import Report
from ...readers.markdown import RenderedBody, excerpt
from ...schema import (Choice, ContentFile, Date, Field, ListOf, Located, OneOf, Record, Reference,
                      Schema, Scope, Text, Url)
from ..base import ATTACHMENT_SCHEMA, ATTACHMENT_TYPES, Attachment, attachment, files_open, start_markdown

#: The relation fields of a policy, by attribute: the site graph resolves them to documents.
RELATIONS = ("replaces", "replaced_by", "amends", "amended_by", "related")

_LANG = Text(pattern=r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*", pattern_label="a language tag such as zh-CN or zh-Hant")
_DOC_NO_BRACKETS = re.compile(r"[\[［(（【]\s*(\d{4})\s*[\]］)）】]")


def _dates_in_order(values, mapping, scope: Scope) -> bool:
    ok = True
    line = lambda attr: POLICY_SCHEMA.line_of(mapping, attr)  # noqa: E731
    written, published = values["written"], values["published"]
    if published < written:
        scope.error(line("published"), f"发布日期 {published} is before 成文日期 {written}",
                    "a document is published on or after the day it was signed; check both dates",
                    code="date-order")
        ok = False
    effective = values["effective"]
    if effective and effective < written:
        scope.error(line("effective"), f"施行日期 {effective} is before 成文日期 {written}",
                    "check the dates; a document cannot take effect before it was signed", code="date-order")
        ok = False
    state, changed = values["validity"], values["validity_date"]
    if state == "现行有效" and changed:
        scope.error(line("validity_date"), "有效性变更日期 is given but 有效性 is 现行有效",
                    "remove 有效性变更日期, or set 有效性 to 已修改, 失效 or 废止", code="validity")
        ok = False
    if state != "现行有效" and not changed:
        scope.error(line("validity"), f"有效性 is {state} but 有效性变更日期 is missing",
                    f"add `有效性变更日期: YYYY-MM-DD`, the day the document became {state}", code="validity")
        ok = False
    if changed and changed < written:
        scope.error(line("validity_date"), f"有效性变更日期 {changed} is before 成文日期 {written}",
                    "check the dates", code="date-order")
        ok = False
    return ok


def _style_warnings(values, mapping, scope: Scope) -> bool:
    doc_no = values["doc_no"]
    if doc_no and _DOC_NO_BRACKETS.search(doc_no):
        fixed = _DOC_NO_BRACKETS.sub(lambda m: f"〔{m.group(1)}〕", doc_no)
        scope.warning(POLICY_SCHEMA.line_of(mapping, "doc_no"), f"文号 {doc_no!r} uses the wrong brackets around the year",
                      f"write {fixed!r}: the year goes in 六角括号 〔〕 (GB/T 9704)", code="doc-no-style")
    summary = values["summary"]
    if summary and len(summary) > 100:
        scope.warning(POLICY_SCHEMA.line_of(mapping, "summary"), f"摘要 is {len(summary)} characters long",
                      "a 内容概述 should be at most 100 characters", code="summary-length")
    return True


POLICY_SCHEMA = Schema("policy front matter", [
    Field("标题", "title", Text(max_length=200), required=True, aliases=("title",), synonyms=("名称", "文件名称"),
          doc="Full title of the document.", example="江州市文化和旅游局关于印发《江州市美术馆管理办法》的通知"),
    Field("索引号", "index_no", Text(allow_numbers=True), aliases=("index_no",), synonyms=("索引",),
          required_by_site=True, doc=INDEX_DOC, example="11360400MB1C23456X/2023-00012"),
    Field("发布机构", "issuer", Choice("issuers", "an issuer from vocabularies.issuers"), required=True,
          aliases=("issuer",), synonyms=("发文机关", "发文单位", "发布单位", "来源"),
          doc="Full standard name of the issuing body (never an abbreviation).", example="江州市文化和旅游局"),
    Field("文号", "doc_no", Text(allow_numbers=True), aliases=("doc_no",), synonyms=("发文字号", "文件编号"),
          doc="发文字号, if the document has one.", example="江文旅发〔2023〕12号"),
    Field("规范性文件登记号", "registration_no", Text(), aliases=("registration_no",), synonyms=("登记号",),
          doc="Registration number of a 规范性文件 (统一登记), distinct from 文号.", example="JZCR-2023-01005"),
    Field("主题分类", "topic", Choice("topics", "a 主题分类 from vocabularies.topics"), required=True,
          aliases=("topic",), synonyms=("分类", "组配分类", "公开目录", "主题"),
          doc="One 主题分类 from the site's vocabulary.", example="文化、广电、新闻出版"),
    Field("文种", "category", Choice("categories", "a 文种 from vocabularies.categories"), required=True,
          aliases=("category",), synonyms=("类别", "文件类型", "体裁"),
          doc="Kind of document: 规范性文件, 其他文件, 地方政府规章 … (vocabularies.categories).",
          example="规范性文件"),
    Field("成文日期", "written", Date(), required=True, aliases=("written",), synonyms=("生成日期", "印发日期"),
          doc="Date the document was signed (成文日期 / 生成日期).", example="2023-03-28"),
    Field("发布日期", "published", Date(), required=True, aliases=("published",), synonyms=("发文日期", "公开日期", "日期"),
          doc="Date the document was published; lists are sorted by it, newest first.", example="2023-04-03"),
    Field("施行日期", "effective", Date(), aliases=("effective",), synonyms=("生效日期", "实施日期"),
          doc="Date it takes effect.", example="2023-05-01"),
    Field("有效性", "validity", Choice(VALIDITY_STATES), required=True, aliases=("validity",),
          synonyms=("效力状况", "时效性", "状态"),
          doc="现行有效, 已修改, 失效 or 废止. 失效/废止 documents move to the repealed listings and carry a notice.",
          example="现行有效"),
    Field("有效性变更日期", "validity_date", Date(), aliases=("validity_date",), synonyms=("失效日期", "废止日期", "修改日期"),
          doc="Required unless 现行有效: the day the document was amended, expired or repealed.", example="2024-06-30"),
    Field("替代", "replaces", ListOf(Reference()), default=list, aliases=("replaces",), synonyms=("废止", "取代"),
          doc="Documents this one replaces (by file name or 索引号); their pages link here and here links back.",
          example="[meishuguan-banfa-2019]"),
    Field("被替代", "replaced_by", ListOf(Reference()), default=list, aliases=("replaced_by",),
          doc="The other direction of 替代, written on the old document; either side is enough.",
          example="[meishuguan-banfa-2023]"),
    Field("修改", "amends", ListOf(Reference()), default=list, aliases=("amends",),
          doc="Documents this one amends; they should have 有效性 已修改.", example="[a-ji-jingqu-banfa]"),
    Field("被修改", "amended_by", ListOf(Reference()), default=list, aliases=("amended_by",),
          doc="The other direction of 修改, written on the amended document.", example="[a-ji-jingqu-xiugai]"),
    Field("相关文件", "related", ListOf(Reference()), default=list, aliases=("related",),
          doc="Other related documents, listed under 相关文件.", example="[2023-zhengwu-gongkai-yaodian]"),
    Field("标签", "tags", ListOf(Choice("tags", "a tag from vocabularies.tags")), default=list, aliases=("tags",),
          synonyms=("标签目录",), doc="Tags from the tag catalogue (标签目录).", example="[惠企政策, 文化场馆]"),
    Field("关键词", "keywords", ListOf(Text()), default=list, aliases=("keywords",), synonyms=("主题词",),
          doc="主题词 / keywords, shown on the page and in the page metadata.", example="[美术馆, 管理办法]"),
    Field("摘要", "summary", Text(multiline=True), default="", aliases=("summary",), synonyms=("内容概述", "简介"),
          doc="内容概述 (at most 100 characters); defaults to the body's first sentences.",
          example="规范本市美术馆的设立、运营和公共服务。"),
    Field("办事链接", "service_url", Url(), aliases=("service_url",), synonyms=("一网通办", "办事地址"),
          doc="一网通办 address of the online service; the document shows a 办 icon everywhere it is listed.",
          example="https://zwfw.jiangzhou.gov.cn/service/a-ji-jingqu"),
    Field("原文链接", "source_url", Url(), aliases=("source_url",), synonyms=("原文地址",),
          doc="Official full text elsewhere (e.g. a law on flk.npc.gov.cn); required when the body is empty.",
          example="https://flk.npc.gov.cn/"),
    Field("附件", "attachments",
          ListOf(OneOf(ContentFile(ATTACHMENT_TYPES, "an attachment path"), Record(ATTACHMENT_SCHEMA, "an attachment"),
                       label="a path, or {标题, 文件}")),
          default=list, aliases=("attachments",),
          doc="Attachments: a path, or `{标题: …, 文件: …}`; shown with their type and size.",
          example="[{标题: 附件1：申报表, 文件: files/sbb.docx}]"),
    Field("语言", "language", _LANG, aliases=("language",), synonyms=("lang",),
          doc="Language of this document when it differs from the site's, e.g. zh-Hant.", example="zh-Hant"),
    privacy.REVIEW_FIELD,
], rules=[_dates_in_order, _style_warnings])


@dataclass(frozen=True)
class Notice:
    """The banner on a document that is no longer simply in force."""

    state: str
    date: dt.date
    links: list[tuple[str, list["Policy"]]]  # (label, documents)

    @property
    def headline(self) -> str:
        return {"已修改": "本文件已被修改", "失效": "本文件已失效", "废止": "本文件已废止"}[self.state]

    @property
    def original_headline(self) -> str:
        """The same fact as seen from an interpretation of the document."""
        return {"已修改": "原文件已被修改，请同时参阅修改文件", "失效": "原文件已失效，本解读仅供查阅",
                "废止": "原文件已废止，本解读仅供查阅"}[self.state]


@dataclass(eq=False)
class Policy:
    """A policy document. Relation lists are filled by :mod:`generator.structure.site`."""

    id: str
    source: Path
    line: int  # first front-matter line, for document-level errors
    lines: dict[str, int]
    title: str
    index_no: str | None
    issuer: str
    doc_no: str | None
    registration_no: str | None
    topic: str
    category: str
    written: dt.date
    published: dt.date
    effective: dt.date | None
    validity: str
    validity_date: dt.date | None
    refs: dict[str, list[Located]]  # replaces, replaced_by, amends, amended_by, related
    tags: list[str]
    keywords: list[str]
    summary: str
    service_url: str | None
    source_url: str | None
    attachments: list[Attachment]
    language: str | None
    body: RenderedBody
    # --- filled by the site graph
    url: str = ""
    replaces: list["Policy"] = field(default_factory=list)
    replaced_by: list["Policy"] = field(default_factory=list)
    amends: list["Policy"] = field(default_factory=list)
    amended_by: list["Policy"] = field(default_factory=list)
    related: list["Policy"] = field(default_factory=list)
    notice: "Notice | None" = None  # the banner of a document no longer simply in force
    #: Its interpretations by form, in the fixed form order: [(form, [interpretation, …]), …].
    interpretations: list = field(default_factory=list)
    interpretation_forms: list[str] = field(default_factory=list)  # forms of its interpretations, in order
    qa: list = field(default_factory=list)  # the 政策问答 entries concerning it, newest first
    consultation: object = None  # the draft for comment it was made from (意见征集)
    decision: object = None  # the decision-catalogue item whose 决策文件 it is (重大行政决策)
    comparisons: list = field(default_factory=list)  # its 新旧对照 pages, as old or new (.comparisons)

    type_name = "policy"

    def bodies(self) -> list[RenderedBody]:
        return [self.body]

    @property
    def validity_class(self) -> str:
        """A CSS-safe name for the 有效性 state (the visible label stays the Chinese text)."""
        return {"现行有效": "current", "已修改": "amended", "失效": "expired", "废止": "repealed"}[self.validity]

    @property
    def year(self) -> int:
        return self.published.year

    @property
    def description(self) -> str:
        """内容概述: the summary, or the body's opening text cut at a sentence end."""
        if self.summary:
            return self.summary
        return excerpt(self.body.text) or self.title

    @property
    def sort_key(self) -> tuple:
        """Sort with ``reverse=True`` for newest first; 索引号 and id break ties deterministically."""
        return (self.published, self.index_no or "", self.id)


def read_policy(path: Path, config: SiteConfig, report: Report) -> Policy | None:
    """Read one policy file; every problem goes to ``report``."""
    started = start_markdown(path, config, report, POLICY_SCHEMA)
    if started is None:
        return None
    source, values, body, scope = started.source, started.values, started.body, started.scope
    privacy.screen_content(path, source.text, source.meta, config, report, values=values, bodies=[body])
    if not started.ok:
        return None
    if not body.html.strip() and not values["source_url"]:
        report.error(path, source.body_line, "the document has no body and no 原文链接",
                     "write the text below the front matter, or add `原文链接: https://…` to the official text",
                     code="empty-body")
        return None
    content_dir = config.content_root
    if not files_open(values["attachments"], content_dir, scope):
        return None
    return Policy(
        id=path.stem, source=path, line=source.meta.line, lines=POLICY_SCHEMA.lines(source.meta),
        title=values["title"], index_no=values["index_no"], issuer=values["issuer"], doc_no=values["doc_no"],
        registration_no=values["registration_no"], topic=values["topic"], category=values["category"],
        written=values["written"], published=values["published"], effective=values["effective"],
        validity=values["validity"], validity_date=values["validity_date"],
        refs={k: values[k] for k in RELATIONS},
        tags=values["tags"], keywords=values["keywords"], summary=values["summary"],
        service_url=values["service_url"], source_url=values["source_url"],
        attachments=[attachment(a, content_dir) for a in values["attachments"]],
        language=values["language"], body=body,
    )
