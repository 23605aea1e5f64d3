"""The oracle for the search index: the straightforward, one-character-at-a-time builder.

This is the index builder as it was before :mod:`generator.search.postings`
replaced its inner loops with array operations. It is slow and obviously
right; ``tests/test_search_postings.py`` checks that the fast builder writes
exactly the same bytes. Do not optimise it.

The static search index: a character-bigram inverted index with positions, sharded for the browser.

Built from the site graph (never from the rendered HTML), deterministic (the
same site gives byte-identical files), and read by
``themes/default/static/search.js`` (and by :mod:`search_query`, the
reference reader the tests use). Every path is under ``search/``:

``manifest.json``
    format, build hash (appended as ``?v=`` to every other request, so a rebuilt
    site never mixes old and new shards), document count, shard count, the layout
    of ``docs.bin``, the filter vocabularies, the column sets and the part of the
    繁简 folding table this site needs.
``docs.bin``
    one fixed-size record per document (document id = record number, newest
    first): column set, 主题分类, 发布机构, year, 有效性, kind; each a code into the
    manifest's lists (0 = none), 1 or 2 bytes little-endian as the manifest says.
``i/<shard>.bin``
    the posting lists of the terms whose FNV-1a hash (over code points) falls in
    the shard. Terms are single characters (for one-character queries) and
    character bigrams. Layout, all numbers unsigned LEB128 varints::

        term count
        per term, sorted by code points:
            length (1|2), code points…, (document part bytes << 1 | external), position part bytes
        the inline lists, in term order: document part, then position part

    A term whose lists are longer than ``HOT_LIST`` bytes is *external*: its
    document part is in ``t/<shard>-<term number>.bin`` and its position part in
    ``t/<shard>-<term number>-p.bin``, so that a shard stays small for the
    queries that do not need them, and a two-character query (the commonest)
    fetches only the document part.
``d/<id // 256>/<id>.json``
    what a result shows: url, title, date, kind, column, 发布机构, 有效性, 文号,
    language, summary and the searchable text (for the snippet around the match).

Document part, per document: ``(gap << 1 | in_title)``, where ``gap`` is the
distance to the previous document id minus one. Position part (bigrams only),
per document in the same order: ``count - 1, first position, (position delta -
1)…``. Positions count normalised characters; the title occupies ``[0,
TITLE_ZONE)`` and every other field starts one position after the previous one
ends, so no bigram and no match spans two fields. A query of one or two
characters is answered by one document part. A query of n ≥ 3 characters
matches at position p when the bigrams at offsets 0, 2, 4 … and n - 2 all occur
at p + offset: an exact substring test, with no false positives and no text to
verify.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable

from generator.config import VALIDITY_STATES
from generator.documents import TYPES
from generator.search.index import result_record
from generator.search.synonyms import masked_names, synonym_table
from generator.search.text import SearchDoc, documents, fold_table, kinds, normalize

KINDS = kinds(TYPES)

FORMAT = 2
TITLE, KEY, BODY, NAME = 3, 2, 1, 0  # zones, best first
TITLE_ZONE = 1024
HOT_LIST = 4096  # bytes: longer posting lists get a file of their own
SHARD_TARGET = 16384  # bytes: shards are added (in powers of two) until the average is at most this
DOC_BUCKET = 256


def fnv1a(term: str) -> int:
    """32-bit FNV-1a over the code points of ``term`` (search.js has the same function)."""
    h = 0x811C9DC5
    for char in term:
        h = ((h ^ ord(char)) * 0x01000193) & 0xFFFFFFFF
    return h


def varint(out: bytearray, n: int) -> None:
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)


def doc_path(doc_id: int) -> str:
    return f"search/d/{doc_id // DOC_BUCKET}/{doc_id}.json"


def _json(value) -> bytes:
    return (json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode("utf-8")


def layout(fields: list[str], key_fields: Iterable[str], names: list[str]) -> list[tuple[int, str, int, list[bool]]]:
    """(start position, normalised text, zone, in-a-name flag per character) of each non-empty field: the
    title at 0, the key fields from TITLE_ZONE while they fit below 2 * TITLE_ZONE, the rest from
    2 * TITLE_ZONE."""
    keys = set(key_fields)
    pattern = re.compile("|".join(map(re.escape, names))) if names else None

    def mask(text: str) -> list[bool]:
        flags = [False] * len(text)
        for m in pattern.finditer(text) if pattern else ():
            for i in range(*m.span()):
                flags[i] = True
        return flags

    out: list[tuple[int, str, int, list[bool]]] = []
    title = normalize(fields[0]) if fields else ""
    rest = [(normalize(f), f in keys) for f in fields[1:]]
    if title:
        out.append((0, title[: TITLE_ZONE - 1], TITLE, mask(title)[: TITLE_ZONE - 1]))
        if len(title) >= TITLE_ZONE:
            rest.insert(0, (title, False))
    pos, key_pos = 2 * TITLE_ZONE, TITLE_ZONE
    for text, is_key in rest:
        if not text:
            continue
        if is_key and key_pos + len(text) <= 2 * TITLE_ZONE:
            out.append((key_pos, text, KEY, mask(text)))
            key_pos += len(text) + 1
        else:
            out.append((pos, text, BODY, mask(text)))
            pos += len(text) + 1
    return out


class _Postings:
    """Posting lists under construction: per term the document part, the position part (bigrams)
    and the last document id."""

    def __init__(self):
        self.docs: dict[str, bytearray] = {}
        self.positions: dict[str, bytearray] = {}
        self.last: dict[str, int] = {}

    def add_doc(self, doc_id: int, fields: list[tuple[int, str, int, list[bool]]]) -> None:
        bigrams: dict[str, list[int]] = {}
        zones: dict[str, int] = {}  # the best zone of each term
        for start, text, zone, in_name in fields:
            for i, char in enumerate(text):
                here = NAME if in_name[i] else zone
                zones[char] = max(zones.get(char, NAME), here)
            for i in range(len(text) - 1):
                pair = text[i:i + 2]
                here = NAME if in_name[i] and in_name[i + 1] else zone
                zones[pair] = max(zones.get(pair, NAME), here)
                bigrams.setdefault(pair, []).append(start + i)
        docs, last = self.docs, self.last
        chars = [t for t in zones if len(t) == 1]
        for char in chars:
            buf = docs.setdefault(char, bytearray())
            varint(buf, ((doc_id - last.get(char, -1) - 1) << 2) | zones[char])
            last[char] = doc_id
        positions_of = self.positions
        for pair, positions in bigrams.items():
            buf = docs.setdefault(pair, bytearray())
            varint(buf, ((doc_id - last.get(pair, -1) - 1) << 2) | zones[pair])
            last[pair] = doc_id
            buf = positions_of.setdefault(pair, bytearray())
            positions.sort()
            varint(buf, len(positions) - 1)
            prev = positions[0]
            varint(buf, prev)
            for p in positions[1:]:
                varint(buf, p - prev - 1)
                prev = p


def _codes(values: Iterable[str | int | None], order: list) -> tuple[list, dict]:
    """The vocabulary of a filter (in ``order``, only values used) and value → code (1-based)."""
    used = {v for v in values if v is not None}
    vocab = [v for v in order if v in used] + sorted(used.difference(order), key=str)
    return vocab, {v: n + 1 for n, v in enumerate(vocab)}


def _width(count: int) -> int:
    return 1 if count < 256 else 2


def build_index(site) -> dict[str, bytes]:
    """Every file of the search index: output path (under ``search/``) → bytes."""
    return build_from_documents(documents(site), site_columns(site), site.config)


def site_columns(site) -> list[dict]:
    """The column tree, flattened in tree order: url, name, parent index (-1 for a top-level column)."""
    out: list[dict] = []
    index: dict[int, int] = {}
    for column in site.all_columns:
        index[id(column)] = len(out)
        out.append({"url": column.url, "name": column.name,
                    "parent": index[id(column.parent)] if column.parent is not None else -1})
    return out


def build_from_documents(docs: list[SearchDoc], columns: list[dict], config) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    postings = _Postings()
    used_chars: set[str] = set()
    masked = masked_names(config)
    for doc_id, doc in enumerate(docs):
        fields = layout(doc.fields, doc.key_fields, masked)
        postings.add_doc(doc_id, fields)
        for _, text, _, _ in fields:
            used_chars.update(text)
        files[doc_path(doc_id)] = _json(result_record(doc))

    # Filters: vocabularies in the site's own order, codes per document.
    column_index = {c["url"]: n for n, c in enumerate(columns)}
    colsets_seen: dict[tuple[int, ...], int] = {}
    colset_of: list[int] = []
    for doc in docs:
        key = tuple(sorted({column_index[u] for u in doc.columns if u in column_index}))
        if key and key not in colsets_seen:
            colsets_seen[key] = len(colsets_seen) + 1
        colset_of.append(colsets_seen.get(key, 0))
    # Only columns that hold a document (or an ancestor of one) are offered as a filter.
    holding: set[int] = set()
    for key in colsets_seen:
        for n in key:
            while n >= 0 and n not in holding:
                holding.add(n)
                n = columns[n]["parent"]
    topics, topic_code = _codes((d.topic for d in docs), [t.name for t in config.topics])
    issuers, issuer_code = _codes((d.issuer for d in docs), list(config.issuers))
    years, year_code = _codes((d.year for d in docs), sorted({d.year for d in docs}, reverse=True))
    validity, validity_code = _codes((d.validity for d in docs), list(VALIDITY_STATES))
    kinds, kind_code = _codes((KINDS[d.kind] for d in docs), list(KINDS.values()))
    rows = [(colset_of[n], topic_code.get(d.topic, 0), issuer_code.get(d.issuer, 0), year_code[d.year],
             validity_code.get(d.validity, 0), kind_code[KINDS[d.kind]]) for n, d in enumerate(docs)]
    names = ("colset", "topic", "issuer", "year", "validity", "kind")
    counts = (len(colsets_seen), len(topics), len(issuers), len(years), len(validity), len(kinds))
    widths = [_width(c) for c in counts]
    table = bytearray()
    for row in rows:
        for value, width in zip(row, widths):
            table += value.to_bytes(width, "little")
    files["search/docs.bin"] = bytes(table)

    # Shards: hot lists go to files of their own; the rest are grouped by hash.
    terms, positions = postings.docs, postings.positions
    empty = b""
    size = {t: len(d) + len(positions.get(t, empty)) for t, d in terms.items()}
    inline_total = sum(n for n in size.values() if n <= HOT_LIST)
    shards = 1
    while inline_total / shards > SHARD_TARGET:
        shards *= 2
    by_shard: dict[int, list[str]] = {}
    for term in terms:
        by_shard.setdefault(fnv1a(term) & (shards - 1), []).append(term)
    for shard in range(shards):
        members = sorted(by_shard.get(shard, []))
        head, body = bytearray(), bytearray()
        varint(head, len(members))
        for n, term in enumerate(members):
            doc_part, pos_part = terms[term], positions.get(term, empty)
            external = size[term] > HOT_LIST
            varint(head, len(term))
            for char in term:
                varint(head, ord(char))
            varint(head, (len(doc_part) << 1) | external)
            varint(head, len(pos_part))
            if external:
                files[f"search/t/{shard}-{n}.bin"] = bytes(doc_part)
                if pos_part:
                    files[f"search/t/{shard}-{n}-p.bin"] = bytes(pos_part)
            else:
                body += doc_part
                body += pos_part
        files[f"search/i/{shard}.bin"] = bytes(head + body)

    fold = "".join(t + s for t, s in sorted(fold_table().items()) if s in used_chars)
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.encode() + b"\0" + hashlib.sha256(files[path]).digest())
    files["search/manifest.json"] = _json({
        "format": FORMAT,
        "build": digest.hexdigest()[:16],
        "count": len(docs),
        "shards": shards,
        "titleZone": TITLE_ZONE,
        "docBucket": DOC_BUCKET,
        "record": [[name, width] for name, width in zip(names, widths)],
        "columns": [{**c, "docs": n in holding} for n, c in enumerate(columns)],
        "colsets": [list(key) for key in colsets_seen],
        "facets": {"topic": topics, "issuer": issuers, "year": years, "validity": validity, "kind": kinds},
        "fold": fold,
        "names": masked,
        "agency": normalize(config.agency.sponsor),
        "synonyms": synonym_table(config),
    })
    return dict(sorted(files.items()))
