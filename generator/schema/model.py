"""A schema: its fields in order, the validation of a mapping against them, and the reference tables
the README is generated from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from ..readers.yaml_loader import Mapping
from .fields import Choice, FieldType, ListOf
from .scope import AlreadyReported, Invalid, Scope, did_you_mean



@dataclass(frozen=True)
class Field:
    """One key of a mapping: how it is written, what it means, how it converts."""

    key: str
    attr: str
    type: FieldType
    required: bool = False
    default: Any = None
    aliases: tuple[str, ...] = ()
    synonyms: tuple[str, ...] = ()  # names editors use by mistake: suggested, not accepted
    doc: str = ""
    example: str = ""
    #: Required, but checked by the site graph instead of here, because its hint needs the whole site
    #: (the next free 索引号); the document is read without it.
    required_by_site: bool = False


@dataclass
class Schema:
    """The fields of one kind of mapping (front matter, a YAML file, a section of site.yaml).

    :meth:`validate` reports every problem at its line (unknown keys with a
    "did you mean", missing or empty required fields, bad values) and returns
    the converted values by attribute; the same schema generates the README's
    field table, so documentation and validation cannot drift apart.
    """

    name: str
    fields: list[Field]
    #: Cross-field rules, run when every field converted: fn(values, mapping, scope).
    rules: list[Callable] = field(default_factory=list)

    def __post_init__(self):
        self._by_key: dict[str, Field] = {}
        for f in self.fields:
            for k in (f.key, *f.aliases):
                assert k not in self._by_key, f"duplicate schema key {k}"
                self._by_key[k] = f

    def field(self, attr: str) -> Field:
        return next(f for f in self.fields if f.attr == attr)

    def _unknown_hint(self, key: str) -> str:
        for f in self.fields:
            if key in f.synonyms:
                return f"did you mean {f.key!r}?"
        return did_you_mean(key, self._by_key) or "remove it, or check the spelling against the field reference in README.md"

    def validate(self, mapping: Mapping, scope: Scope) -> dict | None:
        """Return ``{attr: value}`` for a valid mapping, else report and return ``None``."""
        ok = True
        values: dict[str, Any] = {}
        given: dict[str, str] = {}
        for key, raw in mapping.items():
            line = mapping.line_of(key)
            f = self._by_key.get(key)
            if f is None:
                scope.error(line, f"unknown field {key!r} in {self.name}", self._unknown_hint(key),
                            code="unknown-field")
                ok = False
                continue
            if f.attr in given:
                scope.error(line, f"{key!r} and {given[f.attr]!r} are the same field", "keep only one of them",
                            code="duplicate-field")
                ok = False
                continue
            given[f.attr] = key
            if raw is None or (isinstance(raw, str) and not raw.strip() and not isinstance(f.type, ListOf)):
                if f.required:
                    scope.error(line, f"field {f.key!r} is empty", _empty_hint(f, scope), code="missing-field")
                    ok = False
                continue  # an empty optional field means "not set"
            try:
                values[f.attr] = f.type.convert(raw, scope, line)
            except Invalid as e:
                scope.error(e.line or line, f"{f.key}: {e.message}", e.hint, code="bad-value")
                ok = False
            except AlreadyReported:
                ok = False
        for f in self.fields:
            if f.attr in values:
                continue
            if f.required and f.attr not in given:
                scope.error(mapping.line, f"missing required field {f.key!r} in {self.name}", _example_hint(f),
                            code="missing-field")
                ok = False
            elif f.attr not in given or f.attr not in values:
                values[f.attr] = f.default() if callable(f.default) else f.default
        if not ok:
            return None
        for rule in self.rules:
            if rule(values, mapping, scope) is False:
                ok = False
        return values if ok else None

    def line_of(self, mapping: Mapping, attr: str) -> int:
        f = self.field(attr)
        for k in (f.key, *f.aliases):
            if k in mapping:
                return mapping.line_of(k)
        return mapping.line

    def lines(self, mapping: Mapping) -> dict[str, int]:
        """The line of every field (the mapping's own line for absent ones), by attribute: where later
        checks on the document report."""
        return {f.attr: self.line_of(mapping, f.attr) for f in self.fields}


def _example_hint(f: Field) -> str:
    return f"add a line like `{f.key}: {f.example}`" if f.example else f"add the field {f.key!r}"


def _empty_hint(f: Field, scope: Scope) -> str:
    """For a vocabulary field, the values it allows (an example would be a guess that files the document
    in the wrong column); for any other field, an example."""
    if isinstance(f.type, Choice):
        choices = f.type.choices(scope)
        if choices:
            return "write one of: " + "; ".join(choices)
    return f"write a value, e.g. `{f.key}: {f.example}`" if f.example else "write a value or remove the field"


def reference_table(schema: Schema) -> str:
    """The Markdown table of a schema's fields, as README.md shows it."""
    with_aliases = any(f.aliases for f in schema.fields)
    head = ["field", *(["also accepted"] if with_aliases else []), "required", "type", "meaning", "example"]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for f in schema.fields:
        cells = [f"`{f.key}`"]
        if with_aliases:
            cells.append(", ".join(f"`{a}`" for a in f.aliases))
        cells += ["yes" if f.required or f.required_by_site else "no", f.type.label, f.doc,
                  f"`{f.example}`" if f.example else ""]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)
