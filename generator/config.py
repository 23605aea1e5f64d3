"""``content/site.yaml``: the site's identity, vocabularies and column tree.

Validated with the same schema machinery as front matter, so an unknown key, a
missing key or a bad value in site.yaml is reported with its line like any
content error, all of them at once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

from .cache import recording_reads
from .errors import Report
from .headers import SECURITY_SCHEMA
from .messaging import MESSAGES_SCHEMA, Messages
from .inspection.settings import COLUMN_FIELDS, INSPECTION_SCHEMA, InspectionSettings, Period
from .phone import Phone, PhoneNumber
from . import privacy
from .privacy import PRIVACY_SCHEMA
from .readers import yaml_loader
from .readers.engines import DEFAULT as DEFAULT_ENGINE, ENGINES
from .readers.yaml_loader import Mapping
from .schema import (Choice, ContentFile, Date, Field, FieldType, Integer, Invalid, ListOf, OneOf, Record, Schema,
                     Scope, Text, Url, type_name)
from .search_settings import SEARCH_SCHEMA
from .traditional import TRADITIONAL_SCHEMA, Mirror, is_simplified, mirror_of

CONFIG_NAME = "site.yaml"

VALIDITY_STATES = ("现行有效", "已修改", "失效", "废止")
CURRENT_STATES = frozenset({"现行有效", "已修改"})
REPEALED_STATES = frozenset({"失效", "废止"})
VALIDITY_GROUPS = {"current": CURRENT_STATES, "repealed": REPEALED_STATES,
                   "all": frozenset(VALIDITY_STATES)}

#: 主题分类 of the gov.cn policy library, used when site.yaml gives none.
DEFAULT_TOPICS = (
    "综合政务", "国民经济管理、国有资产监管", "财政、金融、审计", "国土资源、能源", "农业、林业、水利",
    "工业、交通", "商贸、海关、旅游", "市场监管、安全生产监管", "城乡建设、环境保护", "科技、教育",
    "文化、广电、新闻出版", "卫生、体育", "人口与计划生育、妇女儿童工作", "劳动、人事、监察",
    "公安、安全、司法", "民政、扶贫、救灾", "民族、宗教", "对外事务", "港澳台侨工作", "国防", "其他",
)
#: 文种 (kinds of document), used when site.yaml gives none. The first six are the
#: 履职依据 classes of a disclosure column.
DEFAULT_CATEGORIES = (
    "法律", "行政法规", "部门规章", "地方性法规", "地方政府规章", "规范性文件", "其他文件",
)

SLUG = r"[a-z0-9][a-z0-9-]*"
TERM_SLUG = r"[^\s/\\?#%]+"
INDEX_FIELDS = {"organ_code", "year", "month", "seq"}


# --------------------------------------------------------------------------- model


@dataclass(frozen=True)
class Term:
    """One entry of a vocabulary (a tag or a 主题分类) with the slug of its page."""

    name: str
    slug: str
    group: str = ""


def _as_set(value) -> frozenset | None:
    return frozenset(value) if value else None


@dataclass(frozen=True)
class ListFilter:
    """A filter a column's ``list:`` may set for a content type (declared by the type).

    ``key`` is the site.yaml key, ``attr`` the document attribute it tests (a
    list-valued attribute matches on any value), ``values`` turns the validated
    setting into the accepted values (``None``: no filter).
    """

    key: str
    attr: str
    type: FieldType
    doc: str
    example: str
    values: Callable[[Any], frozenset | None] = _as_set
    default: Any = None


def validity_values(value) -> frozenset | None:
    """``current``/``repealed``/``all`` or a list of states → the accepted 有效性 states (all: no filter)."""
    states = VALIDITY_GROUPS[value] if isinstance(value, str) else frozenset(value)
    return None if states == VALIDITY_GROUPS["all"] else states


@dataclass(frozen=True)
class ListSpec:
    """What a column lists: a content type and filters on its fields."""

    type: str
    filters: tuple[tuple[str, frozenset], ...]
    line: int


@dataclass
class ColumnSpec:
    """One column (栏目) as site.yaml declares it; :class:`generator.structure.columns.Column` is its place
    in the built tree."""

    slug: str
    name: str
    line: int
    description: str = ""
    children: list["ColumnSpec"] = field(default_factory=list)
    list: ListSpec | None = None
    empty_reason: str = ""
    page: str | None = None  # content-relative path of the page shown at the column's URL
    update_period: Period | None = None  # 更新周期 (the self-inspection's stale-column rule)
    no_update_reason: str = ""  # 长期不更新


@dataclass(frozen=True)
class Agency:
    sponsor: str
    organizer: str
    address: str
    phone: Phone
    postcode: str = ""
    email: str = ""
    complaints_phone: Phone | None = None

    @property
    def area_code(self) -> str:
        return self.phone.area_code


@dataclass(frozen=True)
class Identity:
    site_code: str
    icp: str
    police_record: str
    conac_id: str

    @property
    def police_record_code(self) -> str:
        """The digits of the 公安机关备案号, which the registry's URL takes."""
        return "".join(re.findall(r"\d+", self.police_record))


#: The 索引号 field's meaning, the same for every type that has one (README field tables).
INDEX_DOC = ("Unique across the site and never changed once published (`index_no.pattern`); its year is that "
             "of the date `index_no.year_from` names. `new` writes it; `fill-index` writes every missing one.")

#: The dates a 索引号's {year} (and {month}) may come from: site.yaml ``index_no.year_from``.
INDEX_DATES = {"发布日期": "published", "成文日期": "written"}


@dataclass(frozen=True)
class IndexNoSpec:
    organ_code: str
    pattern: str
    #: Which date the {year}/{month} of a 索引号 follow; types without a 成文日期 always use 发布日期.
    year_from: str = "发布日期"

    def format(self, year: int, month: int, seq: int) -> str:
        return self.pattern.format(organ_code=self.organ_code, year=year, month=month, seq=seq)

    def dated(self, doc) -> tuple[str, object]:
        """The (field name, date) a document's 索引号 is numbered by."""
        written = getattr(doc, INDEX_DATES[self.year_from], None)
        return (self.year_from, written) if written is not None else ("发布日期", doc.published)

    def regex(self) -> re.Pattern:
        """A regex with groups ``year`` and ``seq`` that matches numbers made by ``format``."""
        out = []
        for literal, name, spec, _ in string.Formatter().parse(self.pattern):
            out.append(re.escape(literal))
            if name == "organ_code":
                out.append(re.escape(self.organ_code))
            elif name == "year":
                out.append(r"(?P<year>\d{4})")
            elif name == "month":
                out.append(r"(?P<month>\d{1,2})" if not spec else r"(?P<month>\d{%d})" % len(format(1, spec)))
            elif name == "seq":
                out.append(r"(?P<seq>\d+)")
        return re.compile("".join(out))


@dataclass(frozen=True)
class ConsultationRules:
    """Thresholds of the public-consultation rules (site.yaml ``consultation:``); the defaults are the rules
    the README cites, and a site may only tighten them."""

    general_workdays: int = 5  # 一般政策文件 (北京市2023年政务公开工作要点: 不少于5个工作日)
    normative_workdays: int = 7  # 规范性文件 (国办发〔2018〕37号: 一般不少于7个工作日)
    major_decision_days: int = 30  # 重大行政决策 (《重大行政决策程序暂行条例》第十五条: 一般不少于30日)
    report_days: int = 30  # 征集情况说明 within this many days after the deadline (北京 2023: 30日内)


@dataclass
class SiteConfig:
    """site.yaml, validated: identity, vocabularies, the column tree and build options, plus the content
    types and the build date, which every later stage reads from here."""

    path: Path
    content_dir: Path
    name: str
    language: str
    base_url: str
    description: str
    agency: Agency
    identity: Identity
    index_no: IndexNoSpec
    topics: list[Term]
    categories: list[str]
    issuers: list[str]
    tags: list[Term]
    institution_categories: list[str]
    districts: list[str]
    columns: list[ColumnSpec]
    per_page: int
    feed_entries: int
    urls: dict[str, str]
    extra_holidays: frozenset = frozenset()
    extra_workdays: frozenset = frozenset()
    iframe_hosts: tuple[str, ...] = ()
    frame_ancestors: tuple[str, ...] = ()
    security_headers: bool = True
    official_numbers: tuple[Phone, ...] = ()  # mobiles content may publish (privacy.official_numbers)
    markdown_engine: str = DEFAULT_ENGINE
    inspection: InspectionSettings | None = None  # site.yaml `inspection:` (python -m generator inspect)
    digest: str = ""  # of site.yaml's bytes: part of every cache key
    #: The content types, in registry order (see generator.documents).
    types: tuple = ()
    #: The build date (``--today``): deadlines, states and staleness read it here, never from the clock.
    today: dt.date = dt.date(1970, 1, 1)
    qa_topics: list[str] = field(default_factory=list)  # 主题 of 政策问答, in the Q&A page's order
    messages: Messages = Messages()
    synonyms: dict = field(default_factory=dict)  # site.yaml search.synonyms: word → [words it also finds]
    default_synonyms: bool = True
    #: site.yaml ``consultation:``: the thresholds of the 意见征集 rules.
    consultation: ConsultationRules = ConsultationRules()
    #: The 繁體 mirror (site.yaml ``traditional:``), None when it is off.
    traditional: Mirror | None = None

    @property
    def own_issuers(self) -> frozenset[str]:
        """Issuers whose documents are this agency's own (the 规范性文件 it must interpret and count)."""
        return frozenset({self.agency.sponsor})

    @property
    def base_path(self) -> str:
        """The path part of ``base_url`` (``/`` or ``/xxgk/``), for root-relative links in 404.html."""
        from urllib.parse import urlsplit

        return urlsplit(self.base_url).path or "/"

    def vocabularies(self) -> dict:
        return {
            "topics": [t.name for t in self.topics],
            "categories": list(self.categories),
            "issuers": list(self.issuers),
            "tags": [t.name for t in self.tags],
            "validity": list(VALIDITY_STATES),
            "institution_categories": list(self.institution_categories),
            "districts": list(self.districts),
            "area_code": self.agency.area_code,
            "qa_topics": list(self.qa_topics),
        }


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
                    out.append(_as_term(term, group))
            return out
        return [_as_term(t) for t in ListOf(_TERM).convert(value, scope, line)]


def _as_term(value, group: str = "") -> Term:
    if isinstance(value, dict):
        return Term(value["name"], value.get("slug") or value["name"], group)
    return Term(value, value, group)


def _check_term_slugs(terms: list[Term], what: str, line: int, scope: Scope) -> None:
    """A term's page lives at ``tags/<slug>/``: a name used as slug must be a safe URL segment."""
    for term in terms:
        # Spaces are fine (links quote them); separators and dot segments would leave tags/.
        if not re.fullmatch(r"[^/\\?#%\x00-\x1f]+", term.slug) or term.slug.strip(".") == "":
            scope.error(line, f"{what} {term.name!r} cannot be used as a URL segment",
                        f"give it a slug: `{{name: {term.name}, slug: a-short-ascii-name}}`")


_VOCAB = Schema("vocabularies", [
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

def section_schemas(types: Sequence) -> dict[str, Schema]:
    """Every schema of site.yaml by its place in the file (the README reference); ``types`` are the content
    types, which declare the column filters and URL patterns."""
    list_schema = _list_schema(types)
    column = _column_schema(list_schema)
    return {"site": _SITE, "agency": _AGENCY, "identity": _IDENTITY, "index_no": _INDEX,
            "vocabularies": _VOCAB, "columns[]": column, "columns[].list": list_schema,
            "listing": _LISTING, "feed": _FEED, "urls": _urls_schema(types), "calendar": _CALENDAR,
            "security": SECURITY_SCHEMA, "privacy": PRIVACY_SCHEMA, "markdown": _MARKDOWN,
            "messages": MESSAGES_SCHEMA, "search": SEARCH_SCHEMA,
            "consultation": _CONSULTATION, "inspection": INSPECTION_SCHEMA, "traditional": TRADITIONAL_SCHEMA}


def site_schema(types: Sequence) -> Schema:
    sections = section_schemas(types)
    return Schema("site.yaml", [
        Field("site", "site", Record(_SITE), required=True, doc="Name, language, base URL.",
              example="{name: …, base_url: …}"),
        Field("agency", "agency", Record(_AGENCY), required=True, doc="主办/承办单位 and contact, for the footer.",
              example="{sponsor: …, organizer: …}"),
        Field("identity", "identity", Record(_IDENTITY), required=True,
              doc="The statutory footer identity: 网站标识码, ICP备案号, 公安机关备案号, 党政机关标识.",
              example="{site_code: …, icp: …}"),
        Field("index_no", "index_no", Record(_INDEX), required=True, doc="How 索引号 are made and checked.",
              example="{organ_code: …, pattern: …}"),
        Field("vocabularies", "vocabularies", _ValidatedFirst(_VOCAB), default=None,
              doc="Controlled vocabularies: 主题分类, 文种, 发布机构, 标签目录.", example="{topics: […], tags: {…}}"),
        Field("columns", "columns", ListOf(Record(sections["columns[]"], "a column"), min_items=1), required=True,
              doc="The column tree (栏目).", example="[{slug: zfxxgk, name: 政府信息公开, children: […]}]"),
        Field("listing", "listing", Record(_LISTING), default=None, doc="List pages.", example="{per_page: 20}"),
        Field("feed", "feed", Record(_FEED), default=None, doc="The Atom feed.", example="{entries: 20}"),
        Field("urls", "urls", Record(sections["urls"]), default=None, doc="URL patterns of document pages.",
              example='{policy: "zcwj/{id}/"}'),
        Field("calendar", "calendar", Record(_CALENDAR), default=None,
              doc="Corrections to the working-day calendar used for deadlines.", example="{holidays: [2027-01-01]}"),
        Field("security", "security", Record(SECURITY_SCHEMA), default=None,
              doc="Embeds allowed in content, framing by other sites, and the security headers written for hosting.",
              example="{iframe_hosts: [v.qq.com]}"),
        Field("privacy", "privacy", Record(PRIVACY_SCHEMA), default=None,
              doc="The agency's official contact mobile numbers, which the privacy screening lets content publish.",
              example="{official_numbers: [138-0792-1234]}"),
        Field("markdown", "markdown", Record(_MARKDOWN), default=None,
              doc="The Markdown dialect of the content.", example="{engine: commonmark}"),
        Field("messages", "messages", Record(MESSAGES_SCHEMA), default=None,
              doc="The message service: the 留言 link of policy pages and the reply time limit of published "
                  "messages.", example='{url: "https://…/liuyan/?title={title}&url={url}", reply_limit: 5}'),
        Field("search", "search", Record(SEARCH_SCHEMA), default=None,
              doc="The site search: its synonym and abbreviation table.", example="{synonyms: {年报: 年度报告}}"),
        Field("consultation", "consultation", Record(_CONSULTATION), default=None,
              doc="Thresholds of the 意见征集 rules (comment periods, the 征集情况说明 deadline); a site may tighten them.",
              example="{normative_workdays: 10}"),
        Field("inspection", "inspection", Record(INSPECTION_SCHEMA), default=None,
              doc="The self-inspection (`inspect`): update periods, 错敏字 word list, severities.",
              example="{words: {江洲市: 江州市}}"),
        Field("traditional", "traditional", Record(TRADITIONAL_SCHEMA), default=None,
              doc="The Traditional Chinese (繁體) mirror of the site, converted with OpenCC.",
              example="{enabled: true, variant: tw}"),
    ])


# --------------------------------------------------------------------------- loading


def _column(values: dict, raw: Mapping, types: dict) -> ColumnSpec:
    spec = values["list"]
    list_spec = None
    if spec is not None:
        filters = []
        for f in types[spec["type"]].list_filters:
            accepted = f.values(spec.get(f.key))
            if accepted is not None:
                filters.append((f.attr, accepted))
        list_spec = ListSpec(spec["type"], tuple(filters), raw.line_of("list"))
    children = [_column(v, r, types) for v, r in zip(values["children"], raw.get("children") or [])]
    page = values["page"].value if values["page"] else None
    return ColumnSpec(values["slug"], values["name"], raw.line, values["description"], children, list_spec,
                      values["empty_reason"], page, values["update_period"], values["no_update_reason"] or "")


def _check_unique(items, key, what: str, scope: Scope, line_of) -> None:
    seen: dict = {}
    for item in items:
        k = key(item)
        if k in seen:
            scope.error(line_of(item), f"{what} {k!r} is defined twice", "names and slugs must be unique")
        seen[k] = item


def _vocab_line(raw: Mapping, name: str) -> int:
    vocab = raw.get("vocabularies")
    return vocab.line_of(name) if isinstance(vocab, Mapping) else raw.line


def load_config(content_dir: Path, report: Report, types: Sequence, today: dt.date | None = None) -> SiteConfig | None:
    """Load and validate ``content_dir/site.yaml``; report every problem, return ``None`` on any.

    ``types`` are the content types (:data:`generator.documents.TYPES`): they declare the column filters and
    URL patterns site.yaml may set. ``today`` is the build date (default: the local date), the one place
    every date-dependent rule reads it from.
    """
    path = content_dir / CONFIG_NAME
    if not path.is_file():
        report.error(path, 0, f"{CONFIG_NAME} not found",
                     f"every content folder needs a {CONFIG_NAME}; copy the one from the demo content/")
        return None
    raw = yaml_loader.load_file(path, report)
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        report.error(path, getattr(raw, "line", 1), f"{CONFIG_NAME} must be a mapping of settings",
                     "start with `site:`, `agency:`, `identity:` … at the left margin")
        return None
    errors_before = len(report.errors)
    scope = Scope(path, report, {"content_dir": content_dir})
    # Vocabularies first: the column filters are checked against them.
    vocab_raw = raw.get("vocabularies")
    vocab = None
    if isinstance(vocab_raw, Mapping):
        vocab = _VOCAB.validate(vocab_raw, scope)
    elif vocab_raw is not None:
        report.error(path, raw.line_of("vocabularies"), "vocabularies: expected a mapping")
    vocab = vocab or {f.attr: (f.default() if callable(f.default) else f.default) for f in _VOCAB.fields}
    agency = raw.get("agency") if isinstance(raw.get("agency"), Mapping) else {}
    issuers = vocab["issuers"] or ([agency["sponsor"]] if isinstance(agency.get("sponsor"), str) else [])
    topics = [_as_term(t) for t in vocab["topics"]]
    scope.env = {"content_dir": content_dir, "topics": [t.name for t in topics], "categories": vocab["categories"],
                 "issuers": issuers, "tags": [t.name for t in vocab["tags"]]}
    schema = site_schema(types)
    values = schema.validate(raw, scope)
    for name, terms in (("topic", topics), ("tag", vocab["tags"])):
        line = _vocab_line(raw, name + "s")
        _check_term_slugs(terms, name, line, scope)
        _check_unique(terms, lambda t: t.name, name, scope, lambda t: line)
        _check_unique(terms, lambda t: t.slug, f"{name} slug", scope, lambda t: line)
    if values is None or len(report.errors) > errors_before:
        return None
    raw_columns = raw["columns"]
    by_name = {t.name: t for t in types}
    columns = [_column(v, r, by_name) for v, r in zip(values["columns"], raw_columns)]
    _check_columns(columns, scope)
    traditional = mirror_of(values["traditional"])
    if traditional is not None:
        _check_mirror(traditional, site_language=values["site"]["language"], columns=columns, raw=raw, scope=scope)
    if len(report.errors) > errors_before:
        return None
    site = values["site"]
    base_url = site["base_url"] if site["base_url"].endswith("/") else site["base_url"] + "/"
    listing = values["listing"] or {"per_page": 20}
    feed = values["feed"] or {"entries": 20}
    urls = values["urls"] or {t.name: t.url for t in types if t.url is not None}
    calendar = values["calendar"] or {"holidays": [], "workdays": []}
    security = values["security"] or {"iframe_hosts": [], "frame_ancestors": [], "headers": True}
    search = values["search"] or {"synonyms": {}, "default_synonyms": True}
    config = SiteConfig(
        path=path, content_dir=content_dir, name=site["name"], language=site["language"], base_url=base_url,
        description=site["description"], agency=Agency(**values["agency"]), identity=Identity(**values["identity"]),
        index_no=IndexNoSpec(**values["index_no"]), topics=topics, categories=vocab["categories"],
        issuers=issuers, tags=vocab["tags"], institution_categories=vocab["institution_categories"],
        districts=vocab["districts"], columns=columns, per_page=listing["per_page"],
        feed_entries=feed["entries"], urls=urls,
        extra_holidays=frozenset(calendar["holidays"]), extra_workdays=frozenset(calendar["workdays"]),
        iframe_hosts=tuple(security["iframe_hosts"]), frame_ancestors=tuple(security["frame_ancestors"]),
        security_headers=security["headers"],
        official_numbers=tuple((values["privacy"] or {}).get("official_numbers") or ()),
        markdown_engine=(values["markdown"] or {}).get("engine", DEFAULT_ENGINE),
        synonyms=search["synonyms"], default_synonyms=search["default_synonyms"],
        digest=hashlib.sha256(path.read_bytes()).hexdigest(),
        types=tuple(types), today=today or dt.date.today(),
        qa_topics=vocab["qa_topics"], messages=Messages(**(values["messages"] or {})),
        consultation=ConsultationRules(**values["consultation"]) if values["consultation"] else _DEFAULT_RULES,
        inspection=_inspection(values["inspection"], raw), traditional=traditional,
    )
    # Column descriptions, empty-list reasons and the footer are published text too.
    with recording_reads(config.today):  # the screen's date rules use the build date
        privacy.screen_document(path, path.read_text(encoding="utf-8-sig"), raw, report, schema=schema,
                                public=privacy.public_domains(config), official=privacy.official_numbers(config))
    return config


def _inspection(values: dict | None, raw: Mapping) -> InspectionSettings:
    section = raw.get("inspection")
    if not isinstance(section, Mapping):
        return InspectionSettings.from_values(values)
    last = max([section.line, *(section.line_of(k) for k in section)])
    words = section.get("words")
    if isinstance(words, Mapping):  # the word list may run on below its last key's line
        last = max([last, *(words.line_of(k) for k in words)])
    return InspectionSettings.from_values(values, raw.line_of("inspection"), last)


def _check_mirror(mirror: Mirror, site_language: str, columns: list[ColumnSpec], raw: Mapping, scope: Scope) -> None:
    line = raw["traditional"].line_of("enabled") if isinstance(raw.get("traditional"), Mapping) else raw.line
    if not is_simplified(site_language):
        scope.error(line, f"the 繁體 mirror converts Simplified Chinese, but site.language is {site_language}",
                    "set `site: {language: zh-CN}` or turn the mirror off (`traditional: {enabled: false}`)")
    taken = {c.slug: c.line for c in columns}
    if mirror.path in taken or mirror.path in RESERVED_SLUGS:
        scope.error(line, f"traditional.path {mirror.path!r} is also a top-level column or generated folder",
                    "choose another `path:` for the mirror (zh-hant by default), or rename the column")


#: The first-level parts of a 政府信息公开 column (国办 page-design reference for the 专栏, 2019).
DISCLOSURE_PARTS = ("政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开年报")


def _check_disclosure_parts(columns: list[ColumnSpec], scope: Scope) -> None:
    """A 政府信息公开 column holding 法定主动公开内容 must have the other three national parts too."""
    for column in columns:
        names = {child.name for child in column.children}
        if column.name == "政府信息公开" and "法定主动公开内容" in names:
            missing = [part for part in DISCLOSURE_PARTS if part not in names]
            if missing:
                scope.warning(column.line, f"column 政府信息公开 lacks the national part(s) {'、'.join(missing)}",
                              "the 专栏 has four first-level parts: " + "、".join(DISCLOSURE_PARTS)
                              + "; add them as children (a `page:` or a `list:`)", code="disclosure-parts")


#: Top-level folders the generator writes itself.
RESERVED_SLUGS = frozenset({"page", "tags", "topics", "static", "files", "sitemap", "search"})


def _check_columns(columns: list[ColumnSpec], scope: Scope) -> None:
    reserved = RESERVED_SLUGS

    def walk(items: list[ColumnSpec], depth: int):
        _check_unique(items, lambda c: c.slug, "column slug", scope, lambda c: c.line)
        for c in items:
            if depth == 0 and c.slug in reserved:
                scope.error(c.line, f"column slug {c.slug!r} is reserved for generated pages",
                            f"choose another slug; reserved at the top level: {', '.join(sorted(reserved))}")
            if c.slug == "page":
                scope.error(c.line, "column slug 'page' clashes with pagination URLs", "choose another slug")
            walk(c.children, depth + 1)

    walk(columns, 0)
    _check_disclosure_parts(columns, scope)
