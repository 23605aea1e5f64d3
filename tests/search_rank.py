"""Which documents a query finds, and in what order: the algorithm of search-rank.js, in Python.

A query is *terms* separated by spaces, each normalised like the text. Every
term must match a document; when no document matches them all, the documents
matching some are shown, those matching most first, and the page says so.

A term is cut into *pieces* at the words of the synonym table (文旅局年报 →
文旅局 | 年报); each such word also stands for its synonyms (文化和旅游局,
年度报告). A *unit* (a whole term, or one piece) matches a document

* **exactly**, when the document contains the unit or one of its alternatives
  (for a whole term: every combination of its pieces' alternatives, and a 文号
  typed without brackets written with them: 江文旅规2023年1号 → 江文旅规〔2023〕1号);
* **in part**, for a unit of four or more characters (two of them 汉字), as
  typed: when the document has most (:data:`PART`) of its character pairs
  that occur anywhere, not only the common ones (:data:`PART_WEIGHT`):
  十四五规划 finds “十四五”文化和旅游发展规划.

The agency's own name (three characters or more of it: 文化和旅游局,
and so 文旅局) matches every document, as every page of the site is the
agency's, with the lowest place where the document does not say it.

A unit's score in a document is ``weight × place``: the weight is the unit's
rarity among the documents searched (BM25's inverse document frequency, so a
word in almost every document weighs almost nothing), the place where it
occurs — title 16, key field (文号, 索引号, 登记号, 文种, 关键词) 12, elsewhere 4, only
inside the agency's or an issuer's name 1 (:data:`ZONE_WEIGHT`). A match in
part scores half, its pairs' places weighted by their rarity. A term of several
pieces scores the sum of its pieces — all must match — doubled where the term
occurs as a whole (exactly); a term of one piece, or one whose pieces no
document has all, is one unit.
A document's score is the sum over the terms; equal scores: newest first.
Every number is an integer (weights in thousandths), so that search-rank.js
ranks exactly as this module does.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from generator.search.postings import ZONE_NAME

ZONE_WEIGHT = (1, 4, 12, 16)  # by zone: only in a name, elsewhere, key field, title
PART = (3, 5)  # a match in part needs this share of the pairs that occur anywhere (two at least) …
PART_WEIGHT = (2, 5)  # … and this share of their weight (rarity): not only the common ones
PART_MIN_LENGTH = 4  # shorter units only match exactly; so do those with fewer than two 汉字 (numbers, codes)
_HAN = re.compile("[\u3400-\u9fff\uf900-\ufaff]")
MAX_ALTERNATIVES = 16
#: A 文号 typed without brackets: 江文旅规2023年1号, 江文旅规20231号 (the year, then the number and 号).
_DOC_NO = re.compile(r"^(.*?)((?:19|20)[0-9]{2})年?第?([0-9]+号.*)$")


@dataclass
class Hit:
    doc: int
    score: int
    terms: int  # how many of the query's terms it matches


@dataclass
class Result:
    terms: list[str]
    hits: list[Hit]
    complete: bool = True  # every hit matches every term
    marks: list[str] = field(default_factory=list)  # what to highlight in the results


def idf(df: int, n: int) -> int:
    """BM25's inverse document frequency, in thousandths."""
    return math.floor(1000 * math.log(1 + (n - df + 0.5) / (df + 0.5)) + 0.5)


def segment(term: str, synonyms: Mapping[str, list[str]]) -> list[list[str]]:
    """The term cut at the words of the synonym table (longest first, left to right): per piece, its
    alternatives (a word of the table: itself, then its synonyms; a run of other characters: itself).
    A single character is joined to the next piece (the last to the one before): 市 | 文旅局 → 市文旅局."""
    lengths = sorted({len(k) for k in synonyms}, reverse=True)
    pieces: list[list[str]] = []
    literal, i = "", 0
    while i < len(term):
        key = next((term[i:i + n] for n in lengths if term[i:i + n] in synonyms), None)
        if key is None:
            literal += term[i]
            i += 1
            continue
        if literal:
            pieces.append([literal])
            literal = ""
        pieces.append([key, *synonyms[key]])
        i += len(key)
    if literal:
        pieces.append([literal])
    n = 0
    while len(pieces) > 1 and n < len(pieces):
        if len(pieces[n][0]) == 1:
            at = n if n + 1 < len(pieces) else n - 1
            pieces[at:at + 2] = [combine(pieces[at:at + 2])]
        else:
            n += 1
    return pieces


def combine(pieces: list[list[str]]) -> list[str]:
    """The alternatives of pieces written one after another (every combination, the originals first)."""
    out = [""]
    for options in pieces:
        out = [a + o for a in out for o in options][:MAX_ALTERNATIVES]
    return out


def alternatives(pieces: list[list[str]]) -> list[str]:
    """The whole term's alternatives: the pieces' combined (the term itself first; at most
    MAX_ALTERNATIVES), then the 文号 form of each; no repeats."""
    out = combine(pieces)
    for alt in list(out):
        m = _DOC_NO.match(alt)
        if m and "〔" not in alt:
            out.append(f"{m.group(1)}〔{m.group(2)}〕{m.group(3)}")
    return list(dict.fromkeys(out))[:MAX_ALTERNATIVES]


def pairs(text: str) -> list[str]:
    return list(dict.fromkeys(text[i:i + 2] for i in range(len(text) - 1)))


class _Term:
    """One term: ``scores``, document → score for every document it matches; ``marks``, what to highlight."""

    def __init__(self, reader, text: str, allowed, n: int):
        self.reader, self.allowed, self.n = reader, allowed, n
        self.names = reader.manifest.get("names", [])
        self.agency = reader.manifest.get("agency", "")
        self.marks: list[str] = []
        pieces = segment(text, reader.manifest.get("synonyms", {}))
        self.scores = {}
        if len(pieces) > 1:  # 文旅局电话: 文化和旅游局 … 联系方式, each piece on its own
            whole, phrase = self._unit(alternatives(pieces), in_part=False)
            parts = [self._unit(options)[0] for options in pieces]
            common = set.intersection(*(set(p) for p in parts))
            self.scores = {d: sum(p[d] for p in parts) * (2 if d in phrase else 1) for d in common}
            for doc, score in whole.items():  # a 文号 form
                self.scores.setdefault(doc, score)
        if not self.scores:  # one piece, or no document has them all: the whole term, also in part
            self.scores = self._unit(alternatives(pieces))[0]

    def _unit(self, alts: list[str], in_part: bool = True) -> tuple[dict[int, int], dict[int, int]]:
        """Documents matching the unit (exactly, or also in part) → score; and the exact matches → zone."""
        reader, allowed = self.reader, self.allowed
        exact: dict[int, int] = {}
        for alt in alts:
            # A unit inside a name (文化和旅游局): its place is no better than the best place of each of its pairs.
            caps = [reader.zones(b, allowed) for b in pairs(alt)] if len(alt) >= 3 and \
                any(alt in name for name in self.names) else []
            for doc, zone in reader.match_term(alt, allowed).items():
                zone = min([zone, *(cap.get(doc, ZONE_NAME) for cap in caps)])
                exact[doc] = max(zone, exact.get(doc, ZONE_NAME))
        if any(len(alt) >= 3 and alt in self.agency for alt in alts):  # 文旅局: every page of the site is its own
            for doc in range(reader.count):
                if allowed is None or allowed[doc]:
                    exact.setdefault(doc, ZONE_NAME)
        weight = idf(len(exact), self.n)
        scores = {doc: weight * ZONE_WEIGHT[zone] for doc, zone in exact.items()}
        _add(self.marks, alts)
        if in_part and len(alts[0]) >= PART_MIN_LENGTH and len(_HAN.findall(alts[0])) >= 2:
            for doc, score in self._part(alts[0], exact, weight).items():  # as typed, not a synonym's pairs
                scores[doc] = max(scores.get(doc, 0), score)
        return scores, exact

    def _part(self, alt: str, exact: dict[int, int], weight: int) -> dict[int, int]:
        """Documents (not matching exactly) with most of the alternative's pairs → weight × half their
        places, each pair weighted by its rarity."""
        lists = [(self.reader.zones(b, self.allowed), b) for b in pairs(alt)]
        lists = [(zones, b, idf(len(zones), self.n)) for zones, b in lists if zones]
        if len(lists) < 2:
            return {}
        total = sum(w for _, _, w in lists)
        found: dict[int, list[int]] = {}  # document → [pairs it has, their weight, their weighted places]
        for zones, _, w in lists:
            for doc, zone in zones.items():
                if doc not in exact:
                    acc = found.setdefault(doc, [0, 0, 0])
                    acc[0] += 1
                    acc[1] += w
                    acc[2] += w * ZONE_WEIGHT[zone]
        out = {doc: weight * places // (2 * total) for doc, (count, have, places) in found.items()
               if count >= 2 and count * PART[1] >= len(lists) * PART[0]
               and have * PART_WEIGHT[1] >= total * PART_WEIGHT[0]}
        if out:
            _add(self.marks, [b for _, b, _ in lists])
        return out


def _add(items: list[str], more: list[str]) -> None:
    for item in more:
        if item not in items:
            items.append(item)


def search(reader, query: str, filters: Mapping[str, str] | None = None) -> Result:
    """Every document matching the query and passing the filters, best first."""
    texts = reader.terms(query)
    allowed = reader.allowed(filters)
    if not texts:
        hits = [] if allowed is None else [Hit(d, 0, 0) for d in range(reader.count) if allowed[d]]
        return Result(texts, hits)
    n = reader.count if allowed is None else sum(allowed)
    terms = [_Term(reader, text, allowed, n) for text in texts]
    totals: dict[int, list[int]] = {}  # document → [score, terms matched]
    for term in terms:
        for doc, score in term.scores.items():
            acc = totals.setdefault(doc, [0, 0])
            acc[0] += score
            acc[1] += 1
    complete = any(t == len(terms) for _, t in totals.values())
    hits = [Hit(d, s, t) for d, (s, t) in totals.items() if not complete or t == len(terms)]
    hits.sort(key=lambda h: (-h.terms, -h.score, h.doc))
    marks = list(dict.fromkeys(m for t in terms for m in t.marks))
    return Result(texts, hits, complete or not hits, marks)
