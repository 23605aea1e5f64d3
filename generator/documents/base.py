"""What every content type declares, what every document has, and the reading steps they share.

A content type is declared once, as a :class:`ContentType` at the bottom of
its module; :mod:`generator.documents` lists the declarations. Discovery,
loading, the site.yaml schema, the site graph, assets, search, the page plan,
fingerprints, ``new`` and the README reference read them and know no type by
name, so a new type is its module, its declaration and its templates.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Protocol, runtime_checkable

from ..config import TERM_SLUG, ListFilter, SiteConfig
from ..errors import Report
from ..readers import media
from ..readers.frontmatter import MarkdownFile, read_markdown_file
from ..readers.markdown import RenderedBody, options, render
from ..readers.yaml_loader import Mapping
from ..schema import (Choice, ContentFile, Field, Invalid, ListOf, Located, OneOf, Record, Schema, Scope, Text,
                      did_you_mean)


@runtime_checkable
class Document(Protocol):
    """The attributes every document has, whatever its type (the site graph and the renderer rely on them)."""

    type_name: str  # the name of its ContentType
    id: str  # unique within the type: the file name without suffix (annual reports: the year)
    source: Path  # the file it was read from
    line: int  # first line of its fields, for document-level diagnostics
    lines: dict[str, int]  # line of every field by attribute (the mapping's line for absent ones)
    url: str  # set by the site graph ("" for types without pages of their own)
    title: str

    def bodies(self) -> list[RenderedBody]:
        """Every rendered Markdown part: their links are resolved, checked and published."""
        ...


@dataclass(frozen=True)
class DocumentMeta:
    """What a document's page tells crawlers and the sitemap (the gov-site ``<meta>`` names)."""

    source: str  # ContentSource: the issuing body
    keywords: list[str]
    date: dt.date  # PubDate
    updated: dt.date  # sitemap <lastmod>
    description: str
    language: str | None = None  # when it differs from the site's


@dataclass(frozen=True)
class PageSpec:
    """A document's own page: its template, what the template is given, and files published beside it.

    ``context(site, doc)`` returns the template's variables; ``files(doc)``
    returns ``{file name: rows}``, tables the renderer writes as CSV next to
    the page (the data is the model's, the format is the renderer's).
    """

    template: str | Callable[[Any], str]  # a name, or the name for a document (disclosure pages by kind)
    context: Callable[[Any, Any], dict]
    meta: Callable[[Any, Any], DocumentMeta]
    files: Callable[[Any], dict[str, list[list[str]]]] | None = None


@dataclass(frozen=True)
class SearchSpec:
    """How a document is searched: its fields (title first, as written) and its filter values."""

    fields: Callable[[Any], list[str]]
    date: Callable[[Any], dt.date]
    summary: Callable[[Any], str]
    #: Filter values: issuer, topic, validity, doc_no, language (absent ones are None).
    facets: Callable[[Any, SiteConfig], dict[str, str | None]] = lambda doc, config: {}
    #: Key fields (文号, 索引号 …, also among ``fields``): a match there ranks next to a title match.
    keys: Callable[[Any], list[str | None]] = lambda doc: []


@dataclass(frozen=True)
class NewSpec:
    """The file ``python -m generator new TYPE`` writes: every field present and explained."""

    text: Callable[..., str]  # (config, title, index_no, today) -> file text
    suffix: str
    slug_required: bool = False  # the file name is the URL: the editor must choose it
    #: The file name when --slug is not given, for types without a 索引号: (folder, today) -> slug.
    slug: Callable[[Path, dt.date], str] | None = None


@dataclass(frozen=True)
class ListGroup:
    """A headed part of a column's list (正在征集, 2025年 …): its heading, how many items the whole list has
    under it, this page's items, and the list position of its first item on this page."""

    label: str
    count: int
    items: list
    start: int


@dataclass(frozen=True)
class ColumnView:
    """How a column listing the type shows it, beyond the plain paginated list: its pages' items under
    headings and the scripts they load, or — with a ``template`` — one page of its own instead (grouped by
    that template, not paginated; ``context(site, column)`` gives its variables besides ``column``)."""

    #: (this page's items, every item of the column) -> the page's items under headings.
    groups: Callable[[list, list], list[ListGroup]] | None = None
    scripts: tuple[str, ...] = ()  # theme files (static/…) the column's pages load, deferred
    template: str | None = None
    context: Callable[[Any, Any], dict] | None = None


@dataclass(frozen=True)
class ContentType:
    """One kind of content, declared once.

    ``derived`` names the attributes the site graph sets on a document (URL,
    relations, notices, computed states): the page fingerprints hash them, so
    a page showing a derived fact is rebuilt when the fact changes. A test
    checks that every attribute the graph sets is declared here.
    """

    name: str  # the key of site.yaml `urls:` and of a column's `list: {type: …}`
    label: str  # shown to readers (search results) and in messages
    folder: str  # content/<folder>/
    suffixes: tuple[str, ...]
    model: type
    read: Callable[[Path, SiteConfig, Report], Any]
    schemas: dict[str, Schema]  # README reference blocks by name
    url: str | None = None  # default URL pattern; None: shown at a column's URL (disclosure pages)
    url_year: bool = True  # may the URL pattern use {year}
    list_filters: tuple[ListFilter, ...] | None = None  # None: columns cannot list the type
    order: Callable[[list], list] = lambda docs: docs  # the library's order of the type (newest first …)
    link: Callable[[dict, SiteConfig, Report], None] | None = None  # graph pass over the library by type
    derived: tuple[str, ...] = ("url",)
    page: PageSpec | None = None
    search: SearchSpec | None = None
    new: NewSpec | None = None
    column: ColumnView | None = None  # a column listing the type: groups and scripts beyond the plain list
    assets: Callable[[Any], Iterable[str]] = lambda doc: ()  # content files it publishes beyond body links
    @property
    def indexed(self) -> bool:
        """Does the type carry a 索引号 (an ``index_no`` field)? All such types share one numbering, which
        the build checks and ``fill-index`` completes."""
        return any(f.attr == "index_no" for f in self.main_schema.fields)

    @property
    def main_schema(self) -> Schema:
        """The schema of a whole document (the first of ``schemas``)."""
        return next(iter(self.schemas.values()))

    #: The field whose date numbers a 索引号 when the type has no field named by ``index_no.year_from``.
    index_date: str = "published"
    #: Which discovered files are read (disclosure pages: only those a column names); reports the rest.
    select: Callable[[SiteConfig, list[Path], Report], list[Path]] | None = None


# --------------------------------------------------------------------------- reading steps every type shares

RESERVED_IDS = ("page", "index")


def check_id(path: Path, report: Report, pattern: str = TERM_SLUG,
             hint: str = "rename the file: letters, digits and '-', no spaces (e.g. 2023-meishuguan-banfa.md)") -> bool:
    """A file name becomes a URL segment and an id that other files refer to."""
    stem = path.stem
    if re.fullmatch(pattern, stem) and stem not in RESERVED_IDS and ":" not in stem:  # "javascript:…/"
        return True
    report.error(path, 1, f"file name {path.name!r} cannot be used as a document id", hint, code="bad-id")
    return False


@dataclass
class Started:
    """A Markdown document after the steps every type takes: id, front matter, schema, body."""

    source: MarkdownFile
    scope: Scope
    values: dict | None  # None: the front matter had errors (reported)
    body: RenderedBody
    id_ok: bool

    @property
    def ok(self) -> bool:
        return self.values is not None and self.id_ok


def start_markdown(path: Path, config: SiteConfig, report: Report, schema: Schema) -> Started | None:
    """Read a Markdown document's front matter and body; ``None`` when the file cannot be read at all."""
    source = read_markdown_file(path, report)
    if source is None:
        return None
    id_ok = check_id(path, report)
    scope = Scope(path, report, {**config.vocabularies(), "content_dir": config.content_dir})
    values = schema.validate(source.meta, scope)
    body = render_part(source.body, path, config, source.body_line, report)
    return Started(source, scope, values, body, id_ok)


def raw_field(mapping, schema: Schema, attr: str):
    """The value of a field as written (under its key or an alias), before validation: nested mappings keep
    the lines their own checks report at. ``None`` when absent or when ``mapping`` is not a mapping."""
    if not isinstance(mapping, dict):
        return None
    f = schema.field(attr)
    return next((mapping[k] for k in (f.key, *f.aliases) if k in mapping), None)


def render_part(text: str, path: Path, config: SiteConfig, first_line: int, report: Report,
                hard_breaks: bool = False) -> RenderedBody:
    """One Markdown part of a document, its problems reported at their lines; ``hard_breaks`` keeps its lines."""
    part = render(text, path, config.content_dir, first_line, options(config), hard_breaks)
    report.extend(part.diagnostics)
    return part


class Vocabulary(Choice):
    """A value from a site.yaml vocabulary; says how to add the vocabulary when it is missing."""

    def __init__(self, env_key: str, label: str):
        # the label is written out whole ("a district from vocabularies.districts"): a message catalogue entry
        # "{what} from vocabularies.{key}" would also match a whole message ending in one
        super().__init__(env_key, label)
        self.env_key = env_key

    def convert(self, value, scope, line):
        if not self.choices(scope):
            raise Invalid(f"site.yaml has no vocabularies.{self.env_key} to check {value!r} against",
                          f"add `{self.env_key}: [...]` under `vocabularies:` in site.yaml")
        return super().convert(value, scope, line)


@dataclass(frozen=True)
class Refused:
    """Keys a mapping must not have, and why: reported at their line with the reason, not as unknown."""

    keys: tuple[str, ...]  # lower case
    message: str  # "{key}" in the message and the hint is replaced by the key as written
    hint: str
    code: str = "unknown-field"


@dataclass
class GuardedSchema(Schema):
    """A schema that refuses some keys with their own explanation (an answer written in the front matter
    instead of the body, a personal-data field); the other fields are still checked, all at once."""

    refused: tuple[Refused, ...] = ()

    def validate(self, mapping: Mapping, scope: Scope) -> dict | None:
        kept = Mapping()
        kept.line, kept.lines = mapping.line, mapping.lines
        for key, value in mapping.items():
            refusal = next((r for r in self.refused if str(key).strip().lower() in r.keys), None)
            if refusal is None:
                kept[key] = value
            else:
                scope.error(mapping.line_of(key), refusal.message.format(key=key), refusal.hint.format(key=key),
                            code=refusal.code)
        values = super().validate(kept, scope)
        return values if len(kept) == len(mapping) else None


def body_field(keys: tuple[str, ...], what: str) -> Refused:
    """The text that is a document's body, written as a front-matter field by mistake."""
    return Refused(keys, "{key!r} is not a front-matter field: " + what + " is the text below the front matter",
                   "move the text after the closing '---' and remove the `{key}:` line")


def issuer_of(name: str, config: SiteConfig) -> str | None:
    """The vocabulary issuer an office is part of (…局 for …局公共服务处): the 发布机构 search filter."""
    return next((issuer for issuer in sorted(config.issuers, key=len, reverse=True) if name.startswith(issuer)), None)


def yaml_string(text: str) -> str:
    """``text`` as a double-quoted YAML scalar, for the files ``new`` writes."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def serial_slug(folder: Path, today: dt.date) -> str:
    """The next free ``YYYY-NNN`` file name of the year in ``folder`` (types without a 索引号 to number by)."""
    taken = [int(m.group(1)) for p in (folder.iterdir() if folder.is_dir() else ())
             if (m := re.fullmatch(rf"{today.year}-(\d+)", p.stem))]
    return f"{today.year}-{max(taken, default=0) + 1:03d}"


def book_title(title: str) -> str:
    """《title》, with book-title marks inside the title turned into 〈〉 as Chinese typography nests them."""
    return "《" + title.replace("《", "〈").replace("》", "〉") + "》"


# --------------------------------------------------------------------------- files a document publishes

#: Attachment types a disclosure site publishes, with the label shown beside the link.
ATTACHMENT_TYPES = {
    ".pdf": "PDF", ".ofd": "OFD", ".doc": "Word", ".docx": "Word", ".wps": "WPS", ".xls": "Excel",
    ".xlsx": "Excel", ".et": "WPS表格", ".csv": "CSV", ".txt": "文本", ".zip": "ZIP", ".rar": "RAR",
    ".7z": "7Z", ".jpg": "JPG图片", ".jpeg": "JPG图片", ".png": "PNG图片", ".gif": "GIF图片",
    ".mp4": "MP4视频", ".mp3": "MP3音频",
}

ATTACHMENT_SCHEMA = Schema("an attachment", [
    Field("标题", "title", Text(), aliases=("title",), doc="Link text of the attachment.", example="附件1：申报表"),
    Field("文件", "file", ContentFile(ATTACHMENT_TYPES, "an attachment path"), required=True, aliases=("file",),
          doc="Path of the file, relative to the document.", example="files/2023-sbb.docx"),
])


#: The type of an 附件 field: a list of paths or ``{标题, 文件}`` records.
ATTACHMENT_LIST = ListOf(OneOf(ContentFile(ATTACHMENT_TYPES, "an attachment path"),
                               Record(ATTACHMENT_SCHEMA, "an attachment"), label="a path, or {标题, 文件}"))


@dataclass(frozen=True)
class Attachment:
    title: str
    path: str  # content-relative POSIX path
    size: int
    kind: str


def attachment(value, content_dir: Path) -> Attachment:
    """An attachment's link text, size and type label, from a path or a ``{标题, 文件}`` mapping."""
    if isinstance(value, Located):
        rel, title = value.value, None
    else:
        rel, title = value["file"].value, value["title"]
    path = content_dir / rel
    name = Path(rel).name
    return Attachment(title or Path(name).stem, rel, path.stat().st_size, ATTACHMENT_TYPES[Path(rel).suffix.lower()])


def files_open(values: list, content_dir: Path, scope: Scope) -> bool:
    """Every file (a Located path, or an attachment record) must be what its extension says: a renamed
    or truncated file fails to open. Problems are located at the line naming the file."""
    ok = True
    for value in values:
        located = value if isinstance(value, Located) else value["file"]
        result = media.check_media(content_dir / located.value, located.value)
        if isinstance(result, media.Problem):
            (scope.error if result.level == "error" else scope.warning)(located.line, result.message, result.hint,
                                                                          code="attachment")
            ok = ok and result.level != "error"
        else:
            for warning in result.warnings:
                scope.warning(located.line, warning.message, warning.hint, code="attachment")
    return ok


class DocIndex:
    """The documents of one type by file name and by 索引号: what a reference written in another file names."""

    def __init__(self, docs: list):
        self.by_id = {d.id: d for d in docs}
        self.by_index = {d.index_no: d for d in docs if getattr(d, "index_no", None)}

    def get(self, ref: Located):
        return self.by_id.get(ref.value) or self.by_index.get(ref.value)

    def suggest(self, ref: Located) -> str:
        """A "did you mean" for a reference to nothing (empty when nothing is close)."""
        return did_you_mean(ref.value, [*self.by_id, *self.by_index])

    def resolve(self, source: Path, ref: Located, what: str, message: str, hint: str, report):
        """The document ``ref`` names, or ``None`` after reporting it (in ``source``, as the ``what`` field):
        an error with a "did you mean" (else ``hint``), or, when it names a file that failed to read, a
        consequence reported once after that cause."""
        target = self.get(ref)
        if target is None:
            report.unresolved(source, ref.line, message, self.suggest(ref) or hint, "unknown-reference",
                              name=ref.value, what=what)
        return target


def body_links(doc, kind: str) -> list[str]:
    """Targets of a document's body links of one kind ("page" or "asset")."""
    return [ref.target for body in doc.bodies() for ref in body.links if ref.kind == kind]


def choices(values) -> str:
    """Allowed values for a `new` template's comment (主题分类 names contain 、 themselves: then ；)."""
    values = list(values)
    separator = "；" if any("、" in v for v in values) else "、"  # 主题分类 names contain 、 themselves
    return separator.join(values) or "（site.yaml 中未定义）"
