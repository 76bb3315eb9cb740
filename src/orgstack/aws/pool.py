"""A thread pool whose waiting work runs by priority: the reads on a critical path first.

Reading an organization is a walk (each OU's listing names the OUs to list next) plus reads
that nothing waits on until the end (the tags of every account and OU: most of the calls).
In a first-in-first-out pool the tags queued by the first listings delay the walk's next
listings behind them, so the walk, and with it everything, ends late; here the walk's reads
go first and the tags fill every worker the walk leaves idle.
"""

from __future__ import annotations

import heapq
import itertools
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future
from types import TracebackType
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

#: The walk's listings and what waits on them.
FIRST = 0
#: Reads nothing waits on until the end (tags).
FILL = 1

_Item = tuple[int, int, Future[Any], Callable[..., Any], tuple[Any, ...], dict[str, Any]]


class PriorityPool(Executor):
    """Up to ``max_workers`` threads (started as work arrives); queued work runs lowest
    priority number first, in the order submitted within one priority."""

    def __init__(self, max_workers: int) -> None:
        if max_workers < 1:
            raise ValueError("max_workers must be at least 1")
        self._max = max_workers
        self._queue: list[_Item] = []
        self._order = itertools.count()
        self._cond = threading.Condition()
        self._threads: list[threading.Thread] = []
        self._idle = 0
        self._closed = False

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        return self.submit_at(FIRST, fn, *args, **kwargs)

    def submit_at(
        self, priority: int, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs
    ) -> Future[T]:
        """Run ``fn`` after all queued work of a lower priority number."""
        future: Future[T] = Future()
        item: _Item = (priority, next(self._order), future, fn, args, kwargs)
        with self._cond:
            if self._closed:
                raise RuntimeError("cannot submit to a pool that was shut down")
            heapq.heappush(self._queue, item)
            if len(self._queue) > self._idle and len(self._threads) < self._max:
                name = f"orgstack-read-{len(self._threads)}"
                worker = threading.Thread(target=self._work, name=name, daemon=True)
                self._threads.append(worker)
                worker.start()
            self._cond.notify()
        return future

    def _work(self) -> None:
        while True:
            with self._cond:
                self._idle += 1
                while not self._queue and not self._closed:
                    self._cond.wait()
                self._idle -= 1
                if not self._queue:
                    return  # shut down, and nothing left to run
                _, _, future, fn, args, kwargs = heapq.heappop(self._queue)
            if not future.set_running_or_notify_cancel():
                continue
            try:
                result = fn(*args, **kwargs)
            except BaseException as exc:  # the caller sees it through the future
                future.set_exception(exc)
            else:
                future.set_result(result)
            del future, fn, args, kwargs

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._cond:
            self._closed = True
            if cancel_futures:
                for item in self._queue:
                    item[2].cancel()
                self._queue.clear()
            self._cond.notify_all()
            threads = list(self._threads)
        if wait:
            for worker in threads:
                if worker is not threading.current_thread():
                    worker.join()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool | None:
        # On an error (Ctrl-C included) the queued reads are dropped, not run to the end.
        self.shutdown(wait=True, cancel_futures=exc_type is not None)
        return None
