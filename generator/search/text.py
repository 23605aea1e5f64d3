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

KINDS = {"policy": "政策文件", "interpretation": "政策解读", "annual_report": "年度报告",
         "institution": "公共企事业单位", "page": "信息公开页面"}


@dataclass
class SearchDoc:
    """One search result: what is matched (``fields``, title first), shown and filtered on."""

    url: str
    title: str
    date: dt.date
    kind: str  # a key of KINDS
    fields: list[str]  # the title, then every other searchable text, as written
    summary: str = ""
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


def _text(body) -> str:
    return body.text if body is not None else ""


def _join(*parts) -> str:
    return " ".join(p for p in parts if p)


def _policy_fields(doc) -> list[str]:
    return [doc.title, doc.doc_no or "", doc.index_no or "", doc.registration_no or "", doc.issuer, doc.topic,
            doc.category, _join(*doc.keywords), _join(*doc.tags), doc.summary, _text(doc.body),
            _join(*(a.title for a in doc.attachments))]


def _interpretation_fields(interp) -> list[str]:
    out = [interp.title, interp.interpreter, interp.person or "", interp.index_no or "", interp.summary,
           _join(*interp.tags), _text(interp.body)]
    out += [_join(key, _text(body)) for key, body in interp.sections]
    out += [_join(question, _text(answer)) for question, answer in interp.qa]
    out += [interp.alt or "", _text(interp.text_alternative), _text(interp.transcript)]
    return out


def _is_number(cell: str) -> bool:
    return cell.replace(",", "").replace(".", "").replace("-", "").strip().isdigit()


def _report_fields(rep) -> list[str]:
    out = [rep.title, rep.issuer, rep.index_no or ""]
    for section in rep.sections:
        out += [section.heading, _text(section.text), _text(section.note)]
        for table in section.tables:  # captions and row/column labels; the numbers are not worth matching
            labels = [*table.csv_header, *(c for row in table.csv_rows for c in row if not _is_number(c))]
            out += [table.caption, _join(*labels)]
    return out


def _institution_fields(inst) -> list[str]:
    # With the page's labels, which readers search for (博物馆地址, 图书馆办公时间, 美术馆电话).
    phones = _join(*(f"{p.display} {p.number}" for p in inst.phones))
    return [inst.name, inst.category, inst.qualification, inst.district, _labelled("地址", inst.address),
            inst.scope, inst.service_area, _labelled("办公时间", inst.hours), _labelled("联系电话", phones),
            inst.supervisor or "", inst.description]


def _labelled(label: str, value: str) -> str:
    return f"{label} {value}" if value else ""


def _strings(value) -> list[str]:
    """Every text in a disclosure page's data, in order (rendered Markdown as its plain text)."""
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in _strings(v)]
    if isinstance(value, str):
        return [value]
    text = getattr(value, "text", None)  # RenderedBody
    if isinstance(text, str) and hasattr(value, "html"):
        return [text]
    title = getattr(value, "title", None)  # an attachment
    return [title] if isinstance(title, str) and hasattr(value, "kind") else []


def _page_fields(page) -> list[str]:
    data = {k: v for k, v in page.data.items() if k not in ("kind", "title", "updated")}
    out = [page.title, *_strings(data)]
    if page.body is not None:
        out.append(page.body.text)
    return [out[0]] + [s for s in out[1:] if not s.startswith(("http://", "https://"))]


def _keys(*values) -> list[str]:
    return [v for v in values if v]


def _items(column) -> list:
    items = getattr(column, "items_untracked", None)  # the tracked `items` records a render dependency
    return column.items if items is None else items


def documents(site) -> list[SearchDoc]:
    """Every searchable document of the site graph, newest first (the index's document order)."""
    listed: dict[tuple[str, str], list[str]] = {}
    for column in site.all_columns:
        if column.list is not None:
            for item in _items(column):
                listed.setdefault((item.type_name, item.id), []).append(column.url)
    issuers = sorted(site.config.issuers, key=len, reverse=True)

    def common(item, kind: str) -> dict:
        home = site.home_of(item)
        return {"kind": kind, "column": home.name if home else None,
                "columns": listed.get((item.type_name, item.id), [])}

    docs: list[SearchDoc] = []
    for p in site.policies:
        docs.append(SearchDoc(p.url, p.title, p.published, fields=_policy_fields(p), summary=p.description,
                              issuer=p.issuer, topic=p.topic, validity=p.validity, doc_no=p.doc_no,
                              language=p.language, key_fields=_keys(p.doc_no, p.index_no, p.registration_no, p.category,
                                                               _join(*p.keywords)),
                              **common(p, "policy")))
    for i in site.interpretations:
        # 发布机构 of an interpretation: the vocabulary issuer its 解读机构 is part of (…局 for …局公共服务处).
        issuer = next((name for name in issuers if i.interpreter.startswith(name)), None)
        docs.append(SearchDoc(i.url, i.title, i.published, fields=_interpretation_fields(i), summary=i.description,
                              issuer=issuer, language=i.language, key_fields=_keys(i.index_no),
                              **common(i, "interpretation")))
    for r in site.reports:
        docs.append(SearchDoc(r.url, r.title, r.published, fields=_report_fields(r), summary=r.description,
                              issuer=r.issuer, key_fields=_keys(r.index_no), **common(r, "annual_report")))
    for inst in site.institutions:
        supervisor = inst.supervisor if inst.supervisor in site.config.issuers else None
        docs.append(SearchDoc(inst.url, inst.name, inst.updated, fields=_institution_fields(inst),
                              summary=inst.summary, issuer=supervisor, **common(inst, "institution")))
    for column in site.all_columns:
        page = column.page
        if page is None:
            continue
        issuer = page.data.get("issuer") if isinstance(page.data.get("issuer"), str) else None
        fields = _page_fields(page)
        summary = column.description or next((f[:100] for f in fields[1:] if len(f) > 20), "")
        docs.append(SearchDoc(page.url, page.title, page.updated, "page", fields,
                              summary=summary, issuer=issuer, column=column.name,
                              columns=[column.url]))
    kind_rank = {k: n for n, k in enumerate(KINDS)}
    docs.sort(key=lambda d: (-d.date.toordinal(), kind_rank[d.kind], d.url))
    return docs
