"""Batches of documents, their cache keys, and their posting lists in the build cache.

The index's documents (newest first) are cut into batches whose ends depend on
the documents themselves, not on their number: a batch ends after a document
whose URL hashes to 0 modulo :data:`~.postings.BATCH_DOCS`, or once it holds
:data:`~.postings.MAX_DOCS` documents (or, rarely, :data:`~.postings.BATCH_CHARS`
characters). Editing a document changes its own batch only, and adding or
removing one changes the batches up to the next document whose URL hashes to 0,
not every batch after it. A batch's lists number its documents from 0, so they do not
depend on where the batch is either; they are cached under the digest of what
they are made of (:func:`batch_keys`).
"""

from __future__ import annotations

import hashlib
import pickle
import zlib
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from . import postings
from .postings import Parts
from .text import SearchDoc

SAVE_BYTES = 1 << 24  # computed batches are stored in the cache this many bytes at a time


@dataclass
class Description:
    """Per document, the digest of what its posting lists are made of (its fields, which are key fields, its
    language: the 繁體 mirror converts by it) and of what its result record is made of (that and the rest it
    shows); and where each batch ends (exclusive document numbers, the last is ``len(docs)``). The same for
    the site's index and the mirror's (whose keys add what its conversion depends on)."""

    texts: list[bytes]
    records: list[bytes]
    ends: list[int]


def describe(docs: list[SearchDoc]) -> Description:
    """Reads every character of every document once (hashing them): made once for all indexes of a build."""
    texts, records, ends = [], [], []
    chars, start = 0, 0
    every, most, biggest = postings.BATCH_DOCS, postings.MAX_DOCS, postings.BATCH_CHARS  # the tests change them
    for n, doc in enumerate(docs):
        text = "\0".join(doc.fields)
        # UTF-16: what CJK text encodes to fastest. The lengths only where a field holds the separator.
        h = hashlib.sha256(text.encode("utf-16-le", "surrogatepass"))
        extra = [doc.key_fields, doc.language]
        if text.count("\0") != len(doc.fields) - 1:
            extra.append([len(f) for f in doc.fields])
        h.update(repr(extra).encode("utf-8", "surrogatepass"))
        texts.append(h.digest()[:16])
        shown = [doc.url, doc.title, doc.date.isoformat(), doc.kind, doc.label, doc.summary, doc.issuer or "",
                 doc.topic or "", doc.validity or "", doc.doc_no or "", doc.language or "", doc.column or "",
                 *doc.columns]  # None and "" alike: a record leaves out both
        meta = "\0".join(shown)
        if meta.count("\0") != len(shown) - 1:
            meta = repr(shown)
        records.append(hashlib.sha256(texts[-1] + meta.encode("utf-8", "surrogatepass")).digest()[:16])
        # A batch ends after a document whose URL hashes to 0, or once it is large: by its number of
        # documents, which an edit does not change, or (rarely) by its characters.
        chars += len(text)
        if zlib.crc32(doc.url.encode("utf-8", "surrogatepass")) % every == 0 or n + 1 - start >= most or \
                chars >= biggest:
            ends.append(n + 1)
            chars, start = 0, n + 1
    if docs and (not ends or ends[-1] != len(docs)):
        ends.append(len(docs))
    return Description(texts, records, ends)


def batch_keys(ends: list[int], texts: list[bytes], salt: str) -> list[str]:
    """The cache key of each batch: the digests of its documents' texts and ``salt`` (the generator's code,
    the index's parameters, the names that weigh little, the mirror's conversion)."""
    keys, start = [], 0
    for end in ends:
        keys.append(hashlib.sha256(salt.encode() + b"".join(texts[start:end])).hexdigest()[:32])
        start = end
    return keys


class BatchStore:
    """The batches' lists: from the build cache when it has them, else computed (and stored)."""

    def __init__(self, cache, compute: Callable[[int], Parts]):
        self.cache = cache if cache is not None and cache.enabled else None
        self.compute = compute  # batch number → its lists
        self.computed = 0  # batches indexed in this build
        self.made: dict[str, Parts] = {}  # by key: they may be asked for again
        self.new: list[tuple[str, bytes, bytes]] = []
        self.pending = 0  # bytes in new

    def parts(self, keys: list[str], numbers: list[int], keep: bool = False) -> list[Parts]:
        """The lists of the batches ``numbers`` (whose cache keys are ``keys[n]``); ``keep``: computed ones
        are kept for this build (it may ask again)."""
        out: list[Parts] = []
        for at in range(0, len(numbers), 64):  # a few cached rows at a time: not every row's bytes twice
            out += self._parts(keys, numbers[at:at + 64], keep)
        return out

    def _parts(self, keys: list[str], numbers: list[int], keep: bool) -> list[Parts]:
        wanted = [keys[n] for n in numbers if keys[n] not in self.made]
        found = self.cache.search_batches(wanted) if self.cache is not None else {}
        out = []
        for n in numbers:
            parts = self.made.get(keys[n])
            row = found.get(keys[n])
            if parts is None and row is not None:
                parts = _loads(*row)
            if parts is None:
                parts = self.compute(n)
                self.computed += 1
                if keep:
                    self.made[keys[n]] = parts
                if self.cache is not None:
                    self.new.append((keys[n], *_dumps(parts)))
                    self.pending += len(self.new[-1][1]) + len(self.new[-1][2])
                    if self.pending > SAVE_BYTES:  # not every batch's bytes twice in memory
                        self.save()
            out.append(parts)
        return out

    def old_parts(self, keys: list[str]) -> list[Parts] | None:
        """The lists of batches of an earlier build, None when the cache lost one."""
        found = self.cache.search_batches(keys) if self.cache is not None else {}
        out = [_loads(*found[k]) if k in found else None for k in keys]
        return None if any(p is None for p in out) else out

    def terms(self, keys: list[str]) -> list[tuple[np.ndarray, np.ndarray]] | None:
        """Of batches of an earlier build: the terms and the length of each one's position part."""
        found = self.cache.search_batches(keys, lists=False) if self.cache is not None else {}
        if len(found) < len(set(keys)):
            return None
        return [_terms(found[k][0]) for k in keys]

    def save(self) -> None:
        if self.cache is not None and self.new:
            self.cache.store_search_batches(self.new)
        self.new, self.pending = [], 0


def _dumps(p: Parts) -> tuple[bytes, bytes]:
    terms = p.keys.astype("<i8").tobytes() + p.pos_len.astype("<i4").tobytes()
    small = [a.astype("<i4") for a in (p.first, p.last, p.doc_len)]
    return terms, pickle.dumps((p.count, *small, p.doc_bytes, p.pos_bytes), protocol=5)


def _terms(blob: bytes) -> tuple[np.ndarray, np.ndarray]:
    n = len(blob) // 12
    return (np.frombuffer(blob, "<i8", n).astype(np.int64),
            np.frombuffer(blob, "<i4", n, offset=8 * n).astype(np.int64))


def _loads(terms: bytes, lists: bytes) -> Parts | None:
    try:
        count, first, last, doc_len, doc_bytes, pos_bytes = pickle.loads(lists)
        keys, pos_len = _terms(terms)
        return Parts(count, keys, first.astype(np.int64), last.astype(np.int64), doc_bytes,
                     doc_len.astype(np.int64), pos_bytes, pos_len)
    except Exception:  # a damaged row is no row: the batch is indexed again
        return None
