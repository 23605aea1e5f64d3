"""Reading site.yaml into a :class:`SiteConfig`, every problem reported with its line."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Sequence

from ..cache import recording_reads
from ..errors import Report
from ..messaging import Messages
from ..inspection.settings import InspectionSettings
from .. import privacy
from ..readers import yaml_loader
from ..readers.engines import DEFAULT as DEFAULT_ENGINE
from ..readers.yaml_loader import Mapping
from ..schema import (Scope)
from ..traditional import Mirror, is_simplified, mirror_of
from .model import (CONFIG_NAME, Agency, ColumnSpec, ConsultationRules, Identity, IndexNoSpec, ListSpec,
                    SiteConfig)
from .sections import VOCABULARIES, as_term, check_term_slugs, site_schema

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
    vocab, issuers, topics = _vocabularies(raw, scope)
    schema = site_schema(types)
    values = schema.validate(raw, scope)
    for name, terms in (("topic", topics), ("tag", vocab["tags"])):
        line = _vocab_line(raw, name + "s")
        check_term_slugs(terms, name, line, scope)
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
        consultation=ConsultationRules(**values["consultation"]) if values["consultation"] else ConsultationRules(),
        inspection=_inspection(values["inspection"], raw), traditional=traditional,
    )
    # Column descriptions, empty-list reasons and the footer are published text too.
    with recording_reads(config.today):  # the screen's date rules use the build date
        privacy.screen_document(path, path.read_text(encoding="utf-8-sig"), raw, report, schema=schema,
                                public=privacy.public_domains(config), official=privacy.official_numbers(config))
    return config


def _vocabularies(raw: Mapping, scope: Scope) -> tuple[dict, list[str], list]:
    """site.yaml's vocabularies (their defaults where it has none), the issuers (the sponsor when none are
    listed) and the topics as terms; the scope learns them, for the fields that must use them."""
    vocab_raw = raw.get("vocabularies")
    vocab = None
    if isinstance(vocab_raw, Mapping):
        vocab = VOCABULARIES.validate(vocab_raw, scope)
    elif vocab_raw is not None:
        scope.report.error(scope.path, raw.line_of("vocabularies"), "vocabularies: expected a mapping")
    vocab = vocab or {f.attr: (f.default() if callable(f.default) else f.default) for f in VOCABULARIES.fields}
    agency = raw.get("agency") if isinstance(raw.get("agency"), Mapping) else {}
    issuers = vocab["issuers"] or ([agency["sponsor"]] if isinstance(agency.get("sponsor"), str) else [])
    topics = [as_term(t) for t in vocab["topics"]]
    scope.env = {"content_dir": scope.env["content_dir"], "topics": [t.name for t in topics],
                 "categories": vocab["categories"], "issuers": issuers, "tags": [t.name for t in vocab["tags"]]}
    return vocab, issuers, topics


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
