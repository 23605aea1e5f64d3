"""The site configuration as the pipeline sees it: vocabularies, columns, identity, rules."""

from __future__ import annotations

import datetime as dt
import re
import string
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Callable

from ..messaging import Messages
from ..inspection.settings import InspectionSettings, Period
from ..phone import Phone
from ..readers.engines import DEFAULT as DEFAULT_ENGINE
from ..schema import (FieldType)
from ..traditional import Mirror


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

    @cached_property
    def content_root(self) -> Path:
        """The content folder resolved (symbolic links followed), what files are checked to be inside of:
        resolved once, not for every document (ten ``lstat`` calls each)."""
        return self.content_dir.resolve()

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
