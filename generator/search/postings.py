"""Posting lists of the search index, built with array operations.

The index format is described in :mod:`generator.search.index`. Building it one
character at a time in Python took a third of a cold build and all of an
edit's rebuild; here every step (splitting texts into terms, grouping the
occurrences by term and document, computing gaps, writing LEB128 varints) is a
NumPy operation over all the characters of a batch of documents. The bytes are
the same as the straightforward builder's (``tests/search_reference_builder.py``
is that builder, kept as the oracle the tests compare against).

Documents are taken in batches (:func:`batch_parts`; where batches end is
:func:`generator.search.batches.bounds`), so that memory stays proportional to the
batch, not to the site, and a rebuild recomputes only the batches whose documents
changed; the batches' lists are joined per term at the end (:func:`join`).

A term is a number: a character is its code point (< 2**21), a bigram ``ab``
is ``(a + 1) << 21 | b`` (≥ 2**21), so sorting the numbers puts every
character before every bigram and keeps each term's occurrences in (document,
position) order under a stable sort. Inside a batch the characters are renumbered
by rank in the batch's alphabet, so that a key and an occurrence number pack into
one 64-bit integer: sorting those is several times faster than a stable argsort.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from .pieces import gather, take_pieces
from .synonyms import name_mask
from .text import norm_char

BIGRAM = 1 << 21  # code points are below 2**21
#: Zones of an occurrence, best last: inside a name (of the agency or another issuer), in the body, in a
#: key field (文号, 索引号, 登记号, 关键词), in the title. A term's document part carries its best zone in a document.
ZONE_NAME, ZONE_BODY, ZONE_KEY, ZONE_TITLE = 0, 1, 2, 3
ZONE_BITS = 2
#: Batches (see generator.search.batches.describe): about BATCH_DOCS documents, at most MAX_DOCS, and at most
#: BATCH_CHARS characters (working arrays take ~40 bytes per character); a full join merges MERGE at a time.
BATCH_DOCS, MAX_DOCS, BATCH_CHARS, MERGE = 32, 48, 1 << 20, 16

_I64 = np.int64


def varints(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The unsigned LEB128 encoding of every value, concatenated (uint8), and the byte count of each."""
    values = np.asarray(values, dtype=np.uint64)
    if len(values) and int(values.max()) < 1 << 32:
        values = values.astype(np.uint32)  # most lists: half the memory traffic
    width = np.ones(values.shape, np.int32)
    nbytes = 1
    while True:
        longer = values >= (1 << (7 * nbytes))
        if not longer.any():
            break
        width += longer
        nbytes += 1
    ends = np.cumsum(width, dtype=_I64)
    starts = ends - width
    out = np.empty(int(ends[-1]) if len(ends) else 0, np.uint8)
    # The first byte of every value, then the further bytes of the (few) longer ones.
    out[starts] = (values & 0x7F).astype(np.uint8) | ((width > 1).astype(np.uint8) << 7)
    for k in range(1, nbytes):
        sel = np.flatnonzero(width > k)
        seven = ((values[sel] >> (7 * k)) & 0x7F).astype(np.uint8)
        out[starts[sel] + k] = seven | ((width[sel] > k + 1).astype(np.uint8) << 7)
    return out, width.astype(_I64)


@dataclass
class Postings:
    """Every term's lists: ``keys`` sorted ascending, and per term the offset and length of its
    document part in ``doc_bytes`` and of its position part in ``pos_bytes`` (length 0 for characters)."""

    keys: np.ndarray
    doc_bytes: np.ndarray
    doc_off: np.ndarray
    doc_len: np.ndarray
    pos_bytes: np.ndarray
    pos_off: np.ndarray
    pos_len: np.ndarray
    code_points: np.ndarray  # every code point used (sorted), for the 繁简 table: the one-character terms
    stream: np.ndarray  # doc_bytes then pos_bytes (both are views of it): what the shards are cut from

    @property
    def size(self) -> np.ndarray:
        return self.doc_len + self.pos_len


class _DenseKeys:
    """Term keys over the batch's own alphabet: a character is its rank among the code points used
    (below ``2**bits``), a bigram ``(rank_a + 1) << bits | rank_b``. Same order as the full keys, fewer bits."""

    def __init__(self, alphabet: np.ndarray):
        self.alphabet = alphabet.astype(_I64)
        self.bits = max(1, (len(alphabet) - 1).bit_length())
        self.first_bigram = 1 << self.bits

    def __call__(self, dense: np.ndarray) -> np.ndarray:
        """The full keys of dense keys."""
        low = self.alphabet[dense & (self.first_bigram - 1)]
        high = self.alphabet[np.maximum((dense >> self.bits) - 1, 0)]
        return np.where(dense < self.first_bigram, low, ((high + 1) << 21) | low)


def _occurrences(cps, doc, pos, zone, in_name, field_ends):
    """Every occurrence of a term (each character, and each bigram inside one field) sorted by term,
    then document, then position: dense keys, documents, positions, zones and the converter to full keys.
    An occurrence inside a name (a bigram with both characters inside one) is in ZONE_NAME."""
    used = np.zeros(int(cps.max()) + 1, bool)
    used[cps] = True
    alphabet = np.flatnonzero(used)
    rank = np.cumsum(used, dtype=np.int32) - 1
    ranks = rank[cps].astype(_I64)
    del rank, used
    dense = _DenseKeys(alphabet)
    pairs = np.ones(len(cps), bool)
    pairs[field_ends] = False
    first = np.flatnonzero(pairs)
    del pairs
    keys = np.concatenate([ranks, ((ranks[first] + 1) << dense.bits) | ranks[first + 1]])
    doc = np.concatenate([doc, doc[first]])
    pos = np.concatenate([pos, pos[first]])
    zone = np.concatenate([np.where(in_name, ZONE_NAME, zone),
                           np.where(in_name[first] & in_name[first + 1], ZONE_NAME, zone[first])]).astype(np.int8)
    del ranks, first
    order = _stable_order(keys, 2 * dense.bits + 1)
    return keys[order], doc[order], pos[order], zone[order], dense


def _stable_order(keys: np.ndarray, bits: int) -> np.ndarray:
    """The stable sorting order of ``keys`` (below ``2 ** bits``): radix sorts of their 16-bit digits, least
    significant first. NumPy sorts 16-bit integers by radix: two passes (a batch's keys have about 25 bits)
    are four times faster than sorting (key, index) pairs packed in one 64-bit integer."""
    order = None
    for shift in range(0, max(bits, 1), 16):
        digit = ((keys >> shift) & 0xFFFF).astype(np.uint16)
        order = np.argsort(digit, kind="stable") if order is None else \
            order[np.argsort(digit[order], kind="stable")]
    return order


class _Normaliser:
    """:func:`generator.search.text.normalize` over code point arrays: each character becomes zero, one
    or more characters, looked up in tables made (once per character) from ``norm_char``."""

    def __init__(self):
        self.known = np.zeros(0, bool)
        self.count = np.zeros(0, _I64)  # code point → length of its normal form
        self.offset = np.zeros(0, _I64)  # code point → where its normal form starts in `forms`
        self.forms = np.zeros(0, np.uint32)

    def __call__(self, cps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The normalised code points, and the number each input character became."""
        if not len(cps):
            return cps, np.zeros(0, _I64)
        top = int(cps.max()) + 1
        if top > len(self.known):
            grow = top - len(self.known)
            self.known = np.append(self.known, np.zeros(grow, bool))
            self.count = np.append(self.count, np.zeros(grow, _I64))
            self.offset = np.append(self.offset, np.zeros(grow, _I64))
        seen = np.zeros(top, bool)
        seen[cps] = True
        new = np.flatnonzero(seen & ~self.known[:top])
        if len(new):
            forms = [norm_char(chr(c)) for c in new.tolist()]
            counts = np.array([len(f) for f in forms], _I64)
            self.count[new] = counts
            self.offset[new] = len(self.forms) + np.cumsum(counts) - counts
            self.forms = np.concatenate([self.forms, _code_points("".join(forms))])
            self.known[new] = True
        counts = self.count[cps]
        return take_pieces(self.forms, self.offset[cps], counts), counts


def _code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32)


def _segments(batch: list[tuple[int, list[str], frozenset]], normal: _Normaliser, title_zone: int,
              names: re.Pattern | None):
    """Code points, document id, position, zone and in-a-name flag of every normalised character of a
    batch, and where each field ends. Positions: the title from 0 (at most ``title_zone - 1``
    characters; a longer title is also a field of its own), the key fields (texts in the
    document's key fields) from ``title_zone`` while they fit below ``2 * title_zone``, every other non-empty
    field from ``2 * title_zone``, each one position after the previous one ends."""
    raw_lengths = [len(text) for _, fields, _ in batch for text in fields]
    cps, counts = normal(_code_points("".join(text for _, fields, _ in batch for text in fields)))
    ends = np.cumsum(counts)[np.cumsum(raw_lengths) - 1] if len(counts) else np.zeros(len(raw_lengths), _I64)
    ends = np.where(np.array(raw_lengths) > 0, ends, 0)
    # Fields that normalise to nothing: their end is the previous field's end.
    ends = np.maximum.accumulate(ends) if len(ends) else ends
    in_name = name_mask(cps, ends, names)
    lengths = np.diff(ends, prepend=0).tolist()
    ends = ends.tolist()
    placed: list[tuple[int, int, int, int, int]] = []  # (document, start, source, size, zone)
    field = 0
    for doc_id, fields, keys in batch:
        pos, key_pos = 2 * title_zone, title_zone
        first = len(placed)
        for n, text in enumerate(fields):
            length, source = lengths[field], ends[field] - lengths[field]
            field += 1
            if not length:
                continue
            if n == 0:
                placed.append((doc_id, 0, source, min(length, title_zone - 1), ZONE_TITLE))
                if length < title_zone:
                    continue
            elif text in keys and key_pos + length <= 2 * title_zone:
                placed.append((doc_id, key_pos, source, length, ZONE_KEY))
                key_pos += length + 1
                continue
            placed.append((doc_id, pos, source, length, ZONE_BODY))
            pos += length + 1
        placed[first:] = sorted(placed[first:])  # positions ascending within a document
    docs, starts, sources, sizes, zones = (list(column) for column in zip(*placed)) if placed else ([],) * 5
    sizes = np.array(sizes, _I64)
    sources = np.array(sources, _I64)
    in_name = take_pieces(in_name, sources, sizes)
    cps = take_pieces(cps, sources, sizes)
    offsets = np.cumsum(sizes) - sizes
    doc = np.repeat(np.array(docs, np.int32), sizes)
    pos = (np.arange(len(cps), dtype=_I64) + np.repeat(np.array(starts, _I64) - offsets, sizes)).astype(np.int32)
    zone = np.repeat(np.array(zones, np.int8), sizes)
    return cps, doc, pos, zone, in_name, offsets + sizes - 1


@dataclass
class Parts:
    """The posting lists of one batch of documents, numbered from 0 in the batch (so that a batch's lists do not
    depend on where it is in the site). Per term (``keys`` ascending): ``first``, its first document value as if
    no earlier document had the term ((document << ZONE_BITS) | zone), ``last``, its last document, and the rest
    of its lists: ``doc_len`` bytes of ``doc_bytes`` and ``pos_len`` bytes of ``pos_bytes``, in term order."""

    count: int  # documents in the batch
    keys: np.ndarray
    first: np.ndarray
    last: np.ndarray
    doc_bytes: np.ndarray
    doc_len: np.ndarray
    pos_bytes: np.ndarray
    pos_len: np.ndarray

    @classmethod
    def empty(cls, count: int) -> Parts:
        none = np.empty(0, _I64)
        return cls(count, none, none, none, np.empty(0, np.uint8), none, np.empty(0, np.uint8), none)

    @property
    def doc_off(self) -> np.ndarray:
        return np.cumsum(self.doc_len) - self.doc_len

    @property
    def pos_off(self) -> np.ndarray:
        return np.cumsum(self.pos_len) - self.pos_len


def batch_parts(batch: list[tuple[list[str], Iterable[str]]], title_zone: int, names: re.Pattern | None,
                normal: _Normaliser | None = None) -> Parts:
    """The lists of a batch of documents: each its fields as written (title first) and which of them are key
    fields (文号, 索引号 …). ``names``: :func:`~generator.search.synonyms.name_pattern` of the masked names."""
    normal = normal or _Normaliser()
    docs = [(n, fields, frozenset(keys)) for n, (fields, keys) in enumerate(batch)]
    cps, doc, pos, zone, in_name, field_ends = _segments(docs, normal, title_zone, names)
    if not len(cps):
        return Parts.empty(len(batch))
    keys, doc, pos, zone, to_key = _occurrences(cps, doc, pos, zone, in_name, field_ends)
    del cps, field_ends, in_name

    # Groups: one per (term, document); terms: runs of groups.
    n = len(keys)
    new_term = np.empty(n, bool)
    new_term[0] = True
    np.not_equal(keys[1:], keys[:-1], out=new_term[1:])
    new_group = new_term.copy()
    new_group[1:] |= doc[1:] != doc[:-1]
    g_at = np.flatnonzero(new_group)
    g_doc, g_new_term = doc[g_at], new_term[g_at]
    g_zone = np.maximum.reduceat(zone, g_at).astype(_I64)  # the best zone of each (term, document)
    t_groups = np.flatnonzero(g_new_term)  # index of each term's first group
    t_keys = to_key(keys[g_at[t_groups]])

    # Document part: gap to the previous document of the term and the zone. A term's first value depends
    # on earlier batches, so it is kept aside (document, zone) and encoded when the batches are joined.
    prev = np.empty(len(g_doc), _I64)
    prev[1:] = g_doc[:-1]
    later = np.ones(len(g_doc), bool)
    later[t_groups] = False
    doc_values = ((g_doc - prev - 1) << ZONE_BITS) | g_zone
    doc_bytes, doc_width = varints(doc_values[later])
    t_later = t_groups - np.arange(len(t_groups))  # where each term's later values start
    ends = np.concatenate([[0], np.cumsum(doc_width)])
    doc_len = ends[np.append(t_later[1:], len(doc_width))] - ends[t_later]
    first = (g_doc[t_groups].astype(_I64) << ZONE_BITS) | g_zone[t_groups]
    t_last_doc = g_doc[np.append(t_groups[1:], len(g_doc)) - 1].astype(_I64)
    pos_bytes, pos_len = _positions(keys, pos, new_group, g_at, t_groups, to_key.first_bigram)
    return Parts(len(batch), t_keys, first, t_last_doc, doc_bytes, doc_len, pos_bytes, pos_len)


def _positions(keys, pos, new_group, g_at, t_groups, first_bigram):
    """Position parts (bigrams only): per group count - 1, first position, then (delta - 1)…; and their
    length per term."""
    n = len(keys)
    b0 = int(np.searchsorted(keys, first_bigram))  # occurrences from b0 on are bigrams
    gb0 = int(np.searchsorted(g_at, b0))  # so are groups from gb0 on
    tb0 = int(np.searchsorted(t_groups, gb0))  # and terms from tb0 on
    pos_len = np.zeros(len(t_groups), _I64)
    if b0 >= n:
        return np.empty(0, np.uint8), pos_len
    bpos, bnew = pos[b0:], new_group[b0:]
    gstarts = g_at[gb0:] - b0
    counts = np.diff(np.append(gstarts, len(bpos)))
    values = np.empty(len(bpos) + len(gstarts), _I64)
    slot = np.arange(len(bpos)) + np.cumsum(bnew)  # after its group's count
    deltas = np.empty(len(bpos), _I64)
    deltas[0] = bpos[0]
    deltas[1:] = bpos[1:] - bpos[:-1] - 1
    deltas[bnew] = bpos[bnew]
    values[slot] = deltas
    values[gstarts + np.arange(len(gstarts))] = counts - 1
    pos_bytes, width = varints(values)
    value_of_term = gstarts[t_groups[tb0:] - gb0] + (t_groups[tb0:] - gb0)
    pos_len[tb0:] = np.add.reduceat(width, value_of_term)
    return pos_bytes, pos_len


def join(parts: list[Parts]) -> Postings:
    """Join the batches (in document order): per term, its pieces in batch order, each headed by its first
    document value, now that the previous piece's last document is known."""
    keys, doc_bytes, doc_len, pos_bytes, pos_len, _, _, stream = _join(parts, whole=True)
    return Postings(keys, doc_bytes, np.cumsum(doc_len) - doc_len, doc_len,
                    pos_bytes, np.cumsum(pos_len) - pos_len, pos_len, keys[keys < BIGRAM], stream)


def merge(parts: list[Parts]) -> Parts:
    """Batches next to each other (in document order) as one batch: joined, except that each term's first
    document value is still kept aside. Joining merged groups of batches holds fewer pieces at once."""
    keys, doc_bytes, doc_len, pos_bytes, pos_len, first, last, _ = _join(parts, whole=False)
    return Parts(sum(p.count for p in parts), keys, first, last, doc_bytes, doc_len, pos_bytes, pos_len)


def _join(parts: list[Parts], whole: bool):
    offsets = np.cumsum([0] + [p.count for p in parts])[:-1].tolist()
    keys = np.concatenate([np.empty(0, _I64)] + [p.keys for p in parts])
    if not len(keys):
        empty = np.empty(0, _I64)
        return empty, np.empty(0, np.uint8), empty, np.empty(0, np.uint8), empty, empty, empty, np.empty(0, np.uint8)
    # Each batch's keys are sorted: a stable sort (timsort) merges the runs, keeping batch order per term.
    order = np.argsort(keys, kind="stable")
    keys = keys[order]
    new_term = np.ones(len(keys), bool)
    new_term[1:] = keys[1:] != keys[:-1]

    first = np.concatenate([p.first + (off << ZONE_BITS) for p, off in zip(parts, offsets)])[order]
    last_doc = np.concatenate([p.last + off for p, off in zip(parts, offsets)])[order]
    prev = np.empty(len(keys), _I64)
    prev[0] = -1
    prev[1:] = last_doc[:-1]
    prev[new_term] = -1
    # A piece's first value, now that the previous piece's last document is known; a term's first piece's
    # only in a whole join (a merge keeps it aside, as a batch does).
    encode = np.ones(len(keys), bool) if whole else ~new_term
    first_bytes, width = varints((first - ((prev + 1) << ZONE_BITS))[encode])
    first_width = np.zeros(len(keys), _I64)
    first_width[encode] = width

    # Document part of each piece: its first value, then the rest of the batch's values; the position part
    # after all of them, in the same buffer (the shards are cut from one stream). Pieces are copied from
    # the batches where they are: concatenating the batches first would hold every byte twice.
    batch = np.repeat(np.arange(len(parts)), [len(p.keys) for p in parts])[order]
    rest_len = np.concatenate([p.doc_len for p in parts])
    rest_off = np.concatenate([np.cumsum(p.doc_len) - p.doc_len for p in parts])[order]
    rest_len = rest_len[order]
    pos_piece = np.concatenate([p.pos_len for p in parts])
    pos_off = np.concatenate([np.cumsum(p.pos_len) - p.pos_len for p in parts])[order]
    pos_piece = pos_piece[order]
    doc_size = int(first_width.sum() + rest_len.sum())
    stream = np.empty(doc_size + int(pos_piece.sum()), np.uint8)
    gather([first_bytes, *(p.doc_bytes for p in parts)], np.stack([np.zeros_like(batch), batch + 1], axis=1).ravel(),
           np.stack([np.cumsum(first_width) - first_width, rest_off], axis=1).ravel(),
           np.stack([first_width, rest_len], axis=1).ravel(), stream)
    gather([p.pos_bytes for p in parts], batch, pos_off, pos_piece, stream, doc_size)
    doc_bytes, pos_bytes = stream[:doc_size], stream[doc_size:]
    starts = np.flatnonzero(new_term)
    doc_len = np.add.reduceat(first_width + rest_len, starts)
    pos_len = np.add.reduceat(pos_piece, starts)
    return (keys[starts], doc_bytes, doc_len, pos_bytes, pos_len, first[starts],
            last_doc[np.append(starts[1:], len(keys)) - 1], stream)


