"""Presentation of the data the model holds: CSV and JSON downloads and the directory's groups.

The model gives rows and records; here they become files a spreadsheet or a
program reads (with the safety rule that no cell runs as a formula) and the
grouped form a template loops over.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from urllib.parse import urljoin

from ..documents.institution import INSTITUTION_SCHEMA, Institution, directory_order
from ..phone import Phone

#: Title of the downloadable directory.
DIRECTORY_TITLE = "公共企事业单位名录"


def csv_text(rows: list[list[str]]) -> str:
    """Rows as CSV for spreadsheets: UTF-8 with a BOM (Excel needs it for Chinese), CRLF rows, deterministic.

    Write the result with ``.encode("utf-8")`` and no newline translation.
    """
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([[_formula_safe(c) for c in row] for row in rows])
    return "\ufeff" + out.getvalue()


#: Cells starting with these are formulas to a spreadsheet.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _formula_safe(text: str) -> str:
    """A cell a spreadsheet shows as text: a 业务范围 written as a Markdown list ("- 借阅") is not a formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text


@dataclass
class DistrictGroup:
    """The institutions of one category in one district."""

    name: str
    anchor: str  # id of its heading on the directory page
    institutions: list[Institution]


@dataclass
class CategoryGroup:
    """One category of the directory, by district."""

    name: str
    anchor: str
    districts: list[DistrictGroup]

    @property
    def institutions(self) -> list[Institution]:
        return [inst for d in self.districts for inst in d.institutions]

    @property
    def count(self) -> int:
        return sum(len(d.institutions) for d in self.districts)


def _rank(order: list[str] | None, fallback: int, name: str) -> tuple:
    if order is None:
        return (fallback, name)
    return (order.index(name), name) if name in order else (len(order), name)


def group_institutions(insts, categories: list[str] | None = None,
                       districts: list[str] | None = None) -> list[CategoryGroup]:
    """Institutions by 类别, then 所在区县, both in vocabulary order; names within a district by name.

    The order comes from the ranks each institution took from the site's
    vocabularies when it was read; ``categories``/``districts`` override it.
    Names sort by code point, which for Chinese characters is the
    radical-and-stroke order of the Unicode CJK block: deterministic on every
    machine, unlike locale collation.
    """
    by_category: dict[str, dict[str, list[Institution]]] = {}
    cat_key, dist_key = {}, {}
    for inst in insts:
        by_category.setdefault(inst.category, {}).setdefault(inst.district, []).append(inst)
        cat_key[inst.category] = _rank(categories, inst.category_rank, inst.category)
        dist_key[inst.district] = _rank(districts, inst.district_rank, inst.district)
    out = []
    for n, category in enumerate(sorted(by_category, key=cat_key.__getitem__), 1):
        groups = by_category[category]
        out.append(CategoryGroup(category, f"lb-{n}", [
            DistrictGroup(district, f"lb-{n}-{m}", sorted(groups[district], key=lambda i: (i.name, i.id)))
            for m, district in enumerate(sorted(groups, key=dist_key.__getitem__), 1)
        ]))
    return out


# --------------------------------------------------------------------------- the directory's data files

#: Columns of the CSV: the seven fields of the directory in the seed's order,
#: with 类别 and 所在区县 beside them and the checking details after.
CSV_FIELDS = ("name", "category", "qualification", "scope", "service_area", "district", "address", "hours",
              "phones", "complaints_phone", "supervisor", "website", "updated")
def _phones_text(phones: list[Phone]) -> str:
    return "；".join(p.display for p in phones)


def _csv_cell(inst: Institution, attr: str) -> str:
    value = getattr(inst, attr)
    if value is None:
        return ""
    if attr == "phones":
        return _phones_text(value)
    if isinstance(value, Phone):
        return value.display
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def directory_csv(insts) -> str:
    """The directory as CSV for spreadsheets: UTF-8 with BOM (Excel needs it for Chinese), CRLF rows.

    Header cells are the Chinese field names of the YAML files. Write the
    result with ``.encode("utf-8")`` and no newline translation.
    """
    rows = [[INSTITUTION_SCHEMA.field(attr).key for attr in CSV_FIELDS]]
    rows += [[_csv_cell(inst, attr) for attr in CSV_FIELDS] for inst in directory_order(insts)]
    return csv_text(rows)


def _phone_json(phone: Phone | None) -> dict | None:
    if phone is None:
        return None
    return {"number": phone.number_display, "label": phone.label, "tel": phone.uri}


#: Keys of each record in the JSON file → the Chinese field name, written into the file itself.
JSON_FIELDS = {
    "id": "标识", "name": "名称", "category": "类别", "qualification": "资质或等级", "scope": "业务范围",
    "service_area": "服务区域", "address": "地址", "district": "所在区县", "hours": "办公时间",
    "phones": "联系电话", "complaints_phone": "投诉电话", "supervisor": "主管部门", "website": "网址",
    "description": "简介", "updated": "更新日期", "url": "页面地址",
}


def directory_json(insts, site_name: str, base_url: str = "", complaints_phone: Phone | None = None,
                   title: str = DIRECTORY_TITLE) -> str:
    """The directory as JSON for programs.

    Record keys are the English aliases of the YAML fields: ASCII identifiers
    work unquoted in every language and tool (``item.name``, ``jq .phone``),
    and they are already documented as the fields' second names. The file
    carries ``fields``, the map from each key to its Chinese name, so it
    explains itself. ``url`` is absolute when ``base_url`` is given (pass the
    site's), else site-relative. No build time is written: the same content
    gives the same bytes.
    """
    records = []
    for inst in directory_order(insts):
        records.append({
            "id": inst.id, "name": inst.name, "category": inst.category, "qualification": inst.qualification,
            "scope": inst.scope, "service_area": inst.service_area, "address": inst.address,
            "district": inst.district, "hours": inst.hours, "phones": [_phone_json(p) for p in inst.phones],
            "complaints_phone": _phone_json(inst.complaints_phone), "supervisor": inst.supervisor,
            "website": inst.website, "description": inst.description, "updated": inst.updated.isoformat(),
            "url": urljoin(base_url, inst.url) if base_url else inst.url,
        })
    updated = max((i.updated for i in insts), default=None)
    data = {
        "title": title,
        "publisher": site_name,
        "updated": updated.isoformat() if updated else None,
        "count": len(records),
        "complaints_phone": _phone_json(complaints_phone),
        "fields": JSON_FIELDS,
        "institutions": records,
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n"
