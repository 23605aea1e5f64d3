"""The lists of the terms an edit changed: the previous build's lists with the edited batches' part replaced.

A term's document part is a sequence of (gap to the previous document, zone)
values, its position part one entry per document in the same order. When the
batches covering documents ``[start, start + count)`` were replaced by batches
with as many documents (an edit that adds or removes none), the new lists are
the old ones up to ``start``, the new batches' pieces, and the old ones after
``start + count`` — of which only the first document value is encoded again
(its gap now counts from the new pieces' last document). Where the old pieces
begin in the position part is not in the lists themselves; the caller knows it
from the lengths of the cached batches' position parts (``pos_before``).

The old lists are read from the previous output. Anything there that does not
fit what the cache says it should hold raises :class:`Stale`, and the index is
built from all batches instead.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .postings import ZONE_BITS, Parts
from .shards import Layout, varint

_EMPTY = b""


class Stale(Exception):
    """The previous output or the cache is not what this build needs: index from every batch."""


def decode(data: bytes) -> tuple[np.ndarray, np.ndarray]:
    """The values of concatenated unsigned LEB128 varints, and where each ends (exclusive)."""
    raw = np.frombuffer(data, np.uint8)
    ends = np.flatnonzero(raw < 0x80) + 1
    if not len(ends):
        return np.empty(0, np.int64), ends
    starts = np.concatenate([[0], ends[:-1]])
    shift = (np.arange(ends[-1]) - np.repeat(starts, ends - starts)) * 7
    values = np.add.reduceat((raw[:ends[-1]] & 0x7F).astype(np.int64) << shift, starts)
    return values, ends


class OldLists:
    """The previous build's lists, read from its index files (``folder``: its ``search/`` folder's parent)."""

    def __init__(self, folder: Path, lay: Layout):
        self.folder = folder
        self.lay = lay
        self.shards: dict[int, bytes] = {}

    def read(self, rel: str) -> bytes:
        try:
            return (self.folder / rel).read_bytes()
        except OSError:
            raise Stale(rel) from None

    def shard(self, s: int) -> bytes:
        if s not in self.shards:
            self.shards[s] = self.read(f"search/i/{s}.bin")
        return self.shards[s]

    def lists(self, term: int) -> tuple[bytes, bytes]:
        """Document part and position part of a term of the previous build (its number in ``lay``)."""
        lay = self.lay
        doc_len, pos_len = int(lay.doc_len[term]), int(lay.pos_len[term])
        if lay.external[term]:
            doc_path, pos_path = lay.external_paths(term)
            doc, pos = self.read(doc_path), (self.read(pos_path) if pos_path else _EMPTY)
        else:
            data, at = self.shard(int(lay.shard[term])), int(lay.body[term])
            doc, pos = data[at:at + doc_len], data[at + doc_len:at + doc_len + pos_len]
        if len(doc) != doc_len or len(pos) != pos_len:
            raise Stale(f"term {term}")
        return doc, pos


def index_of(sorted_keys: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Where each of ``keys`` is in ``sorted_keys``, -1 where it is not."""
    if not len(sorted_keys):
        return np.full(len(keys), -1, np.int64)
    at = np.minimum(np.searchsorted(sorted_keys, keys), len(sorted_keys) - 1)
    return np.where(sorted_keys[at] == keys, at, -1)


def changed_lists(dirty: np.ndarray, old: OldLists, old_keys: np.ndarray, pos_before: np.ndarray,
                  old_mid: list[Parts], new_mid: list[Parts], start: int) -> list[tuple[bytes, bytes]]:
    """The new lists of the terms ``dirty`` (sorted keys): documents ``[start, start + count)`` were in the
    batches ``old_mid`` and are now in ``new_mid`` (as many documents)."""
    count = sum(p.count for p in new_mid)
    offsets = np.cumsum([start] + [p.count for p in new_mid]).tolist()
    old_at = index_of(old_keys, dirty)
    pos_mid = np.zeros(len(dirty), np.int64)
    for parts in old_mid:
        at = index_of(parts.keys, dirty)
        pos_mid += np.where(at >= 0, parts.pos_len[np.maximum(at, 0)], 0)
    found = [index_of(parts.keys, dirty) for parts in new_mid]
    doc_offs = [parts.doc_off for parts in new_mid]
    pos_offs = [parts.pos_off for parts in new_mid]
    out = []
    for k in range(len(dirty)):
        doc, pos = old.lists(int(old_at[k])) if old_at[k] >= 0 else (_EMPTY, _EMPTY)
        pieces = []
        for parts, at, base, doc_off, pos_off in zip(new_mid, found, offsets, doc_offs, pos_offs):
            i = int(at[k])
            if i < 0:
                continue
            d0, p0 = int(doc_off[i]), int(pos_off[i])
            first = int(parts.first[i])
            pieces.append((base + (first >> ZONE_BITS), first & 3, base + int(parts.last[i]),
                           parts.doc_bytes[d0:d0 + int(parts.doc_len[i])].tobytes(),
                           parts.pos_bytes[p0:p0 + int(parts.pos_len[i])].tobytes()))
        out.append(splice(doc, pos, int(pos_before[k]), int(pos_mid[k]), start, count, pieces))
    return out


def splice(doc: bytes, pos: bytes, pos_before: int, pos_mid: int, start: int, count: int,
           pieces: list[tuple[int, int, int, bytes, bytes]]) -> tuple[bytes, bytes]:
    """A term's lists with the entries of documents ``[start, start + count)`` replaced by ``pieces`` (first
    document, its zone, last document, the rest of the document part, the position part); in the old position
    part those entries are the ``pos_mid`` bytes after the first ``pos_before``."""
    if pos_before + pos_mid > len(pos):
        raise Stale("position part")
    values, ends = decode(doc)
    docs = np.cumsum((values >> ZONE_BITS) + 1) - 1
    i0, i1 = (int(i) for i in np.searchsorted(docs, [start, start + count]))
    out = bytearray(doc[:int(ends[i0 - 1]) if i0 else 0])
    prev = int(docs[i0 - 1]) if i0 else -1
    for first, zone, last, rest, _ in pieces:
        varint(out, ((first - prev - 1) << ZONE_BITS) | zone)
        out += rest
        prev = last
    if i1 < len(docs):
        varint(out, ((int(docs[i1]) - prev - 1) << ZONE_BITS) | int(values[i1]) & 3)
        out += doc[int(ends[i1]):]
    new_pos = b"".join([pos[:pos_before], *(p[4] for p in pieces), pos[pos_before + pos_mid:]])
    return bytes(out), new_pos
