"""The static search index: a character-bigram inverted index with positions, sharded for the browser.

Built from the site graph (never from the rendered HTML; the posting lists by
:mod:`generator.search.postings`), deterministic (the same site gives
byte-identical files, whether built from scratch or, by
:mod:`generator.search.incremental`, from the previous build's), and read by
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

from .batches import describe
from .incremental import IndexFiles, Variant, update
from .records import DOC_BUCKET, FORMAT, TITLE_ZONE, doc_path, result_record
from .shards import HOT_LIST, SHARD_TARGET
from .text import SearchDoc, documents

__all__ = ["DOC_BUCKET", "FORMAT", "HOT_LIST", "SHARD_TARGET", "TITLE_ZONE", "IndexFiles", "Variant",
           "build_from_documents", "build_index", "describe", "doc_path", "fnv1a", "result_record", "site_columns",
           "update"]


def fnv1a(term: str) -> int:
    """32-bit FNV-1a over the code points of ``term`` (search.js has the same function)."""
    h = 0x811C9DC5
    for char in term:
        h = ((h ^ ord(char)) * 0x01000193) & 0xFFFFFFFF
    return h


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
                         variant: Variant | None = None) -> dict[str, bytes]:
    """Every file of the index of ``docs`` (newest first), built from scratch. ``variant``: how the documents
    are presented (the 繁體 mirror converts them)."""
    index = update(docs, columns, config, variant=variant)
    return {rel: data for rel, data in sorted(index.files.items()) if data is not None}
