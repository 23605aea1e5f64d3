"""The schema of site.yaml, section by section: what the README reference lists and the loader checks."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from typing import Callable, Sequence

from ..headers import SECURITY_SCHEMA
from ..messaging import MESSAGES_SCHEMA
from ..inspection.settings import COLUMN_FIELDS, INSPECTION_SCHEMA
from ..phone import PhoneNumber
from ..privacy import PRIVACY_SCHEMA
from ..readers.engines import DEFAULT as DEFAULT_ENGINE, ENGINES
from ..readers.yaml_loader import Mapping
from ..schema import (Choice, ContentFile, Date, Field, FieldType, Integer, Invalid, ListOf, OneOf, Record, Schema,
                     Scope, Text, Url, type_name)
from ..search_settings import SEARCH_SCHEMA
from ..traditional import TRADITIONAL_SCHEMA
from .model import (DEFAULT_CATEGORIES, DEFAULT_TOPICS, INDEX_DATES, INDEX_FIELDS, SLUG, TERM_SLUG, VALIDITY_GROUPS,
                    VALIDITY_STATES, ConsultationRules, ListFilter, Term)

# --------------------------------------------------------------------------- schema


def _term_schema(what: str) -> Schema:
    return Schema(f"a {what} entry", [
        Field("name", "name", Text(), required=True, doc=f"The {what} as shown.", example="惠企政策"),
        Field("slug", "slug", Text(pattern=TERM_SLUG, pattern_label="a URL segment without spaces or slashes"),
              doc="The URL segment of its page; defaults to the name.", example="huiqi"),
    ])


_TERM = OneOf(Text(), Record(_term_schema("term")), label="a name, or {name, slug}")

_SITE = Schema("site", [
    Field("name", "name", Text(), required=True, doc="网站名称, shown in every page title and header.",
          example="江州市文化和旅游局"),
    Field("language", "language",
          Text(pattern=r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*", pattern_label="a language tag such as zh-CN or zh-Hant"),
          default="zh-CN", doc="Language of the site (`zh-CN`, `zh-Hant`, …); documents may override it.",
          example="zh-CN"),
    Field("base_url", "base_url", Url(), required=True,
          doc="Public address of the site; used in sitemap.xml, the feed and the 找错 link.",
          example="https://wlj.jiangzhou.gov.cn/"),
    Field("description", "description", Text(max_length=200), default="",
          doc="One-sentence description for search engines.", example="江州市文化和旅游局政府信息公开专栏"),
])

_AGENCY = Schema("agency", [
    Field("sponsor", "sponsor", Text(), required=True, doc="主办单位.", example="江州市文化和旅游局"),
    Field("organizer", "organizer", Text(), required=True, doc="承办单位.", example="江州市文化和旅游局办公室"),
    Field("address", "address", Text(), required=True, doc="Postal address (联系地址).",
          example="江州市浔阳区长虹大道88号"),
    Field("phone", "phone", PhoneNumber(), required=True, doc="Contact telephone (联系电话), with its area code.",
          example="0792-8221234"),
    Field("postcode", "postcode", Text(pattern=r"\d{6}", pattern_label="a six-digit postcode", allow_numbers=True),
          default="", doc="邮政编码.", example='"332000"'),
    Field("email", "email", Text(pattern=r"[^@\s]+@[^@\s]+\.[^@\s]+", pattern_label="an e-mail address"),
          default="", doc="Public contact e-mail.", example="wlj@jiangzhou.gov.cn"),
    Field("complaints_phone", "complaints_phone", PhoneNumber(),
          doc="监督投诉电话 for the public institutions the agency supervises; shown on the directory.",
          example="0792-8221200"),
])

_IDENTITY = Schema("identity", [
    Field("site_code", "site_code",
          Text(pattern=r"\d{10}|bm\d{8}", pattern_label="a 网站标识码 (10 digits, or bm + 8 digits)",
               allow_numbers=True),
          required=True, doc="网站标识码, shown in the footer and sent with the 找错 link.",
          example='"3604000012"'),
    Field("icp", "icp", Text(pattern=r"\S+ICP备\d+号(-\d+)?", pattern_label="an ICP number such as 赣ICP备12345678号"),
          required=True, doc="ICP备案号, linked to beian.miit.gov.cn.", example="赣ICP备2021001234号-1"),
    Field("police_record", "police_record",
          Text(pattern=r"\S*公网安备\s*\d+号", pattern_label="a 公安机关备案号 such as 赣公网安备36040202000123号"),
          required=True, doc="公安机关备案号, linked to beian.gov.cn.", example="赣公网安备36040202000123号"),
    Field("conac_id", "conac_id", Text(pattern=r"[A-Za-z0-9]+", pattern_label="the conac site id (letters and digits)",
                                       allow_numbers=True),
          required=True, doc="党政机关网站标识 id, for the badge link to bszs.conac.cn.",
          example="2B3D4E5F60718293A4B5C6D7E8F90A1B"),
])


def _check_pattern(values, mapping, scope):
    pattern = values["pattern"]
    try:
        fields = [(name, spec) for _, name, spec, _ in string.Formatter().parse(pattern) if name is not None]
        pattern.format(organ_code="X", year=2024, month=1, seq=1)
    except (ValueError, IndexError, KeyError) as e:
        scope.error(mapping.line_of("pattern"), f"pattern: {pattern!r} is not a valid pattern ({e})",
                    "use placeholders like {organ_code}/{year}-{seq:05d}")
        return False
    names = {n for n, _ in fields}
    repeated = sorted({n for n, _ in fields if [m for m, _ in fields].count(n) > 1})
    if repeated:  # the 索引号 is parsed back with one regex group per placeholder
        scope.error(mapping.line_of("pattern"), f"pattern: placeholder(s) {', '.join(repeated)} used twice",
                    "write each placeholder once, e.g. {organ_code}/{year}-{seq:05d}")
        return False
    unknown = names - INDEX_FIELDS
    if unknown:
        scope.error(mapping.line_of("pattern"), f"pattern: unknown placeholder(s) {', '.join(sorted(unknown))}",
                    "allowed: {organ_code}, {year}, {month}, {seq}")
        return False
    if "seq" not in names:
        scope.error(mapping.line_of("pattern"), "pattern: has no {seq} placeholder",
                    "add a serial number, e.g. {organ_code}/{year}-{seq:05d}")
        return False
    return True


_INDEX = Schema("index_no", [
    Field("organ_code", "organ_code", Text(allow_numbers=True), required=True,
          doc="The agency's organ code or 统一社会信用代码, the first part of every 索引号.",
          example="11360400MB1C23456X"),
    Field("pattern", "pattern", Text(), default="{organ_code}/{year}-{seq:05d}",
          doc="How a 索引号 is made: placeholders {organ_code}, {year}, {month}, {seq}.",
          example='"{organ_code}/{year}-{seq:05d}"'),
    Field("year_from", "year_from", Choice(tuple(INDEX_DATES)), default="发布日期",
          doc="The date whose year (and month) a 索引号 carries: 发布日期 or 成文日期 (documents without a "
              "成文日期 use 发布日期). A 索引号 whose year differs is warned about.", example="发布日期"),
], rules=[_check_pattern])

class _TagCatalogue(FieldType):
    """``tags`` is a list, or a mapping of group name → list; validated by hand."""

    label = "a list of tags, or a mapping of group → list of tags"

    def convert(self, value, scope, line):
        if isinstance(value, Mapping):
            out = []
            for group, items in value.items():
                for term in ListOf(_TERM).convert(items, scope, value.line_of(group)):
                    out.append(as_term(term, group))
            return out
        return [as_term(t) for t in ListOf(_TERM).convert(value, scope, line)]


def as_term(value, group: str = "") -> Term:
    if isinstance(value, dict):
        return Term(value["name"], value.get("slug") or value["name"], group)
    return Term(value, value, group)


def check_term_slugs(terms: list[Term], what: str, line: int, scope: Scope) -> None:
    """A term's page lives at ``tags/<slug>/``: a name used as slug must be a safe URL segment."""
    for term in terms:
        # Spaces are fine (links quote them); separators and dot segments would leave tags/.
        if not re.fullmatch(r"[^/\\?#%\x00-\x1f]+", term.slug) or term.slug.strip(".") == "":
            scope.error(line, f"{what} {term.name!r} cannot be used as a URL segment",
                        f"give it a slug: `{{name: {term.name}, slug: a-short-ascii-name}}`")


VOCABULARIES = Schema("vocabularies", [
    Field("topics", "topics", ListOf(_TERM), default=lambda: list(DEFAULT_TOPICS),
          doc="主题分类: the allowed values of a document's 主题分类. Defaults to the gov.cn list.",
          example="[文化、广电、新闻出版, 商贸、海关、旅游]"),
    Field("categories", "categories", ListOf(Text()), default=lambda: list(DEFAULT_CATEGORIES),
          doc="文种: kinds of document (法律, 行政法规, 部门规章, 地方性法规, 地方政府规章, 规范性文件, 其他文件 by default).",
          example="[规范性文件, 其他文件]"),
    Field("issuers", "issuers", ListOf(Text()), default=None,
          doc="发布机构: full standard names of issuing bodies. Defaults to the sponsor alone.",
          example="[江州市文化和旅游局, 江州市人民政府]"),
    Field("tags", "tags", _TagCatalogue(), default=list,
          doc="标签目录: the tag catalogue, a list or groups of lists; a document's 标签 must come from it.",
          example="{适用对象: [企业, 个人], 政策类型: [惠企政策]}"),
    Field("institution_categories", "institution_categories", ListOf(Text()),
          default=lambda: ["图书馆", "博物馆", "文化馆", "美术馆", "A级旅游景区"],
          doc="类别 of public institutions in the directory, in display order.",
          example="[图书馆, 博物馆, 文化馆, 美术馆, A级旅游景区]"),
    Field("districts", "districts", ListOf(Text()), default=list,
          doc="所在区县 of public institutions, in display order.", example="[浔阳区, 濂溪区, 柴桑区]"),
    Field("qa_topics", "qa_topics", ListOf(Text()), default=list,
          doc="主题 of 政策问答 entries, in the order the Q&A page shows its groups.",
          example="[公共文化服务, 非物质文化遗产, A级旅游景区]"),
])

#: The 有效性 filter of a column list (declared by the types whose documents have a 有效性).
VALIDITY_FILTER = OneOf(
    Choice(tuple(VALIDITY_GROUPS), label="current, repealed or all"),
    ListOf(Choice(VALIDITY_STATES)),
    label="current, repealed, all, or a list of 有效性 states",
)


def _list_schema(types: Sequence) -> Schema:
    """``list:`` of a column: a listable type and the filters that type declares (one field per key)."""
    listable = [t for t in types if t.list_filters is not None]
    fields = [Field("type", "type", Choice(tuple(t.name for t in listable)), default=listable[0].name,
                    doc="The content type the column lists: " + ", ".join(f"{t.name} ({t.label})" for t in listable)
                    + ".", example=listable[0].name)]
    seen: dict[str, list[str]] = {}
    first: dict[str, ListFilter] = {}
    for t in listable:
        for f in t.list_filters:
            first.setdefault(f.key, f)
            seen.setdefault(f.key, []).append(t.name)
    for key, f in first.items():
        doc = f.doc if len(seen[key]) == len(listable) else f"{f.doc} (for {', '.join(seen[key])})"
        fields.append(Field(key, key, f.type, default=f.default, doc=doc, example=f.example))
    allowed = {t.name: [f.key for f in t.list_filters] for t in listable}

    def check(values, mapping, scope: Scope) -> bool:
        ok = True
        for key in seen:
            given = values.get(key)
            if given and given != "all" and key not in allowed[values["type"]]:
                scope.error(mapping.line_of(key), f"filter {key!r} does not apply to lists of type {values['type']}",
                            f"filters for {values['type']}: {', '.join(allowed[values['type']]) or 'none'}")
                ok = False
        return ok

    return Schema("list", fields, rules=[check])


def _column_schema(list_schema: Schema) -> Schema:
    column = Schema("column", [])
    column.fields.extend([
        Field("slug", "slug", Text(pattern=SLUG, pattern_label="a URL segment (lower-case letters, digits, '-')"),
              required=True, doc="URL segment of the column; its URL is the parent's plus this.", example="gfxwj"),
        Field("name", "name", Text(), required=True, doc="栏目名称, shown in navigation and breadcrumbs.",
              example="规范性文件"),
        Field("description", "description", Text(multiline=True), default="",
              doc="A sentence shown under the column's heading.", example="本栏目公开本机关现行有效的行政规范性文件。"),
        Field("list", "list", Record(list_schema, "a list filter"), default=None,
              doc="What the column lists (see *Column lists*); a column with children may also list (a combined list).",
              example="{type: policy, category: [规范性文件], validity: current}"),
        Field("page", "page", ContentFile({".md": "Markdown", ".yaml": "YAML", ".yml": "YAML"}, "a page file"),
              doc="A page shown at the column's URL: a Markdown file, or a YAML file of a 类型 (see *Disclosure pages*).",
              example="pages/guide.yaml"),
        Field("empty_reason", "empty_reason", Text(), default="",
              doc="Why a column may be empty (e.g. 本机关无此项内容); without it an empty column is an error.",
              example="本机关未制定地方政府规章。"),
        Field("children", "children", ListOf(Record(column, "a column")), default=list,
              doc="Sub-columns, each with the same fields.", example="[{slug: xxyx, name: 现行有效, list: …}]"),
        *COLUMN_FIELDS,
    ])
    column.__post_init__()
    return column

_LISTING = Schema("listing", [
    Field("per_page", "per_page", Integer(5, 500), default=20, doc="Items per page of a column list.",
          example="20"),
])
_FEED = Schema("feed", [
    Field("entries", "entries", Integer(1, 1000), default=20, doc="Number of newest documents in feed.xml.",
          example="20"),
])
class _UrlPattern(FieldType):
    """Where a document type's pages go: lower-case letters, digits, '-' and '/', the placeholder {id}
    (and {year}, for types whose documents have a year), ending in '/'. Checked here so that a typo such
    as {yr} is a located error, not a failure when the first URL is made."""

    def __init__(self, year: bool):
        self.placeholders = {"id", "year"} if year else {"id"}
        self.label = "a URL pattern with {id}" + (" (and {year})" if year else "") + ", ending in '/'"

    def convert(self, value, scope, line):
        if not isinstance(value, str):
            raise Invalid(f"expected {self.label}, got {type_name(value)}")
        hint = "use lower-case letters, digits, '-' and '/' and the placeholders " + \
            " and ".join("{" + p + "}" for p in sorted(self.placeholders)) + ', e.g. "zcwj/{id}/"'
        try:
            parts = list(string.Formatter().parse(value))
        except ValueError as e:
            raise Invalid(f"{value!r} is not {self.label} ({e})", hint) from None
        names = [name for _, name, spec, conversion in parts if name is not None or spec or conversion]
        literal = "".join(text for text, *_ in parts)
        if "id" not in names or not set(names) <= self.placeholders or any(spec or conversion for *_, spec, conversion
                                                                          in parts) \
                or not re.fullmatch(r"[a-z0-9\-/]*", literal) or not value.endswith("/"):
            raise Invalid(f"{value!r} is not {self.label}", hint)
        return value


def _urls_schema(types: Sequence) -> Schema:
    return Schema("urls", [
        Field(t.name, t.name, _UrlPattern(year=t.url_year), default=t.url,
              doc=f"Where {t.label} pages are written; placeholders {{id}}" + (" and {year}." if t.url_year else "."),
              example=f'"{t.url}"')
        for t in types if t.url is not None])


_CALENDAR = Schema("calendar", [
    Field("holidays", "holidays", ListOf(Date()), default=list,
          doc="Extra public holidays (weekdays off) beyond the built-in 2019–2026 table.", example="[2027-01-01]"),
    Field("workdays", "workdays", ListOf(Date()), default=list,
          doc="Extra 调休 working days (weekend days worked).", example="[2027-02-06]"),
])

_DEFAULT_RULES = ConsultationRules()
_CONSULTATION = Schema("consultation", [
    Field("general_workdays", "general_workdays", Integer(_DEFAULT_RULES.general_workdays, 365),
          default=_DEFAULT_RULES.general_workdays,
          doc="Shortest comment period of a 一般政策文件 draft, in 工作日, both dates counted (北京市2023年政务公开"
              "工作要点: at least 5). At least the default.", example="5"),
    Field("normative_workdays", "normative_workdays", Integer(_DEFAULT_RULES.normative_workdays, 365),
          default=_DEFAULT_RULES.normative_workdays,
          doc="Shortest comment period of a 规范性文件 draft, in 工作日 (国办发〔2018〕37号: 一般不少于7个工作日). "
              "At least the default.", example="7"),
    Field("major_decision_days", "major_decision_days", Integer(_DEFAULT_RULES.major_decision_days, 365),
          default=_DEFAULT_RULES.major_decision_days,
          doc="Shortest comment period of a 重大行政决策 draft, in calendar days (《重大行政决策程序暂行条例》"
              "第十五条: 一般不少于30日). At least the default.", example="30"),
    Field("report_days", "report_days", Integer(1, _DEFAULT_RULES.report_days), default=_DEFAULT_RULES.report_days,
          doc="Days after the deadline within which the 征集情况说明 is published (北京市2023年政务公开工作要点: "
              "30日内); later, or missing after that, is a warning. At most the default.", example="30"),
])

class _ValidatedFirst(FieldType):
    """A section that load_config validates before the rest (the column filters need it)."""

    def __init__(self, schema: Schema):
        self.label = f"a mapping ({schema.name})"

    def convert(self, value, scope, line):
        return value


_MARKDOWN = Schema("markdown", [
    Field("engine", "engine", Choice(ENGINES), default=DEFAULT_ENGINE,
          doc="The Markdown dialect of bodies and text fields: `commonmark` (CommonMark with GFM tables and "
              "footnotes, bold and italics that work next to Chinese punctuation; compiled, fast) or "
              "`python-markdown` (Python-Markdown, for content written for MkDocs or Pelican).",
          example="commonmark"),
])

@dataclass(frozen=True)
class Section:
    """One top-level key of site.yaml: its schema (or how the content types make it) and its reference entry."""

    key: str
    schema: Schema | Callable[[Sequence], Schema]
    doc: str
    example: str
    required: bool = False
    validated_first: bool = False  # checked before the rest (other sections use its values)

    def of(self, types: Sequence) -> Schema:
        return self.schema(types) if callable(self.schema) else self.schema


def _columns_schema(types: Sequence) -> Schema:
    return _column_schema(_list_schema(types))


#: site.yaml, key by key, in the order of the README reference.
SECTIONS = (
    Section("site", _SITE, "Name, language, base URL.", "{name: …, base_url: …}", required=True),
    Section("agency", _AGENCY, "主办/承办单位 and contact, for the footer.", "{sponsor: …, organizer: …}",
            required=True),
    Section("identity", _IDENTITY, "The statutory footer identity: 网站标识码, ICP备案号, 公安机关备案号, 党政机关标识.",
            "{site_code: …, icp: …}", required=True),
    Section("index_no", _INDEX, "How 索引号 are made and checked.", "{organ_code: …, pattern: …}", required=True),
    Section("vocabularies", VOCABULARIES, "Controlled vocabularies: 主题分类, 文种, 发布机构, 标签目录.",
            "{topics: […], tags: {…}}", validated_first=True),
    Section("columns", _columns_schema, "The column tree (栏目).",
            "[{slug: zfxxgk, name: 政府信息公开, children: […]}]", required=True),
    Section("listing", _LISTING, "List pages.", "{per_page: 20}"),
    Section("feed", _FEED, "The Atom feed.", "{entries: 20}"),
    Section("urls", _urls_schema, "URL patterns of document pages.", '{policy: "zcwj/{id}/"}'),
    Section("calendar", _CALENDAR, "Corrections to the working-day calendar used for deadlines.",
            "{holidays: [2027-01-01]}"),
    Section("security", SECURITY_SCHEMA,
            "Embeds allowed in content, framing by other sites, and the security headers written for hosting.",
            "{iframe_hosts: [v.qq.com]}"),
    Section("privacy", PRIVACY_SCHEMA,
            "The agency's official contact mobile numbers, which the privacy screening lets content publish.",
            "{official_numbers: [138-0792-1234]}"),
    Section("markdown", _MARKDOWN, "The Markdown dialect of the content.", "{engine: commonmark}"),
    Section("messages", MESSAGES_SCHEMA, "The message service: the 留言 link of policy pages and the reply time "
            "limit of published messages.", '{url: "https://…/liuyan/?title={title}&url={url}", reply_limit: 5}'),
    Section("search", SEARCH_SCHEMA, "The site search: its synonym and abbreviation table.",
            "{synonyms: {年报: 年度报告}}"),
    Section("consultation", _CONSULTATION,
            "Thresholds of the 意见征集 rules (comment periods, the 征集情况说明 deadline); a site may tighten them.",
            "{normative_workdays: 10}"),
    Section("inspection", INSPECTION_SCHEMA,
            "The self-inspection (`inspect`): update periods, 错敏字 word list, severities.", "{words: {江洲市: 江州市}}"),
    Section("traditional", TRADITIONAL_SCHEMA, "The Traditional Chinese (繁體) mirror of the site, converted with "
            "OpenCC.", "{enabled: true, variant: tw}"),
)


def section_schemas(types: Sequence) -> dict[str, Schema]:
    """Every schema of site.yaml by its place in the file (the README reference); ``types`` are the content
    types, which declare the column filters and URL patterns."""
    out: dict[str, Schema] = {}
    for section in SECTIONS:
        schema = section.of(types)
        if section.key == "columns":
            out["columns[]"] = schema
            out["columns[].list"] = _list_schema(types)
        else:
            out[section.key] = schema
    return out


def _field(section: Section, schema: Schema) -> Field:
    if section.key == "columns":
        kind = ListOf(Record(schema, "a column"), min_items=1)
    else:
        kind = _ValidatedFirst(schema) if section.validated_first else Record(schema)
    return Field(section.key, section.key, kind, required=section.required, default=None, doc=section.doc,
                 example=section.example)


def site_schema(types: Sequence) -> Schema:
    """The whole of site.yaml."""
    return Schema("site.yaml", [_field(section, section.of(types)) for section in SECTIONS])
