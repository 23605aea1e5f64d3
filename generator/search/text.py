"""Search text: the normalisation shared with search.js, and the text of every searchable document.

Matching is on *normalised* text, built one character at a time so that a
substring of the original is always a substring of the normalised text (the
guarantee behind 100% substring recall):

* NFKC (full-width letters and digits → ASCII, compatibility ideographs → unified ones),
* lower case,
* Traditional → Simplified folding of single characters (``t2s.tsv``, from OpenCC),
* every bracket a 文号 is written with (``()``, ``（）``, ``[]``, ``［］``, ``【】``,
  ``〖〗``, ``﹝﹞``) folded to the 六角括号 ``〔〕`` of GB/T 9704, so that
  ``[2023]1号`` finds ``〔2023〕1号``,
* whitespace, zero-width characters and the marks readers leave out when they
  type (、 · quotation marks, 《》〈〉) dropped: 双随机一公开 finds “双随机、一公开”.

``themes/default/static/search.js`` implements the same function (``normChar``);
keep the two identical. The text of a document is a list of *fields* (title
first); a match never spans two fields.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

#: Dropped from both the text and the query. After NFKC every Unicode space is U+0020 or one of these.
IGNORED = frozenset("\t\n\v\f\r \x85\u1680\u2028\u2029\u200b\u200c\u200d\u2060\ufeff")
FOLD_FILE = Path(__file__).with_name("t2s.tsv")
#: Brackets (after NFKC) folded to 〔 and 〕; search.js has the same table (BRACKETS).
BRACKETS = {**dict.fromkeys("([【〖", "〔"), **dict.fromkeys(")]】〗", "〕")}
#: Marks (after NFKC) dropped from text and query without separating words; search.js: DROPPED.
DROPPED = frozenset("、·・•“”‘’\"'「」『』《》〈〉")


@lru_cache(maxsize=1)
def fold_table() -> dict[str, str]:
    """Traditional character → simplified character (only characters that are not also simplified)."""
    table = {}
    for line in FOLD_FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            trad, simp = line.split("\t")
            table[trad] = simp
    return table


@lru_cache(maxsize=65536)
def norm_char(char: str) -> str:
    """The normalised form of one character: zero, one or (rarely, e.g. ㈱ → (株)) more characters."""
    fold = fold_table()
    out = unicodedata.normalize("NFKC", char).lower()
    return "".join(BRACKETS.get(c) or fold.get(c, c) for c in out if c not in IGNORED and c not in DROPPED)


_TRANSLATE: dict[int, str] = {}  # code point → normalised form, for the characters that change
_KNOWN: set[str] = set()


def normalize(text: str) -> str:
    """``norm_char`` applied to every character (through ``str.translate``, which is fast)."""
    new = set(text).difference(_KNOWN)
    for char in new:
        out = norm_char(char)
        if out != char:
            _TRANSLATE[ord(char)] = out
        _KNOWN.add(char)
    return text.translate(_TRANSLATE)


@lru_cache(maxsize=4096)
def is_separator(char: str) -> bool:
    """Does ``char`` separate query terms? Every kind of space does (after NFKC it is all ignored)."""
    nfkc = unicodedata.normalize("NFKC", char)
    return bool(nfkc) and all(c in IGNORED for c in nfkc)


def query_terms(query: str, norm=norm_char) -> list[str]:
    """A query is terms separated by spaces, all required; each is matched as a substring."""
    terms: list[str] = []
    current = ""
    for char in query + " ":
        if is_separator(char):
            if current and current not in terms:
                terms.append(current)
            current = ""
        else:
            current += norm(char)
    return terms


# --------------------------------------------------------------------------- documents


def kinds(types) -> dict[str, str]:
    """Searchable content types → the label readers see, in registry order (the order of the kind filter)."""
    return {t.name: t.label for t in types if t.search is not None}


@dataclass
class SearchDoc:
    """One search result: what is matched (``fields``, title first), shown and filtered on."""

    url: str
    title: str
    date: dt.date
    kind: str  # the name of its content type
    fields: list[str]  # the title, then every other searchable text, as written
    summary: str = ""
    label: str = ""  # what readers see of the kind (the type's label: 政策文件 …)
    issuer: str | None = None
    topic: str | None = None
    validity: str | None = None
    doc_no: str | None = None
    language: str | None = None
    column: str | None = None  # name of the home column, for display
    columns: list[str] = field(default_factory=list)  # URLs of every column listing it (or showing it)
    key_fields: list[str] = field(default_factory=list)  # 文号, 索引号, 登记号, 文种, 关键词 (also in
    #                                                      fields): ranked next to the title

    @property
    def year(self) -> int:
        return self.date.year


def _items(column) -> list:
    items = getattr(column, "items_untracked", None)  # the tracked `items` records a render dependency
    return column.items if items is None else items


def documents(site, texts: bool = True) -> list[SearchDoc]:
    """Every searchable document of the site graph, newest first (the index's document order). Without
    ``texts``, only what the search page's filters offer (no ``fields``, ``key_fields`` or ``summary``):
    the texts are most of the memory a site's search documents take, and only the index reads them, so
    they are made when it is, and dropped with it."""
    listed: dict[tuple[str, str], list[str]] = {}
    for column in site.all_columns:
        if column.list is not None:
            for item in _items(column):
                listed.setdefault((item.type_name, item.id), []).append(column.url)
    docs: list[SearchDoc] = []
    for t in site.config.types:
        if t.search is None:
            continue
        spec = t.search
        for doc in site.library[t.name]:
            home = site.home_of(doc)
            columns = listed.get((doc.type_name, doc.id)) or ([home.url] if t.url is None and home else [])
            docs.append(SearchDoc(doc.url, doc.title, spec.date(doc), t.name, spec.fields(doc) if texts else [],
                                  summary=spec.summary(doc) if texts else "", label=t.label,
                                  column=home.name if home else None, columns=columns,
                                  key_fields=[k for k in spec.keys(doc) if k] if texts else [],
                                  **spec.facets(doc, site.config)))
    kind_rank = {name: n for n, name in enumerate(kinds(site.config.types))}
    docs.sort(key=lambda d: (-d.date.toordinal(), kind_rank[d.kind], d.url))
    return docs
