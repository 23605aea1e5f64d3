"""The public-institution directory (公共企事业单位信息公开): schema, model, groups, data files.

Public libraries, museums, cultural centres, art galleries and A级 scenic
areas publish the same basic facts: 名称、资质或等级、业务范围、服务区域、地址、
办公时间、联系电话, and the public needs a complaints telephone beside them
(seed 004, gov-requirements H4). One YAML file per institution under
``content/institutions/``; the file name is its id and URL slug. Keys are the
Chinese names of the directory; each also has an English alias, as for policies.

The directory is published three ways from the same records (see
:mod:`generator.render.exports`): pages grouped by 类别 and 所在区县, a CSV for
people with a spreadsheet and a JSON file for programs such as the 12345
hotline's knowledge base, all in :func:`directory_order`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from ...config import SLUG, SiteConfig
from ...errors import Level, Report
from ...phone import LANDLINE, Phone, PhoneNumber, PhoneNumbers, parse_phone
from ... import privacy
from ...readers import yaml_loader
from ...readers.markdown import Options, excerpt, options, render
from ...readers.source import read_text
from ...readers.yaml_loader import Mapping, text_line
from ...schema import Date, Field, Invalid, Schema, Scope, Text, Url
from ..base import Vocabulary

#: Content folder of the directory, relative to the content root.
FOLDER = "institutions"
#: The env keys (and site.yaml ``vocabularies`` keys) the schema checks against.
CATEGORIES_KEY = "institution_categories"
DISTRICTS_KEY = "districts"
#: A 简介 longer than this is no longer a short introduction.
DESCRIPTION_MAX = 300


def _description_length(values, mapping, scope: Scope) -> bool:
    text = values["description"]
    if text and len(text) > DESCRIPTION_MAX:
        scope.warning(INSTITUTION_SCHEMA.line_of(mapping, "description"), f"简介 is {len(text)} characters long",
                      f"keep it under {DESCRIPTION_MAX} characters: the directory is for looking things up",
                      code="description-length")
    return True


INSTITUTION_SCHEMA = Schema("institution", [
    Field("名称", "name", Text(max_length=100), required=True, aliases=("name",), synonyms=("单位名称", "机构名称", "标题"),
          doc="Full name of the institution.", example="江州市图书馆"),
    Field("类别", "category", Vocabulary(CATEGORIES_KEY, "a category from vocabularies.institution_categories"),
          required=True, aliases=("category",),
          synonyms=("分类", "类型", "单位类别", "文种"),
          doc="Kind of institution, from vocabularies.institution_categories; the directory is grouped by it.",
          example="图书馆"),
    Field("资质或等级", "qualification", Text(max_length=100), required=True, aliases=("qualification",),
          synonyms=("资质或者等级", "资质", "等级", "级别", "评级"),
          doc="Its grade or qualification as officially rated (write 未定级 if it has none).",
          example="国家一级图书馆"),
    Field("业务范围", "scope", Text(multiline=True, max_length=500), required=True, aliases=("scope",),
          synonyms=("经营范围", "服务内容", "主要职能", "职能"),
          doc="What it does for the public.", example="文献借阅、参考咨询、讲座展览、少儿阅读推广"),
    Field("服务区域", "service_area", Text(max_length=200), required=True, aliases=("service_area",),
          synonyms=("服务范围", "服务对象"), doc="Where its services reach.", example="江州市全市"),
    Field("地址", "address", Text(max_length=200), required=True, aliases=("address",),
          synonyms=("办公地址", "详细地址", "地点", "单位地址"), doc="Street address, as a visitor would find it.",
          example="江州市浔阳区长虹大道120号"),
    Field("所在区县", "district", Vocabulary(DISTRICTS_KEY, "a district from vocabularies.districts"), required=True,
          aliases=("district",),
          synonyms=("区县", "所属区县", "行政区", "区域"),
          doc="The district or county it is in, from vocabularies.districts.", example="浔阳区"),
    Field("办公时间", "hours", Text(multiline=True, max_length=300), required=True, aliases=("hours",),
          synonyms=("开放时间", "营业时间", "服务时间", "工作时间"),
          doc="Opening or office hours, with closing days and holidays.",
          example="周二至周日 9:00—17:00（周一闭馆，法定节假日除外）"),
    Field("联系电话", "phones", PhoneNumbers(), required=True, aliases=("phone", "phones"),
          synonyms=("电话", "咨询电话", "联系方式", "服务电话"),
          doc="One number or a list: a landline with its area code (0792-8221234), a mobile, a 400/800 number "
              "or a hotline such as 12345; a label may follow in brackets.",
          example="[0792-8226601, 0792-8226602（少儿部）]"),
    Field("更新日期", "updated", Date(), required=True, aliases=("updated",),
          synonyms=("更新时间", "发布日期", "日期"), doc="Day these facts were last checked or changed.",
          example="2025-03-01"),
    Field("网址", "website", Url(), aliases=("website",), synonyms=("网站", "官网", "链接", "主页"),
          doc="Its own website.", example="https://lib.jiangzhou.gov.cn/"),
    Field("投诉电话", "complaints_phone", PhoneNumber(), aliases=("complaints_phone",),
          synonyms=("投诉举报电话", "监督电话", "举报电话"),
          doc="Its own complaints telephone, when it differs from the site-wide one.", example="0792-8226610"),
    Field("简介", "description", Text(multiline=True), default="", aliases=("description",),
          synonyms=("介绍", "概况", "单位简介"),
          doc=f"A short introduction in Markdown; longer than {DESCRIPTION_MAX} characters is a warning.",
          example="江州市图书馆始建于1956年……"),
    Field("主管部门", "supervisor", Text(max_length=100), aliases=("supervisor",),
          synonyms=("主管单位", "上级主管部门", "主办单位"),
          doc="The department it answers to, where complaints can also go.", example="江州市文化和旅游局"),
    privacy.REVIEW_FIELD,
], rules=[_description_length])


# --------------------------------------------------------------------------- model


@dataclass(eq=False)
class Institution:
    """One public institution of the directory."""

    id: str
    source: Path
    line: int  # first line of the mapping, for institution-level errors
    lines: dict[str, int]
    name: str
    category: str
    qualification: str
    scope: str
    service_area: str
    address: str
    district: str
    hours: str
    phones: list[Phone]
    updated: dt.date
    website: str | None = None
    complaints_phone: Phone | None = None
    description: str = ""  # plain text of 简介, for page descriptions and the JSON file
    description_html: Markup = field(default_factory=Markup)  # sanitised; no links into content/
    supervisor: str | None = None
    #: Positions of 类别 and 所在区县 in the site's vocabularies: the directory's order.
    category_rank: int = 0
    district_rank: int = 0
    # --- set by the integrator (site graph)
    url: str = ""

    type_name = "institution"

    @property
    def sort_key(self) -> tuple:
        """Vocabulary order of 类别 and 所在区县, then name, then id; deterministic everywhere."""
        return (self.category_rank, self.district_rank, self.name, self.id)

    @property
    def title(self) -> str:
        return self.name

    def bodies(self) -> list:
        """No Markdown with content links: 简介 may link only to web addresses (checked when read)."""
        return []

    @property
    def scope_lines(self) -> list[str]:
        """业务范围 line by line, so a template can keep the editor's line breaks without logic."""
        return _lines(self.scope)

    @property
    def hours_lines(self) -> list[str]:
        return _lines(self.hours)

    @property
    def summary(self) -> str:
        """One sentence for the page's meta description: its 简介, or its grade and address."""
        if self.description:
            return excerpt(self.description)
        return f"{self.name}，{self.qualification}，地址：{self.address}。"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


# --------------------------------------------------------------------------- reading


def scope_env(config: SiteConfig) -> dict:
    """What the schema checks against: the site's vocabularies, and its area code for phone hints."""
    env = {**config.vocabularies(), "content_dir": config.content_dir,
           "public_email_domains": privacy.public_domains(config), "official_numbers": privacy.official_numbers(config),
           "markdown": Options(engine=options(config).engine)}  # no iframes in 简介
    env.setdefault(CATEGORIES_KEY, [])
    env.setdefault(DISTRICTS_KEY, [])
    if "area_code" not in env:
        phone = config.agency.phone
        if not isinstance(phone, Phone):
            try:
                phone = parse_phone(str(phone))
            except Invalid:
                phone = None
        env["area_code"] = phone.area_code if phone is not None and phone.kind == LANDLINE else ""
    return env


def read_institution(path: Path, config: SiteConfig, report: Report) -> Institution | None:
    """Read one institution file; every problem goes to ``report``."""
    return load_institution(path, Scope(path, report, scope_env(config)))


def load_institution(path: Path, scope: Scope) -> Institution | None:
    """Read one institution file against ``scope.env`` (vocabularies, ``content_dir``, ``area_code``).

    Separate from :func:`read_institution` so tests and tools can validate a
    file with vocabularies of their own.
    """
    text = read_text(path, scope.report)
    raw = yaml_loader.load(text.text, path, scope.report) if text is not None else None
    if raw is None:
        return None
    # 联系电话 and 投诉电话 publish public service numbers; a mobile among them needs declaring in site.yaml.
    privacy.screen_document(path, text.text, raw, scope.report, schema=INSTITUTION_SCHEMA,
                            public=scope.env.get("public_email_domains", ()), official=scope.env.get("official_numbers", ()))
    if not isinstance(raw, Mapping):
        hint = "write one `字段: 值` per line at the left margin, starting with `名称:`"
        if isinstance(raw, str) and "：" in raw:  # 名称：江州市图书馆 is one string to YAML
            hint = "use an ASCII colon followed by a space ('名称: 江州市图书馆'), not a full-width colon '：'"
        scope.error(getattr(raw, "line", 1), "an institution file must be a mapping of fields", hint,
                    code="not-a-mapping")
        return None
    if not raw:
        scope.error(1, "file is empty", "write the fields of the institution, starting with `名称:` "
                    "(see the institution field reference in README.md)", code="empty-file")
        return None
    inst_id = path.stem
    ok = True
    if not re.fullmatch(SLUG, inst_id):
        scope.error(1, f"file name {path.name!r} cannot be used as an institution id",
                    "rename the file: lower-case letters, digits and '-' (e.g. jiangzhou-tushuguan.yaml)",
                    code="bad-id")
        ok = False
    values = INSTITUTION_SCHEMA.validate(raw, scope)
    if values is None or not ok:
        return None
    description_html, description_text = _description(values["description"], raw, path, scope,
                                                      text.text.splitlines())
    if description_html is None:
        return None
    categories, districts = list(scope.env[CATEGORIES_KEY]), list(scope.env[DISTRICTS_KEY])
    return Institution(
        id=inst_id, source=path, line=raw.line,
        lines=INSTITUTION_SCHEMA.lines(raw),
        name=values["name"], category=values["category"], qualification=values["qualification"],
        scope=values["scope"], service_area=values["service_area"], address=values["address"],
        district=values["district"], hours=values["hours"], phones=values["phones"], updated=values["updated"],
        website=values["website"], complaints_phone=values["complaints_phone"],
        description=description_text, description_html=description_html, supervisor=values["supervisor"],
        category_rank=categories.index(values["category"]), district_rank=districts.index(values["district"]),
    )


def _description(text: str, raw: Mapping, path: Path, scope: Scope,
                 source_lines: list[str]) -> tuple[Markup | None, str]:
    """简介 as safe HTML. Links may only go to web addresses: it has no page of its own to resolve them on."""
    if not text:
        return Markup(""), ""
    first_line = text_line(source_lines, INSTITUTION_SCHEMA.line_of(raw, "description"))
    body = render(text, path, Path(scope.env["content_dir"]), first_line, scope.env.get("markdown", Options()))
    scope.report.extend(body.diagnostics)
    if body.links:
        scope.error(body.links[0].line, "简介 links to a file in the content folder",
                    "link only to web addresses (https://…) in 简介; put files on a policy page",
                    code="link")
        return None, ""
    if any(d.level is Level.ERROR for d in body.diagnostics):
        return None, ""
    return Markup(body.html), body.text


def check_institutions(insts: list[Institution], report: Report) -> None:
    """Site-wide checks: one name per district may be listed only once (a copied file left behind)."""
    seen: dict[tuple[str, str], Institution] = {}
    for inst in sorted(insts, key=lambda i: (str(i.source), i.id)):
        key = (inst.name, inst.district)
        if key in seen:
            first = seen[key]
            report.error(inst.source, inst.lines["name"],
                         f"名称 {inst.name!r} in {inst.district} is also in {first.source.name}",
                         "each institution has one file; remove the copy or correct the name", code="duplicate")
        else:
            seen[key] = inst


def directory_order(insts) -> list[Institution]:
    """The directory's order (its pages, CSV and JSON): 类别 and 所在区县 in vocabulary order, then name.

    Names sort by code point, which for Chinese characters is the radical-and-stroke order of the Unicode
    CJK block: deterministic on every machine, unlike locale collation.
    """
    return sorted(insts, key=lambda i: i.sort_key)
