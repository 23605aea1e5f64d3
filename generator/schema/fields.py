"""The field types: each converts one YAML value or raises :class:`Invalid` with a hint."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import urlsplit

from ..readers.yaml_loader import Mapping, Sequence
from .scope import AlreadyReported, Invalid, Scope, did_you_mean, type_name


class FieldType:
    """Converts one YAML value; raises :class:`Invalid` with a hint when it does not fit."""

    label = "value"

    def convert(self, value: Any, scope: Scope, line: int) -> Any:
        return value


class Text(FieldType):
    def __init__(self, *, multiline: bool = False, max_length: int | None = None,
                 pattern: str | None = None, pattern_label: str = "", allow_numbers: bool = False):
        self.multiline = multiline
        self.max_length = max_length
        self.pattern = re.compile(pattern) if pattern else None
        self.pattern_label = pattern_label
        self.allow_numbers = allow_numbers
        self.label = pattern_label or ("text" if multiline else "text (one line)")

    def convert(self, value, scope, line):
        if self.allow_numbers and isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise Invalid(f"expected {self.label}, got {type_name(value)}",
                          "put the value in quotes if it should be text")
        value = value.strip()
        if not value:
            raise Invalid("value is empty", "write a value or remove the field")
        if not self.multiline and "\n" in value:
            raise Invalid("value must be on one line", "remove the line breaks")
        if self.max_length and len(value) > self.max_length:
            raise Invalid(f"value is {len(value)} characters long, more than {self.max_length}",
                          "shorten it")
        if self.pattern and not self.pattern.fullmatch(value):
            raise Invalid(f"{value!r} is not {self.pattern_label}", f"write {self.pattern_label}")
        return value


class Integer(FieldType):
    def __init__(self, minimum: int | None = None, maximum: int | None = None):
        self.minimum, self.maximum = minimum, maximum
        self.label = "a whole number"

    def convert(self, value, scope, line):
        if isinstance(value, bool) or not isinstance(value, int):
            raise Invalid(f"expected a whole number, got {type_name(value)}", "write digits only, e.g. 20")
        if self.minimum is not None and value < self.minimum:
            raise Invalid(f"{value} is less than {self.minimum}", f"use a number of at least {self.minimum}")
        if self.maximum is not None and value > self.maximum:
            raise Invalid(f"{value} is more than {self.maximum}", f"use a number of at most {self.maximum}")
        return value


class Boolean(FieldType):
    label = "true or false"

    def convert(self, value, scope, line):
        if not isinstance(value, bool):
            raise Invalid(f"expected true or false, got {type_name(value)}", "write true or false")
        return value


_DATE_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_CN_DATE_RE = re.compile(r"(\d{4})\s*[年/.]\s*(\d{1,2})\s*[月/.]\s*(\d{1,2})\s*日?")


class Date(FieldType):
    label = "a date (YYYY-MM-DD)"

    def convert(self, value, scope, line):
        if isinstance(value, dt.date):
            return value
        if not isinstance(value, str):
            raise Invalid(f"expected {self.label}, got {type_name(value)}", "write the date as 2023-04-20")
        text = value.strip()
        m = _DATE_RE.fullmatch(text)
        if not m:
            cn = _CN_DATE_RE.fullmatch(text)
            if cn:
                y, mo, d = cn.groups()
                raise Invalid(f"date {text!r} is not in the form YYYY-MM-DD",
                              f"write it as {int(y):04d}-{int(mo):02d}-{int(d):02d}")
            raise Invalid(f"{text!r} is not a date", "write the date as YYYY-MM-DD, e.g. 2023-04-20")
        y, mo, d = (int(g) for g in m.groups())
        try:
            return dt.date(y, mo, d)
        except ValueError:
            raise Invalid(f"{text!r} is not a real calendar date", "check the month and day")


class Choice(FieldType):
    """One of a fixed list, or of a vocabulary looked up in ``scope.env`` at validation time."""

    def __init__(self, choices: Iterable[str] | str, label: str = ""):
        self._choices = choices
        self.label = label or ("one of " + ", ".join(choices) if not isinstance(choices, str) else "a value")

    def choices(self, scope: Scope) -> list[str]:
        if isinstance(self._choices, str):
            return list(scope.env.get(self._choices, ()))
        return list(self._choices)

    def convert(self, value, scope, line):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise Invalid(f"expected {self.label}, got {type_name(value)}")
        value = value.strip()
        choices = self.choices(scope)
        if value not in choices:
            shown = ", ".join(choices[:12]) + (" …" if len(choices) > 12 else "")
            hint = did_you_mean(value, choices) or f"use one of: {shown}"
            raise Invalid(f"{value!r} is not {self.label}", hint)
        return value


class Url(FieldType):
    def __init__(self, schemes: tuple[str, ...] = ("http", "https")):
        self.schemes = schemes
        self.label = "a URL (" + ", ".join(s + ":" for s in schemes) + ")"

    def convert(self, value, scope, line):
        if not isinstance(value, str):
            raise Invalid(f"expected {self.label}, got {type_name(value)}")
        value = value.strip()
        try:
            parts = urlsplit(value)
        except ValueError as e:  # e.g. an unclosed '[' where an IPv6 address would go
            raise Invalid(f"{value!r} is not {self.label} ({e})",
                          "write a full address such as https://www.example.gov.cn/") from None
        if parts.scheme.lower() not in self.schemes or (parts.scheme in ("http", "https") and not parts.netloc):
            raise Invalid(f"{value!r} is not {self.label}", "write a full address such as https://www.example.gov.cn/")
        if any(c.isspace() for c in value):
            raise Invalid(f"URL {value!r} contains spaces", "remove the spaces or encode them as %20")
        return value


class ListOf(FieldType):
    """A list; a single value is accepted as a one-item list, which is what editors mean."""

    def __init__(self, item: FieldType, *, unique: bool = True, min_items: int = 0):
        self.item, self.unique, self.min_items = item, unique, min_items
        self.label = f"a list of {item.label}"

    def convert(self, value, scope, line):
        if value is None:
            value = []
        if not isinstance(value, list):
            value = Sequence([value])
            value.line, value.lines = line, [line]
        if len(value) < self.min_items:
            raise Invalid(f"list needs at least {self.min_items} item(s)", "add an item")
        out, failed, seen = [], False, {}
        for index, item in enumerate(value):
            item_line = value.line_of(index) if isinstance(value, Sequence) else line
            try:
                converted = self.item.convert(item, scope, item_line)
            except Invalid as e:
                scope.error(e.line or item_line, e.message, self._separator_hint(item, scope, item_line) or e.hint)
                failed = True
                continue
            except AlreadyReported:
                failed = True
                continue
            key = repr(converted)
            if self.unique and key in seen:
                scope.error(item_line, f"{item!r} is listed twice (also on line {seen[key]})", "remove the repeat")
                failed = True
                continue
            seen[key] = item_line
            out.append(converted)
        if failed:
            raise AlreadyReported()
        return out


    def _separator_hint(self, item: Any, scope: Scope, line: int) -> str:
        """A Chinese input method types '，' (or '、', '；') where a YAML list needs ', ': the item is then
        several values in one, and its own hint ("did you mean" one of them) would mislead."""
        if not isinstance(item, str):
            return ""
        found = _CJK_SEPARATOR.search(item)
        parts = [p for p in _CJK_SEPARATOR.split(item.strip()) if p]
        if found is None or len(parts) < 2:
            return ""
        if found.group().strip() != "，":  # '、' also joins the words of one value (文化、广电、新闻出版)
            try:
                for part in parts:
                    self.item.convert(part, scope, line)
            except (Invalid, AlreadyReported):
                return ""
        return (f"separate list items with an ASCII comma ',' (not {found.group().strip()!r}): "
                f"[{', '.join(parts)}]")


#: Separators a Chinese input method types where a YAML flow list needs an ASCII comma.
_CJK_SEPARATOR = re.compile(r"\s*[，、；]\s*")


@dataclass(frozen=True)
class Located:
    """A value that keeps its line, for checks that run after validation (references, paths)."""

    value: str
    line: int

    def __str__(self) -> str:
        return self.value


class Reference(FieldType):
    """A reference to another document by id or 索引号; resolved by the site graph."""

    label = "a document id or 索引号"

    def convert(self, value, scope, line):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            raise Invalid(f"expected {self.label}, got {type_name(value)}",
                          "write the file name (without .md) or the 索引号 of the document")
        return Located(value.strip(), line)


class Record(FieldType):
    """A nested mapping validated by its own schema."""

    def __init__(self, schema: "Schema", label: str = ""):
        self.schema = schema
        self.label = label or f"a mapping ({schema.name})"

    def convert(self, value, scope, line):
        if not isinstance(value, Mapping):
            raise Invalid(f"expected {self.label}, got {type_name(value)}",
                          "write the fields indented under this key, one 'name: value' per line")
        values = self.schema.validate(value, scope)
        if values is None:
            raise AlreadyReported()
        return values


class OneOf(FieldType):
    """A value that may be written short or long: the first type for its YAML shape converts it.

    Mappings go to a :class:`Record`, lists to a :class:`ListOf`, plain values to
    any other type.
    """

    def __init__(self, *types: FieldType, label: str = ""):
        self.types = types
        self.label = label or " or ".join(t.label for t in types)

    @staticmethod
    def _shape(t: FieldType) -> type:
        return Mapping if isinstance(t, Record) else list if isinstance(t, ListOf) else object

    def convert(self, value, scope, line):
        shape = Mapping if isinstance(value, Mapping) else list if isinstance(value, list) else object
        for t in self.types:
            if self._shape(t) is shape:
                return t.convert(value, scope, line)
        raise Invalid(f"expected {self.label}, got {type_name(value)}")


# --------------------------------------------------------------------------- schema


class ContentFile(FieldType):
    """A file path relative to the content file that names it; must exist inside the content folder.

    Converts to a :class:`Located` holding the content-relative POSIX path.
    Needs ``scope.env["content_dir"]``.
    """

    def __init__(self, extensions: dict[str, str] | None = None, label: str = "a file path"):
        self.extensions = extensions
        self.label = label

    def convert(self, value, scope, line):
        from ..readers.paths import is_file, is_private, resolve_inside

        if not isinstance(value, str) or not value.strip():
            raise Invalid(f"expected {self.label}, got {type_name(value)}",
                          "write the path relative to this file, e.g. files/2023/附件1.pdf")
        written = value.strip()
        content_dir = Path(scope.env["content_dir"])
        if written.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", written) or "://" in written:
            raise Invalid(f"path {written!r} is absolute", "write the path relative to this file")
        target = resolve_inside(scope.path.parent, written, content_dir)
        if target is None:
            raise Invalid(f"path {written!r} leaves the content folder",
                          "keep attachments and media inside the content folder")
        if not is_file(target):
            raise Invalid(f"file {written!r} does not exist", f"no file at {target}; check the name and folder")
        inside = target.relative_to(content_dir.resolve())
        if is_private(inside.parts):
            raise Invalid(f"file {written!r} is private",
                          "files and folders whose names start with '.' or '_' (drafts, .git) are never published")
        suffix = target.suffix.lower()
        if self.extensions is not None and suffix not in self.extensions:
            raise Invalid(f"file type {suffix or '(none)'!r} is not allowed here",
                          "allowed: " + ", ".join(sorted(self.extensions)))
        return Located(inside.as_posix(), line)
