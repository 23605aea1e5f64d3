"""The reference reader of the search index: the algorithm of search-index.js, in Python.

Used by the tests and by ``tests/search_recall.py`` to check the index
independently of a browser; search.js must give the same results. This module
reads the index and finds where a (normalised) text occurs; :mod:`.rank` turns
a query into terms and ranks the documents.
"""

from __future__ import annotations

import json
import unicodedata
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass

import search_rank as rank
from generator.search.index import TITLE_ZONE, doc_path, fnv1a
from generator.search.postings import ZONE_BODY, ZONE_KEY, ZONE_TITLE
from generator.search.text import BRACKETS, DROPPED, IGNORED, query_terms


def _varints(data: bytes, pos: int = 0):
    """Yield (value, next position) for consecutive varints from ``pos``."""
    n = len(data)
    while pos < n:
        value, shift = 0, 0
        while True:
            byte = data[pos]
            pos += 1
            value |= (byte & 0x7F) << shift
            if byte < 0x80:
                break
            shift += 7
        yield value, pos


@dataclass
class Posting:
    docs: list[int]
    zones: list[int]  # the best zone of the term in each document (postings.ZONE_*)
    positions: list[list[int]]  # bigrams, when asked for




class IndexReader:
    """Reads the files :func:`generator.search.index.build_index` made (path → bytes)."""

    def __init__(self, files: Mapping[str, bytes], verify_limit: int = 20):
        self.files = files
        self.verify_limit = verify_limit  # as search.js: verify on the records when at most this many remain
        self.manifest = json.loads(files["search/manifest.json"])
        m = self.manifest
        self.count = m["count"]
        fold = m["fold"]
        self.fold = {fold[i]: fold[i + 1] for i in range(0, len(fold), 2)}
        table = files["search/docs.bin"]
        widths = [w for _, w in m["record"]]
        size = sum(widths)
        self.records: list[dict[str, int]] = []
        for n in range(self.count):
            pos, row = n * size, {}
            for (name, width) in m["record"]:
                row[name] = int.from_bytes(table[pos:pos + width], "little")
                pos += width
            self.records.append(row)
        self._shards: dict[int, dict] = {}
        self._postings: dict[tuple[str, bool], Posting | None] = {}

    # -- text
    def norm_char(self, char: str) -> str:
        out = unicodedata.normalize("NFKC", char).lower()
        return "".join(BRACKETS.get(c) or self.fold.get(c, c) for c in out if c not in IGNORED and c not in DROPPED)

    def terms(self, query: str) -> list[str]:
        return query_terms(query, self.norm_char)

    # -- postings
    def _shard(self, shard: int) -> dict:
        """term → ((bytes, start, end) of the document part, (bytes, start, end) of the position part)."""
        if shard not in self._shards:
            data = self.files[f"search/i/{shard}.bin"]
            it = _varints(data)
            count, pos = next(it) if data else (0, 0)
            entries = []
            for n in range(count):
                length, _ = next(it)
                term = "".join(chr(next(it)[0]) for _ in range(length))
                flag, _ = next(it)
                pos_size, pos = next(it)
                entries.append((term, flag >> 1, pos_size, flag & 1, n))
            table = {}
            offset = pos
            for term, doc_size, pos_size, external, n in entries:
                if external:
                    doc_file = self.files[f"search/t/{shard}-{n}.bin"]
                    pos_file = self.files[f"search/t/{shard}-{n}-p.bin"] if pos_size else b""
                    table[term] = ((doc_file, 0, len(doc_file)), (pos_file, 0, len(pos_file)))
                else:
                    table[term] = ((data, offset, offset + doc_size),
                                   (data, offset + doc_size, offset + doc_size + pos_size))
                    offset += doc_size + pos_size
            self._shards[shard] = table
        return self._shards[shard]

    def entry(self, term: str):
        return self._shard(fnv1a(term) & (self.manifest["shards"] - 1)).get(term)

    def posting(self, term: str, with_positions: bool = False) -> Posting | None:
        key = (term, with_positions)
        if key not in self._postings:
            self._postings[key] = self._decode(term, with_positions)
        return self._postings[key]

    def _decode(self, term: str, with_positions: bool) -> Posting | None:
        entry = self.entry(term)
        if entry is None:
            return None
        (data, start, end) = entry[0]
        docs, zones, positions = [], [], []
        last = -1
        for value, _ in _varints(data[start:end]):
            last += (value >> 2) + 1
            docs.append(last)
            zones.append(value & 3)
        if with_positions:
            (data, start, end) = entry[1]
            it = _varints(data[start:end])
            for _ in docs:
                count = next(it)[0] + 1
                p = next(it)[0]
                pos = [p]
                for _ in range(count - 1):
                    p += next(it)[0] + 1
                    pos.append(p)
                positions.append(pos)
        return Posting(docs, zones, positions)

    def zones(self, term: str, allowed: list[bool] | None = None) -> dict[int, int]:
        """Documents (passing the filter) whose text has the character or bigram ``term`` → its best zone."""
        p = self.posting(term)
        if p is None:
            return {}
        return {d: z for d, z in zip(p.docs, p.zones) if allowed is None or allowed[d]}

    def match_term(self, term: str, allowed: list[bool] | None = None) -> dict[int, int]:
        """Documents (passing the filter) whose text contains ``term`` → the zone of its first occurrence
        (search-index.js's strategy)."""
        if len(term) <= 2:
            return self.zones(term, allowed)
        offsets = list(range(0, len(term) - 1, 2))
        if offsets[-1] != len(term) - 2:
            offsets.append(len(term) - 2)
        bigrams = [term[off:off + 2] for off in offsets]
        entries = [self.entry(b) for b in bigrams]
        if any(e is None for e in entries):
            return {}
        if all(self.is_inline(b) for b in bigrams):
            return self.match_by_positions(bigrams, offsets, allowed)
        lists = [set(self.posting(b).docs) for b in bigrams]
        candidates = sorted(set.intersection(*lists))
        if allowed is not None:
            candidates = [d for d in candidates if allowed[d]]
        if not candidates:
            return {}
        if len(candidates) > self.verify_limit:
            return self.match_by_positions(bigrams, offsets, allowed)
        out = {}
        for doc in candidates:
            record = self.doc(doc)
            fields = [self.normalize(f) for f in [record["t"], *record.get("x", [])]]
            keys = set(record.get("z", []))
            if term in fields[0]:
                out[doc] = ZONE_TITLE
            elif any(term in f for n, f in enumerate(fields[1:]) if n in keys):
                out[doc] = ZONE_KEY
            elif any(term in f for f in fields[1:]):
                out[doc] = ZONE_BODY
        return out

    def is_inline(self, bigram: str) -> bool:
        shard = fnv1a(bigram) & (self.manifest["shards"] - 1)
        return self.entry(bigram)[0][0] is self.files[f"search/i/{shard}.bin"]

    def normalize(self, text: str) -> str:
        return "".join(self.norm_char(c) for c in text)

    def match_by_positions(self, bigrams: list[str], offsets: list[int],
                           allowed: list[bool] | None = None) -> dict[int, int]:
        lists = []
        for off, bigram in zip(offsets, bigrams):
            p = self.posting(bigram, with_positions=True)
            lists.append((off, {d: pos for d, pos in zip(p.docs, p.positions)}))
        lists.sort(key=lambda item: len(item[1]))
        out: dict[int, int] = {}
        first_off, first = lists[0]
        for doc, starts in first.items():
            if allowed is not None and not allowed[doc]:
                continue
            others = []
            for off, table in lists[1:]:
                pos = table.get(doc)
                if pos is None:
                    break
                others.append((off, pos))
            else:
                found = [s - first_off for s in starts
                         if all(_contains(pos, s - first_off + off) for off, pos in others)]
                if found:
                    out[doc] = zone_at(found[0], self.manifest["titleZone"])
        return out

    # -- search
    def allowed(self, filters: Mapping[str, str] | None) -> list[bool] | None:
        """Which documents pass the filters (None: no filter). Values are as in the page's URL."""
        filters = {k: v for k, v in (filters or {}).items() if v}
        if not filters:
            return None
        m = self.manifest
        ok = [True] * self.count
        for name, value in filters.items():
            if name == "column":
                index = next((n for n, c in enumerate(m["columns"]) if c["url"] == value), None)
                if index is None:
                    return [False] * self.count
                inside = {n for n in range(len(m["columns"])) if _under(m["columns"], n, index)}
                sets = {k + 1 for k, members in enumerate(m["colsets"]) if inside.intersection(members)}
                passes = [r["colset"] in sets for r in self.records]
            else:
                vocab = [str(v) for v in m["facets"][name]]
                code = vocab.index(str(value)) + 1 if str(value) in vocab else -1
                passes = [r[name] == code for r in self.records]
            ok = [a and b for a, b in zip(ok, passes)]
        return ok

    def search(self, query: str, filters: Mapping[str, str] | None = None) -> list[rank.Hit]:
        """Every document matching ``query`` (and passing the filters), best first: :func:`.rank.search`."""
        return rank.search(self, query, filters).hits

    def doc(self, doc_id: int) -> dict:
        return json.loads(self.files[doc_path(doc_id)])


def zone_at(position: int, title_zone: int = TITLE_ZONE) -> int:
    """The zone of a text position: the title, the key fields, or the rest."""
    return ZONE_TITLE if position < title_zone else ZONE_KEY if position < 2 * title_zone else ZONE_BODY


def _contains(sorted_list: list[int], value: int) -> bool:
    i = bisect_left(sorted_list, value)
    return i < len(sorted_list) and sorted_list[i] == value


def _under(columns: list[dict], n: int, ancestor: int) -> bool:
    while n >= 0:
        if n == ancestor:
            return True
        n = columns[n]["parent"]
    return False
