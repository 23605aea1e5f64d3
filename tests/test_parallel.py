"""Work spread over processes: results in order, as they arrive, and (for rendering) workers renewed."""

from __future__ import annotations

import os
import time

import pytest

from generator.parallel import ALONGSIDE_NICE, beside, ordered_imap, ordered_map


def _stamp(n: int) -> tuple[int, int, float]:
    time.sleep(0.002)
    return n, os.getpid(), time.monotonic()


def test_results_come_in_order_and_before_the_last_is_made():
    received, first_seen = [], None
    for n, _, made in ordered_imap(_stamp, range(300), jobs=2):
        if first_seen is None:
            first_seen = time.monotonic()
        received.append((n, made))
    assert [n for n, _ in received] == list(range(300))
    assert first_seen < max(made for _, made in received)  # the caller could use the first while workers went on


def test_workers_are_renewed_when_asked():
    """A long-lived worker ends up copying everything its work touched in the parent's memory; a renewed one
    holds only what its last items touched."""
    items = range(400)
    reused = {pid for _, pid, _ in ordered_map(_stamp, items, jobs=2)}
    fresh = ordered_map(_stamp, items, jobs=2, renew_after=1)
    assert [n for n, _, _ in fresh] == list(items)
    assert len(reused) <= 2 and os.getpid() not in reused
    pids = [pid for _, pid, _ in fresh]
    assert len(set(pids)) > 4
    runs = [pid for i, pid in enumerate(pids) if i == 0 or pid != pids[i - 1]]
    assert len(runs) == len(set(runs))  # each worker did one contiguous chunk, and then ended
    assert 2 < len({pid for _, pid, _ in ordered_map(_stamp, items, jobs=2, renew_after=100)}) < len(set(pids))


def test_what_is_made_before_the_fork_is_made_only_when_workers_are_forked():
    made = []
    assert ordered_map(_stamp, range(10), jobs=2, before_fork=lambda: made.append(1))[-1][0] == 9
    assert made == []  # too little work for workers: it ran here, and needed nothing made for them
    ordered_map(_stamp, range(300), jobs=2, renew_after=1, before_fork=lambda: made.append(os.getpid()))
    assert made == [os.getpid()]  # once, here, however many workers were forked


def test_beside_runs_the_work_in_another_process_while_this_one_works():
    here = []

    def work():
        started = time.monotonic()
        time.sleep(0.3)
        return os.getpid(), started, time.monotonic()

    def mine():
        here.append(time.monotonic())
        time.sleep(0.3)
        here.append(time.monotonic())

    pid, started, finished = beside(work, mine, jobs=2)
    assert pid != os.getpid()
    assert started < here[1] and here[0] < finished  # at once, not one after the other
    here.clear()
    pid, started, finished = beside(work, mine, jobs=1)
    assert pid == os.getpid() and finished <= here[0]  # one job: the work first, here, then the rest


def test_an_error_in_the_work_beside_reaches_the_caller():
    def fails():
        raise ValueError("in the worker")

    with pytest.raises(ValueError, match="in the worker"):
        beside(fails, lambda: None, jobs=2)


def _niceness(_: int) -> int:
    return os.nice(0)


def test_workers_yield_to_the_work_run_beside_them():
    """With work to do here while they work (the search index beside the rendering workers), the workers run
    at a lower priority: on two cores this process then gets one of its own instead of a third of two."""
    mine = os.nice(0)
    assert set(ordered_map(_niceness, range(300), jobs=2)) == {mine}
    lower = min(19, mine + ALONGSIDE_NICE)  # 19 is the lowest priority
    assert set(ordered_map(_niceness, range(300), jobs=2, alongside=lambda: None)) == {lower}
    assert os.nice(0) == mine
