"""Statutory disclosure pages shown at a column's URL (``page:`` in site.yaml).

The 法定主动公开内容 a column tree must carry is partly documents (listed from
the library) and partly standing information that changes rarely: 机构职能,
领导信息, 内设机构, 联系方式, the 政府信息公开指南 and the 依申请公开 page. The
standing pages are one file each:

* a Markdown file with 标题 and 更新日期 (机构职能, 制度 texts, …);
* a YAML file whose ``类型`` says what it holds and which fields it must have —
  the guide, for instance, must give the disclosure office's name, address,
  office hours, phone, fax and online contact (条例 第十二条).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import ColumnSpec, SiteConfig
from .. import privacy
from ..errors import Report
from ..phone import PhoneNumber, PhoneNumbers
from ..readers import yaml_loader
from ..readers.frontmatter import read_markdown_file
from ..readers.source import read_text
from ..readers.markdown import RenderedBody, options, render
from ..readers.yaml_loader import Mapping, text_line
from .base import ContentType, PageSpec, SearchSpec, attachment, files_open
from ..schema import Choice, ContentFile, Date, Field, ListOf, Record, Schema, Scope, Text, Url

IMAGE_TYPES = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WebP"}
FORM_TYPES = {".doc": "Word", ".docx": "Word", ".wps": "WPS", ".pdf": "PDF", ".ofd": "OFD"}

#: 条例 第二十九条: what an application must contain. Shown when the page does not list its own.
STATUTORY_APPLICATION_CONTENTS = (
    "申请人的姓名或者名称、身份证明、联系方式；",
    "申请公开的政府信息的名称、文号或者便于行政机关查询的其他特征性描述；",
    "申请公开的政府信息的形式要求，包括获取信息的方式、途径。",
)
#: 条例 第三十条、第三十一条、第三十二条、第三十三条、第四十二条: time limits and fees, always shown.
STATUTORY_TIME_LIMITS = (
    ("申请内容不明确", "自收到申请之日起7个工作日内一次性告知申请人作出补正，说明需要补正的事项和合理的补正期限。"),
    ("能够当场答复的", "当场予以答复。"),
    ("不能当场答复的", "自收到申请之日起20个工作日内予以答复；需要延长答复期限的，经政府信息公开工作机构负责人同意并告知申请人，"
                "延长的期限最长不得超过20个工作日。"),
    ("涉及第三方权益的", "书面征求第三方意见，第三方应当自收到征求意见书之日起15个工作日内提出意见；"
                  "征求第三方和其他机关意见所需时间不计算在答复期限内。"),
    ("收费", "行政机关依申请提供政府信息，不收取费用；申请人申请公开政府信息的数量、频次明显超过合理范围的，"
           "可以按照有关规定收取信息处理费。"),
)

_MD = Text(multiline=True)

_LEADER = Schema("a leader", [
    Field("姓名", "name", Text(), required=True, aliases=("name",), doc="Name.", example="王立新"),
    Field("职务", "post", Text(), required=True, aliases=("post",), doc="Post.", example="党组书记、局长"),
    Field("分工", "duties", _MD, required=True, aliases=("duties",), synonyms=("工作分工", "职责"),
          doc="Responsibilities (Markdown).", example="主持局全面工作。"),
    Field("照片", "photo", ContentFile(IMAGE_TYPES, "an image path"), aliases=("photo",),
          doc="Photo; needs 照片说明.", example="media/leaders/wang.jpg"),
    Field("照片说明", "photo_alt", Text(max_length=100), aliases=("photo_alt",), synonyms=("替代文本",),
          doc="Alternative text of the photo (required with 照片).", example="王立新同志标准照"),
    Field("简历", "resume", _MD, aliases=("resume",), doc="Short biography (Markdown).",
          example="男，汉族，1972年生……"),
])
_DEPARTMENT = Schema("a department", [
    Field("名称", "name", Text(), required=True, aliases=("name",), doc="Name.", example="公共服务处"),
    Field("职责", "duties", _MD, required=True, aliases=("duties",), synonyms=("主要职责",),
          doc="Duties (Markdown).", example="拟订公共文化服务政策……"),
    Field("电话", "phones", PhoneNumbers(), required=True, aliases=("phone",), synonyms=("联系电话",),
          doc="Telephone number(s).", example="0792-8221236"),
    Field("负责人", "head", Text(), aliases=("head",), doc="Head of the department.", example="刘洋"),
])
_CONTACT = Schema("a contact", [
    Field("名称", "name", Text(), required=True, aliases=("name",), synonyms=("部门",),
          doc="Who answers (office or service).", example="局办公室"),
    Field("电话", "phones", PhoneNumbers(), required=True, aliases=("phone",), synonyms=("联系电话",),
          doc="Telephone number(s).", example="0792-8221234"),
    Field("传真", "fax", PhoneNumber(), aliases=("fax",), doc="Fax.", example="0792-8221299"),
    Field("地址", "address", Text(), aliases=("address",), doc="Address.", example="江州市浔阳区长虹大道88号"),
    Field("邮编", "postcode", Text(pattern=r"\d{6}", pattern_label="a six-digit postcode", allow_numbers=True),
          aliases=("postcode",), doc="Postcode.", example='"332000"'),
    Field("办公时间", "hours", Text(), aliases=("hours",), doc="Office hours.",
          example="工作日 上午8:30—12:00，下午14:30—17:30"),
    Field("邮箱", "email", Text(pattern=r"[^@\s]+@[^@\s]+\.[^@\s]+", pattern_label="an e-mail address"),
          aliases=("email",), doc="E-mail.", example="wlj@jiangzhou.gov.cn"),
    Field("说明", "note", _MD, aliases=("note",), doc="What to contact them about (Markdown).",
          example="政策咨询、政府信息公开申请"),
])
_OFFICE = Schema("the disclosure office", [
    Field("名称", "name", Text(), required=True, aliases=("name",), doc="Name of the 政府信息公开工作机构.",
          example="江州市文化和旅游局办公室"),
    Field("办公地址", "address", Text(), required=True, aliases=("address",), doc="Office address.",
          example="江州市浔阳区长虹大道88号3楼"),
    Field("办公时间", "hours", Text(), required=True, aliases=("hours",), doc="Office hours.",
          example="工作日 8:30—12:00，14:30—17:30"),
    Field("联系电话", "phones", PhoneNumbers(), required=True, aliases=("phone",), doc="Telephone.",
          example="0792-8221234"),
    Field("传真", "fax", PhoneNumber(), required=True, aliases=("fax",), doc="Fax number.", example="0792-8221299"),
    Field("互联网联系方式", "online", Text(pattern=r"[^@\s]+@[^@\s]+\.[^@\s]+|https?://\S+",
                                      pattern_label="an e-mail address or a web address"),
          required=True, aliases=("online",), synonyms=("邮箱", "电子邮箱", "网址"),
          doc="E-mail or web address for online contact.", example="wlj@jiangzhou.gov.cn"),
    Field("邮编", "postcode", Text(pattern=r"\d{6}", pattern_label="a six-digit postcode", allow_numbers=True),
          aliases=("postcode",), doc="Postcode.", example='"332000"'),
])
_CHANNEL = Schema("an application channel", [
    Field("方式", "name", Text(), required=True, aliases=("name",), doc="Channel.", example="当面申请"),
    Field("说明", "note", _MD, required=True, aliases=("note",), doc="How to use it (Markdown).",
          example="申请人到局办公室填写申请表……"),
    Field("地址", "address", Text(), aliases=("address",), doc="Where to go or write to.",
          example="江州市浔阳区长虹大道88号"),
    Field("电话", "phones", PhoneNumbers(), aliases=("phone",), doc="Telephone or fax.", example="0792-8221234"),
    Field("链接", "url", Url(), aliases=("url",), doc="Online address.", example="https://www.jiangzhou.gov.cn/ysqgk/"),
])

_COMMON = [
    Field("类型", "kind", Choice(("领导信息", "内设机构", "联系方式", "公开指南", "依申请公开")), required=True,
          aliases=("type",), doc="What the page holds.", example="领导信息"),
    Field("标题", "title", Text(), aliases=("title",), doc="Page title; defaults to the column's name.",
          example="领导信息"),
    Field("更新日期", "updated", Date(), required=True, aliases=("updated",), doc="Date of the last change.",
          example="2025-03-01"),
    Field("说明", "intro", _MD, aliases=("intro",), doc="Introductory text (Markdown).", example="……"),
    privacy.REVIEW_FIELD,
]

PAGE_SCHEMAS = {
    "领导信息": Schema("领导信息 page", [*_COMMON, Field(
        "领导", "leaders", ListOf(Record(_LEADER), min_items=1, unique=False), required=True, aliases=("leaders",),
        doc="The leaders, in order of rank.", example="[{姓名: …, 职务: …, 分工: …}]")]),
    "内设机构": Schema("内设机构 page", [*_COMMON, Field(
        "机构", "departments", ListOf(Record(_DEPARTMENT), min_items=1, unique=False), required=True,
        aliases=("departments",), doc="Internal departments.", example="[{名称: …, 职责: …, 电话: …}]")]),
    "联系方式": Schema("联系方式 page", [*_COMMON, Field(
        "联系方式", "contacts", ListOf(Record(_CONTACT), min_items=1, unique=False), required=True,
        aliases=("contacts",), doc="Public contact telephones (对外联系电话).", example="[{名称: …, 电话: …}]")]),
    "公开指南": Schema("公开指南 page", [*_COMMON,
        Field("工作机构", "office", Record(_OFFICE), required=True, aliases=("office",),
              doc="The disclosure office: 名称, 办公地址, 办公时间, 联系电话, 传真, 互联网联系方式 (all required).",
              example="{名称: …, 办公地址: …}"),
        Field("正文", "body", _MD, required=True, aliases=("body",),
              doc="The guide: classification and arrangement of information, how to obtain it, remedies (Markdown).",
              example="|\n  一、主动公开 ……")]),
    "依申请公开": Schema("依申请公开 page", [*_COMMON,
        Field("申请渠道", "channels", ListOf(Record(_CHANNEL), min_items=1, unique=False), required=True,
              aliases=("channels",), doc="How to apply (当面, 邮寄, 传真, 网上 …).",
              example="[{方式: 当面申请, 说明: …}]"),
        Field("申请内容", "contents", ListOf(Text()), default=list, aliases=("contents",),
              doc="What an application must contain; defaults to 条例 第二十九条.", example="[申请人的姓名……]"),
        Field("申请表", "form", ContentFile(FORM_TYPES, "a form file"), required=True, aliases=("form",),
              doc="The application form to download (Word, WPS, PDF or OFD).", example="files/ysqgk-sqb.docx"),
        Field("在线申请", "online", Url(), aliases=("online",), doc="Online application system, if any.",
              example="https://www.jiangzhou.gov.cn/ysqgk/"),
        Field("无障碍服务", "accessibility", _MD, required=True, aliases=("accessibility",),
              synonyms=("无障碍", "特殊群体"),
              doc="Help for applicants with reading difficulty or visual/hearing impairment (条例 第四十三条).",
              example="申请人有阅读困难或者视听障碍的，……"),
        Field("邮寄地址", "postal", Text(), aliases=("postal",), doc="Postal address for applications.",
              example="江州市浔阳区长虹大道88号 江州市文化和旅游局办公室（收）")]),
}

#: The nested parts of page files, for the README reference.
PAGE_PART_SCHEMAS = {"leader": _LEADER, "department": _DEPARTMENT, "contact": _CONTACT, "office": _OFFICE,
                     "channel": _CHANNEL}

ARTICLE_SCHEMA = Schema("page front matter", [
    Field("标题", "title", Text(), required=True, aliases=("title",), doc="Page title.", example="机构职能"),
    Field("更新日期", "updated", Date(), required=True, aliases=("updated",), doc="Date of the last change.",
          example="2025-03-01"),
    Field("发布机构", "issuer", Text(), aliases=("issuer",), doc="Who publishes it.", example="江州市文化和旅游局"),
    privacy.REVIEW_FIELD,
])


def _leader_rule(values, mapping, scope):
    if values["photo"] and not values["photo_alt"]:
        scope.error(mapping.line_of("照片"), "照片 needs 照片说明 (alternative text)",
                    "add `照片说明: 某某同志照片`; screen readers read it in place of the photo", code="alt")
        return False
    return True


_LEADER.rules.append(_leader_rule)


@dataclass(eq=False)
class DisclosurePage:
    """A standing page. ``data`` holds the validated fields, Markdown parts as RenderedBody."""

    kind: str  # "文章" for Markdown pages, else the YAML 类型
    source: Path
    id: str  # its path relative to the content folder, as columns name it (`page: pages/guide.yaml`)
    title: str
    updated: dt.date
    data: dict[str, Any] = field(default_factory=dict)
    body: RenderedBody | None = None
    attachments: list[str] = field(default_factory=list)  # content-relative files to publish
    line: int = 1
    lines: dict[str, int] = field(default_factory=dict)
    # --- filled by the site graph
    url: str = ""  # the URL of the column showing it
    column_description: str = ""  # that column's description: the page's summary in search results

    type_name = "page"

    @property
    def intro(self) -> RenderedBody | None:
        """The introductory text of a YAML page (its 说明); Markdown pages have their body instead."""
        return self.data.get("intro")

    def bodies(self) -> list[RenderedBody]:
        out = [self.body] if self.body else []
        out += [v for v in _walk_values(self.data) if isinstance(v, RenderedBody)]
        return out


def _walk_values(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _walk_values(v)
    elif isinstance(value, list):
        for v in value:
            yield from _walk_values(v)
    else:
        yield value


def _render_markdown(values: dict, schema: Schema, mapping: Mapping, path: Path, config: SiteConfig,
                     report: Report, source_lines: list[str]) -> dict:
    """Markdown fields (and those of nested records) become RenderedBody."""
    out = {}
    for f in schema.fields:
        value = values.get(f.attr)
        line = schema.line_of(mapping, f.attr)
        if isinstance(value, str) and f.type is _MD:
            rendered = render(value, path, config.content_dir, text_line(source_lines, line), options(config))
            report.extend(rendered.diagnostics)
            value = rendered
        elif isinstance(f.type, Record) and isinstance(value, dict):
            value = _render_markdown(value, f.type.schema, mapping.get(f.key) or Mapping(), path, config, report,
                                     source_lines)
        elif isinstance(f.type, ListOf) and isinstance(f.type.item, Record) and isinstance(value, list):
            raw = mapping.get(f.key) or []
            value = [_render_markdown(v, f.type.item.schema, r if isinstance(r, Mapping) else Mapping(), path,
                                      config, report, source_lines) for v, r in zip(value, raw)]
        out[f.attr] = value
    return out


def _located(value) -> list:
    """Every file path (Located) among validated values."""
    from ..schema import Located

    return [v for v in _walk_values(value) if isinstance(v, Located)]


def read_page(path: Path, config: SiteConfig, report: Report) -> DisclosurePage | None:
    """Read a page file named by a column; every problem goes to ``report``."""
    page_id = _page_id(path, config)
    column = _named(config).get(page_id)
    default_title = column.name if column is not None else ""
    scope = Scope(path, report, {**config.vocabularies(), "content_dir": config.content_dir})
    if path.suffix.lower() == ".md":
        source = read_markdown_file(path, report)
        if source is None:
            return None
        values = ARTICLE_SCHEMA.validate(source.meta, scope)
        body = render(source.body, path, config.content_dir, source.body_line, options(config))
        report.extend(body.diagnostics)
        privacy.screen_content(path, source.text, source.meta, config, report, values=values, bodies=[body])
        if values is None or not files_open(_located(values), config.content_dir, scope):
            return None
        if not body.html.strip():
            report.error(path, source.body_line, "the page has no text", "write the page below the front matter",
                         code="empty-body")
            return None
        return DisclosurePage("文章", path, page_id, values["title"], values["updated"], values, body)
    text = read_text(path, report)
    raw = yaml_loader.load(text.text, path, report) if text is not None else None
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        report.error(path, getattr(raw, "line", 1), "a page file must be a mapping of fields",
                     "start with `类型: 领导信息` (or 内设机构, 联系方式, 公开指南, 依申请公开)")
        return None
    kind_key = "类型" if "类型" in raw else "type"
    kind = raw.get(kind_key)
    kind = kind if isinstance(kind, str) else None  # a list or mapping here is not a type (and not hashable)
    schema = PAGE_SCHEMAS.get(kind)
    values = schema.validate(raw, scope) if schema is not None else None
    data = _render_markdown(values, schema, raw, path, config, report, text.text.splitlines()) \
        if values is not None else {}
    # The file, its files (申请表, photos) and what its Markdown fields link. Telephone and e-mail
    # fields of contact pages publish public service numbers: not findings.
    privacy.screen_content(path, text.text, raw, config, report, schema=schema, values=values,
                           bodies=[v for v in _walk_values(data) if isinstance(v, RenderedBody)])
    if schema is None:
        report.error(path, raw.line_of(kind_key) if kind_key in raw else raw.line,
                     f"类型 {kind!r} is not a page type" if kind else "missing required field '类型'",
                     "write `类型:` with one of " + ", ".join(PAGE_SCHEMAS), code="page-type")
        return None
    if values is None or not files_open(_located(values), config.content_dir, scope):
        return None
    if kind == "依申请公开":
        data["contents"] = data["contents"] or list(STATUTORY_APPLICATION_CONTENTS)
        data["time_limits"] = STATUTORY_TIME_LIMITS
        data["form_file"] = attachment(values["form"], config.content_root)
    return DisclosurePage(kind, path, page_id, values["title"] or default_title, values["updated"], data,
                          attachments=[v.value for v in _located(values)])


def _page_id(path: Path, config: SiteConfig) -> str:
    return path.resolve().relative_to(config.content_root).as_posix()


def _named(config: SiteConfig) -> dict[str, ColumnSpec]:
    """Page files the columns name (content-relative path → the first column naming it: its name is the
    page's default title)."""
    named: dict[str, ColumnSpec] = {}

    def walk(specs: list[ColumnSpec]):
        for spec in specs:
            if spec.page and spec.page not in named:
                named[spec.page] = spec
            walk(spec.children)

    walk(config.columns)
    return named


def named_pages(config: SiteConfig, discovered: list[Path], report: Report) -> list[Path]:
    """The page files that columns name; the others are reported as unused."""
    named = _named(config)
    out = []
    for path in discovered:
        if named.pop(_page_id(path, config), None) is not None:
            out.append(path)
        else:
            report.warning(path, 0, "page file is not used by any column",
                           "name it in a column of site.yaml (`page: pages/…`), or prefix its name with '_'",
                           code="unused-page")
    for page_id, column in named.items():
        report.error(config.path, column.line, f"column {column.name!r}: the page {page_id} is not in the pages/ "
                     "folder", "move the file into content/pages/ and name it `page: pages/…`", code="page-folder")
    return out


#: The template of each kind of page.
TEMPLATES = {"文章": "page.html", "领导信息": "page_leaders.html", "内设机构": "page_departments.html",
             "联系方式": "page_contacts.html", "公开指南": "page_guide.html", "依申请公开": "page_application.html"}


def _strings(value) -> list[str]:
    """Every text in a page's data, in order (rendered Markdown as its plain text, attachments by title)."""
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in _strings(v)]
    if isinstance(value, str):
        return [value]
    if isinstance(value, RenderedBody):
        return [value.text]
    return [value.title] if hasattr(value, "kind") and isinstance(getattr(value, "title", None), str) else []


def search_fields(page: DisclosurePage) -> list[str]:
    data = {k: v for k, v in page.data.items() if k not in ("kind", "title", "updated")}
    out = [page.title, *_strings(data)]
    if page.body is not None:
        out.append(page.body.text)
    return [out[0]] + [s for s in out[1:] if not s.startswith(("http://", "https://"))]


def _summary(page: DisclosurePage) -> str:
    return page.column_description or next((f[:100] for f in search_fields(page)[1:] if len(f) > 20), "")


def _issuer(page: DisclosurePage, config) -> dict:
    issuer = page.data.get("issuer")
    return {"issuer": issuer if isinstance(issuer, str) else None}


#: Disclosure pages have no URL of their own: each is shown at the URL of the column that names it.
TYPE = ContentType(
    name="page", label="信息公开页面", folder="pages", suffixes=(".md", ".yaml", ".yml"), model=DisclosurePage,
    read=read_page, schemas={"page.article": ARTICLE_SCHEMA, **{f"page.{k}": v for k, v in PAGE_SCHEMAS.items()},
                             **{f"page.{k}": v for k, v in PAGE_PART_SCHEMAS.items()}},
    derived=("url", "column_description"),
    page=PageSpec(lambda page: TEMPLATES[page.kind], lambda site, page: {}, lambda site, page: None),
    search=SearchSpec(search_fields, lambda p: p.updated, _summary, _issuer),
    assets=lambda page: page.attachments,
    select=named_pages,
)
