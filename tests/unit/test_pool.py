"""The priority pool that reads the organization: the walk's listings before the tags."""

from __future__ import annotations

import threading
from concurrent.futures import Future
from typing import Any

import pytest

from orgstack.aws.pool import FILL, FIRST, PriorityPool


def test_queued_work_runs_by_priority_then_in_order_submitted() -> None:
    ran: list[str] = []
    gate = threading.Event()
    with PriorityPool(1) as pool:
        blocker = pool.submit(gate.wait)  # the only worker is busy: the rest queues
        for name in ("tag-1", "tag-2"):
            pool.submit_at(FILL, ran.append, name)
        for name in ("list-1", "list-2"):
            pool.submit_at(FIRST, ran.append, name)
        pool.submit_at(FILL, ran.append, "tag-3")
        gate.set()
        blocker.result()
    assert ran == ["list-1", "list-2", "tag-1", "tag-2", "tag-3"]


def test_work_submitted_by_running_work_goes_ahead_of_queued_fill() -> None:
    """As in the tree walk: a listing's answer queues the next listings, which run before the
    tags queued earlier."""
    ran: list[str] = []
    with PriorityPool(1) as pool:

        def listing(depth: int) -> None:
            ran.append(f"list-{depth}")
            pool.submit_at(FILL, ran.append, f"tag-{depth}")
            if depth < 3:
                pool.submit_at(FIRST, listing, depth + 1)

        pool.submit(listing, 1).result()
    assert ran == ["list-1", "list-2", "list-3", "tag-1", "tag-2", "tag-3"]


def test_never_more_threads_than_max_workers_and_all_of_them_used() -> None:
    lock = threading.Lock()
    running, peak = 0, 0
    together = threading.Barrier(3, timeout=10)  # the first three can only pass at once

    def work(n: int) -> int:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        if n < 3:
            together.wait()
        with lock:
            running -= 1
        return threading.get_ident()

    with PriorityPool(3) as pool:
        names = {f.result() for f in [pool.submit(work, n) for n in range(30)]}
    assert peak == 3
    assert len(names) == 3


def test_errors_reach_the_caller_through_the_future_and_map_keeps_order() -> None:
    def fails() -> None:
        raise ValueError("listing failed")

    with PriorityPool(2) as pool:
        failed = pool.submit(fails)
        with pytest.raises(ValueError, match="listing failed"):
            failed.result()
        assert list(pool.map(lambda n: n * n, range(6))) == [0, 1, 4, 9, 16, 25]


def test_an_error_in_the_caller_drops_the_queued_work() -> None:
    """Ctrl-C while tags are queued: they are cancelled, not read to the end (the one running
    finishes)."""
    ran: list[int] = []
    gate = threading.Event()
    opener = threading.Timer(0.2, gate.set)  # the running one finishes after the cancel
    futures: list[Future[Any]] = []

    def interrupted() -> None:
        with PriorityPool(1) as pool:
            futures.append(pool.submit(gate.wait))
            futures.extend(pool.submit_at(FILL, ran.append, n) for n in range(5))
            opener.start()
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        interrupted()
    running, *queued = futures
    assert running.result() is True
    assert [f.cancelled() for f in queued] == [True] * 5
    assert ran == []


def test_no_work_after_shutdown() -> None:
    pool = PriorityPool(1)
    pool.shutdown()
    with pytest.raises(RuntimeError, match="cannot submit to a pool that was shut down"):
        pool.submit(print)
    with pytest.raises(ValueError, match="max_workers must be at least 1"):
        PriorityPool(0)
