"""Which old unit becomes which new one: similarity of every pair, then an order-preserving alignment.

Similarity is the Dice coefficient of character bigrams (Chinese has no word boundaries), each
weighted by its rarity among the units compared: one sparse product gives every pair, where
difflib's ratio would cost a quadratic match per pair. A dynamic programme then pairs units of the
same kind in order, with a bonus for the same article number, so a renumbered article still finds
its old text and an inserted one does not take its neighbour's place; very similar units that moved
out of order are paired afterwards.
"""

from __future__ import annotations

import math

import numpy as np
from cydifflib import SequenceMatcher

from .units import Unit

#: Pairing thresholds (weighted similarity 0…1): a unit pairs with one of the same number from
#: SAME_NUMBER, with any other from OTHER_NUMBER; units out of order pair from MOVED. Measured on the
#: demo's rewritten regulations: corresponding articles score 0.14–0.55, unrelated ones mostly under
#: 0.1 and rarely above 0.2, which the order of the articles then rules out.
SAME_NUMBER, OTHER_NUMBER, MOVED, NUMBER_BONUS = 0.1, 0.15, 0.6, 0.2
#: Unit pairs aligned at once (a thousand articles against a thousand); larger texts are anchored first.
_MAX_CELLS = 1_000_000
#: Bigram meetings summed at once: bounds the memory of comparing long codes (about 100 MB).
_SLICE = 1 << 22

#: The code points that are white space (``str.isspace``, as ``\s`` in a regular expression): U+3000 is the last.
_IS_SPACE = np.array([chr(c).isspace() for c in range(0x3001)] + [False])
#: A unit's id sits above its bigram's code in one int64 key: a bigram is two code points (21 bits each),
#: a one-character text is its code point with the bit above them set.
_UNIT_SHIFT, _SINGLE = 43, 1 << 42


def _coordinates(units: list[Unit]) -> tuple[np.ndarray, np.ndarray]:
    """(unit, bigram code) of every distinct character bigram of every unit, whitespace left out; a text of
    one character stands for itself. Computed on one code point array of all the units' texts, whitespace
    and the bigrams across two units dropped: a Python set per unit cost more than the whole comparison
    otherwise, and arrays per unit (or a regular expression per unit) still cost most of the alignment."""
    points = np.frombuffer("".join(unit.text for unit in units).encode("utf-32-le", "surrogatepass"),
                           dtype=np.uint32).astype(np.int64)
    owner = np.repeat(np.arange(len(units), dtype=np.int64), [len(unit.text) for unit in units])
    text = ~_IS_SPACE[np.minimum(points, len(_IS_SPACE) - 1)]
    points, owner = points[text], owner[text]
    inside = owner[:-1] == owner[1:]  # both characters of the bigram in one unit
    pairs = ((points[:-1] << 21) | points[1:] | (owner[:-1] << _UNIT_SHIFT))[inside]
    lengths = np.bincount(owner, minlength=len(units))
    single = np.flatnonzero(lengths == 1)
    singles = points[(np.cumsum(lengths) - lengths)[single]] | _SINGLE | (single << _UNIT_SHIFT)
    key = np.unique(np.concatenate([pairs, singles]))
    return key >> _UNIT_SHIFT, key & ((1 << _UNIT_SHIFT) - 1)


def _shared(rows_old, cols_old, rows_new, cols_new, weight: np.ndarray, n: int, m: int) -> np.ndarray:
    """The summed weight of the bigrams each old and new unit share (an n × m matrix).

    A sparse product: every old unit's bigram meets the new units that have it, and the weights are
    summed by pair with ``bincount``, in slices of the meetings so memory stays bounded. No BLAS: its
    threads crawl on a busy machine, and a fixed summation order keeps the result identical everywhere.
    """
    order = np.argsort(cols_new, kind="stable")
    rows_new, cols_new = rows_new[order], cols_new[order]
    per_gram = np.bincount(cols_new, minlength=len(weight))
    first_new = np.cumsum(per_gram) - per_gram  # where each bigram's new units start in rows_new
    meetings = per_gram[cols_old]  # how many new units each old (unit, bigram) meets
    ends = np.cumsum(meetings)
    total = np.zeros(n * m, dtype=np.float64)
    lo = 0
    while lo < len(meetings):
        hi = max(lo + 1, int(np.searchsorted(ends, (ends[lo - 1] if lo else 0) + _SLICE, side="right")))
        reps = meetings[lo:hi]
        which = np.repeat(np.arange(lo, hi), reps)
        within = np.arange(int(reps.sum())) - np.repeat(np.cumsum(reps) - reps, reps)
        partner = rows_new[first_new[cols_old[which]] + within]
        total += np.bincount(rows_old[which] * m + partner, weights=weight[cols_old[which]], minlength=n * m)
        lo = hi
    return total.reshape(n, m)


def _similarities(old: list[Unit], new: list[Unit]) -> np.ndarray:
    """Similarity (0…1) of every old and new unit (rows, columns; NaN across kinds): the Dice coefficient
    of their character bigrams, each bigram weighted by its rarity among all units (inverse document
    frequency), so the words every article shares (市文化和旅游局, 本办法) count for little."""
    n, m = len(old), len(new)
    rows_old, codes_old = _coordinates(old)
    rows_new, codes_new = _coordinates(new)
    vocabulary, ids = np.unique(np.concatenate([codes_old, codes_new]), return_inverse=True)
    cols_old, cols_new = ids[:len(codes_old)], ids[len(codes_old):]
    frequency = np.bincount(cols_old, minlength=len(vocabulary)) + np.bincount(cols_new, minlength=len(vocabulary))
    weight = np.log((n + m + 1) / np.maximum(frequency, 1))
    mass_old = np.bincount(rows_old, weights=weight[cols_old], minlength=n)
    mass_new = np.bincount(rows_new, weights=weight[cols_new], minlength=m)
    shared = _shared(rows_old, cols_old, rows_new, cols_new, weight, n, m)
    masses = mass_old[:, None] + mass_new[None, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        sims = np.where(masses > 0, 2 * shared / masses, 0.0)
    texts: dict[str, int] = {}  # equal texts share an id: n + m lookups, not n × m comparisons
    text_old = np.array([texts.setdefault(u.text, len(texts)) for u in old], dtype=np.int64)
    text_new = np.array([texts.setdefault(v.text, len(texts)) for v in new], dtype=np.int64)
    sims[text_old[:, None] == text_new[None, :]] = 1.0
    kinds_old, kinds_new = np.array([u.kind for u in old]), np.array([v.kind for v in new])
    sims[kinds_old[:, None] != kinds_new[None, :]] = np.nan
    return sims


def _scores(old: list[Unit], new: list[Unit], sims: np.ndarray) -> np.ndarray:
    """The value of pairing each old and new unit in the alignment (-inf: they are not the same unit):
    the similarity, plus a bonus for the same number, from the threshold of either case."""
    ids: dict[tuple, int] = {}
    number_old = np.array([ids.setdefault(u.number, len(ids)) if u.number else -1 for u in old], dtype=np.int64)
    number_new = np.array([ids.setdefault(v.number, len(ids)) if v.number else -2 for v in new], dtype=np.int64)
    same = number_old[:, None] == number_new[None, :]
    with np.errstate(invalid="ignore"):
        valid = sims >= np.where(same, SAME_NUMBER, OTHER_NUMBER)  # NaN (another kind) is never valid
    return np.where(valid, sims + np.where(same, NUMBER_BONUS, 0.0), -np.inf)


def _block_pairs(old: list[Unit], new: list[Unit]) -> tuple[dict[int, int], dict[int, int]]:
    """({new: old} of every pair, {new: old} of the order-preserving ones) within one block of units.

    Order-preserving pairs come from a dynamic programme maximising the summed pair scores; what
    is left pairs out of order when nearly equal (a moved article), shown at its new place.
    """
    n, m = len(old), len(new)
    if not n or not m:
        return {}, {}
    sims = _similarities(old, new)
    score = _scores(old, new, sims)
    # best[i][j] = max(best[i-1][j], best[i][j-1], best[i-1][j-1] + score): along a row the middle term is a
    # running maximum, so each row is three array operations (the same sums, so the same values).
    best = np.zeros((n + 1, m + 1))
    for i in range(1, n + 1):
        above = best[i - 1]
        np.maximum.accumulate(np.maximum(above[1:], above[:-1] + score[i - 1]), out=best[i, 1:])
    best, score = best.tolist(), score.tolist()
    pairs: dict[int, int] = {}
    i, j = n, m
    while i and j:
        if score[i - 1][j - 1] > -math.inf and best[i][j] == best[i - 1][j - 1] + score[i - 1][j - 1]:
            pairs[j - 1] = i - 1
            i, j = i - 1, j - 1
        elif best[i][j] == best[i - 1][j]:
            i -= 1
        else:
            j -= 1
    in_order = dict(pairs)
    paired_old = set(pairs.values())
    candidates = np.argwhere(np.nan_to_num(sims, nan=0.0) >= MOVED)
    for _, i, j in sorted(((float(sims[i, j]), int(i), int(j)) for i, j in candidates), reverse=True):
        if j not in pairs and i not in paired_old:
            pairs[j] = i
            paired_old.add(i)
    return pairs, in_order


def align(old: list[Unit], new: list[Unit]) -> list[tuple[int | None, int | None]]:
    """Pairs (old index, new index) in reading order; (i, None) deleted, (None, j) added.

    Texts of more than _MAX_CELLS unit pairs (a code of thousands of articles, or hostile input) are
    first anchored on their identical units; the blocks between the anchors are aligned one by one,
    and a block still too large, or beyond a budget for them all, is left unpaired (its units deleted
    and added), so time stays bounded.
    """
    n, m = len(old), len(new)
    if n * m <= _MAX_CELLS:
        pairs, in_order = _block_pairs(old, new)
        return _reading_order(n, m, pairs, in_order)
    keys_old, keys_new = [f"{u.kind}\0{u.text}" for u in old], [f"{v.kind}\0{v.text}" for v in new]
    pairs: dict[int, int] = {}
    in_order: dict[int, int] = {}
    budget = 4 * _MAX_CELLS  # for all blocks together
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, keys_old, keys_new).get_opcodes():
        cells = (i2 - i1) * (j2 - j1)
        if tag == "equal":
            in_order.update({j1 + k: i1 + k for k in range(i2 - i1)})
        elif cells <= min(_MAX_CELLS, budget):  # blocks are disjoint: their pairs cannot collide
            budget -= cells
            block, block_in_order = _block_pairs(old[i1:i2], new[j1:j2])
            pairs.update({j1 + j: i1 + i for j, i in block.items()})
            in_order.update({j1 + j: i1 + i for j, i in block_in_order.items()})
    return _reading_order(n, m, {**pairs, **in_order}, in_order)


def _reading_order(n: int, m: int, pairs: dict[int, int], in_order: dict[int, int]):
    """New units in order; a deleted old unit right after the new partner of the old unit before it."""
    partner_of_old = {i: j for j, i in in_order.items()}
    paired_old = set(pairs.values())
    after: dict[int, list[int]] = {}
    anchor = -1
    for i in range(n):
        if i in partner_of_old:
            anchor = partner_of_old[i]
        elif i not in paired_old:
            after.setdefault(anchor, []).append(i)
    out: list[tuple[int | None, int | None]] = [(i, None) for i in after.get(-1, [])]
    for j in range(m):
        out.append((pairs.get(j), j))
        out += [(i, None) for i in after.get(j, [])]
    return out
