"""Policy interpretations (政策解读): text, image, video, audio and animation forms.

- :mod:`.model`: front-matter schema, media checks, :class:`Interpretation`, :func:`read_interpretation`;
- :mod:`.links`: each interpretation linked with its policies both ways, and the 3-working-day rule;
- :mod:`.new`: the file ``new interpretation`` writes.
"""

from __future__ import annotations

from ...config import ListFilter
from ...schema import Choice, ListOf
from ..base import ContentType, DocumentMeta, NewSpec, PageSpec, SearchSpec, issuer_of
from .links import INTERPRETATION_DEADLINE, link_interpretations
from .model import (FORMS, INTERPRETATION_SCHEMA, QA_SCHEMA, SECTIONS, Interpretation, MediaFile, Thumbnail,
                    read_interpretation, thumbnail_of)
from .new import new_text


def _link(library: dict, config, report) -> None:
    link_interpretations(library, config, report)
    for interp in library["interpretation"]:
        if interp.image is not None:
            interp.thumbnail = thumbnail_of(interp.image, interp.url)


def _context(site, interp: Interpretation) -> dict:
    return {
        "interp": interp,
        "originals": [(p, p.notice) for p in interp.policies],
        # The 新旧对照 pages of the documents interpreted, once each (an interpretation may name both).
        "comparisons": list({id(c): c for p in interp.policies for c in p.comparisons}.values()),
        "tags": [site.tag_page(name) for name in interp.tags],
    }


def _meta(site, interp: Interpretation) -> DocumentMeta:
    return DocumentMeta(interp.interpreter, interp.tags, interp.published, interp.published, interp.description,
                        interp.language)


def _text(body) -> str:
    return body.text if body is not None else ""


def _join(*parts) -> str:
    return " ".join(p for p in parts if p)


def search_fields(interp: Interpretation) -> list[str]:
    out = [interp.title, interp.interpreter, interp.person or "", interp.index_no or "", interp.summary,
           _join(*interp.tags), _text(interp.body)]
    out += [_join(key, _text(body)) for key, body in interp.sections]
    out += [_join(question, _text(answer)) for question, answer in interp.qa]
    out += [interp.alt or "", _text(interp.text_alternative), _text(interp.transcript)]
    return out


def _facets(interp: Interpretation, config) -> dict:
    return {"issuer": issuer_of(interp.interpreter, config), "language": interp.language}


def _assets(interp: Interpretation) -> list[str]:
    return [m.path for m in (interp.image, interp.poster, interp.captions, *interp.videos, *interp.audios)
            if m is not None]


TYPE = ContentType(
    name="interpretation", label="政策解读", folder="interpretations", suffixes=(".md",), model=Interpretation,
    read=read_interpretation, schemas={"interpretation": INTERPRETATION_SCHEMA, "interpretation.qa": QA_SCHEMA},
    url="zcjd/{id}/",
    list_filters=(
        ListFilter("tag", "tags", ListOf(Choice("tags", "a tag from vocabularies.tags")),
                   "Only items carrying one of these 标签.", "[惠企政策]"),
        ListFilter("form", "form", ListOf(Choice(FORMS)),
                   "Only interpretations of these 形式 (文字, 图片, 视频, 音频, 动漫).", "[视频]"),
    ),
    order=lambda docs: sorted(docs, key=lambda i: i.sort_key, reverse=True),
    link=_link,
    derived=("url", "policies", "thumbnail"),
    page=PageSpec("interpretation.html", _context, _meta),
    search=SearchSpec(search_fields, lambda i: i.published, lambda i: i.description, _facets,
                      lambda i: [i.index_no]),
    new=NewSpec(new_text, ".md"),
    assets=_assets,
)

__all__ = ["FORMS", "INTERPRETATION_DEADLINE", "INTERPRETATION_SCHEMA", "QA_SCHEMA", "SECTIONS", "TYPE",
           "Interpretation", "MediaFile", "Thumbnail", "read_interpretation", "thumbnail_of"]
