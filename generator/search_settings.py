"""The ``search:`` section of site.yaml: the synonym and abbreviation table of the site search.

Kept out of :mod:`generator.search` (which reads the finished config) so that
:mod:`generator.config` can import the schema without an import cycle; the
built-in defaults and the use of the table are in :mod:`generator.search.synonyms`.
"""

from __future__ import annotations

from .readers.yaml_loader import Mapping
from .schema import AlreadyReported, Boolean, Field, FieldType, Invalid, ListOf, Schema, Text, type_name

_WORD = Text(max_length=30, allow_numbers=True)
_ALTERNATIVES = ListOf(Text(max_length=60, allow_numbers=True), min_items=1)


class SynonymTable(FieldType):
    """``word: [other words]`` — a query containing the word also finds the other words."""

    label = "a mapping of a word to the words it also finds"

    def convert(self, value, scope, line):
        if not isinstance(value, Mapping):
            raise Invalid(f"expected {self.label}, got {type_name(value)}",
                          "write one `word: [other word, …]` per line, indented under `synonyms:`")
        out: dict[str, list[str]] = {}
        failed = False
        for key, raw in value.items():
            at = value.line_of(key)
            try:
                word = _WORD.convert(key, scope, at)
                if any(c.isspace() for c in word):
                    raise Invalid(f"{word!r} contains a space",
                                  "a query is split at spaces, so a word with a space is never looked up: remove it")
                alternatives = _ALTERNATIVES.convert(raw, scope, at)
                if word in alternatives:
                    raise Invalid(f"{word!r} lists itself", "list only the other words it should find")
                out[word] = alternatives
            except Invalid as e:
                scope.error(e.line or at, f"synonyms: {e.message}", e.hint)
                failed = True
            except AlreadyReported:
                failed = True
        if failed:
            raise AlreadyReported()
        return out


SEARCH_SCHEMA = Schema("search", [
    Field("synonyms", "synonyms", SynonymTable(), default=dict,
          doc="Synonyms and abbreviations for the site search: a query containing the word on the left also "
              "finds the words on the right (同义词、简称). Added to the built-in table, whose entries they replace.",
          example="{文旅局: [文化和旅游局], 年报: 年度报告}"),
    Field("default_synonyms", "default_synonyms", Boolean(), default=True,
          doc="Use the built-in table: the agency's short names derived from `agency.sponsor` (文旅局, 市文旅局 …) "
              "and common terms (年报 → 年度报告, 非遗 → 非物质文化遗产, 一网通办 → 政务服务网 …).",
          example="true"),
])
