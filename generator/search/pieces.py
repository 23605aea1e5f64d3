"""Pieces of byte streams cut out and put together, a few million bytes at a time: how posting lists are
rearranged, joined and written without a Python loop per list, and without an index per byte of the whole
stream at once."""

from __future__ import annotations

import numpy as np

TAKE_BYTES = 1 << 22  # output bytes per step when rearranging lists

_I64 = np.int64


def take_pieces(stream: np.ndarray, offsets: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """``stream[offsets[i]:offsets[i] + lengths[i]]`` for every i, concatenated."""
    out_end = np.cumsum(lengths)
    out = np.empty(int(out_end[-1]) if len(out_end) else 0, stream.dtype)
    # A byte index per output byte, made a few million bytes at a time to bound memory.
    cut = np.searchsorted(out_end, np.arange(TAKE_BYTES, len(out) + TAKE_BYTES, TAKE_BYTES), side="right")
    lo = 0
    for hi in np.unique(np.append(cut, len(lengths))).tolist():
        if hi <= lo:
            continue
        piece_len = lengths[lo:hi]
        piece_out = out_end[lo:hi] - piece_len
        index = np.arange(int(piece_out[0]), int(out_end[hi - 1]), dtype=_I64)
        index += np.repeat(offsets[lo:hi] - piece_out, piece_len)
        out[int(piece_out[0]):int(out_end[hi - 1])] = stream[index]
        lo = hi
    return out


def gather(streams: list[np.ndarray], source: np.ndarray, offsets: np.ndarray, lengths: np.ndarray,
           out: np.ndarray, start: int = 0) -> None:
    """Write piece i, ``streams[source[i]][offsets[i]:offsets[i] + lengths[i]]``, into ``out`` one after the
    other from ``start``: :func:`take_pieces` over several streams, without concatenating them first."""
    dest = start + np.cumsum(lengths) - lengths
    by = np.argsort(source, kind="stable")
    bounds = np.searchsorted(source[by], np.arange(len(streams) + 1))
    for s, stream in enumerate(streams):
        mine = by[bounds[s]:bounds[s + 1]]
        if len(mine):
            _copy(out, dest[mine], stream, offsets[mine], lengths[mine])


def _copy(out: np.ndarray, dest: np.ndarray, stream: np.ndarray, offsets: np.ndarray, lengths: np.ndarray) -> None:
    """``out[dest[i]:dest[i] + lengths[i]] = stream[offsets[i]:offsets[i] + lengths[i]]`` for every i."""
    ends = np.cumsum(lengths)
    cut = np.searchsorted(ends, np.arange(TAKE_BYTES, int(ends[-1]) + TAKE_BYTES, TAKE_BYTES), side="right")
    lo = 0
    for hi in np.unique(np.append(cut, len(lengths))).tolist():
        if hi <= lo:
            continue
        piece_len = lengths[lo:hi]
        within = np.arange(int(piece_len.sum()), dtype=_I64) - np.repeat(np.cumsum(piece_len) - piece_len, piece_len)
        out[np.repeat(dest[lo:hi], piece_len) + within] = stream[np.repeat(offsets[lo:hi], piece_len) + within]
        lo = hi
