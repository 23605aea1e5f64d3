"""The static search index: a character-bigram inverted index with positions, sharded for the browser.

Built from the site graph (never from the rendered HTML; the posting lists by
:mod:`generator.search.postings`), deterministic (the same site gives
byte-identical files), and read by
``themes/default/static/search.js`` (and by ``tests/search_query.py``, the
reference reader the tests use). Every path is under ``search/``:

``manifest.json``
    format, build hash (appended as ``?v=`` to every other request, so a rebuilt
    site never mixes old and new shards), document count, shard count, the layout
    of ``docs.bin``, the filter vocabularies, the column sets, the part of the
    繁简 folding table this site needs, the names whose characters rank low
    (``names``: the agency's and the issuers' names, normalised) and the synonym
    table (``synonyms``: normalised word → the words it also finds).
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
    language, summary, the searchable text (for the snippet around the match)
    and ``z``, which of those texts are in the key zone.

Document part, per document: ``(gap << 2 | zone)``, where ``gap`` is the
distance to the previous document id minus one and ``zone`` the best place the
term occurs in the document: 3 the title, 2 a key field (文号, 索引号, 登记号,
关键词), 1 anywhere else, 0 only inside a name listed in ``names`` (so that 旅游 in every
江州市文化和旅游局 weighs as little as it means). Position part (bigrams only),
per document in the same order: ``count - 1, first position, (position delta -
1)…``. Positions count normalised characters; the title occupies ``[0,
TITLE_ZONE)``, the key fields ``[TITLE_ZONE, 2 * TITLE_ZONE)`` and the other
fields start at ``2 * TITLE_ZONE``, each one position after the previous one
ends, so no bigram and no match spans two fields. A query of one or two
characters is answered by one document part. A query of n ≥ 3 characters
matches at position p when the bigrams at offsets 0, 2, 4 … and n - 2 all occur
at p + offset: an exact substring test, with no false positives and no text to
verify.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable

import numpy as np

from ..config import VALIDITY_STATES
from .postings import BIGRAM, Postings, PostingsBuilder, take_pieces, varints
from .synonyms import masked_names, synonym_table
from .text import SearchDoc, documents, fold_table, kinds as type_labels, normalize

FORMAT = 2
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


def _codes(values: Iterable[str | int | None], order: list) -> tuple[list, dict]:
    """The vocabulary of a filter (in ``order``, only values used) and value → code (1-based)."""
    used = {v for v in values if v is not None}
    vocab = [v for v in order if v in used] + sorted(used.difference(order), key=str)
    return vocab, {v: n + 1 for n, v in enumerate(vocab)}


def _width(count: int) -> int:
    return 1 if count < 256 else 2


def result_record(doc: SearchDoc, display: Callable[[str], str] | None = None) -> dict:
    """What search.js shows of a result, and the texts it verifies a match on (``x``; ``z``: the key
    fields among them, which the index places in the key zone while they fit below ``2 * TITLE_ZONE``).
    ``display`` converts the site's own names (kind, column, 发布机构, 有效性) for the 繁體 mirror."""
    show = display or (lambda value: value)
    texts = [f for f in doc.fields[1:] if f]
    keys, in_zone, room = set(doc.key_fields), [], TITLE_ZONE
    for n, text in enumerate(texts):
        size = len(normalize(text)) if text in keys else 0
        if size and size <= room:
            in_zone.append(n)
            room -= size + 1
    record = {"u": doc.url, "t": doc.title, "d": doc.date.isoformat(), "k": doc.label and show(doc.label),
              "c": doc.column and show(doc.column), "i": doc.issuer and show(doc.issuer),
              "v": doc.validity and show(doc.validity), "n": doc.doc_no, "l": doc.language, "s": doc.summary,
              "x": texts, "z": in_zone}
    return {k: v for k, v in record.items() if v}


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


def build_from_documents(docs: list[SearchDoc], columns: list[dict], config,
                         display: Callable[[str], str] | None = None) -> dict[str, bytes]:
    """``display``: how a result shows the site's own names (column, kind, 发布机构, 有效性; the 繁體 mirror
    converts them), which the filters keep as they are."""
    files: dict[str, bytes] = {}
    labels = type_labels(config.types)
    masked = masked_names(config)
    builder = PostingsBuilder(TITLE_ZONE, masked)
    for doc_id, doc in enumerate(docs):
        builder.add(doc_id, doc.fields, doc.key_fields)
        files[doc_path(doc_id)] = _json(result_record(doc, display))

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
    kinds, kind_code = _codes((labels[d.kind] for d in docs), list(labels.values()))
    rows = [(colset_of[n], topic_code.get(d.topic, 0), issuer_code.get(d.issuer, 0), year_code[d.year],
             validity_code.get(d.validity, 0), kind_code[labels[d.kind]]) for n, d in enumerate(docs)]
    names = ("colset", "topic", "issuer", "year", "validity", "kind")
    counts = (len(colsets_seen), len(topics), len(issuers), len(years), len(validity), len(kinds))
    widths = [_width(c) for c in counts]
    table = bytearray()
    for row in rows:
        for value, width in zip(row, widths):
            table += value.to_bytes(width, "little")
    files["search/docs.bin"] = bytes(table)

    postings = builder.finish()
    shards = _write_shards(postings, files)
    used = {chr(c) for c in postings.code_points.tolist()}
    fold = "".join(t + s for t, s in sorted(fold_table().items()) if s in used)
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


def _write_shards(post: Postings, files: dict[str, bytes]) -> int:
    """Group the terms into shards by hash (hot lists into files of their own); the shard count."""
    size = post.size
    external = size > HOT_LIST
    inline_total = int(size[~external].sum())
    shards = 1
    while inline_total / shards > SHARD_TARGET:
        shards *= 2
    keys = post.keys
    bigram = keys >= BIGRAM
    first = np.where(bigram, (keys >> 21) - 1, keys)
    second = np.where(bigram, keys & (BIGRAM - 1), -1)
    shard = _fnv1a(first, second, bigram) & (shards - 1)
    # Within a shard, terms in code-point order: a character before the bigrams it starts.
    order = np.lexsort(((first << 22) | (second + 1), shard))
    shard, first, second, bigram, external = shard[order], first[order], second[order], bigram[order], external[order]
    doc_off, doc_len = post.doc_off[order], post.doc_len[order]
    pos_off, pos_len = post.pos_off[order], post.pos_len[order]

    # Per term header: length (1|2), code points…, (document part bytes << 1 | external), position part bytes.
    n = len(keys)
    fields = np.stack([1 + bigram, first, second, (doc_len << 1) | external, pos_len], axis=1)
    present = np.ones((n, 5), bool)
    present[:, 2] = bigram
    head_bytes, width = varints(fields[present])
    head_width = np.add.reduceat(width, np.arange(n) * 4 + np.cumsum(bigram) - bigram) if n else width
    # Body: the inline lists in term order, document part then position part.
    stream = np.concatenate([post.doc_bytes, post.pos_bytes])
    inline = ~external
    piece_off = np.stack([doc_off, pos_off + len(post.doc_bytes)], axis=1).ravel()
    piece_len = np.stack([doc_len * inline, pos_len * inline], axis=1).ravel()
    body_bytes = take_pieces(stream, piece_off, piece_len)
    body_width = piece_len.reshape(-1, 2).sum(axis=1)

    head_end = np.cumsum(head_width)
    body_end = np.cumsum(body_width)
    bounds = np.searchsorted(shard, np.arange(shards + 1))
    head_mv, body_mv, stream_mv = memoryview(head_bytes), memoryview(body_bytes), memoryview(stream)
    for s in range(shards):
        lo, hi = int(bounds[s]), int(bounds[s + 1])
        out = bytearray()
        varint(out, hi - lo)
        h0 = int(head_end[lo - 1]) if lo else 0
        b0 = int(body_end[lo - 1]) if lo else 0
        out += head_mv[h0:int(head_end[hi - 1]) if hi else 0]
        out += body_mv[b0:int(body_end[hi - 1]) if hi else 0]
        files[f"search/i/{s}.bin"] = bytes(out)
        for t in np.flatnonzero(external[lo:hi]).tolist():
            at = lo + t
            start, length = int(doc_off[at]), int(doc_len[at])
            files[f"search/t/{s}-{t}.bin"] = bytes(stream_mv[start:start + length])
            if pos_len[at]:
                start, length = int(pos_off[at]) + len(post.doc_bytes), int(pos_len[at])
                files[f"search/t/{s}-{t}-p.bin"] = bytes(stream_mv[start:start + length])
    return shards


def _fnv1a(first: np.ndarray, second: np.ndarray, bigram: np.ndarray) -> np.ndarray:
    """:func:`fnv1a` of every term, from its code points."""
    h = np.full(len(first), 0x811C9DC5, np.uint64)
    h = ((h ^ first.astype(np.uint64)) * np.uint64(0x01000193)) & np.uint64(0xFFFFFFFF)
    h2 = ((h ^ np.maximum(second, 0).astype(np.uint64)) * np.uint64(0x01000193)) & np.uint64(0xFFFFFFFF)
    return np.where(bigram, h2, h).astype(np.int64)
