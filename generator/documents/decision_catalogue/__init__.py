"""The 重大行政决策事项目录: one Markdown file per year under ``content/decision-catalogues/``.

- :mod:`.model`: the schemas of a catalogue, an item and a hearing or deliberation; the model and the reader;
- :mod:`.links`: every item's draft, interpretations and final document, linked both ways; the due dates;
- :mod:`.new`: the file ``new decision_catalogue`` writes.
"""

from __future__ import annotations

from ..draft import STATUS_SCRIPT
from ..base import ContentType, DocumentMeta, NewSpec, PageSpec, SearchSpec
from .links import link_catalogues
from .model import (CATALOGUE_SCHEMA, ITEM_SCHEMA, MATERIAL_SCHEMA, STATES, DecisionCatalogue, DecisionItem, Material,
                    Planned, read_catalogue)
from .new import new_text


def _context(site, cat: DecisionCatalogue) -> dict:
    return {"catalogue": cat, "script": STATUS_SCRIPT}  # its drafts' labels move like on their own pages


def _meta(site, cat: DecisionCatalogue) -> DocumentMeta:
    return DocumentMeta(cat.issuer, ["重大行政决策", "事项目录"], cat.published, cat.published, cat.description)


def search_fields(cat: DecisionCatalogue) -> list[str]:
    out = [cat.title, cat.issuer, cat.doc_no or "", cat.index_no or "", cat.body.text]
    for item in cat.items:
        out += [item.subject, item.unit, item.basis.text, item.note or ""]
    return out


TYPE = ContentType(
    name="decision_catalogue", label="重大行政决策事项目录", folder="decision-catalogues", suffixes=(".md",),
    model=DecisionCatalogue, read=read_catalogue,
    schemas={"decision_catalogue": CATALOGUE_SCHEMA, "decision_catalogue.item": ITEM_SCHEMA,
             "decision_catalogue.material": MATERIAL_SCHEMA},
    url="zdjcml/{id}/", list_filters=(),
    order=lambda docs: sorted(docs, key=lambda c: (c.year, c.id), reverse=True),
    link=link_catalogues,
    derived=("url", "items"),
    page=PageSpec("decision_catalogue.html", _context, _meta),
    search=SearchSpec(search_fields, lambda c: c.published, lambda c: c.description,
                      lambda c, config: {"issuer": c.issuer}),
    new=NewSpec(new_text, ".md", slug=lambda folder, today: str(today.year)),
    assets=lambda cat: [m.file.path for item in cat.items for m in (item.hearing, item.deliberation)
                        if m is not None and m.file is not None],
)

__all__ = ["CATALOGUE_SCHEMA", "ITEM_SCHEMA", "MATERIAL_SCHEMA", "STATES", "TYPE", "DecisionCatalogue", "DecisionItem",
           "Material", "Planned", "read_catalogue"]
