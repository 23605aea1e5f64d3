"""The search index of a build, made from what changed since the previous one.

A full build indexes every batch of documents (:mod:`.batches`), joins their
lists per term and writes every file. With the build cache and the previous
output, a rebuild:

1. looks up every batch's lists in the cache by the digest of its documents'
   texts; a batch whose documents did not change is not indexed again;
2. when the changed batches hold as many documents as before (an edit, not an
   addition or a removal), finds the terms whose pieces in those batches
   changed (:func:`dirty_terms`: for a new title, the terms of the old and the
   new title), and makes only their lists, by splicing the new pieces into the
   previous output's lists (:mod:`.splice`);
3. writes only the files that changed: the shards holding those terms, their
   external lists, the records of the edited documents, the filter table and the
   manifest; every other file is linked from the previous output.

Otherwise (documents added or removed, more than :data:`SPLICE_MOST` terms
changed, no usable previous output, anything in the previous output or the cache
not as recorded) it joins all batches' lists (merging sixteen batches at a time
first, to hold fewer pieces at once) — still without indexing the unchanged
batches again — and links each file whose bytes did not change.

What a build leaves for the next one (:class:`State`: its batches, its terms with
the sizes of their lists, its records' digests) is trusted only when the previous
output's manifest is the one that build wrote (the digest in the cache's assets
table, stored only after a successful build), so a failed build never makes the
next one read lists that are not there. The output is byte-identical to a full
build's: the tests compare them after random edits.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..cache import code_digest
from . import postings
from .batches import BatchStore, Description, batch_keys, describe
from .pieces import take_pieces
from .postings import BIGRAM, Parts, batch_parts, join, merge
from .records import FILTERS, MANIFEST, TITLE_ZONE, doc_path, filters, manifest, result_record, to_json
from .shards import Layout, layout, shard_files, shard_of, write_shards
from .splice import OldLists, Stale, changed_lists, index_of
from .synonyms import masked_names, name_pattern
from .text import SearchDoc


#: Terms beyond which splicing their lists one by one costs more than joining all batches (~70 µs a term).
SPLICE_MOST = 5000


@dataclass
class Variant:
    """How an index presents the documents: as they are, or (the 繁體 mirror) converted by ``twin``, with the
    site's own names shown through ``display`` and the columns named as in ``columns``."""

    key: str = ""  # what the conversion depends on: part of every cache key
    prefix: str = ""  # where the index is, before ``search/``
    twin: Callable[[SearchDoc], SearchDoc] | None = None
    display: Callable[[str], str] | None = None
    columns: list[dict] | None = None


@dataclass
class State:
    """What a build of an index leaves for the next one."""

    batches: list[tuple[str, int]]  # cache key and document count of each batch, in order
    keys: np.ndarray  # every term, ascending, and the sizes of its lists
    doc_len: np.ndarray
    pos_len: np.ndarray
    records: list[bytes]  # digest of each document's record
    manifest: str  # SHA-256 of the manifest written


@dataclass
class Stats:
    batches: int = 0
    indexed: int = 0  # batches indexed (not found in the cache)
    spliced: int = -1  # terms whose lists were spliced; -1: all lists were joined from the batches
    written: int = 0  # files written (the others were linked from the previous output)


@dataclass
class IndexFiles:
    """The files of an index: bytes, or None for a file the previous output has (and the new one links). Files
    already given to the build's ``sink`` are not in ``files``; every file is in ``digests``."""

    files: dict[str, bytes | None]
    digests: dict[str, str]  # SHA-256 of every file: what the cache records for the next build
    recover: Callable[[str], bytes]  # a linked file's bytes, should the previous output have lost it
    batches: list[str] = field(default_factory=list)  # the batches' cache keys
    folder: str = "search/"
    stats: Stats = field(default_factory=Stats)

    def write(self, writer, previous: Path | None) -> None:
        for rel in sorted(self.files):
            data = self.files[rel]
            if data is None and writer.reuse(previous, rel):
                continue
            writer.put(rel, data if data is not None else self.recover(rel))


def update(docs: list[SearchDoc], columns: list[dict], config, *, variant: Variant | None = None, cache=None,
           previous: Path | None = None, old_assets: dict[str, str] | None = None,
           description: Description | None = None, sink: Callable[[str, bytes], None] | None = None) -> IndexFiles:
    """The index of ``docs`` (newest first), using the cache and the previous output where they help.
    ``description``: :func:`~.batches.describe` of ``docs``, when the caller made it for several indexes.
    ``sink``: where the records and, in a full join, the shard files go as soon as each is made (the caller
    claims and writes it), instead of all being held in the result: at 10,000 documents they are 176 MB."""
    return _Build(docs, columns, config, variant or Variant(), cache, previous, old_assets or {},
                  description or describe(docs), sink).run()


class _Build:
    def __init__(self, docs, columns, config, variant: Variant, cache, previous, old_assets, seen: Description,
                 sink: Callable[[str, bytes], None] | None = None):
        self.docs, self.config, self.variant = docs, config, variant
        self.columns = variant.columns if variant.columns is not None else columns
        self.cache = cache if cache is not None and cache.enabled else None
        self.previous, self.old_assets = previous, old_assets
        self.folder = variant.prefix + "search/"
        self.twins: dict[int, SearchDoc] = {}
        masked = masked_names(config)
        self.names = name_pattern(masked)
        self.ends = seen.ends
        self.records = [hashlib.sha256(r + variant.key.encode()).digest()[:16] for r in seen.records] \
            if variant.key else seen.records
        self.starts = [0] + self.ends[:-1]
        salt = repr((code_digest(), TITLE_ZONE, masked, variant.key))
        self.keys = batch_keys(self.ends, seen.texts, salt)
        self.store = BatchStore(self.cache, self._index_batch)
        self.recovered: dict[str, bytes | None] | None = None
        self.made: dict[str, bytes] = {}
        self.stats = Stats(batches=len(self.keys))
        self.sink = sink
        self.sent = 0  # files given to the sink

    def twin(self, n: int) -> SearchDoc:
        if self.variant.twin is None:
            return self.docs[n]
        if n not in self.twins:
            self.twins[n] = self.variant.twin(self.docs[n])
        return self.twins[n]

    def _index_batch(self, b: int) -> Parts:
        batch = [(d.fields, d.key_fields) for d in map(self.twin, range(self.starts[b], self.ends[b]))]
        return batch_parts(batch, TITLE_ZONE, self.names)

    def record(self, n: int) -> bytes:
        return to_json(result_record(self.twin(n), self.variant.display))

    def run(self) -> IndexFiles:
        old = self._old_state()
        files: dict[str, bytes | None] = {}
        digests: dict[str, str] = {}  # SHA-256, hex
        try:
            table = self._changed(old, files, digests) if old is not None else None
        except Stale:
            table, files, digests, self.stats.spliced = None, {}, {}, -1
        if table is None:
            table = self._joined(files, digests, self.sink)
        self._records(old, files, digests)
        table_bin, described = filters(self.docs, self.columns, self.config)
        self._put(FILTERS, table_bin, files, digests)
        characters = table.keys[table.keys < BIGRAM]
        raw = {rel: bytes.fromhex(digest) for rel, digest in digests.items()}
        data = manifest(raw, len(self.docs), table.shards, characters, described, self.config)
        self._put(MANIFEST, data, files, digests)
        self.made = {FILTERS: table_bin, MANIFEST: data}
        self.store.save()
        self.store.made.clear()  # the lists (kept alive by ``recover`` while the pages render)
        self.twins.clear()
        self._save_state(table, digests[MANIFEST])
        self.stats.indexed = self.store.computed
        self.stats.written = self.sent + sum(data is not None for data in files.values())
        prefix = self.variant.prefix
        return IndexFiles({prefix + p: d for p, d in files.items()}, {prefix + p: d for p, d in digests.items()},
                          self._recover, self.keys, self.folder, self.stats)

    # ------------------------------------------------------------------ the previous build

    def _old_state(self) -> State | None:
        """The state of the previous build, when the previous output is what that build wrote."""
        if self.cache is None or self.previous is None:
            return None
        blob = self.cache.search_state(self.folder)
        try:
            old = pickle.loads(blob) if blob is not None else None
        except Exception:
            return None
        if not isinstance(old, State) or self.old_assets.get(self.folder + "manifest.json") != old.manifest:
            return None
        return old

    def _save_state(self, table: Layout, manifest_digest: str) -> None:
        if self.cache is None:
            return
        counts = [end - start for start, end in zip(self.starts, self.ends)]
        state = State(list(zip(self.keys, counts)), table.keys, table.doc_len, table.pos_len, self.records,
                      manifest_digest)
        self.cache.store_search_state(self.folder, pickle.dumps(state, protocol=5))

    def _old(self, rel: str) -> str | None:
        """The SHA-256 of the previous output's file, as the cache recorded it."""
        return self.old_assets.get(self.variant.prefix + rel)

    def _put(self, rel: str, data: bytes, files: dict, digests: dict,
             sink: Callable[[str, bytes], None] | None = None) -> None:
        """A new file: linked from the previous output when that has the same bytes; else given to ``sink``
        (and left out of ``files``), if there is one."""
        digest = hashlib.sha256(data).hexdigest()
        digests[rel] = digest
        if self._old(rel) == digest:
            files[rel] = None
        elif sink is not None:
            sink(self.variant.prefix + rel, data)
            self.sent += 1
        else:
            files[rel] = data

    def _keep(self, rel: str, files: dict, digests: dict) -> None:
        """A file the previous output has, unchanged."""
        digest = self._old(rel)
        if digest is None:
            raise Stale(rel)
        files[rel], digests[rel] = None, digest

    def _recover(self, rel: str) -> bytes:
        """A file that was to be linked, made again (the previous output lost it)."""
        rel = rel[len(self.variant.prefix):]
        if rel.startswith("search/d/"):
            return self.record(int(rel.rsplit("/", 1)[1].split(".")[0]))
        if rel in self.made:
            return self.made[rel]
        if self.recovered is None:
            self.old_assets, self.recovered = {}, {}  # nothing linked: every file's bytes
            self._joined(self.recovered, {})
        return self.recovered[rel]

    # ------------------------------------------------------------------ the two ways

    def _joined(self, files: dict, digests: dict, sink: Callable[[str, bytes], None] | None = None) -> Layout:
        """Every list joined from all batches; every file made (and linked where its bytes are unchanged)."""
        numbers, merge_by = list(range(len(self.keys))), postings.MERGE
        post = join([merge(self.store.parts(self.keys, numbers[at:at + merge_by]))
                     for at in range(0, len(numbers), merge_by)])
        lay = layout(post.keys, post.doc_len, post.pos_len)
        for rel, data in shard_files(lay, post.stream, post.doc_off, post.pos_off + len(post.doc_bytes),
                                     list(range(lay.shards))):
            self._put(rel, data, files, digests, sink)
        return lay

    def _changed(self, old: State, files: dict, digests: dict) -> Layout | None:
        """Only the lists of the terms that changed, spliced; None when documents were added or removed."""
        old_keys = [k for k, _ in old.batches]
        same = 0
        while same < min(len(old_keys), len(self.keys)) and old_keys[same] == self.keys[same]:
            same += 1
        tail = 0
        while tail < min(len(old_keys), len(self.keys)) - same and old_keys[-1 - tail] == self.keys[-1 - tail]:
            tail += 1
        old_mid, new_mid = list(range(same, len(old_keys) - tail)), list(range(same, len(self.keys) - tail))
        old_counts = [c for _, c in old.batches]
        start = sum(old_counts[:same])
        if sum(old_counts[same:len(old_keys) - tail]) != sum(self.ends[b] - self.starts[b] for b in new_mid):
            return None
        old_parts = self.store.old_parts([old_keys[b] for b in old_mid])
        if old_parts is None:
            return None
        new_parts = self.store.parts(self.keys, new_mid, keep=True)
        dirty = dirty_terms(old_parts, new_parts)
        if len(dirty) > SPLICE_MOST:
            return None  # joining every list (array operations) is then faster than splicing (a loop)
        old_lay = layout(old.keys, old.doc_len, old.pos_len)
        before = self._pos_before(old, old_keys, same, tail, old_parts, dirty)
        reader = OldLists(self.previous / self.variant.prefix, old_lay)
        lists = changed_lists(dirty, reader, old.keys, before, old_parts, new_parts, start)
        self.stats.spliced = len(dirty)
        return self._write_changed(old_lay, reader, dirty, lists, files, digests)

    def _pos_before(self, old: State, old_keys: list[str], same: int, tail: int, old_parts: list[Parts],
                    dirty: np.ndarray) -> np.ndarray:
        """Per dirty term, the bytes of its old position part before the changed batches: summed over the
        batches before them, or the whole part less the changed and later batches' (whichever are fewer)."""
        after = same > tail
        terms = self.store.terms(old_keys[len(old_keys) - tail:] if after else old_keys[:same])
        if terms is None:
            raise Stale("batches")
        total = np.zeros(len(dirty), np.int64)
        for keys, pos_len in terms + ([(p.keys, p.pos_len) for p in old_parts] if after else []):
            at = index_of(keys, dirty)
            total += np.where(at >= 0, pos_len[np.maximum(at, 0)], 0)
        if not after:
            return total
        at = index_of(old.keys, dirty)
        return np.where(at >= 0, old.pos_len[np.maximum(at, 0)], 0) - total

    def _write_changed(self, old_lay: Layout, reader: OldLists, dirty: np.ndarray, lists: list[tuple[bytes, bytes]],
                       files: dict, digests: dict) -> Layout:
        """The new layout; the shard files holding a dirty term made, the other files kept or renamed."""
        doc_len = np.array([len(d) for d, _ in lists], np.int64)
        pos_len = np.array([len(p) for _, p in lists], np.int64)
        clean = index_of(dirty, old_lay.keys) < 0
        present = doc_len > 0
        keys = np.concatenate([old_lay.keys[clean], dirty[present]])
        order = np.argsort(keys, kind="stable")
        lay = layout(keys[order], np.concatenate([old_lay.doc_len[clean], doc_len[present]])[order],
                     np.concatenate([old_lay.pos_len[clean], pos_len[present]])[order])
        if lay.shards != old_lay.shards:
            touched = list(range(lay.shards))
        else:
            touched = np.unique(shard_of(dirty, lay.shards)).tolist()
        # A stream holding every list the touched shards need: the old shard files, then the new lists.
        new_at = index_of(lay.keys, dirty[present])
        old_at = index_of(old_lay.keys, lay.keys)  # -1 for a dirty term
        old_at[new_at] = -1
        chunks, base, bases = [], 0, {}
        doc_off = np.full(len(lay.keys), -1, np.int64)
        pos_off = np.full(len(lay.keys), -1, np.int64)
        for s in touched:
            terms = lay.shard_terms(s)
            inline = terms[(old_at[terms] >= 0) & ~lay.external[terms]]  # clean: as they were
            for o in np.unique(old_lay.shard[old_at[inline]]).tolist():
                if o not in bases:
                    chunks.append(np.frombuffer(reader.shard(o), np.uint8))
                    bases[o], base = base, base + len(chunks[-1])
                mine = inline[old_lay.shard[old_at[inline]] == o]
                doc_off[mine] = bases[o] + old_lay.body[old_at[mine]]
        for t, (d, p) in zip(new_at.tolist(), (x for x, keep in zip(lists, present) if keep)):
            chunks.append(np.frombuffer(d + p, np.uint8))
            doc_off[t] = base
            base += len(d) + len(p)
        pos_off[:] = doc_off + lay.doc_len
        made = write_shards(lay, np.concatenate([np.empty(0, np.uint8), *chunks]), doc_off, pos_off, touched)
        for rel, data in made.items():
            self._put(rel, data, files, digests)
        self._other_shards(lay, old_lay, old_at, set(touched), reader, files, digests)
        return lay

    def _other_shards(self, lay: Layout, old_lay: Layout, old_at: np.ndarray, touched: set[int],
                      reader: OldLists, files: dict, digests: dict) -> None:
        """Shard files not touched are the previous output's; so are clean external lists, under their new
        names where a term before them in its shard came or went."""
        for s in range(lay.shards):
            if s not in touched:
                self._keep(f"search/i/{s}.bin", files, digests)
        for t in np.flatnonzero(lay.external & (old_at >= 0)).tolist():
            new_paths = lay.external_paths(t)
            old_paths = old_lay.external_paths(int(old_at[t]))
            for new, was in zip(new_paths, old_paths):
                if new is None:
                    continue
                if new == was:
                    self._keep(new, files, digests)
                else:
                    self._put(new, reader.read(was), files, digests)

    def _records(self, old: State | None, files: dict, digests: dict) -> None:
        """A record per document: the previous output's where its digest is unchanged."""
        was = old.records if old is not None else []
        for n, key in enumerate(self.records):
            rel = doc_path(n)
            if n < len(was) and was[n] == key and self._old(rel) is not None:
                self._keep(rel, files, digests)
            else:
                self._put(rel, self.record(n), files, digests, self.sink)


def dirty_terms(old: list[Parts], new: list[Parts]) -> np.ndarray:
    """The terms whose lists differ between two runs of batches covering the same documents (sorted keys):
    batch by batch where both have the same batch sizes, else every term either has."""
    if [p.count for p in old] != [p.count for p in new]:
        return np.unique(np.concatenate([np.empty(0, np.int64)] + [p.keys for p in old + new]))
    out = [np.empty(0, np.int64)]
    for o, n in zip(old, new):
        both, io, jn = np.intersect1d(o.keys, n.keys, assume_unique=True, return_indices=True)
        same = (o.first[io] == n.first[jn]) & (o.last[io] == n.last[jn]) & (o.doc_len[io] == n.doc_len[jn]) & \
            (o.pos_len[io] == n.pos_len[jn])
        check = np.flatnonzero(same)
        same[check] = _equal(o.doc_bytes, o.doc_off[io[check]], n.doc_bytes, n.doc_off[jn[check]],
                             o.doc_len[io[check]]) & \
            _equal(o.pos_bytes, o.pos_off[io[check]], n.pos_bytes, n.pos_off[jn[check]], o.pos_len[io[check]])
        out += [np.setxor1d(o.keys, n.keys, assume_unique=True), both[~same]]
    return np.unique(np.concatenate(out))


def _equal(a: np.ndarray, a_off: np.ndarray, b: np.ndarray, b_off: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Whether each piece of ``a`` equals the piece of ``b`` (same lengths)."""
    differ = np.concatenate([[0], np.cumsum(take_pieces(a, a_off, lengths) != take_pieces(b, b_off, lengths))])
    ends = np.cumsum(lengths)
    return differ[ends] == differ[ends - lengths]
