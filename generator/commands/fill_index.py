"""``fill-index``: write every missing 索引号 into its file, in place.

A 索引号 is cited by citizens and other agencies, so it lives in the document's
own file and never changes (see :mod:`generator.structure.index_numbers`).
This command gives each document of a type with a 索引号 that has none the
number the build's hint names: the next free serial of its year, in date
order, after every number written anywhere in the content (withdrawn ones
included), so no number is ever given twice.

Only the 索引号 line changes. An empty ``索引号:`` line gets its value (its
comment stays); otherwise a line is added after the 标题 line. Every other
byte of the file — comments, CRLF or CR line endings, a byte-order mark,
UTF-16 — is kept, and the edit is checked by parsing the file again before it
is written.
"""

from __future__ import annotations

import codecs
import datetime as dt
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..config import INDEX_DATES, SiteConfig, load_config
from ..errors import ContentError, Report, UsageError
from ..readers import yaml_loader
from ..readers.discover import discover
from ..readers.frontmatter import read_markdown_file
from ..readers.source import decode, read_text, split_front_matter
from ..schema import Date, Invalid, Schema, Scope
from ..documents import TYPES
from ..documents.withdrawn import WITHDRAWN_FILE, read_withdrawn
from ..structure.index_numbers import assign, used_serials

#: An ``索引号:`` line anywhere (front matter, a YAML file, a list item of withdrawn.yaml).
_INDEX_LINE = re.compile(r"^\s*(?:-\s+)?(?:索引号|index_no)\s*:\s*[\"']?(.*?)[\"']?\s*(?:#.*)?$", re.M)
#: An ``索引号:`` line whose value is empty: the value goes between head and tail.
_EMPTY_INDEX = re.compile(r"(?P<head>\s*(?:索引号|index_no)\s*:)(?:\s*(?:\"\"|''|~|null|Null|NULL))?(?P<tail>\s*(?:#.*)?)")
_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def taken_numbers(config: SiteConfig) -> list[str]:
    """Every 索引号 written in the content, in any file (valid or not) and in withdrawn.yaml."""
    quiet = Report()
    paths = [p for found in _discover(config, quiet).by_type.values() for p in found]
    withdrawn = config.content_dir / WITHDRAWN_FILE
    numbers = [w.index_no for w in read_withdrawn(config, quiet)]
    for path in paths + ([withdrawn] if withdrawn.is_file() else []):
        text = read_text(path, quiet)
        numbers += _INDEX_LINE.findall(text.text if text is not None else "")
    return numbers


@dataclass
class Missing:
    """A document without a 索引号: where to write it and the date that numbers it."""

    path: Path
    mapping: yaml_loader.Mapping
    schema: Schema
    date: dt.date
    fence: int  # the line closing Markdown front matter; 0 for a YAML file
    number: str = ""


def _raw(mapping, schema: Schema, attr: str) -> tuple[object, int] | None:
    f = schema.field(attr)
    return next(((mapping[k], mapping.line_of(k)) for k in (f.key, *f.aliases) if k in mapping), None)


def _parse(path: Path, report: Report) -> tuple[yaml_loader.Mapping | None, int]:
    if path.suffix == ".md":
        source = read_markdown_file(path, report)
        return (source.meta, source.body_line - 1) if source is not None else (None, 0)
    mapping = yaml_loader.load_file(path, report)
    if mapping is not None and not isinstance(mapping, yaml_loader.Mapping):
        report.error(path, getattr(mapping, "line", 1), "the file is not a mapping of fields", code="fill-index")
        return None, 0
    return mapping, 0


def _missing(path: Path, schema: Schema, dated_by: str, config: SiteConfig, report: Report) -> Missing | None:
    mapping, fence = _parse(path, report)
    if mapping is None:
        return None
    written = _raw(mapping, schema, "index_no")
    if written is not None and written[0] is not None and str(written[0]).strip():
        return None
    attr = INDEX_DATES[config.index_no.year_from]
    attr = attr if any(f.attr == attr for f in schema.fields) else dated_by
    raw = _raw(mapping, schema, attr) or (None, mapping.line)
    try:
        date = Date().convert(raw[0], Scope(path, report), raw[1])
    except Invalid as e:
        report.error(path, raw[1], f"cannot number this document: {schema.field(attr).key}: {e.message}",
                     "; ".join(filter(None, (e.hint, "then run fill-index again"))), code="fill-index")
        return None
    return Missing(path, mapping, schema, date, fence)


def _decode(data: bytes) -> tuple[bytes, str, str]:
    """(byte-order mark, codec, text) of a file the content reader accepts."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                       (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return bom, codec, data[len(bom):].decode(codec)
    return b"", "utf-8", data.decode("utf-8")


def _scalar(number: str) -> str:
    """The number as YAML: plain when YAML reads it back as the same text, else double-quoted."""
    try:
        plain = yaml.safe_load(f"k: {number}")
    except yaml.YAMLError:
        plain = None
    return number if isinstance(plain, dict) and plain.get("k") == number else '"' + number.replace('"', '\\"') + '"'


def _insertion(doc: Missing, lines: list[str]) -> int:
    """Index (0-based) of the line before which a new 索引号 line goes: after a one-line 标题, else before
    the field after it, else at the end of the fields."""
    keys = list(doc.mapping)
    end = doc.fence or len(lines) + 1  # 1-based line just past the fields
    title = _raw(doc.mapping, doc.schema, "title")
    if title is None:
        return doc.mapping.line_of(keys[0]) - 1 if keys else end - 1
    title_key = next(k for k in keys if doc.mapping.line_of(k) == title[1])
    later = [doc.mapping.line_of(k) for k in keys[keys.index(title_key) + 1:]]
    limit = later[0] if later else end
    between = lines[title[1]:limit - 1]
    if all(not s.strip() or s.lstrip().startswith("#") for s in between):
        return title[1]
    return limit - 1


def _edit(doc: Missing, report: Report) -> tuple[bytes, int] | None:
    """The file's new bytes and the line of its 索引号, or None (reported) when the edit cannot be made safely."""
    bom, codec, text = _decode(doc.path.read_bytes())
    lines = _LINES.findall(text)
    value = _scalar(doc.number)
    written = _raw(doc.mapping, doc.schema, "index_no")
    if written is not None:  # an empty 索引号 line: fill it in
        index = written[1] - 1
        body = lines[index].rstrip("\r\n")
        m = _EMPTY_INDEX.fullmatch(body)
        if m is None:
            return _cannot(doc, written[1], report)
        lines[index] = m["head"] + " " + value + m["tail"] + lines[index][len(body):]
    else:
        index = _insertion(doc, lines)
        eol = next((s[len(s.rstrip("\r\n")):] for s in lines if s.endswith(("\n", "\r"))), "\n")
        if index > 0 and not lines[index - 1].endswith(("\n", "\r")):
            lines[index - 1] += eol  # the file ended without a line break
        first = lines[doc.mapping.line_of(next(iter(doc.mapping))) - 1] if doc.mapping else ""
        indent = first[:len(first) - len(first.lstrip(" "))]  # the fields' own indent
        lines.insert(index, f"{indent}{doc.schema.field('index_no').key}: {value}{eol}")
    new_text = "".join(lines)
    if not _verify(doc, new_text):
        return _cannot(doc, index + 1, report)
    return bom + new_text.encode(codec), index + 1


def _verify(doc: Missing, new_text: str) -> bool:
    """Parsed again, the file has the same fields as before plus the 索引号, with exactly this value."""
    quiet = Report()
    source = decode(doc.path, new_text.encode("utf-8"), quiet)
    if source is None:
        return False
    if doc.fence:
        split = split_front_matter(source, quiet)
        mapping = yaml_loader.load(split.meta, doc.path, quiet, split.meta_line) if split else None
    else:
        mapping = yaml_loader.load(source.text, doc.path, quiet)
    if not isinstance(mapping, yaml_loader.Mapping):
        return False
    written = _raw(mapping, doc.schema, "index_no")
    keys = (f := doc.schema.field("index_no")).key, *f.aliases
    before = {k: v for k, v in doc.mapping.items() if k not in keys}
    after = {k: v for k, v in mapping.items() if k not in keys}
    return written is not None and str(written[0]) == doc.number and before == after


def _cannot(doc: Missing, line: int, report: Report) -> None:
    report.error(doc.path, line, "cannot add the 索引号 here without changing other text",
                 f"add `索引号: {doc.number}` by hand", code="fill-index")
    return None


def _write(path: Path, data: bytes) -> None:
    """Replace the file atomically, keeping its permissions."""
    mode = os.stat(path).st_mode & 0o7777
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _discover(config: SiteConfig, report: Report):
    return discover(config.content_dir, {t.folder: (t.name, t.suffixes) for t in config.types}, report)


def site_config(content_dir: Path) -> SiteConfig:
    """site.yaml of a content folder, for the commands that edit content (``new``, ``fill-index``)."""
    if not content_dir.is_dir():
        raise UsageError(f"content folder not found: {content_dir}")
    report = Report()
    config = load_config(content_dir, report, TYPES)
    if config is None:
        raise ContentError(report)
    return config


def fill_index(content_dir: Path, dry_run: bool = False) -> tuple[list[tuple[Path, int, str]], Report]:
    """Write the missing numbers; return (path, line, 索引号) of each and the problems of files left alone."""
    config = site_config(content_dir)
    report = Report()
    found = _discover(config, report)
    missing = [m for t in config.types if t.indexed for path in found.of(t.name)
               if (m := _missing(path, t.main_schema, t.index_date, config, report)) is not None]
    used = used_serials(taken_numbers(config), config.index_no)
    numbers = assign(((m.path, m.date) for m in missing), used, config.index_no)
    done = []
    for doc in missing:
        doc.number = numbers[doc.path]
        edited = _edit(doc, report)
        if edited is None:
            continue
        if not dry_run:
            _write(doc.path, edited[0])
        done.append((doc.path, edited[1], doc.number))
    return done, report
