"""Run independent work over all cores, with the same result as running it in order.

Work is split into contiguous chunks, one per worker, and results come back in
input order, so output never depends on scheduling. Workers are forked: they
inherit the site graph and the theme without pickling them. Where fork is not
available, or the work is too small to pay for starting processes, it runs here.
"""

from __future__ import annotations

import gc
import os
from contextlib import contextmanager
from typing import Callable, Iterator, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: Below this many items, starting processes costs more than it saves.
MIN_PARALLEL_ITEMS = 64
#: How much lower the workers' priority is than this process's while work runs here beside them (``alongside``):
#: with as many workers as cores, this process then gets a core of its own instead of a third of two, and is
#: not the last to finish (the scheduler still gives the workers every cycle it does not use).
ALONGSIDE_NICE = 3

_work: Callable | None = None
_items: list = []


def _fork():
    """The fork context of multiprocessing, None where processes cannot be forked. Imported here, when work is
    spread, not with this module: a no-change build never forks, and the import is a tenth of its time."""
    import multiprocessing

    return multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@contextmanager
def held_graph() -> Iterator[Callable[[], None]]:
    """No garbage collection while a build reads its site graph, and none over the graph once it is read.

    Reading allocates the whole graph: the collector, triggered by the count of allocations, would walk the
    growing graph again and again. Once read, the graph lives until the build ends, and every full
    collection would walk it again (measured: a tenth of a one-file rebuild's CPU time at 4,000 documents).
    So the collector is off while reading, and what reading allocated is then frozen (left out of all
    collections) before it is turned on again: call the function this yields once the graph is read.
    Reading leaves almost no garbage (about 500 objects at 4,000 documents, even reading all of them here),
    so no collection is run first: one would walk the whole new graph (0.1 s at 4,000). Unfrozen at the
    end, so that ``serve``, which builds again and again in one process, still frees the graphs it no longer
    uses, and that garbage with them.
    """
    if gc.get_freeze_count() or not gc.isenabled():  # an enclosing block holds the heap: it lets it go
        yield lambda: None
        return
    gc.disable()

    def read() -> None:
        gc.freeze()
        gc.enable()

    try:
        yield read
    finally:
        gc.unfreeze()
        gc.enable()


def _run_chunk(span: tuple[int, int]) -> list:
    # Items are not sent to the worker: it inherited them when forked, so objects keep their identity
    # (templates compare columns with `is sameas`) and nothing big is pickled on the way in.
    assert _work is not None
    return [_work(item) for item in _items[span[0]:span[1]]]


def _run_beside(_: None) -> object:
    assert _work is not None
    return _work()


def beside(work: Callable[[], R], here: Callable[[], None], jobs: int) -> R:
    """``work()`` in one forked process while ``here()`` runs in this one, both on a core of their own; the
    result of ``work`` is pickled back. With one job (or no fork), one after the other, here. For two parts
    of a build that read the same graph and neither needs the other's result."""
    global _work
    fork = _fork() if jobs > 1 else None
    if fork is None:
        result = work()
        here()
        return result
    _work = work
    outer = gc.get_freeze_count() > 0
    gc.collect()
    gc.freeze()  # as in ordered_imap: the worker's collections must not copy the graph
    try:
        with fork.Pool(1) as pool:
            pending = pool.apply_async(_run_beside, (None,))
            here()
            return pending.get()
    finally:
        if not outer:
            gc.unfreeze()
        _work = None


def ordered_map(work: Callable[[T], R], items: Sequence[T], jobs: int,
                progress: Callable[[int], None] | None = None,
                alongside: Callable[[], None] | None = None, renew_after: int | None = None,
                before_fork: Callable[[], None] | None = None) -> list[R]:
    """``[work(i) for i in items]``, on ``jobs`` processes when that pays off. ``alongside`` is run here while
    the workers work (before the results are collected): this process would otherwise only wait; the workers
    then run at a lower priority (:data:`ALONGSIDE_NICE`), so that it is not the last to finish.
    ``renew_after``: a worker is replaced by a newly forked one once it has done about this many items. A
    worker copies every page of this process's memory that its work touches (reference counts are writes):
    one that lives through all the work ends up with a copy of nearly everything, a renewed one only with
    what its last items touched. Each renewal costs a fork and warming up again. ``before_fork``: run here
    before the first worker is forked (not at all when the work runs here), to make once what every worker
    would otherwise make for itself."""
    return list(ordered_imap(work, items, jobs, progress, alongside, renew_after, before_fork))


def ordered_imap(work: Callable[[T], R], items: Sequence[T], jobs: int,
                 progress: Callable[[int], None] | None = None,
                 alongside: Callable[[], None] | None = None, renew_after: int | None = None,
                 before_fork: Callable[[], None] | None = None) -> Iterator[R]:
    """``ordered_map``, its results yielded in order as they arrive: the caller can use (and drop) each one
    while the workers make the next, instead of holding them all."""
    global _work, _items
    items = list(items)
    fork = _fork() if jobs > 1 and len(items) >= MIN_PARALLEL_ITEMS else None
    if fork is None:
        if alongside is not None:
            alongside()
        for item in items:
            yield work(item)
            if progress:
                progress(1)
        return
    # Small chunks keep the progress bar moving and the load balanced; order is kept by imap.
    size = max(1, min(256, len(items) // (jobs * 8)))
    chunks = [(i, min(i + size, len(items))) for i in range(0, len(items), size)]
    _work, _items = work, items
    if before_fork is not None:
        before_fork()
    # Workers share the parent's memory until they write to it; a garbage collection in a worker would
    # write to every object (their GC headers) and so copy the whole site graph into each worker.
    outer = gc.get_freeze_count() > 0
    gc.collect()
    gc.freeze()
    try:
        renew = max(1, renew_after // size) if renew_after else None  # in chunks
        with fork.Pool(jobs, maxtasksperchild=renew, initializer=None if alongside is None else os.nice,
                       initargs=(ALONGSIDE_NICE,)) as pool:
            pending = pool.imap(_run_chunk, chunks)  # the chunks are handed out at once
            if alongside is not None:
                alongside()
            for results in pending:
                yield from results
                if progress:
                    progress(len(results))
    finally:
        if not outer:  # else the enclosing held_graph unfreezes it
            gc.unfreeze()
        _work, _items = None, []
