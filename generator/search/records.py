"""The index's files besides the posting lists: result records, the filter table and the manifest.

The format is described in :mod:`generator.search.index`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable

import numpy as np

from ..config import VALIDITY_STATES
from .synonyms import masked_names, synonym_table
from .text import SearchDoc, fold_table, kinds as type_labels, normalize

FORMAT = 2
TITLE_ZONE = 1024
DOC_BUCKET = 256
MANIFEST = "search/manifest.json"
FILTERS = "search/docs.bin"


def doc_path(doc_id: int) -> str:
    return f"search/d/{doc_id // DOC_BUCKET}/{doc_id}.json"


def to_json(value) -> bytes:
    return (json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode("utf-8")


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


def _codes(values: Iterable[str | int | None], order: list) -> tuple[list, dict]:
    """The vocabulary of a filter (in ``order``, only values used) and value → code (1-based)."""
    used = {v for v in values if v is not None}
    vocab = [v for v in order if v in used] + sorted(used.difference(order), key=str)
    return vocab, {v: n + 1 for n, v in enumerate(vocab)}


def filters(docs: list[SearchDoc], columns: list[dict], config) -> tuple[bytes, dict]:
    """``docs.bin`` (a fixed-size record of filter codes per document) and what the manifest says of it."""
    labels = type_labels(config.types)
    # Vocabularies in the site's own order, codes per document.
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
    rows = np.array([(colset_of[n], topic_code.get(d.topic, 0), issuer_code.get(d.issuer, 0), year_code[d.year],
                      validity_code.get(d.validity, 0), kind_code[labels[d.kind]]) for n, d in enumerate(docs)],
                    np.int64).reshape(len(docs), 6)
    names = ("colset", "topic", "issuer", "year", "validity", "kind")
    counts = (len(colsets_seen), len(topics), len(issuers), len(years), len(validity), len(kinds))
    widths = [1 if c < 256 else 2 for c in counts]
    # Little-endian, each value in its filter's width: the low byte, then (width 2) the high byte.
    table = np.stack([(rows[:, k] >> (8 * b)) & 0xFF for k, w in enumerate(widths) for b in range(w)], axis=1)
    return table.astype(np.uint8).tobytes(), {
        "record": [[name, width] for name, width in zip(names, widths)],
        "columns": [{**c, "docs": n in holding} for n, c in enumerate(columns)],
        "colsets": [list(key) for key in colsets_seen],
        "facets": {"topic": topics, "issuer": issuers, "year": years, "validity": validity, "kind": kinds},
    }


def manifest(digests: dict[str, bytes], count: int, shards: int, characters: np.ndarray, described: dict,
             config) -> bytes:
    """``manifest.json``: ``digests``, the SHA-256 of every other file of the index by path (its build hash),
    ``characters``, every code point the index has (which part of the 繁简 table the site needs), and
    ``described``, what :func:`filters` says of the documents."""
    used = {chr(c) for c in characters.tolist()}
    fold = "".join(t + s for t, s in sorted(fold_table().items()) if s in used)
    digest = hashlib.sha256(b"".join(path.encode() + b"\0" + digests[path] for path in sorted(digests)))
    return to_json({
        "format": FORMAT,
        "build": digest.hexdigest()[:16],
        "count": count,
        "shards": shards,
        "titleZone": TITLE_ZONE,
        "docBucket": DOC_BUCKET,
        **described,
        "fold": fold,
        "names": masked_names(config),
        "agency": normalize(config.agency.sponsor),
        "synonyms": synonym_table(config),
    })
