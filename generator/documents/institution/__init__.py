"""The public-institution directory (公共企事业单位信息公开): one YAML file per institution.

- :mod:`.model`: schema, :class:`Institution`, :func:`read_institution`, the site-wide duplicate check;
- :mod:`.new`: the file ``new institution`` writes.

The directory's groups, CSV and JSON are presentation: :mod:`generator.render.exports`.
"""

from __future__ import annotations

from ..base import ContentType, DocumentMeta, NewSpec, PageSpec, SearchSpec
from .model import (CATEGORIES_KEY, DISTRICTS_KEY, INSTITUTION_SCHEMA, Institution, check_institutions,
                    directory_order, load_institution, read_institution, scope_env)
from .new import new_text


def _context(site, inst: Institution) -> dict:
    return {"inst": inst, "complaints_phone": site.config.agency.complaints_phone}


def _meta(site, inst: Institution) -> DocumentMeta:
    return DocumentMeta(inst.supervisor or site.config.agency.sponsor, [inst.category, inst.district],
                        inst.updated, inst.updated, inst.summary)


def _labelled(label: str, value: str) -> str:
    return f"{label} {value}" if value else ""


def search_fields(inst: Institution) -> list[str]:
    # With the page's labels, which readers search for (博物馆地址, 图书馆办公时间, 美术馆电话).
    phones = " ".join(f"{p.display} {p.number}" for p in inst.phones)
    return [inst.name, inst.category, inst.qualification, inst.district, _labelled("地址", inst.address),
            inst.scope, inst.service_area, _labelled("办公时间", inst.hours), _labelled("联系电话", phones),
            inst.supervisor or "", inst.description]


TYPE = ContentType(
    name="institution", label="公共企事业单位", folder="institutions", suffixes=(".yaml", ".yml"),
    model=Institution, read=read_institution, schemas={"institution": INSTITUTION_SCHEMA},
    url="ggqsydw/{id}/", url_year=False, list_filters=(),
    order=directory_order,
    link=lambda library, config, report: check_institutions(library["institution"], report),
    page=PageSpec("institution.html", _context, _meta),
    search=SearchSpec(search_fields, lambda i: i.updated, lambda i: i.summary,
                      lambda i, config: {"issuer": i.supervisor if i.supervisor in config.issuers else None}),
    new=NewSpec(new_text, ".yaml", slug_required=True),
)

__all__ = ["CATEGORIES_KEY", "DISTRICTS_KEY", "INSTITUTION_SCHEMA", "TYPE", "Institution", "directory_order",
           "load_institution", "read_institution", "scope_env"]
