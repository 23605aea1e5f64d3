"""Where each term's lists go in the index files, and those files' bytes (the format: :mod:`.index`).

A :class:`Layout` is computed from the terms and the sizes of their lists only,
so that a rebuild knows every file's place, and where the previous build put
each term (in which shard, at which offset, under which name), without the
lists themselves; :func:`write_shards` then makes the files it is asked for
from lists taken wherever they are (a joined :class:`~.postings.Postings`, the
previous output's files, lists spliced for the terms that changed).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from .pieces import take_pieces
from .postings import BIGRAM, varints

HOT_LIST = 4096  # bytes: longer posting lists get a file of their own
SHARD_TARGET = 16384  # bytes: shards are added (in powers of two) until the average is at most this


@dataclass
class Layout:
    """The index files of a set of terms (``keys`` ascending, with the sizes of their lists). Per term, in key
    order: ``shard``, ``number`` (its place in the shard, which names its external files), ``external`` and
    ``body`` (where its inline lists start in the shard file)."""

    keys: np.ndarray
    doc_len: np.ndarray
    pos_len: np.ndarray
    shards: int
    shard: np.ndarray
    number: np.ndarray
    external: np.ndarray
    body: np.ndarray
    order: np.ndarray  # term indices in file order: by shard, then by code points
    bounds: np.ndarray  # file-order range of each shard's terms
    head: np.ndarray  # the headers of all shards (without their term counts), in file order
    head_end: np.ndarray  # where each term's header ends in ``head`` (file order)

    def shard_terms(self, shard: int) -> np.ndarray:
        """Term indices of a shard, in file order."""
        return self.order[self.bounds[shard]:self.bounds[shard + 1]]

    def external_paths(self, term: int) -> tuple[str, str | None]:
        """The files of an external term: its document part, and its position part (None for a character)."""
        stem = f"search/t/{self.shard[term]}-{self.number[term]}"
        return stem + ".bin", (stem + "-p.bin" if self.pos_len[term] else None)


def layout(keys: np.ndarray, doc_len: np.ndarray, pos_len: np.ndarray) -> Layout:
    """Group the terms into shards by hash (hot lists into files of their own)."""
    size = doc_len + pos_len
    external = size > HOT_LIST
    inline_total = int(size[~external].sum())
    shards = 1
    while inline_total / shards > SHARD_TARGET:
        shards *= 2
    bigram, first, second = _code_points(keys)
    shard = shard_of(keys, shards)
    # Within a shard, terms in code-point order: a character before the bigrams it starts.
    order = np.lexsort(((first << 22) | (second + 1), shard))
    n = len(keys)
    bounds = np.searchsorted(shard[order], np.arange(shards + 1))
    number = np.empty(n, np.int64)
    number[order] = np.arange(n) - bounds[shard[order]]

    # Per term header: length (1|2), code points…, (document part bytes << 1 | external), position part bytes.
    b, ext = bigram[order], external[order]
    fields = np.stack([1 + b, first[order], second[order], (doc_len[order] << 1) | ext, pos_len[order]], axis=1)
    present = np.ones((n, 5), bool)
    present[:, 2] = b
    head, width = varints(fields[present])
    head_width = np.add.reduceat(width, np.arange(n) * 4 + np.cumsum(b) - b) if n else width
    head_end = np.cumsum(head_width)
    # A shard file: term count, headers, inline lists (document part, then position part) in term order.
    count_width = varints(np.diff(bounds))[1]
    head_start = np.concatenate([[0], head_end])[bounds]
    inline = np.where(ext, 0, size[order])
    inline_end = np.cumsum(inline)
    inline_start = np.concatenate([[0], inline_end])[bounds]
    s = shard[order]
    body = np.empty(n, np.int64)
    body[order] = (count_width[s] + head_start[s + 1] - head_start[s]) + (inline_end - inline) - inline_start[s]
    return Layout(keys, doc_len, pos_len, shards, shard, number, external, body, order, bounds, head, head_end)


def write_shards(lay: Layout, stream: np.ndarray, doc_off: np.ndarray, pos_off: np.ndarray,
                 which: list[int]) -> dict[str, bytes]:
    """The files of the shards ``which``: each shard file, and the external files of its terms whose lists are
    in ``stream`` (``doc_off`` and ``pos_off`` per term; negative: not there, and not to be written)."""
    return dict(shard_files(lay, stream, doc_off, pos_off, which))


def shard_files(lay: Layout, stream: np.ndarray, doc_off: np.ndarray, pos_off: np.ndarray,
                which: list[int]) -> Iterator[tuple[str, bytes]]:
    """:func:`write_shards`, one file at a time: a caller that writes each away never holds them all."""
    mv = memoryview(stream)
    for s in which:
        terms = lay.shard_terms(s)
        lo, hi = int(lay.bounds[s]), int(lay.bounds[s + 1])
        out = bytearray()
        varint(out, hi - lo)
        out += memoryview(lay.head)[int(lay.head_end[lo - 1]) if lo else 0:int(lay.head_end[hi - 1]) if hi else 0]
        inline = ~lay.external[terms]
        piece_off = np.stack([doc_off[terms], pos_off[terms]], axis=1).ravel()
        piece_len = np.stack([lay.doc_len[terms] * inline, lay.pos_len[terms] * inline], axis=1).ravel()
        out += take_pieces(stream, piece_off, piece_len).tobytes()
        yield f"search/i/{s}.bin", bytes(out)
        for t in terms[lay.external[terms] & (doc_off[terms] >= 0)].tolist():
            yield from _external_files(lay, t, mv, int(doc_off[t]), int(pos_off[t])).items()


def _external_files(lay: Layout, term: int, stream: memoryview, doc_off: int, pos_off: int) -> dict[str, bytes]:
    """The external files of a term whose lists are in ``stream``."""
    doc_path, pos_path = lay.external_paths(term)
    files = {doc_path: bytes(stream[doc_off:doc_off + int(lay.doc_len[term])])}
    if pos_path is not None:
        files[pos_path] = bytes(stream[pos_off:pos_off + int(lay.pos_len[term])])
    return files


def varint(out: bytearray, n: int) -> None:
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)


def _code_points(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Which terms are bigrams, their first code points and their second ones (-1 for a character)."""
    bigram = keys >= BIGRAM
    return bigram, np.where(bigram, (keys >> 21) - 1, keys), np.where(bigram, keys & (BIGRAM - 1), -1)


def shard_of(keys: np.ndarray, shards: int) -> np.ndarray:
    """The shard of every term: :func:`~.index.fnv1a` of its code points, modulo the shard count."""
    bigram, first, second = _code_points(keys)
    h = np.full(len(first), 0x811C9DC5, np.uint64)
    h = ((h ^ first.astype(np.uint64)) * np.uint64(0x01000193)) & np.uint64(0xFFFFFFFF)
    h2 = ((h ^ np.maximum(second, 0).astype(np.uint64)) * np.uint64(0x01000193)) & np.uint64(0xFFFFFFFF)
    return np.where(bigram, h2, h).astype(np.int64) & (shards - 1)
